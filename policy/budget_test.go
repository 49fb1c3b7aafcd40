package policy

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// The 150-byte policy evaluated for minutes; it is now refused
// from its source, at once, at the offending calls and clauses.
func TestCostFromTheSource(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{
			name: "the issue's policy",
			src:  "package p\n\nimport \"list\"\n\njcasc: r: {x: [for i in list.Range(0, 300000, 1) for j in list.Range(0, 300000, 1) {i * j}]} @rule(slow)\n",
			want: []string{
				"p.cue:5:16: invalid policy: for clauses that iterate about 300000 times: a policy may iterate at most 100000 times",
				"p.cue:5:35: invalid policy: list.Range makes 300000 elements: a policy may build at most 10000",
			},
		},
		{
			name: "an aliased import, a step, a negative start",
			src:  "package p\n\nimport L \"list\"\n\njcasc: r: {x: L.Range(-20000, 20000, 2)} @rule(slow)\n",
			want: []string{"p.cue:5:22: invalid policy: list.Range makes 20000 elements: a policy may build at most 10000"},
		},
		{
			name: "nested three deep",
			src:  "package p\n\njcasc: r: {jenkins?: {a?: [...], x: [for i in a for j in a {[for k in a {k}]}]}} @rule(deep)\n",
			want: []string{"p.cue:3:62: invalid policy: a for clause nested 3 deep: a policy may nest at most 2 (each one multiplies the work by the length of its list)"},
		},
		{
			name: "small ranges multiply",
			src:  "package p\n\nimport \"list\"\n\njcasc: r: {x: [for i in list.Range(0, 1000, 1) for j in list.Range(0, 1000, 1) {i}]} @rule(slow)\n",
			want: []string{"p.cue:5:48: invalid policy: for clauses that iterate about 1000000 times: a policy may iterate at most 100000 times"},
		},
		{
			name: "repeats",
			src:  "package p\n\nimport (\n\t\"list\"\n\t\"strings\"\n)\n\njcasc: r: {x: list.Repeat([1], 1e6), y: strings.Repeat(\"ab\", 6000)} @rule(big)\n",
			want: []string{
				"p.cue:8:26: invalid policy: list.Repeat makes 1000000 elements: a policy may build at most 10000",
				"p.cue:8:55: invalid policy: strings.Repeat makes 12000 elements: a policy may build at most 10000",
			},
		},
		{
			name: "cheap enough",
			src:  "package p\n\nimport \"list\"\n\njcasc: r: {jenkins?: {a?: [...], x: [for i in list.Range(0, 100, 1) for j in a {i}]}} @rule(ok)\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeDir(t, map[string]string{"p.cue": tc.src})
			start := time.Now()
			s, errs := Load([]string{dir}, builtinIDs)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("Load took %v", d)
			}
			got := relErrors(dir, errs)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if len(tc.want) > 0 && s.Len() > 0 {
				t.Errorf("the costly rule was loaded: %v", s.Rules())
			}
		})
	}
}

// A policy whose cost the source does not show (the range's bound is a
// reference) runs over the budget while it is compiled: an error at the
// rule, in about the budget's time.
func TestLoadOverBudget(t *testing.T) {
	dir := writeDir(t, map[string]string{"p.cue": "package p\n\nimport \"list\"\n\n_n: 20000\njcasc: fine: {} @rule(fine)\njcasc: slow: {x: [for i in list.Range(0, _n, 1) for j in list.Range(0, _n, 1) {i * j}]} @rule(slow)\n"})
	start := time.Now()
	_, errs := LoadBudget([]string{dir}, builtinIDs, Budget{Time: 300 * time.Millisecond})
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("Load took %v", d)
	}
	got := strings.Join(relErrors(dir, errs), "\n")
	if want := "p.cue:7:8: invalid policy: evaluating it ran over its time budget (300ms per document): " + advice; got != want {
		t.Errorf("errors:\n%s\nwant:\n%s", got, want)
	}
}

// slowDoc is a JCasC document with n labels.
func slowDoc(n int) string {
	var b strings.Builder
	b.WriteString("jenkins:\n  labelString:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "    - l%d\n", i)
	}
	return b.String()
}

