package report

import (
	"fmt"
	"io"
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

// githubLevels are the levels in the order the github format prints them.
var githubLevels = [...]Severity{Error, Warning, Note}

func writeGitHub(s *stream, r *Report, o Options) error {
	c := countOf(r)
	var total, omitted int
	var shown [Error + 1]int // by level
	for _, l := range githubLevels {
		n := c.at(l)
		total += n
		shown[l] = min(n, githubPerLevel)
		omitted += n - shown[l]
	}
	if omitted > 0 && shown[Note] == githubPerLevel {
		shown[Note]-- // the last notice slot says what was left out
		omitted++
	}
	if o.StepSummary != nil {
		if err := writeStepSummary(o.StepSummary, r, c, total); err != nil {
			return fmt.Errorf("writing the step summary: %w", err)
		}
	}
	for _, l := range githubLevels {
		left := shown[l]
		for p := range allProblems(r) {
			if left == 0 {
				break
			}
			if p.Severity != l {
				continue
			}
			writeWorkflowCommand(s, p)
			left--
		}
	}
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
		s.WriteString("::notice title=" + toolNameOf(r) + "::" + escapeData(msg) + "\n")
	}
	s.WriteString(toolNameOf(r) + ": " + c.summaryLine() + "\n")
	return nil
}

// at is the number of problems of a level: file errors are errors.
func (c counts) at(l Severity) int {
	switch l {
	case Error:
		return c.Errors + c.ParseErrors
	case Warning:
		return c.Warnings
	}
	return c.Notes
}

func writeWorkflowCommand(b *stream, p problem) {
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

// writeStepSummary writes every problem (total in all) to w as a Markdown
// table, errors first, streamed as Write streams a format.
func writeStepSummary(w io.Writer, r *Report, c counts, total int) error {
	s := newStream(w)
	fmt.Fprintf(s, "### %s: %s\n\n", markdownCell(toolNameOf(r)), c.summaryLine())
	if total > 0 {
		s.WriteString("| Severity | Location | Rule | Message |\n| --- | --- | --- | --- |\n")
		for _, l := range githubLevels {
			for p := range allProblems(r) {
				if p.Severity != l {
					continue
				}
				s.WriteString("| " + p.Severity.String() + " | ")
				markdownCells.WriteString(s, EscapeControl(p.Pos.String()))
				s.WriteString(" | ")
				markdownCells.WriteString(s, EscapeControl(p.Rule))
				s.WriteString(" | ")
				markdownCells.WriteString(s, EscapeMessage(p.Message))
				s.WriteString(" |\n")
				if err := s.boundary(); err != nil {
					return err
				}
			}
		}
		s.WriteString("\n")
	}
	return s.flush()
}

// markdownCell makes text literal inside a GitHub-flavoured Markdown table
// cell: characters that start inline markup, HTML or an entity, and the cell
// separator, are backslash-escaped; line breaks become <br>.
var markdownCell = markdownCells.Replace

// markdownCells is markdownCell's replacer, which also writes to a stream.
var markdownCells = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`,
	"&", `\&`, "|", `\|`, "~", `\~`, "\r\n", "<br>", "\n", "<br>", "\r", "<br>",
)
