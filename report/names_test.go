package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/url"
	"path"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscapeControl(t *testing.T) {
	tests := []struct{ in, one, msg string }{
		{"plain/path.yaml", "plain/path.yaml", "plain/path.yaml"},
		{`C:\work\x1b.yaml`, `C:\work\x1b.yaml`, `C:\work\x1b.yaml`}, // backslashes stay
		{"東京 é 🔒 e\u0301", "東京 é 🔒 e\u0301", "東京 é 🔒 e\u0301"},
		{"a\x1b[31mb", `a\x1b[31mb`, `a\x1b[31mb`},
		{"bel\x07 nul\x00 del\x7f", `bel\x07 nul\x00 del\x7f`, `bel\x07 nul\x00 del\x7f`},
		{"a\tb", `a\tb`, "a\tb"},
		{"a\nb\r\nc\rd", `a\nb\r\nc\rd`, "a\nb\nc\nd"},
		{"bad \xff\xfe utf8 \xe6\x9d", `bad \xff\xfe utf8 \xe6\x9d`, `bad \xff\xfe utf8 \xe6\x9d`},
		{"x\u202ey\u2066z\u2069\u200f", `x\u202ey\u2066z\u2069\u200f`, `x\u202ey\u2066z\u2069\u200f`},
		{"c1\u0085 bom\ufeff ls\u2028 ps\u2029", `c1\u0085 bom\ufeff ls\u2028 ps\u2029`, `c1\u0085 bom\ufeff ls\u2028 ps\u2029`},
		{"pua\ue000 nonchar\uffff tag\U000e0041", `pua\ue000 nonchar\uffff tag\U000e0041`, `pua\ue000 nonchar\uffff tag\U000e0041`},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := EscapeControl(tt.in); got != tt.one {
			t.Errorf("EscapeControl(%q) = %q, want %q", tt.in, got, tt.one)
		}
		if got := EscapeMessage(tt.in); got != tt.msg {
			t.Errorf("EscapeMessage(%q) = %q, want %q", tt.in, got, tt.msg)
		}
	}
	// Ordinary text is returned as it is, without a copy.
	if n := testing.AllocsPerRun(10, func() { _ = EscapeControl("casc/jenkins.yaml: 東京") }); n != 0 {
		t.Errorf("EscapeControl allocates %v times on plain text", n)
	}
}

// hostile file names, rule IDs and messages, one of each kind of character
// that must not reach an output raw.
var hostile = []string{
	"evil\x1b]0;pwned\x07.yaml",
	"cr\rlf\nname.yaml",
	"nul\x00del\x7f.yaml",
	"bad\xff\xfeutf8.yaml",
	"trojan\u202eyaml.exe",
	"iso\u2066late\u2069.yaml",
	"c1\u0085\u009b31m.yaml",
	"pipe|`tick`<script>alert(1)</script>&amp;.yaml",
	"%0A%25%3A,:=.yaml",
	"ls\u2028ps\u2029bom\ufeff.yaml",
}

// TestHostileNames renders findings named by hostile files in every format
// and checks that they arrive escaped, and readable back as escaped.
func TestHostileNames(t *testing.T) {
	for _, name := range hostile {
		r := &Report{
			Files:  map[string][]byte{name: []byte("key: \x1b[2J\u202evalue\n")},
			Errors: []FileError{{Pos: pos(name+"2", 1, 1), Message: "cannot parse " + name}},
			Findings: []Finding{{Rule: "rule\x1b", Severity: Error, Pos: pos(name, 1, 6), End: pos(name, 1, 10), Message: "message quoting " + name + "\nsecond line",
				Related: []Related{{Pos: pos(name, 1, 1), Message: "related " + name}}}},
		}
		checkOutputs(t, r, name)
	}
}

// FuzzNames renders a finding and a file error with fuzzed file name, rule
// and message in every format and asserts that no raw control character
// (but the format's own newlines, and tabs inside a github message) and no
// raw bidi or other escaped rune reaches the output, that XML outputs parse
// with encoding/xml and JSON outputs with encoding/json with nothing raw in
// their strings either, that SARIF URIs are valid and name the file, and
// that workflow commands decode (as the runner does) to strings without
// control characters.
func FuzzNames(f *testing.F) {
	for _, h := range hostile {
		f.Add(h, "r", "msg "+h)
	}
	f.Add("a\tb", "r\u202e", "x\ty\r\nz\r")
	f.Fuzz(func(t *testing.T, name, rule, msg string) {
		if name == "" || rule == "" {
			t.Skip()
		}
		r := &Report{
			Files:    map[string][]byte{name: []byte(name + ": " + msg + "\n")},
			Errors:   []FileError{{Pos: pos(name+"2", 1, 1), Message: msg}},
			Findings: []Finding{{Rule: rule, Severity: Error, Pos: pos(name, 1, 3), End: pos(name, 1, 9), Message: msg, Related: []Related{{Pos: pos(name, 2, 1), Message: msg}}}},
		}
		checkOutputs(t, r, name)
	})
}

