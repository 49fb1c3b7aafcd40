package embed

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// checkScalars maps every scalar of src and fails when a map is wrong: each
// byte of a value must come from the same byte of the file, or be a line
// break or folded space that comes from a line break. It returns how many
// scalars were mapped and how many could not be.
func checkScalars(t testing.TB, src string) (mapped, unmapped int) {
	t.Helper()
	f := source.NewFile("values.yaml", []byte(src))
	docs, ferr := tree.ParseYAML(f)
	if ferr != nil {
		return 0, 0
	}
	var walk func(n *yaml.Node, parentIndent int)
	walk = func(n *yaml.Node, parentIndent int) {
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				walk(n.Content[i], parentIndent)
				walk(n.Content[i+1], n.Content[i].Column-1)
			}
		case yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c, n.Column-1)
			}
		case yaml.ScalarNode:
			offs := Offsets(f, n, parentIndent)
			if offs == nil {
				unmapped++
				return
			}
			mapped++
			if len(offs) != len(n.Value)+1 {
				t.Fatalf("%d:%d: %d offsets for %d bytes", n.Line, n.Column, len(offs), len(n.Value))
			}
			prev := -1
			for i := 0; i < len(n.Value); i++ {
				o := int(offs[i])
				if o < prev || o >= len(f.Data) {
					t.Fatalf("%d:%d: byte %d maps to %d after %d", n.Line, n.Column, i, o, prev)
				}
				prev = o
				v, d := n.Value[i], f.Data[o]
				if v != d && !((v == '\n' || v == ' ') && (d == '\n' || d == '\r')) {
					t.Fatalf("%d:%d: byte %d %q maps to %q at %d", n.Line, n.Column, i, v, d, o)
				}
			}
		}
	}
	for _, d := range docs {
		walk(d, -1)
	}
	return mapped, unmapped
}

func TestOffsetsBlockScalars(t *testing.T) {
	jcasc := "jenkins:\n  securityRealm:\n    oic:\n      clientId: x # comment\n\n      issuer: \"https://a/\"\n"
	indent := func(s, pre string) string {
		var b strings.Builder
		for _, l := range strings.SplitAfter(s, "\n") {
			if strings.TrimSpace(l) != "" {
				b.WriteString(pre)
			}
			b.WriteString(l)
		}
		return b.String()
	}
	var cases []string
	for _, header := range []string{"|", "|-", "|+", ">", ">-", ">+", "|2", "|2-", "|-2", ">2", "|4", "|+2", "| # c", "|-  # c"} {
		for _, pre := range []string{"  ", "    ", "      "} {
			for _, nl := range []string{"\n", "\r\n"} {
				body := indent(jcasc, pre)
				if strings.ContainsAny(header, "1234") {
					body = indent(jcasc, "      ")
				}
				src := "controller:\n  JCasC:\n    configScripts:\n      oidc: " + header + "\n" + body + "      other: 1\n"
				cases = append(cases, strings.ReplaceAll(src, "\n", nl))
				// at the top level and in a sequence
				cases = append(cases, strings.ReplaceAll("a: "+header+"\n"+body+"b: 2\n", "\n", nl))
				cases = append(cases, strings.ReplaceAll("- "+header+"\n"+body+"- 2\n", "\n", nl))
			}
		}
	}
	// folding: more-indented lines, empty lines, trailing empty lines, no
	// final newline, tabs in content, multi-byte text
	cases = append(cases,
		"c: >\n  foo\n  bar\n\n    baz\n  qux\n",
		"c: >\n  a\n\n\n  b\n\n\n",
		"c: >+\n  a\n\n\n",
		"c: |\n  a\tb\n  \tc\n",
		"c: |\n  é ü 漢字\n  x",
		"c: >-\n  é\n  ü\n",
		"c: |\n\n\n  late\n",
		"c: !!str |\n  tagged\n",
		"c: &a |\n  anchored\n",
		"c: \"plain quoted\"\n",
		"c: 'single'\n",
		"c: plain text\n",
	)
	for _, src := range cases {
		m, u := checkScalars(t, src)
		if u > 0 {
			t.Errorf("%d scalars not mapped in\n%s", u, src)
		}
		if m == 0 {
			t.Errorf("nothing mapped in\n%s", src)
		}
	}
}

func TestOffsetsRefusesEscapes(t *testing.T) {
	for _, src := range []string{
		"c: \"jenkins:\\n  x: 1\"\n",
		"c: 'it''s'\n",
		"c: \"a\n  b\"\n",
		"c: plain\n  continued\n",
	} {
		if m, u := checkScalars(t, src); u == 0 || m > 1 {
			t.Errorf("%q: %d mapped, %d not: want the value not mapped", src, m, u)
		}
	}
}

func FuzzOffsets(f *testing.F) {
	for _, s := range []string{
		"a: |\n  x\n  y\n", "a: >\n  x\n\n   y\n  z\n", "- |2-\n    x\n", "a: |+\n  x\n\n\n",
		"a:\n  b: >-\n    c\n    d\n", "a: \"q\"\n", "a: |\r\n  x\r\n", "a: |\r  x\r",
		"a: |1\n  x\n", "a:\n- |\n  x\n", "? |\n  k\n: v\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			checkScalars(t, src)
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			panic(fmt.Sprintf("no answer after 5s for %q", src))
		}
	})
}
