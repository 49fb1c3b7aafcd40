package source

import (
	"bytes"
	"sort"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
)

// Container is the kind of a YAML file that holds JCasC inside its values:
// a Helm chart's values, a Kubernetes ConfigMap or Secret, an application's
// config with a JCasC block scalar. The container is read as YAML of another
// program (its own secret fields count only when shaped like secrets); each
// JCasC document inside it is a File of its own whose Embedding maps it back.
const Container Kind = 100

// Embedding ties a JCasC document found inside a value of another YAML file
// (its container) to the bytes of that file. The document is a File of its
// own, with a path no real file has (see EmbeddedPath), so every parser and
// rule works on it unchanged; the engine maps positions, fixes and secret
// spans back to the container before anything is reported.
type Embedding struct {
	// Outer is the container file.
	Outer *File
	// Offsets gives, for every byte of the document, the offset in Outer of
	// the byte it was decoded from, plus one entry for the document's end.
	// It is nil when the value cannot be mapped byte for byte (escapes,
	// base64): every position then falls on Start.
	Offsets []int32
	// Start and End span the value in Outer (for a block scalar: from its
	// indicator to the end of its last line).
	Start, End int
	// Where names the value for people: "controller.JCasC.configScripts.oidc",
	// "ConfigMap jenkins-casc data.jenkins.yaml".
	Where string
	// Folded is set for a folded (>) block scalar, whose line breaks an
	// edit cannot add to.
	Folded bool
	// Rendered are the byte ranges of the document that the container's own
	// template language fills in before JCasC reads it (Terraform's ${…}
	// in a heredoc): a value there is the template's, not a JCasC variable.
	// They are sorted and do not overlap.
	Rendered [][2]int
	// Escape writes a fix's replacement (already reindented) in the
	// container's syntax: a Terraform string doubles ${ and %{. Nil writes
	// it as it is.
	Escape func(string) string
}

// RenderedAt reports whether the document's byte at off is filled in by
// the container's template language (Rendered).
func (e *Embedding) RenderedAt(off int) bool { return e.RenderedIn(off, off+1) }

// RenderedIn reports whether any byte of the document in [start, end) is
// filled in by the container's template language.
func (e *Embedding) RenderedIn(start, end int) bool {
	// the first range that ends after start
	i := sort.Search(len(e.Rendered), func(i int) bool { return e.Rendered[i][1] > start })
	return i < len(e.Rendered) && e.Rendered[i][0] < end && start < end
}

// Exact reports whether every byte of the document maps to a byte of the
// container.
func (e *Embedding) Exact() bool { return e.Offsets != nil }

// OuterOffset is the container offset of the document's byte at off.
func (e *Embedding) OuterOffset(off int) int {
	if e.Offsets == nil {
		return e.Start
	}
	if off < 0 {
		off = 0
	}
	if off >= len(e.Offsets) {
		off = len(e.Offsets) - 1
	}
	return int(e.Offsets[off])
}

// OuterEnd is the container offset just past the document's byte at off-1:
// where a span that ends at off ends.
func (e *Embedding) OuterEnd(off int) int {
	if e.Offsets == nil {
		return e.Start
	}
	if off <= 0 {
		return e.OuterOffset(0)
	}
	if off >= len(e.Offsets) {
		off = len(e.Offsets) - 1
	}
	prev := int(e.Offsets[off-1])
	if next := int(e.Offsets[off]); next > prev {
		// the end of a run of consecutive bytes: just past the previous byte
		return min(next, prev+runeLen(e.Outer.Data, prev))
	}
	return prev + runeLen(e.Outer.Data, prev)
}

func runeLen(data []byte, off int) int {
	if off >= len(data) {
		return 0
	}
	b := data[off]
	switch {
	case b < 0x80:
		return 1
	case b>>5 == 0x6:
		return 2
	case b>>4 == 0xE:
		return 3
	case b>>3 == 0x1E:
		return 4
	}
	return 1
}

// OuterSpans maps the document's bytes [start, end) to the container's
// byte ranges they came from: one range per run of consecutive bytes (a
// secret on several lines of a block scalar leaves the indentation of each
// line out). Inexact embeddings map to the value's whole span.
func (e *Embedding) OuterSpans(start, end int) [][2]int {
	if e.Offsets == nil {
		return [][2]int{{e.Start, e.End}}
	}
	var out [][2]int
	for i := max(start, 0); i < end && i < len(e.Offsets)-1; i++ {
		o := int(e.Offsets[i])
		if n := len(out); n > 0 && out[n-1][1] == o {
			out[n-1][1] = o + 1
			continue
		} else if n > 0 && o >= out[n-1][0] && o < out[n-1][1] {
			continue // a byte decoded from the same source byte (a folded line break)
		}
		out = append(out, [2]int{o, o + 1})
	}
	return out
}

