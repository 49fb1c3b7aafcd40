package policy

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Without $JENKINS_OIDC_LINT_POLICY, nothing next to the executable (a
// test binary) and nothing on PATH, there is no worker: one clear error,
// and Load says so at the first directory.
func TestNoWorker(t *testing.T) {
	t.Setenv(WorkerEnv, "")
	t.Setenv("PATH", t.TempDir())
	if _, err := FindWorker(); !errors.Is(err, ErrNoWorker) {
		t.Fatalf("FindWorker: %v, want ErrNoWorker", err)
	}
	// a memory budget of its own: a pool of its own, no idle worker shared
	_, errs := LoadBudget([]string{examples}, builtinIDs, Budget{Memory: 78 << 20})
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "jenkins-oidc-lint-policy") || strings.Contains(errs[0].Message, "\n") {
		t.Errorf("errors: %v", errs)
	}
	// no policies: no worker needed
	if s, errs := Load(nil, builtinIDs); len(errs) > 0 || s.Len() != 0 {
		t.Errorf("Load(nil): %v %v", s.Rules(), errs)
	}
}

// The worker is found on PATH, next to the executable, or where
// $JENKINS_OIDC_LINT_POLICY says, which wins.
func TestFindWorker(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake worker is a shell script")
	}
	dir := t.TempDir()
	fake := filepath.Join(dir, "jenkins-oidc-lint-policy")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(WorkerEnv, "")
	t.Setenv("PATH", dir)
	if p, err := FindWorker(); err != nil || p != fake {
		t.Errorf("on PATH: %q %v, want %q", p, err, fake)
	}
	t.Setenv(WorkerEnv, "/elsewhere/w")
	if p, err := FindWorker(); err != nil || p != "/elsewhere/w" {
		t.Errorf("with %s: %q %v", WorkerEnv, p, err)
	}
}

// A worker that greets with another protocol version is refused, saying
// why, and one that does not greet at all is an error too.
func TestWorkerVersion(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake worker is a shell script")
	}
	for _, tc := range []struct{ name, script, want string }{
		{"v2", `echo '{"kind":6,"hello":{"program":"jenkins-oidc-lint-policy","version":2}}'; cat >/dev/null`, "speaks version 2 of the protocol, and this program version 1"},
		{"mute", `exit 0`, "did not start"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := filepath.Join(t.TempDir(), "w")
			if err := os.WriteFile(fake, []byte("#!/bin/sh\n"+tc.script+"\n"), 0o755); err != nil {
				t.Fatal(err)
			}
			t.Setenv(WorkerEnv, fake)
			// a memory budget of its own: a pool of its own, no worker shared
			_, errs := LoadBudget([]string{examples}, builtinIDs, Budget{Memory: 77 << 20})
			if len(errs) != 1 || !strings.Contains(errs[0].Message, tc.want) {
				t.Errorf("errors: %v, want one with %q", errs, tc.want)
			}
		})
	}
}
