package secrets

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
)

// notPlaceholderToken rejects format-valid tokens that are obviously fake:
// low entropy, part elided with xxxx, EXAMPLE.
func notPlaceholderToken(b []byte, minEntropy float64) bool {
	if entropy(b) < minEntropy {
		return false
	}
	if containsFold(b, "xxxx") && elided(strings.ToLower(string(b))) {
		return false
	}
	return !containsFold(b, "example")
}

// atUnderscore: GCP service-account JSON ("type": "service_account"); the
// token formats anchored on '_' (ghp_, npm_, github_pat_) ran before.
func (sc *scanner) atUnderscore(i int) {
	d := sc.d
	if i >= 3 && d[i-3] == 'i' && d[i-2] == 'c' && d[i-1] == 'e' && hasSuffixAt(d, i, "\"service") && hasPrefixAt(d, i+1, "account\"") {
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

// atDash: private key blocks (-----BEGIN), the token formats anchored on
// '-' (glpat-, xoxb-, GOCSPX-…), and command-line flags (--password x, -p x
// after docker login, -u user:pass after curl).
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
	sl := sc.t.slots['-']
	edge := i < 2 || i+2 >= len(d)
	if (edge || sl.fwdless && sl.nearBack(d, i) || !sl.fwdless && sl.near(d, i)) && sc.tokenAt(i) {
		return
	}
	// A 'g' four or five bytes back ends the work here, as when the GitLab
	// prefixes were tested by hand (so "login -p" is not looked at: kept
	// for unchanged findings).
	if i >= 4 && (d[i-4] == 'g' || i >= 5 && d[i-5] == 'g') {
		return
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
