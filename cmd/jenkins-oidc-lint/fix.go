package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/lint"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
)

// printDiffs prints the suggested fixes as unified diffs. The diff is made
// from the report's masked file contents, so a fix that replaces a secret
// never prints the secret.
func printDiffs(rep *report.Report, stdout, stderr io.Writer) int {
	fixes := lint.Fixes(rep)
	paths := make([]string, 0, len(fixes))
	for p := range fixes {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		old := rep.Files[p]
		fixed, err := lint.ApplyFixes(old, fixes[p])
		if err != nil {
			fmt.Fprintf(stderr, "jenkins-oidc-lint: %s: %v\n", p, err)
			return exitTrouble
		}
		fmt.Fprint(stdout, lint.UnifiedDiff(p, old, fixed))
	}
	if len(rep.Errors) > 0 {
		return exitTrouble
	}
	return exitOK
}

// applyFixes writes the suggested fixes into the files, byte-precise.
func applyFixes(rep *report.Report) (int, error) {
	fixes := lint.Fixes(rep)
	n := 0
	paths := make([]string, 0, len(fixes))
	for p := range fixes {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		osPath := filepath.FromSlash(p)
		data, err := os.ReadFile(osPath)
		if err != nil {
			return n, err
		}
		fixed, err := lint.ApplyFixes(data, fixes[p])
		if err != nil {
			return n, fmt.Errorf("%s: %v", p, err)
		}
		st, err := os.Stat(osPath)
		if err != nil {
			return n, err
		}
		if err := os.WriteFile(osPath, fixed, st.Mode().Perm()); err != nil {
			return n, err
		}
		n += len(fixes[p])
	}
	return n, nil
}

// changedFiles lists the absolute paths of files changed since rev: tracked
// changes (committed or not) and untracked files git does not ignore.
func changedFiles(rev string) (map[string]bool, error) {
	if strings.HasPrefix(rev, "-") {
		return nil, fmt.Errorf("invalid revision %q", rev)
	}
	out := map[string]bool{}
	for _, args := range [][]string{
		// -z: names as they are (no C quoting of non-ASCII names)
		{"diff", "--name-only", "-z", "--relative", "--no-renames", rev, "--"},
		{"ls-files", "-z", "--others", "--exclude-standard"},
	} {
		cmd := exec.Command("git", args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		b, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("git %s: %s", args[0], gitProblem(stderr.String(), err))
		}
		for _, name := range strings.Split(string(b), "\x00") {
			if name != "" {
				abs, err := filepath.Abs(filepath.FromSlash(name))
				if err == nil {
					out[abs] = true
				}
			}
		}
	}
	return out, nil
}

// gitProblem is the line of git's error output that says what went wrong
// (its "fatal:" or "error:" line; not the usage text it may print after).
func gitProblem(stderr string, err error) string {
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	for _, l := range lines {
		if strings.HasPrefix(l, "fatal:") || strings.HasPrefix(l, "error:") {
			return strings.TrimSpace(l)
		}
	}
	if lines[0] != "" {
		return strings.TrimSpace(lines[0])
	}
	return err.Error()
}
