package rules

import (
	"fmt"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
)

// AdminGrantedBroadly: see docs/admin-granted-broadly.md.
var AdminGrantedBroadly = &Rule{ID: "admin-granted-broadly", Workspace: checkAdminBroadly}

func checkAdminBroadly(p *Pass) {
	for _, ad := range authorizations(p) {
		a, f, realm := ad.a, ad.doc.File, ad.realm
		switch a.Strategy {
		case "loggedInUsersCanDoAnything":
			if realm != nil {
				fd := p.ReportAt(f, a.StrategyKey, "loggedInUsersCanDoAnything makes every user the OIDC provider signs in an administrator (everyone in the directory, contractors included): map OIDC groups to roles with role-strategy or matrix-auth")
				fd.Related = []report.Related{{Pos: realm.Key.Pos(realm.File), Message: "the oic realm"}}
			}
			continue
		case "unsecured":
			p.ReportAt(f, a.StrategyKey, "authorization is `unsecured`: everyone, signed in or not, can do anything; map OIDC groups to roles with role-strategy or matrix-auth")
			continue
		}
		for _, g := range a.Grants {
			if !broadSID(ad, g) {
				continue
			}
			if perm, ok := hasAdmin(g.Permissions); ok {
				via := ""
				if g.Role != nil {
					via = fmt.Sprintf(" through role %q", g.Role.Name.Value)
				}
				fd := p.ReportAt(f, g.Node, fmt.Sprintf("Overall/Administer goes to %q%s: every %s is an administrator; grant it to a named admin group instead",
					g.Name, via, sidWho(g.Name)))
				if g.Role != nil {
					fd.Related = []report.Related{{Pos: perm.Node.Pos(f), Message: "Overall/Administer in role " + g.Role.Name.Value}}
				}
				continue
			}
			if g.Role != nil && g.Role.Type == jcasc.ItemRole && coversAll(g.Role.Pattern.Value) && hasAll(g.Role.Permissions, jobPermissions) {
				p.ReportAt(f, g.Node, fmt.Sprintf("items role %q with pattern %q gives %q every job permission on every job: scope the pattern to a folder, or grant it to a named group",
					g.Role.Name.Value, g.Role.Pattern.Value, g.Name))
			}
		}
	}
}
