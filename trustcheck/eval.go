package trustcheck

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/idtoken"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/trust"
)

// Check is the outcome of one test a trust makes of a token.
type Check struct {
	// Claim is the claim tested ("iss", "aud", "sub", …; "" when the tool
	// cannot tell).
	Claim string
	// Test names the test as the trust writes it: "issuer", "audience",
	// "StringLike", "bound_subject", "attribute_condition", "role_type".
	Test   string
	Result trust.Result
	// Message says why, in words.
	Message string
	// Where is the place of what the trust writes (zero when it writes
	// nothing: a default).
	Where trust.Span
}

// Outcome is a trust's answer to one token.
type Outcome struct {
	Trust  *trust.Trust
	Result trust.Result
	Checks []Check
}

// Failed lists the checks that fail, or, when none does, those that
// cannot be decided.
func (o Outcome) Failed() []Check {
	var fails, unknown []Check
	for _, c := range o.Checks {
		switch c.Result {
		case trust.Fails:
			fails = append(fails, c)
		case trust.Unknowable:
			unknown = append(unknown, c)
		}
	}
	if fails != nil {
		return fails
	}
	return unknown
}

// Evaluate tests a build's token against a trust as the platform does: the
// issuer (and what the platform requires of the role itself), the
// audience, then every condition on sub and the other claims. The result
// is Fails when a check fails, else Unknowable when one cannot be decided,
// else Holds.
func Evaluate(t *trust.Trust, tok idtoken.Token) Outcome {
	o := Outcome{Trust: t}
	o.Checks = append(o.Checks, issuerCheck(t, tok)...)
	o.Checks = append(o.Checks, AudienceCheck(t, tok.Aud))
	if t.Unconditional {
		o.Checks = append(o.Checks, Check{Test: "attribute_condition", Result: trust.Holds,
			Message: "no attribute_condition: every valid token of the issuer is accepted", Where: t.Where})
	}
	for _, c := range t.Subject {
		o.Checks = append(o.Checks, ConditionCheck(c, tok))
	}
	for _, c := range t.Claims {
		o.Checks = append(o.Checks, ConditionCheck(c, tok))
	}
	o.Result = trust.Holds
	for _, c := range o.Checks {
		switch {
		case c.Result == trust.Fails:
			o.Result = trust.Fails
		case c.Result == trust.Unknowable && o.Result == trust.Holds:
			o.Result = trust.Unknowable
		}
	}
	return o
}

// issuerCheck tests iss, and what the platform requires of the trust
// before it looks at a token (a Vault role's type, a GCP provider that is
// disabled).
func issuerCheck(t *trust.Trust, tok idtoken.Token) []Check {
	var out []Check
	c := Check{Claim: "iss", Test: "issuer", Where: t.Issuer.Span}
	switch {
	case !t.Issuer.IsSet():
		c.Result = trust.Unknowable
		c.Message = "the trust names no issuer the tool could find"
		if t.Kind == trust.VaultJWTRole {
			c.Message = "the role's vault_jwt_auth_backend is not in the files read: its oidc_discovery_url is the issuer"
		}
		c.Where = t.Where
	case !t.Issuer.Known:
		c.Result = trust.Unknowable
		c.Message = fmt.Sprintf("the trust's issuer is %s, which the tool cannot evaluate", t.Issuer.Text)
	case !tok.Iss.Known:
		c.Result = trust.Unknowable
		c.Message = fmt.Sprintf("the token's iss is not known (%s): the controller's unclassified.location.url decides it", tok.Iss.Value)
	case tok.Iss.Value == t.Issuer.Text:
		c.Result = trust.Holds
		c.Message = fmt.Sprintf("iss %q is the trust's issuer", tok.Iss.Value)
	default:
		c.Result = trust.Fails
		c.Message = fmt.Sprintf("iss %q is not the trust's issuer %q", tok.Iss.Value, t.Issuer.Text)
	}
	out = append(out, c)
	if v := t.Vault; v != nil {
		rt := Check{Test: "role_type", Where: v.RoleType.Span}
		switch {
		case v.RoleTypeDefault:
			rt.Result, rt.Where = trust.Fails, nameSpan(t)
			rt.Message = "role_type is not set: Vault then takes \"oidc\", and a JWT login fails with \"role with oidc role_type is not allowed\""
		case !v.RoleType.Known:
			rt.Result, rt.Message = trust.Unknowable, "role_type is "+v.RoleType.Text
		case v.RoleType.Text != "jwt":
			rt.Result, rt.Message = trust.Fails, fmt.Sprintf("role_type is %q: JWT logins need \"jwt\"", v.RoleType.Text)
		default:
			rt.Result, rt.Message = trust.Holds, "role_type is \"jwt\""
		}
		out = append(out, rt)
	}
	if g := t.GCP; g != nil && g.Disabled.Known && g.Disabled.Text == "true" {
		out = append(out, Check{Test: "disabled", Result: trust.Fails, Message: "the provider is disabled", Where: g.Disabled.Span})
	}
	return out
}

