package trust

import (
	"path"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/discovery"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/embed"
)

// hconv reads HCL expressions of one file into values and nodes.
type hconv struct {
	f *source.File
	d *Doc
}

// ReadTerraform parses a Terraform file (HCL native syntax) and reads the
// resources and data sources that trust id tokens, the AWS OIDC providers,
// the Vault JWT backends, the helm_release values documents and the JCasC
// documents written as strings in locals and variable defaults. A file
// that does not parse is an error at the first place HCL reports.
func ReadTerraform(f *source.File) (d *Doc, ferr *report.FileError) {
	if ferr := checkHCLBounds(f); ferr != nil {
		return nil, ferr
	}
	file, diags := hclsyntax.ParseConfig(f.Data, f.Path, hcl.InitialPos)
	if diags.HasErrors() {
		for _, dg := range diags {
			if dg.Severity != hcl.DiagError {
				continue
			}
			pos := report.Position{Path: f.Path}
			if dg.Subject != nil {
				pos = f.PosAt(dg.Subject.Start.Byte)
			}
			msg := dg.Summary
			if dg.Detail != "" {
				msg += ": " + dg.Detail
			}
			return nil, &report.FileError{Pos: pos, Message: "invalid HCL: " + msg}
		}
	}
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		return nil, &report.FileError{Pos: f.Pos(1, 1), Message: "invalid HCL"}
	}
	d = &Doc{Path: f.Path, Format: Terraform, Module: path.Dir(f.Path)}
	h := &hconv{f: f, d: d}
	for _, b := range body.Blocks {
		switch {
		case b.Type == "locals" && len(b.Labels) == 0:
			for _, a := range attrsInOrder(b.Body) {
				h.jcascText("local."+a.Name, a.Expr)
			}
		case b.Type == "variable" && len(b.Labels) == 1:
			if a := attr(b.Body, "default"); a != nil {
				h.jcascText("var."+b.Labels[0]+".default", a.Expr)
			}
		}
		if len(b.Labels) != 2 {
			continue
		}
		name := b.Labels[0] + "." + b.Labels[1]
		switch b.Type {
		case "resource":
			switch b.Labels[0] {
			case "aws_iam_role":
				h.awsRole(name, b)
			case "aws_iam_openid_connect_provider":
				h.awsProvider(name, b)
			case "google_iam_workload_identity_pool_provider":
				h.gcpProvider(name, b)
			case "vault_jwt_auth_backend":
				h.vaultBackend(name, b)
			case "vault_jwt_auth_backend_role":
				h.vaultRole(name, b)
			case "azuread_application_federated_identity_credential", "azurerm_federated_identity_credential":
				h.azureFIC(name, b)
			case "helm_release":
				h.helmRelease(name, b)
			}
		case "data":
			if b.Labels[0] == "aws_iam_policy_document" {
				h.policyDocument("data."+name, b)
			}
		}
	}
	d.own()
	return d, nil
}

func (h *hconv) rng(r hcl.Range) Span { return spanOf(h.f, r.Start.Byte, r.End.Byte) }

func (h *hconv) src(r hcl.Range) string {
	if r.Start.Byte < 0 || r.End.Byte > len(h.f.Data) || r.Start.Byte > r.End.Byte {
		return ""
	}
	return string(h.f.Data[r.Start.Byte:r.End.Byte])
}

// blockSpan spans a block from its type to its closing brace.
func (h *hconv) blockSpan(b *hclsyntax.Block) Span {
	return spanOf(h.f, b.TypeRange.Start.Byte, b.CloseBraceRange.End.Byte)
}

func attr(b *hclsyntax.Body, name string) *hclsyntax.Attribute {
	if b == nil {
		return nil
	}
	return b.Attributes[name]
}

func blocks(b *hclsyntax.Body, typ string) []*hclsyntax.Block {
	if b == nil {
		return nil
	}
	var out []*hclsyntax.Block
	for _, c := range b.Blocks {
		if c.Type == typ {
			out = append(out, c)
		}
	}
	return out
}

// attrVal reads an attribute's value (zero when it is absent or null).
func (h *hconv) attrVal(b *hclsyntax.Body, name string) Value {
	a := attr(b, name)
	if a == nil {
		return Value{}
	}
	return h.val(a.Expr)
}

