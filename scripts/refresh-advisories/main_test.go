package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRun rewrites a copy of the table from the test warnings: no network,
// the embedded table untouched.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "advisories.json")
	prev, err := os.ReadFile("../../source/plugins/testdata/advisories/previous.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, prev, 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	err = run([]string{"-warnings", "../../source/plugins/testdata/advisories/update-center.json", "-pages", "../../source/plugins/testdata/advisories", "-o", out}, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"id": "SECURITY-3574"`, `"cve": [`, `"CVE-2024-47806"`, `"fixed": "1112.vc87b_7a_3597f6"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("output lacks %s:\n%s", want, b)
		}
	}
	if strings.Contains(string(b), "SECURITY-9999") {
		t.Error("a warning of a plugin the tool does not judge was kept")
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr: %s", stderr.String())
	}
	if err := run(nil, &stderr); err == nil {
		t.Error("-warnings is required")
	}
}
