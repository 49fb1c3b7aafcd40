package secrets

import (
	"bytes"
	"encoding/base64"
	"sort"
	"strings"
	"sync"
	"unicode"
)

// atColon: URLs (scheme://user:secret@host, Slack webhooks), user:<Jenkins API
// token>, and name: value / name := value assignments.
func (sc *scanner) atColon(i int) {
	d := sc.d
	n := len(d)
	if i+2 < n && d[i+1] == '/' && d[i+2] == '/' {
		sc.url(i)
		return
	}
	if (i+1 < n && d[i+1] == ':') || (i > 0 && d[i-1] == ':') {
		return
	}
	if i+2 < n && d[i+1] == '1' && d[i+2] == '1' {
		sc.jenkinsColon(i)
	}
	vs := i + 1
	if vs < n && d[vs] == '=' {
		vs++
	}
	sc.assign(i, vs)
}

// atEquals: name = value, name=value, 'name' => value.
func (sc *scanner) atEquals(i int) {
	d := sc.d
	if i > 0 {
		switch d[i-1] {
		case '=', '!', '<', '>', ':', '+', '-', '*', '/', '%', '&', '|', '^', '~':
			return
		}
	}
	vs := i + 1
	if vs < len(d) {
		switch d[vs] {
		case '=', '~':
			return
		case '>':
			vs++
		}
	}
	sc.assign(i, vs)
}

// nameBefore finds the name left of the operator at op: password, "password",
// 'password', env.PASSWORD, --password.
func nameBefore(d []byte, op int) (int, int, bool) {
	j := op - 1
	for k := 0; k < 3 && j >= 0 && isSpace(d[j]); k++ {
		j--
	}
	if j >= 0 && (d[j] == '"' || d[j] == '\'') {
		j--
		if j >= 0 && d[j] == '\\' {
			j--
		}
	}
	ne := j + 1
	for j >= 0 && ne-j <= 80 && isNameChr(d[j]) {
		j--
	}
	if j >= 0 && isNameChr(d[j]) {
		return 0, 0, false
	}
	ns := j + 1
	if ns >= ne {
		return 0, 0, false
	}
	if j >= 0 {
		switch d[j] {
		case '/': // scheme://token:… is the URL detector's.
			return 0, 0, false
		case ':': // arn:aws:secretsmanager:…, inside a value.
			return 0, 0, false
		case '{': // ${PASSWORD:-default} is a reference, judged by Classify.
			if j > 0 && d[j-1] == '$' {
				return 0, 0, false
			}
		}
	}
	return ns, ne, true
}

func (sc *scanner) assign(op, vs int) {
	d := sc.d
	ns, ne, ok := nameBefore(d, op)
	if !ok {
		return
	}
	name := d[ns:ne]
	if !sc.secretName(name) && !(bytes.Equal(name, []byte("defaultValue")) && sc.secretParameter(ns)) {
		return
	}
	cli := name[0] == '-'
	s, e, unq, ok := sc.valueAt(vs, isAuthHeader(name), cli)
	if !ok {
		return
	}
	if unq && d[op] == '=' && bytes.IndexByte(name, '.') >= 0 && bytes.ContainsFunc(name, unicode.IsUpper) && isIdentBytes(d[s:e]) {
		// dec.privateKey = ed25519PrivateKey: code assigns a variable.
		return
	}
	kind := KindGenericAssignment
	if cli {
		kind = KindCLIPassword
	}
	sc.judge(name, s, e, unq, kind)
}

func isAuthHeader(name []byte) bool {
	return bytes.EqualFold(name, []byte("authorization")) || bytes.EqualFold(name, []byte("proxy-authorization"))
}

// secretParameter reports whether the defaultValue at i belongs to a
// Jenkins pipeline parameter that holds a secret: password(name: …,
// defaultValue: …), or string(name: 'API_TOKEN', defaultValue: …).
func (sc *scanner) secretParameter(i int) bool {
	d := sc.d
	ls, _ := lineBounds(d, i, 300)
	seg := d[ls:i]
	if bytes.Contains(seg, []byte("password(")) {
		return true
	}
	if bytes.Contains(seg, []byte("credentials(")) {
		return false // its default is a credential id
	}
	k := bytes.LastIndex(seg, []byte("name:"))
	if k < 0 {
		return false
	}
	v := seg[k+len("name:"):]
	v = bytes.TrimLeft(v, " \t")
	if len(v) == 0 || (v[0] != '\'' && v[0] != '"') {
		return false
	}
	e := bytes.IndexByte(v[1:], v[0])
	return e > 0 && isSecretName(v[1:1+e])
}

