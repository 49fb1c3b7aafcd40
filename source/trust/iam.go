package trust

import (
	"strconv"
	"strings"
)

// WebIdentityAction is the action a role's trust policy allows for OIDC
// federation.
const WebIdentityAction = "sts:AssumeRoleWithWebIdentity"

// readPolicy reads an IAM policy document: one Trust for each Allow
// statement that grants sts:AssumeRoleWithWebIdentity (or a wildcard that
// covers it) to a Federated principal, and for each such principal.
func (d *Doc) readPolicy(name string, root *node) []*Trust {
	_, st := root.get("Statement")
	if st == nil {
		return nil
	}
	stmts := []*node{st}
	if st.kind == nList {
		stmts = st.items
	}
	var out []*Trust
	for i, s := range stmts {
		if s.kind != nMap {
			continue
		}
		sname := name
		switch {
		case len(stmts) > 1 || st.kind == nList && name == "":
			sname = strings.TrimSpace(name + " Statement[" + strconv.Itoa(i) + "]")
		case name == "":
			sname = "Statement"
		}
		out = append(out, d.readStatement(sname, s)...)
	}
	return out
}

// readStatement reads one statement (a node of JSON, CloudFormation or
// Terraform, or one built from an aws_iam_policy_document statement block).
func (d *Doc) readStatement(name string, s *node) []*Trust {
	if _, e := s.get("Effect"); e != nil {
		if v := e.scalar(); v.Known && v.Text != "Allow" {
			return nil
		}
	}
	_, act := s.get("Action")
	if act == nil || !grantsWebIdentity(act.list()) {
		return nil
	}
	_, pr := s.get("Principal")
	_, fed := pr.get("Federated")
	if fed == nil {
		return nil
	}
	var out []*Trust
	for _, p := range fed.list() {
		if p.Known && (strings.Contains(p.Text, ":saml-provider/") || p.Text == "") {
			continue
		}
		t := &Trust{Kind: AWSRole, Name: name, Where: s.val.Span, Principal: p, Doc: d, AudienceOp: OpEquals}
		t.Issuer = IssuerOfARN(p)
		_, cond := s.get("Condition")
		t.addAWSConditions(cond)
		out = append(out, t)
	}
	return out
}

// grantsWebIdentity reports whether an Action list covers
// sts:AssumeRoleWithWebIdentity (action names and their wildcards are
// case-insensitive); an Unknown action may.
func grantsWebIdentity(actions []Value) bool {
	for _, a := range actions {
		if !a.Known || Match(OpLike, strings.ToLower(a.Text), strings.ToLower(WebIdentityAction)) {
			return true
		}
	}
	return false
}

// IssuerOfARN derives the issuer a Federated principal stands for:
// arn:aws:iam::<account>:oidc-provider/<host>/<path> is https://<host>/<path>
// (Known when the text after oidc-provider/ is, whatever the account), a
// bare host (accounts.google.com, cognito-identity.amazonaws.com) is
// https://<host>. Otherwise the result is Unknown, with the principal's
// reference.
func IssuerOfARN(p Value) Value {
	const marker = ":oidc-provider/"
	out := Value{Span: p.Span, Ref: p.Ref}
	if p.Known {
		if i := strings.Index(p.Text, marker); i >= 0 {
			out.Text, out.Known = "https://"+p.Text[i+len(marker):], true
			return out
		}
		if !strings.HasPrefix(p.Text, "arn:") && p.Text != "" {
			out.Text, out.Known = "https://"+p.Text, true
			return out
		}
		out.Text = "${" + p.Text + "}"
		return out
	}
	// A template: the pieces after the marker must all be literal.
	for i, part := range p.Parts {
		if !part.Known {
			continue
		}
		if j := strings.Index(part.Text, marker); j >= 0 {
			rest := []Part{{Text: "https://" + part.Text[j+len(marker):], Known: true}}
			rest = append(rest, p.Parts[i+1:]...)
			v := joinParts(rest, p.Span)
			v.Ref = ""
			if !v.Known && len(rest) == 2 && !rest[1].Known {
				v.Ref = rest[1].Ref
			}
			return v
		}
	}
	out.Text = p.Text
	out.Parts = p.Parts
	return out
}

