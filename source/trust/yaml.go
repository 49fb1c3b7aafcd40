package trust

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// yconv turns a yaml.Node tree (JSON parsed by discovery.ParseJSON, YAML by
// tree.ParseYAML) into nodes. With cfn set, CloudFormation's intrinsic
// functions (short tags !Sub, !Ref, !GetAtt, !Join and the others, and their
// long forms Ref, Fn::Sub, …) become Unknown values, literal where they
// are (a !Sub without variables, a !Join of literals).
type yconv struct {
	f   *source.File
	cfn bool
	// sub is set for a document written in a Fn::Sub template: ${!Text}
	// is the literal ${Text}.
	sub bool
	// interps are byte ranges of f (a document decoded from a Terraform
	// template) written as ${…} interpolations: a string that covers one
	// holds an unknown piece.
	interps [][2]int
	depth   int
}

func (c *yconv) off(n *yaml.Node) int { return c.f.Offset(n.Line, n.Column) }

// valOff is where a scalar's text starts: after its tag and anchor.
func (c *yconv) valOff(n *yaml.Node) int {
	data := c.f.Data
	p := c.off(n)
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

// end is the byte offset just past n's text: a scalar's end, a
// collection's last descendant (and its closing bracket when it is a flow
// collection).
func (c *yconv) end(n *yaml.Node) int {
	data := c.f.Data
	if n.Kind == yaml.ScalarNode {
		p := c.valOff(n)
		if p < len(data) {
			switch data[p] {
			case '"':
				for i := p + 1; i < len(data); i++ {
					if data[i] == '\\' {
						i++
						continue
					}
					if data[i] == '"' {
						return i + 1
					}
				}
			case '\'':
				for i := p + 1; i < len(data); i++ {
					if data[i] == '\'' {
						if i+1 < len(data) && data[i+1] == '\'' {
							i++
							continue
						}
						return i + 1
					}
				}
			case '|', '>':
			default:
				if e := p + len(n.Value); e <= len(data) && string(data[p:e]) == n.Value {
					return e
				}
			}
		}
	}
	if n.Kind == yaml.ScalarNode || len(n.Content) == 0 {
		e := tree.End(c.f, n)
		if !e.IsValid() {
			return c.off(n)
		}
		return max(c.off(n), c.f.Offset(e.Line, e.Col))
	}
	end := c.off(n)
	for _, ch := range n.Content {
		if ch.Kind == yaml.AliasNode || ch.Line == 0 {
			continue
		}
		end = max(end, c.end(ch))
	}
	if n.Style&yaml.FlowStyle != 0 {
		p := end
		for p < len(data) && (data[p] == ' ' || data[p] == '\t' || data[p] == '\r' || data[p] == '\n' || data[p] == ',') {
			p++
		}
		if p < len(data) && (data[p] == '}' || data[p] == ']') {
			end = p + 1
		}
	}
	return end
}

func (c *yconv) span(n *yaml.Node) Span { return spanOf(c.f, c.off(n), c.end(n)) }

func (c *yconv) node(n *yaml.Node) *node {
	n = tree.Resolve(n)
	if n == nil {
		return &node{kind: nScalar}
	}
	c.depth++
	defer func() { c.depth-- }()
	if c.depth > 200 {
		return &node{kind: nScalar, val: Value{Span: c.span(n), Text: "${…}"}}
	}
	if c.cfn {
		if v, ok := c.intrinsic(n); ok {
			return &node{kind: nScalar, val: v}
		}
	}
	switch n.Kind {
	case yaml.MappingNode:
		out := &node{kind: nMap, val: Value{Span: c.span(n)}}
		for _, p := range tree.Pairs(n) {
			if p.Key.Tag == "!!merge" {
				continue
			}
			var k Value
			if c.cfn && p.Key.Tag != "" && !strings.HasPrefix(p.Key.Tag, "!!") {
				k, _ = c.intrinsic(p.Key)
			} else {
				k = c.scalar(p.Key)
			}
			out.keys = append(out.keys, k)
			out.items = append(out.items, c.node(p.Value))
		}
		return out
	case yaml.SequenceNode:
		out := &node{kind: nList, val: Value{Span: c.span(n)}}
		for _, it := range n.Content {
			out.items = append(out.items, c.node(it))
		}
		return out
	}
	return &node{kind: nScalar, val: c.scalar(n)}
}

// scalar reads a plain (untagged) scalar as a Known value, or as an
// Unknown one when it covers a Terraform interpolation.
func (c *yconv) scalar(n *yaml.Node) Value {
	off, end := c.valOff(n), c.end(n)
	v := Value{Text: n.Value, Known: true, Span: spanOf(c.f, off, end)}
	if n.Tag == "!!null" {
		v.Text = ""
	}
	if n.Kind != yaml.ScalarNode {
		v.Known, v.Text = false, "${…}"
		return v
	}
	data := c.f.Data
	q0, q1 := off, end
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 && end-off >= 2 {
		q0, q1 = off+1, end-1
	}
	if len(c.interps) > 0 {
		if parts, ok := c.interpParts(q0, q1); ok {
			return joinParts(parts, v.Span)
		}
	}
	if c.sub && strings.Contains(v.Text, "${!") {
		v.Text = strings.ReplaceAll(v.Text, "${!", "${")
		return v
	}
	if (c.f.Embed == nil || c.f.Embed.Contiguous(c.f, q0, q1)) && verbatim(data, q0, q1, n.Value) {
		v.Verbatim, v.TextAt = true, spanOf(c.f, q0, q0).Pos
	}
	return v
}

// interpParts splits the JSON string text at f.Data[q0:q1] around the
// Terraform interpolations it covers; ok is false when it covers none.
func (c *yconv) interpParts(q0, q1 int) ([]Part, bool) {
	var parts []Part
	at, hit := q0, false
	for _, r := range c.interps {
		if r[1] <= q0 || r[0] >= q1 {
			continue
		}
		hit = true
		s, e := max(r[0], q0), min(r[1], q1)
		if s > at {
			parts = append(parts, Part{Text: c.lit(c.f.Data[at:s]), Known: true})
		}
		text := string(c.f.Data[s:e])
		parts = append(parts, Part{Text: text, Ref: refOfInterp(text)})
		at = e
	}
	if at < q1 {
		parts = append(parts, Part{Text: c.lit(c.f.Data[at:q1]), Known: true})
	}
	return parts, hit
}

// lit decodes a literal piece of a JSON string.
func (c *yconv) lit(b []byte) string {
	s := unescapeJSON(b)
	if c.sub {
		s = strings.ReplaceAll(s, "${!", "${")
	}
	return s
}

// refOfInterp is the reference a "${a.b.c}" interpolation names, or "".
func refOfInterp(s string) string {
	if !strings.HasPrefix(s, "${") || !strings.HasSuffix(s, "}") {
		return ""
	}
	r := strings.TrimSpace(strings.Trim(s[2:len(s)-1], "~"))
	if isTraversal(r) {
		return r
	}
	return ""
}

// isTraversal reports whether s is a plain reference: names joined by dots
// (and [n] indexes).
func isTraversal(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b == '.' || b == '_' || b == '-' || b == '[' || b == ']' || b == '"' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' {
			continue
		}
		return false
	}
	return true
}

