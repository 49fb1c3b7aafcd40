package rules

import (
	"fmt"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
)

// ManualEndpoints: see docs/manual-endpoints.md.
var ManualEndpoints = &Rule{ID: "manual-endpoints", Workspace: checkManualEndpoints}

func checkManualEndpoints(p *Pass) {
	for _, r := range p.WS.Realms() {
		if r.Mode != jcasc.ModeManual || r.ModeNode.IsZero() {
			continue
		}
		m := p.WS.MetadataFor(r)
		if m == nil {
			continue
		}
		f := p.ReportAt(r.File, r.ModeNode, fmt.Sprintf(
			"endpoints are configured by hand although the provider publishes a discovery document (%s): use serverConfiguration.wellKnown so endpoint and key changes are picked up",
			m.Name()))
		f.Related = []report.Related{{Pos: m.Pos(m.Issuer.Key), Message: "the provider's discovery document"}}
	}
}
