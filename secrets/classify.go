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
	// Hashed is a one-way password hash (bcrypt $2a$…, argon2 $argon2id$…,
	// PBKDF2 pbkdf2_sha256$…, SHA-crypt $6$…, #jbcrypt:…, {SSHA}…): what a
	// password should be stored as, not the password itself.
	Hashed
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
	case Hashed:
		return "hashed"
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
	c, _, _ := classify(v, classOpts{extra: extraPlaceholders})
	return c
}

// classOpts are the settings of one classification.
type classOpts struct {
	extra []string
	// field is set for the value of a secret field of a configuration (a
	// JCasC password, clientSecret…): see ClassifyField.
	field bool
}

// weakPasswords are real passwords people commit (and attackers try
// first): in free text they are usually examples, in a secret field of a
// configuration they are the password in use.
func weakPasswords(s string) bool {
	switch s {
	case "s3cr3t", "secret123", "password123", "pa$$word", "p@ssw0rd", "p@ssword",
		"passw0rd", "123456", "qwerty", "letmein", "abc123":
		return true
	}
	return false
}

// weakDefaults are the stand-ins that, written as the default of a
// ${VAR:-default} in a secret field, are well-known weak passwords: the
// controller runs with them whenever VAR is unset, and they are the first
// an attacker tries. (A bare changeme is a blank to fill in; a default is
// the value in use.)
func weakDefaults(s string) bool {
	switch s {
	case "changeme", "change-me", "change_me", "changeit", "change-it", "changethis",
		"secret", "password", "passwd", "pass", "pwd", "test",
		"testing", "12345678", "mysecret", "my-secret", "mypassword", "my-password",
		"admin", "root", "jenkins", "default", "guest", "welcome":
		return true
	}
	return false
}

// IsWeakPassword reports whether v is a well-known weak password or default
// (password123, P@ssw0rd, admin, changeme, changeit, secret…), ignoring
// case and surrounding space.
func IsWeakPassword(v string) bool {
	l := strings.ToLower(strings.TrimSpace(v))
	return weakPasswords(l) || weakDefaults(l)
}

// ClassifyField classifies the value of a secret field (a JCasC password,
// clientSecret…): like Classify, except that a well-known weak password is
// Plain there, not a placeholder, and that the default of ${VAR:-default}
// is a committed literal when it is a weak password (${PW:-changeme},
// ${PW:-admin}): the controller runs with it whenever VAR is unset. Other
// placeholder defaults (${PW:-<password>}, ${PW:-none}) commit nothing.
func ClassifyField(v string, extraPlaceholders []string) ValueClass {
	c, _, _ := classify(v, classOpts{extra: extraPlaceholders, field: true})
	if c == Placeholder && weakPasswords(strings.ToLower(strings.TrimSpace(v))) {
		return Plain
	}
	return c
}

// CommittedLiteral returns the byte range v[start:end] of the literal that a
// LiteralInReference value commits: the default of ${VAR:-literal}, the
// argument of ${base64:literal}. ok is false for any other class.
func CommittedLiteral(v string) (start, end int, ok bool) {
	return committed(v, classOpts{})
}

// FieldLiteral is CommittedLiteral under ClassifyField's rules: the weak
// default of ${PW:-changeme} is committed too.
func FieldLiteral(v string, extraPlaceholders []string) (start, end int, ok bool) {
	return committed(v, classOpts{extra: extraPlaceholders, field: true})
}

func committed(v string, o classOpts) (int, int, bool) {
	c, s, e := classify(v, o)
	if c != LiteralInReference {
		return 0, 0, false
	}
	return s, e, true
}

func classify(v string, o classOpts) (ValueClass, int, int) {
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
	if isPasswordHash(t) {
		return Hashed, 0, 0
	}
	if c, s, e, found := classifyRefs(v, lo, hi, o, 0); found {
		return c, s, e
	}
	if isEncrypted(t) {
		return Encrypted, 0, 0
	}
	if isPlaceholder(t, o.extra) {
		return Placeholder, 0, 0
	}
	return Plain, 0, 0
}

