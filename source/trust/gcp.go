package trust

import (
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// gcpProvider reads google_iam_workload_identity_pool_provider (its oidc
// block; a provider for AWS or SAML is not a trust of id tokens).
func (h *hconv) gcpProvider(name string, b *hclsyntax.Block) {
	body := b.Body
	oidc := blocks(body, "oidc")
	if len(oidc) == 0 {
		return
	}
	ob := oidc[0].Body
	t := &Trust{Kind: GCPPoolProvider, Name: name, Where: h.blockSpan(b), AudienceOp: OpEquals, GCP: &GCPProvider{}}
	g := t.GCP
	g.PoolID = h.attrVal(body, "workload_identity_pool_id")
	g.ProviderID = h.attrVal(body, "workload_identity_pool_provider_id")
	g.Disabled = h.attrVal(body, "disabled")
	g.JWKSJSON = h.attrVal(ob, "jwks_json")
	t.Issuer = h.attrVal(ob, "issuer_uri")
	t.Audiences = h.attrList(ob, "allowed_audiences")
	if len(t.Audiences) == 0 {
		// The provider's resource name, with or without https: in front.
		sp := h.blockSpan(oidc[0])
		if a := attr(ob, "allowed_audiences"); a != nil {
			sp = h.rng(a.SrcRange)
		}
		pool, prov := "*", "*"
		if g.PoolID.Known {
			pool = g.PoolID.Text
		}
		if g.ProviderID.Known {
			prov = g.ProviderID.Text
		}
		res := "//iam.googleapis.com/projects/*/locations/global/workloadIdentityPools/" + pool + "/providers/" + prov
		t.AudienceDefault, t.AudienceOp = true, OpGlob
		t.Audiences = []Value{{Text: res, Known: true, Span: sp}, {Text: "https:" + res, Known: true, Span: sp}}
	}
	if a := attr(body, "attribute_mapping"); a != nil {
		obj, _ := a.Expr.(*hclsyntax.ObjectConsExpr)
		for _, it := range objItems(obj) {
			m := Mapping{Attribute: h.key(it.KeyExpr), Expr: h.val(it.ValueExpr)}
			if m.Expr.Known {
				m.Claim = assertionClaim(strings.TrimSpace(m.Expr.Text))
			}
			g.Mapping = append(g.Mapping, m)
		}
	}
	a := attr(body, "attribute_condition")
	if a == nil {
		t.Unconditional = true
		h.d.Trusts = append(h.d.Trusts, t)
		return
	}
	g.Condition = h.val(a.Expr)
	dec, ok := decodeTemplate(h.f.Data, a.Expr)
	if !ok || len(dec.interps) > 0 {
		t.Claims = append(t.Claims, Condition{Key: h.keyOf(a), Operator: OpUnknown, Values: []Value{g.Condition}, Where: h.rng(a.SrcRange)})
	} else {
		cp := &celReader{h: h, dec: dec, whole: g.Condition.Span, mapping: g.Mapping}
		for _, c := range cp.conditions() {
			t.add(c)
		}
	}
	h.d.Trusts = append(h.d.Trusts, t)
}

// assertionClaim is the claim a CEL expression assertion.<c> or
// assertion['<c>'] reads, or "".
func assertionClaim(expr string) string {
	if c, ok := strings.CutPrefix(expr, "assertion."); ok && isIdent(c) {
		return c
	}
	if c, ok := strings.CutPrefix(expr, "assertion["); ok && strings.HasSuffix(c, "]") && len(c) >= 3 {
		q := c[:len(c)-1]
		if (q[0] == '\'' || q[0] == '"') && q[len(q)-1] == q[0] && len(q) >= 2 {
			return q[1 : len(q)-1]
		}
	}
	return ""
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || i > 0 && b >= '0' && b <= '9' {
			continue
		}
		return false
	}
	return true
}

// celReader reads the comparisons of a GCP attribute_condition that it
// can: conjuncts (&&) of attr == 'lit', attr != 'lit', attr in [...],
// 'lit' in attr, attr.startsWith/endsWith/contains/matches('lit'). A
// condition with || at its top, or a conjunct of another shape, is kept as
// an OpUnknown condition holding its text.
type celReader struct {
	h       *hconv
	dec     decoded
	whole   Span
	mapping []Mapping
	toks    []celTok
}

