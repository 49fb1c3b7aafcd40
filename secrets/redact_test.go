package secrets

import (
	"slices"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	g := newGen(3)
	tests := []struct{ secret, want string }{
		{g.githubPAT(), "ghp_…"},
		{g.githubOAuth(), "gho_…"},
		{g.githubFine(), "gith…"},
		{g.gitlabPAT(), "glpa…"},
		{g.slackBot(), "xoxb…"},
		{g.awsID(), "AKIA…"},
		{g.npm(), "npm_…"},
		{g.jwt(), "eyJ…"},
		{g.gcpAPIKey(), "AIza…"},
		{"GOCSPX-" + g.mixed(28, b64url), "GOCS…"},
		{g.password(), "REDACTED"},
		{g.jenkins(), "REDACTED"},
		{g.okta(), "REDACTED"},
		{g.pemBlock("RSA PRIVATE KEY"), "REDACTED"},
		{g.slackHook(), "REDACTED"},
		{"ghp_", "REDACTED"}, // the prefix alone is not a token
		{"", "REDACTED"},
		{"xREDACTEDx", "***"},
	}
	for _, tc := range tests {
		if got := Redact(tc.secret); got != tc.want {
			t.Errorf("Redact(%.6q…) = %q, want %q", tc.secret, got, tc.want)
		}
	}
}

// TestRedactNeverLeaks: whatever the secret, the output holds no run of 6 or
// more of its characters beyond the allowed public prefix.
func TestRedactNeverLeaks(t *testing.T) {
	g := newGen(5)
	var secrets []string
	for i := 0; i < 200; i++ {
		secrets = append(secrets, g.githubPAT(), g.password(), g.awsSecret(), g.slackUser(), g.jwt(),
			g.str(6+g.r.IntN(40), "REDACTEDredacted*…"), g.str(1+g.r.IntN(12), alnum+"_-"))
	}
	for _, s := range secrets {
		out := Redact(s)
		if utf8Len(out) > 8 {
			t.Errorf("Redact output %q is longer than 8 characters", out)
		}
		// The allowed part: at most 4 leading characters of a known prefix.
		allowed := 0
		for _, p := range redactPrefixes() {
			if strings.HasPrefix(s, p) {
				allowed = min(4, len(p))
				break
			}
		}
		rest := s[allowed:]
		for i := 0; i+6 <= len(rest); i++ {
			if strings.Contains(out, rest[i:i+6]) {
				t.Fatalf("Redact(%q) = %q leaks %q", s, out, rest[i:i+6])
			}
		}
	}
}

func utf8Len(s string) int { return len([]rune(s)) }

// TestRedactPrefixesAreTheTables: the prefixes Redact gathers without
// compiling the table are the compiled table's public list, in its order.
func TestRedactPrefixesAreTheTables(t *testing.T) {
	if got, want := redactPrefixes(), defaultTable().public; !slices.Equal(got, want) {
		t.Errorf("redactPrefixes() = %q, the table's = %q", got, want)
	}
}
