package report

import (
	"bytes"
	"fmt"
	"sort"
)

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

func writeCheckstyle(b *bytes.Buffer, r *Report, _ Options) error {
	byPath := map[string][]problem{}
	var paths []string
	for _, p := range problems(r) {
		if _, ok := byPath[p.Pos.Path]; !ok {
			paths = append(paths, p.Pos.Path)
		}
		byPath[p.Pos.Path] = append(byPath[p.Pos.Path], p)
	}
	sort.Strings(paths)
	b.WriteString(xmlHeader)
	if len(paths) == 0 {
		b.WriteString("<checkstyle version=\"8.0\"></checkstyle>\n")
		return nil
	}
	b.WriteString("<checkstyle version=\"8.0\">\n")
	for _, path := range paths {
		fmt.Fprintf(b, "  <file name=\"%s\">\n", xmlAttr(EscapeControl(path)))
		for _, p := range byPath[path] {
			start := linePos(p.Pos)
			col := ""
			if start.IsValid() {
				col = fmt.Sprintf(" column=\"%d\"", start.Col)
			}
			fmt.Fprintf(b, "    <error line=\"%d\"%s severity=\"%s\" message=\"%s\" source=\"%s\"/>\n",
				start.Line, col, checkstyleSeverity(p.Severity), xmlAttr(EscapeMessage(p.Message)), xmlAttr(toolNameOf(r)+"."+EscapeControl(p.Rule)))
		}
		b.WriteString("  </file>\n")
	}
	b.WriteString("</checkstyle>\n")
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
