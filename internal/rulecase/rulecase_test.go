package rulecase

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestRoundTrip: a case written and read again is the same case, and its
// files come out as a tree; a file that would land outside it is refused.
func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	c := &Case{
		Path:  filepath.Join(dir, "x", "fire-one.txtar"),
		Files: []txtar.File{{Name: "jenkins.yaml", Data: []byte("a: 1\n")}, {Name: "ci/Jenkinsfile", Data: []byte("node {}\n")}},
		Want:  "jenkins.yaml:1:1-1:2: error: m [x]\n",
		Fix:   "--- a/jenkins.yaml\n+++ b/jenkins.yaml\n",
	}
	if err := c.Write(); err != nil {
		t.Fatal(err)
	}
	got, err := Read(c.Path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name() != "fire-one" || got.Want != c.Want || got.Fix != c.Fix || len(got.Files) != 2 || got.Files[1].Name != "ci/Jenkinsfile" {
		t.Errorf("read back %+v", got)
	}
	dirs, err := Materialize(dir, filepath.Join(dir, "out"))
	if err != nil || len(dirs) != 1 {
		t.Fatalf("Materialize: %v %v", dirs, err)
	}
	if data, err := os.ReadFile(filepath.Join(dirs[0], "ci", "Jenkinsfile")); err != nil || string(data) != "node {}\n" {
		t.Errorf("tree: %q %v", data, err)
	}
	bad := &Case{Path: "bad.txtar", Files: []txtar.File{{Name: "../escape", Data: []byte("x\n")}}}
	if err := bad.WriteTree(t.TempDir()); err == nil {
		t.Error("a file outside the case was written")
	}
}
