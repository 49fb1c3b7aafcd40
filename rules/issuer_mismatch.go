package rules

import (
	"fmt"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// IssuerMismatch: see docs/issuer-mismatch.md.
var IssuerMismatch = &Rule{ID: "issuer-mismatch", Workspace: checkIssuerMismatch}

func checkIssuerMismatch(p *Pass) {
	for _, r := range p.WS.Realms() {
		wk := r.WellKnownURL
		// A well-known URL whose path is wrong is reported on its own, with
		// or without provider metadata; it is then not compared with the
		// metadata's issuer as well (one finding, one fix, on that node).
		wkReported := false
		if wk.NonEmpty() {
			if problem, fixed := wellKnownProblem(wk.Value); problem != "" {
				f := p.ReportAt(r.File, wk.At(), fmt.Sprintf("well-known URL %q %s", wk.Value, problem))
				if fixed != "" {
					f.Fix = replaceScalar(r.File, wk.Node(), fixed, "point the well-known URL at "+jcasc.WellKnownSuffix)
				}
				wkReported = true
			}
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
		isWK := at.Set() && at.Name() == "wellKnownOpenIDConfigurationUrl"
		if isWK {
			// OpenID Connect Discovery 1.0 §4: the discovery URL is the issuer
			// less a terminating "/", plus the well-known suffix.
			what = "the issuer implied by the well-known URL"
			base, query := splitQuery(strings.TrimSpace(at.Value))
			got = strings.TrimSuffix(base, jcasc.WellKnownSuffix)
			want = strings.TrimSuffix(want, "/")
			replacement = want + jcasc.WellKnownSuffix + query
		}
		if got != want && !(isWK && wkReported) {
			f := p.ReportAt(r.File, at.At(), fmt.Sprintf(
				"%s %q differs from the provider metadata's issuer %q (%s): id tokens carry the provider's issuer in `iss` and are rejected unless it matches character for character; diff: %s",
				what, got, want, m.Name(), charDiff(got, want)))
			f.Related = related
			f.Fix = replaceScalar(r.File, at.Node(), replacement, "use the provider metadata's issuer")
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
			f := p.ReportAt(r.File, e.Value.At(), fmt.Sprintf(
				"%s %q differs from the provider metadata's %s %q (%s); diff: %s",
				e.Field, e.Value.Value, e.MetadataField, mv.Value, m.Name(), charDiff(e.Value.Value, mv.Value)))
			f.Related = []report.Related{{Pos: m.Pos(mv.Node), Message: fmt.Sprintf("the provider's %s", e.MetadataField)}}
			f.Fix = replaceScalar(r.File, e.Value.Node(), mv.Value, "use the provider metadata's "+e.MetadataField)
		}
	}
}

// splitQuery splits a URL before its query or fragment: Azure AD B2C's
// discovery URLs carry the user flow in one (…/openid-configuration?p=B2C_1_signin).
func splitQuery(u string) (base, rest string) {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		return u[:i], u[i:]
	}
	return u, ""
}

// endpointNames are last path segments of token, authorization, key and
// user-info endpoints: a well-known URL ending in one was copied from the
// wrong field, so appending the suffix would not fix it.
func endpointNames(s string) bool {
	switch s {
	case "auth", "authorize", "token", "certs", "jwks", "jwks.json",
		"keys", "userinfo", "logout", "revoke", "introspect":
		return true
	}
	return false
}

// lowerASCII lowers A–Z only, so that an index into its result is one into
// s: strings.ToLower turns each invalid UTF-8 byte into three.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// wellKnownProblem says what is wrong with the path of a well-known URL
// (it must end in /.well-known/openid-configuration; a query may follow), and
// the URL it should be when that is mechanical ("" when not). A variable or
// another templating layer's expression is not judged, nor a value that is
// not an absolute URL.
func wellKnownProblem(raw string) (problem, fixed string) {
	v := strings.TrimSpace(raw)
	if tree.IsVariable(v) || strings.Contains(v, "{{") || strings.Contains(v, "<%") {
		return "", ""
	}
	base, query := splitQuery(v)
	i := strings.Index(base, "://")
	if i <= 0 {
		return "", ""
	}
	slash := strings.IndexByte(base[i+3:], '/')
	if slash < 0 {
		slash = len(base) - i - 3
	}
	origin, path := base[:i+3+slash], base[i+3+slash:]
	if origin == base[:i+3] {
		return "", "" // no host
	}
	const suffix = jcasc.WellKnownSuffix
	if strings.HasSuffix(path, suffix) {
		return "", ""
	}
	generic := fmt.Sprintf("does not end in %q: the plugin fetches exactly this URL, so point it at the provider's discovery document", suffix)
	if j := strings.Index(path, suffix); j >= 0 {
		return generic, origin + path[:j+len(suffix)] + query
	}
	if j := strings.Index(lowerASCII(path), suffix); j >= 0 {
		return fmt.Sprintf("spells %q as %q: URL paths are case-sensitive, and the discovery document lives at %q", suffix, path[j:j+len(suffix)], suffix),
			origin + path[:j] + suffix + query
	}
	segs := strings.Split(strings.TrimRight(path, "/"), "/")
	last := strings.ToLower(segs[len(segs)-1])
	switch {
	case last == "openid-configuration" || last == "openid-configuration.json":
		keep := segs[:len(segs)-1]
		if n := len(keep); n > 0 && isWellKnownTypo(keep[n-1]) {
			keep = keep[:n-1]
		}
		return fmt.Sprintf("does not end in %q: discovery documents live under /.well-known/ (RFC 8615), so the provider answers this URL with an error page", suffix),
			origin + strings.Join(keep, "/") + suffix + query
	case last == "oauth-authorization-server" && len(segs) >= 2 && segs[len(segs)-2] == ".well-known":
		return fmt.Sprintf("is OAuth 2.0 authorization server metadata (RFC 8414), not an OpenID Connect discovery document: the oic realm reads %q (most providers serve both)", suffix), ""
	case endpointNames(last):
		return fmt.Sprintf("does not end in %q and looks like an endpoint (%q), not the discovery document: point it at the provider's issuer plus %q", suffix, last, suffix), ""
	}
	return fmt.Sprintf("does not end in %q: the plugin fetches exactly this URL, which is not a discovery document; the discovery URL is the provider's issuer (less a trailing /) plus %q", suffix, suffix),
		origin + strings.TrimRight(path, "/") + suffix + query
}

// isWellKnownTypo reports a path segment that was meant to be .well-known.
func isWellKnownTypo(seg string) bool {
	switch strings.ToLower(seg) {
	case ".well-known", "well-known", ".well_known", ".wellknown", "wellknown", "well_known", ".well-know", ".well-knwon":
		return true
	}
	return false
}