// attrList reads an attribute holding a list (nil when absent; one
// Unknown value when the list is built by an expression).
func (h *hconv) attrList(b *hclsyntax.Body, name string) []Value {
	a := attr(b, name)
	if a == nil {
		return nil
	}
	return h.list(a.Expr)
}

func (h *hconv) list(e hclsyntax.Expression) []Value {
	if p, ok := e.(*hclsyntax.ParenthesesExpr); ok {
		return h.list(p.Expression)
	}
	if t, ok := e.(*hclsyntax.TupleConsExpr); ok {
		out := make([]Value, 0, len(t.Exprs))
		for _, x := range t.Exprs {
			out = append(out, h.val(x))
		}
		return out
	}
	if l, ok := e.(*hclsyntax.LiteralValueExpr); ok && l.Val.IsNull() {
		return nil
	}
	return []Value{h.val(e)}
}

// val reads an expression: a literal is Known; a string template with
// interpolations is Unknown with its parts; a reference or a function call
// is Unknown, written as ${…}.
func (h *hconv) val(e hclsyntax.Expression) Value {
	r := e.Range()
	sp := h.rng(r)
	switch x := e.(type) {
	case *hclsyntax.ParenthesesExpr:
		v := h.val(x.Expression)
		v.Span = sp
		return v
	case *hclsyntax.LiteralValueExpr:
		return h.literal(x.Val, sp)
	case *hclsyntax.TemplateExpr:
		if x.IsStringLiteral() {
			lit := x.Parts[0].(*hclsyntax.LiteralValueExpr)
			v := h.literal(lit.Val, sp)
			if r.End.Byte-r.Start.Byte >= 2 && h.f.Data[r.Start.Byte] == '"' && verbatim(h.f.Data, r.Start.Byte+1, r.End.Byte-1, v.Text) {
				v.Verbatim, v.TextAt = true, h.f.PosAt(r.Start.Byte+1)
			}
			return v
		}
		if len(x.Parts) == 0 {
			return Value{Known: true, Span: sp}
		}
		var parts []Part
		for _, p := range x.Parts {
			if lit, ok := p.(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String && lit.Val.IsKnown() && !lit.Val.IsNull() {
				parts = append(parts, Part{Text: lit.Val.AsString(), Known: true})
				continue
			}
			parts = append(parts, Part{Text: "${" + h.src(p.Range()) + "}", Ref: traversal(p, h)})
		}
		v := joinParts(parts, sp)
		if !v.Known && len(v.Parts) == 0 && v.Ref == "" {
			v.Ref = ""
		}
		return v
	case *hclsyntax.TemplateWrapExpr:
		return Value{Text: "${" + h.src(x.Wrapped.Range()) + "}", Ref: traversal(x.Wrapped, h), Span: sp}
	case *hclsyntax.ScopeTraversalExpr, *hclsyntax.RelativeTraversalExpr, *hclsyntax.IndexExpr:
		return Value{Text: "${" + h.src(r) + "}", Ref: traversal(e, h), Span: sp}
	}
	return Value{Text: "${" + h.src(r) + "}", Span: sp}
}

// traversal is the reference an expression is, as written, or "".
func traversal(e hclsyntax.Expression, h *hconv) string {
	switch e.(type) {
	case *hclsyntax.ScopeTraversalExpr, *hclsyntax.RelativeTraversalExpr, *hclsyntax.IndexExpr:
		s := h.src(e.Range())
		if isTraversal(s) {
			return s
		}
	}
	return ""
}

func (h *hconv) literal(v cty.Value, sp Span) Value {
	if v.IsNull() || !v.IsKnown() {
		return Value{Span: sp}
	}
	switch v.Type() {
	case cty.String:
		return Value{Text: v.AsString(), Known: true, Span: sp}
	case cty.Number:
		return Value{Text: v.AsBigFloat().Text('f', -1), Known: true, Span: sp}
	case cty.Bool:
		t := "false"
		if v.True() {
			t = "true"
		}
		return Value{Text: t, Known: true, Span: sp}
	}
	return Value{Text: "${…}", Span: sp}
}

// node reads an expression into the policy tree (jsonencode's argument).
func (h *hconv) node(e hclsyntax.Expression, depth int) *node {
	if depth > 100 {
		return &node{kind: nScalar, val: h.val(e)}
	}
	switch x := e.(type) {
	case *hclsyntax.ParenthesesExpr:
		return h.node(x.Expression, depth+1)
	case *hclsyntax.ObjectConsExpr:
		n := &node{kind: nMap, val: Value{Span: h.rng(x.SrcRange)}}
		for _, it := range x.Items {
			n.keys = append(n.keys, h.key(it.KeyExpr))
			n.items = append(n.items, h.node(it.ValueExpr, depth+1))
		}
		return n
	case *hclsyntax.TupleConsExpr:
		n := &node{kind: nList, val: Value{Span: h.rng(x.SrcRange)}}
		for _, it := range x.Exprs {
			n.items = append(n.items, h.node(it, depth+1))
		}
		return n
	}
	return &node{kind: nScalar, val: h.val(e)}
}

// key reads an object key: a bare name or a string.
func (h *hconv) key(e hclsyntax.Expression) Value {
	if k, ok := e.(*hclsyntax.ObjectConsKeyExpr); ok {
		if !k.ForceNonLiteral {
			if kw := hcl.ExprAsKeyword(k.Wrapped); kw != "" {
				sp := h.rng(k.Wrapped.Range())
				return Value{Text: kw, Known: true, Span: sp, Verbatim: true, TextAt: sp.Pos}
			}
		}
		return h.val(k.Wrapped)
	}
	return h.val(e)
}

// jsonDoc reads a string template holding a JSON document (a heredoc
// policy): a document of its own whose positions map into the .tf file.
func (h *hconv) jsonDoc(e hclsyntax.Expression, what string) *node {
	dec, ok := decodeTemplate(h.f.Data, e)
	if !ok {
		return nil
	}
	inner := source.NewFile(h.f.Path, dec.text)
	r := e.Range()
	inner.Embed = &source.Embedding{Outer: h.f, Offsets: dec.offs, Start: r.Start.Byte, End: r.End.Byte, Where: what}
	root, ferr := discovery.ParseJSON(inner)
	if ferr != nil {
		msg := what + " not read: " + ferr.Message
		if len(dec.interps) > 0 {
			msg = what + " not read: it is JSON only once Terraform interpolates it (" + ferr.Message + ")"
		}
		h.d.note(h.rng(r), msg)
		return nil
	}
	c := &yconv{f: inner, interps: dec.interps}
	return c.node(root)
}

// awsRole reads aws_iam_role.assume_role_policy: a heredoc or string of
// JSON, jsonencode({…}), or a reference to an aws_iam_policy_document
// (resolved by Link).
func (h *hconv) awsRole(name string, b *hclsyntax.Block) {
	a := attr(b.Body, "assume_role_policy")
	if a == nil {
		return
	}
	e := a.Expr
	for {
		p, ok := e.(*hclsyntax.ParenthesesExpr)
		if !ok {
			break
		}
		e = p.Expression
	}
	var root *node
	switch x := e.(type) {
	case *hclsyntax.FunctionCallExpr:
		if x.Name == "jsonencode" && len(x.Args) == 1 {
			root = h.node(x.Args[0], 0)
		}
	case *hclsyntax.TemplateExpr:
		root = h.jsonDoc(x, name+".assume_role_policy")
		if root == nil {
			return
		}
	case *hclsyntax.ScopeTraversalExpr, *hclsyntax.TemplateWrapExpr:
		ref := h.val(x).Ref
		if strings.HasPrefix(ref, "data.aws_iam_policy_document.") {
			h.d.Trusts = append(h.d.Trusts, &Trust{Kind: AWSRole, Name: name, Where: h.blockSpan(b), policyRef: strings.TrimSuffix(ref, ".json"),
				Principal: h.val(x), Issuer: Value{Text: "${" + ref + "}", Ref: ref, Span: h.rng(x.Range())}})
			return
		}
	}
	if root == nil {
		h.d.note(h.rng(e.Range()), name+".assume_role_policy not read: built by an expression the tool does not evaluate")
		return
	}
	ts := h.d.readPolicy(name, root)
	if len(ts) == 1 {
		ts[0].Where = h.blockSpan(b)
	}
	h.d.Trusts = append(h.d.Trusts, ts...)
}

// policyDocument reads data "aws_iam_policy_document": its statement
// blocks as IAM statements.
func (h *hconv) policyDocument(name string, b *hclsyntax.Block) {
	for _, dyn := range blocks(b.Body, "dynamic") {
		if len(dyn.Labels) == 1 && dyn.Labels[0] == "statement" {
			h.d.note(h.blockSpan(dyn), name+": a dynamic statement block is not read")
		}
	}
	for _, k := range []string{"source_policy_documents", "override_policy_documents", "source_json", "override_json"} {
		if a := attr(b.Body, k); a != nil {
			h.d.note(h.rng(a.SrcRange), name+": "+k+" is not read")
		}
	}
	stmts := blocks(b.Body, "statement")
	var out []*Trust
	for i, s := range stmts {
		sn := &node{kind: nMap, val: Value{Span: h.blockSpan(s)}}
		add := func(key string, n *node) {
			sn.keys = append(sn.keys, Value{Text: key, Known: true})
			sn.items = append(sn.items, n)
		}
		effect := &node{kind: nScalar, val: Value{Text: "Allow", Known: true}}
		if a := attr(s.Body, "effect"); a != nil {
			effect.val = h.val(a.Expr)
		}
		add("Effect", effect)
		if a := attr(s.Body, "actions"); a != nil {
			add("Action", h.node(a.Expr, 0))
		}
		fed := &node{kind: nList}
		for _, p := range blocks(s.Body, "principals") {
			if t := h.attrVal(p.Body, "type"); t.Known && t.Text != "Federated" {
				continue
			}
			if a := attr(p.Body, "identifiers"); a != nil {
				for _, id := range h.list(a.Expr) {
					fed.items = append(fed.items, &node{kind: nScalar, val: id})
				}
			}
		}
		if len(fed.items) > 0 {
			add("Principal", &node{kind: nMap, keys: []Value{{Text: "Federated", Known: true}}, items: []*node{fed}})
		}
		cond := &node{kind: nMap}
		for _, c := range blocks(s.Body, "condition") {
			test := h.attrVal(c.Body, "test")
			v := h.attrVal(c.Body, "variable")
			vals := &node{kind: nList, val: Value{Span: h.blockSpan(c)}}
			if a := attr(c.Body, "values"); a != nil {
				for _, x := range h.list(a.Expr) {
					vals.items = append(vals.items, &node{kind: nScalar, val: x})
				}
			}
			cond.keys = append(cond.keys, test)
			cond.items = append(cond.items, &node{kind: nMap, keys: []Value{v}, items: []*node{vals}, val: Value{Span: h.blockSpan(c)}})
		}
		if len(cond.keys) > 0 {
			add("Condition", cond)
		}
		sname := name
		if len(stmts) > 1 {
			sname = name + " statement[" + itoa(i) + "]"
		}
		out = append(out, h.d.readStatement(sname, sn)...)
	}
	h.d.Trusts = append(h.d.Trusts, out...)
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// awsProvider reads aws_iam_openid_connect_provider.
func (h *hconv) awsProvider(name string, b *hclsyntax.Block) {
	p := &Provider{Name: name, Where: h.blockSpan(b)}
	p.URL = h.attrVal(b.Body, "url")
	p.Issuer = issuerOfURL(p.URL)
	p.ClientIDs = h.attrList(b.Body, "client_id_list")
	p.Thumbprints = h.attrList(b.Body, "thumbprint_list")
	h.d.Providers = append(h.d.Providers, p)
}

// vaultBackend reads vault_jwt_auth_backend.
func (h *hconv) vaultBackend(name string, b *hclsyntax.Block) {
	vb := &VaultBackend{Name: name, Where: h.blockSpan(b)}
	vb.Path = h.attrVal(b.Body, "path")
	vb.Type = h.attrVal(b.Body, "type")
	vb.OIDCDiscoveryURL = h.attrVal(b.Body, "oidc_discovery_url")
	vb.BoundIssuer = h.attrVal(b.Body, "bound_issuer")
	vb.JWKSURL = h.attrVal(b.Body, "jwks_url")
	vb.JWTValidationPubkeys = h.attrVal(b.Body, "jwt_validation_pubkeys")
	h.d.VaultBackends = append(h.d.VaultBackends, vb)
}

// vaultRole reads vault_jwt_auth_backend_role; Link ties it to its backend.
func (h *hconv) vaultRole(name string, b *hclsyntax.Block) {
	body := b.Body
	t := &Trust{Kind: VaultJWTRole, Name: name, Where: h.blockSpan(b), AudienceOp: OpEquals, Vault: &VaultRole{}}
	v := t.Vault
	v.Backend = h.attrVal(body, "backend")
	v.RoleName = h.attrVal(body, "role_name")
	v.RoleType = h.attrVal(body, "role_type")
	v.RoleTypeDefault = !v.RoleType.IsSet()
	v.UserClaim = h.attrVal(body, "user_claim")
	v.ClaimsType = h.attrVal(body, "bound_claims_type")
	t.Audiences = h.attrList(body, "bound_audiences")
	if a := attr(body, "bound_subject"); a != nil {
		val := h.val(a.Expr)
		if !(val.Known && val.Text == "") {
			t.Subject = append(t.Subject, Condition{Claim: "sub", Key: h.keyOf(a), Operator: OpEquals, Values: []Value{val}, Where: h.rng(a.SrcRange)})
		}
	}
	op := OpEquals
	if v.ClaimsType.Known && v.ClaimsType.Text == "glob" {
		op = OpGlob
	} else if v.ClaimsType.IsSet() && !v.ClaimsType.Known {
		op = OpUnknown
	}
	if a := attr(body, "bound_claims"); a != nil {
		obj, ok := a.Expr.(*hclsyntax.ObjectConsExpr)
		if !ok {
			t.Claims = append(t.Claims, Condition{Key: h.keyOf(a), Operator: OpUnknown, Values: []Value{h.val(a.Expr)}, Where: h.rng(a.SrcRange)})
		}
		for _, it := range objItems(obj) {
			k := h.key(it.KeyExpr)
			vals := h.list(it.ValueExpr)
			if len(vals) == 1 && vals[0].Known {
				vals = splitComma(vals[0])
			}
			c := Condition{Key: k, Operator: op, Op: v.ClaimsType, Values: vals, Where: spanJoin(k.Span, h.rng(it.ValueExpr.Range()))}
			if k.Known {
				c.Claim = k.Text
			}
			if op == OpUnknown {
				c.Values = []Value{h.val(it.ValueExpr)}
			}
			t.add(c)
		}
	}
	h.d.Trusts = append(h.d.Trusts, t)
}

func objItems(o *hclsyntax.ObjectConsExpr) []hclsyntax.ObjectConsItem {
	if o == nil {
		return nil
	}
	return o.Items
}

// keyOf is an attribute's name as a value.
func (h *hconv) keyOf(a *hclsyntax.Attribute) Value {
	sp := h.rng(a.NameRange)
	return Value{Text: a.Name, Known: true, Span: sp, Verbatim: true, TextAt: sp.Pos}
}

// splitComma splits a Vault bound_claims string on commas (the Terraform
// provider sends "a,b" as the list a, b), each piece keeping its place
// when the value is written verbatim.
func splitComma(v Value) []Value {
	if !strings.Contains(v.Text, ",") {
		return []Value{v}
	}
	var out []Value
	at := 0
	for _, piece := range strings.Split(v.Text, ",") {
		pv := Value{Text: piece, Known: true, Span: v.Span}
		if v.Verbatim {
			pv.Verbatim, pv.TextAt = true, v.PosIn(at)
			pv.Pos, pv.End = pv.TextAt, v.PosIn(at+len(piece))
			pv.Off = v.Off + (v.EndOff-v.Off-len(v.Text))/2 + at
			pv.EndOff = pv.Off + len(piece)
		}
		at += len(piece) + 1
		out = append(out, pv)
	}
	return out
}

// azureFIC reads an Azure federated identity credential (azuread: issuer,
// subject, audiences; azurerm: issuer, subject, audience).
func (h *hconv) azureFIC(name string, b *hclsyntax.Block) {
	body := b.Body
	t := &Trust{Kind: AzureFIC, Name: name, Where: h.blockSpan(b), AudienceOp: OpEquals}
	t.Issuer = h.attrVal(body, "issuer")
	t.Audiences = h.attrList(body, "audiences")
	if t.Audiences == nil {
		t.Audiences = h.attrList(body, "audience")
	}
	if a := attr(body, "subject"); a != nil {
		t.Subject = append(t.Subject, Condition{Claim: "sub", Key: h.keyOf(a), Operator: OpEquals, Values: []Value{h.val(a.Expr)}, Where: h.rng(a.SrcRange)})
	}
	h.d.Trusts = append(h.d.Trusts, t)
}

// helmRelease reads helm_release.values: each heredoc or string becomes a
// values document mapped into the .tf file; file("…") names a values file.
func (h *hconv) helmRelease(name string, b *hclsyntax.Block) {
	a := attr(b.Body, "values")
	if a == nil {
		return
	}
	chart := h.attrVal(b.Body, "chart")
	t, ok := a.Expr.(*hclsyntax.TupleConsExpr)
	if !ok {
		h.d.note(h.rng(a.Expr.Range()), name+".values not read: built by an expression the tool does not evaluate")
		return
	}
	for i, e := range t.Exprs {
		hv := &HelmValues{Release: name, Chart: chart, Index: i, Value: Value{Span: h.rng(e.Range()), Text: h.src(e.Range())}}
		switch x := e.(type) {
		case *hclsyntax.TemplateExpr:
			dec, _ := decodeTemplate(h.f.Data, x)
			hv.Text, hv.Offsets, hv.Interps = string(dec.text), dec.offs, dec.interps
		case *hclsyntax.FunctionCallExpr:
			if (x.Name == "file" || x.Name == "templatefile") && len(x.Args) >= 1 {
				fv := h.val(x.Args[0])
				if !fv.Known {
					// "${path.module}/values.yaml": the module's directory
					if len(fv.Parts) == 2 && fv.Parts[0].Ref == "path.module" && fv.Parts[1].Known {
						fv.Text, fv.Known, fv.Parts, fv.Ref = strings.TrimPrefix(fv.Parts[1].Text, "/"), true, nil, ""
					}
				}
				hv.File = fv
			} else {
				h.d.note(hv.Value.Span, name+".values["+itoa(i)+"] not read: built by "+x.Name+"()")
				continue
			}
		default:
			h.d.note(hv.Value.Span, name+".values["+itoa(i)+"] not read: built by an expression the tool does not evaluate")
			continue
		}
		h.d.Helm = append(h.d.Helm, hv)
	}
}

// attrsInOrder lists the attributes of b in file order (hclsyntax keeps
// them in a map).
func attrsInOrder(b *hclsyntax.Body) []*hclsyntax.Attribute {
	out := make([]*hclsyntax.Attribute, 0, len(b.Attributes))
	for _, a := range b.Attributes {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SrcRange.Start.Byte < out[j].SrcRange.Start.Byte })
	return out
}

// jcascText reads the JCasC documents written as strings in the value e
// of a local or a variable default (where names it): a heredoc or string
// with a JCasC root key at the start of a line, also inside objects and
// tuples (locals { casc = { oidc = <<-EOT … EOT } }). A document with
// template directives (%{ if … }) is YAML only once Terraform renders it:
// a note, not a document.
func (h *hconv) jcascText(where string, e hclsyntax.Expression) {
	switch x := e.(type) {
	case *hclsyntax.ObjectConsExpr:
		for _, it := range x.Items {
			k := h.key(it.KeyExpr)
			if !k.Known {
				continue
			}
			h.jcascText(where+"."+k.Text, it.ValueExpr)
		}
	case *hclsyntax.TupleConsExpr:
		for i, it := range x.Exprs {
			h.jcascText(where+"["+itoa(i)+"]", it)
		}
	case *hclsyntax.TemplateExpr:
		sp, src := h.rng(x.Range()), h.src(x.Range())
		if hasDirective(src) {
			// the directive's body is not decoded: look at its lines as written
			if embed.LooksText([]byte(unindent(src))) {
				h.d.note(sp, where+" not read: it holds template directives (%{ … }), so it is JCasC only once Terraform renders it")
			}
			return
		}
		dec, ok := decodeTemplate(h.f.Data, x)
		if !ok || !embed.LooksText(dec.text) {
			return
		}
		h.d.JCasC = append(h.d.JCasC, &JCasCText{Where: where, Text: string(dec.text), Offsets: dec.offs, Interps: dec.interps, Value: Value{Span: sp, Text: h.src(x.Range())}})
	}
}

// hasDirective reports whether template source holds a directive: %{ not
// escaped as %%{.
func hasDirective(src string) bool {
	for i := 0; i+1 < len(src); i++ {
		if src[i] == '%' && src[i+1] == '{' && (i == 0 || src[i-1] != '%') {
			return true
		}
	}
	return false
}

// unindent removes the leading blanks of every line of s.
func unindent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimLeft(l, " \t")
	}
	return strings.Join(lines, "\n")
}