// nameSpan is where a trust's name is best pointed at: a Vault role's
// role_name, else the trust's first line.
func nameSpan(t *trust.Trust) trust.Span {
	if t.Vault != nil && t.Vault.RoleName.IsSet() {
		return t.Vault.RoleName.Span
	}
	return t.Where
}

// AudienceCheck tests a token's aud against what the trust accepts: an
// AWS role's aud condition and its OIDC provider's client IDs, a GCP
// provider's allowed audiences (or its resource name by default), a Vault
// role's bound_audiences (empty: only tokens without aud), an Azure
// credential's audiences.
func AudienceCheck(t *trust.Trust, aud idtoken.Claim) Check {
	c := Check{Claim: "aud", Test: "audience"}
	if len(t.Audiences) > 0 {
		c.Where = t.Audiences[0].Span
	}
	if !aud.Present {
		switch {
		case t.Kind == trust.VaultJWTRole && len(t.Audiences) == 0:
			c.Result, c.Message = trust.Holds, "the token has no aud and the role binds no audience"
		case t.Kind == trust.VaultJWTRole:
			c.Result, c.Message = trust.Fails, "the token has no aud, and bound_audiences requires one of "+quoteValues(t.Audiences)
		default:
			c.Result, c.Message = trust.Fails, "the token has no aud (the credential sets no audience): "+t.Kind.String()+"s refuse tokens without one"
			if len(t.Audiences) == 0 {
				c.Where = t.Where
			}
		}
		return c
	}
	if !aud.Known {
		c.Result, c.Message = trust.Unknowable, fmt.Sprintf("the token's aud %q is not known", aud.Value)
		return c
	}
	switch t.Kind {
	case trust.VaultJWTRole:
		if len(t.Audiences) == 0 {
			c.Result, c.Where = trust.Fails, nameSpan(t)
			c.Message = fmt.Sprintf("aud %q, but the role binds no audience: Vault refuses every token that has an aud unless bound_audiences lists it", aud.Value)
			return c
		}
	case trust.AWSRole:
		if p := t.Provider; p != nil && len(p.ClientIDs) > 0 {
			r := testValues(trust.OpEquals, p.ClientIDs, aud.Value)
			if r != trust.Holds {
				c.Result, c.Where = r, p.ClientIDs[0].Span
				c.Message = fmt.Sprintf("aud %q is not among the client IDs of OIDC provider %s (%s): STS refuses the token", aud.Value, p.Name, quoteValues(p.ClientIDs))
				if r == trust.Unknowable {
					c.Message = fmt.Sprintf("the client IDs of OIDC provider %s are not all known", p.Name)
				}
				return c
			}
			if t.Audiences == nil {
				c.Result, c.Where = trust.Holds, p.ClientIDs[0].Span
				c.Message = fmt.Sprintf("aud %q is a client ID of OIDC provider %s", aud.Value, p.Name)
				return c
			}
		} else if t.Audiences == nil {
			c.Result, c.Where = trust.Unknowable, t.Principal.Span
			c.Message = "the role has no aud condition and its OIDC provider is not in the files read: the provider's client IDs decide"
			return c
		}
	}
	if len(t.Audiences) == 0 {
		c.Result, c.Message = trust.Unknowable, "the trust lists no audience"
		if t.Kind == trust.AzureFIC {
			c.Result, c.Where = trust.Fails, t.Where
			c.Message = "the federated credential lists no audience"
		}
		return c
	}
	op := t.AudienceOp
	if op == 0 {
		op = trust.OpEquals
	}
	c.Result = testValues(op, t.Audiences, aud.Value)
	what := "accepted audience"
	if t.AudienceDefault {
		what = "default audience (the provider's resource name)"
	}
	switch c.Result {
	case trust.Holds:
		c.Message = fmt.Sprintf("aud %q matches the %s", aud.Value, what)
	case trust.Fails:
		c.Message = fmt.Sprintf("aud %q is not the %s %s", aud.Value, what, quoteValues(t.Audiences))
	default:
		c.Message = fmt.Sprintf("aud %q against %s: not all values are known", aud.Value, quoteValues(t.Audiences))
	}
	return c
}

// testValues tests s against alternatives: Holds when one matches, Fails
// when every value is known and none does.
func testValues(op trust.Operator, vals []trust.Value, s string) trust.Result {
	return trust.Condition{Operator: op, Values: vals}.Test(s, true)
}

// ClaimOf is a claim of a build's token: iss, aud, or a template claim.
func ClaimOf(tok idtoken.Token, name string) (idtoken.Claim, bool) {
	switch name {
	case "iss":
		return tok.Iss, true
	case "aud":
		return tok.Aud, tok.Aud.Present
	}
	return tok.Claim(name)
}