// unescapeJSON decodes the common escapes of a JSON string's text.
func unescapeJSON(b []byte) string {
	if !strings.Contains(string(b), `\`) {
		return string(b)
	}
	var sb strings.Builder
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 == len(b) {
			sb.WriteByte(b[i])
			continue
		}
		i++
		switch b[i] {
		case 'n':
			sb.WriteByte('\n')
		case 't':
			sb.WriteByte('\t')
		case 'r':
			sb.WriteByte('\r')
		case 'b':
			sb.WriteByte('\b')
		case 'f':
			sb.WriteByte('\f')
		default:
			sb.WriteByte(b[i])
		}
	}
	return sb.String()
}

// intrinsic reads a CloudFormation intrinsic function call: a node tagged
// !Ref, !Sub, … or a mapping with the one key Ref or Fn::….
func (c *yconv) intrinsic(n *yaml.Node) (Value, bool) {
	name, arg := "", n
	switch {
	case n.Tag != "" && !strings.HasPrefix(n.Tag, "!!") && strings.HasPrefix(n.Tag, "!"):
		name = n.Tag[1:]
	case n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Content[0].Kind == yaml.ScalarNode &&
		(n.Content[0].Value == "Ref" || strings.HasPrefix(n.Content[0].Value, "Fn::")):
		name, arg = strings.TrimPrefix(n.Content[0].Value, "Fn::"), tree.Resolve(n.Content[1])
	default:
		return Value{}, false
	}
	sp := c.span(n)
	whole := Value{Span: sp, Text: "${Fn::" + name + "}"}
	if arg == nil {
		return whole, true
	}
	switch name {
	case "Ref":
		if arg.Kind == yaml.ScalarNode {
			return Value{Span: sp, Text: "${" + arg.Value + "}", Ref: arg.Value}, true
		}
	case "GetAtt":
		ref := ""
		switch arg.Kind {
		case yaml.ScalarNode:
			ref = arg.Value
		case yaml.SequenceNode:
			var names []string
			for _, it := range tree.Items(arg) {
				if it.Kind == yaml.ScalarNode {
					names = append(names, it.Value)
				}
			}
			ref = strings.Join(names, ".")
		}
		if ref != "" {
			return Value{Span: sp, Text: "${" + ref + "}", Ref: ref}, true
		}
	case "Sub":
		tmpl, vars := arg, (*yaml.Node)(nil)
		if arg.Kind == yaml.SequenceNode {
			items := tree.Items(arg)
			if len(items) != 2 {
				return whole, true
			}
			tmpl, vars = items[0], items[1]
		}
		if tmpl == nil || tmpl.Kind != yaml.ScalarNode {
			return whole, true
		}
		v := joinParts(c.subParts(tmpl.Value, vars), sp)
		if v.Known {
			// a Sub without variables is its literal text
			lit := c.scalar(tmpl)
			v.Span = lit.Span
			v.Verbatim = lit.Verbatim && v.Text == tmpl.Value
			v.TextAt = lit.TextAt
		}
		return v, true
	case "Join":
		items := tree.Items(arg)
		if len(items) != 2 || items[0].Kind != yaml.ScalarNode || items[1].Kind != yaml.SequenceNode {
			return whole, true
		}
		var parts []Part
		for i, it := range tree.Items(items[1]) {
			if i > 0 {
				parts = append(parts, Part{Text: items[0].Value, Known: true})
			}
			iv := c.node(it).scalar()
			if iv.Known {
				parts = append(parts, Part{Text: iv.Text, Known: true})
			} else if iv.Parts != nil {
				parts = append(parts, iv.Parts...)
			} else {
				parts = append(parts, Part{Text: iv.Text, Ref: iv.Ref})
			}
		}
		return joinParts(parts, sp), true
	}
	return whole, true
}

// subParts splits a Fn::Sub template: ${Name} is an unknown piece unless
// vars gives it a literal, ${!Text} is the literal ${Text}.
func (c *yconv) subParts(tmpl string, vars *yaml.Node) []Part {
	var parts []Part
	for {
		i := strings.Index(tmpl, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			break
		}
		parts = append(parts, Part{Text: tmpl[:i], Known: true})
		name := tmpl[i+2 : i+j]
		switch {
		case strings.HasPrefix(name, "!"):
			parts = append(parts, Part{Text: "${" + name[1:] + "}", Known: true})
		default:
			if vars != nil {
				if _, vn := tree.Get(vars, name); vn != nil {
					if vv := c.node(vn).scalar(); vv.Known {
						parts = append(parts, Part{Text: vv.Text, Known: true})
						break
					} else if vv.Parts != nil {
						parts = append(parts, vv.Parts...)
						break
					} else if vv.Ref != "" {
						parts = append(parts, Part{Text: "${" + vv.Ref + "}", Ref: vv.Ref})
						break
					}
				}
			}
			parts = append(parts, Part{Text: "${" + name + "}", Ref: name})
		}
		tmpl = tmpl[i+j+1:]
	}
	return append(parts, Part{Text: tmpl, Known: true})
}
