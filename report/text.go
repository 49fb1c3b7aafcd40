package report

import (
	"bytes"
	"fmt"
	"io"
	"math"
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
// spaces (a line break is \n, \r\n or a lone \r; a tab in a message is a
// space). The source line comes from Report.Text (Files or Source, already
// masked), one file at a time; tabs expand to stops every tabWidth columns,
// East Asian wide characters take two columns, combining marks none. Paths, rule IDs, messages and source lines
// are escaped by EscapeControl (\x1b, \u202e, \xff for a byte that is not
// UTF-8), so that neither a file name, a message nor a file can drive the
// terminal; an escape takes as many columns as it has characters. The caret
// line underlines [Pos, End) when End is on the same line, to the end of the
// line when it is on a later one, and one character otherwise; a Pos past
// the end of its line is shown just after the line's last character.
//
// A source line is shown as a window: at most snippetContext (120) runes
// before the span, its first snippetSpan (120) runes, and 120 runes after
// it, with … where the line or the span is cut (the caret line underlines a
// cut span's … too). So a finding in a 9 MB one-line file prints a line of a
// few hundred characters, and finding it costs no copy of the line. Each
// problem shows its own line once; related places show no source.

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

func writeText(s *stream, r *Report, o Options) error {
	pt := painter(o.Color)
	lc := &lineCache{}
	src := &sourceCursor{r: r}
	for p := range allProblems(r) {
		writeProblemText(s, p, pt, lc, src)
		if err := s.boundary(); err != nil {
			return err
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(s, "%s %s %s\n", pt.paint(ansiBold, EscapeControl(n.Pos.String())+":"), pt.paint(ansiCyan, "info:"), messageLines(n.Message)[0])
		if err := s.boundary(); err != nil {
			return err
		}
	}
	s.WriteString(countOf(r).summaryLine() + "\n")
	for _, v := range r.Versions {
		s.WriteString("plugin versions: " + EscapeControl(v) + "\n")
	}
	return nil
}

// textWriter is where a problem's text goes: the stream, or a buffer that
// the junit format escapes.
type textWriter interface {
	io.Writer
	io.StringWriter
}

// writeProblemText prints one problem: header, further message lines, source
// line and caret (the text of its file from src), related positions.
func writeProblemText(b textWriter, p problem, pt painter, lc *lineCache, src *sourceCursor) {
	lines := messageLines(p.Message)
	fmt.Fprintf(b, "%s %s %s [%s]\n", pt.paint(ansiBold, EscapeControl(p.Pos.String())+":"), pt.severity(p.Severity), lines[0], EscapeControl(p.Rule))
	for _, l := range lines[1:] {
		b.WriteString(strings.TrimRight("    "+l, " ") + "\n")
	}
	writeSnippet(b, p, pt, lc, src)
	for _, rel := range p.Related {
		rl := messageLines(rel.Message)
		fmt.Fprintf(b, "  %s %s %s\n", pt.paint(ansiBold, EscapeControl(rel.Pos.String())+":"), pt.paint(ansiCyan, "note:"), rl[0])
		for _, l := range rl[1:] {
			b.WriteString(strings.TrimRight("      "+l, " ") + "\n")
		}
	}
}

// messageLines splits a message at its line breaks (\n, \r\n or a lone \r)
// into lines safe to print: escaped as EscapeControl does, tabs made spaces.
func messageLines(m string) []string {
	return strings.Split(escapeString(m, keepLines|tabSpace), "\n")
}

// Source lines are shown as a window around the span, so that a finding in
// a megabyte-long line (minified JSON, a generated file) prints a few
// hundred characters rather than the line, and rendering it takes time and
// memory for the window only: the line is walked by byte offsets, never
// copied or measured as a whole.
const (
	snippetContext = 120 // runes shown either side of the span before a cut
	snippetSpan    = 120 // runes of the span shown before it is cut
	ellipsis       = "…" // where a window cuts the line; one column wide
)

// writeSnippet prints the source line of p and the caret line under its span,
// when the report has the file's text (Report.Text) and the line exists.
func writeSnippet(b textWriter, p problem, pt painter, lc *lineCache, src *sourceCursor) {
	if !p.Pos.IsValid() {
		return
	}
	data, ok := src.text(p.Pos.Path)
	if !ok {
		return
	}
	line, ok := lc.line(p.Pos.Path, data, p.Pos.Line)
	if !ok {
		return
	}
	s := max(p.Pos.Col-1, 0) // span in runes: [s, e)
	e := s + 1
	if end, ok := endOf(p); ok {
		if end.Line == p.Pos.Line {
			e = end.Col - 1
		} else {
			e = math.MaxInt // to the end of the line
		}
	}
	w := lc.window(p.Pos.Line, line, s, e)
	// The source line and the caret line are built in lc.buf: " N | text\n".
	text := append(lc.buf[:0], ' ')
	text = strconv.AppendInt(text, int64(p.Pos.Line), 10)
	gutter := len(text) - 1
	text = append(text, " | "...)
	head := len(text)
	col := 0
	if w.from > 0 {
		text = append(text, ellipsis...)
		col++
	}
	text, col = renderTo(text, line[w.from:w.start], col)
	start := col
	text, col = renderTo(text, line[w.start:w.end], col)
	width := col - start
	switch {
	case w.spanCut:
		text = append(text, ellipsis...)
		width++
	default:
		text, _ = renderTo(text, line[w.end:w.to], col)
		if w.to < len(line) {
			text = append(text, ellipsis...)
		}
	}
	width = max(width, 1)
	text = append(text[:head+len(bytes.TrimRight(text[head:], " "))], '\n')
	b.Write(text)
	text = append(text[:0], ' ')
	text = appendRepeat(text, ' ', gutter)
	text = append(text, " | "...)
	text = appendRepeat(text, ' ', start)
	if pt {
		text = append(text, ansiGreen...)
	}
	text = append(text, '^')
	text = appendRepeat(text, '~', width-1)
	if pt {
		text = append(text, ansiReset...)
	}
	b.Write(append(text, '\n'))
	lc.buf = text[:0]
}

// lineWindow is the part of a line a snippet shows, as byte offsets into the
// line: [from, to) with the span [start, end) inside it. from > 0 and
// to < len(line) are cuts (shown as …); spanCut says that the span goes on
// after end (then to == end).
type lineWindow struct {
	from, start, end, to int
	spanCut              bool
}

// lineCache finds source lines and positions in them for a run of problems.
// It keeps, per file (problems come sorted by file), the start of every
// lineMark-th line rather than of every line, so its memory is a small
// fraction of the file's even when every line is empty; and it remembers
// where the last lookup ended, so that problems in order (by line, then
// column) walk each file, and each long line, about once in all.
type lineCache struct {
	path  string
	marks []int  // marks[k] is the byte offset of line k*lineMark+1
	buf   []byte // where writeSnippet builds its lines

	// The last line found: its number, start and end.
	cur, start, end int
	// A rune position in that line to walk on from: rune index and byte offset.
	runeIdx, runeOff int
}

const lineMark = 64

// line returns line n (1-based) of data, the contents of path, without its
// line ending. A line ends at "\n", "\r\n" or a lone "\r", as the engine
// counts lines. The result is a slice of data, not a copy.
func (lc *lineCache) line(path string, data []byte, n int) ([]byte, bool) {
	if lc.path != path || lc.marks == nil {
		lc.index(path, data)
	}
	if n < 1 || (n-1)/lineMark >= len(lc.marks) {
		return nil, false
	}
	if n == lc.cur {
		return data[lc.start:lc.end], true
	}
	ln, off := (n-1)/lineMark*lineMark+1, lc.marks[(n-1)/lineMark]
	if lc.cur > 0 && lc.cur < n && lc.cur > ln { // walk on from the last line found
		ln, off = lc.cur, lc.start
	}
	for ; ln < n; ln++ {
		_, next, ok := lineEnd(data, off)
		if !ok {
			return nil, false
		}
		off = next
	}
	end, _, _ := lineEnd(data, off)
	lc.cur, lc.start, lc.end = n, off, end
	lc.runeIdx, lc.runeOff = 0, 0
	return data[off:end], true
}

// index records where every lineMark-th line of data starts.
func (lc *lineCache) index(path string, data []byte) {
	lc.path, lc.marks = path, append(lc.marks[:0], 0)
	lc.cur, lc.start, lc.end, lc.runeIdx, lc.runeOff = 0, 0, 0, 0, 0
	for ln, off := 1, 0; ; ln++ {
		_, next, ok := lineEnd(data, off)
		if !ok {
			return
		}
		off = next
		if ln%lineMark == 0 {
			lc.marks = append(lc.marks, off)
		}
	}
}

// lineEnd finds the end of the line that starts at off: the offset of its
// line break (len(data) for the last line) and of the next line, and
// whether there is a next line.
func lineEnd(data []byte, off int) (end, next int, ok bool) {
	i := bytes.IndexAny(data[off:], "\r\n")
	if i < 0 {
		return len(data), len(data), false
	}
	end = off + i
	if data[end] == '\r' && end+1 < len(data) && data[end+1] == '\n' {
		return end, end + 2, true
	}
	return end, end + 1, true
}

// window finds what a snippet of line n (its text is line) shows for the span
// of runes [s, e): up to snippetContext runes before the span, at most
// snippetSpan runes of it, and up to snippetContext runes after it. A span
// that starts past the end of the line is placed just after its last rune.
// It walks at most the line's first e runes plus the context; when the
// previous window was on the same line and not after this one, it goes on
// from there.
func (lc *lineCache) window(n int, line []byte, s, e int) lineWindow {
	i, off := 0, 0
	if lc.cur == n && lc.runeIdx <= s {
		i, off = lc.runeIdx, lc.runeOff
	}
	first := i
	// ring[k%len(ring)] is the byte offset of rune k, for the last runes walked.
	var ring [snippetContext + 1]int
	for i < s && off < len(line) {
		ring[i%len(ring)] = off
		off += runeSize(line[off:])
		i++
	}
	w := lineWindow{start: off}
	if i > snippetContext {
		if i-first >= snippetContext {
			w.from = ring[(i-snippetContext)%len(ring)]
		} else { // the window begins before where this walk began
			w.from = offsetOf(line, 0, 0, i-snippetContext)
		}
		if lc.cur == n { // the next problem, if not before this one, walks on from here
			lc.runeIdx, lc.runeOff = i-snippetContext, w.from
		}
	}
	j, end := i, off
	for j < e && j-i < snippetSpan && end < len(line) {
		end += runeSize(line[end:])
		j++
	}
	w.end, w.to = end, end
	if j < e && end < len(line) {
		w.spanCut = true
		return w
	}
	for k := 0; k < snippetContext && w.to < len(line); k++ {
		w.to += runeSize(line[w.to:])
	}
	return w
}

// offsetOf returns the byte offset of rune k of line, walking from rune i at
// byte offset off (i <= k).
func offsetOf(line []byte, off, i, k int) int {
	for ; i < k && off < len(line); i++ {
		off += runeSize(line[off:])
	}
	return off
}

// runeSize is the length of the rune at the start of b, as the engine
// counts columns: one byte for each byte that is not valid UTF-8.
func runeSize(b []byte) int {
	if b[0] < utf8.RuneSelf {
		return 1
	}
	_, size := utf8.DecodeRune(b)
	return size
}

// renderTo appends line, a piece of a source line whose first rune is shown
// at display column col, to dst, safe to print, and returns the column after
// it. Tabs expand to stops every tabWidth columns, East Asian wide runes take
// two columns, combining marks none, and escaped runes (EscapeControl) the
// width of their escape.
func renderTo(dst, line []byte, col int) ([]byte, int) {
	for len(line) > 0 {
		r, size := utf8.DecodeRune(line)
		if r == '\t' {
			w := tabWidth - col%tabWidth
			dst = appendRepeat(dst, ' ', w)
			col += w
		} else if e := escapeRune(r, size, line[0]); e != "" {
			dst = append(dst, e...)
			col += len(e)
		} else {
			dst = append(dst, line[:size]...)
			col += runeWidth(r)
		}
		line = line[size:]
	}
	return dst, col
}

// appendRepeat appends n copies of c to dst.
func appendRepeat(dst []byte, c byte, n int) []byte {
	for range n {
		dst = append(dst, c)
	}
	return dst
}

// runeWidth is the display width of a rune that is shown as it is.
func runeWidth(r rune) int {
	switch {
	case r < 0x80:
		return 1
	case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r):
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}
