package report

import "fmt"

// The checkstyle format writes Checkstyle XML, as the Jenkins Warnings Next
// Generation plugin reads it with recordIssues(tools: [checkStyle(pattern:
// '…')]) (and reviewdog, Sonar and others):
//
//	<checkstyle version="8.0">
//	  <file name="casc/jenkins.yaml">
//	    <error line="7" column="17" severity="error" message="…" source="jenkins-oidc-lint.missing-client-id"/>
//	  </file>
//	</checkstyle>
//
// One <file> per file with problems, sorted by path; severity is error,
// warning or info (for a note); a file that could not be read or parsed is an
// error from source jenkins-oidc-lint.parse-error. A whole-file problem has
// line="0" and no column. Names and messages are escaped by EscapeControl and
// EscapeMessage before XML escaping (xml.go).

func writeCheckstyle(s *stream, r *Report, _ Options) error {
	s.WriteString(xmlHeader)
	if numProblems(r) == 0 {
		s.WriteString("<checkstyle version=\"8.0\"></checkstyle>\n")
		return nil
	}
	s.WriteString("<checkstyle version=\"8.0\">\n")
	source := xmlAttr(toolNameOf(r) + ".")
	for g := range byFile(r) {
		fmt.Fprintf(s, "  <file name=\"%s\">\n", xmlAttr(EscapeControl(g.path)))
		for p := range g.problems() {
			start := linePos(p.Pos)
			col := ""
			if start.IsValid() {
				col = fmt.Sprintf(" column=\"%d\"", start.Col)
			}
			fmt.Fprintf(s, "    <error line=\"%d\"%s severity=\"%s\" message=\"%s\" source=\"%s%s\"/>\n",
				start.Line, col, checkstyleSeverity(p.Severity), xmlAttr(EscapeMessage(p.Message)), source, xmlAttr(EscapeControl(p.Rule)))
			if err := s.boundary(); err != nil {
				return err
			}
		}
		s.WriteString("  </file>\n")
	}
	s.WriteString("</checkstyle>\n")
	return nil
}

func checkstyleSeverity(s Severity) string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "info"
}