type celTok struct {
	kind byte // 'i' identifier path, 's' string, 'o' operator or punctuation, 'n' other
	text string
	s, e int // byte range in dec.text
}

func (c *celReader) span(s, e int) Span {
	if c.dec.offs == nil || s < 0 || e > len(c.dec.text) || s >= e {
		return c.whole
	}
	end := int(c.dec.offs[e-1]) + 1
	if last := int(c.dec.offs[e-1]); last < len(c.h.f.Data) && c.h.f.Data[last] == '\\' {
		end = max(end, int(c.dec.offs[e])) // the end of an escape sequence (\")
	}
	return spanOf(c.h.f, int(c.dec.offs[s]), end)
}

func (c *celReader) lex() bool {
	t := c.dec.text
	for i := 0; i < len(t); {
		b := t[i]
		switch {
		case b == ' ' || b == '\t' || b == '\n' || b == '\r':
			i++
		case b == '\'' || b == '"':
			j := i + 1
			var sb strings.Builder
			for j < len(t) && t[j] != b {
				if t[j] == '\\' && j+1 < len(t) {
					j++
				}
				sb.WriteByte(t[j])
				j++
			}
			if j >= len(t) {
				return false
			}
			c.toks = append(c.toks, celTok{kind: 's', text: sb.String(), s: i, e: j + 1})
			i = j + 1
		case b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z':
			j := i
			for j < len(t) && (t[j] == '_' || t[j] == '.' || t[j] >= 'a' && t[j] <= 'z' || t[j] >= 'A' && t[j] <= 'Z' || t[j] >= '0' && t[j] <= '9') {
				j++
			}
			c.toks = append(c.toks, celTok{kind: 'i', text: string(t[i:j]), s: i, e: j})
			i = j
		default:
			n := 1
			if i+1 < len(t) {
				switch string(t[i : i+2]) {
				case "&&", "||", "==", "!=", "<=", ">=":
					n = 2
				}
			}
			c.toks = append(c.toks, celTok{kind: 'o', text: string(t[i : i+n]), s: i, e: i + n})
			i += n
		}
	}
	return true
}

func (c *celReader) unknown(s, e int) Condition {
	for s < e && isSpaceByte(c.dec.text[s]) {
		s++
	}
	for e > s && isSpaceByte(c.dec.text[e-1]) {
		e--
	}
	sp := c.span(s, e)
	text := strings.TrimSpace(string(c.dec.text[s:e]))
	return Condition{Operator: OpUnknown, Values: []Value{{Text: text, Span: sp}}, Where: sp}
}

func (c *celReader) conditions() []Condition {
	if !c.lex() || len(c.toks) == 0 {
		return []Condition{c.unknown(0, len(c.dec.text))}
	}
	toks := c.toks
	// strip parentheses around the whole
	for len(toks) >= 2 && toks[0].text == "(" && toks[len(toks)-1].text == ")" && closes(toks) {
		toks = toks[1 : len(toks)-1]
	}
	var parts [][]celTok
	depth, at := 0, 0
	for i, tk := range toks {
		switch tk.text {
		case "(", "[":
			depth++
		case ")", "]":
			depth--
		case "||":
			if depth == 0 {
				return []Condition{c.unknown(0, len(c.dec.text))}
			}
		case "&&":
			if depth == 0 {
				parts = append(parts, toks[at:i])
				at = i + 1
			}
		}
	}
	parts = append(parts, toks[at:])
	var out []Condition
	for _, p := range parts {
		for len(p) >= 2 && p[0].text == "(" && p[len(p)-1].text == ")" && closes(p) {
			p = p[1 : len(p)-1]
		}
		if len(p) == 0 {
			continue
		}
		out = append(out, c.comparison(p))
	}
	return out
}

// closes reports whether the first token's bracket closes at the last.
func closes(toks []celTok) bool {
	depth := 0
	for i, tk := range toks {
		switch tk.text {
		case "(", "[":
			depth++
		case ")", "]":
			depth--
			if depth == 0 && i < len(toks)-1 {
				return false
			}
		}
	}
	return depth == 0
}

