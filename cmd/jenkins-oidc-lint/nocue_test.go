package main

import (
	"os/exec"
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
