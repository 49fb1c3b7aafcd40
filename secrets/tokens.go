package secrets

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
)

// boundaryBefore reports whether the byte before i cannot continue a token
// made of word characters.
func boundaryBefore(d []byte, i int) bool { return i == 0 || !isWordChr(d[i-1]) }

// boundaryAfter reports whether the byte at i cannot continue a token.
func boundaryAfter(d []byte, i int) bool { return i >= len(d) || !isWordChr(d[i]) }

// notPlaceholderToken rejects format-valid tokens that are obviously fake:
// low entropy, xxxx, EXAMPLE.
func notPlaceholderToken(b []byte, minEntropy float64) bool {
	if entropy(b) < minEntropy {
		return false
	}
	return !containsFold(b, "xxxx") && !containsFold(b, "example")
}

// atA: AWS access key ids (AKIA, ASIA, ABIA, ACCA, A3T) and Google API keys
// (AIza).
func (sc *scanner) atA(i int) {
	d := sc.d
	if i+20 > len(d) || (i > 0 && (isB64(d[i-1]) || d[i-1] == '-')) {
		return
	}
	switch {
	case hasPrefixAt(d, i, "AKIA"), hasPrefixAt(d, i, "ASIA"), hasPrefixAt(d, i, "ABIA"),
		hasPrefixAt(d, i, "ACCA"), hasPrefixAt(d, i, "A3T") && (isUpper(d[i+3]) || isDigit(d[i+3])):
		for k := i + 4; k < i+20; k++ {
			if !isUpper(d[k]) && !isDigit(d[k]) {
				return
			}
		}
		if !boundaryAfter(d, i+20) || !notPlaceholderToken(d[i:i+20], 3) {
			return
		}
		sc.akia = append(sc.akia, i)
	case hasPrefixAt(d, i, "AIza"):
		e := run(d, i+4, cB64URL, 40)
		if e-i != 39 || !boundaryAfter(d, e) || (e < len(d) && d[e] == '-') {
			return
		}
		if notPlaceholderToken(d[i:e], 3.5) {
			sc.add(i, e, KindGCPAPIKey)
		}
	}
}

// atUnderscore: GitHub tokens (ghp_ gho_ ghs_ ghu_ ghr_ github_pat_), npm
// tokens (npm_) and GCP service-account JSON ("type": "service_account").
func (sc *scanner) atUnderscore(i int) {
	d := sc.d
	if i < 3 {
		return
	}
	p0, p1, p2 := d[i-3], d[i-2], d[i-1]
	switch {
	case p0 == 'g' && p1 == 'h':
		var kind string
		switch p2 {
		case 'p':
			kind = KindGitHubPAT
		case 'o':
			kind = KindGitHubOAuth
		case 's', 'u':
			kind = KindGitHubAppToken
		case 'r':
			kind = KindGitHubRefreshToken
		default:
			return
		}
		s := i - 3
		e := run(d, i+1, cUpper|cLower|cDigit, 40)
		if e-(i+1) != 36 || !boundaryBefore(d, s) || !boundaryAfter(d, e) {
			return
		}
		if notPlaceholderToken(d[i+1:e], 3) {
			sc.add(s, e, kind)
		}
	case p0 == 'n' && p1 == 'p' && p2 == 'm':
		s := i - 3
		e := run(d, i+1, cUpper|cLower|cDigit, 40)
		if e-(i+1) != 36 || !boundaryBefore(d, s) || !boundaryAfter(d, e) {
			return
		}
		if notPlaceholderToken(d[i+1:e], 3) {
			sc.add(s, e, KindNPMToken)
		}
	case p0 == 'h' && p1 == 'u' && p2 == 'b' && hasSuffixAt(d, i, "github") && hasPrefixAt(d, i, "_pat_"):
		s := i - 6
		e := run(d, i+5, cUpper|cLower|cDigit|cB64URL, 120)
		// github_pat_ + 22 + "_" + 59 = 82 characters after the prefix.
		for e > i+5 && d[e-1] == '-' {
			e--
		}
		if l := e - (i + 5); l < 70 || l > 100 || !boundaryBefore(d, s) || !boundaryAfter(d, e) {
			return
		}
		if notPlaceholderToken(d[i+5:e], 3.5) {
			sc.add(s, e, KindGitHubFineGrainedPAT)
		}
	case p0 == 'i' && p1 == 'c' && p2 == 'e' && hasSuffixAt(d, i, "\"service") && hasPrefixAt(d, i+1, "account\""):
		sc.gcpServiceAccount(i)
	}
}

