package policy

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/rules"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/discovery"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// examples is the directory of the example policies the project ships.
const examples = "../testdata/policies"

func loadOK(t testing.TB, dirs ...string) *Set {
	t.Helper()
	s, errs := Load(dirs, rules.Known)
	if len(errs) > 0 {
		t.Fatalf("Load(%v): %v", dirs, errs)
	}
	return s
}

// checkFile runs the set over every document of a fixture.
func checkFile(t testing.TB, s *Set, path string) []report.Finding {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := source.NewFile(filepath.ToSlash(path), data)
	var out []report.Finding
	if strings.HasSuffix(path, ".json") {
		root, ferr := discovery.ParseJSON(f)
		if ferr != nil {
			t.Fatal(ferr)
		}
		return s.Check(f, source.Discovery, root)
	}
	docs, ferr := tree.ParseYAML(f)
	if ferr != nil {
		t.Fatal(ferr)
	}
	for _, d := range docs {
		out = append(out, s.Check(f, source.JCasC, d)...)
	}
	return out
}

func formatFindings(fs []report.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%d:%d-%d:%d %s %s: %s\n", f.Pos.Line, f.Pos.Col, f.End.Line, f.End.Col, f.Rule, f.Severity, f.Message)
	}
	return b.String()
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s--- want\n%s", path, got, want)
	}
}

// TestExamples runs the shipped example policies over the fixtures; the
// golden files hold every finding with its exact span.
func TestExamples(t *testing.T) {
	s := loadOK(t, examples)
	for _, name := range []string{"fire-wellknown.yaml", "fire-manual.yaml", "quiet.yaml"} {
		t.Run(name, func(t *testing.T) {
			got := formatFindings(checkFile(t, s, filepath.Join("testdata", name)))
			golden(t, filepath.Join("testdata", strings.TrimSuffix(name, ".yaml")+".golden"), got)
		})
	}
}

// TestDiscovery runs policies under discovery: over provider metadata.
func TestDiscovery(t *testing.T) {
	s := loadOK(t, "testdata/discovery")
	for _, name := range []string{"discovery-fire.json", "discovery-missing.json", "discovery-google.json"} {
		t.Run(name, func(t *testing.T) {
			got := formatFindings(checkFile(t, s, filepath.Join("testdata", name)))
			golden(t, filepath.Join("testdata", strings.TrimSuffix(name, ".json")+".golden"), got)
		})
	}
}
