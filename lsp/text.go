package lsp

import (
	"net/url"
	"path/filepath"
	"runtime"
	"strings"
	"unicode/utf8"
)

// Position encodings (LSP 3.17 PositionEncodingKind).
const (
	encUTF16 = "utf-16"
	encUTF8  = "utf-8"
	encUTF32 = "utf-32"
)

// chooseEncoding picks the encoding of positions from those the client
// offers: UTF-32 when offered (the engine counts columns in code points, so
// nothing is converted), else the first of UTF-8 and UTF-16 it names, else
// UTF-16, which every client must support.
func chooseEncoding(offered []string) string {
	for _, e := range offered {
		if e == encUTF32 {
			return encUTF32
		}
	}
	for _, e := range offered {
		if e == encUTF8 || e == encUTF16 {
			return e
		}
	}
	return encUTF16
}

// text is a document's content with an index of its lines. Lines end at
// '\n' (a '\r' before it belongs to the break), as the engine counts them.
type text struct {
	data   []byte
	starts []int // byte offset of each line's start
}

func newText(data []byte) *text {
	t := &text{data: data, starts: []int{0}}
	for i, c := range data {
		if c == '\n' {
			t.starts = append(t.starts, i+1)
		}
	}
	return t
}

// line returns the bytes of the 0-based line i without its line break.
func (t *text) line(i int) []byte {
	if i < 0 || i >= len(t.starts) {
		return nil
	}
	end := len(t.data)
	if i+1 < len(t.starts) {
		end = t.starts[i+1] - 1
	}
	l := t.data[t.starts[i]:end]
	if n := len(l); n > 0 && l[n-1] == '\r' {
		l = l[:n-1]
	}
	return l
}

// units counts the code units of b in the encoding.
func units(b []byte, enc string) int {
	if enc == encUTF8 {
		return len(b)
	}
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		n++
		if enc == encUTF16 && r >= 0x10000 {
			n++ // a surrogate pair
		}
	}
	return n
}

// fromRunes converts the engine's 1-based line and 1-based column in code
// points to an LSP position. A column past the line's end is its end (as
// LSP clients read it); line 0 ("the whole file") is the file's start.
func (t *text) fromRunes(line, col int, enc string) position {
	if line <= 0 {
		return position{}
	}
	if line > len(t.starts) {
		last := len(t.starts) - 1
		return position{Line: last, Character: units(t.line(last), enc)}
	}
	l := t.line(line - 1)
	b := 0
	for n := 1; n < col && b < len(l); n++ {
		_, size := utf8.DecodeRune(l[b:])
		b += size
	}
	return position{Line: line - 1, Character: units(l[:b], enc)}
}

// fromOffset converts a byte offset to an LSP position.
func (t *text) fromOffset(off int, enc string) position {
	off = max(0, min(off, len(t.data)))
	lo, hi := 0, len(t.starts)-1
	for lo < hi { // the last line start at or before off
		mid := (lo + hi + 1) / 2
		if t.starts[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	l := t.line(lo)
	b := min(off-t.starts[lo], len(l))
	return position{Line: lo, Character: units(l[:b], enc)}
}

// uriToPath returns the file path of a file: URI ("" for other schemes).
func uriToPath(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" {
		return ""
	}
	p := u.Path
	if runtime.GOOS == "windows" {
		// file:///c:/x → c:/x; file://server/share/x → //server/share/x
		if u.Host != "" {
			p = "//" + u.Host + p
		} else if len(p) >= 3 && p[0] == '/' && p[2] == ':' {
			p = p[1:]
		}
	}
	if p == "" {
		return ""
	}
	return filepath.Clean(filepath.FromSlash(p))
}

// pathToURI returns the file: URI of an absolute path.
func pathToURI(p string) string {
	p = filepath.ToSlash(p)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // c:/x
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// within reports whether path p lies in directory dir (or is dir).
func within(dir, p string) bool {
	if dir == p {
		return true
	}
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