// Contiguous reports whether the document's bytes [start, end) come from
// one run of consecutive container bytes holding the same text, so that a
// fix may replace them in place.
func (e *Embedding) Contiguous(inner *File, start, end int) bool {
	if e.Offsets == nil || start < 0 || end > len(inner.Data) || start > end {
		return false
	}
	if start == end {
		return true
	}
	os, oe := int(e.Offsets[start]), e.OuterEnd(end)
	return oe-os == end-start && string(e.Outer.Data[os:oe]) == string(inner.Data[start:end])
}

// Reindent turns the replacement text of a fix at the document's offset
// off into the text to write in the container: every line it starts gets
// the container's indentation of the block in front of the document's own,
// and the container's line ending. ok is false when that cannot be done (a
// folded block, a line of the document that is all indentation).
func (e *Embedding) Reindent(inner *File, off int, repl string) (string, bool) {
	if !strings.ContainsAny(repl, "\n\r") {
		return repl, true
	}
	if e.Offsets == nil || e.Folded || strings.Contains(repl, "\r") {
		return "", false
	}
	// delta: how much deeper the container indents a line of the document
	pos := inner.PosAt(off)
	ls := inner.Offset(pos.Line, 1)
	q := ls
	for q < len(inner.Data) && inner.Data[q] == ' ' {
		q++
	}
	if q >= len(inner.Data) || inner.Data[q] == '\n' || inner.Data[q] == '\r' {
		return "", false
	}
	oq := int(e.Offsets[q])
	ols := oq
	for ols > 0 && e.Outer.Data[ols-1] != '\n' && e.Outer.Data[ols-1] != '\r' {
		ols--
	}
	delta := (oq - ols) - (q - ls)
	if delta < 0 {
		return "", false
	}
	nl := "\n"
	if ole := bytes.IndexAny(e.Outer.Data[oq:], "\r\n"); ole >= 0 && e.Outer.Data[oq+ole] == '\r' {
		nl = "\r\n"
	}
	pad := strings.Repeat(" ", delta)
	var b strings.Builder
	for i := 0; i < len(repl); i++ {
		if repl[i] != '\n' {
			b.WriteByte(repl[i])
			continue
		}
		b.WriteString(nl)
		if i+1 == len(repl) || repl[i+1] != '\n' {
			b.WriteString(pad)
		}
	}
	return b.String(), true
}

// OuterPos maps a position in the embedded document inner to the container.
func (e *Embedding) OuterPos(inner *File, p report.Position) report.Position {
	if !p.IsValid() {
		if p.Path == inner.Path {
			p.Path = e.Outer.Path
		}
		return p
	}
	return e.Outer.PosAt(e.OuterOffset(inner.Offset(p.Line, p.Col)))
}

// OuterEndPos maps an (exclusive) end position in inner to the container.
func (e *Embedding) OuterEndPos(inner *File, p report.Position) report.Position {
	if !p.IsValid() {
		return report.Position{}
	}
	if e.Offsets == nil {
		return e.Outer.PosAt(e.End) // the value's end: the finding spans it
	}
	return e.Outer.PosAt(e.OuterEnd(inner.Offset(p.Line, p.Col)))
}

// EmbeddedPath is the path of the n-th JCasC document embedded in the file
// at outer: a name no file has (it holds a NUL byte), which the engine maps
// back to outer before anything is reported.
func EmbeddedPath(outer string, n int) string {
	return outer + "\x00" + itoa(n)
}

// IsEmbeddedPath reports whether p names an embedded document.
func IsEmbeddedPath(p string) bool {
	for i := 0; i < len(p); i++ {
		if p[i] == 0 {
			return true
		}
	}
	return false
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// Name is the path people know the file by: the container's for an
// embedded document.
func (f *File) Name() string {
	if f.Embed != nil {
		return f.Embed.Outer.Path
	}
	return f.Path
}

// Shown maps a position in f to where people see it: the same position,
// or the place in the container for an embedded document.
func (f *File) Shown(p report.Position) report.Position {
	if f.Embed != nil && p.Path == f.Path {
		return f.Embed.OuterPos(f, p)
	}
	return p
}
