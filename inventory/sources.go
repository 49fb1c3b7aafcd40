package inventory

import (
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/secrets"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// Source is where a secret's value comes from when the controller starts.
type Source string

// Sources. The strings are the inventory's JSON values: stable.
const (
	// Literal is written in the file: a commit is needed to rotate it.
	Literal Source = "literal"
	// LiteralDefault is the default of ${VAR:-literal} (or ${base64:…}):
	// written in the file, used whenever the variable is unset.
	LiteralDefault Source = "literal-default"
	// Hashed is a one-way hash written in the file (a bcrypt escape-hatch
	// password): not the secret, but a commit is needed to change it.
	Hashed Source = "hashed"
	// Encrypted is a Jenkins-encrypted {AQAAAB…} blob: it decrypts only
	// with this controller's key, and a commit is needed to rotate it.
	Encrypted Source = "encrypted"
	// Environment is a JCasC variable, ${VAR} or ${env:VAR}: the
	// controller's environment, or a secret source plugin, gives its value.
	Environment Source = "environment"
	// SecretFile is ${readFile:…} / ${file:…} (or a file on the
	// controller): a Kubernetes or Docker secret mounted as a file.
	SecretFile Source = "secret-file"
	// Vault is HashiCorp Vault: a Vault credential kind, or a ${vault:…}
	// lookup.
	Vault Source = "vault"
	// AWSSecretsManager is an AWS Secrets Manager lookup.
	AWSSecretsManager Source = "aws-secrets-manager"
	// AWSParameterStore is an AWS Systems Manager parameter lookup.
	AWSParameterStore Source = "aws-ssm"
	// IDToken is a short-lived id token the controller signs for each
	// build (the oidc-provider plugin's idToken and idTokenFile): nothing to
	// store or rotate.
	IDToken Source = "id-token"
	// Template is filled in by another templating layer ({{ .Values.x }}).
	Template Source = "template"
	// None is no secret value at all: a public client (clientSecret: none),
	// a placeholder, an empty field, a credential kind without a secret.
	None Source = "none"
)

// Rotatable reports whether a secret from s can be replaced without a
// commit to the repository.
func (s Source) Rotatable() bool {
	switch s {
	case Environment, SecretFile, Vault, AWSSecretsManager, AWSParameterStore, IDToken, Template:
		return true
	}
	return false
}

// InFile reports whether the value itself lives in the file, so that the
// last commit of its line is its last rotation.
func (s Source) InFile() bool {
	switch s {
	case Literal, LiteralDefault, Hashed, Encrypted:
		return true
	}
	return false
}

// Managed reports whether s is a managed secret store (what
// static-secret-source recommends over environment variables and literals).
func (s Source) Managed() bool {
	switch s {
	case SecretFile, Vault, AWSSecretsManager, AWSParameterStore:
		return true
	}
	return false
}

// rank orders sources from the most exposed to the least: a row takes
// the most exposed source of its fields.
func (s Source) rank() int {
	switch s {
	case Literal:
		return 0
	case LiteralDefault:
		return 1
	case Hashed:
		return 2
	case Encrypted:
		return 3
	case Environment:
		return 4
	case Template:
		return 5
	case SecretFile:
		return 6
	case AWSSecretsManager, AWSParameterStore, Vault:
		return 7
	case IDToken:
		return 8
	}
	return 9
}

// Describe names a source for people.
func (s Source) Describe() string {
	switch s {
	case Literal:
		return "a literal in the file"
	case LiteralDefault:
		return "the literal default of a variable"
	case Hashed:
		return "a hash in the file"
	case Encrypted:
		return "a Jenkins-encrypted blob in the file"
	case Environment:
		return "an environment variable"
	case SecretFile:
		return "a secret file"
	case Vault:
		return "HashiCorp Vault"
	case AWSSecretsManager:
		return "AWS Secrets Manager"
	case AWSParameterStore:
		return "AWS Systems Manager Parameter Store"
	case IDToken:
		return "a short-lived id token"
	case Template:
		return "a template value"
	}
	return "no secret value"
}

// ClassifyAt is Classify for a value written at place p of f: a value that
// f's container fills in with its own template language (Terraform's ${…}
// in a heredoc, which Terraform renders before JCasC reads the document)
// is a Template, whatever it looks like to JCasC.
func ClassifyAt(f *source.File, p tree.Place, v string, placeholders []string) (src Source, ref string) {
	if f != nil && f.Embed != nil && len(f.Embed.Rendered) > 0 && p.Line > 0 {
		start, end := f.Offset(int(p.Line), int(p.Col)), f.Offset(int(p.EndLine), int(p.EndCol))
		if f.Embed.RenderedIn(start, max(end, start+1)) {
			return Template, ""
		}
	}
	return Classify(v, placeholders)
}

// Classify tells where the value v of a secret field comes from, and the
// reference it names when it is one (${OIDC_CLIENT_SECRET},
// ${readFile:/run/secrets/oidc}): never a literal, a default or an
// encrypted blob, so ref can be shown.
func Classify(v string, placeholders []string) (src Source, ref string) {
	switch secrets.ClassifyField(v, placeholders) {
	case secrets.Empty, secrets.Placeholder:
		return None, ""
	case secrets.Plain:
		return Literal, ""
	case secrets.Hashed:
		return Hashed, ""
	case secrets.Encrypted:
		return Encrypted, ""
	case secrets.LiteralInReference:
		return LiteralDefault, ""
	}
	t := strings.TrimSpace(v)
	if strings.HasPrefix(t, "{{") {
		return Template, ""
	}
	inner, whole := onlyReference(t)
	if inner == "" {
		return Environment, "" // $VAR, Groovy ${env.X}, mixed text
	}
	src = lookupSource(inner, 0)
	if whole {
		ref = "${" + dropDefault(inner) + "}"
		if !plainRef(ref) {
			ref = "" // quoted text or a call inside: it may hold the secret itself
		}
	}
	return src, ref
}

// plainRef reports whether a reference is names and paths only (${VAR},
// ${readFile:/run/secrets/x}, ${vault:secret/ci#key}), safe to print: one
// with quotes, spaces, commas or parentheses (${coalesce(x, "literal")})
// is not shown, as what it holds may be the secret.
func plainRef(ref string) bool {
	return !strings.ContainsAny(ref, "\"'`(), \t\n")
}

// onlyReference returns the text inside the first ${…} of t, and whether t
// is nothing but that reference.
func onlyReference(t string) (inner string, whole bool) {
	i := strings.Index(t, "${")
	if i < 0 {
		return "", false
	}
	end := matchBrace(t, i+1)
	if end < 0 {
		return "", false
	}
	return t[i+2 : end], i == 0 && end == len(t)-1
}

// matchBrace returns the index of the } closing the { at open, or -1.
func matchBrace(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// dropDefault cuts a ${VAR:-default}'s default (only a placeholder one
// reaches here, but it is not the reference).
func dropDefault(inner string) string {
	if i := strings.Index(inner, ":-"); i >= 0 && !strings.Contains(inner[:i], "${") {
		return inner[:i]
	}
	return inner
}

// lookupSource tells the source of a reference's inside: a lookup
// (readFile:, json:key:${…}, decodeBase64:${…}, aws:secretsmanager:…) or a
// variable name.
func lookupSource(inner string, depth int) Source {
	prefix, rest, ok := strings.Cut(inner, ":")
	if !ok || strings.HasPrefix(rest, "-") {
		return Environment // ${VAR}, ${VAR:-default}
	}
	switch strings.ToLower(prefix) {
	case "readfile", "file", "filebase64", "readfilebase64":
		return SecretFile
	case "env", "sysprop":
		return Environment
	case "vault":
		return Vault
	case "aws", "arn":
		l := strings.ToLower(rest)
		switch {
		case strings.Contains(l, "secretsmanager"):
			return AWSSecretsManager
		case strings.Contains(l, "ssm"):
			return AWSParameterStore
		}
		return Environment
	case "json", "decodebase64", "base64", "trim":
		if i := strings.Index(rest, "${"); i >= 0 && depth < 8 {
			if end := matchBrace(rest, i+1); end > 0 {
				return lookupSource(rest[i+2:end], depth+1)
			}
		}
	}
	return Environment
}
