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
