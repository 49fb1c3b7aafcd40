package trust

import (
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// decoded is the text of a Terraform string or heredoc, decoded as HCL
// decodes it, with for every byte the offset in the .tf file it came from.
// Interpolations (${…}) and directives (%{…}) are kept as written, and
// listed in interps, so that a document inside (JSON, YAML, CEL) reads them
// as unknown pieces.
type decoded struct {
	text    []byte
	offs    []int32 // nil when the decoding could not be checked against HCL's
	interps [][2]int
}

// decodeTemplate decodes a string template expression (quoted or heredoc).
// ok is false when expr is not a template.
func decodeTemplate(data []byte, expr hclsyntax.Expression) (decoded, bool) {
	var parts []hclsyntax.Expression
	switch e := expr.(type) {
	case *hclsyntax.TemplateExpr:
		parts = e.Parts
	case *hclsyntax.TemplateWrapExpr:
		parts = []hclsyntax.Expression{e.Wrapped}
	default:
		return decoded{}, false
	}
	r := expr.Range()
	start, end := r.Start.Byte, r.End.Byte
	if start < 0 || end > len(data) || start >= end {
		return decoded{}, false
	}
	quoted := data[start] == '"'
	flush := !quoted && end-start > 3 && string(data[start:start+3]) == "<<-"
	var bodyStart, bodyEnd int
	if quoted {
		bodyStart, bodyEnd = start+1, end-1
	} else {
		bodyStart = start
		for bodyStart < end && data[bodyStart] != '\n' {
			bodyStart++
		}
		bodyStart++
		bodyEnd = end
		for bodyEnd > bodyStart && data[bodyEnd-1] != '\n' {
			bodyEnd--
		}
	}
	if bodyStart > bodyEnd {
		bodyStart = bodyEnd
	}
	strip := 0
	if flush {
		strip = minIndent(data[bodyStart:bodyEnd])
	}
	var d decoded
	exact := true
	at := bodyStart
	gap := func(to int) {
		if to <= at {
			return
		}
		if flush && allSpace(data[at:to]) && (at == bodyStart || data[at-1] == '\n') {
			at = to // indentation a flush heredoc strips
			return
		}
		s := len(d.text)
		for p := at; p < to; p++ {
			d.text = append(d.text, data[p])
			d.offs = append(d.offs, int32(p))
		}
		d.interps = append(d.interps, [2]int{s, len(d.text)})
		at = to
	}
	for _, p := range parts {
		pr := p.Range()
		lit, isLit := p.(*hclsyntax.LiteralValueExpr)
		if !isLit || lit.Val.Type() != cty.String || lit.Val.IsNull() || !lit.Val.IsKnown() {
			continue
		}
		if pr.Start.Byte < at || pr.End.Byte > bodyEnd {
			exact = false
			break
		}
		gap(pr.Start.Byte)
		before := len(d.text)
		already := -1
		if flush {
			already = leadingSpaces(data, bodyStart, pr.Start.Byte)
		}
		d.literal(data, pr.Start.Byte, pr.End.Byte, quoted, strip, already)
		if string(d.text[before:]) != lit.Val.AsString() {
			exact = false
			break
		}
		at = pr.End.Byte
	}
	if exact {
		gap(bodyEnd)
		d.offs = append(d.offs, int32(bodyEnd))
		return d, true
	}
	// Not as expected: HCL's own values, without a map.
	d = decoded{}
	for _, p := range parts {
		if lit, ok := p.(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String && lit.Val.IsKnown() && !lit.Val.IsNull() {
			d.text = append(d.text, lit.Val.AsString()...)
			continue
		}
		pr := p.Range()
		s := len(d.text)
		d.text = append(d.text, "${"...)
		d.text = append(d.text, data[pr.Start.Byte:pr.End.Byte]...)
		d.text = append(d.text, '}')
		d.interps = append(d.interps, [2]int{s, len(d.text)})
	}
	return d, true
}

// literal decodes data[s:e], a literal piece of a template.
func (d *decoded) literal(data []byte, s, e int, quoted bool, strip, already int) {
	lineStart := already >= 0
	skip := 0
	if lineStart {
		skip = max(0, strip-already)
	}
	for p := s; p < e; {
		if skip > 0 {
			r, n := utf8.DecodeRune(data[p:])
			if r != '\n' && unicode.IsSpace(r) {
				p += n
				skip--
				continue
			}
			skip = 0
		}
		b := data[p]
		switch {
		case b == '\n':
			d.add(p, '\n')
			p++
			skip = strip
		case (b == '$' || b == '%') && p+2 < e && data[p+1] == b && data[p+2] == '{':
			d.add(p+1, b)
			d.add(p+2, '{')
			p += 3
		case quoted && b == '\\' && p+1 < e:
			n, text := unescapeHCL(data[p:e])
			for _, c := range []byte(text) {
				d.add(p, c)
			}
			p += n
		default:
			d.add(p, b)
			p++
		}
	}
}

func (d *decoded) add(off int, b byte) {
	d.text = append(d.text, b)
	d.offs = append(d.offs, int32(off))
}

// unescapeHCL decodes one backslash escape of a quoted HCL string: the
// bytes it takes and the text it stands for.
func unescapeHCL(b []byte) (int, string) {
	switch b[1] {
	case 'n':
		return 2, "\n"
	case 'r':
		return 2, "\r"
	case 't':
		return 2, "\t"
	case '"':
		return 2, "\""
	case '\\':
		return 2, "\\"
	case 'u', 'U':
		n := 4
		if b[1] == 'U' {
			n = 8
		}
		if len(b) >= 2+n {
			if v, err := strconv.ParseUint(string(b[2:2+n]), 16, 32); err == nil {
				return 2 + n, string(rune(v))
			}
		}
	}
	return 2, string(b[:2])
}

// minIndent is the flush heredoc's indentation: the fewest leading
// whitespace characters of a line that is not blank.
func minIndent(body []byte) int {
	best := -1
	for len(body) > 0 {
		line := body
		if i := indexByte(body, '\n'); i >= 0 {
			line, body = body[:i], body[i+1:]
		} else {
			body = nil
		}
		n, blank := 0, true
		for p := 0; p < len(line); {
			r, size := utf8.DecodeRune(line[p:])
			if !unicode.IsSpace(r) {
				blank = false
				break
			}
			n++
			p += size
		}
		if blank {
			continue
		}
		if best < 0 || n < best {
			best = n
		}
	}
	return max(best, 0)
}

// leadingSpaces counts the whitespace characters between the start of the
// line holding off and off, or -1 when something else is there.
func leadingSpaces(data []byte, bodyStart, off int) int {
	ls := off
	for ls > bodyStart && data[ls-1] != '\n' {
		ls--
	}
	if !allSpace(data[ls:off]) {
		return -1
	}
	return utf8.RuneCount(data[ls:off])
}

func allSpace(b []byte) bool {
	for p := 0; p < len(b); {
		r, n := utf8.DecodeRune(b[p:])
		if r == '\n' || !unicode.IsSpace(r) {
			return false
		}
		p += n
	}
	return true
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}
