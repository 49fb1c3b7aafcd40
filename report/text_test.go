package report

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestTextSnippet pins the source line and caret for the awkward cases, one
// finding at a time.
func TestTextSnippet(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		pos, end Position
		want     string // the lines after the header
	}{
		{"span on one line", "key: value\n", pos("f", 1, 6), pos("f", 1, 11),
			" 1 | key: value\n   |      ^~~~~\n"},
		{"no end: one caret", "key: value\n", pos("f", 1, 6), Position{},
			" 1 | key: value\n   |      ^\n"},
		{"end before start: one caret", "key: value\n", pos("f", 1, 6), pos("f", 1, 2),
			" 1 | key: value\n   |      ^\n"},
		{"end on a later line: to end of line", "key: value\nnext\n", pos("f", 1, 6), pos("f", 2, 3),
			" 1 | key: value\n   |      ^~~~~\n"},
		{"end past the line: clamped", "key: value\n", pos("f", 1, 6), pos("f", 1, 40),
			" 1 | key: value\n   |      ^~~~~\n"},
		{"start past the line", "key:\n", pos("f", 1, 7), pos("f", 1, 9),
			" 1 | key:\n   |     ^\n"},
		{"column zero is column one", "key\n", pos("f", 1, 0), Position{},
			" 1 | key\n   | ^\n"},
		{"tabs expand to stops of 4", "\tab\tc: x\n", pos("f", 1, 5), pos("f", 1, 6),
			" 1 |     ab  c: x\n   |         ^\n"},
		{"wide characters take two columns", "東京: x\n", pos("f", 1, 5), pos("f", 1, 6),
			" 1 | 東京: x\n   |       ^\n"},
		{"span over wide characters", "a: 東京\n", pos("f", 1, 4), pos("f", 1, 6),
			" 1 | a: 東京\n   |    ^~~~\n"},
		{"combining marks take none", "e\u0301e\u0301: x\n", pos("f", 1, 6), Position{},
			" 1 | e\u0301e\u0301: x\n   |    ^\n"},
		{"two-byte runes take one", "für: x\n", pos("f", 1, 6), pos("f", 1, 7),
			" 1 | für: x\n   |      ^\n"},
		{"emoji", "🔒 x\n", pos("f", 1, 3), Position{},
			" 1 | 🔒 x\n   |    ^\n"},
		{"control characters are shown, not sent", "a\x1b[31mb\n", pos("f", 1, 7), Position{},
			" 1 | a\\x1b[31mb\n   |          ^\n"},
		{"bidi override is spelled out", "x\u202Ey: 1\n", pos("f", 1, 3), Position{},
			" 1 | x\\u202ey: 1\n   |        ^\n"},
		{"span over an escaped rune", "x\u202Ey\n", pos("f", 1, 2), pos("f", 1, 3),
			" 1 | x\\u202ey\n   |  ^~~~~~\n"},
		{"invalid UTF-8 is shown as its byte", "a\xffb\n", pos("f", 1, 3), Position{},
			" 1 | a\\xffb\n   |      ^\n"},
		{"a valid U+FFFD is kept", "a\uFFFDb\n", pos("f", 1, 3), Position{},
			" 1 | a\uFFFDb\n   |   ^\n"},
		{"BEL, NUL and DEL", "\x07\x00\x7f: x\n", pos("f", 1, 6), Position{},
			" 1 | \\x07\\x00\\x7f: x\n   |               ^\n"},
		{"C1 control and a rune above U+FFFF", "\u0085\U000E0041x\n", pos("f", 1, 3), Position{},
			" 1 | \\u0085\\U000e0041x\n   |                 ^\n"},
		{"a lone CR inside a line ends it", "a\rb\n", pos("f", 2, 1), Position{},
			" 2 | b\n   | ^\n"},
		{"CRLF line", "a: b\r\nc\r\n", pos("f", 1, 4), pos("f", 1, 5),
			" 1 | a: b\n   |    ^\n"},
		{"last line without newline", "a\nb: c", pos("f", 2, 4), pos("f", 2, 5),
			" 2 | b: c\n   |    ^\n"},
		{"trailing spaces are trimmed", "a: b   \n", pos("f", 1, 1), pos("f", 1, 2),
			" 1 | a: b\n   | ^\n"},
		{"line beyond the file: no snippet", "a\n", pos("f", 3, 1), Position{}, ""},
		{"whole-file position: no snippet", "a\n", Position{Path: "f"}, Position{}, ""},
		{"wide line numbers", strings.Repeat("\n", 99) + "x: y\n", pos("f", 100, 4), pos("f", 100, 5),
			" 100 | x: y\n     |    ^\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Report{
				Files:    map[string][]byte{"f": []byte(tt.file)},
				Findings: []Finding{{Rule: "r", Severity: Warning, Pos: tt.pos, End: tt.end, Message: "m"}},
			}
			got := string(out(t, "text", r, Options{}))
			header := tt.pos.String() + ": warning: m [r]\n"
			footer := "0 errors, 1 warning, 0 notes\n"
			if !strings.HasPrefix(got, header) || !strings.HasSuffix(got, footer) {
				t.Fatalf("output:\n%s", got)
			}
			if body := strings.TrimSuffix(strings.TrimPrefix(got, header), footer); body != tt.want {
				t.Errorf("snippet:\n%s\nwant:\n%s", body, tt.want)
			}
		})
	}
}

