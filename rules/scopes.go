package rules

import (
	"fmt"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

func init() {
	register("missing-openid-scope", checkOpenIDScope)
	register("scope-not-supported", checkScopeSupported)
}

func scopesVariable(r *jcasc.Realm) bool {
	return r.ScopesField.NonEmpty() && tree.IsVariable(r.ScopesField.Value)
}

func checkOpenIDScope(p *Pass) {
	for _, r := range p.WS.Realms() {
		if !r.ScopesField.Set() || scopesVariable(r) {
			continue // the plugin's default requests openid
		}
		if r.HasScope("openid") {
			continue
		}
		f := p.ReportNode(r.File, r.ScopesField.At(), fmt.Sprintf(
			"%s %q does not request `openid`: without it the provider runs plain OAuth 2.0 and returns no id token; add `openid`",
			r.ScopesField.Key.Value, r.ScopesField.Value))
		if r.ScopesField.NonEmpty() {
			f.Fix = replaceScalar(r.File, r.ScopesField.Node, strings.TrimSpace("openid "+r.ScopesField.Value), "add openid to the scopes")
		}
	}
}

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
