package rules_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/golden"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/rulecase"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/lint"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/rules"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry"
)

// caseNow is the clock of every rule case: the cases of secret-expiring
// and secret-not-rotated are dated from it.
var caseNow = time.Date(2026, 6, 19, 12, 0, 0, 0, time.UTC)

// TestRules runs every case testdata/rules/<rule-id>/<case>.txtar (see
// internal/rulecase): the case's files are written to a directory, linted
// with only that rule enabled, and the findings must equal the case's want
// section exactly (path:line:col-endline:endcol: severity: message [rule],
// related places below), the fixes its fix.diff section. Cases named
// fire-* must produce findings, quiet-* none. go test -update rewrites
// both sections.
func TestRules(t *testing.T) {
	ruleDirs, err := os.ReadDir("../testdata/rules")
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, rd := range ruleDirs {
		id := rd.Name()
		if !rules.Known(id) {
			t.Errorf("testdata/rules/%s: no such rule", id)
			continue
		}
		paths, err := filepath.Glob(filepath.Join("../testdata/rules", id, "*.txtar"))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			c, err := rulecase.Read(p)
			if err != nil {
				t.Fatal(err)
			}
			covered[id+"/"+strings.SplitN(c.Name(), "-", 2)[0]] = true
			t.Run(id+"/"+c.Name(), func(t *testing.T) {
				runCase(t, id, c)
			})
		}
	}
	for _, r := range rules.All() {
		if !rules.HasCheck(r.ID) {
			continue
		}
		if !covered[r.ID+"/fire"] || !covered[r.ID+"/quiet"] {
			t.Errorf("rule %s needs testdata/rules/%s/fire-*.txtar and quiet-*.txtar cases", r.ID, r.ID)
		}
	}
}

func runCase(t *testing.T, id string, c *rulecase.Case) {
	dir := filepath.Join(t.TempDir(), c.Name())
	if err := c.WriteTree(dir); err != nil {
		t.Fatal(err)
	}
	rep, err := lint.Run(lint.Options{Paths: []string{dir}, Enable: []string{id}, Jobs: 2,
		Config: rules.Config{Secrets: expiry.Settings{Now: caseNow}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range rep.Errors {
		t.Errorf("unexpected file error: %v", e)
	}
	var b strings.Builder
	prefix := filepath.ToSlash(dir) + "/"
	fixes := map[string][]report.Fix{}
	for _, f := range rep.Findings {
		if f.Rule != id {
			continue
		}
		fmt.Fprintf(&b, "%s:%d:%d-%d:%d: %s: %s [%s]\n", strings.TrimPrefix(f.Pos.Path, prefix), f.Pos.Line, f.Pos.Col, f.End.Line, f.End.Col, f.Severity, strings.ReplaceAll(f.Message, prefix, ""), f.Rule)
		for _, r := range f.Related {
			fmt.Fprintf(&b, "\trelated %s:%d:%d: %s\n", strings.TrimPrefix(r.Pos.Path, prefix), r.Pos.Line, r.Pos.Col, r.Message)
		}
		if f.Fix != nil {
			fixes[f.Fix.Path] = append(fixes[f.Fix.Path], *f.Fix)
		}
	}
	got := b.String()
	gotFix := fixDiff(t, fixes, prefix)
	if golden.Updating() {
		c.Want, c.Fix = got, gotFix
		if err := c.Write(); err != nil {
			t.Fatal(err)
		}
	}
	if got != c.Want {
		t.Errorf("findings differ from the want section of %s (go test ./rules -run TestRules -update rewrites it; review the diff)\n--- got\n%s--- want\n%s", c.Path, got, c.Want)
	}
	if gotFix != c.Fix {
		t.Errorf("fixes differ from the fix.diff section of %s\n--- got\n%s--- want\n%s", c.Path, gotFix, c.Fix)
	}
	switch {
	case strings.HasPrefix(c.Name(), "fire-") && got == "":
		t.Errorf("a fire-* case must produce findings of %s", id)
	case strings.HasPrefix(c.Name(), "quiet-") && got != "":
		t.Errorf("a quiet-* case must produce no findings of %s", id)
	}
}

// fixDiff is the unified diff of each file's fixes applied, files in path
// order, paths relative to the case.
func fixDiff(t *testing.T, fixes map[string][]report.Fix, prefix string) string {
	paths := make([]string, 0, len(fixes))
	for p := range fixes {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var b strings.Builder
	for _, p := range paths {
		old, err := os.ReadFile(filepath.FromSlash(p))
		if err != nil {
			t.Fatal(err)
		}
		fixed, err := lint.ApplyFixes(old, fixes[p])
		if err != nil {
			fmt.Fprintf(&b, "%s: %v\n", strings.TrimPrefix(p, prefix), err)
			continue
		}
		b.WriteString(lint.UnifiedDiff(strings.TrimPrefix(p, prefix), old, fixed))
	}
	return b.String()
}