// checkOutputs renders r in every format and checks the properties FuzzNames
// lists. name is the file name of r's finding.
func checkOutputs(t *testing.T, r *Report, name string) {
	t.Helper()
	for _, format := range Formats() {
		var sum bytes.Buffer
		o := Options{}
		if format == "github" {
			o.StepSummary = &sum
		}
		got := out(t, format, r, o)
		rawOK := "\n"
		if format == "github" {
			rawOK = "\n\t"
		}
		checkRaw(t, format, string(got), rawOK)
		switch format {
		case "junit", "checkstyle":
			checkXML(t, format, got, name)
		case "json", "gitlab", "sarif":
			checkJSON(t, format, got)
		case "github":
			checkWorkflowCommands(t, got, name)
			checkRaw(t, "github step summary", sum.String(), "\n\t")
			checkStepSummary(t, sum.String(), len(r.Findings)+len(r.Errors))
		}
		if format == "sarif" {
			checkSARIFURIs(t, got, r)
		}
	}
}

// checkRaw fails when s holds a control character other than those in ok,
// an escaped rune (bidi controls and the like) or invalid UTF-8.
func checkRaw(t *testing.T, what, s, ok string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("%s: invalid UTF-8 in %q", what, s)
	}
	for _, c := range s {
		if (c < 0x20 || c == 0x7f) && !strings.ContainsRune(ok, c) || c >= 0x80 && escaped(c) {
			t.Fatalf("%s: raw %U in %q", what, c, s)
		}
	}
}

// checkXML parses an XML output and checks that every attribute and text
// is free of control characters but newlines, and that the file name came
// through escaped.
func checkXML(t *testing.T, format string, doc []byte, name string) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	found := false
	for {
		tok, err := d.Token()
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			t.Fatalf("%s: %v in %q", format, err, doc)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			for _, a := range tok.Attr {
				checkRaw(t, format+" attribute", a.Value, "\n\t")
				if a.Name.Local == "name" && a.Value == EscapeControl(name) {
					found = true
				}
			}
		case xml.CharData:
			checkRaw(t, format+" text", string(tok), "\n")
		}
	}
	if !found {
		t.Errorf("%s: no name attribute %q in %s", format, EscapeControl(name), doc)
	}
}

// checkJSON parses a JSON output and checks every string in it.
func checkJSON(t *testing.T, format string, doc []byte) {
	t.Helper()
	// a string a machine keeps exact (a path) may decode to DEL, but the
	// document a person may cat shows it escaped, as every other control
	if i := bytes.IndexByte(doc, 0x7f); i >= 0 {
		t.Errorf("%s: a raw DEL at byte %d", format, i)
	}
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatalf("%s: %v in %s", format, err, doc)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			checkRaw(t, format+" string", v, "\n\t")
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for k, e := range v {
				walk(k)
				walk(e)
			}
		}
	}
	walk(v)
}

// checkWorkflowCommands decodes every command as the runner does: its
// properties hold no control character, its message none but newlines and
// tabs, and the file is the escaped name.
func checkWorkflowCommands(t *testing.T, doc []byte, name string) {
	t.Helper()
	cmds, plain := commandsOf(t, doc)
	if len(plain) != 1 {
		t.Fatalf("github: plain lines %q", plain)
	}
	for _, c := range cmds {
		for k, v := range c.Props {
			checkRaw(t, "github property "+k, v, "")
		}
		checkRaw(t, "github message", c.Data, "\n\t")
	}
	// The runner trims the property list and drops empty values: only a
	// name that survives that can be compared.
	want := EscapeControl(name)
	if strings.TrimSpace(want) == want && !strings.HasPrefix(want, "=") {
		if got := cmds[len(cmds)-1].Props["file"]; got != want {
			t.Errorf("github: file=%q, want %q", got, want)
		}
	}
}

