package report

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// workflowCommand is a command as the Actions runner reads it.
type workflowCommand struct {
	Name  string
	Props map[string]string
	Data  string
}

// parseWorkflowCommand decodes one log line the way the runner does
// (actions/runner ActionCommand.TryParseV2): trim leading space, "::", the
// command name up to a space, properties split at "," and then at the first
// "=", empty entries dropped, keys case-insensitive, the data after the next
// "::"; then the runner's unescaping, mapping by mapping in its order with
// %25 last.
func parseWorkflowCommand(line string) (workflowCommand, bool) {
	line = strings.TrimLeft(line, " \t")
	if !strings.HasPrefix(line, "::") {
		return workflowCommand{}, false
	}
	end := strings.Index(line[2:], "::")
	if end < 0 {
		return workflowCommand{}, false
	}
	info := line[2 : 2+end]
	c := workflowCommand{Props: map[string]string{}}
	name, props, hasProps := strings.Cut(info, " ")
	c.Name = name
	if hasProps {
		for _, p := range strings.Split(strings.TrimSpace(props), ",") {
			if p == "" {
				continue
			}
			k, v, ok := strings.Cut(p, "=")
			if !ok || k == "" || v == "" {
				continue
			}
			c.Props[strings.ToLower(k)] = unescapeWith(v, [][2]string{{"%0D", "\r"}, {"%0A", "\n"}, {"%3A", ":"}, {"%2C", ","}, {"%25", "%"}})
		}
	}
	c.Data = unescapeWith(line[2+end+2:], [][2]string{{"%0D", "\r"}, {"%0A", "\n"}, {"%25", "%"}})
	return c, true
}

func unescapeWith(s string, mappings [][2]string) string {
	for _, m := range mappings {
		s = strings.ReplaceAll(s, m[0], m[1])
	}
	return s
}

func commandsOf(t *testing.T, out []byte) (cmds []workflowCommand, plain []string) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		if c, ok := parseWorkflowCommand(line); ok {
			cmds = append(cmds, c)
		} else {
			plain = append(plain, line)
		}
	}
	return cmds, plain
}

func TestGitHubRoundTrip(t *testing.T) {
	messages := []string{
		nastyMessage,
		"100%",
		"%0A is not a newline, %25 is not a percent, %3A %2C %0D",
		"%%0A%%25%",
		"a\r\nb\nc\rd",
		"ends with %",
		"::error file=x::injected",
		"a, b: c = d",
		"東京 🔒 e\u0301",
		"",
	}
	paths := []string{"casc/jenkins.yaml", "conf d/prod,eu.yaml", "c:/a:b,c%2C%3A.yaml", "x=y/%25.yaml", "東京.yaml"}
	for _, msg := range messages {
		for _, path := range paths {
			r := &Report{Findings: []Finding{{Rule: "issuer-mismatch", Severity: Warning, Pos: pos(path, 3, 5), End: pos(path, 3, 9), Message: msg}}}
			cmds, plain := commandsOf(t, out(t, "github", r, Options{}))
			if len(cmds) != 1 || len(plain) != 1 {
				t.Fatalf("%q in %q: commands %+v, plain %q", msg, path, cmds, plain)
			}
			want := workflowCommand{Name: "warning", Data: strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(msg), Props: map[string]string{
				"file": path, "line": "3", "col": "5", "endline": "3", "endcolumn": "8", "title": "issuer-mismatch"}}
			if !reflect.DeepEqual(cmds[0], want) {
				t.Errorf("%q in %q:\n got %+v\nwant %+v", msg, path, cmds[0], want)
			}
		}
	}
}

