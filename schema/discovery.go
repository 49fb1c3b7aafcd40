package schema

import (
	"fmt"
	"net/url"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/loopback"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// namedChecks are the Go checks that discovery.cue names with @check. They
// run only on values that already have the right type.
var namedChecks = map[string]func(w *walker, a at){
	"issuer": checkIssuer,
	"url":    checkURL,
	"rs256":  checkRS256,
}

// conditions are the Go conditions that @requiredUnless names; each reads the
// object that holds the field.
var conditions = map[string]func(obj *yaml.Node) bool{
	"implicitOnly": implicitOnly,
}

// checkIssuer: "URL using the https scheme with no query or fragment
// components" (Discovery 1.0 §3). An http issuer on a loopback host is left
// to the insecure-url rule, which reports it as a note.
func checkIssuer(w *walker, a at) {
	s := a.node.Value
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" {
		w.add(a.node, fmt.Sprintf("`%s` must be an absolute https URL (OpenID Connect Discovery 1.0 §3), not %s", w.path(), quote(s)))
		return
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(s, "#") {
		w.add(a.node, fmt.Sprintf("`%s` must not have a query or fragment component (OpenID Connect Discovery 1.0 §3): %s", w.path(), quote(s)))
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !loopback.Host(u.Hostname()) {
			w.add(a.node, fmt.Sprintf("`%s` must use https (OpenID Connect Discovery 1.0 §3), not http: %s", w.path(), quote(s)))
		}
	default:
		w.add(a.node, fmt.Sprintf("`%s` must use https (OpenID Connect Discovery 1.0 §3), not %s: %s", w.path(), u.Scheme, quote(s)))
	}
}

// checkURL: endpoint fields are URLs; one without scheme or host cannot be
// called.
func checkURL(w *walker, a at) {
	s := a.node.Value
	u, err := url.Parse(s)
	if err == nil && u.Scheme != "" && u.Host != "" {
		return
	}
	w.add(a.node, fmt.Sprintf("`%s` must be an absolute URL with a host, not %s", w.path(), quote(s)))
}

// checkRS256: "The algorithm RS256 MUST be included" (Discovery 1.0 §3).
func checkRS256(w *walker, a at) {
	var algs []string
	for _, it := range tree.Items(a.node) {
		if it.Value == "RS256" {
			return
		}
		algs = append(algs, it.Value)
	}
	if len(algs) == 0 {
		return // the empty array is reported already
	}
	w.add(a.node, fmt.Sprintf("`%s` must include RS256 (OpenID Connect Discovery 1.0 §3), but lists only %s", w.path(), strings.Join(algs, ", ")))
}

// implicitOnly reports whether response_types_supported lists only response
// types without "code": such a provider needs no token endpoint.
func implicitOnly(obj *yaml.Node) bool {
	_, rt := tree.Get(obj, "response_types_supported")
	items := tree.Items(rt)
	if len(items) == 0 {
		return false
	}
	for _, it := range items {
		if it.Kind != yaml.ScalarNode {
			return false
		}
		for _, word := range strings.Fields(it.Value) {
			if word == "code" {
				return false
			}
		}
	}
	return true
}