func TestTextMessage(t *testing.T) {
	r := &Report{
		Findings: []Finding{{Rule: "r\x1b", Severity: Error, Pos: pos("a\x1bb", 2, 3),
			Message: "first\tline \x1b]0;title\x07\r\nsecond \u202Eline\n\nfourth",
			Related: []Related{{Pos: pos("c", 1, 1), Message: "rel\none"}}}},
	}
	want := "a\\x1bb:2:3: error: first line \\x1b]0;title\\x07 [r\\x1b]\n" +
		"    second \\u202eline\n" +
		"\n" +
		"    fourth\n" +
		"  c:1:1: note: rel\n" +
		"      one\n" +
		"1 error, 0 warnings, 0 notes\n"
	if got := string(out(t, "text", r, Options{})); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestSummaryLine(t *testing.T) {
	tests := []struct {
		c    counts
		want string
	}{
		{counts{}, "no problems found"},
		{counts{Errors: 1}, "1 error, 0 warnings, 0 notes"},
		{counts{Warnings: 1}, "0 errors, 1 warning, 0 notes"},
		{counts{Notes: 1}, "0 errors, 0 warnings, 1 note"},
		{counts{Errors: 2, Warnings: 3, Notes: 4}, "2 errors, 3 warnings, 4 notes"},
		{counts{ParseErrors: 1}, "1 error, 0 warnings, 0 notes"},
		{counts{Errors: 1, ParseErrors: 2, Notes: 1}, "3 errors, 0 warnings, 1 note"},
	}
	for _, tt := range tests {
		if got := tt.c.summaryLine(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.c, got, tt.want)
		}
	}
}

func TestOutOfRangeSeverityIsError(t *testing.T) {
	r := &Report{Findings: []Finding{{Rule: "r", Severity: 0, Pos: pos("f", 1, 1), Message: "m"}, {Rule: "r", Severity: 7, Pos: pos("f", 1, 1), Message: "m"}}}
	want := "f:1:1: error: m [r]\nf:1:1: error: m [r]\n2 errors, 0 warnings, 0 notes\n"
	if got := string(out(t, "text", r, Options{})); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// FuzzText renders arbitrary files, spans and messages: no panic, no raw
// control character but newline, and one header per finding.
func FuzzText(f *testing.F) {
	f.Add([]byte("a: b\n\tc: 東京\n"), 2, 3, 2, 5, "msg")
	f.Add([]byte("x\u202E\x1b\xff"), 1, 0, 0, 0, "a\r\nb\x00")
	f.Add([]byte(""), 5, 9, 1, 1, "")
	f.Fuzz(func(t *testing.T, data []byte, line, col, endLine, endCol int, msg string) {
		r := &Report{
			Files:    map[string][]byte{"f": data},
			Findings: []Finding{{Rule: "r", Severity: Note, Pos: pos("f", line, col), End: pos("f", endLine, endCol), Message: msg}},
		}
		got := string(out(t, "text", r, Options{}))
		for _, c := range got {
			if c < 0x20 && c != '\n' || c == 0x7f {
				t.Fatalf("raw control character %U in %q", c, got)
			}
		}
		if !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8 in %q", got)
		}
		if !strings.HasSuffix(got, "0 errors, 0 warnings, 1 note\n") {
			t.Fatalf("summary missing: %q", got)
		}
	})
}

// Source lines are found whichever line ending the file uses, as the
// engine counts lines: "\n", "\r\n" or a lone "\r".
func TestSnippetLineEndings(t *testing.T) {
	for _, data := range []string{"a: 1\nb: bad\nc: 3\n", "a: 1\r\nb: bad\r\nc: 3\r\n", "a: 1\rb: bad\rc: 3\r"} {
		r := &Report{
			Findings: []Finding{{Rule: "x", Severity: Error, Pos: Position{Path: "f.yaml", Line: 2, Col: 4}, End: Position{Path: "f.yaml", Line: 2, Col: 7}, Message: "m"}},
			Files:    map[string][]byte{"f.yaml": []byte(data)},
		}
		var b bytes.Buffer
		if err := Write(&b, "text", r, Options{}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), " 2 | b: bad\n   |    ^~~\n") {
			t.Errorf("%q:\n%s", data, b.String())
		}
	}
}

// An empty or blank source line keeps the space after its gutter; only the
// line's own trailing blanks are trimmed, and the caret still counts them.
func TestSnippetBlankLine(t *testing.T) {
	r := &Report{
		Findings: []Finding{
			{Rule: "x", Severity: Error, Pos: Position{Path: "f.yaml", Line: 1, Col: 1}, Message: "m"},
			{Rule: "x", Severity: Error, Pos: Position{Path: "f.yaml", Line: 2, Col: 3}, Message: "m"},
		},
		Files: map[string][]byte{"f.yaml": []byte("\n \t \n")},
	}
	want := "f.yaml:1:1: error: m [x]\n 1 | \n   | ^\n" +
		"f.yaml:2:3: error: m [x]\n 2 | \n   |     ^\n" + // after a space and a tab
		"2 errors, 0 warnings, 0 notes\n"
	if got := string(out(t, "text", r, Options{})); got != want {
		t.Errorf("got:\n%q\nwant:\n%q", got, want)
	}
}