// checkStepSummary checks that each problem is one table row of exactly four
// cells (no unescaped | inside), and that no HTML but the <br> line breaks
// the format writes reaches the Markdown.
func checkStepSummary(t *testing.T, md string, problems int) {
	t.Helper()
	lines := strings.Split(md, "\n")
	var rows []string
	for _, l := range lines {
		if strings.HasPrefix(l, "| ") {
			rows = append(rows, l)
		}
	}
	if len(rows) != problems+2 {
		t.Fatalf("step summary: %d rows for %d problems:\n%s", len(rows), problems, md)
	}
	for _, row := range rows {
		if n := unescapedPipes(row); n != 5 {
			t.Fatalf("step summary: %d cell separators in %q", n, row)
		}
		rest := strings.ReplaceAll(row, "<br>", "")
		for i := 0; i < len(rest); i++ {
			if strings.IndexByte("<>`*_[]&~", rest[i]) >= 0 && backslashesBefore(rest, i)%2 == 0 {
				t.Fatalf("step summary: unescaped %c in %q", rest[i], row)
			}
		}
	}
}

func unescapedPipes(row string) int {
	n := 0
	for i := 0; i < len(row); i++ {
		if row[i] == '|' && backslashesBefore(row, i)%2 == 0 {
			n++
		}
	}
	return n
}

func backslashesBefore(s string, i int) int {
	n := 0
	for i--; i >= 0 && s[i] == '\\'; i-- {
		n++
	}
	return n
}

// checkSARIFURIs checks that each artifact URI is a valid URI reference
// that names the file: percent-decoded, it is the file's path.
func checkSARIFURIs(t *testing.T, doc []byte, r *Report) {
	t.Helper()
	var log sarifLog
	if err := json.Unmarshal(doc, &log); err != nil {
		t.Fatal(err)
	}
	paths := map[string]bool{}
	for _, f := range r.Findings {
		paths[f.Pos.Path] = true
	}
	for _, e := range r.Errors {
		paths[e.Pos.Path] = true
	}
	for _, res := range log.Runs[0].Results {
		for _, loc := range append(res.Locations, res.RelatedLocations...) {
			uri := loc.PhysicalLocation.ArtifactLocation.URI
			u, err := url.Parse(uri)
			if err != nil || !isURIReference(uri) {
				t.Fatalf("sarif: invalid URI %q: %v", uri, err)
			}
			if u.Scheme != "" || strings.ContainsAny(uri, "?#") {
				continue // an absolute file URI, checked by TestSARIFLocations
			}
			ok := false
			for p := range paths {
				if path.Clean(strings.ReplaceAll(p, `\`, "/")) == path.Clean(u.Path) {
					ok = true
				}
			}
			if !ok {
				t.Errorf("sarif: URI %q (path %q) names none of %v", uri, u.Path, paths)
			}
		}
	}
}

// isURIReference reports whether s uses only the characters RFC 3986 allows
// in a URI reference, with every % starting a percent-encoding.
func isURIReference(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("-._~:/?#[]@!$&'()*+,;=", c) >= 0:
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
		default:
			return false
		}
	}
	return true
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// A fix's replacement is text to write into a file, so the json format keeps
// it exact; its runes that must not appear raw are JSON escapes, which
// decode to the same text.
func TestJSONFixExact(t *testing.T) {
	repl := "\"https://id.example.com/\u202e\U000e0041\u2028\x1b\""
	r := &Report{Findings: []Finding{{Rule: "r", Severity: Error, Pos: pos("f\u202e.yaml", 1, 1), Message: "m\u202e",
		Fix: &Fix{Path: "f\u202e.yaml", Offset: 1, Length: 2, Replacement: repl, Description: "use \u202e"}}}}
	got := out(t, "json", r, Options{})
	checkRaw(t, "json", string(got), "\n")
	for _, want := range []string{`"replacement": "\"https://id.example.com/\u202e\udb40\udc41\u2028\u001b\""`, `"path": "f\u202e.yaml"`, `"path": "f\\u202e.yaml"`, `"message": "m\\u202e"`, `"description": "use \\u202e"`} {
		if !strings.Contains(string(got), want) {
			t.Errorf("no %s in\n%s", want, got)
		}
	}
	var doc jsonReport
	if err := json.Unmarshal(got, &doc); err != nil {
		t.Fatal(err)
	}
	if fix := doc.Findings[0].Fix; fix.Replacement != repl || fix.Path != "f\u202e.yaml" {
		t.Errorf("fix = %+v, want replacement %q", fix, repl)
	}
}
