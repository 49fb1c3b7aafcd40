package lint

import (
	"math/rand"
	"strings"
	"testing"
)

// TestSecretSumsRedactLikeStrings checks that a dropped file's secret sums
// redact every message exactly as its secret strings do: the same
// occurrences, word boundaries, overlaps and order (longest first).
func TestSecretSumsRedactLikeStrings(t *testing.T) {
	secs := secretStrings([]byte(`a: Zq8vN3rT6wY1pL4s
b: "ghp_0123456789abcdefABCDEF0123456789abcd"
c: hunter22
d: hunter2222
e: private
f: s3cr3t-with-dash
`), []span{{3, 19}, {23, 63}, {68, 76}, {80, 90}, {94, 101}, {105, 121}})
	if len(secs) != 6 {
		t.Fatalf("secret strings: %q", secs)
	}
	messages := []string{
		"",
		"nothing secret here",
		"clientSecret is Zq8vN3rT6wY1pL4s: move it to a credential",
		"Zq8vN3rT6wY1pL4s",
		"Zq8vN3rT6wY1pL4sZq8vN3rT6wY1pL4s and xZq8vN3rT6wY1pL4s and Zq8vN3rT6wY1pL4s_",
		"token ghp_0123456789abcdefABCDEF0123456789abcd in https://u:ghp_0123456789abcdefABCDEF0123456789abcd@host/",
		"hunter2222 hunter22 hunter222 hunter22hunter22 (hunter22)",
		"privateKey private 'private' privately private",
		"s3cr3t-with-dash-s3cr3t-with-dash x-s3cr3t-with-dash-y",
		"ünïcödé Zq8vN3rT6wY1pL4s ünï",
		"hunter2",
	}
	rng := rand.New(rand.NewSource(1))
	pieces := append([]string{" ", "x", "_", "-", "\"", "hunter", "22", "Zq8v", "é"}, secs...)
	for i := 0; i < 2000; i++ {
		var b strings.Builder
		for k := rng.Intn(8); k >= 0; k-- {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		messages = append(messages, b.String())
	}
	byStrings := &redactor{byFile: map[string][]string{"Jenkinsfile": secs}}
	bySums := &redactor{byFile: map[string][]string{}, sums: map[string][]secretSum{"Jenkinsfile": secretSums(secs)}}
	for _, m := range messages {
		want := byStrings.content(m, "Jenkinsfile")
		if got := bySums.content(m, "Jenkinsfile"); got != want {
			t.Errorf("content(%q):\nsums    %q\nstrings %q", m, got, want)
		}
		if got := bySums.text(m, "Jenkinsfile"); got != byStrings.text(m, "Jenkinsfile") {
			t.Errorf("text(%q) differs", m)
		}
	}
	for _, s := range secs {
		for _, m := range messages[:11] {
			if got, want := secretSums([]string{s})[0].index(m), strings.Index(m, s); got != want {
				t.Errorf("index(%q in %q) = %d, want %d", s, m, got, want)
			}
		}
	}
}
