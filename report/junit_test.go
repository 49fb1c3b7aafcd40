package report

import (
	"encoding/xml"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Failure   *junitProblem `xml:"failure"`
	Error     *junitProblem `xml:"error"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

func readJUnit(t *testing.T, r *Report) junitSuites {
	t.Helper()
	var doc junitSuites
	if err := xml.Unmarshal(out(t, "junit", r, Options{}), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestJUnitReadBack reads the document with encoding/xml, as the Jenkins
// JUnit plugin and GitLab read it with their XML parsers, and checks counts
// and attributes.
func TestJUnitReadBack(t *testing.T) {
	doc := readJUnit(t, fixture())
	if doc.Name != "jenkins-oidc-lint" || doc.Tests != 13 || doc.Failures != 11 || doc.Errors != 2 {
		t.Errorf("testsuites = %s tests=%d failures=%d errors=%d", doc.Name, doc.Tests, doc.Failures, doc.Errors)
	}
	type suite struct {
		name                    string
		tests, failures, errors int
	}
	var got []suite
	sum := suite{}
	for _, s := range doc.Suites {
		got = append(got, suite{s.Name, s.Tests, s.Failures, s.Errors})
		if len(s.Cases) != s.Tests {
			t.Errorf("%s: tests=%d but %d test cases", s.Name, s.Tests, len(s.Cases))
		}
		f, e := 0, 0
		for _, c := range s.Cases {
			// Jenkins splits a classname at its last dot: the file's dots are
			// replaced so a path stays one class.
			if want := strings.ReplaceAll(s.Name, ".", "_"); c.Classname != want || strings.Contains(c.Classname, ".") {
				t.Errorf("%s: classname %q, want %q", s.Name, c.Classname, want)
			}
			if (c.Failure == nil) == (c.Error == nil) {
				t.Errorf("%s %s: want exactly one of failure and error", s.Name, c.Name)
			}
			if c.Failure != nil {
				f++
			} else {
				e++
			}
		}
		if f != s.Failures || e != s.Errors {
			t.Errorf("%s: failures=%d errors=%d, counted %d %d", s.Name, s.Failures, s.Errors, f, e)
		}
		sum.tests += s.Tests
		sum.failures += s.Failures
		sum.errors += s.Errors
	}
	want := []suite{
		{"Jenkinsfile", 1, 1, 0},
		{"broken.yaml", 1, 0, 1},
		{"casc/jenkins.yaml", 7, 7, 0},
		{"conf d/prod,eu.yaml", 1, 1, 0},
		{"discovery/okta.json", 1, 1, 0},
		{"secrets.json", 1, 0, 1},
		{"stdin.yaml", 1, 1, 0},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("suites:\n%v\nwant\n%v", got, want)
	}
	if sum.tests != doc.Tests || sum.failures != doc.Failures || sum.errors != doc.Errors {
		t.Errorf("totals %+v differ from the suites' sum", sum)
	}

	cases := map[string]junitCase{}
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			cases[s.Name+" "+c.Name] = c
		}
	}
	c := cases["conf d/prod,eu.yaml token-validation-disabled 4:7"]
	if c.Failure == nil || c.Failure.Message != nastyShown || c.Failure.Type != "token-validation-disabled" {
		t.Errorf("nasty case = %+v", c.Failure)
	}
	c = cases["casc/jenkins.yaml issuer-mismatch 6:19"]
	wantText := "casc/jenkins.yaml:6:19: error: issuer \"http://login.example.com/oauth2/default/\" differs from the provider's \"https://login.example.com/oauth2/default\" [issuer-mismatch]\n" +
		" 6 |           issuer: \"http://login.example.com/oauth2/default/\"\n" +
		"   |                   ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n" +
		"  discovery/okta.json:2:13: note: the provider's issuer\n"
	if c.Failure == nil || c.Failure.Text != wantText {
		t.Errorf("issuer-mismatch body = %q", c.Failure)
	}
	c = cases["broken.yaml parse-error 3:5"]
	if c.Error == nil || c.Error.Type != "parse-error" || c.Error.Message != "invalid YAML: mapping values are not allowed in this context" {
		t.Errorf("parse error case = %+v", c.Error)
	}
	if _, ok := cases["discovery/okta.json claim-not-supported"]; !ok {
		t.Errorf("whole-file case not named by its rule alone: %v", cases)
	}
}

func TestJUnitEmpty(t *testing.T) {
	doc := readJUnit(t, empty())
	want := junitSuites{XMLName: xml.Name{Local: "testsuites"}, Name: "jenkins-oidc-lint", Tests: 1,
		Suites: []junitSuite{{Name: "jenkins-oidc-lint", Tests: 1, Cases: []junitCase{{Classname: "jenkins-oidc-lint", Name: "no problems found"}}}}}
	if !reflect.DeepEqual(doc, want) {
		t.Errorf("empty = %+v", doc)
	}
}

// xmlSanitized is what an XML parser gives back for s: runes XML 1.0 cannot
// hold become U+FFFD, as does invalid UTF-8.
func xmlSanitized(s string) string {
	var sb strings.Builder
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				sb.WriteRune('\uFFFD')
				continue
			}
		}
		if !xmlChar(r) {
			r = '\uFFFD'
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

func FuzzXMLEscape(f *testing.F) {
	f.Add("a & b < c > d \" e ' f ]]> g")
	f.Add("\r\n\t\x00\x1b\xff\uFFFE end")
	f.Add(nastyMessage)
	f.Fuzz(func(t *testing.T, s string) {
		doc := xmlHeader + `<a b="` + xmlAttr(s) + `">` + xmlText(s) + `</a>`
		var v struct {
			B    string `xml:"b,attr"`
			Text string `xml:",chardata"`
		}
		if err := xml.Unmarshal([]byte(doc), &v); err != nil {
			t.Fatalf("%q: %v", doc, err)
		}
		want := xmlSanitized(s)
		if v.B != want || v.Text != want {
			t.Fatalf("round trip of %q: attr %q, text %q, want %q", s, v.B, v.Text, want)
		}
	})
}