// authSchemes are the HTTP authentication schemes that precede a credential.
var authSchemes = []string{"Bearer", "bearer", "Basic", "basic", "token", "Token", "SSWS", "Bot", "Digest", "Negotiate"}

// valueAt reads the value that starts at vs (after spaces): a quoted string on
// one line, or an unquoted word. An unquoted word must end the line (or be
// followed by a comment or a delimiter) unless cli is set, so that prose like
// "password: must be 8 characters" is not a value.
func (sc *scanner) valueAt(vs int, auth, cli bool) (s, e int, unquoted, ok bool) {
	d := sc.d
	n := len(d)
	v := vs
	for v < n && v-vs < 16 && isSpace(d[v]) {
		v++
	}
	if v >= n {
		return 0, 0, false, false
	}
	if auth {
		quoted := d[v] == '"' || d[v] == '\''
		if quoted {
			v++
		}
		for _, sch := range authSchemes {
			if hasPrefixAt(d, v, sch) && v+len(sch) < n && d[v+len(sch)] == ' ' {
				v += len(sch) + 1
				break
			}
		}
		e := v
		for e < n && e-v < 2048 && d[e] > ' ' && d[e] != '"' && d[e] != '\'' && d[e] != '`' && d[e] != ',' && d[e] != ';' {
			e++
		}
		return v, e, !quoted, e > v
	}
	if hasPrefixAt(d, v, "{noop}") {
		v += len("{noop}") // Spring Security's marker of a plain-text password
	}
	c := d[v]
	switch c {
	case '"', '\'', '`':
		if v+2 < n && d[v+1] == c && d[v+2] == c {
			return 0, 0, false, false // Groovy/Python triple quotes
		}
		e := v + 1
		for e < n && e-v < 1024 {
			x := d[e]
			if x == '\\' && c != '\'' {
				e += 2
				continue
			}
			if x == c || x == '\n' {
				break
			}
			e++
		}
		if e >= n || d[e] != c {
			if e < n && d[e] != '\n' {
				return 0, 0, false, false
			}
			// No closing quote on the line: a file that does not parse
			// (password: "Wm4T…), or a multi-line string. The word after
			// the quote is judged all the same.
			e = v + 1
			for e < n && d[e] > ' ' && d[e] != c {
				e++
			}
			return v + 1, e, false, e > v+1
		}
		return v + 1, e, false, true
	case '\\':
		// \"value\" inside a string holding JSON.
		if v+1 >= n || (d[v+1] != '"' && d[v+1] != '\'') {
			return 0, 0, false, false
		}
		q := d[v+1]
		e := v + 2
		for e+1 < n && e-v < 1024 && d[e] != '\n' && !(d[e] == '\\' && d[e+1] == q) {
			e++
		}
		if e+1 >= n || d[e] != '\\' {
			return 0, 0, false, false
		}
		return v + 2, e, false, true
	case '#', '!', '*', '@':
		// A YAML comment, tag, alias or reserved character after "key:",
		// but a literal after "NAME=" or "=>".
		if !cli && (vs == 0 || (d[vs-1] != '=' && d[vs-1] != '>')) {
			return 0, 0, false, false
		}
	case '\n', '\r', '|', '>', '[', '{', '(', '&':
		// Block scalars, structures, anchors.
		return 0, 0, false, false
	}
	e = v
	depth := 0
	for e < n && e-v < 300 {
		x := d[e]
		if x <= ' ' {
			break
		}
		if x == '{' {
			depth++
		} else if x == '}' && depth > 0 {
			depth--
		} else if depth == 0 && (x == ',' || x == ';' || x == ')' || x == '}' || x == ']' || x == '"' || x == '\'' || x == '`' || x == '<' || x == '&') {
			break // & ends a value in a query string: token=…&scope=…
		}
		e++
	}
	if e-v >= 300 {
		return 0, 0, false, false
	}
	if !cli {
		r := e
		for r < n && isSpace(d[r]) {
			r++
		}
		if r < n {
			switch d[r] {
			case ',':
				// PrivateKey: ecTestKey256, — a field of a code literal
				// names a variable; literals are quoted there.
				return 0, 0, false, false
			case '\n', '\r', '#', ';', ')', '}', ']', '&', '|', '\\', '"', '\'', '`', '<':
			case '/':
				if r+1 >= n || d[r+1] != '/' {
					return 0, 0, false, false
				}
			default:
				return 0, 0, false, false
			}
		}
	}
	return v, e, true, true
}

