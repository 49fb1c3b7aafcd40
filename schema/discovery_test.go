package schema

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/discovery"
)

func parseDiscovery(t testing.TB, path string, data []byte) (*source.File, []report.Finding) {
	t.Helper()
	f := source.NewFile(path, data)
	root, ferr := discovery.ParseJSON(f)
	if ferr != nil {
		t.Fatalf("%s: %v", path, ferr)
	}
	return f, Default().CheckDiscovery(f, root)
}

func goldenLines(fs []report.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%d:%d-%d:%d %s %s\n", f.Pos.Line, f.Pos.Col, f.End.Line, f.End.Col, f.Rule, f.Message)
	}
	return b.String()
}

// TestDiscoveryGolden checks the real provider documents of
// testdata/discovery (see SOURCES.md there) against their .golden files.
// Each golden was reviewed against OpenID Connect Discovery 1.0:
//   - github-actions-token: no authorization_endpoint (REQUIRED); no
//     token_endpoint is fine, response types are id_token only (implicit);
//   - okta-custom-as-oauth-authorization-server-metadata: RFC 8414 metadata
//     without id_token_signing_alg_values_supported (REQUIRED);
//   - dex-legacy-gangway-docs-broken-jwks: http issuer on a non-loopback
//     host, and a jwks_uri without host ("http:/app…");
//   - keycloak-realm-master-localhost-http: http issuer on localhost is the
//     insecure-url rule's note, not this rule's;
//   - okta-org-as-legacy-implicit-only: implicit only, so no token_endpoint
//     is needed;
//   - microsoft-entra-*: tenant_region_scope: null is a field of their own
//     (metadata is open), so it is not judged; the others have none.
func TestDiscoveryGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/discovery/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no discovery fixtures: %v", err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, fs := parseDiscovery(t, filepath.ToSlash(path), data)
			got := goldenLines(fs)
			golden := strings.TrimSuffix(path, ".json") + ".golden"
			if updating() {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got != string(want) {
				t.Errorf("findings:\n%s\nwant:\n%s", got, want)
			}
			root, _ := discovery.ParseJSON(f)
			referenceCheck(t, Default(), f, root, true)
		})
	}
}

// TestCheckDiscovery covers each MUST on small documents.
func TestCheckDiscovery(t *testing.T) {
	const base = `"authorization_endpoint": "https://idp.example.com/authorize",
 "token_endpoint": "https://idp.example.com/token",
 "jwks_uri": "https://idp.example.com/jwks",
 "subject_types_supported": ["public"],`
	for _, tc := range []struct {
		name string
		doc  string
		want []string
	}{
		{"valid, none also offered, unknown fields", `{"issuer": "https://idp.example.com",
 ` + base + `
 "response_types_supported": ["code"],
 "id_token_signing_alg_values_supported": ["RS256", "none"],
 "x_vendor": null, "claims_supported": ["sub"]}`, nil},
		{"issuer http on loopback is left to insecure-url", `{"issuer": "http://127.0.0.1:8080/realms/x",
 ` + base + `
 "response_types_supported": ["code"],
 "id_token_signing_alg_values_supported": ["RS256"]}`, nil},
		{"issuer http on a .localhost name (RFC 6761), as insecure-url allows", `{"issuer": "http://keycloak.localhost./realms/x",
 ` + base + `
 "response_types_supported": ["code"],
 "id_token_signing_alg_values_supported": ["RS256"]}`, nil},
		{"issuer http on a name that merely starts with localhost", `{"issuer": "http://localhost.example.com/realms/x",
 ` + base + `
 "response_types_supported": ["code"],
 "id_token_signing_alg_values_supported": ["RS256"]}`, []string{
			"1:12-1:51 `issuer` must use https (OpenID Connect Discovery 1.0 §3), not http: \"http://localhost.example.com/realms/x\"",
		}},
		{"issuer http on [::1]", `{"issuer": "http://[::1]:8080",
 ` + base + `
 "response_types_supported": ["code"],
 "id_token_signing_alg_values_supported": ["RS256"]}`, nil},
		{"issuer with query and fragment, not https", `{"issuer": "ftp://idp.example.com/?tenant=1#x",
 ` + base + `
 "response_types_supported": ["code"],
 "id_token_signing_alg_values_supported": ["RS256"]}`, []string{
			"1:12-1:47 `issuer` must not have a query or fragment component (OpenID Connect Discovery 1.0 §3): \"ftp://idp.example.com/?tenant=1#x\"",
			"1:12-1:47 `issuer` must use https (OpenID Connect Discovery 1.0 §3), not ftp: \"ftp://idp.example.com/?tenant=1#x\"",
		}},
		{"wrong types, empty arrays, null, no RS256", `{"issuer": "https://idp.example.com",
 ` + base + `
 "response_types_supported": "code",
 "id_token_signing_alg_values_supported": ["HS256"],
 "scopes_supported": [],
 "claims_parameter_supported": "true",
 "userinfo_endpoint": null,
 "grant_types_supported": ["authorization_code", 7]}`, []string{
			"6:30-6:36 `response_types_supported` must be a non-empty JSON array of strings, not the string \"code\"",
			"7:43-7:44 `id_token_signing_alg_values_supported` must include RS256 (OpenID Connect Discovery 1.0 §3), but lists only HS256",
			"8:22-8:23 `scopes_supported` is an empty array: a field without values MUST be omitted (OpenID Connect Discovery 1.0 §4.2)",
			"9:32-9:38 `claims_parameter_supported` must be a boolean (true or false), not the string \"true\"",
			"10:23-10:27 `userinfo_endpoint` must be a string, not null: omit a field that has no value",
			"11:50-11:51 `grant_types_supported[1]` must be a string, not the number 7",
		}},
		{"required fields missing; token_endpoint needed for code", `{
 "issuer": "https://idp.example.com",
 "response_types_supported": ["code id_token"],
 "subject_types_supported": [],
 "id_token_signing_alg_values_supported": ["RS256"]}`, []string{
			"1:1-1:2 the provider metadata has no `authorization_endpoint`, which OpenID Connect Discovery 1.0 §3 makes REQUIRED",
			"1:1-1:2 the provider metadata has no `jwks_uri`, which OpenID Connect Discovery 1.0 §3 makes REQUIRED",
			"1:1-1:2 the provider metadata has no `token_endpoint`: it is REQUIRED (OpenID Connect Discovery 1.0 §3) unless the provider supports only the implicit flow, and `response_types_supported` lists a code flow",
			"4:29-4:30 `subject_types_supported` is an empty array: it is REQUIRED and must list at least one value",
		}},
		{"not an object", `["https://idp.example.com"]`, []string{
			"1:1-1:2 provider metadata must be a JSON object, not an array",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, fs := parseDiscovery(t, "openid-configuration.json", []byte(tc.doc))
			got := formatFindings(fs)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			for _, fi := range fs {
				if fi.Rule != RuleDiscovery || fi.Severity != report.Error {
					t.Errorf("bad finding metadata: %+v", fi)
				}
			}
			root, _ := discovery.ParseJSON(f)
			referenceCheck(t, Default(), f, root, true)
		})
	}
}
