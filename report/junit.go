package report

import (
	"bytes"
	"fmt"
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
// line with caret (Report.Text, one file at a time), related positions. A run without
// problems is one passing test case, "no problems found", so that a CI step
// that wants test results does not fail for want of any. Names and messages
// are escaped by EscapeControl and EscapeMessage before XML escaping
// (xml.go); the text is the text format's, escaped and windowed alike.

func writeJUnit(s *stream, r *Report, _ Options) error {
	name := xmlAttr(toolNameOf(r))
	s.WriteString(xmlHeader)
	if numProblems(r) == 0 {
		fmt.Fprintf(s, "<testsuites name=\"%s\" tests=\"1\" failures=\"0\" errors=\"0\">\n", name)
		fmt.Fprintf(s, "  <testsuite name=\"%s\" tests=\"1\" failures=\"0\" errors=\"0\">\n", name)
		fmt.Fprintf(s, "    <testcase classname=\"%s\" name=\"no problems found\"/>\n", name)
		s.WriteString("  </testsuite>\n</testsuites>\n")
		return nil
	}
	fmt.Fprintf(s, "<testsuites name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\">\n", name, numProblems(r), len(r.Findings), len(r.Errors))
	lc := &lineCache{}
	src := &sourceCursor{r: r}
	var text bytes.Buffer
	for g := range byFile(r) {
		path := EscapeControl(g.path)
		errs := g.parseErrors()
		fmt.Fprintf(s, "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\">\n", xmlAttr(path), g.len(), g.len()-errs, errs)
		class := xmlAttr(junitClassName(path))
		for p := range g.problems() {
			name := EscapeControl(p.Rule)
			if p.Pos.IsValid() {
				name += " " + strconv.Itoa(p.Pos.Line) + ":" + strconv.Itoa(linePos(p.Pos).Col)
			}
			text.Reset()
			writeProblemText(&text, p, false, lc, src)
			elem := "failure"
			if p.ParseError {
				elem = "error"
			}
			fmt.Fprintf(s, "    <testcase classname=\"%s\" name=\"%s\">\n", class, xmlAttr(name))
			fmt.Fprintf(s, "      <%s message=\"%s\" type=\"%s\">", elem, xmlAttr(EscapeMessage(p.Message)), xmlAttr(EscapeControl(p.Rule)))
			s.buf = appendXML(s.buf, text.Bytes(), false)
			s.WriteString("</" + elem + ">\n    </testcase>\n")
			if err := s.boundary(); err != nil {
				return err
			}
		}
		s.WriteString("  </testsuite>\n")
	}
	s.WriteString("</testsuites>\n")
	return nil
}

// junitClassName is the file's path with dots replaced: Jenkins' JUnit
// plugin splits a classname at its last dot into package and class, which
// would show casc/jenkins.yaml as class "yaml" of package "casc/jenkins".
func junitClassName(path string) string { return strings.ReplaceAll(path, ".", "_") }