// judge decides whether d[s:e], the value of the secret-named name, is a
// committed secret, and of which kind.
func (sc *scanner) judge(name []byte, s, e int, unquoted bool, kind string) {
	d := sc.d
	if e-s < 8 {
		return
	}
	if hasPrefixAt(d[:e], s, "{noop}") {
		s += len("{noop}") // Spring Security's marker of a plain-text password
	}
	if !unquoted && isConcat(d[s:e]) {
		// `clientSecret: "`+g.secret()+`"`: the quotes that seem to enclose
		// the value close and reopen string literals around an expression.
		return
	}
	if v := d[s:e]; bytes.IndexByte(v, '$') >= 0 || bytes.IndexByte(v, '{') >= 0 {
		// Only text with $ or { can hold a reference.
		cls, ls, le := classify(string(v), classOpts{})
		switch cls {
		case Plain:
		case LiteralInReference:
			s, e = s+ls, s+le
		default:
			return
		}
	}
	val := d[s:e]
	// An AWS secret access key is base64 and may start with / or +, which
	// plausible takes for a path or code: the key's own test decides.
	aws := len(val) == 40 && isAWSName(name) && sc.t.awsSecret.accepts(val) && !isPathLike(val)
	if !(aws || plausible(val, unquoted)) || isEncrypted(string(val)) || isPlaceholder(string(val), nil) {
		return
	}
	if sc.t.hasTokenPrefix(val) {
		// A known token format decides on its own: a value with its prefix
		// that its detector refused (an AWS key id without its secret, a
		// Slack token with fake ids) is not a secret either.
		return
	}
	switch {
	case sc.t.jenkins.fits(val):
		kind = KindJenkinsAPIToken
	case sc.t.okta.fits(val) && (containsFold(name, "okta") || sc.lineHas(s, "okta") || sc.lineHas(s, "SSWS")):
		kind = KindOktaAPIToken
	case aws:
		kind = KindAWSSecretAccessKey
		sc.awsSecrets = append(sc.awsSecrets, cand{s: s, e: e})
	}
	if !unquoted {
		e = sc.concatEnd(e)
	}
	sc.add(s, e, kind)
}

// concatEnd extends a quoted secret that ends at e (its closing quote) over
// the string literals concatenated to it on its line ('Zq8Vw3' + 'Lp9Xk2'
// in Groovy): the secret's span then covers every piece, so no piece is
// shown where the first is masked.
func (sc *scanner) concatEnd(e int) int {
	d := sc.d
	blanks := func(i int) int {
		for i < len(d) && (d[i] == ' ' || d[i] == '\t') {
			i++
		}
		return i
	}
	for e < len(d) && isQuote(d[e]) {
		i := blanks(e + 1)
		if i >= len(d) || d[i] != '+' {
			return e
		}
		i = blanks(i + 1)
		if i >= len(d) || !isQuote(d[i]) {
			return e
		}
		q := d[i]
		j := i + 1
		for j < len(d) && d[j] != q && d[j] != '\n' && d[j] != '\\' {
			j++
		}
		if j >= len(d) || d[j] != q || j == i+1 {
			return e
		}
		e = j
	}
	return e
}

// isConcat reports a quoted value that holds a string concatenation: a quote
// next to a '+', as in `+expr+` or "+expr+", or a value that both starts
// and ends with '+'.
func isConcat(v []byte) bool {
	if len(v) >= 2 && v[0] == '+' && v[len(v)-1] == '+' {
		return true
	}
	for i := 0; i+1 < len(v); i++ {
		a, b := v[i], v[i+1]
		if (isQuote(a) && b == '+') || (a == '+' && isQuote(b)) {
			return true
		}
	}
	return false
}

func isQuote(c byte) bool { return c == '"' || c == '\'' || c == '`' }

// isPathLike reports a value that starts like an absolute path: /run/x…,
// /var/lib/…: a slash, a lower-case word, and another slash.
func isPathLike(v []byte) bool {
	if len(v) == 0 || v[0] != '/' {
		return false
	}
	i := 1
	for i < len(v) && isLower(v[i]) {
		i++
	}
	return i > 1 && i < len(v) && v[i] == '/'
}

