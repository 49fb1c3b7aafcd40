package plugins

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// pinString prints a pin as the tests expect it:
// id version [url] [group] @line:col-line:col.
func pinString(p Pin) string {
	s := p.ID + " " + p.Version
	if p.URL != "" {
		s += " url=" + p.URL
	}
	if p.GroupID != "" {
		s += " group=" + p.GroupID
	}
	return s + " @" + posRange(p.Pos, p.End)
}

func posRange(a, b report.Position) string {
	return fmt.Sprintf("%d:%d-%d:%d", a.Line, a.Col, b.Line, b.Col)
}

func pinsString(pins []Pin) string {
	var b strings.Builder
	for _, p := range pins {
		b.WriteString(pinString(p))
		b.WriteByte('\n')
	}
	return b.String()
}

func errsString(errs []report.FileError) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "%d:%d %s\n", e.Pos.Line, e.Pos.Col, e.Message)
	}
	return b.String()
}

func TestParseTxt(t *testing.T) {
	for _, tc := range []struct {
		name, in, want, errs string
	}{
		{"plain", "oic-auth:4.350.v347c3b_8b_9d95\n", "oic-auth 4.350.v347c3b_8b_9d95 @1:10-1:31\n", ""},
		{"no version is latest", "git\nmatrix-auth:\n", "git latest @1:1-1:4\nmatrix-auth latest @2:1-2:12\n", ""},
		{"latest and experimental", "git:latest\njunit:experimental\n", "git latest @1:5-1:11\njunit experimental @2:7-2:19\n", ""},
		// the installation manager's own test file (PluginListParserTest/plugins.txt)
		{"comments", "     #   should not be read\n#structs:1.6\nblueocean #comment\nbuild-timeout:1.20 ## trailing\n",
			"blueocean latest @3:1-3:10\nbuild-timeout 1.20 @4:15-4:19\n", ""},
		{"a # without whitespace before it is not a comment", "a:1#2\n", "a 1#2 @1:3-1:6\n", ""},
		{"whitespace anywhere is removed", " junit : 1.2 \n", "junit 1.2 @1:10-1:13\n", ""},
		{"tab comment", "x:1\t# note\n", "x 1 @1:3-1:4\n", ""},
		{"url third field", "google-api-client-plugin:: https://updates.jenkins.io/latest/google-api-client-plugin.hpi ##should not cause problems\n",
			"google-api-client-plugin latest url=https://updates.jenkins.io/latest/google-api-client-plugin.hpi @1:1-1:25\n", ""},
		{"bad url is ignored", "matrix-project::httttp://ftp-chi.osuosl.org/x.hpi\n", "matrix-project latest @1:1-1:15\n", ""},
		{"README form id:url is a version", "job:https://example.com/job.hpi\n", "job https @1:5-1:10\n", ""},
		{"version and url", "credentials:latest:http://ftp-chi.osuosl.org/c.hpi\n", "credentials latest url=http://ftp-chi.osuosl.org/c.hpi @1:13-1:19\n", ""},
		{"incrementals", "workflow-step-api:incrementals;org.jenkins-ci.plugins.workflow;2.19-rc289.d09828a05a74:\n",
			"workflow-step-api incrementals;org.jenkins-ci.plugins.workflow;2.19-rc289.d09828a05a74 group=org.jenkins-ci.plugins.workflow @1:19-1:87\n", ""},
		{"broken incrementals", "x:incrementals;g;\n", "", "1:3 plugin x: an incrementals version is written `incrementals;<groupId>;<version>`, not `incrementals;g;` (the plugin installation manager fails on it)\n"},
		{"no id", ":1.0\n", "", "1:1 plugin entry `:1.0` has no plugin ID before its ':'\n"},
		{"CRLF and blank lines", "a:1\r\n\r\n  \r\nb:2\r\n", "a 1 @1:3-1:4\nb 2 @4:3-4:4\n", ""},
		{"lone CR", "a:1\rb:2", "a 1 @1:3-1:4\nb 2 @2:3-2:4\n", ""},
		{"multi-byte id", "plügin:1.0\n", "plügin 1.0 @1:8-1:11\n", ""},
		{"comment up to a Java line terminator", "a:1 #c\u2028b:2\n", "a 1\u2028b @1:3-1:4\n", ""},
		{"duplicates are all kept", "a:1\na:2\n", "a 1 @1:3-1:4\na 2 @2:3-2:4\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, errs := ParseTxt(source.NewFile("plugins.txt", []byte(tc.in)))
			if got := pinsString(l.Pins); got != tc.want {
				t.Errorf("pins:\n%s\nwant:\n%s", got, tc.want)
			}
			if got := errsString(errs); got != tc.errs {
				t.Errorf("errors:\n%s\nwant:\n%s", got, tc.errs)
			}
			if l.Kind != TxtList || l.Path != "plugins.txt" {
				t.Errorf("list %q kind %v", l.Path, l.Kind)
			}
		})
	}
}

