package ruledoc

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestParseErrors(t *testing.T) {
	for name, src := range map[string]string{
		"no front matter": "# x\n",
		"wrong id":        "---\nid: y\nseverity: error\nsummary: s.\n---\n# x\n",
		"bad severity":    "---\nid: x\nseverity: fatal\nsummary: s.\n---\n# x\n",
		"no summary":      "---\nid: x\nseverity: error\n---\n# x\n",
		"not key: value":  "---\nid: x\nseverity error\nsummary: s.\n---\n# x\n",
	} {
		if _, err := Parse("x", []byte(src), "https://h"); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

func TestParse(t *testing.T) {
	m, err := Parse("x", []byte("---\r\nid: x\r\nseverity: warning\r\nsummary: S.\r\ntags: [a, b]\r\nsecurity-severity: 5.0\r\n---\r\n# x\r\n\r\nFirst\r\nparagraph.\r\n\r\n## Why\r\n"), "https://h")
	if err != nil {
		t.Fatal(err)
	}
	if m.Summary != "S." || m.Description != "First paragraph." || strings.Join(m.Tags, ",") != "a,b" ||
		m.SecuritySeverity != "5.0" || m.HelpURI != "https://h/blob/main/rules/docs/x.md" || m.Help != "# x\n\nFirst\nparagraph.\n\n## Why\n" {
		t.Errorf("Parse = %+v", m)
	}
}

// TestParseDirNamesEveryBadPage: one error names every page that failed,
// and the good pages are still returned.
func TestParseDirNamesEveryBadPage(t *testing.T) {
	fsys := fstest.MapFS{
		"docs/a.md": {Data: []byte("---\nid: a\nseverity: note\nsummary: A.\n---\n# a\n")},
		"docs/b.md": {Data: []byte("# b\n")},
		"docs/c.md": {Data: []byte("---\nid: x\nseverity: note\nsummary: C.\n---\n")},
	}
	metas, err := ParseDir(fsys, "https://h")
	if err == nil || !strings.Contains(err.Error(), "docs/b.md") || !strings.Contains(err.Error(), "docs/c.md") {
		t.Errorf("err = %v", err)
	}
	if len(metas) != 1 || metas[0].ID != "a" {
		t.Errorf("metas = %+v", metas)
	}
}

// TestSourceQuotes: the generated source is gofmt'd Go whose strings
// round-trip (quotes, backslashes, backquotes, a last line without \n).
func TestSourceQuotes(t *testing.T) {
	src, err := Source(nil)
	if err != nil || !strings.Contains(string(src), "var docMetas = []report.RuleMeta{}") {
		t.Fatalf("Source(nil) = %s, %v", src, err)
	}
	if got := quote("a \"q\" `b`\n\\c"); got != "\"a \\\"q\\\" `b`\\n\" +\n\"\\\\c\"" {
		t.Errorf("quote = %s", got)
	}
}