// A policy that is cheap on its own and costly on a large document (a
// comprehension over a list of the document, nested) runs over its budget
// there: the worker is killed, the document gets a "not checked" finding,
// the rule an error at its own place (Errors), and it is not run again on
// later documents; the other rules still check every document.
func TestCheckOverBudget(t *testing.T) {
	dir := writeDir(t, map[string]string{"p.cue": `package p

jcasc: a: {jenkins?: systemMessage?: string} @rule(a-first)
jcasc: slow: {
	jenkins?: {
		labelString?: [...]
		_pairs: [for a in labelString for b in labelString if a == b {a}]
		_n: len(_pairs) & >=0
	}
} @rule(slow-data, severity=warning)
jcasc: z: {jenkins?: systemMessage?: string} @rule(z-last)
`})
	s, errs := LoadBudget([]string{dir}, builtinIDs, Budget{Time: 300 * time.Millisecond})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	check := func(name, text string) []string {
		f := source.NewFile(name, []byte(text))
		docs, ferr := tree.ParseYAML(f)
		if ferr != nil {
			t.Fatal(ferr)
		}
		var out []string
		for _, d := range docs {
			for _, fi := range s.Check(f, source.JCasC, d) {
				out = append(out, fmt.Sprintf("%s: %s %s", fi.Pos, fi.Rule, fi.Message))
			}
		}
		return out
	}
	if got := check("small.yaml", slowDoc(3)+"  systemMessage: 1\n"); len(got) != 2 || !strings.Contains(got[0], "a-first") || !strings.Contains(got[1], "z-last") {
		t.Errorf("small document: %v", got)
	}
	start := time.Now()
	got := check("big.yaml", slowDoc(4000)+"  systemMessage: 1\n")
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Check took %v", d)
	}
	want := []string{
		"big.yaml:1:1: slow-data policy slow-data: this document was not checked: the policy ran over its time budget (300ms per document) (see the error at " + dir + "/p.cue:4:8)",
		"big.yaml:4003:18: a-first policy a-first: `jenkins.systemMessage`: conflicting values string and 1 (mismatched types string and int)",
		"big.yaml:4003:18: z-last policy z-last: `jenkins.systemMessage`: conflicting values string and 1 (mismatched types string and int)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("big document:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// the rule is not run again: its finding names the document it ran
	// over on, not this one
	got = check("later.yaml", slowDoc(3))
	if len(got) != 1 || !strings.Contains(got[0], "ran over its time budget (300ms per document) on big.yaml") {
		t.Errorf("later document: %v", got)
	}
	e := s.Errors()
	if len(e) != 1 || e[0].Pos.Line != 4 || e[0].Pos.Col != 8 ||
		e[0].Message != "policy slow-data ran over its time budget (300ms per document) on big.yaml: "+advice {
		t.Errorf("Errors() = %v", e)
	}
}

// A policy that allocates more than the memory budget on a document makes
// the worker exit (its watchdog) or fail; either way the rule is reported,
// and the calling process is untouched.
func TestCheckOverMemory(t *testing.T) {
	dir := writeDir(t, map[string]string{"p.cue": `package p

import "list"

jcasc: big: {
	jenkins?: {
		labelString?: [...]
		_s: list.Range(0, len(labelString) * 10000, 1)
		_n: len(_s) & >=0
	}
} @rule(big-data)
`})
	s, errs := LoadBudget([]string{dir}, builtinIDs, Budget{Time: 20 * time.Second, Memory: 64 << 20})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	f := source.NewFile("big.yaml", []byte(slowDoc(300)))
	docs, _ := tree.ParseYAML(f)
	start := time.Now()
	got := s.Check(f, source.JCasC, docs[0])
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("Check took %v", d)
	}
	if len(got) != 1 || !strings.Contains(got[0].Message, "this document was not checked") {
		t.Fatalf("findings %v", got)
	}
	e := s.Errors()
	if len(e) != 1 || !(strings.Contains(e[0].Message, "ran over its memory budget (64 MiB)") || strings.Contains(e[0].Message, "made the policy worker fail")) {
		t.Errorf("Errors() = %v", e)
	}
}

// Overrun errors and findings come out the same whatever the order of
// documents and goroutines (the first overrun is the one recorded).
func TestErrorsEmpty(t *testing.T) {
	var s *Set
	if s.Errors() != nil {
		t.Error("nil set")
	}
	if got := loadOK(t, examples).Errors(); len(got) != 0 {
		t.Errorf("%v", got)
	}
	_ = report.FileError{}
}
