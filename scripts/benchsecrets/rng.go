package main

import (
	"encoding/base64"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// Character sets. Token-shaped strings are assembled at run time from these
// so that the repository holds nothing that looks like a live credential.
const (
	upper   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	lowerCh = "abcdefghijklmnopqrstuvwxyz"
	digits  = "0123456789"
	alnum   = upper + lowerCh + digits
	upper27 = upper + "234567" // base32: AWS key ids
	b64     = alnum + "+/"
	b64url  = alnum + "-_"
	hexLow  = "0123456789abcdef"
)

var words = []string{
	"alpha", "atlas", "backend", "billing", "build", "cargo", "catalog", "core",
	"deploy", "docs", "edge", "frontend", "gateway", "helm", "infra", "ingest",
	"inventory", "ledger", "mobile", "monitor", "nexus", "orders", "payments",
	"platform", "portal", "release", "reports", "search", "shipping", "storage",
	"sync", "web",
}

// rng is a seeded generator: the same seed gives the same tree, byte for byte.
type rng struct{ r *rand.Rand }

func newRNG(seed uint64) *rng {
	return &rng{rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

func (g *rng) n(k int) int           { return g.r.IntN(k) }
func (g *rng) chance(p float64) bool { return g.r.Float64() < p }
func (g *rng) word() string          { return words[g.n(len(words))] }

func (g *rng) pick(xs ...string) string { return xs[g.n(len(xs))] }

func (g *rng) str(n int, set string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = set[g.n(len(set))]
	}
	return string(b)
}

// mixed is n characters of set that use every character class the set has
// (upper, lower, digit), have a per-byte Shannon entropy typical of random
// tokens, and contain no placeholder-like run (xxxx, example).
func (g *rng) mixed(n int, set string) string {
	want := classes(set)
	minH := 3.5
	if n < 16 {
		minH = 2.5
	}
	for {
		s := g.str(n, set)
		l := strings.ToLower(s)
		if classes(s) == want && entropy(s) >= minH && !strings.Contains(l, "xxxx") && !strings.Contains(l, "example") {
			return s
		}
	}
}

func classes(s string) int {
	c := 0
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b >= 'A' && b <= 'Z':
			c |= 1
		case b >= 'a' && b <= 'z':
			c |= 2
		case b >= '0' && b <= '9':
			c |= 4
		}
	}
	return c
}

func entropy(s string) float64 {
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	h := 0.0
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / float64(len(s))
			h -= p * math.Log2(p)
		}
	}
	return h
}

// --- planted secrets -------------------------------------------------------

func (g *rng) githubPAT() string { return "ghp" + "_" + g.mixed(36, alnum) }
func (g *rng) gitlabPAT() string { return "glpat" + "-" + g.mixed(20, alnum) }
func (g *rng) slackBot() string {
	return "xox" + "b-" + g.str(1, "123456789") + g.str(11, digits) + "-" +
		g.str(1, "123456789") + g.str(12, digits) + "-" + g.mixed(24, alnum)
}
func (g *rng) awsKeyID() string     { return "AK" + "IA" + g.mixed(16, upper27) }
func (g *rng) awsSecret() string    { return g.mixed(40, b64) }
func (g *rng) password() string     { return g.mixed(16+g.n(17), alnum) }
func (g *rng) clientSecret() string { return g.mixed(32+g.n(9), alnum) }

// jwt is a signed-looking JWT: JSON header with "alg", JSON claims, and a
// random signature of the algorithm's length.
func (g *rng) jwt() string {
	enc := base64.RawURLEncoding
	alg, sigLen := "HS256", 43
	if g.chance(0.5) {
		alg, sigLen = "RS256", 342
	}
	h := enc.EncodeToString([]byte(`{"alg":"` + alg + `","typ":"JWT"}`))
	iat := 1700000000 + g.n(50000000)
	p := enc.EncodeToString([]byte(fmt.Sprintf(`{"sub":"svc-%s-%d","iss":"https://idp.%s.test","aud":"jenkins","iat":%d,"exp":%d}`,
		g.word(), g.n(1000), g.word(), iat, iat+3600*24*365)))
	return h + "." + p + "." + g.mixed(sigLen, b64url)
}

// pemKey is a private key block of a common kind, as lines.
func (g *rng) pemKey() []string {
	type kind struct {
		label, start string
		lines, width int
	}
	kinds := []kind{
		{"RSA PRIVATE KEY", "MIIEowIBAAKCAQEA", 25, 64},
		{"OPENSSH PRIVATE KEY", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAA", 7, 70},
		{"EC PRIVATE KEY", "MHcCAQEEI", 3, 64},
		{"PRIVATE KEY", "MIIEvQIBADAN" + "BgkqhkiG9w0BAQEFAASC", 26, 64}, // PKCS#8 DER header, split for scanners
	}
	k := kinds[g.n(len(kinds))]
	out := []string{"-----BEGIN " + k.label + "-----"}
	body := k.start + g.str(k.lines*k.width-len(k.start), b64)
	for i := 0; i < k.lines; i++ {
		out = append(out, body[i*k.width:(i+1)*k.width])
	}
	out = append(out, g.str(8+g.n(40), b64)+"==", "-----END "+k.label+"-----")
	return out
}

// --- false-positive bait ---------------------------------------------------

func (g *rng) uuid() string {
	return g.str(8, hexLow) + "-" + g.str(4, hexLow) + "-4" + g.str(3, hexLow) + "-" +
		g.str(1, "89ab") + g.str(3, hexLow) + "-" + g.str(12, hexLow)
}
func (g *rng) sha() string    { return g.str(40, hexLow) }
func (g *rng) sha256() string { return g.str(64, hexLow) }

// jenkinsEncrypted is a Jenkins secret blob {AQAAABAAAA…}: version 1, a
// 16-byte IV, then the cipher text.
func (g *rng) jenkinsEncrypted() string {
	n := 16 * (1 + g.n(2))
	b := []byte{1, 0, 0, 0, 16, 0, 0, 0, byte(n)}
	for i := 0; i < 16+n; i++ {
		b = append(b, byte(g.n(256)))
	}
	return "{" + base64.StdEncoding.EncodeToString(b) + "}"
}

// pngData is a data: URI of an n-byte "PNG".
func (g *rng) pngData(n int) string {
	b := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	for len(b) < n {
		b = append(b, byte(g.n(256)))
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(b)
}

// integrity is an npm-style subresource integrity string.
func (g *rng) integrity() string {
	b := make([]byte, 64)
	for i := range b {
		b[i] = byte(g.n(256))
	}
	return "sha512-" + base64.StdEncoding.EncodeToString(b)
}

// certificate is a PEM certificate (public material), as lines.
func (g *rng) certificate() []string {
	out := []string{"-----BEGIN CERTIFICATE-----"}
	body := "MIIDdzCCAl+gAwIBAgIE" + g.str(18*64-20, b64)
	for i := 0; i < 18; i++ {
		out = append(out, body[i*64:(i+1)*64])
	}
	return append(out, g.str(20, b64)+"=", "-----END CERTIFICATE-----")
}

// sshPublicKey is an authorized_keys line (public material).
func (g *rng) sshPublicKey() string {
	return "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ" + g.str(336, b64) + " jenkins@" + g.word() + ".test"
}
