package rules

import (
	"fmt"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
)

// PKCEDisabled: see docs/pkce-disabled.md.
var PKCEDisabled = &Rule{ID: "pkce-disabled", Workspace: checkPKCE}

func checkPKCE(p *Pass) {
	for _, r := range p.WS.Realms() {
		if r.PKCE.On() || r.PKCE.Variable {
			continue
		}
		m := p.WS.MetadataFor(r)
		if m == nil || !m.CodeChallengeMethods.Has("S256") {
			continue
		}
		at := r.Key
		if r.PKCE.Set() {
			at = r.PKCE.Node()
		}
		f := p.ReportAt(r.File, at, fmt.Sprintf(
			"the provider supports PKCE (S256 in code_challenge_methods_supported of %s) but the realm does not use it: enable it (pkceEnabled: true, or `- pkce` under properties: from oic-auth 4.600) so a stolen authorization code is useless",
			m.Name()))
		f.Related = []report.Related{{Pos: m.Pos(m.CodeChallengeMethods.Key), Message: "code_challenge_methods_supported"}}
		if r.PKCE.Set() {
			f.Fix = replaceScalar(r.File, r.PKCE.Node(), "true", "enable PKCE")
		}
	}
}
