package report

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

// windowFixture has findings on long lines, cut on every side: it is the
// golden text-windows.golden.txt (and junit, which shows the same snippets).
func windowFixture() *Report {
	long := strings.Repeat("abcdefghij", 40) // 400 runes
	wide := strings.Repeat("東京", 150)        // 300 runes, 600 columns
	tabs := strings.Repeat("\tx", 200)       // 400 runes
	files := map[string][]byte{
		"long.txt": []byte(
			long + "\n" + // 1: cut on the left
				long + "\n" + // 2: cut on the right
				long + "\n" + // 3: cut on both sides
				long + "\n" + // 4: a long span, cut
				long + "\n" + // 5: a span running on to the next line
				long + "\r\n" + // 6: past the end of a long CRLF line
				"short: " + long[:130] + "\n" + // 7: just over the context
				long + "\n"), // 8: a span that ends exactly at the cut of the span
		"wide.txt": []byte(wide + "\n" + "é" + strings.Repeat("e\u0301", 200) + "\n" + strings.Repeat("\x1b\u202e", 150) + "\n"),
		"tabs.txt": []byte(tabs + "\n"),
	}
	f := func(path string, line, col, endLine, endCol int, msg string) Finding {
		var end Position
		if endLine > 0 {
			end = pos(path, endLine, endCol)
		}
		return Finding{Rule: "r", Severity: Warning, Pos: pos(path, line, col), End: end, Message: msg}
	}
	return &Report{
		Files: files,
		Findings: []Finding{
			f("long.txt", 1, 391, 1, 395, "cut on the left"),
			f("long.txt", 2, 5, 2, 9, "cut on the right"),
			f("long.txt", 3, 200, 3, 203, "cut on both sides"),
			f("long.txt", 4, 150, 4, 390, "a 240-rune span shows 120 runes and …"),
			f("long.txt", 5, 10, 6, 3, "a span on to the next line, cut"),
			f("long.txt", 6, 500, 6, 510, "past the end of the line"),
			f("long.txt", 7, 122, 7, 123, "121 runes before the span: cut by one"),
			f("long.txt", 8, 1, 8, 121, "a span of exactly 120 runes is not cut"),
			f("wide.txt", 1, 200, 1, 202, "wide runes, both sides"),
			f("wide.txt", 2, 300, 2, 302, "combining marks take no column"),
			f("wide.txt", 3, 150, 3, 152, "escapes are as wide as they are long"),
			f("tabs.txt", 1, 201, 1, 205, "tabs expand from the window's first column"),
		},
	}
}

func TestWindowGolden(t *testing.T) {
	golden(t, "text-windows.golden.txt", out(t, "text", windowFixture(), Options{}))
	golden(t, "junit-windows.golden.xml", out(t, "junit", windowFixture(), Options{}))
}

// snippets returns the snippet lines (source and caret) of a text report.
func snippets(text string) []string {
	var s []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, " ") && strings.Contains(l, " | ") || strings.HasSuffix(l, " |") {
			s = append(s, l)
		}
	}
	return s
}

