package report

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// The text format, modelled on actionlint:
//
//	casc/jenkins.yaml:7:17: error: clientId is a placeholder [missing-client-id]
//	 7 |       clientId: changeme
//	   |                 ^~~~~~~~
//	  discovery/okta.json:2:13: note: the provider's issuer
//	3 errors, 1 warning, 0 notes
//
// Extra lines of a multi-line message follow the header, indented by four
// spaces. The source line comes from Report.Files (already masked); tabs
// expand to stops every tabWidth columns, East Asian wide characters take two
// columns, and control, format and bidi characters are shown escaped so that
// neither a message nor a file can drive the terminal. The caret line
// underlines [Pos, End) when End is on the same line, to the end of the line
// when it is on a later one, and one character otherwise; a Pos past the end
// of its line is shown just after the line's last character.

// tabWidth is the tab stop distance used when a source line is shown.
const tabWidth = 4

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[1;31m"
	ansiYellow = "\x1b[1;33m"
	ansiCyan   = "\x1b[1;36m"
	ansiGreen  = "\x1b[32m"
)

type painter bool

func (p painter) paint(code, s string) string {
	if !p || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (p painter) severity(s Severity) string {
	switch s {
	case Error:
		return p.paint(ansiRed, "error:")
	case Warning:
		return p.paint(ansiYellow, "warning:")
	}
	return p.paint(ansiCyan, "note:")
}

func writeText(b *bytes.Buffer, r *Report, o Options) error {
	pt := painter(o.Color)
	lc := &lineCache{}
	for _, p := range problems(r) {
		writeProblemText(b, r, p, pt, lc)
	}
	b.WriteString(countOf(r).summaryLine() + "\n")
	return nil
}

// writeProblemText prints one problem: header, further message lines, source
// line and caret, related positions.
func writeProblemText(b *bytes.Buffer, r *Report, p problem, pt painter, lc *lineCache) {
	lines := messageLines(p.Message)
	fmt.Fprintf(b, "%s %s %s [%s]\n", pt.paint(ansiBold, safe(p.Pos.String())+":"), pt.severity(p.Severity), safe(lines[0]), safe(p.Rule))
	for _, l := range lines[1:] {
		b.WriteString(strings.TrimRight("    "+safe(l), " ") + "\n")
	}
	writeSnippet(b, r, p, pt, lc)
	for _, rel := range p.Related {
		rl := messageLines(rel.Message)
		fmt.Fprintf(b, "  %s %s %s\n", pt.paint(ansiBold, safe(rel.Pos.String())+":"), pt.paint(ansiCyan, "note:"), safe(rl[0]))
		for _, l := range rl[1:] {
			b.WriteString(strings.TrimRight("      "+safe(l), " ") + "\n")
		}
	}
}

// messageLines splits a message at its line breaks (\n or \r\n).
func messageLines(m string) []string {
	return strings.Split(strings.ReplaceAll(m, "\r\n", "\n"), "\n")
}

// writeSnippet prints the source line of p and the caret line under its span,
// when the report carries the file and the line exists.
func writeSnippet(b *bytes.Buffer, r *Report, p problem, pt painter, lc *lineCache) {
	if !p.Pos.IsValid() {
		return
	}
	data, ok := r.Files[p.Pos.Path]
	if !ok {
		return
	}
	line, ok := lc.line(p.Pos.Path, data, p.Pos.Line)
	if !ok {
		return
	}
	text, cols := render(line)
	n := len(cols) - 1 // runes in the line
	s := p.Pos.Col - 1
	if s < 0 {
		s = 0
	}
	if s > n { // past the end of the line: show it at the end
		s = n
	}
	e := s + 1
	if end, ok := endOf(p); ok {
		if end.Line == p.Pos.Line {
			e = end.Col - 1
		} else {
			e = n
		}
	}
	if e > n {
		e = n
	}
	start := cols[s]
	w := cols[e] - start
	if w < 1 {
		w = 1
	}
	num := strconv.Itoa(p.Pos.Line)
	gutter := strings.Repeat(" ", len(num))
	fmt.Fprintf(b, " %s | %s\n", num, strings.TrimRight(text, " "))
	fmt.Fprintf(b, " %s | %s%s\n", gutter, strings.Repeat(" ", start), pt.paint(ansiGreen, "^"+strings.Repeat("~", w-1)))
}

// lineCache finds source lines by an index of line starts, built once per
// file (problems come sorted by file), so printing many problems of a large
// file does not rescan it for each.
type lineCache struct {
	path   string
	starts []int
}

// line returns line n (1-based) of data, the contents of path, without its
// line ending. A line ends at "\n", "\r\n" or a lone "\r", as the engine
// counts lines.
func (lc *lineCache) line(path string, data []byte, n int) ([]byte, bool) {
	if lc.path != path || lc.starts == nil {
		lc.path, lc.starts = path, []int{0}
		for i, c := range data {
			if c == '\n' || c == '\r' && (i+1 == len(data) || data[i+1] != '\n') {
				lc.starts = append(lc.starts, i+1)
			}
		}
	}
	if n < 1 || n > len(lc.starts) {
		return nil, false
	}
	start, end := lc.starts[n-1], len(data)
	if n < len(lc.starts) {
		end = lc.starts[n] - 1
	}
	return bytes.TrimSuffix(data[start:end], []byte("\r")), true
}

// render makes a line safe to print and measures it: cols[i] is the display
// column at which rune i starts, cols[len] the width of the whole line.
func render(line []byte) (string, []int) {
	var sb strings.Builder
	cols := make([]int, 0, len(line)+1)
	col := 0
	for len(line) > 0 {
		r, size := utf8.DecodeRune(line)
		line = line[size:]
		cols = append(cols, col)
		if r == '\t' {
			w := tabWidth - col%tabWidth
			sb.WriteString(strings.Repeat(" ", w))
			col += w
			continue
		}
		s, w := glyph(r, size)
		sb.WriteString(s)
		col += w
	}
	cols = append(cols, col)
	return sb.String(), cols
}

// safe makes a one-line string safe to print on a terminal.
func safe(s string) string {
	if !needsEscape(s) {
		return s
	}
	var sb strings.Builder
	for i, r := range s {
		if r == '\t' {
			sb.WriteByte(' ')
			continue
		}
		size := utf8.RuneLen(r)
		if r == utf8.RuneError {
			_, size = utf8.DecodeRuneInString(s[i:])
		}
		g, _ := glyph(r, size)
		sb.WriteString(g)
	}
	return sb.String()
}

func needsEscape(s string) bool {
	for i, r := range s {
		if r < 0x20 || r == 0x7f || r >= 0x80 && escaped(r) {
			return true
		}
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return true
			}
		}
	}
	return false
}

// glyph returns how rune r (of size bytes in the input) is shown and its
// display width.
func glyph(r rune, size int) (string, int) {
	switch {
	case r == utf8.RuneError && size == 1:
		return "\uFFFD", 1
	case r < 0x20:
		return string(rune(0x2400 + r)), 1 // control pictures: ␛ for ESC
	case r == 0x7f:
		return "\u2421", 1
	case r < 0x80:
		return string(r), 1
	case escaped(r):
		s := fmt.Sprintf("<U+%04X>", r)
		return s, len(s)
	case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r):
		return string(r), 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return string(r), 2
	}
	return string(r), 1
}

// escaped reports the non-ASCII runes shown as <U+XXXX>: C1 controls,
// format characters (bidi overrides, zero-width joiners, BOM), line and
// paragraph separators, and runes that are not characters.
func escaped(r rune) bool {
	return r >= 0x80 && r < 0xa0 ||
		unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r) ||
		unicode.Is(unicode.Co, r) || !unicode.IsPrint(r) && !unicode.IsSpace(r) && !unicode.Is(unicode.Mn, r) && !unicode.Is(unicode.Me, r)
}
