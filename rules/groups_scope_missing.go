package rules

import (
	"fmt"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
)

// GroupsScopeMissing: see docs/groups-scope-missing.md.
var GroupsScopeMissing = &Rule{ID: "groups-scope-missing", Workspace: checkGroupsScopeMissing}

func checkGroupsScopeMissing(p *Pass) {
	for _, r := range p.WS.Realms() {
		if !r.GroupsField.NonEmpty() || scopesVariable(r) {
			continue
		}
		m := p.WS.MetadataFor(r)
		if m == nil || !m.ScopesSupported.Has("groups") || r.HasScope("groups") {
			continue
		}
		if r.Mode == jcasc.ModeWellKnown && !r.ScopesField.Set() {
			continue // wellKnown without an override requests every listed scope
		}
		at := r.ScopesField.At()
		msg := fmt.Sprintf("the realm reads groups from %q and the provider offers a `groups` scope (%s), but the realm does not request it: many providers then leave the claim out; add groups to the scopes",
			r.GroupsField.Value, m.Name())
		if at.IsZero() {
			at = r.GroupsField.At()
			msg = fmt.Sprintf("the realm reads groups from %q and the provider offers a `groups` scope (%s), but the realm requests the default scopes (openid email): set scopes to include groups",
				r.GroupsField.Value, m.Name())
		}
		f := p.ReportAt(r.File, at, msg)
		f.Related = []report.Related{{Pos: m.Pos(m.ScopesSupported.Key), Message: "scopes_supported"}}
		if r.ScopesField.NonEmpty() {
			f.Fix = replaceScalar(r.File, r.ScopesField.Node(), strings.TrimSpace(r.ScopesField.Value)+" groups", "request the groups scope")
		}
	}
}
