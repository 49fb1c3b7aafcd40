package rules

import (
	"fmt"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// MissingOpenIDScope: see docs/missing-openid-scope.md.
var MissingOpenIDScope = &Rule{ID: "missing-openid-scope", Workspace: checkOpenIDScope}

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
		f := p.ReportAt(r.File, r.ScopesField.At(), fmt.Sprintf(
			"%s %q does not request `openid`: without it the provider runs plain OAuth 2.0 and returns no id token; add `openid`",
			r.ScopesField.Name(), r.ScopesField.Value))
		if r.ScopesField.NonEmpty() {
			f.Fix = replaceScalar(r.File, r.ScopesField.Node(), strings.TrimSpace("openid "+r.ScopesField.Value), "add openid to the scopes")
		}
	}
}
