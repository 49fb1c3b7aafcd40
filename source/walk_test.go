package source

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Read holds a regular file in a buffer of exactly its size (the engine
// keeps many files at once), and refuses one over the limit.
func TestReadExactSize(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "jenkins.yaml")
	data := strings.Repeat("jenkins:\n  systemMessage: x\n", 1000)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	f, ferr := Read(Candidate{Path: "jenkins.yaml", OSPath: p}, 1<<20)
	if ferr != nil {
		t.Fatal(ferr.Message)
	}
	if string(f.Data) != data || cap(f.Data) != len(data) {
		t.Errorf("read %d bytes (cap %d), want %d", len(f.Data), cap(f.Data), len(data))
	}
	if _, ferr := Read(Candidate{Path: "jenkins.yaml", OSPath: p}, 100); ferr == nil || !strings.Contains(ferr.Message, "more than 100 bytes") {
		t.Errorf("over the limit: %v", ferr)
	}
	if _, err := ReadLimited(strings.NewReader(data), 100); !errors.Is(err, ErrTooLarge) {
		t.Errorf("ReadLimited over the limit: %v", err)
	}
}