func TestPinPinned(t *testing.T) {
	l, _ := ParseTxt(source.NewFile("p.txt", []byte("a:1.2\nb\nc:latest\nd:experimental\ne:incrementals;g;1.0-rc1.abc\nf::https://x/f.hpi\n")))
	want := map[string]bool{"a": true, "b": false, "c": false, "d": false, "e": false, "f": false}
	for _, p := range l.Pins {
		if p.Pinned() != want[p.ID] {
			t.Errorf("%s %q: Pinned() = %v", p.ID, p.Version, p.Pinned())
		}
	}
}

// checkPositions asserts that every position is inside the file and that
// spans do not run backwards.
func checkPositions(t *testing.T, f *source.File, what string, pos, end report.Position) {
	t.Helper()
	if pos.Path != f.Path || pos.Line < 1 || pos.Line > f.LineCount() || pos.Col < 1 {
		t.Fatalf("%s: position %v outside %s (%d lines)", what, pos, f.Path, f.LineCount())
	}
	if line := f.Line(pos.Line); pos.Col > len([]rune(string(line)))+1 {
		t.Fatalf("%s: column %d past the end of line %d (%q)", what, pos.Col, pos.Line, line)
	}
	if end.Line == 0 {
		return
	}
	if end.Path != f.Path || end.Line < pos.Line || end.Line == pos.Line && end.Col <= pos.Col || end.Line > f.LineCount() {
		t.Fatalf("%s: end %v before start %v", what, end, pos)
	}
}

func FuzzParseTxt(f *testing.F) {
	for _, s := range []string{
		"oic-auth:4.350.v347c3b_8b_9d95\n",
		"git:   latest\ngoogle-api-client-plugin:: https://updates.jenkins.io/latest/google-api-client-plugin.hpi ##should not cause problems\njob-import-plugin:2.1\n     #   should not be read\n#structs:1.6\ndocker\n",
		"workflow-step-api:incrementals;org.jenkins-ci.plugins.workflow;2.19-rc289.d09828a05a74:\n",
		" junit:experimental\r\ncredentials:latest:http://ftp-chi.osuosl.org/x.hpi\rblueocean #comment\n",
		"x:incrementals;;\n:1\n\u2028#a:1 #\u0085b\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		file := source.NewFile("plugins.txt", []byte(s))
		l, errs := ParseTxt(file)
		for _, p := range l.Pins {
			if p.ID == "" || p.Version == "" {
				t.Fatalf("pin %+v without ID or version", p)
			}
			if strings.ContainsAny(p.ID+p.Version, " \t\n\r\f\x0b") {
				t.Fatalf("pin %+v keeps whitespace", p)
			}
			checkPositions(t, file, "pin "+p.ID, p.Pos, p.End)
		}
		for _, e := range errs {
			checkPositions(t, file, "error", e.Pos, report.Position{})
		}
	})
}
