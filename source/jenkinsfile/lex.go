package jenkinsfile

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxStringNesting bounds strings inside ${…} inside strings; real
// pipelines stay under five.
const maxStringNesting = 64

// Lex splits Groovy source into tokens. It never panics and runs in time
// linear in len(src). Comments are kept as Comment tokens; newlines
// (significant for statement ends) are kept as one Newline token per run of
// blank lines. The last token is EOF. On an unterminated string or comment
// Lex returns the tokens before it and a LexError at the position where it
// started.
func Lex(src []byte) ([]Token, *LexError) {
	return lexString(string(src))
}

func lexString(src string) ([]Token, *LexError) {
	l := &lexer{src: src}
	toks := make([]Token, 0, len(src)/6+16)
	toks, _ = l.run(toks, false)
	return toks, l.err
}

type lexer struct {
	src  string
	pos  int
	nest int // strings open around the current ${…}
	err  *LexError
}

func (l *lexer) fail(off int, msg string) {
	if l.err == nil {
		l.err = &LexError{Off: off, Msg: msg}
	}
}

// run lexes tokens until the end of input or, when nested (inside ${…}),
// until the '}' that closes the interpolation; closed reports that it was
// found (the '}' is consumed, not returned). The returned slice ends with
// an EOF token either way.
func (l *lexer) run(toks []Token, nested bool) (_ []Token, closed bool) {
	src := l.src
	regexOK := true // a '/' here starts a slashy string, not a division
	braces := 0
	for l.err == nil && l.pos < len(src) {
		start := l.pos
		c := src[start]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\f':
			l.pos++
			continue
		case c == '\n':
			l.pos++
			if n := len(toks); n == 0 || toks[n-1].Kind != Newline {
				toks = append(toks, Token{Kind: Newline, Off: start, End: start + 1, Text: "\n"})
			}
			regexOK = true
			continue
		case c == '\\' && (strings.HasPrefix(src[start+1:], "\n") || strings.HasPrefix(src[start+1:], "\r\n")):
			// a line continuation outside strings
			l.pos += 2
			if src[start+1] == '\r' {
				l.pos++
			}
			continue
		case c == '/' && start+1 < len(src) && src[start+1] == '/':
			end := strings.IndexByte(src[start:], '\n')
			if end < 0 {
				end = len(src)
			} else {
				end += start
			}
			l.pos = end
			toks = append(toks, Token{Kind: Comment, Off: start, End: end, Text: src[start:end]})
			continue
		case c == '/' && start+1 < len(src) && src[start+1] == '*':
			end := strings.Index(src[start+2:], "*/")
			if end < 0 {
				l.fail(start, "unterminated /* comment")
				l.pos = len(src)
				break
			}
			l.pos = start + 2 + end + 2
			toks = append(toks, Token{Kind: Comment, Off: start, End: l.pos, Text: src[start:l.pos]})
			continue
		case c == '#' && start == 0 && strings.HasPrefix(src, "#!"):
			end := strings.IndexByte(src, '\n')
			if end < 0 {
				end = len(src)
			}
			l.pos = end
			toks = append(toks, Token{Kind: Comment, Off: 0, End: end, Text: src[:end]})
			continue
		case c == '\'':
			q := Single
			if strings.HasPrefix(src[start:], "'''") {
				q = TripleSingle
			}
			toks = append(toks, l.lexString(q))
			regexOK = false
		case c == '"':
			q := Double
			if strings.HasPrefix(src[start:], `"""`) {
				q = TripleDouble
			}
			toks = append(toks, l.lexString(q))
			regexOK = false
		case c == '/' && regexOK:
			toks = append(toks, l.lexString(Slashy))
			regexOK = false
		case c == '$' && start+1 < len(src) && src[start+1] == '/':
			toks = append(toks, l.lexString(DollarSlashy))
			regexOK = false
		case c < utf8.RuneSelf && isDigit(c):
			l.pos = scanNumber(src, start)
			toks = append(toks, Token{Kind: Number, Off: start, End: l.pos, Text: src[start:l.pos]})
			regexOK = false
		case identStartAt(src, start):
			l.pos = scanIdent(src, start)
			text := src[start:l.pos]
			toks = append(toks, Token{Kind: Ident, Off: start, End: l.pos, Text: text})
			regexOK = regexAfterWord(text)
		default:
			if n := opLen(src[start:]); n > 0 {
				l.pos = start + n
				op := src[start:l.pos]
				if nested && n == 1 {
					if c == '{' {
						braces++
					} else if c == '}' {
						if braces == 0 {
							toks = append(toks, Token{Kind: EOF, Off: start, End: start})
							return toks, true
						}
						braces--
					}
				}
				toks = append(toks, Token{Kind: Op, Off: start, End: l.pos, Text: op})
				regexOK = !(op == ")" || op == "]" || op == "}" || op == "++" || op == "--")
				continue
			}
			_, size := utf8.DecodeRuneInString(src[start:])
			l.pos = start + size
			toks = append(toks, Token{Kind: Illegal, Off: start, End: l.pos, Text: src[start:l.pos]})
			regexOK = true
		}
	}
	end := l.pos
	if end > len(src) {
		end = len(src)
	}
	toks = append(toks, Token{Kind: EOF, Off: end, End: end})
	return toks, false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool { return isDigit(c) || (c|0x20) >= 'a' && (c|0x20) <= 'f' }

