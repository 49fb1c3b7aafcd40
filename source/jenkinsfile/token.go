package jenkinsfile

import (
	"fmt"
	"sort"
	"strings"
)

// Kind is the kind of a token.
type Kind uint8

// Token kinds.
const (
	EOF     Kind = iota
	Newline      // one or more line breaks (statement ends); Off is the first '\n'
	Comment      // "// …", "/* … */" or the "#!" shebang line
	Ident        // identifiers and keywords ($ and _ included)
	Number       // integer and decimal literals with their suffixes
	String       // every string form; see Quote and Parts
	Op           // operators and punctuation
	Illegal      // a character no Groovy token starts with (kept, not an error)
)

var kindNames = [...]string{"EOF", "Newline", "Comment", "Ident", "Number", "String", "Op", "Illegal"}

// String names the kind.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Quote is the form of a string literal.
type Quote uint8

// String forms.
const (
	NoQuote      Quote = iota
	Single             // '…'
	Double             // "…" (GString)
	TripleSingle       // '''…'''
	TripleDouble       // """…""" (GString)
	Slashy             // /…/ (GString)
	DollarSlashy       // $/…/$ (GString)
)

var quoteNames = [...]string{"", "'", `"`, "'''", `"""`, "/", "$/"}

// String shows the opening delimiter.
func (q Quote) String() string {
	if int(q) < len(quoteNames) {
		return quoteNames[q]
	}
	return fmt.Sprintf("Quote(%d)", int(q))
}

// GString reports whether the form interpolates $name and ${expr}.
func (q Quote) GString() bool {
	return q == Double || q == TripleDouble || q == Slashy || q == DollarSlashy
}

// Token is one lexical token. Off and End are byte offsets into the source
// ([Off, End)); Text is the source text of the token (for strings the whole
// literal, delimiters included).
type Token struct {
	Kind  Kind
	Quote Quote // strings only
	Off   int
	End   int
	Text  string
	// Parts are a string's pieces in order: decoded literal text and
	// interpolations. An empty string has no parts.
	Parts []StringPart
}

// IsOp reports whether t is the operator or punctuation op.
func (t *Token) IsOp(op string) bool { return t.Kind == Op && t.Text == op }

// IsKeyword reports whether t is an identifier that Groovy reserves.
func (t *Token) IsKeyword() bool { return t.Kind == Ident && keywords(t.Text) }

// Interpolated reports whether a string token has $name or ${expr} parts.
func (t *Token) Interpolated() bool {
	for i := range t.Parts {
		if t.Parts[i].Kind != LitPart {
			return true
		}
	}
	return false
}

// Literal returns the decoded text of a string token without
// interpolation; ok is false for other tokens and for interpolated strings.
func (t *Token) Literal() (text string, ok bool) {
	if t.Kind != String || t.Interpolated() {
		return "", false
	}
	switch len(t.Parts) {
	case 0:
		return "", true
	case 1:
		return t.Parts[0].Text, true
	}
	var b strings.Builder
	for i := range t.Parts {
		b.WriteString(t.Parts[i].Text)
	}
	return b.String(), true
}

// Decoded returns the string's text with interpolations shown as in the
// source ("${expr}" and "$name.path"), and a map from each of its byte
// indexes back to a source offset.
func (t *Token) Decoded() *Decoded {
	d := &Decoded{end: t.End}
	if t.Kind != String {
		d.S = t.Text
		d.segs = []dseg{{at: 0, off: t.Off}}
		return d
	}
	var b strings.Builder
	d.appendToken(&b, t)
	d.S = b.String()
	if len(t.Parts) > 0 {
		d.end = t.Parts[len(t.Parts)-1].End
	}
	return d
}

// PartKind is the kind of a piece of a string.
type PartKind uint8

// String part kinds.
const (
	LitPart  PartKind = iota // literal text, escapes decoded
	ExprPart                 // ${expr}: Text is the expression's source
	PathPart                 // $name or $name.path: Text is the dotted name
)

var partNames = [...]string{"lit", "expr", "path"}

// String names the part kind.
func (k PartKind) String() string {
	if int(k) < len(partNames) {
		return partNames[k]
	}
	return fmt.Sprintf("PartKind(%d)", int(k))
}

// StringPart is one piece of a string literal. Off and End delimit its
// source: for LitPart the raw characters (escapes undecoded), for ExprPart the text
// between "${" and "}", for PathPart the dotted name after "$".
type StringPart struct {
	Kind PartKind
	Text string
	Off  int
	End  int
	// Toks are the tokens of an ExprPart's expression (with a final EOF).
	Toks []Token
	segs []seg // LitPart with escapes: decoded index -> source offset
}

// seg maps decoded text from index dec on to source offset src. A fixed
// segment is the decoding of one escape: all its bytes map to the backslash.
type seg struct {
	dec, src int
	fixed    bool
}

