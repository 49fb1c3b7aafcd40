package rules

import (
	"fmt"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

func init() { register("issuer-mismatch", checkIssuerMismatch) }

func checkIssuerMismatch(p *Pass) {
	for _, r := range p.WS.Realms() {
		wk := r.WellKnownURL
		if wk.NonEmpty() && !tree.IsVariable(wk.Value) && !strings.HasSuffix(wk.Value, jcasc.WellKnownSuffix) {
			f := p.ReportNode(r.File, wk.At(), fmt.Sprintf(
				"well-known URL %q does not end in %q: the plugin fetches exactly this URL, so point it at the provider's discovery document",
				wk.Value, jcasc.WellKnownSuffix))
			if i := strings.Index(wk.Value, jcasc.WellKnownSuffix); i > 0 {
				f.Fix = replaceScalar(r.File, wk.Node, wk.Value[:i+len(jcasc.WellKnownSuffix)], "cut the well-known URL after "+jcasc.WellKnownSuffix)
			}
			continue
		}
		m := p.WS.MetadataFor(r)
		if m == nil || !m.Issuer.NonEmpty() {
			continue
		}
		got, at, ok := r.IssuerValue()
		if !ok {
			continue
		}
		want := m.Issuer.Value
		related := []report.Related{{Pos: m.Pos(m.Issuer.Node), Message: fmt.Sprintf("the provider's issuer is %q", want)}}
		what, replacement := "issuer", want
		if at.Key != nil && at.Key.Value == "wellKnownOpenIDConfigurationUrl" {
			// OpenID Connect Discovery 1.0 §4: the discovery URL is the issuer
			// less a terminating "/", plus the well-known suffix.
			what = "the issuer implied by the well-known URL"
			want = strings.TrimSuffix(want, "/")
			replacement = want + jcasc.WellKnownSuffix
		}
		if got != want {
			f := p.ReportNode(r.File, at.At(), fmt.Sprintf(
				"%s %q differs from the provider metadata's issuer %q (%s): id tokens carry the provider's issuer in `iss` and are rejected unless it matches character for character; diff: %s",
				what, got, want, m.Name(), charDiff(got, want)))
			f.Related = related
			f.Fix = replaceScalar(r.File, at.Node, replacement, "use the provider metadata's issuer")
		}
		if r.Mode != jcasc.ModeManual {
			continue
		}
		for _, e := range r.Endpoints() {
			var mv tree.Str
			for _, me := range m.Endpoints() {
				if me.Field == e.MetadataField {
					mv = me.Value
				}
			}
			if !mv.NonEmpty() || tree.IsVariable(e.Value.Value) || e.Value.Value == mv.Value {
				continue
			}
			f := p.ReportNode(r.File, e.Value.At(), fmt.Sprintf(
				"%s %q differs from the provider metadata's %s %q (%s); diff: %s",
				e.Field, e.Value.Value, e.MetadataField, mv.Value, m.Name(), charDiff(e.Value.Value, mv.Value)))
			f.Related = []report.Related{{Pos: m.Pos(mv.Node), Message: fmt.Sprintf("the provider's %s", e.MetadataField)}}
			f.Fix = replaceScalar(r.File, e.Value.Node, mv.Value, "use the provider metadata's "+e.MetadataField)
		}
	}
}
