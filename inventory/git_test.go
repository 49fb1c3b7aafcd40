package inventory_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/inventory"
)

// repo makes a git repository in a new directory whose commands would
// touch marker if git ran them: core.fsmonitor, a clean filter, a textconv
// driver, core.sshCommand.
func repo(t *testing.T) (dir, marker string, git func(date string, args ...string)) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir = t.TempDir()
	marker = filepath.Join(t.TempDir(), "ran")
	hook := filepath.Join(dir, "hook.sh")
	if err := os.WriteFile(hook, []byte("#!/bin/sh\ntouch "+marker+"\ncat\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	git = func(date string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t",
			"GIT_COMMITTER_EMAIL=t@example.com", "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date, "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("", "init", "-q")
	return dir, marker, git
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestGitLineChanged(t *testing.T) {
	dir, marker, git := repo(t)
	file := filepath.Join(dir, "casc", "jenkins.yaml")
	write(t, file, "credentials:\n  a: 1\n  b: 2\n")
	git("2025-03-01T10:00:00Z", "add", ".")
	git("2025-03-01T10:00:00Z", "commit", "-q", "-m", "first")
	write(t, file, "credentials:\n  a: 1\n  b: 3\n  c: 4\n")
	git("2025-09-15T08:30:00Z", "commit", "-q", "-am", "second")
	// the repository's commands, which must never run
	git("", "config", "core.fsmonitor", filepath.Join(dir, "hook.sh"))
	git("", "config", "filter.evil.clean", filepath.Join(dir, "hook.sh"))
	git("", "config", "filter.evil.smudge", filepath.Join(dir, "hook.sh"))
	git("", "config", "diff.evil.textconv", filepath.Join(dir, "hook.sh"))
	git("", "config", "core.sshCommand", filepath.Join(dir, "hook.sh"))
	write(t, filepath.Join(dir, ".gitattributes"), "*.yaml filter=evil diff=evil\n")

	g := inventory.NewGit()
	day := func(c time.Time) string { return c.Format("2006-01-02") }
	c, ok := g.LineChanged(file, 2)
	if !ok || c.Uncommitted || day(c.Date) != "2025-03-01" || len(c.Commit) != 40 {
		t.Errorf("line 2: %+v %v", c, ok)
	}
	c, ok = g.LineChanged(file, 3)
	if !ok || day(c.Date) != "2025-09-15" {
		t.Errorf("line 3: %+v %v", c, ok)
	}
	// the work tree moves lines and changes one
	write(t, file, "# a comment\ncredentials:\n  a: 1\n  b: 5\n  c: 4\n")
	g = inventory.NewGit()
	if c, ok := g.LineChanged(file, 3); !ok || day(c.Date) != "2025-03-01" {
		t.Errorf("moved line: %+v %v", c, ok)
	}
	if c, ok := g.LineChanged(file, 4); !ok || !c.Uncommitted {
		t.Errorf("changed line: %+v %v", c, ok)
	}
	if c, ok := g.LineChanged(file, 9); !ok || !c.Uncommitted {
		t.Errorf("line past the committed end: %+v %v", c, ok)
	}
	// relative paths, as the command line gives them
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	if c, ok := inventory.NewGit().LineChanged("casc/jenkins.yaml", 5); !ok || day(c.Date) != "2025-09-15" {
		t.Errorf("relative path: %+v %v", c, ok)
	}
	write(t, filepath.Join(dir, "untracked.yaml"), "a: 1\n")
	if _, ok := g.LineChanged("untracked.yaml", 1); ok {
		t.Error("an untracked file has a commit")
	}
	if _, ok := g.LineChanged(filepath.Join(t.TempDir(), "x.yaml"), 1); ok {
		t.Error("a file outside any repository has a commit")
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("git ran a command the repository configures")
	}
	// prove the hook would have run for a plain git command
	git("", "status", "--short")
	if _, err := os.Stat(marker); err != nil {
		t.Log("this git runs neither fsmonitor nor the clean filter on status: the check above proves less")
	}
}

func TestClassify(t *testing.T) {
	for _, c := range []struct {
		in, src, ref string
	}{
		{"${OIDC_CLIENT_SECRET}", "environment", "${OIDC_CLIENT_SECRET}"},
		{"${env:OIDC}", "environment", "${env:OIDC}"},
		{"${readFile:/run/secrets/oidc}", "secret-file", "${readFile:/run/secrets/oidc}"},
		{"${fileBase64:/run/secrets/key.p12}", "secret-file", "${fileBase64:/run/secrets/key.p12}"},
		{"${json:secret:${readFile:/run/secrets/oidc.json}}", "secret-file", "${json:secret:${readFile:/run/secrets/oidc.json}}"},
		{"${decodeBase64:${ENCODED}}", "environment", "${decodeBase64:${ENCODED}}"},
		{"${aws:secretsmanager:ci/oidc}", "aws-secrets-manager", "${aws:secretsmanager:ci/oidc}"},
		{"${arn:aws:ssm:eu-west-1:123456789012:parameter/ci/oidc}", "aws-ssm", "${arn:aws:ssm:eu-west-1:123456789012:parameter/ci/oidc}"},
		{"${vault:secret/ci:oidc}", "vault", "${vault:secret/ci:oidc}"},
		{"${PW:-<password>}", "environment", "${PW}"},
		{"${PW:-Xk9-real-default-v4lue}", "literal-default", ""},
		{"Bearer ${TOKEN}", "environment", ""},
		{"{{ .Values.oidc.secret }}", "template", ""},
		{"none", "none", ""},
		{"", "none", ""},
		{"{AQAAABAAAAAQwYtB5rXZ0n8aV1c2bYq3mFhT7hJ9}", "encrypted", ""},
		{"Xk9-real-s3cret-v4lue-77", "literal", ""},
		// a reference with quoted text or a call inside may hold the
		// secret itself: it is not shown
		{`${coalesce(x, "hUAdw5DUCzx2RBkDL5O0a1bpSoWF0hrT-real")}`, "environment", ""},
		{`${VAR, 'Xk9-real-s3cret-v4lue-77'}`, "environment", ""},
	} {
		src, ref := inventory.Classify(c.in, nil)
		if string(src) != c.src || ref != c.ref {
			t.Errorf("Classify(%q) = %s %q, want %s %q", c.in, src, ref, c.src, c.ref)
		}
		if strings.Contains(c.in, "real") && strings.Contains(ref, "real") {
			t.Errorf("Classify(%q) shows a literal", c.in)
		}
	}
}
