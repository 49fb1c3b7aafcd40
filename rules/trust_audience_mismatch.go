package rules

import (
	"fmt"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/idtoken"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/trust"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/trustcheck"
)

// TrustAudienceMismatch: see docs/trust-audience-mismatch.md.
var TrustAudienceMismatch = &Rule{ID: "trust-audience-mismatch", Workspace: checkTrustAudienceMismatch}

// The audiences the clouds expect by convention (AWS: the IAM OIDC
// provider's client ID; Azure: federated identity credentials).
const (
	stsAudience   = "sts.amazonaws.com"
	entraAudience = "api://AzureADTokenExchange"
)

// checkTrustAudienceMismatch reports a trust whose accepted audience
// matches no id-token credential issuing tokens under its issuer: the
// audience of an AWS aud condition and the OIDC provider's client IDs, a
// GCP provider's allowed audiences (or its resource name), a Vault role's
// bound_audiences, an Azure credential's audiences.
func checkTrustAudienceMismatch(p *Pass) {
	seen := map[string]bool{}
	for _, tp := range pairedTrusts(p) {
		t, pr := tp.t, tp.pair
		creds := pr.Issuer.Creds
		if len(creds) == 0 {
			continue // no credential of the controller issues its tokens: nothing to compare
		}
		// AWS checks the aud twice: the role's condition, and the OIDC
		// provider's client IDs; a credential the role accepts but the
		// provider does not is the provider's to fix.
		roleOK, provOK := false, false
		var rel []report.Related
		var has []string
		none := true
		for _, cr := range creds {
			aud := credAudience(cr)
			if c := trustcheck.AudienceCheck(t, aud); c.Result != trust.Fails {
				roleOK, provOK = true, true
				break
			}
			if t.Kind == trust.AWSRole && aud.Present && aud.Known && (t.Audiences == nil || testAll(t.AudienceOp, t.Audiences, aud.Value) != trust.Fails) {
				roleOK = true
			}
			none = none && !aud.Present
			where, what := cr.KindAt, fmt.Sprintf("credential '%s' sets no audience", cr.ID.Text)
			if aud.Present {
				where, what = cr.Audience.Span, fmt.Sprintf("credential '%s' has audience %q", cr.ID.Text, cr.Audience.Text)
				has = append(has, fmt.Sprintf("'%s' has %q", cr.ID.Text, cr.Audience.Text))
			} else {
				has = append(has, fmt.Sprintf("'%s' has none", cr.ID.Text))
			}
			rel = append(rel, report.Related{Pos: where.Pos, Message: what})
		}
		switch {
		case provOK:
			continue
		case roleOK && t.Provider != nil && len(t.Provider.ClientIDs) > 0:
			prov := t.Provider
			key := "provider\x00" + prov.Name + "\x00" + prov.Where.Pos.Path
			if seen[key] {
				continue
			}
			seen[key] = true
			pos, end := valueSpanOf(prov.ClientIDs[0])
			msg := fmt.Sprintf("the client IDs of AWS OIDC provider %s (%s) do not include the audience of the id-token credentials %s accepts (%s): STS refuses every token whose aud is not a client ID; add the credential's audience to the provider's client_id_list (%s by convention)",
				prov.Name, quotedValues(prov.ClientIDs), trustName(t), strings.Join(has, ", "), stsAudience)
			p.Report(report.Finding{Pos: pos, End: end, Message: msg, Related: rel})
			continue
		}
		at := t.Where
		if len(t.Audiences) > 0 {
			at = t.Audiences[0].Span
		} else if t.Vault != nil {
			at = nameSpan(t)
		}
		pos, end := at.Pos, spanEnd(at)
		if len(t.Audiences) == 0 && t.Vault == nil || at.End.Line > at.Pos.Line {
			pos, end = headSpan(p, at)
		}
		var msg string
		switch {
		case t.Kind == trust.VaultJWTRole && len(t.Audiences) == 0:
			msg = fmt.Sprintf("%s has no bound_audiences, so Vault accepts only tokens without aud, but the credentials that issue tokens for its issuer set one (%s): Vault refuses their tokens; list their audience in bound_audiences",
				trustName(t), strings.Join(has, ", "))
		case none:
			msg = fmt.Sprintf("%s accepts %s, but the credentials that issue tokens for its issuer set no audience (%s), so their tokens carry no aud: %s refuses them; %s",
				trustName(t), acceptedWords(t), strings.Join(has, ", "), platformWords(t), audienceAdvice(t))
		default:
			msg = fmt.Sprintf("%s accepts %s, but no id-token credential of %s for its issuer has it (%s): %s refuses their tokens; %s",
				trustName(t), acceptedWords(t), controllerName(pr.Controller), strings.Join(has, ", "), platformWords(t), audienceAdvice(t))
		}
		p.Report(report.Finding{Pos: pos, End: end, Message: msg, Related: rel})
	}
}