// identStartAt reports whether an identifier starts at src[i].
func identStartAt(src string, i int) bool {
	c := src[i]
	if c < utf8.RuneSelf {
		return c == '_' || c == '$' || (c|0x20) >= 'a' && (c|0x20) <= 'z'
	}
	r, _ := utf8.DecodeRuneInString(src[i:])
	return r != utf8.RuneError && unicode.IsLetter(r)
}

// letterAt is identStartAt without '$' (what may follow '$' in a GString).
func letterAt(src string, i int) bool {
	return i < len(src) && src[i] != '$' && identStartAt(src, i)
}

func scanIdent(src string, i int) int {
	for i < len(src) {
		c := src[i]
		if c < utf8.RuneSelf {
			if c == '_' || c == '$' || isDigit(c) || (c|0x20) >= 'a' && (c|0x20) <= 'z' {
				i++
				continue
			}
			return i
		}
		r, size := utf8.DecodeRuneInString(src[i:])
		if r == utf8.RuneError || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return i
		}
		i += size
	}
	return i
}

func scanNumber(src string, i int) int {
	digits := func(i int, ok func(byte) bool) int {
		for i < len(src) && (ok(src[i]) || src[i] == '_') {
			i++
		}
		return i
	}
	if src[i] == '0' && i+1 < len(src) && (src[i+1]|0x20 == 'x' || src[i+1]|0x20 == 'b') {
		i = digits(i+2, isHex)
	} else {
		i = digits(i, isDigit)
		if i+1 < len(src) && src[i] == '.' && isDigit(src[i+1]) {
			i = digits(i+1, isDigit)
		}
		if i < len(src) && src[i]|0x20 == 'e' {
			j := i + 1
			if j < len(src) && (src[j] == '+' || src[j] == '-') {
				j++
			}
			if j < len(src) && isDigit(src[j]) {
				i = digits(j, isDigit)
			}
		}
	}
	if i < len(src) && strings.IndexByte("gGlLiIdDfF", src[i]) >= 0 {
		i++
	}
	return i
}

// regexAfterWord reports whether a slashy string may follow the word: after
// keywords such as return, in, case, assert, but not after a name or a
// value keyword (this, super, true, false, null).
func regexAfterWord(w string) bool {
	if len(w) < 2 || len(w) > 12 || w[0] < 'a' || w[0] > 'w' {
		return false
	}
	switch w {
	case "this", "super", "true", "false", "null":
		return false
	}
	return keywords(w)
}

// opsByFirst lists the multi-character operators by first byte, longest
// first.
var opsByFirst = [256][]string{
	'.': {"...", "..<", "..", ".&", ".@"},
	'?': {"?.", "?:"},
	'*': {"**=", "**", "*=", "*."},
	'=': {"===", "==~", "==", "=~"},
	'!': {"!==", "!="},
	'<': {"<=>", "<<=", "<<", "<="},
	'>': {">>>=", ">>>", ">>=", ">>", ">="},
	'+': {"++", "+="},
	'-': {"--", "-=", "->"},
	'/': {"/="},
	'%': {"%="},
	'&': {"&&", "&="},
	'|': {"||", "|="},
	'^': {"^="},
	':': {"::"},
}

