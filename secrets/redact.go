package secrets

import "strings"

// redactPrefixes are the public parts token formats start with (the
// formats table's Public prefixes and handPublic). Redact shows at most
// their first four characters.
func redactPrefixes() []string { return defaultTable().public }

const redacted = "REDACTED"

// Redact returns a form of secret that is safe to print: the first (at most
// four) characters of a known, public token prefix and "…" ("ghp_…", "AKIA…",
// "xoxb…"), or "REDACTED" when the secret has no such prefix. It never shows
// more.
func Redact(secret string) string {
	for _, p := range redactPrefixes() {
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