// subject turns an attribute path (tokens) into its key and claim.
func (c *celReader) subject(p []celTok) (Value, string, int, bool) {
	if len(p) == 0 || p[0].kind != 'i' {
		return Value{}, "", 0, false
	}
	n := 1
	text := p[0].text
	if len(p) >= 4 && p[1].text == "[" && p[2].kind == 's' && p[3].text == "]" {
		n = 4
		text = string(c.dec.text[p[0].s:p[3].e])
	}
	key := Value{Text: text, Known: true, Span: c.span(p[0].s, p[n-1].e)}
	claim := assertionClaim(text)
	if claim == "" {
		for _, m := range c.mapping {
			if m.Attribute.Known && m.Attribute.Text == text {
				claim = m.Claim
			}
		}
	}
	return key, claim, n, true
}

func (c *celReader) lit(tk celTok) Value {
	v := Value{Text: tk.text, Known: true, Span: c.span(tk.s, tk.e)}
	if c.dec.offs != nil && tk.e-tk.s == len(tk.text)+2 && int(c.dec.offs[tk.e-1])-int(c.dec.offs[tk.s]) == tk.e-1-tk.s {
		v.Verbatim, v.TextAt = true, c.span(tk.s+1, tk.s+2).Pos
	}
	return v
}

func (c *celReader) comparison(p []celTok) Condition {
	all := c.unknown(p[0].s, p[len(p)-1].e)
	where := all.Where
	op := func(tk celTok) Value { return Value{Text: tk.text, Known: true, Span: c.span(tk.s, tk.e)} }
	// 'lit' == attr, 'lit' in attr
	if len(p) >= 3 && p[0].kind == 's' {
		key, claim, n, ok := c.subject(p[2:])
		if !ok || n != len(p)-2 {
			return all
		}
		switch p[1].text {
		case "==":
			return Condition{Claim: claim, Key: key, Operator: OpEquals, Op: op(p[1]), Values: []Value{c.lit(p[0])}, Where: where}
		case "!=":
			return Condition{Claim: claim, Key: key, Operator: OpNotEquals, Op: op(p[1]), Values: []Value{c.lit(p[0])}, Where: where}
		case "in":
			return Condition{Claim: claim, Key: key, Operator: OpContains, Op: op(p[1]), Values: []Value{c.lit(p[0])}, Where: where}
		}
		return all
	}
	// attr.startsWith('lit') and the other methods
	if p[0].kind == 'i' && len(p) == 4 && p[1].text == "(" && p[2].kind == 's' && p[3].text == ")" {
		i := strings.LastIndexByte(p[0].text, '.')
		if i < 0 {
			return all
		}
		methods := map[string]Operator{"startsWith": OpPrefix, "endsWith": OpSuffix, "contains": OpContains, "matches": OpRegex}
		o, ok := methods[p[0].text[i+1:]]
		if !ok {
			return all
		}
		path := p[0].text[:i]
		claim := assertionClaim(path)
		if claim == "" {
			for _, m := range c.mapping {
				if m.Attribute.Known && m.Attribute.Text == path {
					claim = m.Claim
				}
			}
		}
		key := Value{Text: path, Known: true, Span: c.span(p[0].s, p[0].s+len(path))}
		opv := Value{Text: p[0].text[i+1:], Known: true, Span: c.span(p[0].s+i+1, p[0].e)}
		return Condition{Claim: claim, Key: key, Operator: o, Op: opv, Values: []Value{c.lit(p[2])}, Where: where}
	}
	key, claim, n, ok := c.subject(p)
	if !ok || n >= len(p) {
		return all
	}
	rest := p[n:]
	switch {
	case len(rest) == 2 && rest[1].kind == 's' && (rest[0].text == "==" || rest[0].text == "!="):
		o := OpEquals
		if rest[0].text == "!=" {
			o = OpNotEquals
		}
		return Condition{Claim: claim, Key: key, Operator: o, Op: op(rest[0]), Values: []Value{c.lit(rest[1])}, Where: where}
	case len(rest) >= 3 && rest[0].kind == 'i' && rest[0].text == "in" && rest[1].text == "[" && rest[len(rest)-1].text == "]":
		var vals []Value
		for i, tk := range rest[2 : len(rest)-1] {
			if i%2 == 1 {
				if tk.text != "," {
					return all
				}
				continue
			}
			if tk.kind != 's' {
				return all
			}
			vals = append(vals, c.lit(tk))
		}
		return Condition{Claim: claim, Key: key, Operator: OpEquals, Op: op(rest[0]), Values: vals, Where: where}
	}
	return all
}

func isSpaceByte(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }
