package secrets

import (
	"sort"
	"strings"
	"sync"
)

// redactPrefixes are the public parts token formats start with (the
// formats table's Public prefixes and handPublic, longest first: the
// compiled table's public list, which TestRedactPrefixesAreTheTables
// compares). Redact shows at most their first four characters. They are
// gathered without compiling the table: a run that redacts a secret it
// did not scan for (a password field) need not pay for the scanner.
var redactPrefixes = sync.OnceValue(func() []string {
	var public []string
	for _, f := range formats {
		public = append(public, f.Public...)
	}
	public = append(public, handPublic...)
	sort.SliceStable(public, func(i, j int) bool { return len(public[i]) > len(public[j]) })
	return public
})

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
