package secrets

import (
	"bytes"
	"strings"
	"sync"
)

// IsSecretName reports whether a variable, field, flag or header name denotes
// a secret: password, passwd, DB_PASS, secret, clientSecret, escapeHatchSecret,
// token, GITHUB_TOKEN, apiKey, api_key, privateKey, secretKey, credentials,
// auth, Authorization, secretId (Vault AppRole)…
//
// Names that describe a secret without holding one are not secret names:
// credentialsId, passwordVariable, tokenServerUrl, secretName, secretKeyRef,
// passwordFile, token_endpoint_auth_method, publicKey, csrfToken, maxTokens,
// passwordLength, isSecret… The name is split into words (camelCase, snake_case,
// kebab-case, dotted, and run-together stems like DBPASSWORD); it is a secret
// name when it holds a secret word, no word before it negates it (is, has, use,
// public, csrf, max…) and no word after it turns it into metadata (id, name,
// url, file, variable, type, length, ref…). A dotted name is judged by its last
// segment, and when that is no secret name by all its segments as words
// (aws.secret.access.key). Pagination words (next, page, sync, continuation,
// cancel) negate only a following token: syncToken is not a secret name,
// SYNC_PASSWORD is.
func IsSecretName(name string) bool {
	return isSecretName([]byte(name))
}

// quickStem is the cheap first test of the scanner: does the name contain a
// stem any secret word starts with?
func quickStem(name []byte) bool {
	for i := 0; i+3 <= len(name); i++ {
		switch lower(name[i]) {
		case 'p':
			c1, c2 := lower(name[i+1]), lower(name[i+2])
			if (c1 == 'a' && (c2 == 's' || c2 == 't')) || (c1 == 'w' && c2 == 'd') {
				return true
			}
		case 's':
			if lower(name[i+1]) == 'e' && lower(name[i+2]) == 'c' {
				return true
			}
		case 't':
			if lower(name[i+1]) == 'o' && lower(name[i+2]) == 'k' {
				return true
			}
		case 'k':
			if lower(name[i+1]) == 'e' && lower(name[i+2]) == 'y' {
				return true
			}
		case 'c':
			if lower(name[i+1]) == 'r' && lower(name[i+2]) == 'e' {
				return true
			}
		case 'a':
			if lower(name[i+1]) == 'u' && lower(name[i+2]) == 't' {
				return true
			}
		case 'b':
			if lower(name[i+1]) == 'e' && lower(name[i+2]) == 'a' {
				return true
			}
		}
	}
	return false
}

// secretWords are whole words that make a name secret.
func secretWords(s string) bool {
	switch s {
	case "password", "passwd", "passphrase", "pwd", "pass", "secret",
		"secrets", "token", "tokens", "credential", "credentials", "creds",
		"cred", "auth", "authorization", "bearer", "pat", "apikey",
		"privatekey", "secretkey", "accesskey", "authkey", "sshkey", "signingkey",
		"encryptionkey", "masterkey", "clientsecret", "apitoken", "authtoken", "accesstoken":
		return true
	}
	return false
}

// stems are secret words found inside run-together words (DBPASSWORD,
// githubtoken, tokenurl), longest first.
var stems = []string{
	"encryptionkey", "credentials", "privatekey", "passphrase", "signingkey",
	"credential", "accesskey", "masterkey", "secretkey", "password", "apikey",
	"passwd", "secret", "sshkey", "authkey", "token",
}

var stemBytes = sync.OnceValue(func() [][]byte {
	out := make([][]byte, len(stems))
	for i, s := range stems {
		out[i] = []byte(s)
	}
	return out
})

// keyPrefixes turn a following "key" into a secret word: apiKey, secret_key.
func keyPrefixes(s string) bool {
	switch s {
	case "api", "access", "secret", "private", "encryption", "signing",
		"sign", "master", "auth", "client", "ssh", "gpg",
		"pgp", "deploy", "hmac", "jwt", "shared", "account",
		"storage", "app", "consumer", "service", "webhook", "session",
		"crypt", "cipher", "aes", "license", "subscription", "admin",
		"root", "decryption", "crypto", "repo", "registry":
		return true
	}
	return false
}