func isSpaceOrNL(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// lookups of JCasC (commons-text and its own) that read a secret source.
func sourceLookups(s string) bool {
	switch s {
	case "readfile", "file", "filebase64", "readfilebase64", "sysprop", "env":
		return true
	}
	return false
}

// transformLookups of JCasC transform their argument; a literal argument is
// committed.
func transformLookups(s string) bool {
	switch s {
	case "base64", "decodebase64", "trim":
		return true
	}
	return false
}

// classifyRefs looks for references in v[lo:hi]. found is false when there is
// none. depth bounds the recursion on nested ${…}.
func classifyRefs(v string, lo, hi int, o classOpts, depth int) (ValueClass, int, int, bool) {
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
				if cl, s, e := classifyExpr(v, i+2, end, o, depth); cl == LiteralInReference {
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
func classifyExpr(v string, s, e int, o classOpts, depth int) (ValueClass, int, int) {
	body := v[s:e]
	// ${VAR:-default}: the default is committed.
	if k := indexDepth0(body, ":-"); k >= 0 {
		ds, de := s+k+2, e
		return judgeArg(v, ds, de, o, depth)
	}
	if k := indexDepth0(body, ":"); k > 0 {
		name := strings.ToLower(strings.TrimSpace(body[:k]))
		switch {
		case sourceLookups(name):
			return Reference, 0, 0
		case transformLookups(name):
			return judgeArg(v, s+k+1, e, o, depth)
		case name == "json":
			// ${json:key:<json text>}
			rest := body[k+1:]
			if k2 := indexDepth0(rest, ":"); k2 >= 0 {
				return judgeArg(v, s+k+1+k2+1, e, o, depth)
			}
		}
	}
	return Reference, 0, 0
}

// judgeArg decides about a literal-or-reference argument v[s:e]: a reference,
// empty or placeholder argument commits nothing.
func judgeArg(v string, s, e int, o classOpts, depth int) (ValueClass, int, int) {
	for s < e && isSpaceOrNL(v[s]) {
		s++
	}
	for e > s && isSpaceOrNL(v[e-1]) {
		e--
	}
	if s >= e {
		return Reference, 0, 0
	}
	if c, ls, le, found := classifyRefs(v, s, e, o, depth+1); found {
		return c, ls, le
	}
	if a := v[s:e]; isPlaceholder(a, o.extra) && !(o.field && IsWeakPassword(a) && !inExtra(a, o.extra)) {
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

func placeholderWords(s string) bool {
	switch s {
	case "changeme", "change-me", "change_me", "change me", "changeit", "change-it",
		"changethis", "change_this", "change-this", "replaceme", "replace-me", "replace_me",
		"replace me", "todo", "tbd", "fixme", "example", "sample",
		"dummy", "fake", "placeholder", "secret", "password", "passwd",
		"pass", "pwd", "token", "none", "null", "nil",
		"undefined", "n/a", "na", "test", "testing", "foo",
		"bar", "foobar", "baz", "redacted", "hidden", "masked",
		"empty", "blank", "notused", "not-used", "unused", "dummy-secret",
		"client-secret", "client_secret", "clientsecret", "my-secret", "mysecret", "mypassword",
		"my-password", "s3cr3t", "secret123", "password123", "pa$$word", "p@ssw0rd",
		"p@ssword", "passw0rd", "123456", "12345678", "qwerty", "letmein",
		"abc123", "~":
		return true
	}
	return false
}

// inExtra reports whether t is one of the configured placeholders.
func inExtra(t string, extra []string) bool {
	for _, e := range extra {
		if strings.EqualFold(strings.TrimSpace(e), strings.TrimSpace(t)) {
			return true
		}
	}
	return false
}

// cryptIDs are the ids of modular crypt format hashes ($id$…): MD5-crypt,
// bcrypt, SHA-256/512-crypt, yescrypt, scrypt, argon2, passlib's PBKDF2.
func cryptIDs(s string) bool {
	switch s {
	case "1", "2", "2a", "2b", "2x", "2y",
		"3", "5", "6", "7", "y", "gy",
		"apr1", "md5", "sha1", "argon2i", "argon2d", "argon2id",
		"scrypt", "pbkdf2", "pbkdf2-sha1", "pbkdf2-sha256", "pbkdf2-sha512", "bcrypt-sha256":
		return true
	}
	return false
}

// hashPrefixes start password hashes of other formats: Django
// (pbkdf2_sha256$…, argon2$argon2id$…), Werkzeug (pbkdf2:sha256:…$…,
// scrypt:…$…). Jenkins' local realm writes #jbcrypt:$2a$…, Spring's
// DelegatingPasswordEncoder and LDAP {bcrypt}…, {SSHA}… (braceSchemes).
var hashPrefixes = []string{
	"pbkdf2_sha256$", "pbkdf2_sha1$", "pbkdf2_sha512$", "argon2$", "bcrypt_sha256$",
	"bcrypt$", "scrypt$", "pbkdf2:sha256:", "pbkdf2:sha1:", "pbkdf2:sha512:", "scrypt:",
}

// braceSchemes name the hash in {scheme}hash (lower-cased).
func braceSchemes(s string) bool {
	switch s {
	case "bcrypt", "pbkdf2", "scrypt", "argon2", "sha256", "sha",
		"ssha", "ssha256", "sha512", "ssha512", "md5", "smd5",
		"crypt":
		return true
	}
	return false
}

// isPasswordHash reports a one-way password hash: a modular crypt string
// ($2a$10$…, $argon2id$v=19$…, $6$salt$…), #jbcrypt: and a bcrypt hash, a
// {scheme} and its hash, or one of hashPrefixes and hash text. A hash is
// what a password should be stored as; it is not the password (though a
// weak one can be cracked offline). The first byte decides most values.
func isPasswordHash(t string) bool {
	if len(t) < 20 || len(t) > 512 {
		return false
	}
	var rest string
	switch t[0] {
	case '$':
		if !isAlnum(t[1]) {
			return false // ${VAR}, $$
		}
		k := strings.IndexByte(t[1:], '$')
		if k <= 0 || !cryptIDs(t[1:1+k]) {
			return false
		}
		rest = t[k+2:]
		if len(rest) < 8 {
			return false
		}
		for i := 0; i < len(rest); i++ {
			if c := rest[i]; !isB64(c) && c != '.' && c != '$' && c != '=' && c != ',' && c != '-' && c != '_' {
				return false
			}
		}
		return true
	case '#':
		return strings.HasPrefix(t, "#jbcrypt:$") && isPasswordHash(t[len("#jbcrypt:"):])
	case '{':
		k := strings.IndexByte(t[:12], '}')
		if k < 2 {
			return false // {AQAAABAAAA…} and other braces
		}
		var buf [10]byte
		for i := 1; i < k; i++ {
			buf[i-1] = lower(t[i])
		}
		if !braceSchemes(string(buf[:k-1])) {
			return false
		}
		rest = t[k+1:]
		if rest[0] == '$' {
			return isPasswordHash(rest)
		}
	case 'p', 'a', 'b', 's':
		if strings.IndexByte(t, '$') < 0 {
			return false
		}
		for _, p := range hashPrefixes {
			if strings.HasPrefix(t, p) {
				rest = t[len(p):]
				if rest[0] == '$' && !isPasswordHash(rest) && strings.Count(rest, "$") < 2 {
					return false
				}
				break
			}
		}
		if rest == "" {
			return false
		}
	default:
		return false
	}
	if len(rest) < 16 {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; c <= ' ' || c >= 0x7f || c == '"' || c == '\'' || c == '`' {
			return false
		}
	}
	return true
}

// isPlaceholder reports whether t (trimmed) is an obvious stand-in.
func isPlaceholder(t string, extra []string) bool {
	for _, e := range extra {
		if strings.EqualFold(strings.TrimSpace(e), t) {
			return true
		}
	}
	l := strings.ToLower(t)
	if placeholderWords(l) {
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
	// Deliberate markers of an example or an elided value.
	if strings.Contains(l, "example") ||
		strings.Contains(l, "****") || strings.Contains(l, "…") || strings.Contains(l, "...") {
		return true
	}
	if strings.Contains(l, "xxxx") && elided(l) {
		return true
	}
	// Sequences and format verbs make a placeholder only of a value that is
	// nothing else: Qw7Rt9Zx12345678Mn3Bv5Lk is a secret holding 12345678.
	if r, cut := withoutFillers(l); cut && !randomRest(r) {
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

// elided reports whether l (lower-cased, holding xxxx) is a value with part
// of it elided by runs of x (ghp_xxxx…, sk-xxxx-xxxx), not a random value
// that spells xxxx by chance, as one base64 keystore in about 700 and one
// JWT in about 3,000 do: that is one with at least 32 random characters left
// around its runs of x.
func elided(l string) bool {
	r := strings.ReplaceAll(l, "xxxx", "")
	return len(r) < 32 || !randomRest(r)
}

// fillers are typed sequences and format verbs that stand-ins are made of.
var fillers = []string{"12345678", "abcdef", "%s", "%("}

// withoutFillers returns l with every filler cut out, and whether any was.
func withoutFillers(l string) (string, bool) {
	cut := false
	for _, f := range fillers {
		if strings.Contains(l, f) {
			l, cut = strings.ReplaceAll(l, f, ""), true
		}
	}
	return l, cut
}

// randomRest reports whether what is left of a (lower-cased) value around
// its fillers is random enough to be a secret of its own: at least 8
// characters, no stop word (test, secret, token…) unless it is long and
// dense, an entropy of at least 3 bits per byte, and letters and digits alternating at least three times
// (qw7rt9zx…), as random text does and words with a number (secret-123)
// do not.
func randomRest(r string) bool {
	if len(r) < 8 || entropy(r) < 3 {
		return false
	}
	// A long rest as dense as base64 is random whatever words chance spells
	// in it (English text stays near 4 bits per byte); a shorter one with a
	// stop word is a stand-in.
	if !(len(r) >= 32 && entropy(r) >= 4.5) && hasStopWord([]byte(r)) {
		return false
	}
	switches, last := 0, byte(0)
	for i := 0; i < len(r); i++ {
		var k byte
		switch c := r[i]; {
		case isLower(c) || isUpper(c):
			k = 'a'
		case isDigit(c):
			k = '0'
		default:
			continue
		}
		if last != 0 && k != last {
			switches++
		}
		last = k
	}
	return switches >= 3
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