// ConditionCheck tests one condition of a trust against a token.
func ConditionCheck(c trust.Condition, tok idtoken.Token) Check {
	if c.Claim == "" || c.Operator == trust.OpUnknown {
		return Check{Claim: c.Claim, Test: TestName(c), Result: trust.Unknowable, Where: c.Where,
			Message: fmt.Sprintf("a condition the tool cannot evaluate (%s)", condText(c))}
	}
	cl, present := ClaimOf(tok, c.Claim)
	if !present {
		cl = idtoken.Claim{Name: c.Claim}
	}
	return valueCheck(c, cl)
}

// valueCheck tests a condition against a claim's value.
func valueCheck(c trust.Condition, cl idtoken.Claim) Check {
	ch := Check{Claim: c.Claim, Test: TestName(c), Where: c.Where}
	present := cl.Present
	if c.Set == "ForAllValues" && !present {
		ch.Result, ch.Message = trust.Holds, fmt.Sprintf("the token has no %s claim: ForAllValues holds", c.Claim)
		return ch
	}
	if present && !cl.Known {
		if (c.Operator == trust.OpLike || c.Operator == trust.OpGlob) && hasStar(c.Values) {
			ch.Result, ch.Message = trust.Holds, fmt.Sprintf("%s %s matches %q whatever its value", c.Claim, cl.Value, "*")
			return ch
		}
		ch.Result = trust.Unknowable
		ch.Message = fmt.Sprintf("%s is %s, which is not known before the build runs (%s)", c.Claim, cl.Value, strings.Join(cl.Vars, ", "))
		return ch
	}
	cond := condText(c)
	if present {
		c.Values = decideByLiterals(c.Operator, c.Values, cl.Value)
	}
	ch.Result = c.Test(cl.Value, present)
	switch {
	case !present && ch.Result == trust.Holds:
		ch.Message = fmt.Sprintf("the token has no %s claim, and %s allows that", c.Claim, cond)
	case !present:
		ch.Message = fmt.Sprintf("the token has no %s claim (no claim template makes it), so %s fails", c.Claim, cond)
		if ch.Result == trust.Unknowable {
			ch.Message = fmt.Sprintf("the token has no %s claim; %s cannot be evaluated", c.Claim, cond)
		}
	case ch.Result == trust.Holds:
		ch.Message = fmt.Sprintf("%s %q passes %s", c.Claim, cl.Value, cond)
	case ch.Result == trust.Fails:
		ch.Message = fmt.Sprintf("%s %q fails %s", c.Claim, cl.Value, cond)
	default:
		ch.Message = fmt.Sprintf("%s %q against %s: a value is not known", c.Claim, cl.Value, cond)
	}
	return ch
}

func hasStar(vals []trust.Value) bool {
	for _, v := range vals {
		if v.Known && v.Text == "*" {
			return true
		}
	}
	return false
}

// TestName names a condition's test as written.
func TestName(c trust.Condition) string {
	if c.Op.Known && c.Op.Text != "" {
		return c.Op.Text
	}
	if c.Key.Known && c.Key.Text != "" {
		return c.Key.Text
	}
	return c.Operator.String()
}

// condText renders a condition in words: `StringLike "a", "b"`.
func condText(c trust.Condition) string {
	if c.Operator == trust.OpUnknown {
		return strings.TrimSpace(TestName(c) + " " + quoteValues(c.Values))
	}
	return TestName(c) + " " + quoteValues(c.Values)
}

// quoteValues renders values: known ones quoted, unknown ones as written.
func quoteValues(vals []trust.Value) string {
	var parts []string
	for _, v := range vals {
		if v.Known {
			parts = append(parts, strconv.Quote(v.Text))
		} else {
			parts = append(parts, v.Text)
		}
	}
	if len(parts) == 0 {
		return "(none)"
	}
	return strings.Join(parts, ", ")
}

// decideByLiterals replaces an unknown value (a template with a variable
// in it) whose literal start or end already rules the claim out by a known
// value that does not match it: "…/job/app/job/${var.branch}/" cannot be
// "…/job/team/job/deploy/", whatever the variable holds.
func decideByLiterals(op trust.Operator, vals []trust.Value, s string) []trust.Value {
	wild := ""
	switch op {
	case trust.OpEquals:
	case trust.OpLike:
		wild = "*?"
	case trust.OpGlob:
		wild = "*"
	default:
		return vals
	}
	var out []trust.Value
	for _, v := range vals {
		if v.Known || v.Parts == nil {
			out = append(out, v)
			continue
		}
		pre, suf := v.Prefix(), v.Suffix()
		if wild != "" {
			if i := strings.IndexAny(pre, wild); i >= 0 {
				pre = pre[:i]
			}
			if i := strings.LastIndexAny(suf, wild); i >= 0 {
				suf = suf[i+1:]
			}
		}
		if strings.HasPrefix(s, pre) && strings.HasSuffix(s, suf) && len(s) >= len(pre)+len(suf) {
			out = append(out, v)
			continue
		}
		// a known value that s cannot match: the literal itself, one that s lacks
		no := v
		no.Known, no.Text, no.Parts = true, "\x00"+pre+"\x00"+suf, nil
		out = append(out, no)
	}
	return out
}
