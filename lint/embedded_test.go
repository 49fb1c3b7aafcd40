package lint

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/rulecase"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/embed"
)

// A container shape wraps the JCasC files of a case into one file, as
// users keep them on Kubernetes.
type containerShape struct {
	name   string
	head   string             // before the first document
	entry  func(i int) string // the lines that open document i, ending in the block header line
	indent int                // the block's indentation
	crlf   bool
}

var containerShapes = []containerShape{
	{name: "helm-configScripts", head: "controller:\n  installPlugins:\n    - oic-auth:latest\n  JCasC:\n    configScripts:\n",
		entry: func(i int) string { return fmt.Sprintf("      doc%d: |\n", i) }, indent: 8},
	{name: "helm-umbrella-master", head: "# umbrella chart\njenkins:\n  master:\n    JCasC:\n      defaultConfig: false\n      configScripts:\n",
		entry: func(i int) string { return fmt.Sprintf("        doc-%d: |-\n", i) }, indent: 10},
	{name: "configmap-multidoc", head: "apiVersion: v1\nkind: Service\nmetadata:\n  name: jenkins\nspec:\n  ports: [{port: 8080}]\n",
		entry: func(i int) string {
			return fmt.Sprintf("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: jenkins-jenkins-config-%d\n  labels:\n    jenkins-jenkins-config: \"true\"\ndata:\n  doc%d.yaml: |\n", i, i)
		}, indent: 4},
	{name: "secret-stringData", head: "apiVersion: v1\nkind: Secret\nmetadata:\n  name: casc\nstringData:\n",
		entry: func(i int) string { return fmt.Sprintf("  doc%d.yml: |+\n", i) }, indent: 4},
	{name: "app-config-indicator", head: "app:\n  settings:\n",
		entry: func(i int) string { return fmt.Sprintf("    casc%d: |2\n", i) }, indent: 6},
	{name: "helm-configScripts-crlf", head: "controller:\n  JCasC:\n    configScripts:\n",
		entry: func(i int) string { return fmt.Sprintf("      doc%d: |\n", i) }, indent: 8, crlf: true},
}

// origin is where a line of the container came from.
type origin struct {
	file string // the case's file
	line int    // its line there
}

