// Package golden compares test output with golden files kept under
// testdata/, and rewrites them when a test binary runs with -update (the
// one such flag of the project's tests).
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files instead of comparing with them")

// Updating reports whether the run rewrites golden files.
func Updating() bool { return *update }

// Check compares got with the file at path, or rewrites the file under
// -update. A missing file is an error that names the flag.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it, then review it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("output differs from %s (rerun with -update to accept, then review the diff)\n--- got\n%s--- want\n%s", path, got, want)
	}
}
