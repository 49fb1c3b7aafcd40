package jenkinsfile

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// corpus lists the realistic inputs under testdata/corpus.
func corpus(t testing.TB) []string {
	var files []string
	err := filepath.WalkDir("testdata/corpus", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

func pos(p report.Position) string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

func val(v Value) string {
	if !v.Valid() {
		return "-"
	}
	lit := ""
	if !v.Literal {
		lit = " (not literal)"
	}
	return fmt.Sprintf("%q@%s%s", v.Text, pos(v.Pos), lit)
}

func trunc(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// dump renders every view of f with exact positions.
func dump(f *File) string {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	w("declarative=%v scripted=%v", f.Declarative, f.Scripted)
	var secs []string
	for _, s := range f.Sections {
		secs = append(secs, s.Name+"@"+pos(s.Pos))
	}
	w("sections: %s", strings.Join(secs, " "))
	for _, st := range f.Stages {
		parent := "-"
		if st.Parent != nil {
			parent = st.Parent.Name.Text
		}
		var secs []string
		for _, s := range st.Sections {
			secs = append(secs, s.Name+"@"+pos(s.Pos))
		}
		w("stage %s at %s parent=%q sections: %s", val(st.Name), pos(st.Pos), parent, strings.Join(secs, " "))
	}
	for _, fd := range f.Funcs {
		w("func %s(%s) at %s", fd.Name, fd.Params, pos(f.PosAt(fd.NameOff)))
	}
	steps := func(kind string, list []*Step) {
		for _, s := range list {
			stage := "-"
			if s.Stage != nil {
				stage = s.Stage.Name.Text
			}
			w("%s %s at %s stage=%q literal=%v strings=%d", kind, s.Name, pos(s.Pos), stage, s.Literal, len(s.Strings))
			if s.From != nil {
				w("  from %s at %s", s.From.Name, pos(s.From.Pos))
			}
			if s.Text != nil {
				w("  text %q", trunc(s.Text.S, 160))
				for _, word := range []string{"curl", "wget", "kubectl", "TOKEN", "PASS", "mvn", "${"} {
					for i, from := 0, 0; ; from = i + 1 {
						i = strings.Index(s.Text.S[from:], word)
						if i < 0 {
							break
						}
						i += from
						w("  %q at %s", word, pos(f.PosAt(s.Text.Offset(i))))
					}
				}
			}
			for _, t := range s.Strings {
				for _, p := range t.Parts {
					w("  part %s %q at %s", p.Kind, trunc(p.Text, 40), pos(f.PosAt(p.Off)))
					for _, r := range p.Refs() {
						w("    ref %s at %s", r.Name, pos(f.PosAt(r.Off)))
					}
				}
			}
			var vars []string
			for _, v := range s.InScope() {
				vars = append(vars, fmt.Sprintf("%s(%s %s %s)", v.Name, v.Role, v.Binding.Kind, v.Binding.ID.Text))
			}
			if len(vars) > 0 {
				w("  in scope: %s", strings.Join(vars, " "))
			}
			var env []string
			for _, e := range s.Env() {
				env = append(env, e.Name+"="+e.Value.Text)
			}
			if len(env) > 0 {
				w("  env: %s", strings.Join(env, " "))
			}
		}
	}
	steps("step", f.Steps)
	steps("echo", f.Echoes)
	for _, bd := range f.Bindings {
		var vars []string
		for _, v := range bd.Vars {
			vars = append(vars, fmt.Sprintf("%s(%s)@%s", v.Name, v.Role, pos(v.Pos)))
		}
		scope := "-"
		if bd.Scope != nil {
			scope = pos(f.PosAt(nodeOff(bd.Scope)))
		}
		cls := ""
		if bd.Class != "" {
			cls = " class=" + bd.Class
		}
		w("binding %s%s at %s id=%s vars=%s scope=%s", bd.Kind, cls, pos(bd.Pos), val(bd.ID), strings.Join(vars, ","), scope)
	}
	for _, u := range f.Uses {
		var opts []string
		for _, o := range u.Options {
			opts = append(opts, o.Name+"="+val(o.Value))
		}
		w("use %s at %s id=%s url=%s vars=%s opts=%s", u.Kind, pos(u.Pos), val(u.ID), val(u.URL), strings.Join(u.Vars, ","), strings.Join(opts, ","))
	}
	for _, e := range f.Env {
		cred := ""
		if e.Cred != nil {
			cred = " credentials"
		}
		w("env %s %s at %s value=%s%s", e.Source, e.Name, pos(e.Pos), val(e.Value), cred)
	}
	for _, p := range f.Params {
		w("param %s at %s name=%s default=%s", p.Kind, pos(p.Pos), val(p.Name), val(p.Default))
	}
	for _, a := range f.Assignments {
		w("assign %s decl=%v at %s value=%s", a.Name, a.Decl, pos(a.Pos), val(a.Value))
	}
	var comments []string
	for _, c := range f.Comments() {
		comments = append(comments, pos(f.PosAt(c.Off)))
	}
	w("comments at %s", strings.Join(comments, " "))
	return b.String()
}

func TestGolden(t *testing.T) {
	for _, path := range corpus(t) {
		t.Run(filepath.ToSlash(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, ferr := Parse(source.NewFile(filepath.ToSlash(path), data))
			if ferr != nil {
				t.Fatalf("Parse: %v", ferr)
			}
			got := dump(f)
			rel, _ := filepath.Rel("testdata/corpus", path)
			golden := filepath.Join("testdata/golden", rel+".golden")
			if updating() {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGolden -update)", err)
			}
			if got != string(want) {
				t.Errorf("views differ from %s (run with -update to accept):\n%s", golden, lineDiff(string(want), got))
			}
		})
	}
}

// lineDiff shows the first lines that differ.
func lineDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			fmt.Fprintf(&b, "line %d:\n  want %s\n  got  %s\n", i+1, w, g)
			if shown++; shown == 10 {
				break
			}
		}
	}
	return b.String()
}