// negators before the secret word: isSecret, publicKey, csrfToken, maxTokens.
func negators(s string) bool {
	switch s {
	case "is", "has", "use", "uses", "show", "allow",
		"allows", "require", "requires", "enable", "enabled", "disable",
		"disabled", "should", "can", "with", "public", "pub",
		"csrf", "xsrf", "no", "skip", "ignore", "forgot",
		"hide", "num", "number", "max", "min", "total",
		"count", "missing", "invalid", "empty", "generate", "remember",
		"save", "get", "set", "lexer", "parse", "input":
		return true
	}
	return false
}

// tokenNegators turn only a following token into something else: a
// pagination or cancellation handle (nextPageToken, syncToken,
// cancellationToken), while SYNC_PASSWORD or next_secret stay secret names.
func tokenNegators(s string) bool {
	switch s {
	case "next", "page", "continuation", "sync", "cancel", "cancellation",
		"delta", "resume":
		return true
	}
	return false
}

// describers after the secret word: credentialsId, tokenServerUrl, secretName.
func describers(s string) bool {
	switch s {
	case "id", "ids", "name", "names", "variable", "variables",
		"var", "vars", "env", "url", "uri", "urls",
		"uris", "endpoint", "endpoints", "file", "files", "filename",
		"path", "paths", "dir", "directory", "location", "type",
		"types", "kind", "length", "len", "size", "min",
		"max", "count", "limit", "field", "fields", "header",
		"headers", "param", "params", "parameter", "parameters", "ref",
		"refs", "reference", "policy", "policies", "expiry", "expiration",
		"expires", "expire", "expired", "ttl", "timeout", "lifetime",
		"duration", "seconds", "secs", "sec", "minutes", "mins",
		"hours", "days", "ms", "millis", "validity", "hint",
		"prompt", "label", "description", "desc", "help", "text",
		"message", "msg", "title", "placeholder", "format", "pattern",
		"regex", "regexp", "mode", "method", "methods", "strategy",
		"class", "enabled", "enable", "disabled", "disable", "required",
		"supported", "alg", "algs", "algorithm", "algorithms", "hash",
		"hashed", "digest", "encoder", "generator", "helper", "validator",
		"validation", "provider", "providers", "manager", "store", "source",
		"sources", "template", "spec", "config", "configuration", "settings",
		"options", "option", "scope", "scopes", "audience", "issuer",
		"usage", "reset", "change", "changed", "less", "rotation",
		"rotate", "strength", "complexity", "chars", "charset", "prefix",
		"suffix", "lookup", "mapping", "selector", "form", "button",
		"dialog", "column", "attribute", "attr", "property", "holder",
		"version", "callback", "request", "response", "introspection", "revocation",
		"exchange", "host", "port", "username", "user", "login",
		"updated", "created", "check", "fingerprint", "thumbprint", "authentication",
		"through", "plugin", "binding", "bindings", "mount", "volume",
		"command", "script", "sha", "checksum", "words", "list",
		"email", "mail":
		return true
	}
	return false
}

// describerSuffixes end run-together remainders: tokenserverurl, passwordfile.
var describerSuffixes = []string{"id", "name", "url", "uri", "file", "path", "variable", "var", "type", "length", "ref", "endpoint", "policy", "manager", "store"}

// nameWord is one word of a name: buf[s:e] of the lower-cased name buffer.
type nameWord struct {
	s, e   uint8
	concat bool // a remainder cut out of a run-together word
}

// nameWords holds a name split into words; it lives on the stack.
type nameWords struct {
	buf [80]byte
	ws  [24]nameWord
	n   int
}

func (nw *nameWords) word(i int) []byte { w := nw.ws[i]; return nw.buf[w.s:w.e] }

func isSecretName(name []byte) bool {
	if len(name) == 0 || len(name) > 80 {
		return false
	}
	// A dotted name is judged by its last segment: env.PASSWORD, password.file;
	// when that alone is no secret name, by all its segments as words, with the
	// secret word still in the last segment, so that a phrase cut by dots
	// (aws.secret.access.key, jwt.signing.key) counts but token.realm does not.
	if d := lastIndexByte(name, '.'); d >= 0 {
		if judgeWords(name[d+1:], 0) {
			return true
		}
		return judgeWords(name, d+1)
	}
	return judgeWords(name, 0)
}

