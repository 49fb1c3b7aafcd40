package report

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// Source files of the fixture. The secret is already masked, as the engine
// leaves it; unshownLine is on a line no finding points at.
const (
	unshownLine = "UNSHOWN-LINE-SENTINEL"
	cascYAML    = "jenkins:\n" +
		"  securityRealm:\n" +
		"    oic:\n" +
		"      serverConfiguration:\n" +
		"        manual:\n" +
		"          issuer: \"http://login.example.com/oauth2/default/\"\n" +
		"      clientId: changeme\r\n" + // a CRLF line: the \r is not shown
		"      # Realm für 東京 🔒\n" +
		"      scopes: \"東京 profile email\"\n" +
		"      escapeHatchEnabled: true\n" +
		"      groupsFieldName: groups\n" +
		"      clientSecret: \"********\" # " + unshownLine + "\n"
	jenkinsfile = "pipeline {\n" +
		"\t\tsh 'curl -k https://ci.example.com'\n" +
		"}\n"
	prodYAML = "jenkins:\n" +
		"  securityRealm:\n" +
		"    oic:\n" +
		"      disableTokenVerification: true\n" +
		"      clientId: \"${OIDC_CLIENT_ID}\"\n"
	oktaJSON = "{\n" +
		"  \"issuer\": \"https://login.example.com/oauth2/default\",\n" +
		"  \"scopes_supported\": [\"openid\", \"email\"]\n" +
		"}\n"
)

// nastyMessage has every character the formats must escape.
const nastyMessage = "issuer differs: 100% of \"a,b\": expected https://id.example.com:8443/, got Zürich ✓ %0A %25 <b>&amp; | `x`\r\nsecond line: 東京 ::error::no"

// nastyShown is nastyMessage as every format prints it: its CRLF line
// break is a \n (EscapeMessage).
var nastyShown = strings.ReplaceAll(nastyMessage, "\r\n", "\n")

func pos(path string, line, col int) Position { return Position{Path: path, Line: line, Col: col} }

// fixture is the shared report behind every golden file: several files, all
// severities, related positions, a fix, parse errors, a nasty message, a
// column after multi-byte characters, tabs, a span over two lines, a
// position past the end of its line, a whole-file finding and a file whose
// contents the report does not carry.
func fixture() *Report {
	const casc, jf, prod, okta = "casc/jenkins.yaml", "Jenkinsfile", "conf d/prod,eu.yaml", "discovery/okta.json"
	return &Report{
		Tool:    "jenkins-oidc-lint",
		Version: "1.2.3",
		InfoURI: "https://github.com/jenkins-oidc-lint/jenkins-oidc-lint",
		Root:    "/home/ci/work/repo",
		Files: map[string][]byte{
			casc: []byte(cascYAML),
			jf:   []byte(jenkinsfile),
			prod: []byte(prodYAML),
			okta: []byte(oktaJSON),
		},
		Errors: []FileError{
			{Pos: pos("broken.yaml", 3, 5), Message: "invalid YAML: mapping values are not allowed in this context"},
			{Pos: pos("secrets.json", 1, 1), Message: "invalid JSON: unexpected end of input"},
		},
		Versions: []string{"ci: Jenkins 2.462.3, oic-auth 4.600.vd5a_61e076596, role-strategy latest (ci/Dockerfile, ci/plugins.txt)"},
		Notes: []FileError{
			{Pos: Position{Path: "chart/templates/casc.yaml"}, Message: "skipped: it holds template expressions ({{ … }}), so it is YAML only once rendered"},
			{Pos: pos("values.yaml", 4, 13), Message: "skipped controller.JCasC.configScripts.oidc: it holds template expressions ({{ … }}), so it is YAML only once the chart renders it"},
		},
		Findings: []Finding{
			{Rule: "tls-verification-disabled", Severity: Error, Pos: pos(jf, 2, 12), End: pos(jf, 2, 14),
				Message: "curl -k turns off TLS certificate verification", Fingerprint: "0a1b2c3d4e5f6071"},
			{Rule: "pkce-disabled", Severity: Warning, Pos: pos(casc, 4, 27),
				Message: "the provider supports PKCE (S256) but the realm does not enable it; set pkceEnabled: true", Fingerprint: "1b2c3d4e5f607182"},
			{Rule: "issuer-mismatch", Severity: Error, Pos: pos(casc, 6, 19), End: pos(casc, 6, 61),
				Message:     `issuer "http://login.example.com/oauth2/default/" differs from the provider's "https://login.example.com/oauth2/default"`,
				Related:     []Related{{Pos: pos(okta, 2, 13), Message: "the provider's issuer"}},
				Fix:         &Fix{Path: casc, Offset: 120, Length: 42, Replacement: `"https://login.example.com/oauth2/default"`, Description: "use the provider's issuer"},
				Fingerprint: "2c3d4e5f60718293"},
			{Rule: "insecure-url", Severity: Error, Pos: pos(casc, 6, 20), End: pos(casc, 6, 27),
				Message: "the issuer uses http://; use https://", Fingerprint: "3d4e5f60718293a4"},
			{Rule: "missing-client-id", Severity: Error, Pos: pos(casc, 7, 17), End: pos(casc, 7, 25),
				Message: `clientId "changeme" is a placeholder`, Fingerprint: "4e5f60718293a4b5"},
			{Rule: "scope-not-supported", Severity: Warning, Pos: pos(casc, 9, 19), End: pos(casc, 9, 26),
				Message:     `scope "profile" is not in the provider's scopes_supported`,
				Related:     []Related{{Pos: pos(okta, 3, 23), Message: "scopes_supported"}, {Pos: pos("elsewhere.json", 0, 0), Message: "another metadata file"}},
				Fingerprint: "5f60718293a4b5c6"},
			{Rule: "escape-hatch-enabled", Severity: Warning, Pos: pos(casc, 10, 7), End: pos(casc, 10, 31),
				Message: "the escape hatch bypasses the provider", Fingerprint: "60718293a4b5c6d7"},
			{Rule: "claim-not-supported", Severity: Note, Pos: pos(casc, 11, 24), End: pos(casc, 11, 30),
				Message: "the groups claim \"groups\" is not in claims_supported\nadd a groups mapper to the client scope", Fingerprint: "718293a4b5c6d7e8"},
			{Rule: "token-validation-disabled", Severity: Error, Pos: pos(prod, 4, 7), End: pos(prod, 5, 1),
				Message: nastyMessage, Fingerprint: "8293a4b5c6d7e8f9"},
			{Rule: "claim-not-supported", Severity: Note, Pos: Position{Path: okta},
				Message: "the metadata lists no claims_supported; claim checks were skipped", Fingerprint: "93a4b5c6d7e8f90a"},
			{Rule: "missing-openid-scope", Severity: Error, Pos: pos("stdin.yaml", 3, 7), End: pos("stdin.yaml", 3, 20),
				Message: `scopes "profile email" lack openid`, Fingerprint: "a4b5c6d7e8f90a1b"},
		},
		Rules: fixtureRules(),
	}
}

