package rules

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/suggest"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/secrets"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

func init() { registerFile("committed-secret", checkCommittedSecrets) }

// checkCommittedSecrets finds secrets written in a file: plain-text values
// of secret-named fields in YAML/JSON documents (JCasC clientSecret,
// escape-hatch secret, credential passwords and keys, plugin tokens), and
// known token formats anywhere in the text (comments included).
func checkCommittedSecrets(in FileInput, out *FileResult) {
	f := in.File
	var taken [][2]int
	overlaps := func(s, e int) bool {
		for _, t := range taken {
			if s < t[1] && t[0] < e {
				return true
			}
		}
		return false
	}
	for _, root := range in.Docs {
		for _, kv := range kubernetesSecretData(root) {
			start, end, ok := scalarSpan(f, kv[1])
			if !ok || overlaps(start, end) {
				continue
			}
			what, found := encodedSecret(kv[0].Value, kv[1].Value)
			out.Secrets = append(out.Secrets, [2]int{start, end}) // encoded or not, masked
			if !found {
				continue
			}
			taken = append(taken, [2]int{start, end})
			out.Findings = append(out.Findings, report.Finding{
				Pos: f.PosAt(start), End: f.PosAt(end),
				Message: fmt.Sprintf("data.%s of a Kubernetes Secret holds %s, only base64-encoded (REDACTED): base64 is not encryption; revoke it, and keep the Secret out of the repository (External Secrets, Sealed Secrets, SOPS)",
					kv[0].Value, what),
			})
		}
	}
	for _, root := range in.Docs {
		walkSecretFields(root, func(parent, key, val *yaml.Node, encryptedParent, maskOnly bool) {
			start, end, ok := scalarSpan(f, val)
			if !ok {
				return
			}
			// Every value of a secret field is masked, whatever it is judged
			// to be: masking a placeholder costs nothing, missing a secret
			// that looks like one would leak it.
			out.Secrets = append(out.Secrets, [2]int{start, end})
			if maskOnly || overlaps(start, end) {
				return // a Kubernetes Secret's data, judged above
			}
			class := secrets.ClassifyField(val.Value, in.Config.Placeholders)
			if class == secrets.Plain && f.Kind != source.JCasC && (!secrets.Plausible(val.Value) || encryptedParent) {
				// In other programs' configuration a secret-named field
				// often names a secret (existingSecret: app-db-credentials)
				// or holds an encrypted one (SealedSecret encryptedData):
				// only a value shaped like a secret counts. An encrypted value
				// is left alone by the text scan below too; others still meet
				// its known token formats.
				if encryptedParent || strings.HasPrefix(val.Value, "ENC[") {
					taken = append(taken, [2]int{start, end})
				}
				return
			}
			switch class {
			case secrets.Plain:
				taken = append(taken, [2]int{start, end})
				name := envName(parent, key.Value)
				fd := report.Finding{
					Pos: f.PosAt(start), End: f.PosAt(end),
					Message: fmt.Sprintf("%s holds a plain-text secret (%s) committed with the file: revoke it, and load it from a JCasC secret source such as ${%s} (environment, Docker/Kubernetes secret file, Vault)",
						key.Value, secrets.Redact(val.Value), name),
				}
				if f.Kind == source.JCasC {
					// only JCasC resolves ${NAME}: in another program's
					// configuration the fix would break it
					fd.Fix = replaceScalar(f, val, "${"+name+"}", "load the secret from ${"+name+"}")
				} else {
					fd.Message = fmt.Sprintf("%s holds a plain-text secret (%s) committed with the file: revoke it, and have the program read it from the environment or a secret store",
						key.Value, secrets.Redact(val.Value))
				}
				out.Findings = append(out.Findings, fd)
			case secrets.LiteralInReference:
				ls, le, ok := secrets.CommittedLiteral(val.Value)
				if !ok || val.Style == yaml.LiteralStyle || val.Style == yaml.FoldedStyle {
					return
				}
				s, e := start+ls, start+le
				if string(f.Data[start:end]) != val.Value {
					s, e = start, end // escapes: point at the whole value
				}
				taken = append(taken, [2]int{s, e})
				out.Findings = append(out.Findings, report.Finding{
					Pos: f.PosAt(s), End: f.PosAt(e),
					Message: fmt.Sprintf("%s commits a literal (%s) inside a reference: a ${VAR:-default} default or a ${base64:…} argument is written in the file, not looked up; drop the literal",
						key.Value, secrets.Redact(val.Value[ls:le])),
				})
			case secrets.Encrypted:
				taken = append(taken, [2]int{start, end})
				out.Findings = append(out.Findings, report.Finding{
					Severity: report.Note,
					Pos:      f.PosAt(start), End: f.PosAt(end),
					Message: fmt.Sprintf("%s holds a Jenkins-encrypted secret: it decrypts with this controller's key (anyone with the key or a copy of JENKINS_HOME reads it); prefer a secret source such as ${%s}",
						key.Value, envName(parent, key.Value)),
				})
			}
		})
	}
	for _, m := range secrets.Scan(f.Data) {
		if overlaps(m.Start, m.End) {
			continue
		}
		taken = append(taken, [2]int{m.Start, m.End})
		out.Secrets = append(out.Secrets, [2]int{m.Start, m.End})
		out.Findings = append(out.Findings, report.Finding{
			Pos: f.PosAt(m.Start), End: f.PosAt(m.End),
			Message: fmt.Sprintf("%s (%s) committed in the file: revoke it, then load it from a credential or secret store",
				m.Description, secrets.Redact(string(f.Data[m.Start:m.End]))),
		})
	}
}

