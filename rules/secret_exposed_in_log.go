package rules

import (
	"fmt"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jenkinsfile"
)

// SecretExposedInLog: see docs/secret-exposed-in-log.md.
var SecretExposedInLog = &Rule{ID: "secret-exposed-in-log", Pipeline: checkSecretExposed}

func checkSecretExposed(p *Pass, pf *jenkinsfile.File) {
	seen := seenAt{}
	for _, st := range pf.Steps {
		if st.Text == nil || !exposureMaybe(st.Text.S, st) {
			continue
		}
		vars := scopeMap(st)
		if vars == nil {
			continue
		}
		sc := scriptOf(p, pf, st)
		if sc == nil {
			continue
		}
		captured := false
		if c, ok := st.Call.Named("returnStdout").(*jenkinsfile.Const); ok && c.Tok.Text == "true" {
			captured = true
		}
		for _, x := range exposedInScript(sc, vars, captured) {
			if seen.first(pf.Src.Path, sc.Offset(x.s)) {
				fd := scriptFinding(sc, x.s, x.e, x.msg)
				fd.Related = boundHere(pf, x.v)
				p.Report(fd)
			}
		}
	}
	for _, st := range pf.Echoes {
		vars := scopeMap(st)
		if vars == nil {
			continue
		}
		for _, h := range groovyPrinted(st, vars) {
			if !seen.first(pf.Src.Path, h.s) {
				continue
			}
			what := "the credential variable " + h.v.Name
			if h.sliced {
				what = "a transformed value of the credential variable " + h.v.Name
			}
			p.Report(report.Finding{
				Pos: pf.PosAt(h.s), End: pf.PosAt(h.e),
				Message: fmt.Sprintf("%s writes %s (bound by %s) to the build log: Jenkins masks only the exact bound value in the console, not encoded, split or sliced forms, and logs travel further than the credential; do not print secrets (test presence instead)",
					st.Name, what, bindingDesc(h.v.Binding)),
				Related: boundHere(pf, h.v),
			})
		}
	}
}
