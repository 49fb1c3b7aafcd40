package secrets

import (
	"strings"
)

// ValueClass is what a value in a secret-named field is.
type ValueClass int

// Value classes, from Classify.
const (
	// Plain is a literal written in the file: a committed secret.
	Plain ValueClass = iota
	// Reference is resolved elsewhere at run time: ${VAR}, ${env:X},
	// ${readFile:/run/secrets/x}, ${decodeBase64:${VAR}}, {{ .Values.x }},
	// $VAR, Groovy ${env.X}, and JCasC's escaped ^${X} (the text ${X} itself).
	Reference
	// Placeholder is an obvious stand-in: changeme, <client-secret>, xxx, none…
	Placeholder
	// Encrypted is a Jenkins secret blob {AQAAABAAAA…}: it decrypts with the
	// controller's key, so it is not plain text but is still tied to one controller.
	Encrypted
	// Empty is nothing at all.
	Empty
	// LiteralInReference looks like a reference but commits a literal:
	// ${VAR:-literal} defaults, ${base64:literal}, ${decodeBase64:literal}.
	LiteralInReference
)

// String names the class.
func (c ValueClass) String() string {
	switch c {
	case Plain:
		return "plain"
	case Reference:
		return "reference"
	case Placeholder:
		return "placeholder"
	case Encrypted:
		return "encrypted"
	case Empty:
		return "empty"
	case LiteralInReference:
		return "literal-in-reference"
	}
	return "unknown"
}

// Classify tells what the value v of a secret-named field (a JCasC
// clientSecret, a credential's password, a variable named TOKEN…) is. Matching
// against extraPlaceholders ignores case and surrounding space.
//
// A value mixing references and literal text (Bearer ${TOKEN}) is a Reference:
// the secret part comes from elsewhere.
func Classify(v string, extraPlaceholders []string) ValueClass {
	c, _, _ := classify(v, extraPlaceholders)
	return c
}

// weakPasswords are real passwords people commit (and attackers try
// first): in free text they are usually examples, in a secret field of a
// configuration they are the password in use.
var weakPasswords = map[string]bool{
	"s3cr3t": true, "secret123": true, "password123": true, "pa$$word": true,
	"p@ssw0rd": true, "p@ssword": true, "passw0rd": true, "123456": true,
	"qwerty": true, "letmein": true, "abc123": true,
}

// ClassifyField classifies the value of a secret field (a JCasC password,
// clientSecret…): like Classify, except that a well-known weak password is
// Plain there, not a placeholder.
func ClassifyField(v string, extraPlaceholders []string) ValueClass {
	c := Classify(v, extraPlaceholders)
	if c == Placeholder && weakPasswords[strings.ToLower(strings.TrimSpace(v))] {
		return Plain
	}
	return c
}

// CommittedLiteral returns the byte range v[start:end] of the literal that a
// LiteralInReference value commits: the default of ${VAR:-literal}, the
// argument of ${base64:literal}. ok is false for any other class.
func CommittedLiteral(v string) (start, end int, ok bool) {
	c, s, e := classify(v, nil)
	if c != LiteralInReference {
		return 0, 0, false
	}
	return s, e, true
}

func classify(v string, extra []string) (ValueClass, int, int) {
	lo, hi := 0, len(v)
	for lo < hi && isSpaceOrNL(v[lo]) {
		lo++
	}
	for hi > lo && isSpaceOrNL(v[hi-1]) {
		hi--
	}
	t := v[lo:hi]
	if t == "" || t == `""` || t == `''` {
		return Empty, 0, 0
	}
	if c, s, e, found := classifyRefs(v, lo, hi, extra, 0); found {
		return c, s, e
	}
	if isEncrypted(t) {
		return Encrypted, 0, 0
	}
	if isPlaceholder(t, extra) {
		return Placeholder, 0, 0
	}
	return Plain, 0, 0
}

