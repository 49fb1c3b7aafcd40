package rules

import (
	"fmt"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
)

// SharedServiceAccount: see docs/shared-service-account.md.
var SharedServiceAccount = &Rule{ID: "shared-service-account", Workspace: checkSharedServiceAccount,
	// how many pipelines may use one credential before it fires
	Threshold: 3}

func checkSharedServiceAccount(p *Pass) {
	threshold := p.Threshold()
	idx := p.index().creds
	uses, ids := firstUses(p)
	for _, id := range ids {
		list := uses[id]
		if len(list) <= threshold {
			continue
		}
		var names []string
		var rel []report.Related
		for _, pu := range list {
			names = append(names, pu.path)
			rel = append(rel, report.Related{Pos: pu.use.pos, Message: "used here"})
		}
		shown := names
		if len(shown) > 5 {
			shown = append(append([]string(nil), names[:5]...), fmt.Sprintf("and %d more", len(names)-5))
		}
		msg := fmt.Sprintf("credential '%s' is used by %d pipelines (more than %d: %s): it must hold the rights of all of them, and none can rotate it alone; give each pipeline its own service account with only the rights it needs",
			id, len(list), threshold, strings.Join(shown, ", "))
		if defs := idx[id]; len(defs) > 0 {
			d := defs[0]
			at := d.c.ID.At
			p.Report(report.Finding{Pos: at.Pos(d.doc.File), End: at.End(d.doc.File), Message: msg, Related: rel})
			continue
		}
		p.Report(report.Finding{Pos: list[0].use.pos, End: list[0].use.end, Message: msg, Related: rel[1:]})
	}
	// personal accounts: at the first use in each pipeline
	for _, id := range ids {
		why, rel := personal(id, idx[id])
		if why == "" {
			continue
		}
		for _, pu := range uses[id] {
			p.Report(report.Finding{Pos: pu.use.pos, End: pu.use.end, Related: rel,
				Message: fmt.Sprintf("credential '%s' looks like a person's account (%s): the pipeline acts with that person's rights and breaks when they leave or change their password; use a service account (or an idToken credential) for this pipeline", id, why)})
		}
	}
}