// gcpServiceAccount reports the private_key value of a service-account JSON
// whose "type": "service_account" was found at i.
func (sc *scanner) gcpServiceAccount(i int) {
	d := sc.d
	lo := i - 64
	if lo < 0 {
		lo = 0
	}
	if !bytes.Contains(d[lo:i], []byte(`"type"`)) {
		return
	}
	// The private key may come before or after "type", within 16 KiB.
	wlo := i - 16384
	if wlo < 0 {
		wlo = 0
	}
	k := sc.next(&sc.pkMemo, `"private_key"`, wlo)
	if k < 0 || k > i+16384 || k == sc.lastGCP {
		return
	}
	sc.lastGCP = k
	p := k + len(`"private_key"`)
	for p < len(d) && (isSpace(d[p]) || d[p] == '\n' || d[p] == '\r') {
		p++
	}
	if p >= len(d) || d[p] != ':' {
		return
	}
	p++
	for p < len(d) && (isSpace(d[p]) || d[p] == '\n' || d[p] == '\r') {
		p++
	}
	if p >= len(d) || d[p] != '"' {
		return
	}
	s := p + 1
	e := s
	for e < len(d) && e-s < 16384 && d[e] != '"' && d[e] != '\n' {
		if d[e] == '\\' {
			e++
		}
		e++
	}
	if e >= len(d) || d[e] != '"' || e-s < 100 || !bytes.Contains(d[s:e], []byte("PRIVATE KEY")) {
		return
	}
	sc.add(s, e, KindGCPServiceAccount)
}

// atTilde: Microsoft Entra ID client secrets: 3 chars, a digit, "Q~", then
// 31-34 chars.
func (sc *scanner) atTilde(i int) {
	d := sc.d
	s := i - 5
	if s < 0 || d[i-1] != 'Q' || !isDigit(d[i-2]) {
		return
	}
	for k := s; k < s+3; k++ {
		if c := d[k]; !isAlnum(c) && c != '_' && c != '~' && c != '.' {
			return
		}
	}
	if s > 0 && !azureEdge(d[s-1], true) {
		return
	}
	e := i + 1
	for e < len(d) && e-i <= 35 {
		c := d[e]
		if !isAlnum(c) && c != '_' && c != '~' && c != '.' && c != '-' {
			break
		}
		e++
	}
	if l := e - (i + 1); l < 31 || l > 34 {
		return
	}
	if e < len(d) && !azureEdge(d[e], false) {
		return
	}
	if notPlaceholderToken(d[s:e], 3) {
		sc.add(s, e, KindAzureClientSecret)
	}
}

func azureEdge(c byte, before bool) bool {
	switch c {
	case '\\', '\'', '"', '`', ' ', '\t', '\n', '\r', ',', ')':
		return true
	case '>', '=', ':', '(':
		return before
	case '<':
		return !before
	}
	return false
}