func isSpaceOrNL(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// lookups of JCasC (commons-text and its own) that read a secret source.
var sourceLookups = map[string]bool{
	"readfile": true, "file": true, "filebase64": true, "readfilebase64": true,
	"sysprop": true, "env": true,
}

// transformLookups of JCasC transform their argument; a literal argument is
// committed.
var transformLookups = map[string]bool{
	"base64": true, "decodebase64": true, "trim": true,
}

// classifyRefs looks for references in v[lo:hi]. found is false when there is
// none. depth bounds the recursion on nested ${…}.
func classifyRefs(v string, lo, hi int, extra []string, depth int) (ValueClass, int, int, bool) {
	t := v[lo:hi]
	if strings.HasPrefix(t, "{{") && strings.HasSuffix(t, "}}") {
		return Reference, 0, 0, true
	}
	found := false
	i := lo
	for i < hi {
		c := v[i]
		switch {
		case c == '$' && i+1 < hi && v[i+1] == '{':
			end := matchBrace(v, i+1, hi)
			if end < 0 {
				i++
				continue
			}
			escaped := i > lo && v[i-1] == '^'
			found = true
			if !escaped && depth < 8 {
				if cl, s, e := classifyExpr(v, i+2, end, extra, depth); cl == LiteralInReference {
					return cl, s, e, true
				}
			}
			i = end + 1
		case c == '$' && i+1 < hi && (isUpper(v[i+1]) || isLower(v[i+1]) || v[i+1] == '_') &&
			(i == lo || !isAlnum(v[i-1])):
			// Shell $VAR, at the start or after a separator (not inside Xk9$mQ).
			found = true
			i++
			for i < hi && isWordChr(v[i]) {
				i++
			}
		case c == '{' && i+1 < hi && v[i+1] == '{':
			end := strings.Index(v[i:hi], "}}")
			if end < 0 {
				i++
				continue
			}
			found = true
			i += end + 2
		case c == '^' && i+1 < hi && v[i+1] == '$':
			i++
		default:
			i++
		}
	}
	if !found {
		return Plain, 0, 0, false
	}
	return Reference, 0, 0, true
}

// matchBrace returns the index of the '}' closing the '{' at v[open], or -1.
func matchBrace(v string, open, hi int) int {
	d := 0
	for i := open; i < hi; i++ {
		switch v[i] {
		case '{':
			d++
		case '}':
			d--
			if d == 0 {
				return i
			}
		}
	}
	return -1
}

// classifyExpr judges the body v[s:e] of one ${…}.
func classifyExpr(v string, s, e int, extra []string, depth int) (ValueClass, int, int) {
	body := v[s:e]
	// ${VAR:-default}: the default is committed.
	if k := indexDepth0(body, ":-"); k >= 0 {
		ds, de := s+k+2, e
		return judgeArg(v, ds, de, extra, depth)
	}
	if k := indexDepth0(body, ":"); k > 0 {
		name := strings.ToLower(strings.TrimSpace(body[:k]))
		switch {
		case sourceLookups[name]:
			return Reference, 0, 0
		case transformLookups[name]:
			return judgeArg(v, s+k+1, e, extra, depth)
		case name == "json":
			// ${json:key:<json text>}
			rest := body[k+1:]
			if k2 := indexDepth0(rest, ":"); k2 >= 0 {
				return judgeArg(v, s+k+1+k2+1, e, extra, depth)
			}
		}
	}
	return Reference, 0, 0
}

// judgeArg decides about a literal-or-reference argument v[s:e]: a reference,
// empty or placeholder argument commits nothing.
func judgeArg(v string, s, e int, extra []string, depth int) (ValueClass, int, int) {
	for s < e && isSpaceOrNL(v[s]) {
		s++
	}
	for e > s && isSpaceOrNL(v[e-1]) {
		e--
	}
	if s >= e {
		return Reference, 0, 0
	}
	if c, ls, le, found := classifyRefs(v, s, e, extra, depth+1); found {
		return c, ls, le
	}
	if isPlaceholder(v[s:e], extra) {
		return Reference, 0, 0
	}
	return LiteralInReference, s, e
}

// indexDepth0 finds sep in s outside nested ${…}.
func indexDepth0(s, sep string) int {
	d := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			d++
		case '}':
			d--
		default:
			if d == 0 && strings.HasPrefix(s[i:], sep) {
				return i
			}
		}
	}
	return -1
}

