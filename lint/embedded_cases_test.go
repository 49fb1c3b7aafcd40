package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/golden"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
)

// TestEmbeddedCases lints each tree under testdata/embedded (JCasC inside
// Helm values, ConfigMaps, Secrets, other YAML) with every rule and compares
// the findings (exact positions in the container, related places, fixes),
// errors and notes with its want.txt.
func TestEmbeddedCases(t *testing.T) {
	dirs, err := filepath.Glob("../testdata/embedded/*")
	if err != nil || len(dirs) == 0 {
		t.Fatal("no cases", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			rep, err := Run(Options{Paths: []string{dir}, Jobs: 2})
			if err != nil {
				t.Fatal(err)
			}
			got := describeReport(rep, filepath.ToSlash(dir)+"/")
			for _, n := range rep.Notes {
				got += fmt.Sprintf("note %s: %s\n", strings.TrimPrefix(n.Pos.String(), filepath.ToSlash(dir)+"/"), n.Message)
			}
			golden.Check(t, filepath.Join(dir, "want.txt"), []byte(got))
		})
	}
}

// describeReport prints a report as the rule cases do, with the fix applied text
// of each fixed line, errors and notes.
func describeReport(rep *report.Report, prefix string) string {
	var b strings.Builder
	for _, f := range rep.Findings {
		fmt.Fprintf(&b, "%s:%d:%d-%d:%d: %s: %s [%s]\n", strings.TrimPrefix(f.Pos.Path, prefix), f.Pos.Line, f.Pos.Col, f.End.Line, f.End.Col, f.Severity, strings.ReplaceAll(f.Message, prefix, ""), f.Rule)
		for _, r := range f.Related {
			fmt.Fprintf(&b, "\trelated %s:%d:%d: %s\n", strings.TrimPrefix(r.Pos.Path, prefix), r.Pos.Line, r.Pos.Col, r.Message)
		}
		if f.Fix != nil {
			data, err := os.ReadFile(filepath.FromSlash(f.Fix.Path))
			line := ""
			if err == nil && f.Fix.Offset+f.Fix.Length <= len(data) {
				fixed := string(data[:f.Fix.Offset]) + f.Fix.Replacement + string(data[f.Fix.Offset+f.Fix.Length:])
				start := strings.LastIndexByte(fixed[:f.Fix.Offset], '\n') + 1
				end := strings.IndexByte(fixed[f.Fix.Offset:], '\n')
				if end < 0 {
					end = len(fixed) - f.Fix.Offset
				}
				line = fixed[start : f.Fix.Offset+end]
			}
			fmt.Fprintf(&b, "\tfix %s @%d+%d => %q: %q\n", strings.TrimPrefix(f.Fix.Path, prefix), f.Fix.Offset, f.Fix.Length, f.Fix.Replacement, line)
		}
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(&b, "error %s: %s\n", strings.TrimPrefix(e.Pos.String(), prefix), e.Message)
	}
	return b.String()
}

// TestOverlay: a file an editor holds unsaved is linted as the editor has
// it, not as the disk has it, and its source lines come from the overlay.
func TestOverlay(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "jenkins.yaml")
	disk := "jenkins:\n  securityRealm:\n    oic:\n      clientId: \"jenkins\"\n"
	if err := os.WriteFile(p, []byte(disk), 0o644); err != nil {
		t.Fatal(err)
	}
	edited := "jenkins:\n  securityRealm:\n    oic:\n      clientId: \"\"\n"
	rep, err := Run(Options{Paths: []string{dir}, Enable: []string{"missing-client-id"}, Overlay: map[string][]byte{absPath(p): []byte(edited)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Pos.Line != 4 || rep.Findings[0].Pos.Col != 17 {
		t.Fatalf("findings %+v", rep.Findings)
	}
	if got := string(rep.Text(rep.Findings[0].Pos.Path)); got != edited {
		t.Errorf("source text %q, want the overlay's", got)
	}
}