// fixtureRules are sorted by ID and lack parse-error on purpose (SARIF must
// add it); admin-granted-broadly has no finding; escape-hatch-enabled has no
// Description, Help or tags.
func fixtureRules() []RuleMeta {
	rule := func(id string, s Severity, sum string) RuleMeta {
		return RuleMeta{ID: id, Severity: s, Summary: sum,
			Description: sum + ". A longer paragraph explains why it matters.",
			Help:        "# " + id + "\n\n" + sum + ".\n\n**Fix:** see the example.\n",
			HelpURI:     "https://github.com/jenkins-oidc-lint/jenkins-oidc-lint/blob/main/rules/docs/" + id + ".md",
			Tags:        []string{"security", "oidc"}}
	}
	rs := []RuleMeta{
		rule("admin-granted-broadly", Error, "Overall/Administer is granted to everyone"),
		rule("claim-not-supported", Note, "A claim the realm reads is not advertised"),
		{ID: "escape-hatch-enabled", Severity: Warning, Summary: "The escape hatch is enabled"},
		rule("insecure-url", Error, "An OIDC URL uses plain http"),
		rule("issuer-mismatch", Error, "The realm's issuer differs from the provider's"),
		rule("missing-client-id", Error, "The realm has no real client ID"),
		rule("missing-openid-scope", Error, "The openid scope is not requested"),
		rule("pkce-disabled", Warning, "PKCE is available but not enabled"),
		rule("scope-not-supported", Warning, "A requested scope is not supported"),
		rule("tls-verification-disabled", Error, "TLS verification is disabled"),
		rule("token-validation-disabled", Error, "ID token validation is disabled"),
	}
	rs[4].SecuritySeverity = "8.0"
	rs[4].Precision = "very-high"
	rs[9].SecuritySeverity = "7.5"
	return rs
}

// empty is a run that found nothing.
func empty() *Report {
	return &Report{Tool: "jenkins-oidc-lint", Version: "1.2.3",
		InfoURI: "https://github.com/jenkins-oidc-lint/jenkins-oidc-lint", Root: "/home/ci/work/repo",
		Files: map[string][]byte{"jenkins.yaml": []byte("jenkins: {}\n")}, Rules: fixtureRules()}
}

