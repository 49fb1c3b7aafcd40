package embed

import (
	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// Offsets maps the value of scalar node n of f byte for byte to the bytes of
// f it was decoded from: for every byte of n.Value, its offset in f.Data,
// plus one entry past the end. It decodes literal (|) and folded (>) block
// scalars with any chomping and indentation indicator as the YAML parser
// does, quoted scalars without escapes, and plain scalars, and checks the
// result against n.Value: it returns nil, never a wrong map, when the value
// cannot be mapped (escapes, multi-line flow scalars, a shape it does not
// know). parentIndent is the indentation of the block that holds the node
// (its key's column less one), which an indentation indicator counts from.
func Offsets(f *source.File, n *yaml.Node, parentIndent int) []int32 {
	if n == nil || n.Kind != yaml.ScalarNode || n.Line == 0 {
		return nil
	}
	data := f.Data
	p := skipProperties(data, f.Offset(n.Line, n.Column))
	if p >= len(data) {
		return nil
	}
	switch n.Style &^ (yaml.TaggedStyle | yaml.FlowStyle) {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		// The indentation indicator counts from the enclosing block; try
		// the key's indentation, then the indicator line's.
		for _, pi := range []int{parentIndent, lineIndent(data, p)} {
			if offs, ok := block(data, p, pi, n.Value); ok {
				return offs
			}
		}
		return nil
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		if data[p] != '"' && data[p] != '\'' {
			return nil
		}
		return verbatim(data, p+1, n.Value, data[p])
	default:
		return verbatim(data, p, n.Value, 0)
	}
}

// verbatim maps a value written as is at data[p:] (followed by the closing
// quote q, when q is not 0).
func verbatim(data []byte, p int, value string, q byte) []int32 {
	end := p + len(value)
	if end > len(data) || string(data[p:end]) != value || q != 0 && (end >= len(data) || data[end] != q) {
		return nil
	}
	offs := make([]int32, len(value)+1)
	for i := range offs {
		offs[i] = int32(p + i)
	}
	return offs
}

// skipProperties skips a node's tag and anchor (`!!str &a |`), which the
// parser's position may point at.
func skipProperties(data []byte, p int) int {
	for p < len(data) && (data[p] == '!' || data[p] == '&') {
		for p < len(data) && data[p] != ' ' && data[p] != '\t' && data[p] != '\n' && data[p] != '\r' {
			p++
		}
		for p < len(data) && (data[p] == ' ' || data[p] == '\t') {
			p++
		}
	}
	return p
}

// lineIndent is the number of spaces that start the line holding offset p.
func lineIndent(data []byte, p int) int {
	ls := p
	for ls > 0 && data[ls-1] != '\n' && data[ls-1] != '\r' {
		ls--
	}
	n := 0
	for ls+n < len(data) && data[ls+n] == ' ' {
		n++
	}
	return n
}

func isBreak(b byte) bool { return b == '\n' || b == '\r' }
func isBlank(b byte) bool { return b == ' ' || b == '\t' }

// skipBreak steps over the line break at p ("\n", "\r\n" or "\r").
func skipBreak(data []byte, p int) int {
	if p < len(data) && data[p] == '\r' {
		p++
		if p < len(data) && data[p] == '\n' {
			p++
		}
		return p
	}
	if p < len(data) && data[p] == '\n' {
		p++
	}
	return p
}

// block decodes the block scalar whose indicator is at data[p] the way
// libyaml's scanner (and so yaml.v3) does, recording for every byte of the
// value the offset it came from: content bytes their own, line breaks the
// break's, a space folded from a line break that break's.
func block(data []byte, p, parentIndent int, value string) ([]int32, bool) {
	literal := data[p] == '|'
	if !literal && data[p] != '>' {
		return nil, false
	}
	p++
	chomp, inc := 0, 0
	for i := 0; i < 2 && p < len(data); i++ {
		switch c := data[p]; {
		case c == '+':
			chomp, p = 1, p+1
		case c == '-':
			chomp, p = -1, p+1
		case c >= '1' && c <= '9':
			inc, p = int(c-'0'), p+1
		}
	}
	for p < len(data) && !isBreak(data[p]) { // spaces and a comment
		p++
	}
	p = skipBreak(data, p)
	indent := 0
	if inc > 0 {
		indent = inc
		if parentIndent >= 0 {
			indent = parentIndent + inc
		}
	}
	out := make([]byte, 0, len(value))
	offs := make([]int32, 0, len(value)+1)
	emit := func(b byte, at int) {
		out = append(out, b)
		offs = append(offs, int32(at))
	}
	ls := p // start of the current line
	var trailing []int
	ok := true
	breaks := func() {
		maxIndent := 0
		for {
			for (indent == 0 || p-ls < indent) && p < len(data) && data[p] == ' ' {
				p++
			}
			maxIndent = max(maxIndent, p-ls)
			if (indent == 0 || p-ls < indent) && p < len(data) && data[p] == '\t' {
				ok = false // a tab where indentation is expected: a parse error
				return
			}
			if p >= len(data) || !isBreak(data[p]) {
				break
			}
			trailing = append(trailing, p)
			p = skipBreak(data, p)
			ls = p
		}
		if indent == 0 {
			indent = max(maxIndent, parentIndent+1, 1)
		}
	}
	breaks()
	leading := -1 // the line break before the current line, -1 when none
	leadingBlank := false
	for ok && p-ls == indent && p < len(data) {
		trailingBlank := isBlank(data[p])
		if !literal && leading >= 0 && !leadingBlank && !trailingBlank {
			if len(trailing) == 0 {
				emit(' ', leading)
			}
		} else if leading >= 0 {
			emit('\n', leading)
		}
		leading = -1
		for _, t := range trailing {
			emit('\n', t)
		}
		trailing = trailing[:0]
		leadingBlank = isBlank(data[p])
		for p < len(data) && !isBreak(data[p]) {
			emit(data[p], p)
			p++
		}
		if p >= len(data) {
			break
		}
		leading = p
		p = skipBreak(data, p)
		ls = p
		breaks()
	}
	if !ok {
		return nil, false
	}
	if chomp != -1 && leading >= 0 {
		emit('\n', leading)
	}
	if chomp == 1 {
		for _, t := range trailing {
			emit('\n', t)
		}
	}
	if string(out) != value {
		return nil, false
	}
	end := p
	if n := len(offs); n > 0 {
		end = int(offs[n-1]) + 1
	}
	return append(offs, int32(end)), true
}