// walkSecretFields calls fn for every scalar value of a secret-named key (or
// a near miss of one); encrypted is set under a key that names encrypted
// data (a SealedSecret's encryptedData), maskOnly for a near miss whose value
// is to be masked but not judged.
func walkSecretFields(root *yaml.Node, fn func(parent, key, val *yaml.Node, encrypted, maskOnly bool)) {
	budget := tree.MaxNodes
	var walk func(n *yaml.Node, depth int, encrypted bool)
	walk = func(n *yaml.Node, depth int, encrypted bool) {
		budget--
		if n == nil || depth > 500 || budget < 0 {
			return
		}
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if secretValue(v) {
					if secrets.IsSecretName(k.Value) {
						fn(n, k, v, encrypted, false)
					} else if report, mask := nearSecretField(k.Value); mask {
						fn(n, k, v, encrypted, !report)
					}
				}
				walk(v, depth+1, encrypted || strings.Contains(strings.ToLower(k.Value), "encrypted"))
			}
			return
		}
		for _, c := range n.Content {
			walk(c, depth+1, encrypted)
		}
	}
	walk(root, 0, false)
}

// kubernetesSecretData returns the key and value nodes of data: in a
// Kubernetes Secret manifest (kind: Secret), whose values are base64.
func kubernetesSecretData(root *yaml.Node) [][2]*yaml.Node {
	if root == nil || root.Kind != yaml.MappingNode {
		return nil
	}
	_, kind := tree.Get(root, "kind")
	if kind == nil || kind.Value != "Secret" {
		return nil
	}
	var out [][2]*yaml.Node
	for _, p := range tree.Pairs(tree.Lookup(root, "data")) {
		if p.Value != nil && p.Value.Kind == yaml.ScalarNode && p.Value.Value != "" {
			out = append(out, [2]*yaml.Node{p.Key, p.Value})
		}
	}
	return out
}

// encodedSecret decodes a Secret's base64 value and says what secret it
// holds: a known token format or private key, or, under a secret-named key,
// a value shaped like a secret.
func encodedSecret(key, value string) (string, bool) {
	dec, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(value), ""))
	if err != nil || len(dec) == 0 || bytes.IndexByte(dec, 0) >= 0 {
		return "", false
	}
	if ms := secrets.Scan(dec); len(ms) > 0 {
		return ms[0].Description, true
	}
	v := strings.TrimSpace(string(dec))
	if secrets.IsSecretName(key) && secrets.ClassifyField(v, nil) == secrets.Plain && secrets.Plausible(v) {
		return "a plain-text secret", true
	}
	return "", false
}

