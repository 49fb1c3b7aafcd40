package rules

import (
	"fmt"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// ClaimNotSupported: see docs/claim-not-supported.md.
var ClaimNotSupported = &Rule{ID: "claim-not-supported", Workspace: checkClaimSupported}

// claimRoot is the first claim name of a JMESPath claim field:
// "realm_access.roles" → "realm_access", `"cognito:groups"` → "cognito:groups".
func claimRoot(expr string) string {
	expr = strings.TrimSpace(expr)
	if strings.HasPrefix(expr, `"`) {
		if i := strings.Index(expr[1:], `"`); i >= 0 {
			return expr[1 : i+1]
		}
		return strings.Trim(expr, `"`)
	}
	if i := strings.IndexAny(expr, ".[|"); i >= 0 {
		return expr[:i]
	}
	return expr
}

// mapperHint says how common providers add a claim they do not list.
const mapperHint = "if the provider sends it anyway (Entra ID and Keycloak send groups/roles without listing them), ignore this; otherwise add a claim mapper (Keycloak: client scope mapper \"Group Membership\"; Okta: a groups claim on the authorization server; Entra ID: \"groupMembershipClaims\" in the app manifest)"

func checkClaimSupported(p *Pass) {
	for _, r := range p.WS.Realms() {
		m := p.WS.MetadataFor(r)
		if m == nil || len(m.ClaimsSupported.Values) == 0 {
			continue
		}
		for _, field := range []tree.Scalar{r.UserNameField, r.GroupsField, r.EmailField, r.FullNameField} {
			if !field.NonEmpty() || tree.IsVariable(field.Value) {
				continue
			}
			claim := claimRoot(field.Value)
			if claim == "" || m.ClaimsSupported.Has(claim) {
				continue
			}
			f := p.ReportAt(r.File, field.At(), fmt.Sprintf("%s reads claim %q, which the provider's claims_supported does not list (%s); %s",
				field.Name(), claim, m.Name(), mapperHint))
			f.Related = []report.Related{{Pos: m.Pos(m.ClaimsSupported.Key), Message: "claims_supported"}}
		}
	}
}
