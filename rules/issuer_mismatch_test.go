package rules

import (
	"strings"
	"testing"
)

func TestWellKnownProblem(t *testing.T) {
	const s = "/.well-known/openid-configuration"
	for _, tc := range []struct{ in, fixed string }{
		{"https://a.example/r/x" + s, ""},
		{"https://a.example" + s + "?p=B2C_1_signin", ""},
		{"https://a.example/r/x" + s + "/", "https://a.example/r/x" + s},
		{"https://a.example/r/x" + s + ".json", "https://a.example/r/x" + s},
		{"https://a.example/r/x/.Well-Known/OpenID-Configuration", "https://a.example/r/x" + s},
		// letters whose lower case has another length before it
		// (strings.ToLower made İ three bytes, the Kelvin sign one, and an
		// invalid byte three): the fix was cut at the wrong byte
		{"https://a.example/\u0130/.WELL-KNOWN/openid-configuration", "https://a.example/\u0130" + s},
		{"https://a.example/\u212a\u212a/.WELL-KNOWN/openid-configuration", "https://a.example/\u212a\u212a" + s},
		{"https://a.example/\xb5/.WELL-KNOWN/openid-configuration", "https://a.example/\xb5" + s},
		{"https://a.example/r/x/openid-configuration", "https://a.example/r/x" + s},
		{"https://a.example/r/x/.wellknown/openid-configuration/", "https://a.example/r/x" + s},
		{"https://a.example/r/x/", "https://a.example/r/x" + s},
		{"https://a.example", "https://a.example" + s},
		{"https://a.example/r/x?p=1", "https://a.example/r/x" + s + "?p=1"},
		{"https://a.example/oauth2/v1/keys", "-"},
		{"https://a.example/.well-known/oauth-authorization-server", "-"},
	} {
		problem, fixed := wellKnownProblem(tc.in)
		switch {
		case tc.fixed == "" && problem != "":
			t.Errorf("%q: unexpected problem %q", tc.in, problem)
		case tc.fixed == "-" && (problem == "" || fixed != ""):
			t.Errorf("%q: want a problem without a fix, got %q, %q", tc.in, problem, fixed)
		case tc.fixed != "" && tc.fixed != "-" && (problem == "" || fixed != tc.fixed):
			t.Errorf("%q: got %q, fix %q; want fix %q", tc.in, problem, fixed, tc.fixed)
		}
	}
	for _, v := range []string{"${KEYCLOAK_URL}/realms/x", "{{ .Values.url }}", "<%= @url %>", "not a url", "https://"} {
		if p, _ := wellKnownProblem(v); p != "" {
			t.Errorf("%q is not judged, got %q", v, p)
		}
	}
}

// FuzzWellKnownProblem: a suggested well-known URL is itself right, and
// keeps the query.
func FuzzWellKnownProblem(f *testing.F) {
	for _, s := range []string{"https://a.example/r/x/.well-known/openid-configuration/", "https://a.example/x/openid-configuration?p=1", "https://a.example", "http://[::1]:8080/x#f", "https://a/b/.WELL-KNOWN/openid-configuration"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		problem, fixed := wellKnownProblem(in)
		if problem == "" || fixed == "" {
			return
		}
		if p, _ := wellKnownProblem(fixed); p != "" {
			t.Errorf("fix %q of %q has a problem: %s", fixed, in, p)
		}
		if _, q := splitQuery(strings.TrimSpace(in)); !strings.HasSuffix(fixed, q) {
			t.Errorf("fix %q of %q lost the query %q", fixed, in, q)
		}
	})
}