// TestWindowCaret checks on random ASCII lines that the caret sits under the
// span's first character and that the window holds the span's start, in
// order and out of order (the line cache walks on from the last window, or
// starts again).
func TestWindowCaret(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for iter := 0; iter < 200; iter++ {
		n := 1 + rnd.IntN(1500)
		line := make([]byte, n)
		for i := range line {
			line[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[rnd.IntN(36)]
		}
		r := &Report{Files: map[string][]byte{"f": append(line, '\n')}}
		for k := 0; k < 5; k++ {
			c := 1 + rnd.IntN(n)
			r.Findings = append(r.Findings, Finding{Rule: "r", Severity: Note, Pos: pos("f", 1, c), End: pos("f", 1, c+1+rnd.IntN(300)), Message: fmt.Sprint(c)})
		}
		if iter%2 == 0 {
			Sort(r.Findings)
		}
		got := snippets(string(out(t, "text", r, Options{})))
		if len(got) != 2*len(r.Findings) {
			t.Fatalf("%d snippet lines for %d findings", len(got), len(r.Findings))
		}
		for k, f := range r.Findings {
			src, caret := []rune(got[2*k]), []rune(got[2*k+1])
			at := strings.IndexRune(string(caret), '^')
			at = len([]rune(string(caret)[:at]))
			if at >= len(src) || src[at] != rune(line[f.Pos.Col-1]) {
				t.Fatalf("finding at column %d: caret not under the span:\n%s\n%s", f.Pos.Col, string(src), string(caret))
			}
			// The same finding alone (a fresh line cache) renders the same.
			alone := &Report{Files: r.Files, Findings: []Finding{f}}
			if a := snippets(string(out(t, "text", alone, Options{}))); a[0] != got[2*k] || a[1] != got[2*k+1] {
				t.Fatalf("finding at column %d renders differently after others:\n%s\n%s\nalone:\n%s\n%s", f.Pos.Col, got[2*k], got[2*k+1], a[0], a[1])
			}
		}
	}
}

// bigLine is a 9 MB file of one line, as minified JSON or a generated file
// can be, with findings at its start, middle and end, one spanning all of it.
func bigLine() *Report {
	const size = 9 << 20
	var b bytes.Buffer
	b.Grow(size)
	for b.Len() < size {
		b.WriteString(`{"k":"東京","v":"x\u202e"},`)
	}
	data := b.Bytes()
	runes := len([]rune(string(data)))
	r := &Report{Files: map[string][]byte{"min\x1b.json": data}}
	for _, c := range []int{1, 2, runes / 2, runes - 10, runes} {
		r.Findings = append(r.Findings, Finding{Rule: "r", Severity: Error, Pos: pos("min\x1b.json", 1, c), End: pos("min\x1b.json", 1, c+5), Message: "m"})
	}
	r.Findings = append(r.Findings, Finding{Rule: "whole", Severity: Error, Pos: pos("min\x1b.json", 1, 1), End: pos("min\x1b.json", 1, runes+1), Message: "all of it"})
	return r
}

// TestBigLineBounded renders a 9 MB one-line file in every format: the
// output stays under 64 KiB per finding, and rendering allocates far less
// than the file (no copy of the line, no per-rune table).
func TestBigLineBounded(t *testing.T) {
	r := bigLine()
	for _, format := range Formats() {
		var ms0, ms1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms0)
		got := out(t, format, r, Options{})
		runtime.ReadMemStats(&ms1)
		if per := len(got) / len(r.Findings); per > 64<<10 {
			t.Errorf("%s: %d bytes per finding", format, per)
		}
		if alloc := ms1.TotalAlloc - ms0.TotalAlloc; alloc > 1<<20 {
			t.Errorf("%s: rendering allocated %d bytes", format, alloc)
		}
	}
	text := string(out(t, "text", r, Options{}))
	if strings.ContainsRune(text, '\u202e') || strings.ContainsRune(text, '\x1b') {
		t.Errorf("raw control in text:\n%s", text)
	}
	for i, l := range snippets(text) {
		if i%2 == 0 && !strings.Contains(l, "…") {
			t.Errorf("source line not cut: %s", l)
		}
	}
}

// BenchmarkTextLongLine renders findings spread over a 9 MB one-line file:
// the line is walked about once for all of them.
func BenchmarkTextLongLine(b *testing.B) {
	r := bigLine()
	runes := r.Findings[len(r.Findings)-1].End.Col - 1
	r.Findings = r.Findings[:0]
	for i := 1; i <= 100; i++ {
		c := runes / 101 * i
		r.Findings = append(r.Findings, Finding{Rule: "r", Severity: Error, Pos: pos("min\x1b.json", 1, c), End: pos("min\x1b.json", 1, c+5), Message: "m"})
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(&bytes.Buffer{}, "text", r, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTextManyLines renders one finding on each of 20,000 lines: the
// sparse line index walks each file once.
func BenchmarkTextManyLines(b *testing.B) {
	var data bytes.Buffer
	r := &Report{}
	for i := 1; i <= 20000; i++ {
		fmt.Fprintf(&data, "      key%d: \"value %d\"\n", i, i)
		r.Findings = append(r.Findings, Finding{Rule: "r", Severity: Warning, Pos: pos("f.yaml", i, 7), End: pos("f.yaml", i, 11), Message: "m"})
	}
	r.Files = map[string][]byte{"f.yaml": data.Bytes()}
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(&bytes.Buffer{}, "text", r, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLineCache looks lines up in and out of order in files with every line
// ending, against a plain split, across many index marks.
func TestLineCache(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	for iter := 0; iter < 50; iter++ {
		var data []byte
		var want [][]byte
		cur := []byte{}
		for i := 0; i < 1+rnd.IntN(400); i++ {
			switch rnd.IntN(6) {
			case 0:
				if len(data) > 0 && data[len(data)-1] == '\r' { // not \r\n
					data = append(data, 'a')
					cur = append(cur, 'a')
				}
				data = append(data, '\n')
			case 1:
				data = append(data, '\r', '\n')
			case 2:
				data = append(data, '\r')
			default:
				c := "ab\t東"[rnd.IntN(4)]
				data = append(data, c)
				cur = append(cur, c)
				continue
			}
			want = append(want, cur)
			cur = []byte{}
		}
		want = append(want, cur)
		lc := &lineCache{}
		for k := 0; k < 300; k++ {
			n := rnd.IntN(len(want)+3) - 1
			if k%3 != 0 { // mostly forward, as problems come
				n = lc.cur + rnd.IntN(70)
			}
			got, ok := lc.line("f", data, n)
			if ok != (n >= 1 && n <= len(want)) || ok && !bytes.Equal(got, want[n-1]) {
				t.Fatalf("line %d of %q: %q %v, want %q", n, data, got, ok, want[max(0, min(n, len(want))-1)])
			}
		}
	}
}
