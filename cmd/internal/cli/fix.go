package cli

import (
	"bytes"
	"errors"
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

// printDiffs prints the suggested fixes as unified diffs that `git apply`
// applies. They are made from the report's masked file contents and show no
// line that holds a secret: context stops before such a line, and a fix that
// rewrites one is left out and named in a "# " comment line (see lint.Diff).
// The file is read again only to tell which lines hold secrets; when it
// cannot be (standard input) or is not what was linted (changed since, or
// standard input named like a file), every line with a '*' counts as one.
func printDiffs(rep *report.Report, stdout, stderr io.Writer) int {
	fixes := lint.Fixes(rep)
	code := exitOK
	for _, p := range sortedPaths(fixes) {
		masked := bytes.Clone(rep.Text(p)) // Text may reuse its buffer
		if masked == nil {
			fmt.Fprintf(stderr, "jenkins-oidc-lint: --diff: %s: the report holds no text of the file: no diff\n", p)
			code = exitTrouble
			continue
		}
		var original []byte
		if data, err := os.ReadFile(filepath.FromSlash(p)); err == nil {
			if same := lint.Linted(rep, p); same != nil && same(data) {
				original = data
			}
		}
		fmt.Fprint(stdout, lint.Diff(p, masked, original, fixes[p]).Text)
	}
	if len(rep.Errors) > 0 {
		return exitTrouble
	}
	return code
}

// applyFixesTo writes the suggested fixes into the files, byte-precise, each
// file only if it is still what was linted (lint.WriteFixes: locked, checked,
// replaced whole). A file that cannot be fixed is an error that names it
// (one line each); the other files are still fixed. It returns the number of
// edits made. Fixes that disagree are left out, with a note on stderr.
func applyFixesTo(rep *report.Report, stderr io.Writer) (int, error) {
	at := map[report.Fix]report.Position{}
	for _, f := range rep.Findings {
		if f.Fix != nil {
			at[*f.Fix] = f.Pos
		}
	}
	fixes := lint.Fixes(rep)
	n := 0
	var errs []error
	for _, p := range sortedPaths(fixes) {
		res, err := lint.WriteFixes(filepath.FromSlash(p), fixes[p], lint.Linted(rep, p))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %v", p, err))
			continue
		}
		n += len(res.Edits)
		for _, c := range res.Conflicts {
			descs := make([]string, len(c))
			for i, f := range c {
				descs[i] = f.Description
			}
			fmt.Fprintf(stderr, "jenkins-oidc-lint: --fix: %s: %d fixes of one place disagree (%s): none applied\n", at[c[0]], len(c), strings.Join(descs, "; "))
		}
	}
	return n, errors.Join(errs...)
}

// runFix is --fix: it fixes until no fix is left (lint.FixAll: each file
// locked, checked against what was linted, replaced whole, a few rounds
// when a fix reveals another), says on stderr what it did, one line per
// file it refused (named) and per place where fixes disagreed, and returns
// the report of what remains and whether a file was refused (exit 2).
func runFix(opts lint.Options, stderr io.Writer) (*report.Report, bool, error) {
	res, err := lint.FixAll(opts)
	if err != nil {
		return nil, false, err
	}
	for _, e := range res.Refused {
		fmt.Fprintf(stderr, "jenkins-oidc-lint: --fix: %v\n", e)
	}
	for _, c := range res.Conflicts {
		fmt.Fprintf(stderr, "jenkins-oidc-lint: --fix: %s\n", c)
	}
	fmt.Fprintf(stderr, "jenkins-oidc-lint: applied %d %s\n", res.Applied, plural(res.Applied, "fix", "fixes"))
	if res.Pending {
		fmt.Fprintf(stderr, "jenkins-oidc-lint: --fix: fixes are left after %d rounds: run --fix again\n", res.Rounds)
	}
	return res.Report, len(res.Refused) > 0, nil
}

func sortedPaths[V any](m map[string]V) []string {
	paths := make([]string, 0, len(m))
	for p := range m {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
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
		// git would run commands the repository configures (core.fsmonitor
		// runs on every index refresh): the repository is not trusted.
		cmd := exec.Command("git", append([]string{"-c", "core.fsmonitor=false", "--no-optional-locks"}, args...)...)
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