func TestGitHubFixture(t *testing.T) {
	cmds, plain := commandsOf(t, out(t, "github", fixture(), Options{}))
	if want := []string{"jenkins-oidc-lint: 8 errors, 3 warnings, 2 notes"}; !reflect.DeepEqual(plain, want) {
		t.Errorf("plain lines = %q", plain)
	}
	var got []string
	for _, c := range cmds {
		props := []string{}
		for _, k := range []string{"file", "line", "col", "endline", "endcolumn", "title"} {
			if v, ok := c.Props[k]; ok {
				props = append(props, k+"="+v)
			}
		}
		if len(props) != len(c.Props) {
			t.Errorf("unexpected properties in %+v", c)
		}
		got = append(got, c.Name+" "+strings.Join(props, " "))
	}
	want := []string{ // errors first, then warnings, then notices
		"error file=broken.yaml line=3 col=5 endline=3 endcolumn=5 title=parse-error",
		"error file=secrets.json line=1 col=1 endline=1 endcolumn=1 title=parse-error",
		"error file=Jenkinsfile line=2 col=12 endline=2 endcolumn=13 title=tls-verification-disabled",
		"error file=casc/jenkins.yaml line=6 col=19 endline=6 endcolumn=60 title=issuer-mismatch",
		"error file=casc/jenkins.yaml line=6 col=20 endline=6 endcolumn=26 title=insecure-url",
		"error file=casc/jenkins.yaml line=7 col=17 endline=7 endcolumn=24 title=missing-client-id",
		"error file=conf d/prod,eu.yaml line=4 endline=5 title=token-validation-disabled", // two lines: no columns
		"error file=stdin.yaml line=3 col=7 endline=3 endcolumn=19 title=missing-openid-scope",
		"warning file=casc/jenkins.yaml line=4 col=27 endline=4 endcolumn=27 title=pkce-disabled",
		"warning file=casc/jenkins.yaml line=9 col=19 endline=9 endcolumn=25 title=scope-not-supported",
		"warning file=casc/jenkins.yaml line=10 col=7 endline=10 endcolumn=30 title=escape-hatch-enabled",
		"notice file=casc/jenkins.yaml line=11 col=24 endline=11 endcolumn=29 title=claim-not-supported",
		"notice file=discovery/okta.json title=claim-not-supported", // whole file
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("commands:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if cmds[6].Data != nastyShown {
		t.Errorf("message = %q, want %q", cmds[6].Data, nastyShown)
	}
}

func manyFindings(errs, warns, notes int) *Report {
	r := &Report{}
	add := func(n int, s Severity) {
		for i := 1; i <= n; i++ {
			r.Findings = append(r.Findings, Finding{Rule: "r-" + s.String(), Severity: s, Pos: pos("f.yaml", i, 1), Message: fmt.Sprintf("%s %d", s, i)})
		}
	}
	add(notes, Note) // the report's order is not by severity
	add(warns, Warning)
	add(errs, Error)
	return r
}

func TestGitHubLimits(t *testing.T) {
	tests := []struct {
		errs, warns, notes  int
		wantE, wantW, wantN int
		omitted             string
	}{
		{25, 3, 12, 10, 3, 9, "18 more problems"},
		{10, 10, 10, 10, 10, 10, ""},
		{11, 0, 0, 10, 0, 0, "1 more problem"},
		{0, 0, 11, 0, 0, 9, "2 more problems"},
		{0, 12, 3, 0, 10, 3, "2 more problems"},
		{0, 0, 0, 0, 0, 0, ""},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("%d-%d-%d", tt.errs, tt.warns, tt.notes)
		var sum bytes.Buffer
		cmds, _ := commandsOf(t, out(t, "github", manyFindings(tt.errs, tt.warns, tt.notes), Options{StepSummary: &sum}))
		n := map[string]int{}
		last := -1
		rank := map[string]int{"error": 0, "warning": 1, "notice": 2}
		for i, c := range cmds {
			if tt.omitted != "" && i == len(cmds)-1 {
				want := tt.omitted + " not shown as annotations (GitHub shows 10 of each level per step); the job summary lists them all"
				if c.Name != "notice" || c.Data != want || c.Props["title"] != "jenkins-oidc-lint" {
					t.Errorf("%s: last command %+v, want a notice %q", name, c, want)
				}
				n["omitted"]++
				continue
			}
			if rank[c.Name] < last {
				t.Errorf("%s: %s after a lower level", name, c.Name)
			}
			last = rank[c.Name]
			n[c.Name]++
		}
		if n["error"] != tt.wantE || n["warning"] != tt.wantW || n["notice"]+n["omitted"] > 10 || n["notice"] != tt.wantN {
			t.Errorf("%s: shown %v, want %d/%d/%d", name, n, tt.wantE, tt.wantW, tt.wantN)
		}
		if (n["omitted"] == 1) != (tt.omitted != "") {
			t.Errorf("%s: omitted notice %d, want %q", name, n["omitted"], tt.omitted)
		}
		if rows := strings.Count(sum.String(), "\n| "); rows != tt.errs+tt.warns+tt.notes+2*boolInt(tt.errs+tt.warns+tt.notes > 0) {
			t.Errorf("%s: step summary has %d rows:\n%s", name, rows, sum.String())
		}
	}
	// The first errors of the report are the ones shown, in its order.
	cmds, _ := commandsOf(t, out(t, "github", manyFindings(12, 0, 0), Options{}))
	if cmds[0].Data != "error 1" || cmds[9].Data != "error 10" {
		t.Errorf("shown errors: %q … %q", cmds[0].Data, cmds[9].Data)
	}
	if want := "2 more problems not shown as annotations (GitHub shows 10 of each level per step); use the text or sarif format to see them all"; cmds[10].Data != want {
		t.Errorf("without a step summary: %q", cmds[10].Data)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestGitHubStepSummary(t *testing.T) {
	var sum bytes.Buffer
	_ = out(t, "github", fixture(), Options{StepSummary: &sum})
	golden(t, "github-summary.golden.md", sum.Bytes())
	s := sum.String()
	if !strings.HasPrefix(s, "### jenkins-oidc-lint: 8 errors, 3 warnings, 2 notes\n\n| Severity | Location | Rule | Message |\n| --- | --- | --- | --- |\n") {
		t.Errorf("summary header:\n%s", s)
	}
	// The nasty message stays in one row: no raw | or newline, no HTML.
	for _, line := range strings.Split(s, "\n") {
		if strings.Contains(line, "token-validation-disabled") {
			want := "| error | conf d/prod,eu.yaml:4:7 | token-validation-disabled | issuer differs: 100% of \"a,b\": expected https://id.example.com:8443/, got Zürich ✓ %0A %25 \\<b\\>\\&amp; \\| \\`x\\`<br>second line: 東京 ::error::no |"
			if line != want {
				t.Errorf("row:\n%s\nwant:\n%s", line, want)
			}
		}
	}
	sum.Reset()
	_ = out(t, "github", &Report{}, Options{StepSummary: &sum})
	if got := sum.String(); got != "### jenkins-oidc-lint: no problems found\n\n" {
		t.Errorf("empty summary = %q", got)
	}
	err := Write(&bytes.Buffer{}, "github", fixture(), Options{StepSummary: failWriter{}})
	if !errors.Is(err, errBroken) {
		t.Errorf("step summary write error = %v", err)
	}
}

func FuzzGitHubEscaping(f *testing.F) {
	f.Add("100% a,b: c\r\nd", "a:b,c%.yaml")
	f.Add("%0A%25%3A", "%2C")
	f.Fuzz(func(t *testing.T, msg, path string) {
		if strings.ContainsAny(path, "\x00") || strings.TrimSpace(path) != path || path == "" || strings.HasPrefix(path, "=") {
			t.Skip() // the runner trims and splits these; not produced by the engine
		}
		r := &Report{Findings: []Finding{{Rule: "r", Severity: Error, Pos: pos(path, 1, 1), Message: msg}}}
		var b bytes.Buffer
		if err := Write(&b, "github", r, Options{}); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
		if len(lines) != 2 {
			t.Fatalf("%d lines for one finding: %q", len(lines), b.String())
		}
		c, ok := parseWorkflowCommand(lines[0])
		// Messages and names arrive escaped (EscapeMessage, EscapeControl),
		// with line breaks as \n.
		if !ok || c.Data != EscapeMessage(msg) || c.Props["file"] != EscapeControl(path) || c.Name != "error" {
			t.Fatalf("round trip: %+v from %q", c, lines[0])
		}
	})
}
