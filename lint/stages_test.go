package lint

import (
	"strings"
	"testing"
)

// TestStages keeps Run's steps, and their order, as documented: moving a
// stage changes what the report holds (redaction before sorting and
// fingerprints, the baseline after them, --changed-since last).
func TestStages(t *testing.T) {
	want := "online errors rules embedded filter files suppress severity redact sort fingerprint baseline paths hashes sources late-errors notes summary"
	var got []string
	for _, st := range stages {
		got = append(got, st.name)
	}
	if g := strings.Join(got, " "); g != want {
		t.Errorf("stages:\n got %s\nwant %s", g, want)
	}
}