// SourceOffset maps index i of the part's Text to the byte offset in the
// file of the character it came from. An index inside the decoding of an
// escape maps to the escape's backslash; len(Text) maps to End.
func (p *StringPart) SourceOffset(i int) int {
	if i <= 0 {
		return p.Off
	}
	if i >= len(p.Text) {
		return p.End
	}
	if p.segs == nil {
		return p.Off + i
	}
	k := sort.Search(len(p.segs), func(k int) bool { return p.segs[k].dec > i }) - 1
	if k < 0 {
		return p.Off
	}
	s := p.segs[k]
	if s.fixed {
		return s.src
	}
	return s.src + i - s.dec
}

// Ref is a dotted name used in an interpolation, with the offset of its
// first character.
type Ref struct {
	Name string
	Off  int
}

// Refs lists the dotted identifier chains an interpolation reads: "TOKEN"
// for $TOKEN and ${TOKEN}, "env.TOKEN" for ${env.TOKEN}, every chain of a
// larger ${…} expression (method names after a dot stay in the chain).
// A literal part has none.
func (p *StringPart) Refs() []Ref {
	switch p.Kind {
	case PathPart:
		return []Ref{{Name: p.Text, Off: p.Off}}
	case ExprPart:
		return tokenRefs(p.Toks)
	}
	return nil
}

func tokenRefs(toks []Token) []Ref {
	var out []Ref
	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		if t.Kind == String {
			for j := range t.Parts {
				out = append(out, t.Parts[j].Refs()...)
			}
			continue
		}
		if t.Kind != Ident || (t.IsKeyword() && t.Text != "this") {
			continue
		}
		if i > 0 && (toks[i-1].IsOp(".") || toks[i-1].IsOp("?.")) {
			continue
		}
		name := t.Text
		j := i
		for j+2 < len(toks) && (toks[j+1].IsOp(".") || toks[j+1].IsOp("?.")) && toks[j+2].Kind == Ident {
			name += "." + toks[j+2].Text
			j += 2
		}
		out = append(out, Ref{Name: name, Off: t.Off})
		i = j
	}
	return out
}

// Decoded is text built from source (a decoded string literal, or the
// concatenation of a script's pieces) that maps each byte index back to a
// source offset.
type Decoded struct {
	S    string
	segs []dseg
	end  int
}

type dseg struct {
	at, off int // S[at:] starts at source offset off
	fixed   bool
}

// Offset maps byte index i of S to the source offset of its character.
// len(S) maps to the end of the last piece.
func (d *Decoded) Offset(i int) int {
	if d == nil {
		return 0
	}
	if i >= len(d.S) {
		return d.end
	}
	if i < 0 {
		i = 0
	}
	k := sort.Search(len(d.segs), func(k int) bool { return d.segs[k].at > i }) - 1
	if k < 0 {
		return d.end
	}
	s := d.segs[k]
	if s.fixed {
		return s.off
	}
	return s.off + i - s.at
}

func (d *Decoded) appendToken(b *strings.Builder, t *Token) {
	for i := range t.Parts {
		p := &t.Parts[i]
		base := b.Len()
		switch p.Kind {
		case LitPart:
			if p.segs == nil {
				if p.Text != "" {
					d.segs = append(d.segs, dseg{at: base, off: p.Off})
				}
			} else {
				for _, s := range p.segs {
					d.segs = append(d.segs, dseg{at: base + s.dec, off: s.src, fixed: s.fixed})
				}
			}
			b.WriteString(p.Text)
		case ExprPart:
			d.segs = append(d.segs, dseg{at: base, off: p.Off - 2})
			b.WriteString("${")
			b.WriteString(p.Text)
			b.WriteString("}")
		case PathPart:
			d.segs = append(d.segs, dseg{at: base, off: p.Off - 1})
			b.WriteString("$")
			b.WriteString(p.Text)
		}
	}
}

// appendSource appends source text standing for a non-string operand,
// shown as ${source}.
func (d *Decoded) appendSource(b *strings.Builder, src string, off, end int) {
	d.segs = append(d.segs, dseg{at: b.Len(), off: off, fixed: true})
	b.WriteString("${")
	d.segs = append(d.segs, dseg{at: b.Len(), off: off})
	b.WriteString(src)
	d.segs = append(d.segs, dseg{at: b.Len(), off: end, fixed: true})
	b.WriteString("}")
}

// LexError is an input the lexer cannot read: an unterminated string or
// comment (Off is where it started) or nesting too deep.
type LexError struct {
	Off int
	Msg string
}

// Error implements error.
func (e *LexError) Error() string { return fmt.Sprintf("offset %d: %s", e.Off, e.Msg) }

// keywords reports whether s is a word Groovy reserves.
func keywords(s string) bool {
	switch s {
	case "abstract", "as", "assert", "boolean", "break", "byte", "case", "catch",
		"char", "class", "const", "continue", "def", "default", "do", "double",
		"else", "enum", "extends", "false", "final", "finally", "float", "for",
		"goto", "if", "implements", "import", "in", "instanceof", "int", "interface",
		"long", "native", "new", "null", "package", "private", "protected", "public",
		"return", "short", "static", "strictfp", "super", "switch", "synchronized", "this",
		"throw", "throws", "trait", "transient", "true", "try", "void", "volatile",
		"while":
		return true
	}
	return false
}
