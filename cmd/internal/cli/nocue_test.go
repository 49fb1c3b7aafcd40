package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/online"
)

// goDeps lists the packages pkg links (go list -deps); the test is skipped
// without a go command.
func goDeps(t *testing.T, pkg string) []string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	out, err := exec.Command(gobin, "list", "-deps", pkg).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	return strings.Fields(string(out))
}

// TestNoCUEInTheBinary: jenkins-oidc-lint starts as fast as a process
// can, so it links no CUE (nor CUE's decimal and protobuf packages, whose
// inits cost milliseconds): the built-in schemas are compiled at build
// time (schema/internal/shapegen), the settings are checked against those
// shapes, and user policies are evaluated by jenkins-oidc-lint-policy, the
// only program that links CUE.
func TestNoCUEInTheBinary(t *testing.T) {
	deps := func(pkg string) []string { return goDeps(t, pkg) }
	banned := []string{"cuelang.org/go", "github.com/cockroachdb/apd", "google.golang.org/protobuf"}
	for _, d := range deps("../../jenkins-oidc-lint") {
		for _, b := range banned {
			if d == b || strings.HasPrefix(d, b+"/") {
				t.Errorf("jenkins-oidc-lint links %s", d)
			}
		}
	}
	// and the worker does link CUE (else this test proves nothing)
	found := false
	for _, d := range deps("../../jenkins-oidc-lint-policy") {
		found = found || d == "cuelang.org/go/cue"
	}
	if !found {
		t.Error("jenkins-oidc-lint-policy does not link cuelang.org/go/cue")
	}
}

// TestNoNetworkInTheBinary: nor does jenkins-oidc-lint link the network
// stack (net/http, TLS) or an OIDC library, whose inits and size cost about
// a millisecond of every start: --online and access run in
// jenkins-oidc-lint-online, which links them.
func TestNoNetworkInTheBinary(t *testing.T) {
	deps := func(pkg string) map[string]bool {
		m := map[string]bool{}
		for _, d := range goDeps(t, pkg) {
			m[d] = true
		}
		return m
	}
	banned := []string{"net/http", "crypto/tls", "github.com/coreos/go-oidc/v3/oidc", "github.com/jenkins-oidc-lint/jenkins-oidc-lint/online", "github.com/jenkins-oidc-lint/jenkins-oidc-lint/access"}
	thin, full := deps("../../jenkins-oidc-lint"), deps("../../jenkins-oidc-lint-online")
	for _, b := range banned {
		if thin[b] {
			t.Errorf("jenkins-oidc-lint links %s", b)
		}
		if !full[b] {
			t.Errorf("jenkins-oidc-lint-online does not link %s (else this test proves nothing)", b)
		}
	}
}

// TestOnlineDefaults: the --online flags' defaults are package online's.
func TestOnlineDefaults(t *testing.T) {
	if defaultOnlineTimeout != online.DefaultTimeout || defaultOnlineConnectTimeout != online.DefaultConnectTimeout {
		t.Errorf("--online-timeout %v, --online-connect-timeout %v; package online: %v, %v", defaultOnlineTimeout, defaultOnlineConnectTimeout, online.DefaultTimeout, online.DefaultConnectTimeout)
	}
}

// Without jenkins-oidc-lint-online (none named, none next to this test
// binary, none on PATH), --online and access are one line that says what
// to install, exit 2, and nothing else is done.
func TestNoOnlineProgramOneLine(t *testing.T) {
	t.Setenv(OnlineEnv, "")
	t.Setenv("PATH", t.TempDir())
	thin := Program{Version: "0.1.0-dev", Handoff: func() error { return Handoff("0.1.0-dev", []string{"unused"}) }}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "jenkins.yaml"), []byte("jenkins:\n  systemMessage: hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"--no-config", "--online", dir},
		{"access", "--claims", "-", dir},
	} {
		var stdout, stderr bytes.Buffer
		code := Run(thin, args, strings.NewReader("{}"), &stdout, &stderr)
		if code != 2 || stdout.Len() > 0 || strings.Count(stderr.String(), "\n") != 1 || !strings.Contains(stderr.String(), "needs jenkins-oidc-lint-online, which is neither next to this program nor on PATH") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout.String(), stderr.String())
		}
	}
	var stdout, stderr bytes.Buffer
	if code := Run(thin, []string{"--no-config", "--online=false", dir}, strings.NewReader(""), &stdout, &stderr); code == 2 {
		t.Errorf("--online=false: exit 2: %s", stderr.String())
	}
}

// TestHandoffOnce: a run already handed off is not handed off again
// (JENKINS_OIDC_LINT_ONLINE naming jenkins-oidc-lint itself would loop):
// one line, exit 2, and no program is started.
func TestHandoffOnce(t *testing.T) {
	t.Setenv(handedOff, "/usr/local/bin/jenkins-oidc-lint")
	t.Setenv(OnlineEnv, "/usr/local/bin/jenkins-oidc-lint")
	thin := Program{Version: "0.1.0-dev", Handoff: func() error { return Handoff("0.1.0-dev", []string{"--online", "."}) }}
	var stdout, stderr bytes.Buffer
	code := Run(thin, []string{"--no-config", "--online", t.TempDir()}, strings.NewReader(""), &stdout, &stderr)
	want := "jenkins-oidc-lint: --online needs jenkins-oidc-lint-online, but the program found for it (/usr/local/bin/jenkins-oidc-lint) cannot run it either\n"
	if code != 2 || stdout.Len() > 0 || stderr.String() != want {
		t.Errorf("exit %d, stdout %q, stderr %q, want %q", code, stdout.String(), stderr.String(), want)
	}
}

// TestHandoffVersionDrift: jenkins-oidc-lint-online refuses a run handed
// over by another version of jenkins-oidc-lint (one of the two was
// upgraded alone), in one line; the same version runs.
func TestHandoffVersionDrift(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "jenkins.yaml"), []byte("jenkins:\n  systemMessage: hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(handedOffBy, "v1.4.0")
	var stdout, stderr bytes.Buffer
	code := Run(onlineProgram, []string{"--no-config", dir}, strings.NewReader(""), &stdout, &stderr)
	want := "jenkins-oidc-lint: jenkins-oidc-lint v1.4.0 handed this run to jenkins-oidc-lint-online 0.1.0-dev: install the programs of one version together (go install github.com/jenkins-oidc-lint/jenkins-oidc-lint/cmd/...@v1.4.0)\n"
	if code != 2 || stdout.Len() > 0 || stderr.String() != want {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
	t.Setenv(handedOffBy, onlineProgram.Version)
	stdout.Reset()
	stderr.Reset()
	if code := Run(onlineProgram, []string{"--no-config", dir}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Errorf("the same version: exit %d, stderr %q", code, stderr.String())
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
		{"--no-config", "--policy", "../../../testdata/policies", dir},
		{"rules", "--no-config", "--policy", "../../../testdata/policies"},
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
