package trust

import (
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// Source makes the values document a file of its own, embedded in the
// .tf file tf (which must be the file the document was read from): the
// engine reads it as a Helm values container (source.Container), and each
// JCasC document found in it is then embedded twice — Flatten maps it
// straight to the .tf file. n numbers the document among the embedded
// documents of tf (source.EmbeddedPath). Nil for a values file (File set).
func (h *HelmValues) Source(tf *source.File, n int) *source.File {
	if h.File.IsSet() {
		return nil
	}
	f := source.NewFile(source.EmbeddedPath(tf.Path, n), []byte(h.Text))
	f.Kind = source.Container
	f.Embed = &source.Embedding{Outer: tf, Offsets: h.Offsets, Start: h.Value.Off, End: h.Value.EndOff,
		Where: h.Release + ".values[" + itoa(h.Index) + "]", Escape: templateEscape(tf, h.Value.Off), Rendered: h.Interps}
	return f
}

// Flatten maps a document embedded in a document that is itself embedded
// (JCasC in Helm values in a .tf heredoc) straight to the outermost file:
// its Embedding's offsets are composed, so every position, fix and secret
// span lands in the .tf file. A document embedded once is left alone.
func Flatten(doc *source.File) {
	e := doc.Embed
	if e == nil || e.Outer == nil || e.Outer.Embed == nil {
		return
	}
	mid := e.Outer.Embed
	out := &source.Embedding{Outer: mid.Outer, Start: mid.OuterOffset(e.Start), End: mid.OuterEnd(e.End),
		Where: mid.Where + " " + e.Where, Folded: e.Folded || mid.Folded, Escape: compose(e.Escape, mid.Escape)}
	out.Rendered = renderedInner(e, mid)
	if e.Offsets != nil && mid.Offsets != nil {
		out.Offsets = make([]int32, len(e.Offsets))
		for i, o := range e.Offsets {
			out.Offsets[i] = int32(mid.OuterOffset(int(o)))
		}
		if n := len(e.Offsets); n > 0 {
			// the end entry: just past the last byte
			out.Offsets[n-1] = int32(mid.OuterEnd(int(e.Offsets[n-1])))
		}
	} else {
		out.Start, out.End = mid.Start, mid.End
	}
	if out.End < out.Start {
		out.End = out.Start
	}
	doc.Embed = out
	Flatten(doc)
}

// Source makes the document a file of its own, embedded in tf (the file
// it was read from) as the n-th document (source.EmbeddedPath).
func (j *JCasCText) Source(tf *source.File, n int) *source.File {
	f := source.NewFile(source.EmbeddedPath(tf.Path, n), []byte(j.Text))
	f.Kind = source.JCasC
	f.Embed = &source.Embedding{Outer: tf, Offsets: j.Offsets, Start: j.Value.Off, End: j.Value.EndOff, Where: j.Where,
		Escape: templateEscape(tf, j.Value.Off), Rendered: j.Interps}
	return f
}

// renderedInner maps the container's rendered ranges (mid.Rendered, in the
// middle document) to the document e embeds: the bytes decoded from a byte
// Terraform fills in. None when the document's bytes cannot be mapped one
// by one (nothing is claimed of what cannot be told). One pass over both:
// the offsets grow, the ranges are sorted.
func renderedInner(e, mid *source.Embedding) [][2]int {
	n := len(e.Offsets) - 1 // the last entry is the end
	if len(mid.Rendered) == 0 || n < 0 {
		return e.Rendered
	}
	var out [][2]int
	rs, j := mid.Rendered, 0
	for i := 0; i < n; i++ {
		o := int(e.Offsets[i])
		if i > 0 && o < int(e.Offsets[i-1]) {
			j = 0 // offsets went back (never for a block scalar): look again
		}
		for j < len(rs) && rs[j][1] <= o {
			j++
		}
		if j == len(rs) || o < rs[j][0] {
			continue
		}
		if k := len(out); k > 0 && out[k-1][1] == i {
			out[k-1][1] = i + 1
		} else {
			out = append(out, [2]int{i, i + 1})
		}
	}
	return out
}

// compose escapes for the inner container, then for the outer one.
func compose(inner, outer func(string) string) func(string) string {
	switch {
	case inner == nil:
		return outer
	case outer == nil:
		return inner
	}
	return func(s string) string { return outer(inner(s)) }
}

// templateEscape is how a fix is written into the Terraform string whose
// value starts at off in tf: a quoted string when it starts with a quote,
// else a heredoc.
func templateEscape(tf *source.File, off int) func(string) string {
	quoted := off < len(tf.Data) && tf.Data[off] == '"'
	return func(s string) string { return templateText(s, quoted) }
}

// templateText writes s as the text of a Terraform string template (a
// heredoc, or a quoted string when quoted): ${ and %{ would start an
// interpolation or a directive, so a fix that writes the JCasC variable
// ${OIDC_CLIENT_SECRET} into a .tf file writes $${OIDC_CLIENT_SECRET}, which
// Terraform renders as the variable JCasC reads; a quoted string also
// escapes quotes, backslashes and line breaks.
func templateText(s string, quoted bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case (c == '$' || c == '%') && i+1 < len(s) && s[i+1] == '{':
			b.WriteByte(c)
			b.WriteByte(c)
			continue
		case quoted && (c == '"' || c == '\\'):
			b.WriteByte('\\')
		case quoted && c == '\n':
			b.WriteString("\\n")
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