// secretValue reports whether a field's value can hold a secret: a string,
// or a long number (a numeric password or client secret); booleans and short
// numbers are switches and sizes.
func secretValue(v *yaml.Node) bool {
	if v.Kind != yaml.ScalarNode || v.Value == "" {
		return false
	}
	switch v.Tag {
	case "!!str":
		return true
	case "!!int", "!!float":
		return len(v.Value) >= 8
	}
	return false
}

// secretFields are JCasC's secret field names whose misspellings must still
// be treated as secret (jcasc-schema reports the typo and shows the line).
var secretFields = []string{"clientSecret", "escapeHatchSecret", "secretBytes", "privateKey", "secretKey", "passphrase", "uploadedKeystore", "password"}

// maskedFields are further secret words whose near misses are too short to
// report safely (secure, secrets…) but whose values are masked all the same.
var maskedFields = append([]string{"secret", "passwd", "token"}, secretFields...)

// nearSecretField tells whether name is a near miss of a secret field name
// (clientSecert, passwrod): report when its value is to be judged as a
// secret, mask when it is only to be kept out of every output. Every string
// field of every YAML and JSON document asks, and key names repeat, so the
// answers are remembered (up to a bound: keys may be generated).
func nearSecretField(name string) (report, mask bool) {
	if len(name) < 6 {
		return false, false
	}
	nearMu.Lock()
	v, ok := nearMemo[name]
	nearMu.Unlock()
	if ok {
		return v[0], v[1]
	}
	if len(name) >= 8 && suggest.Closest(name, secretFields) != "" {
		report, mask = true, true
	} else {
		mask = suggest.Closest(name, maskedFields) != ""
	}
	nearMu.Lock()
	if len(nearMemo) < 10000 {
		nearMemo[name] = [2]bool{report, mask}
	}
	nearMu.Unlock()
	return report, mask
}

var (
	nearMu   sync.Mutex
	nearMemo = map[string][2]bool{}
)

// scalarSpan is the byte range of a scalar's text (inside its quotes; the
// whole block of a block scalar).
func scalarSpan(f *source.File, n *yaml.Node) (start, end int, ok bool) {
	if n.Line == 0 {
		return 0, 0, false
	}
	start = f.Offset(n.Line, n.Column)
	switch n.Style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		start = f.Offset(n.Line+1, 1)
		indent := -1
		end = start
		for l := n.Line + 1; l <= f.LineCount(); l++ {
			line := f.Line(l)
			t := strings.TrimLeft(string(line), " ")
			if t == "" {
				continue
			}
			ind := len(line) - len(t)
			if indent < 0 {
				indent = ind
			}
			if ind < indent {
				break
			}
			end = f.Offset(l, 1) + len(line)
		}
		// start at the first content character
		for start < end && (f.Data[start] == ' ' || f.Data[start] == '\n' || f.Data[start] == '\r') {
			start++
		}
		return start, end, end > start
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		e := tree.End(f, n)
		end = f.Offset(e.Line, e.Col) - 1
		return start + 1, end, end > start+1
	}
	e := tree.End(f, n)
	end = f.Offset(e.Line, e.Col)
	return start, end, end > start
}

var nonWord = regexp.MustCompile(`[^A-Za-z0-9]+`)

// envName suggests a variable name for a secret: OIDC_CLIENT_SECRET for the
// realm's client secret, <ID>_<FIELD> for a credential with an id.
func envName(parent *yaml.Node, key string) string {
	switch key {
	case "clientSecret":
		return "OIDC_CLIENT_SECRET"
	case "escapeHatchSecret":
		return "OIDC_ESCAPE_HATCH_SECRET"
	}
	prefix := ""
	if id := tree.StrOf(parent, "id"); id.NonEmpty() && !tree.IsVariable(id.Value) {
		prefix = id.Value + "_"
	}
	return strings.ToUpper(strings.Trim(nonWord.ReplaceAllString(prefix+snake(key), "_"), "_"))
}

// snake turns camelCase into snake_case.
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' && i > 0 {
			b.WriteByte('_')
		}
		b.WriteRune(r)
	}
	return b.String()
}
