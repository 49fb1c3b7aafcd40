package rules

import (
	"fmt"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
)

func init() {
	register("pkce-disabled", checkPKCE)
	register("manual-endpoints", checkManualEndpoints)
}

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
			at = r.PKCE.Node
		}
		f := p.ReportNode(r.File, at, fmt.Sprintf(
			"the provider supports PKCE (S256 in code_challenge_methods_supported of %s) but the realm does not use it: enable it (pkceEnabled: true, or `- pkce` under properties: from oic-auth 4.600) so a stolen authorization code is useless",
			m.Name()))
		f.Related = []report.Related{{Pos: m.Pos(m.CodeChallengeMethods.Key), Message: "code_challenge_methods_supported"}}
		if r.PKCE.Set() {
			f.Fix = replaceScalar(r.File, r.PKCE.Node, "true", "enable PKCE")
		}
	}
}

func checkManualEndpoints(p *Pass) {
	for _, r := range p.WS.Realms() {
		if r.Mode != jcasc.ModeManual || r.ModeNode == nil {
			continue
		}
		m := p.WS.MetadataFor(r)
		if m == nil {
			continue
		}
		f := p.ReportNode(r.File, r.ModeNode, fmt.Sprintf(
			"endpoints are configured by hand although the provider publishes a discovery document (%s): use serverConfiguration.wellKnown so endpoint and key changes are picked up",
			m.Name()))
		f.Related = []report.Related{{Pos: m.Pos(m.Issuer.Key), Message: "the provider's discovery document"}}
	}
}