// wrapCase writes the case's JCasC files into one container (others are
// copied as they are) and returns, for each container line, where it came
// from. ok is false when the case cannot be wrapped (a file that is not a
// plain JCasC document).
func wrapCase(t *testing.T, dir, out string, sh containerShape) (lines map[int]origin, ok bool) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(sh.head)
	lines = map[int]origin{}
	n := 0
	for _, e := range entries {
		name := e.Name()
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || e.IsDir() {
			return nil, false
		}
		ext := filepath.Ext(name)
		if name == "want.txt" {
			continue
		}
		if ext != ".yaml" && ext != ".yml" || !embed.LooksText(data) {
			if err := os.WriteFile(filepath.Join(out, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		s := string(data)
		if strings.ContainsAny(s, "\r\t") || strings.Contains(s, "\n---") || strings.HasPrefix(s, "---") ||
			strings.Contains(s, "jenkins-oidc-lint:") || !strings.HasSuffix(s, "\n") {
			return nil, false
		}
		b.WriteString(sh.entry(n))
		n++
		pad := strings.Repeat(" ", sh.indent)
		for i, l := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
			if strings.TrimSpace(l) == "" {
				b.WriteString("\n")
				continue
			}
			lines[strings.Count(b.String(), "\n")+1] = origin{name, i + 1}
			b.WriteString(pad + l + "\n")
		}
	}
	if n == 0 {
		return nil, false
	}
	text := b.String()
	if sh.crlf {
		text = strings.ReplaceAll(text, "\n", "\r\n")
	}
	if err := os.WriteFile(filepath.Join(out, "container.yaml"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return lines, true
}

// TestEmbeddedLikeStandAlone wraps the JCasC of every rule case into every
// container shape and checks that the findings are those of the stand-alone
// files, at the same text of the container (line for line, the column moved
// by the block's indentation), and that the fixes are the same edits.
func TestEmbeddedLikeStandAlone(t *testing.T) {
	cases, err := rulecase.Materialize("../testdata/rules", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	wrapped := 0
	for _, dir := range cases {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			continue
		}
		rule := filepath.Base(filepath.Dir(dir))
		if rule == "parse-error" || rule == "unused-suppression" {
			continue
		}
		for _, sh := range containerShapes {
			if strings.HasPrefix(rule, "plugin-") && strings.Contains(sh.head, "installPlugins") {
				continue // the chart's own plugin list is the controller's
			}
			out := t.TempDir()
			lines, ok := wrapCase(t, dir, out, sh)
			if !ok {
				continue
			}
			wrapped++
			t.Run(rule+"/"+filepath.Base(dir)+"/"+sh.name, func(t *testing.T) {
				compareEmbedded(t, rule, dir, out, lines, sh)
			})
		}
	}
	if wrapped < 100 {
		t.Errorf("only %d cases wrapped: the fixtures changed shape?", wrapped)
	}
}

func compareEmbedded(t *testing.T, rule, dir, out string, lines map[int]origin, sh containerShape) {
	want, err := Run(Options{Paths: []string{dir}, Enable: []string{rule}, Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Run(Options{Paths: []string{out}, Enable: []string{rule}, Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Errors) != len(want.Errors) {
		t.Fatalf("errors differ: got %v, want %v", got.Errors, want.Errors)
	}
	for i := range got.Errors {
		t.Errorf("unexpected error %v", got.Errors[i])
	}
	norm := func(rep *report.Report, base string, container bool) []string {
		var s []string
		for _, f := range rep.Findings {
			if f.Rule != rule {
				continue
			}
			p := strings.TrimPrefix(f.Pos.Path, filepath.ToSlash(base)+"/")
			line, col, endLine, endCol := f.Pos.Line, f.Pos.Col, f.End.Line, f.End.Col
			if container && p == "container.yaml" {
				o, ok := lines[line]
				if !ok {
					s = append(s, fmt.Sprintf("%s:%d:%d: not a line of any document: %s", p, line, col, f.Message))
					continue
				}
				p, line, col = o.file, o.line, col-sh.indent
				if f.End.IsValid() {
					endLine, endCol = lines[endLine].line, endCol-sh.indent
				}
			}
			msg := strings.ReplaceAll(f.Message, filepath.ToSlash(base)+"/", "")
			fix := ""
			if f.Fix != nil {
				fix = fmt.Sprintf(" fix %q", f.Fix.Replacement)
			}
			s = append(s, fmt.Sprintf("%s:%d:%d-%d:%d: %s: %s%s", p, line, col, endLine, endCol, f.Severity, msg, fix))
		}
		sort.Strings(s)
		return s
	}
	g, w := norm(got, out, true), norm(want, dir, false)
	if strings.Join(g, "\n") != strings.Join(w, "\n") {
		t.Errorf("embedded findings differ from stand-alone ones\n--- embedded\n%s\n--- stand-alone\n%s", strings.Join(g, "\n"), strings.Join(w, "\n"))
	}
	// The fixes are the same edits: fixing the container and reading its
	// documents back gives the fixed stand-alone files.
	fixes := Fixes(got)
	cpath := filepath.ToSlash(filepath.Join(out, "container.yaml"))
	data, err := os.ReadFile(cpath)
	if err != nil {
		t.Fatal(err)
	}
	fixed, err := ApplyFixes(data, fixes[cpath])
	if err != nil {
		t.Fatal(err)
	}
	wantFixes := Fixes(want)
	for ln, o := range lines {
		src, _ := os.ReadFile(filepath.Join(dir, o.file))
		p := filepath.ToSlash(filepath.Join(dir, o.file))
		sfixed, err := ApplyFixes(src, wantFixes[p])
		if err != nil {
			t.Fatal(err)
		}
		wantLine := strings.Split(string(sfixed), "\n")[o.line-1]
		nl := "\n"
		if sh.crlf {
			nl = "\r\n"
		}
		gotLine := strings.Split(string(fixed), nl)[ln-1]
		if strings.TrimPrefix(gotLine, strings.Repeat(" ", sh.indent)) != wantLine {
			t.Errorf("fixed container line %d = %q, want the fixed %s:%d %q", ln, gotLine, o.file, o.line, wantLine)
		}
	}
	if !bytes.Equal(fixed, data) && len(fixes[cpath]) == 0 {
		t.Error("no fixes but the data changed")
	}
}
