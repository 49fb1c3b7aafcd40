package tree

import (
	"strings"
	"testing"

	yamlv3 "go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

func parse(t *testing.T, src string) *source.File {
	t.Helper()
	return source.NewFile("x.yaml", []byte(src))
}

func TestPositionsAndEnd(t *testing.T) {
	src := "a:\n  é: \"héllo\" # c\n  b: plain value\n  s: 'it''s'\n  k: |\n    line1\n"
	f := parse(t, src)
	docs, ferr := ParseYAML(f)
	if ferr != nil {
		t.Fatal(ferr)
	}
	a := Lookup(docs[0], "a")
	tests := []struct {
		key             string
		line, col       int
		endLine, endCol int
	}{
		{"é", 2, 6, 2, 13},
		{"b", 3, 6, 3, 17},
		{"s", 4, 6, 4, 13},
		{"k", 5, 6, 5, 7},
	}
	for _, tt := range tests {
		_, v := Get(a, tt.key)
		p, e := Pos(f, v), End(f, v)
		if p.Line != tt.line || p.Col != tt.col || e.Line != tt.endLine || e.Col != tt.endCol {
			t.Errorf("%s: got %d:%d-%d:%d, want %d:%d-%d:%d", tt.key, p.Line, p.Col, e.Line, e.Col, tt.line, tt.col, tt.endLine, tt.endCol)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
		contains  string
	}{
		{"unclosed flow", "jenkins:\n  a: [1, 2\n", 2, "did not find expected"},
		{"bad indent", "jenkins:\n  a: 1\n b: 2\n", 3, "did not find expected key"},
		{"scanner", "x: 1\ny: 2\nz: : 3\n", 3, "mapping values are not allowed"},
		{"tab", "jenkins:\n\ta: 1\n", 2, "invalid YAML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ferr := ParseYAML(parse(t, tt.src))
			if ferr == nil {
				t.Fatal("want an error")
			}
			if ferr.Pos.Line != tt.line || !strings.Contains(ferr.Message, tt.contains) {
				t.Errorf("got %v, want line %d containing %q", ferr, tt.line, tt.contains)
			}
		})
	}
}

func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		b.WriteString(n + ": &" + n + " [")
		for i := 0; i < 9; i++ {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("*" + prev)
		}
		b.WriteString("]\n")
		prev = n
	}
	_, ferr := ParseYAML(parse(t, b.String()))
	if ferr == nil || !strings.Contains(ferr.Message, "alias") {
		t.Fatalf("want an alias bomb error, got %v", ferr)
	}
}

func TestDeepNesting(t *testing.T) {
	src := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	_, ferr := ParseYAML(parse(t, src))
	if ferr == nil {
		t.Fatal("want an error for 20000 levels of nesting")
	}
}

func TestToValueMerge(t *testing.T) {
	f := parse(t, "base: &b {x: 1, y: \"s\"}\nuse:\n  <<: *b\n  y: t\n")
	docs, ferr := ParseYAML(f)
	if ferr != nil {
		t.Fatal(ferr)
	}
	v, err := ToValue(Lookup(docs[0], "use"))
	if err != nil {
		t.Fatal(err)
	}
	m := v.(map[string]any)
	if m["x"] != int64(1) || m["y"] != "t" {
		t.Errorf("got %v", m)
	}
}

func FuzzParseYAML(f *testing.F) {
	for _, s := range []string{
		"jenkins:\n  securityRealm:\n    oic:\n      clientId: x\n",
		"a: &a [1]\nb: [*a, *a]\n",
		"k: |\n  x\n",
		"- \"\\u00e9\"\n",
		"{a: [b, {c: d}]}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file := source.NewFile("f.yaml", data)
		docs, ferr := ParseYAML(file)
		if ferr != nil {
			if ferr.Pos.Line < 1 || ferr.Pos.Line > file.LineCount() {
				t.Fatalf("error line %d out of range", ferr.Pos.Line)
			}
			return
		}
		for _, d := range docs {
			_, _ = ToValue(d)
			var walk func(n *yamlv3.Node, depth int)
			walk = func(n *yamlv3.Node, depth int) {
				if depth > 50 {
					return
				}
				_ = End(file, n)
				for _, c := range n.Content {
					walk(c, depth+1)
				}
			}
			walk(d, 0)
		}
	})
}

// A Field keeps what a long-lived view reads of a Str: the value, presence,
// and the place of the node to point at.
func TestFieldOf(t *testing.T) {
	f := source.NewFile("x.yaml", []byte("id: abc\nnone:\nq: \"é x\"\n"))
	docs, ferr := ParseYAML(f)
	if ferr != nil {
		t.Fatal(ferr)
	}
	m := docs[0]
	id := FieldOf(f, m, "id")
	if id.Value != "abc" || !id.Set() || !id.NonEmpty() || id.At != (Place{1, 5, 1, 8}) {
		t.Errorf("id: %+v", id)
	}
	if p, e := id.At.Pos(f), id.At.End(f); p != f.Pos(1, 5) || e != f.Pos(1, 8) {
		t.Errorf("id at %v-%v", p, e)
	}
	if n := FieldOf(f, m, "none"); !n.Set() || n.NonEmpty() || n.At.Line != 2 {
		t.Errorf("empty field: %+v", n)
	}
	if q := FieldOf(f, m, "q"); q.Value != "é x" || q.At != (Place{3, 4, 3, 9}) {
		t.Errorf("quoted field: %+v", q)
	}
	if a := FieldOf(f, m, "absent"); a.Set() || a.At != (Place{}) || a.At.End(f) != (report.Position{}) {
		t.Errorf("absent field: %+v", a)
	}
}

// A large document without aliases is not an alias bomb, however many
// nodes it has.
func TestLargeDocumentNoAliases(t *testing.T) {
	f := parse(t, "items:\n"+strings.Repeat("  - x\n", MaxNodes+10))
	if _, ferr := ParseYAML(f); ferr != nil {
		t.Fatalf("large plain document refused: %v", ferr)
	}
}

// An unquoted value starting with * reads as an alias; the error points at
// it and never repeats it (it is often a password).
func TestUnknownAnchorError(t *testing.T) {
	f := parse(t, "credentials:\n  x:\n    password: *Hx7Kp2Lm9QwZ4rTn\n")
	_, ferr := ParseYAML(f)
	if ferr == nil {
		t.Fatal("no error")
	}
	if strings.Contains(ferr.Message, "Hx7Kp2") || ferr.Pos.Line != 3 || ferr.Pos.Col != 15 {
		t.Errorf("error %v: %s", ferr.Pos, ferr.Message)
	}
}
