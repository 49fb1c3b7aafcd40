package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoCUEInTheBinary: jenkins-oidc-lint starts as fast as a process
// can, so it links no CUE (nor CUE's decimal and protobuf packages, whose
// inits cost milliseconds): the built-in schemas are compiled at build
// time (schema/internal/shapegen), the settings are checked against those
// shapes, and user policies are evaluated by jenkins-oidc-lint-policy, the
// only program that links CUE.
func TestNoCUEInTheBinary(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	deps := func(pkg string) []string {
		out, err := exec.Command(gobin, "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		return strings.Fields(string(out))
	}
	banned := []string{"cuelang.org/go", "github.com/cockroachdb/apd", "google.golang.org/protobuf"}
	for _, d := range deps(".") {
		for _, b := range banned {
			if d == b || strings.HasPrefix(d, b+"/") {
				t.Errorf("jenkins-oidc-lint links %s", d)
			}
		}
	}
	// and the worker does link CUE (else this test proves nothing)
	found := false
	for _, d := range deps("../jenkins-oidc-lint-policy") {
		found = found || d == "cuelang.org/go/cue"
	}
	if !found {
		t.Error("jenkins-oidc-lint-policy does not link cuelang.org/go/cue")
	}
}

// With policies and no worker to run them (none named, none next to this
// test binary, none on PATH): one line that says what to install, exit 2.
// Without policies, nothing is looked for.
func TestNoWorkerOneLine(t *testing.T) {
	t.Setenv("JENKINS_OIDC_LINT_POLICY", "")
	t.Setenv("PATH", t.TempDir())
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "jenkins.yaml"), []byte("jenkins:\n  systemMessage: hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"--no-config", "--policy", "../../testdata/policies", dir},
		{"rules", "--no-config", "--policy", "../../testdata/policies"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(args, strings.NewReader(""), &stdout, &stderr)
		if code != 2 || strings.Count(stderr.String(), "\n") != 1 || !strings.Contains(stderr.String(), "jenkins-oidc-lint-policy, which is neither next to this program nor on PATH") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr.String())
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--no-config", dir}, strings.NewReader(""), &stdout, &stderr); code == 2 {
		t.Errorf("without policies: exit 2: %s", stderr.String())
	}
}
