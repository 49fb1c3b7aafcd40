package report

import (
	"encoding/xml"
	"reflect"
	"testing"
)

type checkstyleDoc struct {
	XMLName xml.Name         `xml:"checkstyle"`
	Version string           `xml:"version,attr"`
	Files   []checkstyleFile `xml:"file"`
}

type checkstyleFile struct {
	Name   string            `xml:"name,attr"`
	Errors []checkstyleError `xml:"error"`
}

type checkstyleError struct {
	Line     int    `xml:"line,attr"`
	Column   *int   `xml:"column,attr"`
	Severity string `xml:"severity,attr"`
	Message  string `xml:"message,attr"`
	Source   string `xml:"source,attr"`
}

func readCheckstyle(t *testing.T, r *Report) checkstyleDoc {
	t.Helper()
	var doc checkstyleDoc
	if err := xml.Unmarshal(out(t, "checkstyle", r, Options{}), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestCheckstyleReadBack reads the document back with encoding/xml and
// checks every file and error, as warnings-ng's checkStyle parser reads them.
func TestCheckstyleReadBack(t *testing.T) {
	doc := readCheckstyle(t, fixture())
	if doc.Version != "8.0" {
		t.Errorf("version = %q", doc.Version)
	}
	type row struct {
		file     string
		line     int
		col      int // -1: no column attribute
		severity string
		source   string
	}
	var got []row
	for _, f := range doc.Files {
		for _, e := range f.Errors {
			col := -1
			if e.Column != nil {
				col = *e.Column
			}
			got = append(got, row{f.Name, e.Line, col, e.Severity, e.Source})
		}
	}
	const p = "jenkins-oidc-lint."
	want := []row{
		{"Jenkinsfile", 2, 12, "error", p + "tls-verification-disabled"},
		{"broken.yaml", 3, 5, "error", p + "parse-error"},
		{"casc/jenkins.yaml", 4, 27, "warning", p + "pkce-disabled"},
		{"casc/jenkins.yaml", 6, 19, "error", p + "issuer-mismatch"},
		{"casc/jenkins.yaml", 6, 20, "error", p + "insecure-url"},
		{"casc/jenkins.yaml", 7, 17, "error", p + "missing-client-id"},
		{"casc/jenkins.yaml", 9, 19, "warning", p + "scope-not-supported"},
		{"casc/jenkins.yaml", 10, 7, "warning", p + "escape-hatch-enabled"},
		{"casc/jenkins.yaml", 11, 24, "info", p + "claim-not-supported"},
		{"conf d/prod,eu.yaml", 4, 7, "error", p + "token-validation-disabled"},
		{"discovery/okta.json", 0, -1, "info", p + "claim-not-supported"},
		{"secrets.json", 1, 1, "error", p + "parse-error"},
		{"stdin.yaml", 3, 7, "error", p + "missing-openid-scope"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n%v\nwant\n%v", got, want)
	}
	for _, f := range doc.Files {
		for _, e := range f.Errors {
			if f.Name == "conf d/prod,eu.yaml" && e.Message != nastyShown {
				t.Errorf("message = %q, want %q", e.Message, nastyShown)
			}
		}
	}
}

func TestCheckstyleEmpty(t *testing.T) {
	doc := readCheckstyle(t, empty())
	if doc.Version != "8.0" || len(doc.Files) != 0 {
		t.Errorf("empty = %+v", doc)
	}
}
