package lint

import "testing"

// The safety net redacts a secret where it stands alone, not where the same
// letters are part of a longer word.
func TestReplaceWord(t *testing.T) {
	for _, tt := range []struct{ s, sec, want string }{
		{"privateKey holds private", "private", "privateKey holds X"},
		{`value "Zq8vN3rT6w" at x`, "Zq8vN3rT6w", `value "X" at x`},
		{"https://u:Zq8vN3rT6w@host", "Zq8vN3rT6w", "https://u:X@host"},
		{"Zq8vN3rT6w", "Zq8vN3rT6w", "X"},
		{"aZq8vN3rT6w Zq8vN3rT6w", "Zq8vN3rT6w", "aZq8vN3rT6w X"},
		{"key=-----BEGIN-----", "-----BEGIN-----", "key=X"},
	} {
		if got := replaceWord(tt.s, tt.sec, "X"); got != tt.want {
			t.Errorf("replaceWord(%q, %q) = %q, want %q", tt.s, tt.sec, got, tt.want)
		}
	}
}

// Fingerprinted text has a marker wherever a secret span lies, whatever the
// order and overlap of the spans recorded by different checks.
func TestWithoutSecrets(t *testing.T) {
	data := []byte("key: AAAA BBBB CCCC end")
	m := secretMarker
	for _, tt := range []struct {
		spans      []span
		start, end int
		want       string
	}{
		{nil, 0, len(data), string(data)},
		{[]span{{10, 14}, {5, 9}}, 0, len(data), "key: " + m + " " + m + " CCCC end"},
		{[]span{{5, 14}, {7, 9}}, 0, 12, "key: " + m},                    // nested, cut at the end
		{[]span{{5, 9}, {9, 14}}, 5, 14, m + m},                          // touching: one marker each
		{[]span{{15, 19}}, 0, 9, "key: AAAA"},                            // outside
		{[]span{{0, 4}, {3, 9}, {20, 23}}, 2, 23, m + " BBBB CCCC " + m}, // overlapping from before start
	} {
		if got := withoutSecrets(data, tt.start, tt.end, disjoint(tt.spans)); got != tt.want {
			t.Errorf("spans %v [%d,%d): %q, want %q", tt.spans, tt.start, tt.end, got, tt.want)
		}
	}
}
