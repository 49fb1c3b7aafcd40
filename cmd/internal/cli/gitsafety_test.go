package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestChangedSinceRunsNothingOfTheRepository: a repository under review can
// configure commands git runs (core.fsmonitor runs on every index refresh);
// --changed-since must not run them.
func TestChangedSinceRunsNothingOfTheRepository(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	marker := filepath.Join(t.TempDir(), "ran")
	hook := filepath.Join(dir, "monitor.sh")
	if err := os.WriteFile(hook, []byte("#!/bin/sh\ntouch "+marker+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	git := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	if err := os.WriteFile(filepath.Join(dir, "jenkins.yaml"), []byte("jenkins: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git("add", "jenkins.yaml")
	git("commit", "-q", "-m", "x")
	git("config", "core.fsmonitor", hook)
	// the hook runs for plain git commands: the test would notice it
	git("status", "--short")
	if _, err := os.Stat(marker); err != nil {
		t.Skip("this git does not run core.fsmonitor on status; nothing to prove")
	}
	os.Remove(marker)

	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := changedFiles("HEAD"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("--changed-since ran the repository's core.fsmonitor command")
	}
}