// atJ: JSON Web Tokens, anchored on the "J" of "eyJ" (base64 of `{"`).
func (sc *scanner) atJ(i int) {
	d := sc.d
	s := i - 2
	if s < 0 || d[s] != 'e' || d[s+1] != 'y' {
		return
	}
	if s > 0 && (isB64URL(d[s-1]) || d[s-1] == '.') {
		return
	}
	h := run(d, s, cB64URL, 2048)
	if h-s < 10 || h >= len(d) || d[h] != '.' {
		return
	}
	p0 := h + 1
	p := run(d, p0, cB64URL, 16384)
	if p-p0 < 10 || !hasPrefixAt(d, p0, "ey") || p >= len(d) || d[p] != '.' {
		return
	}
	g0 := p + 1
	g := run(d, g0, cB64URL, 4096)
	var hdr struct {
		Alg *string `json:"alg"`
	}
	raw, err := base64.RawURLEncoding.DecodeString(string(d[s:h]))
	if err != nil || json.Unmarshal(raw, &hdr) != nil || hdr.Alg == nil {
		return
	}
	if g-g0 < 16 && !(g == g0 && *hdr.Alg == "none") {
		return
	}
	if g < len(d) && (d[g] == '.' || d[g] == '=') {
		return
	}
	// The jwt.io sample token is documentation, not a secret.
	if pl, err := base64.RawURLEncoding.DecodeString(string(d[p0:p])); err == nil &&
		bytes.Contains(pl, []byte(`"John Doe"`)) && bytes.Contains(pl, []byte(`"1234567890"`)) {
		return
	}
	sc.add(s, g, KindJWT)
}

// atDash: private key blocks (-----BEGIN), GitLab tokens (glpat- …), Slack
// tokens (xoxb- …, xapp-), and command-line flags (--password x, -p x after
// docker login, -u user:pass after curl).
func (sc *scanner) atDash(i int) {
	d := sc.d
	if i+1 < len(d) && d[i+1] == '-' {
		if hasPrefixAt(d, i, "-----BEGIN ") && (i == 0 || d[i-1] != '-') {
			sc.pem(i)
			return
		}
		if i+2 < len(d) && isLower(d[i+2]) && (i == 0 || isSpace(d[i-1]) || d[i-1] == '"' || d[i-1] == '\'' || d[i-1] == '\n') {
			sc.longFlag(i)
		}
		return
	}
	if i >= 6 && d[i-1] == 'X' && hasSuffixAt(d, i, "GOCSPX") {
		sc.googleClientSecret(i)
		return
	}
	if i >= 4 {
		p := d[i-4 : i]
		if p[0] == 'x' {
			if (p[1] == 'o' && p[2] == 'x' && bytes.IndexByte([]byte("bparosce"), p[3]) >= 0) ||
				(p[1] == 'a' && p[2] == 'p' && p[3] == 'p') {
				sc.slack(i)
				return
			}
		}
		if p[0] == 'g' || (i >= 5 && d[i-5] == 'g') {
			switch {
			case hasSuffixAt(d, i, "glpat"):
				sc.gitlab(i-5, i, KindGitLabPAT)
			case hasSuffixAt(d, i, "gldt"), hasSuffixAt(d, i, "glrt"):
				sc.gitlab(i-4, i, KindGitLabToken)
			case hasSuffixAt(d, i, "glptt"), hasSuffixAt(d, i, "glcbt"):
				sc.gitlab(i-5, i, KindGitLabToken)
			}
			return
		}
	}
	if i+2 < len(d) && i > 0 && isSpace(d[i-1]) && d[i+2] == ' ' {
		switch d[i+1] {
		case 'p':
			sc.shortFlag(i, "login", false)
		case 'u':
			sc.shortFlag(i, "curl", true)
		}
	}
}

// googleClientSecret: Google OAuth client secrets, "GOCSPX-" and 28
// characters (the client secret of a Jenkins realm that signs in with Google).
func (sc *scanner) googleClientSecret(dash int) {
	d := sc.d
	s := dash - 6
	e := sc.runEnd(dash+1, cB64URL)
	if e-(dash+1) != 28 || !boundaryBefore(d, s) || !boundaryAfter(d, e) {
		return
	}
	if notPlaceholderToken(d[dash+1:e], 3) {
		sc.add(s, e, KindGoogleOAuthClientSecret)
	}
}