const singleOps = ".?*=!<>+-/%&|^:~()[]{};,@"

// opLen is the length of the operator at the start of s, 0 if none.
func opLen(s string) int {
	c := s[0]
	for _, op := range opsByFirst[c] {
		if strings.HasPrefix(s, op) {
			return len(op)
		}
	}
	if strings.IndexByte(singleOps, c) >= 0 {
		return 1
	}
	return 0
}

// litBuilder collects one literal part of a string, decoding escapes
// lazily: a part without escapes is a substring of the source.
type litBuilder struct {
	src     string
	off     int // source offset of the part
	run     int // source offset of the pending verbatim run
	buf     []byte
	segs    []seg
	escaped bool
}

func (b *litBuilder) reset(off int) {
	b.off, b.run, b.buf, b.segs, b.escaped = off, off, nil, nil, false
}

// escape records the escape src[pos:pos+n] decoding to text.
func (b *litBuilder) escape(pos, n int, text string) {
	if !b.escaped {
		b.escaped = true
		b.buf = make([]byte, 0, pos-b.off+len(text)+16)
	}
	if b.run < pos {
		b.segs = append(b.segs, seg{dec: len(b.buf), src: b.run})
		b.buf = append(b.buf, b.src[b.run:pos]...)
	}
	if text != "" {
		b.segs = append(b.segs, seg{dec: len(b.buf), src: pos, fixed: true})
		b.buf = append(b.buf, text...)
	}
	b.run = pos + n
}

// finish closes the part at source offset end and appends it to parts
// unless it covers no source.
func (b *litBuilder) finish(parts []StringPart, end int) []StringPart {
	if end <= b.off {
		return parts
	}
	p := StringPart{Kind: LitPart, Off: b.off, End: end}
	if !b.escaped {
		p.Text = b.src[b.off:end]
	} else {
		if b.run < end {
			b.segs = append(b.segs, seg{dec: len(b.buf), src: b.run})
			b.buf = append(b.buf, b.src[b.run:end]...)
		}
		p.Text = string(b.buf)
		p.segs = b.segs
	}
	return append(parts, p)
}

var quoteOpen = [...]int{Single: 1, Double: 1, TripleSingle: 3, TripleDouble: 3, Slashy: 1, DollarSlashy: 2}
var quoteClose = [...]string{Single: "'", Double: `"`, TripleSingle: "'''", TripleDouble: `"""`, Slashy: "/", DollarSlashy: "/$"}
var quoteName = [...]string{Single: "'…' string", Double: `"…" string`, TripleSingle: "'''…''' string",
	TripleDouble: `"""…""" string`, Slashy: "/…/ slashy string", DollarSlashy: "$/…/$ dollar-slashy string"}

