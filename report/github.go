package report

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// The github format prints GitHub Actions workflow commands that become
// annotations on the run and on the pull request's diff:
//
//	::error file=casc/jenkins.yaml,line=7,col=17,endLine=7,endColumn=24,title=missing-client-id::clientId "changeme" is a placeholder
//
// warning → ::warning, note → ::notice; the title is the rule ID; endColumn is
// the last column of the span (inclusive), and columns are left out when the
// span covers several lines, as the runner drops them then. File names and
// rule IDs are first escaped by EscapeControl, messages by EscapeMessage
// (ESC becomes \x1b, U+202E \u202e, a line break \n), so that what the
// runner decodes holds no control character but a message's line breaks and
// tabs. Then values are escaped as the runner unescapes them: in the message
// % → %25, CR → %0D (no longer produced), LF → %0A; in properties also
// : → %3A and , → %2C.
//
// GitHub shows at most 10 annotations of each level per step (and 50 per
// job), so errors come first, at most 10 of each level are printed, and a
// final ::notice:: says how many were left out (taking the tenth notice slot
// itself). Options.StepSummary, when set, receives the full list as a
// Markdown table, errors first, each cell escaped (EscapeControl or
// EscapeMessage, then markdownCell) so that no text can end a cell or a row,
// or start markup or HTML. The last line is a plain summary for the log.

const githubPerLevel = 10

func writeGitHub(b *bytes.Buffer, r *Report, o Options) error {
	ps := problems(r)
	byLevel := map[Severity][]problem{}
	for _, p := range ps {
		byLevel[p.Severity] = append(byLevel[p.Severity], p)
	}
	errs, warns, notes := byLevel[Error], byLevel[Warning], byLevel[Note]
	shown := func(list []problem, max int) []problem {
		if len(list) > max {
			return list[:max]
		}
		return list
	}
	se, sw := shown(errs, githubPerLevel), shown(warns, githubPerLevel)
	sn := shown(notes, githubPerLevel)
	omitted := len(ps) - len(se) - len(sw) - len(sn)
	if omitted > 0 && len(sn) == githubPerLevel {
		sn = sn[:githubPerLevel-1] // the last notice slot says what was left out
		omitted++
	}
	for _, list := range [][]problem{se, sw, sn} {
		for _, p := range list {
			writeWorkflowCommand(b, p)
		}
	}
	c := countOf(r)
	if omitted > 0 {
		where := "use the text or sarif format to see them all"
		if o.StepSummary != nil {
			where = "the job summary lists them all"
		}
		noun := "problems"
		if omitted == 1 {
			noun = "problem"
		}
		msg := fmt.Sprintf("%d more %s not shown as annotations (GitHub shows %d of each level per step); %s",
			omitted, noun, githubPerLevel, where)
		b.WriteString("::notice title=" + toolNameOf(r) + "::" + escapeData(msg) + "\n")
	}
	b.WriteString(toolNameOf(r) + ": " + c.summaryLine() + "\n")
	if o.StepSummary != nil {
		var s bytes.Buffer
		writeStepSummary(&s, r, append(append(append([]problem(nil), errs...), warns...), notes...), c)
		if _, err := o.StepSummary.Write(s.Bytes()); err != nil {
			return fmt.Errorf("writing the step summary: %w", err)
		}
	}
	return nil
}

func writeWorkflowCommand(b *bytes.Buffer, p problem) {
	cmd := "error"
	switch p.Severity {
	case Warning:
		cmd = "warning"
	case Note:
		cmd = "notice"
	}
	props := []string{"file=" + escapeProperty(EscapeControl(p.Pos.Path))}
	if start, end := span(p); start.IsValid() {
		props = append(props, "line="+strconv.Itoa(start.Line))
		if end.Line == start.Line {
			props = append(props, "col="+strconv.Itoa(start.Col), "endLine="+strconv.Itoa(end.Line), "endColumn="+strconv.Itoa(end.Col-1))
		} else {
			props = append(props, "endLine="+strconv.Itoa(end.Line))
		}
	}
	props = append(props, "title="+escapeProperty(EscapeControl(p.Rule)))
	b.WriteString("::" + cmd + " " + strings.Join(props, ",") + "::" + escapeData(EscapeMessage(p.Message)) + "\n")
}

var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// escapeData escapes a workflow command's message (@actions/core escapeData).
func escapeData(s string) string { return dataEscaper.Replace(s) }

// escapeProperty escapes a workflow command's property value
// (@actions/core escapeProperty).
func escapeProperty(s string) string { return propertyEscaper.Replace(s) }

// writeStepSummary writes every problem as a Markdown table, errors first.
func writeStepSummary(b *bytes.Buffer, r *Report, ps []problem, c counts) {
	fmt.Fprintf(b, "### %s: %s\n\n", markdownCell(toolNameOf(r)), c.summaryLine())
	if len(ps) == 0 {
		return
	}
	b.WriteString("| Severity | Location | Rule | Message |\n| --- | --- | --- | --- |\n")
	for _, p := range ps {
		fmt.Fprintf(b, "| %s | %s | %s | %s |\n", p.Severity, markdownCell(EscapeControl(p.Pos.String())), markdownCell(EscapeControl(p.Rule)), markdownCell(EscapeMessage(p.Message)))
	}
	b.WriteString("\n")
}

// markdownCell makes text literal inside a GitHub-flavoured Markdown table
// cell: characters that start inline markup, HTML or an entity, and the cell
// separator, are backslash-escaped; line breaks become <br>.
var markdownCell = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`,
	"&", `\&`, "|", `\|`, "~", `\~`, "\r\n", "<br>", "\n", "<br>", "\r", "<br>",
).Replace