func (sc *scanner) lineHas(i int, w string) bool {
	ls, le := lineBounds(sc.d, i, 1024)
	return containsFold(sc.d[ls:le], strings.ToLower(w))
}

// Plausible reports whether the literal value of a secret-named field in an
// arbitrary configuration file looks like a secret rather than a name, a
// word, a path or an encrypted value (existingSecret: app-db-credentials,
// id-token: write, password: Mot de passe, ENC[AES256_GCM,…] stay quiet).
func Plausible(v string) bool {
	if strings.HasPrefix(v, "ENC[") { // SOPS
		return false
	}
	return plausible([]byte(v), false)
}

// plausible applies the shape tests to a literal value of a secret-named
// field: long enough, one word, not a path, URL, number, identifier or code
// expression, and random enough.
func plausible(val []byte, unquoted bool) bool {
	n := len(val)
	if n < 8 || n > 512 {
		return false
	}
	letters, wordish := 0, true
	for _, c := range val {
		switch {
		case c <= ' ' || c == 0x7f:
			return false
		case isUpper(c) || isLower(c):
			letters++
		case c == '_' || c == '.' || c == '-':
		default:
			wordish = false
		}
	}
	if letters == 0 || wordish || !bytes.ContainsFunc(val, func(r rune) bool { return (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') }) {
		// Numbers, words and identifiers, NAMES_IN_CAPS.
		return false
	}
	switch {
	case val[0] == '/', bytes.HasPrefix(val, []byte("./")), bytes.HasPrefix(val, []byte("../")),
		bytes.HasPrefix(val, []byte("~/")), n > 2 && val[1] == ':' && (val[2] == '\\' || val[2] == '/'),
		bytes.Contains(val, []byte("://")), bytes.HasPrefix(val, []byte("arn:")), bytes.HasPrefix(val, []byte("urn:")),
		bytes.Contains(val, []byte(`\"`)), val[0] == '{' && bytes.IndexByte(val, '"') >= 0, // JSON text
		bytes.Contains(val, []byte(`\(`)),                                // CUE/Swift interpolation
		bytes.Contains(val, []byte(`\x`)),                                // escapes: binary data, terminal codes
		bytes.IndexByte(val, '&') >= 0 && bytes.IndexByte(val, '=') >= 0, // a query string
		isDate(val):
		return false
	}
	if unquoted && (bytes.ContainsAny(val, "[]()") || val[0] == '+' || val[n-1] == '{' || val[n-1] == '}' || isDottedIdent(val)) {
		// Code, not a literal: map[string]…, f(x), a + b, T{}, params.x.
		return false
	}
	if isLowerIdent(val) || isArtifactVersion(val) || isVersion(val) || isNameLike(val) ||
		(bytes.IndexByte(val, '$') >= 0 || val[0] == '{') && isPasswordHash(string(val)) {
		// Names (MY-K8S-PATH), versions (4.494.v6b_f419104767 of a
		// plugin list) and password hashes ($2a$10$…).
		return false
	}
	// user:placeholder, as in -auth=username:password, also base64-encoded
	// as in a Docker config's "auth".
	if k := bytes.LastIndexByte(val, ':'); k > 0 && k < n-1 && isPlaceholder(string(val[k+1:]), nil) {
		return false
	}
	if dec, ok := decodeBasic(val); ok {
		if k := bytes.IndexByte(dec, ':'); k >= 0 {
			pw := dec[k+1:]
			if len(pw) == 0 || isPlaceholder(string(pw), nil) || hasStopWord(pw) {
				return false
			}
		}
	}
	return entropy(val) >= 3 && !hasStopWord(val)
}

// stopWords inside a value show a test or example value, not a secret:
// registry1password, someRefreshToken1, ecTestKey256.
var stopWords = []string{"password", "passwd", "secret", "token", "privatekey", "changeme", "dummy", "sample", "test", "fake", "placeholder", "redacted"}

// isIdentBytes reports a programming-language identifier: letters, digits
// and '_', not starting with a digit.
func isIdentBytes(v []byte) bool {
	if len(v) == 0 || isDigit(v[0]) {
		return false
	}
	for _, c := range v {
		if !isWordChr(c) {
			return false
		}
	}
	return true
}

func hasStopWord(v []byte) bool {
	var buf [512]byte
	if len(v) > len(buf) {
		v = v[:len(buf)]
	}
	l := buf[:len(v)]
	for i, c := range v {
		l[i] = lower(c)
	}
	for _, w := range stopWordBytes() {
		if bytes.Contains(l, w) {
			return true
		}
	}
	return false
}

var stopWordBytes = sync.OnceValue(func() [][]byte {
	out := make([][]byte, len(stopWords))
	for i, w := range stopWords {
		out[i] = []byte(w)
	}
	return out
})

// decodeBasic decodes standard base64 text into printable ASCII, as HTTP
// Basic credentials and Docker "auth" values are.
func decodeBasic(v []byte) ([]byte, bool) {
	if len(v) < 8 || len(v)%4 != 0 {
		return nil, false
	}
	dec := make([]byte, base64.StdEncoding.DecodedLen(len(v)))
	n, err := base64.StdEncoding.Decode(dec, v)
	if err != nil {
		return nil, false
	}
	dec = dec[:n]
	for _, c := range dec {
		if c < 0x20 || c > 0x7e {
			return nil, false
		}
	}
	return dec, true
}

// isDate reports values that start like an ISO date: 2024-01-31….
func isDate(v []byte) bool {
	return len(v) >= 10 && isDigit(v[0]) && isDigit(v[1]) && isDigit(v[2]) && isDigit(v[3]) &&
		v[4] == '-' && isDigit(v[5]) && isDigit(v[6]) && v[7] == '-'
}

// isLowerIdent reports names such as client-valid-token-1 or my_app_secret_2:
// two or more segments, each lower-case letters or digits only.
func isLowerIdent(v []byte) bool {
	segs := 0
	for _, seg := range bytes.FieldsFunc(v, func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
		segs++
		allLower, allDigit := true, true
		for _, c := range seg {
			allLower = allLower && isLower(c)
			allDigit = allDigit && isDigit(c)
		}
		if !allLower && !allDigit {
			return false
		}
	}
	return segs >= 2
}

// isVersion reports a version number and what follows it: 4.494.v6b_f419104767
// and 1405.vb_cda_74a_f8974 (Jenkins plugins' versions), 2.462.3-lts-jdk17,
// ^10.0.0-beta.12, v1.2.3.
func isVersion(v []byte) bool {
	i := 0
	for i < len(v) && (v[i] == '^' || v[i] == '~' || v[i] == '=' || v[i] == '<' || v[i] == '>' || v[i] == '!') {
		i++
	}
	if i+1 < len(v) && (v[i] == 'v' || v[i] == 'V') && isDigit(v[i+1]) {
		i++
	}
	d := i
	for i < len(v) && isDigit(v[i]) {
		i++
	}
	if i == d || i+2 >= len(v) || v[i] != '.' {
		return false
	}
	// 1.2…, or a Jenkins plugin's 1405.vb_cda_74a_f8974 (JEP-229: the
	// build number, "v" and an abbreviated commit hash).
	return isDigit(v[i+1]) || v[i+1] == 'v' && (isHexLow(v[i+2]) || v[i+2] == '_')
}

// isNameLike reports a name made of words: segments between '-', '_' and '.'
// each in one case (MY-K8S-PATH, AWS_S3_BUCKET, prod-db-k8s1), more of them
// plain words than words mixed with digits. Random text with separators
// mixes case within a segment or digits in most of them (Kq9-Zt4,
// ABCD-EF12-GH34).
func isNameLike(v []byte) bool {
	segs, words, mixed := 0, 0, 0
	var up, lo, dg bool
	for i := 0; i <= len(v); i++ {
		if i < len(v) {
			switch c := v[i]; {
			case isUpper(c):
				up = true
				continue
			case isLower(c):
				lo = true
				continue
			case isDigit(c):
				dg = true
				continue
			case c != '-' && c != '_' && c != '.':
				return false
			}
		}
		// the end of a segment
		switch {
		case up && lo:
			return false
		case dg && (up || lo):
			mixed++
		case up || lo:
			words++
		}
		if up || lo || dg {
			segs++
		}
		up, lo, dg = false, false, false
	}
	return segs >= 2 && words > mixed
}

// isArtifactVersion reports artifact coordinates such as jjwt-jackson-0.11.2.
func isArtifactVersion(v []byte) bool {
	k := bytes.LastIndexAny(v, "-_:@")
	if k < 0 || k == len(v)-1 {
		return false
	}
	ver := v[k+1:]
	dots := 0
	for _, c := range ver {
		switch {
		case c == '.':
			dots++
		case !isDigit(c):
			return false
		}
	}
	return dots >= 1 && isDigit(ver[0])
}

// isDottedIdent reports code like params.token2 or config.secret_1.
func isDottedIdent(v []byte) bool {
	if bytes.IndexByte(v, '.') < 0 {
		return false
	}
	for _, seg := range bytes.Split(v, []byte(".")) {
		if len(seg) == 0 || isDigit(seg[0]) {
			return false
		}
		for _, c := range seg {
			if !isWordChr(c) && c != '$' && c != '#' {
				return false
			}
		}
	}
	return true
}

func isAWSName(name []byte) bool {
	return containsFold(name, "aws") || containsFold(name, "secretaccesskey") ||
		containsFold(name, "secret_access_key") || containsFold(name, "secret-access-key")
}

// jenkinsColon: user:<Jenkins API token> as in curl -u admin:11… or
// JENKINS_AUTH=admin:11….
func (sc *scanner) jenkinsColon(i int) {
	d := sc.d
	if i == 0 || !isNameChr(d[i-1]) {
		return
	}
	sc.tokenFrom(sc.t.jenkins, i+1, len("11"))
}

// atGT: XML elements <password>value</password> (Maven settings.xml, Jenkins
// credentials.xml, where Jenkins keeps {AQAAABAAAA…} blobs).
func (sc *scanner) atGT(i int) {
	d := sc.d
	if i == 0 || !isNameChr(d[i-1]) {
		return
	}
	j := i - 1
	for j >= 0 && i-j <= 64 && isNameChr(d[j]) {
		j--
	}
	if j < 0 || d[j] != '<' {
		return
	}
	name := d[j+1 : i]
	if !isUpper(name[0]) && !isLower(name[0]) {
		return
	}
	if !sc.secretName(name) {
		return
	}
	s := i + 1
	e := s
	for e < len(d) && e-s < 4096 && d[e] != '<' {
		e++
	}
	if e+3+len(name) > len(d) || d[e] != '<' || d[e+1] != '/' || !bytes.Equal(d[e+2:e+2+len(name)], name) || d[e+2+len(name)] != '>' {
		return
	}
	for s < e && isSpaceOrNL(d[s]) {
		s++
	}
	for e > s && isSpaceOrNL(d[e-1]) {
		e--
	}
	sc.judge(name, s, e, false, KindGenericAssignment)
}

// longFlag: --password value, --token value (the --flag=value form goes
// through atEquals).
func (sc *scanner) longFlag(i int) {
	d := sc.d
	ne := run(d, i+2, cB64URL, 40)
	if ne >= len(d) || d[ne] != ' ' {
		return
	}
	name := d[i:ne]
	if !sc.secretName(name) {
		return
	}
	v := ne
	for v < len(d) && d[v] == ' ' {
		v++
	}
	if v >= len(d) || d[v] == '-' {
		return
	}
	s, e, unq, ok := sc.valueAt(v, false, true)
	if !ok {
		return
	}
	sc.judge(name, s, e, unq, KindCLIPassword)
}

// shortFlag: "-p value" on a line that runs cmd (docker login), or, with
// userpass, "-u user:pass" on a curl line.
func (sc *scanner) shortFlag(i int, cmd string, userpass bool) {
	d := sc.d
	m := &sc.loginMemo
	if cmd == "curl" {
		m = &sc.curlMemo
	}
	if !sc.cmdBefore(m, i, cmd) {
		return
	}
	s, e, unq, ok := sc.valueAt(i+3, false, true)
	if !ok {
		return
	}
	if userpass {
		k := indexDepth0(string(d[s:e]), ":")
		if k < 0 {
			return
		}
		user := d[s : s+k]
		s += k + 1
		if bytes.Equal(user, d[s:e]) {
			return
		}
	}
	sc.judge(nil, s, e, unq, KindCLIPassword)
}

// url: scheme://user:secret@host and Slack webhooks; colon is the ':' of
// "://".
func (sc *scanner) url(colon int) {
	d := sc.d
	n := len(d)
	j := colon - 1
	for j >= 0 && colon-j <= 32 && (isAlnum(d[j]) || d[j] == '+' || d[j] == '-' || d[j] == '.') {
		j--
	}
	ss := j + 1
	if ss >= colon || !(isUpper(d[ss]) || isLower(d[ss])) {
		return
	}
	a := colon + 3
	k := a
	depth, at := 0, -1
	for k < n && k-a < 512 {
		c := d[k]
		if c <= ' ' {
			break
		}
		if c == '{' {
			depth++
		} else if c == '}' {
			if depth == 0 {
				break
			}
			depth--
		} else if depth == 0 {
			if c == '/' || c == '?' || c == '#' || c == '"' || c == '\'' || c == '`' || c == '<' || c == '>' || c == '\\' || c == ')' || c == ']' {
				break
			}
			if c == '@' {
				at = k
			}
		}
		k++
	}
	if at < 0 {
		if a < n && sc.t.urlFirst[d[a]] {
			sc.urlToken(ss, a) // Slack webhooks
		}
		return
	}
	ui := d[a:at]
	p := indexDepth0(string(ui), ":")
	if p < 0 {
		// scheme://TOKEN@host: a token as the user name (GitHub, Azure
		// DevOps and GitLab accept one so); a name is not (deploy@,
		// git@, jenkins-bot@, first.last@)
		if userToken(ui) && !IsExampleHost(string(d[at+1:k])) && Classify(string(ui), nil) == Plain {
			sc.add(a, at, KindURLCredentials)
		}
		return
	}
	user, pw := ui[:p], ui[p+1:]
	if len(pw) < 4 || bytes.EqualFold(user, pw) || IsExampleHost(string(d[at+1:k])) {
		return
	}
	ps := a + p + 1
	if Classify(string(pw), nil) != Plain {
		return
	}
	kind := KindURLCredentials
	if sc.t.jenkins.fits(pw) {
		kind = KindJenkinsAPIToken
	}
	sc.add(ps, at, kind)
}

// userToken reports whether a URL's user name (with no password) has the
// shape of a token: 20 or more letters, digits, '-' and '_', with both
// letters and digits.
func userToken(u []byte) bool {
	if len(u) < 20 {
		return false
	}
	letters, digits := false, false
	for _, c := range u {
		switch {
		case isUpper(c) || isLower(c):
			letters = true
		case c >= '0' && c <= '9':
			digits = true
		case c == '-' || c == '_':
		default:
			return false
		}
	}
	return letters && digits
}

// pairAWS reports AWS access key ids that have a secret access key within
// 1 KiB, and 40-character secrets found that way. A key id alone is an
// identifier, not a secret.
func (sc *scanner) pairAWS() {
	if len(sc.akia) == 0 {
		return
	}
	d := sc.d
	// Secrets found by name, then unnamed 40-character candidates near ids;
	// both sorted by start. Windows overlap, so each byte is read once.
	named := sc.awsSecrets
	sort.Slice(named, func(i, j int) bool { return named[i].s < named[j].s })
	var loose []cand
	scanned := 0
	for _, p := range sc.akia {
		lo, hi := p.s-1024, p.e+1024
		if lo < 0 {
			lo = 0
		}
		if hi > len(d) {
			hi = len(d)
		}
		k := max(lo, scanned)
		for k > 0 && k < hi && isB64(d[k-1]) && isB64(d[k]) {
			k++ // do not start inside a run that began before the window
		}
		for k < hi {
			if !isB64(d[k]) {
				k++
				continue
			}
			st := k
			for k < len(d) && isB64(d[k]) {
				k++
			}
			if k-st == 40 && (st == 0 || d[st-1] != '=') && (k >= len(d) || d[k] != '=') && sc.t.awsSecret.accepts(d[st:k]) {
				loose = append(loose, cand{s: st, e: k})
			}
		}
		scanned = max(scanned, k)
		found := anyIn(named, lo, hi)
		for j := sort.Search(len(loose), func(j int) bool { return loose[j].e > lo }); j < len(loose) && loose[j].s < hi; j++ {
			found = true
			if loose[j].prio == 0 { // not reported yet
				loose[j].prio = 1
				sc.add(loose[j].s, loose[j].e, sc.t.awsSecret.Kind)
			}
		}
		if found {
			sc.add(p.s, p.e, p.kind)
		}
	}
}

// anyIn reports whether a span of the sorted cs overlaps [lo, hi).
func anyIn(cs []cand, lo, hi int) bool {
	j := sort.Search(len(cs), func(j int) bool { return cs[j].e > lo })
	return j < len(cs) && cs[j].s < hi
}