func out(t *testing.T, format string, r *Report, o Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, format, r, o); err != nil {
		t.Fatalf("Write(%s): %v", format, err)
	}
	return b.Bytes()
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if updating() {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (run go test -update after checking):\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
}

func goldenExt(format string) string {
	switch format {
	case "json", "sarif", "gitlab":
		return ".json"
	case "junit", "checkstyle":
		return ".xml"
	}
	return ".txt"
}

func TestGolden(t *testing.T) {
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			golden(t, format+".golden"+goldenExt(format), out(t, format, fixture(), Options{}))
			golden(t, format+"-empty.golden"+goldenExt(format), out(t, format, empty(), Options{}))
		})
	}
	t.Run("text-color", func(t *testing.T) {
		golden(t, "text-color.golden.txt", out(t, "text", fixture(), Options{Color: true}))
	})
}

// TestDeterministic renders every format twice, from two separately built
// reports (so map iteration differs), and wants the same bytes.
func TestDeterministic(t *testing.T) {
	for _, format := range Formats() {
		for _, color := range []bool{false, true} {
			a := out(t, format, fixture(), Options{Color: color})
			for i := 0; i < 5; i++ {
				if b := out(t, format, fixture(), Options{Color: color}); !bytes.Equal(a, b) {
					t.Fatalf("%s (color %v): two renderings differ", format, color)
				}
			}
		}
	}
}

func TestFormats(t *testing.T) {
	got := Formats()
	want := []string{"checkstyle", "github", "gitlab", "json", "junit", "sarif", "text"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Formats() = %v, want %v", got, want)
	}
	if !slices.IsSorted(got) {
		t.Fatalf("Formats() not sorted: %v", got)
	}
}

func TestUnknownFormat(t *testing.T) {
	var b bytes.Buffer
	err := Write(&b, "yaml", fixture(), Options{})
	if err == nil {
		t.Fatal("Write(yaml) succeeded")
	}
	want := `unknown output format "yaml" (valid formats: checkstyle, github, gitlab, json, junit, sarif, text)`
	if err.Error() != want {
		t.Fatalf("error = %q, want %q", err, want)
	}
	if b.Len() != 0 {
		t.Fatalf("wrote %d bytes for an unknown format", b.Len())
	}
}

type failWriter struct{}

var errBroken = errors.New("broken pipe")

func (failWriter) Write([]byte) (int, error) { return 0, errBroken }

func TestWriteError(t *testing.T) {
	for _, format := range Formats() {
		err := Write(failWriter{}, format, fixture(), Options{})
		if !errors.Is(err, errBroken) {
			t.Errorf("%s: error = %v, want it to wrap %v", format, err, errBroken)
		}
	}
}

func TestNilReport(t *testing.T) {
	for _, format := range Formats() {
		if got, want := out(t, format, nil, Options{}), out(t, format, &Report{}, Options{}); !bytes.Equal(got, want) {
			t.Errorf("%s: nil report renders differently from an empty one", format)
		}
	}
}

// TestNoLeaks checks that formats print only what they may: source text only
// from the lines findings point at, the fix only in json, fingerprints only
// where listed.
func TestNoLeaks(t *testing.T) {
	allowed := map[string][]string{
		"Fix":         {"json"},
		"Fingerprint": {"json", "sarif", "gitlab"},
	}
	for _, format := range Formats() {
		for _, color := range []bool{false, true} {
			out := string(out(t, format, fixture(), Options{Color: color}))
			if strings.Contains(out, unshownLine) {
				t.Errorf("%s: prints a source line no finding points at", format)
			}
			if strings.Contains(out, "use the provider's issuer") != slices.Contains(allowed["Fix"], format) {
				t.Errorf("%s: prints the fix: %v, want %v", format, !slices.Contains(allowed["Fix"], format), slices.Contains(allowed["Fix"], format))
			}
			if strings.Contains(out, "2c3d4e5f60718293") != slices.Contains(allowed["Fingerprint"], format) {
				t.Errorf("%s: prints the fingerprint: %v, want %v", format, !slices.Contains(allowed["Fingerprint"], format), slices.Contains(allowed["Fingerprint"], format))
			}
		}
	}
}

// ShowsSource is true of exactly the formats that read file contents: the
// others render the same report identically when Files only names the files
// (what the CLI hands them, so a large run need not hold every file).
func TestShowsSource(t *testing.T) {
	for _, format := range Formats() {
		full := fixture()
		named := fixture()
		for p := range named.Files {
			named.Files[p] = nil
		}
		same := bytes.Equal(out(t, format, full, Options{}), out(t, format, named, Options{}))
		if same == ShowsSource(format) {
			t.Errorf("%s: ShowsSource is %v, but the output with and without file contents is the same: %v", format, ShowsSource(format), same)
		}
	}
}