// lexString reads a string of form q starting at l.pos.
func (l *lexer) lexString(q Quote) Token {
	src := l.src
	start := l.pos
	l.pos += quoteOpen[q]
	closeDelim := quoteClose[q]
	gstring := q.GString()
	var parts []StringPart
	b := litBuilder{src: src}
	b.reset(l.pos)
	unterminated := func() Token {
		l.fail(start, "unterminated "+quoteName[q])
		l.pos = len(src)
		return Token{Kind: String, Quote: q, Off: start, End: len(src), Text: src[start:], Parts: parts}
	}
	for {
		i := l.pos
		if i >= len(src) {
			return unterminated()
		}
		c := src[i]
		if c == closeDelim[0] && strings.HasPrefix(src[i:], closeDelim) &&
			// """a"""" ends with a quote: a quote right before the closing
			// triple is content
			!(len(closeDelim) == 3 && i+3 < len(src) && src[i+3] == c) {
			parts = b.finish(parts, i)
			l.pos = i + len(closeDelim)
			return Token{Kind: String, Quote: q, Off: start, End: l.pos, Text: src[start:l.pos], Parts: parts}
		}
		switch {
		case c == '\n' && (q == Single || q == Double):
			return unterminated()
		case c == '\\' && q == Slashy:
			if i+1 < len(src) && src[i+1] == '/' {
				b.escape(i, 2, "/")
				l.pos = i + 2
			} else {
				l.pos = i + 1
			}
		case c == '\\' && q != DollarSlashy:
			n, text := decodeEscape(src, i)
			if n == 0 { // unknown escape: kept as written
				l.pos = i + 1
				continue
			}
			b.escape(i, n, text)
			l.pos = i + n
		case c == '$' && gstring:
			switch {
			case q == DollarSlashy && i+1 < len(src) && src[i+1] == '$':
				b.escape(i, 2, "$")
				l.pos = i + 2
			case q == DollarSlashy && i+1 < len(src) && src[i+1] == '/':
				b.escape(i, 2, "/")
				l.pos = i + 2
			case i+1 < len(src) && src[i+1] == '{':
				parts = b.finish(parts, i)
				if l.nest >= maxStringNesting {
					l.fail(start, "strings nested too deeply inside ${…}")
					l.pos = len(src)
					return Token{Kind: String, Quote: q, Off: start, End: len(src), Text: src[start:], Parts: parts}
				}
				l.pos = i + 2
				l.nest++
				sub, closed := l.run(nil, true)
				l.nest--
				if l.err != nil {
					return Token{Kind: String, Quote: q, Off: start, End: len(src), Text: src[start:], Parts: parts}
				}
				if !closed {
					l.fail(start, "unterminated "+quoteName[q]+" (unclosed ${ at offset "+itoa(i)+")")
					return Token{Kind: String, Quote: q, Off: start, End: len(src), Text: src[start:], Parts: parts}
				}
				exprEnd := l.pos - 1
				parts = append(parts, StringPart{Kind: ExprPart, Text: src[i+2 : exprEnd], Off: i + 2, End: exprEnd, Toks: sub})
				b.reset(l.pos)
			case letterAt(src, i+1):
				parts = b.finish(parts, i)
				j := scanIdent(src, i+1)
				for j+1 < len(src) && src[j] == '.' && letterAt(src, j+1) {
					j = scanIdent(src, j+1)
				}
				parts = append(parts, StringPart{Kind: PathPart, Text: src[i+1 : j], Off: i + 1, End: j})
				l.pos = j
				b.reset(j)
			default:
				l.pos = i + 1
			}
		default:
			l.pos = i + 1
		}
	}
}

// decodeEscape decodes the escape at src[i] == '\\' in a quoted string:
// its length and decoded text; n == 0 for an escape Groovy does not know
// (kept as written).
func decodeEscape(src string, i int) (n int, text string) {
	if i+1 >= len(src) {
		return 0, ""
	}
	switch c := src[i+1]; c {
	case 'n':
		return 2, "\n"
	case 't':
		return 2, "\t"
	case 'b':
		return 2, "\b"
	case 'f':
		return 2, "\f"
	case 'r':
		return 2, "\r"
	case 's':
		return 2, " "
	case '\\', '\'', '"', '$', '/':
		return 2, src[i+1 : i+2]
	case '\n':
		return 2, "" // line continuation
	case '\r':
		if i+2 < len(src) && src[i+2] == '\n' {
			return 3, ""
		}
	case 'u':
		j := i + 2
		for j < len(src) && src[j] == 'u' { // \uuuu0041 is legal Java
			j++
		}
		if j+4 <= len(src) && isHex(src[j]) && isHex(src[j+1]) && isHex(src[j+2]) && isHex(src[j+3]) {
			r := rune(0)
			for _, h := range src[j : j+4] {
				r = r<<4 | rune(hexVal(byte(h)))
			}
			if !utf8.ValidRune(r) { // a lone surrogate
				r = utf8.RuneError
			}
			return j + 4 - i, string(r)
		}
	case '0', '1', '2', '3', '4', '5', '6', '7':
		j, v, max := i+1, 0, 3
		if c > '3' {
			max = 2
		}
		for j < len(src) && j-(i+1) < max && src[j] >= '0' && src[j] <= '7' {
			v = v*8 + int(src[j]-'0')
			j++
		}
		return j - i, string(rune(v))
	}
	return 0, ""
}

func hexVal(c byte) byte {
	if isDigit(c) {
		return c - '0'
	}
	return c | 0x20 - 'a' + 10
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
