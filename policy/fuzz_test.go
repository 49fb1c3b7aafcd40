package policy

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// FuzzCheck runs the example policies over arbitrary YAML: Check must not
// panic, and every finding must lie inside the file.
func FuzzCheck(f *testing.F) {
	for _, name := range []string{"fire-wellknown.yaml", "fire-manual.yaml", "quiet.yaml"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Add("credentials: {system: {domainCredentials: [{credentials: [{string: [1]}, 3, null, {a: {scope: [x]}}]}]}}")
	f.Add("credentials: &a {system: *a}\n")
	f.Add("jenkins: {securityRealm: {oic: {serverConfiguration: {wellKnown: null, manual: [1]}}}}")
	f.Add("a: 1\n---\n[1, 2]\n---\n\"x\"\n")
	s := loadOK(f, examples)
	f.Fuzz(func(t *testing.T, text string) {
		file := source.NewFile("f.yaml", []byte(text))
		docs, ferr := tree.ParseYAML(file)
		if ferr != nil {
			return
		}
		for _, d := range docs {
			for _, fi := range s.Check(file, source.JCasC, d) {
				if fi.Pos.Line < 1 || fi.Pos.Line > file.LineCount() || fi.Pos.Col < 1 || fi.Message == "" || fi.Rule == "" {
					t.Fatalf("bad finding %+v in\n%s", fi, text)
				}
			}
		}
	})
}

// FuzzLoad compiles arbitrary policy files: Load must not panic, and each
// error must name the file (with a line inside it) or the directory.
func FuzzLoad(f *testing.F) {
	for _, name := range []string{"credential-description.cue", "oic-groups-scope.cue", "no-global-credentials.cue"} {
		data, err := os.ReadFile(filepath.Join(examples, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Add("jcasc: r: {} @rule(a, message=\"x, y\", severity=note)")
	f.Add("jcasc: r: {} @rule(a, message=\"unterminated)")
	f.Add("jcasc: {r: {} @rule(, =, ==)}")
	f.Add("discovery: r: {[string]: _|_} @rule(b)")
	f.Add("jcasc: r: {a?: [...#R]} @rule(r)\n#R: {b?: [...#R]}")
	f.Fuzz(func(t *testing.T, src string) {
		dir := t.TempDir()
		file := filepath.Join(dir, "p.cue")
		if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		s, errs := Load([]string{dir}, builtinIDs)
		lines := strings.Count(src, "\n") + 1
		for _, e := range errs {
			switch e.Pos.Path {
			case filepath.ToSlash(file):
				if e.Pos.Line < 1 || e.Pos.Line > lines {
					t.Fatalf("error %v outside the file:\n%s", e, src)
				}
			case filepath.ToSlash(dir):
			default:
				t.Fatalf("error %v names neither the file nor the directory", e)
			}
		}
		for _, m := range s.Rules() {
			if !idRE.MatchString(m.ID) || m.Help == "" || m.Summary == "" {
				t.Fatalf("bad rule %+v", m)
			}
		}
	})
}

// idRE is the syntax of a policy ID (policy/engine checks it).
var idRE = regexp.MustCompile(`^[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)*$`)