// awsOperator reads an IAM condition operator name.
func awsOperator(op string) (o Operator, set string, ifExists bool) {
	if i := strings.Index(op, ":"); i >= 0 {
		set, op = op[:i], op[i+1:]
	}
	if strings.HasSuffix(op, "IfExists") {
		ifExists, op = true, strings.TrimSuffix(op, "IfExists")
	}
	switch op {
	case "StringEquals":
		o = OpEquals
	case "StringEqualsIgnoreCase":
		o = OpEqualsIgnoreCase
	case "StringLike":
		o = OpLike
	case "StringNotEquals", "StringNotEqualsIgnoreCase":
		o = OpNotEquals
	case "StringNotLike":
		o = OpNotLike
	default:
		o = OpUnknown
	}
	return o, set, ifExists
}

// ClaimOfKey splits an AWS condition key "<host>/<path>:<claim>" into the
// provider it names and the claim. Global keys (aws:…, sts:…) have no
// claim. For an Unknown key the literal text after the last ":" tells the
// claim when the key ends with one.
func ClaimOfKey(k Value) (provider, claim string) {
	text := k.Text
	if !k.Known {
		text = k.Suffix()
		if i := strings.LastIndexByte(text, ':'); i >= 0 {
			return "", text[i+1:]
		}
		return "", ""
	}
	i := strings.LastIndexByte(text, ':')
	if i < 0 {
		return "", ""
	}
	provider, claim = text[:i], text[i+1:]
	if !strings.Contains(provider, "/") && !strings.Contains(provider, ".") {
		return "", "" // aws:SourceIp, sts:RoleSessionName, …
	}
	return provider, claim
}

// addAWSConditions reads a statement's Condition block.
func (t *Trust) addAWSConditions(cond *node) {
	if cond == nil {
		return
	}
	if cond.kind != nMap {
		t.Claims = append(t.Claims, Condition{Operator: OpUnknown, Values: []Value{cond.scalar()}, Where: cond.val.Span})
		return
	}
	for i, opk := range cond.keys {
		body := cond.items[i]
		op, set, ifExists := OpUnknown, "", false
		if opk.Known {
			op, set, ifExists = awsOperator(opk.Text)
		}
		if body.kind != nMap {
			t.Claims = append(t.Claims, Condition{Operator: OpUnknown, Op: opk, Values: []Value{body.scalar()}, Where: spanJoin(opk.Span, body.val.Span)})
			continue
		}
		for j, key := range body.keys {
			vals := body.items[j]
			_, claim := ClaimOfKey(key)
			c := Condition{Claim: claim, Key: key, Operator: op, Op: opk, Values: vals.list(), IfExists: ifExists, Set: set,
				Where: spanJoin(key.Span, vals.val.Span)}
			t.add(c)
		}
	}
}

// add files a condition under Audiences, Subject or Claims.
func (t *Trust) add(c Condition) {
	switch {
	case c.Claim == "sub":
		t.Subject = append(t.Subject, c)
	case c.Claim == "aud" && t.Audiences == nil && (c.Operator == OpEquals || c.Operator == OpLike || c.Operator == OpGlob) && !c.IfExists && c.Set == "":
		t.Audiences = c.Values
		t.AudienceOp = c.Operator
		if t.Audiences == nil {
			t.Audiences = []Value{}
		}
	default:
		t.Claims = append(t.Claims, c)
	}
}

// spanJoin spans from a's start to b's end.
func spanJoin(a, b Span) Span {
	if !a.IsValid() {
		return b
	}
	if !b.IsValid() || b.EndOff < a.EndOff {
		return a
	}
	return Span{Pos: a.Pos, End: b.End, Off: a.Off, EndOff: b.EndOff}
}