// isEncrypted recognises a Jenkins Secret blob: {base64}.
func isEncrypted(t string) bool {
	if len(t) < 26 || t[0] != '{' || t[len(t)-1] != '}' {
		return false
	}
	for i := 1; i < len(t)-1; i++ {
		if !isB64(t[i]) && t[i] != '=' {
			return false
		}
	}
	return true
}

var placeholderWords = map[string]bool{
	"changeme": true, "change-me": true, "change_me": true, "change me": true,
	"changeit": true, "change-it": true, "changethis": true, "change_this": true,
	"change-this": true, "replaceme": true, "replace-me": true, "replace_me": true,
	"replace me": true, "todo": true, "tbd": true, "fixme": true, "example": true,
	"sample": true, "dummy": true, "fake": true, "placeholder": true, "secret": true,
	"password": true, "passwd": true, "pass": true, "pwd": true, "token": true,
	"none": true, "null": true, "nil": true, "undefined": true, "n/a": true, "na": true,
	"test": true, "testing": true, "foo": true, "bar": true, "foobar": true, "baz": true,
	"redacted": true, "hidden": true, "masked": true, "empty": true, "blank": true,
	"notused": true, "not-used": true, "unused": true, "dummy-secret": true,
	"client-secret": true, "client_secret": true, "clientsecret": true,
	"my-secret": true, "mysecret": true, "mypassword": true, "my-password": true,
	"s3cr3t": true, "secret123": true, "password123": true, "pa$$word": true,
	"p@ssw0rd": true, "p@ssword": true, "passw0rd": true, "123456": true,
	"12345678": true, "qwerty": true, "letmein": true, "abc123": true,
	"~": true,
}

// isPlaceholder reports whether t (trimmed) is an obvious stand-in.
func isPlaceholder(t string, extra []string) bool {
	for _, e := range extra {
		if strings.EqualFold(strings.TrimSpace(e), t) {
			return true
		}
	}
	l := strings.ToLower(t)
	if placeholderWords[l] {
		return true
	}
	n := len(t)
	if n >= 2 {
		f, b := t[0], t[n-1]
		if (f == '<' && b == '>' && !strings.ContainsAny(t[1:n-1], "<>")) ||
			(f == '[' && b == ']') || (f == '%' && b == '%') ||
			(f == '{' && b == '}' && isIdent(t[1:n-1])) ||
			(f == '@' && b == '@') || (f == '#' && b == '#') {
			return true
		}
		if strings.HasPrefix(t, "__") && strings.HasSuffix(t, "__") {
			return true
		}
	}
	if strings.HasPrefix(t, "#{") && strings.Contains(t, "}") {
		return true
	}
	if strings.Contains(l, "example") || strings.Contains(l, "xxxx") ||
		strings.Contains(l, "12345678") || strings.Contains(l, "abcdef") ||
		strings.Contains(l, "****") || strings.Contains(l, "…") || strings.Contains(l, "...") ||
		strings.Contains(l, "%s") || strings.Contains(l, "%(") {
		return true
	}
	// One character repeated: xxx, ****, 00000000, aaaaaaaa.
	if n >= 3 && strings.Count(t, t[:1]) == n {
		return true
	}
	// your-client-secret, insert_token_here, <your token>, secret-goes-here.
	if isWordish(l) {
		for _, p := range []string{"your", "my-", "my_", "insert", "enter", "put-", "put_", "replace", "change", "dummy", "fake", "sample", "test-", "test_"} {
			if strings.HasPrefix(l, p) {
				return true
			}
		}
		if strings.HasSuffix(l, "here") || strings.HasSuffix(l, "goes") {
			return true
		}
	}
	return false
}

// isWordish reports whether s holds only letters, '-', '_' and spaces.
func isWordish(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isUpper(c) || isLower(c) || c == '-' || c == '_' || c == ' ') {
			return false
		}
	}
	return true
}

// isIdent reports whether s holds only letters, digits, '_', '-' and '.'.
func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isNameChr(s[i]) {
			return false
		}
	}
	return true
}
