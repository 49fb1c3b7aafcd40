//go:build unix

package source

import (
	"path/filepath"
	"syscall"
	"testing"
)

// A named pipe nobody writes to reads as empty instead of blocking forever
// (one with a writer, as `<(…)` gives, reads what is written: see the
// engine's pipe test).
func TestReadNamedPipe(t *testing.T) {
	p := filepath.Join(t.TempDir(), "jenkins.yaml")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skip("mkfifo:", err)
	}
	f, ferr := Read(Candidate{Path: "jenkins.yaml", OSPath: p}, 1<<20)
	if ferr != nil || len(f.Data) != 0 || f.Regular {
		t.Fatalf("no writer: %+v, %v", f, ferr)
	}
}
