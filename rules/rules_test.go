package rules_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/golden"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/lint"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/rules"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry"
)

// caseNow is the clock of every rule case: the cases of secret-expiring
// and secret-not-rotated are dated from it.
var caseNow = time.Date(2026, 6, 19, 12, 0, 0, 0, time.UTC)

// TestRules runs every case under testdata/rules/<rule-id>/<case>/: the case
// directory is linted with only that rule enabled, and the findings must equal
// want.txt exactly (path:line:col-endline:endcol: severity: message). Cases
// named fire-* must produce findings, quiet-* none.
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
		cases, err := os.ReadDir(filepath.Join("../testdata/rules", id))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			if !c.IsDir() {
				continue
			}
			dir := filepath.Join("../testdata/rules", id, c.Name())
			covered[id+"/"+strings.SplitN(c.Name(), "-", 2)[0]] = true
			t.Run(id+"/"+c.Name(), func(t *testing.T) {
				runCase(t, id, c.Name(), dir)
			})
		}
	}
	for _, r := range rules.All() {
		if !rules.HasCheck(r.ID) {
			continue
		}
		if !covered[r.ID+"/fire"] || !covered[r.ID+"/quiet"] {
			t.Errorf("rule %s needs testdata/rules/%s/fire-* and quiet-* cases", r.ID, r.ID)
		}
	}
}

func runCase(t *testing.T, id, name, dir string) {
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
	for _, f := range rep.Findings {
		if f.Rule != id {
			continue
		}
		fmt.Fprintf(&b, "%s:%d:%d-%d:%d: %s: %s\n", strings.TrimPrefix(f.Pos.Path, prefix), f.Pos.Line, f.Pos.Col, f.End.Line, f.End.Col, f.Severity, strings.ReplaceAll(f.Message, prefix, ""))
		for _, r := range f.Related {
			fmt.Fprintf(&b, "\trelated %s:%d:%d: %s\n", strings.TrimPrefix(r.Pos.Path, prefix), r.Pos.Line, r.Pos.Col, r.Message)
		}
		if f.Fix != nil {
			fmt.Fprintf(&b, "\tfix %s @%d+%d => %q\n", strings.TrimPrefix(f.Fix.Path, prefix), f.Fix.Offset, f.Fix.Length, f.Fix.Replacement)
		}
	}
	got := b.String()
	wantFile := filepath.Join(dir, "want.txt")
	if golden.Updating() {
		if err := os.WriteFile(wantFile, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(wantFile)
	if err != nil {
		t.Fatalf("%v (run go test ./rules -update to create it, then review it)", err)
	}
	if got != string(want) {
		t.Errorf("findings differ from %s\n--- got\n%s--- want\n%s", wantFile, got, want)
	}
	switch {
	case strings.HasPrefix(name, "fire-") && got == "":
		t.Errorf("a fire-* case must produce findings of %s", id)
	case strings.HasPrefix(name, "quiet-") && got != "":
		t.Errorf("a quiet-* case must produce no findings of %s", id)
	}
}