func (sc *scanner) gitlab(s, dash int, kind string) {
	d := sc.d
	if !boundaryBefore(d, s) {
		return
	}
	e := sc.runEnd(dash+1, cB64URL|cName)
	for e > dash+1 && (d[e-1] == '.' || d[e-1] == '-') {
		e--
	}
	if e-(dash+1) < 20 || e-(dash+1) > 400 || !boundaryAfter(d, e) {
		return
	}
	if notPlaceholderToken(d[dash+1:e], 3) {
		sc.add(s, e, kind)
	}
}

// slack checks xox?- and xapp- tokens; dash is the index of the first '-'.
func (sc *scanner) slack(dash int) {
	d := sc.d
	s := dash - 4
	if hasSuffixAt(d, s, "xoxe.") {
		s -= 5
	}
	if !boundaryBefore(d, s) {
		return
	}
	e := sc.runEnd(dash+1, cB64URL)
	for e > dash+1 && d[e-1] == '-' {
		e--
	}
	if e-(dash+1) < 12 || e-(dash+1) > 300 || !boundaryAfter(d, e) {
		return
	}
	body := d[dash+1 : e]
	// Real tokens carry a numeric team/user id of 8+ digits in one segment.
	longDigits := false
	for _, seg := range bytes.Split(body, []byte("-")) {
		if len(seg) >= 8 {
			all := true
			for _, c := range seg {
				if !isDigit(c) {
					all = false
					break
				}
			}
			longDigits = longDigits || all
		}
	}
	if hasPrefixAt(d, s, "xoxe") {
		// Configuration tokens (xoxe.xoxp-1-…) and their refresh tokens
		// (xoxe-1-…) are long base62 strings instead.
		longDigits = len(body) >= 100
	}
	if !longDigits || !notPlaceholderToken(body, 3) {
		return
	}
	sc.add(s, e, KindSlackToken)
}

// pem reports a private key block that starts at i with "-----BEGIN ". The
// block ends at its -----END line, or, when another -----BEGIN or the end of
// the base64 text comes first, there (a truncated key still leaks).
func (sc *scanner) pem(i int) {
	d := sc.d
	ls := i + len("-----BEGIN ")
	lim := ls + 100
	if lim > len(d) {
		lim = len(d)
	}
	le := bytes.Index(d[ls:lim], []byte("-----"))
	if le < 0 {
		return
	}
	label := d[ls : ls+le]
	if !bytes.Contains(label, []byte("PRIVATE KEY")) || bytes.IndexByte(label, '\n') >= 0 {
		return
	}
	body0 := ls + le + 5
	wend := body0 + 65536
	if wend > len(d) {
		wend = len(d)
	}
	if b := sc.next(&sc.beginMemo, "-----BEGIN", body0); b >= 0 && b < wend {
		wend = b
	}
	var bodyEnd, end int
	if k := sc.next(&sc.endMemo, "-----END", body0); k >= 0 && k < wend {
		bodyEnd = k
		end = bodyEnd + len("-----END")
		tl := end + 100
		if tl > len(d) {
			tl = len(d)
		}
		if t := bytes.Index(d[end:tl], []byte("-----")); t >= 0 && bytes.IndexByte(d[end:end+t], '\n') < 0 {
			end += t + 5
		}
	} else {
		// No END line: the key runs as far as base64 text does.
		k := body0
		for k < wend {
			c := d[k]
			if isB64(c) || c == '=' || c == '\n' || c == '\r' || c == ' ' || c == '\t' || c == '\\' {
				k++
				continue
			}
			break
		}
		for k > body0 && !isB64(d[k-1]) && d[k-1] != '=' {
			k--
		}
		bodyEnd, end = k, k
	}
	body := d[body0:bodyEnd]
	if bytes.Contains(body, []byte("...")) || bytes.Contains(body, []byte("…")) {
		return
	}
	n := 0
	for _, c := range body {
		if isB64(c) {
			n++
		}
	}
	if n < 64 || entropy(body) < 4 {
		return
	}
	sc.add(i, end, KindPrivateKey)
}
