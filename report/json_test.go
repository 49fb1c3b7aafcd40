package report

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestJSONSchema(t *testing.T) {
	sch := compileSchema(t, "json-report.schema.json")
	for name, r := range map[string]*Report{"fixture": fixture(), "empty": empty(), "zero": {}} {
		if err := validate(sch, out(t, "json", r, Options{})); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// The schema has teeth: these must fail.
	bad := map[string]string{
		"null findings":   `{"version":"1","tool":{"name":"x","version":"","informationUri":""},"findings":null,"errors":[],"summary":{"errors":0,"warnings":0,"notes":0,"parseErrors":0,"files":0}}`,
		"bad severity":    `{"version":"1","tool":{"name":"x","version":"","informationUri":""},"findings":[{"rule":"a","severity":"info","path":"p","line":1,"column":1,"endLine":1,"endColumn":2,"message":"m","fingerprint":"","related":[]}],"errors":[],"summary":{"errors":0,"warnings":0,"notes":0,"parseErrors":0,"files":0}}`,
		"column 0":        `{"version":"1","tool":{"name":"x","version":"","informationUri":""},"findings":[{"rule":"a","severity":"note","path":"p","line":1,"column":0,"endLine":1,"endColumn":2,"message":"m","fingerprint":"","related":[]}],"errors":[],"summary":{"errors":0,"warnings":0,"notes":0,"parseErrors":0,"files":0}}`,
		"extra field":     `{"version":"1","tool":{"name":"x","version":"","informationUri":""},"findings":[],"errors":[],"summary":{"errors":0,"warnings":0,"notes":0,"parseErrors":0,"files":0},"x":1}`,
		"wrong version":   `{"version":"2","tool":{"name":"x","version":"","informationUri":""},"findings":[],"errors":[],"summary":{"errors":0,"warnings":0,"notes":0,"parseErrors":0,"files":0}}`,
		"missing summary": `{"version":"1","tool":{"name":"x","version":"","informationUri":""},"findings":[],"errors":[]}`,
	}
	for name, doc := range bad {
		if validate(sch, []byte(doc)) == nil {
			t.Errorf("%s: the schema accepts it", name)
		}
	}
}

// TestJSONContent reads the fixture's document back and checks what it says.
func TestJSONContent(t *testing.T) {
	var doc jsonReport
	if err := json.Unmarshal(out(t, "json", fixture(), Options{}), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "1" || doc.Tool != (jsonTool{"jenkins-oidc-lint", "1.2.3", "https://github.com/jenkins-oidc-lint/jenkins-oidc-lint"}) {
		t.Errorf("version/tool = %q %+v", doc.Version, doc.Tool)
	}
	if len(doc.Findings) != len(fixture().Findings) {
		t.Fatalf("%d findings, want %d", len(doc.Findings), len(fixture().Findings))
	}
	wantErrors := []jsonError{
		{"parse-error", "broken.yaml", 3, 5, "invalid YAML: mapping values are not allowed in this context"},
		{"parse-error", "secrets.json", 1, 1, "invalid JSON: unexpected end of input"},
	}
	if !reflect.DeepEqual(doc.Errors, wantErrors) {
		t.Errorf("errors = %+v", doc.Errors)
	}
	byRule := map[string]jsonFinding{}
	for _, f := range doc.Findings {
		byRule[f.Rule+"@"+f.Path] = f
	}
	tests := []struct {
		key                        string
		line, col, endLine, endCol int
	}{
		{"issuer-mismatch@casc/jenkins.yaml", 6, 19, 6, 61},
		{"pkce-disabled@casc/jenkins.yaml", 4, 27, 4, 28},             // no end: one character
		{"token-validation-disabled@conf d/prod,eu.yaml", 4, 7, 5, 1}, // two lines
		{"claim-not-supported@discovery/okta.json", 0, 0, 0, 0},       // whole file
		{"scope-not-supported@casc/jenkins.yaml", 9, 19, 9, 26},       // after 東京: characters, not bytes
		{"tls-verification-disabled@Jenkinsfile", 2, 12, 2, 14},       // tabs count one
	}
	for _, tt := range tests {
		f, ok := byRule[tt.key]
		if !ok {
			t.Errorf("%s: missing", tt.key)
			continue
		}
		if f.Line != tt.line || f.Column != tt.col || f.EndLine != tt.endLine || f.EndColumn != tt.endCol {
			t.Errorf("%s: %d:%d-%d:%d, want %d:%d-%d:%d", tt.key, f.Line, f.Column, f.EndLine, f.EndColumn, tt.line, tt.col, tt.endLine, tt.endCol)
		}
	}
	im := byRule["issuer-mismatch@casc/jenkins.yaml"]
	if want := []jsonRelated{{"discovery/okta.json", 2, 13, "the provider's issuer"}}; !reflect.DeepEqual(im.Related, want) {
		t.Errorf("related = %+v", im.Related)
	}
	if want := (&jsonFix{"casc/jenkins.yaml", 120, 42, `"https://login.example.com/oauth2/default"`, "use the provider's issuer"}); !reflect.DeepEqual(im.Fix, want) {
		t.Errorf("fix = %+v", im.Fix)
	}
	if im.Fingerprint != "2c3d4e5f60718293" || im.Severity != "error" {
		t.Errorf("fingerprint/severity = %q %q", im.Fingerprint, im.Severity)
	}
	if got := byRule["token-validation-disabled@conf d/prod,eu.yaml"].Message; got != nastyShown {
		t.Errorf("message = %q, want it with \\n for \\r\\n", got)
	}
	if want := (jsonSummary{Errors: 6, Warnings: 3, Notes: 2, ParseErrors: 2, Files: 6}); doc.Summary != want {
		t.Errorf("summary = %+v, want %+v", doc.Summary, want)
	}
}

func TestJSONEmptyArrays(t *testing.T) {
	got := string(out(t, "json", &Report{}, Options{}))
	for _, want := range []string{`"findings": []`, `"errors": []`, `"name": "jenkins-oidc-lint"`} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %s in\n%s", want, got)
		}
	}
	r := &Report{Findings: []Finding{{Rule: "r", Severity: Note, Pos: pos("f", 1, 1), Message: "m"}}}
	if got := string(out(t, "json", r, Options{})); !strings.Contains(got, `"related": []`) || strings.Contains(got, `"fix"`) {
		t.Errorf("related not [] or fix present:\n%s", got)
	}
}
