package settings

import "testing"

func TestGlob(t *testing.T) {
	for _, tt := range []struct {
		pat, path string
		want      bool
	}{
		{"legacy/**", "legacy/a/b.yaml", true},
		{"legacy/**", "src/legacy/b.yaml", false},
		{"**/old-*.yaml", "a/b/old-x.yaml", true},
		{"vendor", "x/vendor/y.yaml", true},
		{"*.json", "a/b.json", true},
		{"a/*.yaml", "a/b/c.yaml", false},
	} {
		if got := globMatch(tt.pat, tt.path); got != tt.want {
			t.Errorf("globMatch(%q, %q) = %v", tt.pat, tt.path, got)
		}
	}
}
