package rules

import (
	"fmt"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/loopback"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// InsecureURL: see docs/insecure-url.md.
var InsecureURL = &Rule{ID: "insecure-url", Workspace: checkInsecureURL}

// IsLoopbackURL reports whether u names localhost or a loopback address.
// Only the host is read, so a port that is a JCasC variable or another
// templating layer's expression (http://localhost:${PORT}/…,
// http://127.0.0.1:{{ .Values.port }}/…) does not hide a loopback host; a
// host that is itself a variable is not known to be loopback.
func IsLoopbackURL(raw string) bool {
	h := urlHost(raw)
	if h == "" || strings.ContainsAny(h, "${}<> ") {
		return false
	}
	return loopback.Host(h)
}

// urlHost is the host of an absolute URL (brackets of an IPv6 literal
// removed), read by hand because url.Parse refuses a port such as ${PORT}.
func urlHost(raw string) string {
	raw = strings.TrimSpace(raw)
	i := strings.Index(raw, "://")
	if i <= 0 {
		return ""
	}
	auth := raw[i+3:]
	if j := strings.IndexAny(auth, "/?#"); j >= 0 {
		auth = auth[:j]
	}
	if j := strings.LastIndexByte(auth, '@'); j >= 0 {
		auth = auth[j+1:]
	}
	if strings.HasPrefix(auth, "[") {
		j := strings.IndexByte(auth, ']')
		if j < 0 {
			return ""
		}
		return auth[1:j]
	}
	if j := strings.IndexByte(auth, ':'); j >= 0 {
		auth = auth[:j]
	}
	return auth
}

func checkInsecureURL(p *Pass) {
	check := func(f *source.File, field string, v tree.Scalar) {
		if !v.NonEmpty() || !strings.HasPrefix(strings.ToLower(strings.TrimSpace(v.Value)), "http://") {
			return
		}
		if IsLoopbackURL(v.Value) {
			p.Report(report.Finding{Severity: report.Note, Pos: v.At().Pos(f), End: v.At().End(f),
				Message: fmt.Sprintf("%s uses http:// on a loopback host: fine for a local test provider, never for a shared controller", field)})
			return
		}
		fx := replaceScalar(f, v.Node(), "https://"+strings.TrimSpace(v.Value)[len("http://"):], "use https://")
		fd := p.ReportAt(f, v.At(), fmt.Sprintf("%s %q uses http://: tokens, codes and client secrets cross the network in clear text; use https://", field, v.Value))
		fd.Fix = fx
	}
	for _, r := range p.WS.Realms() {
		check(r.File, fieldName(r.WellKnownURL, "wellKnownOpenIDConfigurationUrl"), r.WellKnownURL)
		check(r.File, "issuer", r.Issuer)
		for _, e := range r.Endpoints() {
			check(r.File, e.Field, e.Value)
		}
	}
	// In provider metadata only non-loopback endpoints matter: a local test
	// provider is reported once, on the realm that uses it, and an http
	// issuer is a discovery-invalid error.
	if !p.WS.OwnsShared() {
		return
	}
	for _, m := range p.WS.Metadata {
		for _, e := range m.Endpoints() {
			if !IsLoopbackURL(e.Value.Value) {
				check(m.File, e.Field, tree.ScalarFrom(m.File, e.Value))
			}
		}
	}
}

func fieldName(s tree.Scalar, def string) string {
	if s.Set() {
		return s.Name()
	}
	return def
}
