package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/inventory/inventorytest"
)

func runInventoryIn(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	return runCommandIn(t, dir, runInventory, args...)
}

// TestInventoryFixture runs the command on the fixture controller with every
// source kind, in a git checkout: every format, no planted secret in any,
// the last commit of each line, and --no-git.
func TestInventoryFixture(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	fx, err := inventorytest.Write(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(t.TempDir(), "ran")
	hook := filepath.Join(t.TempDir(), "hook.sh")
	if err := os.WriteFile(hook, []byte("#!/bin/sh\ntouch "+marker+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	git := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t",
			"GIT_AUTHOR_DATE=2025-11-02T09:00:00Z", "GIT_COMMITTER_DATE=2025-11-02T09:00:00Z")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	git("add", ".")
	git("commit", "-q", "-m", "fixture")
	git("config", "core.fsmonitor", hook)

	for _, f := range []string{"text", "json", "csv", "markdown"} {
		out, errOut, code := runInventoryIn(t, dir, "--format", f, "--now", "2026-06-19T12:00:00Z", "--max-secret-age", "180d", "--no-config")
		if code != exitOK || errOut != "" {
			t.Errorf("%s: exit %d, stderr %q", f, code, errOut)
		}
		if leaks := fx.Leaks(out + errOut); len(leaks) > 0 {
			t.Errorf("%s shows planted secrets: %q", f, leaks)
		}
		if f == "text" {
			for _, want := range []string{
				"controller casc\n",
				"slack-token            string GLOBAL ",
				"casc/jenkins.yaml:24:19  casc/Jenkinsfile:9",
				"2025-11-02 09:00 UTC (git) DUE: max-age 180 days",
				"EXPIRED 2026-06-01 12:00 UTC (18 days ago, jwt)",
				"controller helm/values.yaml\n",
				"helm/values.yaml:9:29",
				"14 secret(s) in 2 controller(s): 8 rotatable without a commit, 6 in files, 1 expired, 2 expiring within 30 days, 7 due for rotation (as of 2026-06-19)",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("text lacks %q:\n%s", want, out)
				}
			}
		}
		if f == "json" {
			var doc struct {
				Now     string `json:"now"`
				Secrets []struct {
					ID         string `json:"id"`
					LastChange *struct {
						Commit string `json:"commit"`
						Date   string `json:"date"`
					} `json:"lastChange"`
					Pipelines []struct {
						Path string `json:"path"`
						Line int    `json:"line"`
					} `json:"pipelines"`
				} `json:"secrets"`
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatal(err)
			}
			s := doc.Secrets[3]
			if doc.Now != "2026-06-19T12:00:00Z" || s.ID != "registry" || s.LastChange == nil || s.LastChange.Date != "2025-11-02T09:00:00Z" ||
				len(s.LastChange.Commit) != 40 || len(s.Pipelines) != 1 || s.Pipelines[0].Path != "casc/Jenkinsfile" || s.Pipelines[0].Line != 4 {
				t.Errorf("json registry: %+v", s)
			}
		}
	}
	out, _, _ := runInventoryIn(t, dir, "--format", "json", "--now", "2026-06-19", "--no-git", "--no-config")
	if strings.Contains(out, `"commit"`) {
		t.Error("--no-git: a commit is shown")
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("inventory ran the repository's core.fsmonitor command")
	}
}

// TestInventorySettings: the secrets: entries of the settings file count,
// and their mistakes are errors at their line (exit 2).
func TestInventorySettings(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"jenkins.yaml":            "credentials:\n  system:\n    domainCredentials:\n      - credentials:\n          - string:\n              id: \"github-token\"\n              secret: \"${GITHUB_TOKEN}\"\n",
		".jenkins-oidc-lint.yaml": "secrets:\n  - id: github-token\n    expires: 2026-07-01\n    rotated: 2026-01-01\n    max-age: 90d\n",
	})
	out, errOut, code := runInventoryIn(t, dir, "--now", "2026-06-19")
	if code != exitOK || errOut != "" || !strings.Contains(out, "2026-07-01 (in 12 days, declared)") || !strings.Contains(out, "2026-01-01 (declared) DUE: max-age 90 days") {
		t.Errorf("exit %d, stderr %q:\n%s", code, errOut, out)
	}
	if err := os.WriteFile(filepath.Join(dir, ".jenkins-oidc-lint.yaml"), []byte("secrets:\n  - id: github-token\n    expire: 2026-07-01\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = runInventoryIn(t, dir, "--now", "2026-06-19")
	if code != exitTrouble || out != "" || !strings.Contains(errOut, `.jenkins-oidc-lint.yaml:3:5: error: secrets: unknown key "expire" (did you mean "expires"?)`) {
		t.Errorf("bad settings: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, errOut, code := runInventoryIn(t, dir, "--no-config", "--now", "2026-06-19"); code != exitOK || errOut != "" {
		t.Errorf("--no-config: exit %d, %q", code, errOut)
	}
}

func TestInventoryUsage(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"--format", "sarif"}, `--format: unknown format "sarif" (want one of text, json, csv, markdown)`},
		{[]string{"--now", "yesterday"}, `--now: "yesterday" is not a date`},
		{[]string{"--expiry-window", "a month"}, `--expiry-window: "a month" is not an age`},
		{[]string{"--max-secret-age", "0d"}, `--max-secret-age: "0d" is not an age`},
		{[]string{"-"}, `PATH cannot be standard input`},
		{[]string{"--bogus"}, `unknown flag: --bogus`},
	} {
		_, errOut, code := runInventoryIn(t, dir, c.args...)
		if code != exitTrouble || !strings.Contains(errOut, c.err) {
			t.Errorf("%v: exit %d, stderr %q", c.args, code, errOut)
		}
	}
	out, _, code := runInventoryIn(t, dir, "--help")
	if code != exitOK || !strings.HasPrefix(out, "Usage: jenkins-oidc-lint inventory") {
		t.Errorf("--help: %d %q", code, out)
	}
	out, _, code = runInventoryIn(t, dir, "--no-config", "--no-git")
	if code != exitOK || out != "no secrets: no JCasC realm or credentials were found\n" {
		t.Errorf("empty: %d %q", code, out)
	}
	target := filepath.Join(dir, "out.csv")
	if _, _, code := runInventoryIn(t, dir, "--no-config", "-f", "csv", "-o", target); code != exitOK {
		t.Errorf("-o: exit %d", code)
	}
	if data, err := os.ReadFile(target); err != nil || !strings.HasPrefix(string(data), "controller,id,kind,") {
		t.Errorf("-o wrote %q, %v", data, err)
	}
}
