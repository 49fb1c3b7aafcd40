package report

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// The junit format writes JUnit XML as the Jenkins JUnit plugin and GitLab's
// test reports read it:
//
//	<testsuites name="jenkins-oidc-lint" tests="13" failures="11" errors="2">
//	  <testsuite name="casc/jenkins.yaml" tests="7" failures="7" errors="0">
//	    <testcase classname="casc/jenkins_yaml" name="missing-client-id 7:17">
//	      <failure message="clientId &quot;changeme&quot; is a placeholder" type="missing-client-id">…</failure>
//	    </testcase>
//
// One <testsuite> per file with problems (named by its path, files sorted),
// one <testcase> per problem, holding a <failure> for a finding and an
// <error> for a file that could not be read or parsed. The element's text is
// the problem as the text format prints it, without colour: header, source
// line with caret (from Report.Files), related positions. A run without
// problems is one passing test case, "no problems found", so that a CI step
// that wants test results does not fail for want of any. Names and messages
// are escaped by EscapeControl and EscapeMessage before XML escaping
// (xml.go); the text is the text format's, escaped and windowed alike.

type junitCaseOut struct {
	name string
	p    problem
	text string
}

type junitSuiteOut struct {
	path             string
	failures, errors int
	cases            []junitCaseOut
}

func writeJUnit(b *bytes.Buffer, r *Report, _ Options) error {
	byPath := map[string]*junitSuiteOut{}
	var paths []string
	tests, failures, errors := 0, 0, 0
	lc := &lineCache{}
	for _, p := range problems(r) {
		s := byPath[p.Pos.Path]
		if s == nil {
			s = &junitSuiteOut{path: p.Pos.Path}
			byPath[p.Pos.Path] = s
			paths = append(paths, p.Pos.Path)
		}
		name := EscapeControl(p.Rule)
		if p.Pos.IsValid() {
			name += " " + strconv.Itoa(p.Pos.Line) + ":" + strconv.Itoa(linePos(p.Pos).Col)
		}
		var text bytes.Buffer
		writeProblemText(&text, r, p, false, lc)
		s.cases = append(s.cases, junitCaseOut{name: name, p: p, text: text.String()})
		tests++
		if p.ParseError {
			s.errors++
			errors++
		} else {
			s.failures++
			failures++
		}
	}
	sort.Strings(paths)
	name := xmlAttr(toolNameOf(r))
	b.WriteString(xmlHeader)
	if tests == 0 {
		fmt.Fprintf(b, "<testsuites name=\"%s\" tests=\"1\" failures=\"0\" errors=\"0\">\n", name)
		fmt.Fprintf(b, "  <testsuite name=\"%s\" tests=\"1\" failures=\"0\" errors=\"0\">\n", name)
		fmt.Fprintf(b, "    <testcase classname=\"%s\" name=\"no problems found\"/>\n", name)
		b.WriteString("  </testsuite>\n</testsuites>\n")
		return nil
	}
	fmt.Fprintf(b, "<testsuites name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\">\n", name, tests, failures, errors)
	for _, path := range paths {
		s := byPath[path]
		fmt.Fprintf(b, "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\">\n", xmlAttr(EscapeControl(path)), len(s.cases), s.failures, s.errors)
		for _, c := range s.cases {
			elem := "failure"
			if c.p.ParseError {
				elem = "error"
			}
			fmt.Fprintf(b, "    <testcase classname=\"%s\" name=\"%s\">\n", xmlAttr(junitClassName(EscapeControl(path))), xmlAttr(c.name))
			fmt.Fprintf(b, "      <%s message=\"%s\" type=\"%s\">%s</%s>\n", elem, xmlAttr(EscapeMessage(c.p.Message)), xmlAttr(EscapeControl(c.p.Rule)), xmlText(c.text), elem)
			b.WriteString("    </testcase>\n")
		}
		b.WriteString("  </testsuite>\n")
	}
	b.WriteString("</testsuites>\n")
	return nil
}

// junitClassName is the file's path with dots replaced: Jenkins' JUnit
// plugin splits a classname at its last dot into package and class, which
// would show casc/jenkins.yaml as class "yaml" of package "casc/jenkins".
func junitClassName(path string) string { return strings.ReplaceAll(path, ".", "_") }
