package secrets

import "strings"

// redactPrefixes are the public parts token formats start with. Redact shows
// at most their first four characters.
var redactPrefixes = []string{
	"github_pat_", "ghp_", "gho_", "ghs_", "ghu_", "ghr_",
	"glpat-", "gldt-", "glrt-", "glptt-", "glcbt-",
	"xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxo-", "xoxs-", "xoxe", "xapp-",
	"AKIA", "ASIA", "ABIA", "ACCA", "AIza",
	"npm_", "eyJ", "GOCSPX-",
}

const redacted = "REDACTED"

// Redact returns a form of secret that is safe to print: the first (at most
// four) characters of a known, public token prefix and "…" ("ghp_…", "AKIA…",
// "xoxb…"), or "REDACTED" when the secret has no such prefix. It never shows
// more.
func Redact(secret string) string {
	for _, p := range redactPrefixes {
		if strings.HasPrefix(secret, p) && len(secret) > len(p) {
			if len(p) > 4 {
				p = p[:4]
			}
			return p + "…"
		}
	}
	// A secret that itself contains the marker would leak through it.
	for i := 0; i+6 <= len(redacted); i++ {
		if strings.Contains(secret, redacted[i:i+6]) {
			return "***"
		}
	}
	return redacted
}
