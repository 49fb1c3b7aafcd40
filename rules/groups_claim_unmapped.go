package rules

import (
	"fmt"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
)

// GroupsClaimUnmapped: see docs/groups-claim-unmapped.md.
var GroupsClaimUnmapped = &Rule{ID: "groups-claim-unmapped", Workspace: checkGroupsClaimUnmapped}

func checkGroupsClaimUnmapped(p *Pass) {
	for _, ad := range authorizations(p) {
		r := ad.realm
		if r == nil || r.GroupsField.NonEmpty() {
			continue
		}
		for _, g := range ad.a.Grants {
			if g.Kind != jcasc.SIDGroup || len(g.Permissions) == 0 {
				continue
			}
			if sid := grantSID(ad, g); sid.builtin != "" || sid.kind != sidOK {
				continue // a built-in (in any case the realm folds), or builtin-sid-typo's finding
			}
			f := p.ReportAt(ad.doc.File, g.Node, fmt.Sprintf(
				"group %q is granted permissions, but the oic realm reads no groups claim (groupsFieldName is unset), so no OIDC user is ever in this group: set groupsFieldName to the claim that carries groups (e.g. groups, roles, realm_access.roles)",
				g.Name))
			f.Related = []report.Related{{Pos: r.Key.Pos(r.File), Message: "the oic realm"}}
		}
	}
}
