package rules

import (
	"fmt"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jenkinsfile"
)

// CredentialBindingMismatch: see docs/credential-binding-mismatch.md.
var CredentialBindingMismatch = &Rule{ID: "credential-binding-mismatch", Pipeline: checkBindingMismatch}

func checkBindingMismatch(p *Pass, pf *jenkinsfile.File) {
	idx := p.index().creds
	if len(idx) == 0 {
		return
	}
	for _, u := range pf.Uses {
		id, ok := literalID(u.ID)
		if !ok || len(idx[id]) == 0 {
			continue
		}
		kind := u.Kind
		if u.Binding != nil {
			kind = u.Binding.Kind
		}
		needs := bindingNeeds(kind)
		if needs == nil {
			continue
		}
		fits := false
		var rel []report.Related
		var kinds []string
		for _, d := range idx[id] {
			bt := d.c.BindingType()
			if bt == "" || contains(needs, bt) {
				fits = true
				break
			}
			rel = append(rel, report.Related{Pos: d.c.KindAt.Pos(d.doc.File), Message: fmt.Sprintf("'%s' is defined here as %s", id, d.c.Kind)})
			kinds = append(kinds, kindNote(d.c))
		}
		if fits {
			continue
		}
		pos, end, what := useWord(pf, u)
		def := idx[id][0].c
		bt := def.BindingType()
		fails := "the step fails when it runs"
		if u.Binding != nil {
			// credentials-binding's MultiBinding.getCredentials
			if shown, expected := kindDisplayNames()[def.Kind], bindingTypeNames()[u.Binding.Kind]; shown != "" && expected != "" {
				fails = fmt.Sprintf("the build fails with \"Credentials '%s' is of type '%s' where '%s' was expected\" when this runs", id, shown, expected)
			}
		}
		p.Report(report.Finding{
			Pos: pos, End: end, Related: rel,
			Message: fmt.Sprintf("%s cannot read credential '%s': the loaded JCasC defines it as %s, so %s; read it with %s",
				what, id, strings.Join(kinds, " and "), fails, fittingBindings()[bt]),
		})
	}
}
