package rules

import (
	"fmt"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
)

// ScopeNotSupported: see docs/scope-not-supported.md.
var ScopeNotSupported = &Rule{ID: "scope-not-supported", Workspace: checkScopeSupported}

func checkScopeSupported(p *Pass) {
	for _, r := range p.WS.Realms() {
		if scopesVariable(r) {
			continue
		}
		m := p.WS.MetadataFor(r)
		if m == nil || len(m.ScopesSupported.Values) == 0 {
			continue
		}
		for _, w := range r.Scopes {
			if m.ScopesSupported.Has(w.Value) {
				continue
			}
			pos := r.File.Pos(w.Line, w.Col)
			end := r.File.Pos(w.Line, w.Col+len([]rune(w.Value)))
			p.Report(report.Finding{Pos: pos, End: end,
				Message: fmt.Sprintf("scope %q is not in the provider's scopes_supported (%s): the provider may answer invalid_scope; supported: %s",
					w.Value, m.Name(), strings.Join(m.ScopesSupported.Values, " ")),
				Related: []report.Related{{Pos: m.Pos(m.ScopesSupported.Key), Message: "scopes_supported"}},
			})
		}
	}
}