// judgeWords splits name into words and judges them; the secret word must
// start at or after byte from.
func judgeWords(name []byte, from int) bool {
	var nw nameWords
	nw.split(name)
	if nw.n == 0 {
		return false
	}
	k := -1
	for i := 0; i < nw.n; i++ {
		w := nw.word(i)
		if secretWords(string(w)) || (string(w) == "key" && i > 0 && keyPrefixes(string(nw.word(i-1)))) {
			k = i
		}
	}
	if k < 0 || int(nw.ws[k].s) < from {
		return false
	}
	pagination := string(nw.word(k)) == "token" || string(nw.word(k)) == "tokens"
	for i := 0; i < k; i++ {
		w := nw.word(i)
		if negators(string(w)) || (pagination && tokenNegators(string(w))) {
			return false
		}
	}
	// secret_id / secretId is the Vault AppRole secret, not an identifier.
	if k == nw.n-2 && string(nw.word(k)) == "secret" && string(nw.word(k+1)) == "id" {
		return true
	}
	for i := k + 1; i < nw.n; i++ {
		w := nw.word(i)
		if describers(string(w)) {
			return false
		}
		if nw.ws[i].concat {
			// tokenizer, secretary: another word that only starts like a secret.
			if bytes.HasPrefix(w, []byte("iz")) || bytes.HasPrefix(w, []byte("ar")) {
				return false
			}
			for _, s := range describerSuffixes {
				if bytes.HasSuffix(w, []byte(s)) {
					return false
				}
			}
		}
	}
	return true
}

func lastIndexByte(b []byte, c byte) int {
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == c {
			return i
		}
	}
	return -1
}

// split cuts name into lower-case words; digits are dropped.
func (nw *nameWords) split(name []byte) {
	for i, c := range name {
		nw.buf[i] = lower(c)
	}
	i := 0
	for i < len(name) && nw.n < len(nw.ws) {
		c := name[i]
		switch {
		case isDigit(c) || !isAlnum(c):
			i++
		case isUpper(c):
			j := i
			for j < len(name) && isUpper(name[j]) {
				j++
			}
			switch {
			case j-i == 1:
				for j < len(name) && isLower(name[j]) {
					j++
				}
			case j < len(name) && isLower(name[j]):
				j-- // "APIKey": "API", then "Key"
			}
			nw.add(i, j)
			i = j
		default:
			j := i
			for j < len(name) && isLower(name[j]) {
				j++
			}
			nw.add(i, j)
			i = j
		}
	}
}

func (nw *nameWords) push(s, e int, concat bool) {
	if nw.n < len(nw.ws) && s < e {
		nw.ws[nw.n] = nameWord{s: uint8(s), e: uint8(e), concat: concat}
		nw.n++
	}
}

// add appends the word buf[s:e], cutting a run-together word around a stem.
func (nw *nameWords) add(s, e int) {
	w := nw.buf[s:e]
	if secretWords(string(w)) {
		nw.push(s, e, false)
		return
	}
	for _, st := range stemBytes() {
		k := bytes.Index(w, st)
		if k < 0 {
			continue
		}
		nw.push(s, s+k, true)
		nw.push(s+k, s+k+len(st), false)
		nw.push(s+k+len(st), e, true)
		return
	}
	nw.push(s, e, false)
}

// IsSecretWord reports whether name, as a whole, is one secret word
// (password, PASSWORD, client_secret, clientSecret, api-key, apiToken,
// privateKey, secretKey, passphrase, token), ignoring case, '-' and '_' and
// a dotted prefix (spring.datasource.password). Such a field holds one
// secret, so whatever it holds, a list or a map included, is the secret;
// usernamePassword, idToken or credentials name structures that contain one.
func IsSecretWord(name string) bool {
	if d := strings.LastIndexByte(name, '.'); d >= 0 {
		name = name[d+1:]
	}
	if len(name) > 40 {
		return false
	}
	var buf [40]byte
	n := 0
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '-' || c == '_' {
			continue
		}
		buf[n] = lower(c)
		n++
	}
	w := string(buf[:n])
	return secretWords(w) && !containerWords(w) || w == "secretkey" || w == "clientsecret"
}

// containerWords are secret words that name collections or structures.
func containerWords(s string) bool {
	switch s {
	case "credentials", "credential", "creds", "cred", "secrets", "tokens",
		"auth", "authorization":
		return true
	}
	return false
}