// nameSpan is where a trust's name is written: a Vault role's role_name,
// else the trust's span.
func nameSpan(t *trust.Trust) trust.Span {
	if t.Vault != nil && t.Vault.RoleName.IsSet() {
		return t.Vault.RoleName.Span
	}
	return t.Where
}

// testAll tests s against alternatives.
func testAll(op trust.Operator, vals []trust.Value, s string) trust.Result {
	if op == 0 {
		op = trust.OpEquals
	}
	return trust.Condition{Operator: op, Values: vals}.Test(s, true)
}

// credAudience is the aud claim a credential's tokens carry.
func credAudience(cr *idtoken.Credential) idtoken.Claim {
	present := cr.Audience.IsSet() && !(cr.Audience.Known && cr.Audience.Text == "")
	return idtoken.Claim{Name: "aud", Value: cr.Audience.Text, Known: cr.Audience.Known, Present: present}
}

// acceptedWords says what audience a trust accepts.
func acceptedWords(t *trust.Trust) string {
	var parts []string
	if len(t.Audiences) > 0 {
		what := "the audience"
		if t.AudienceDefault {
			what = "its default audience, the provider's resource name"
		}
		parts = append(parts, what+" "+quotedValues(t.Audiences[:1]))
		if !t.AudienceDefault && len(t.Audiences) > 1 {
			parts[0] = "the audiences " + quotedValues(t.Audiences)
		}
	}
	if len(parts) == 0 && t.Kind == trust.AWSRole && t.Provider != nil && len(t.Provider.ClientIDs) > 0 {
		parts = append(parts, "the client IDs of its OIDC provider "+t.Provider.Name+" ("+quotedValues(t.Provider.ClientIDs)+")")
	}
	if t.Kind == trust.VaultJWTRole && len(t.Audiences) == 0 {
		return "only tokens without aud (bound_audiences is empty)"
	}
	if len(parts) == 0 {
		return "no audience"
	}
	return strings.Join(parts, " and ")
}

func quotedValues(vals []trust.Value) string {
	var out []string
	for _, v := range vals {
		if v.Known {
			out = append(out, fmt.Sprintf("%q", v.Text))
		} else {
			out = append(out, v.Text)
		}
	}
	return strings.Join(out, ", ")
}

// platformWords names who refuses the token.
func platformWords(t *trust.Trust) string {
	switch t.Kind {
	case trust.AWSRole:
		return "STS"
	case trust.GCPPoolProvider:
		return "Google's STS"
	case trust.VaultJWTRole:
		return "Vault"
	case trust.AzureFIC:
		return "Entra ID"
	}
	return "the platform"
}

// audienceAdvice says which audience to give the credential.
func audienceAdvice(t *trust.Trust) string {
	switch t.Kind {
	case trust.AWSRole:
		return "give the id-token credential for AWS the audience " + stsAudience + " (the convention, and the provider's client_id_list), one credential per target"
	case trust.AzureFIC:
		return "give the id-token credential for Azure the audience " + entraAudience + " (the convention for federated credentials), one credential per target"
	case trust.GCPPoolProvider:
		return "give the id-token credential for Google Cloud the provider's resource name as audience (//iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>), or list the credential's audience in allowed_audiences"
	case trust.VaultJWTRole:
		if len(t.Audiences) == 0 {
			return "list the credential's audience in the role's bound_audiences"
		}
		return "set the credential's audience to one of bound_audiences, one credential per target"
	}
	return "make the two sides agree"
}
