package report

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
)

// ParseErrorRule is the rule ID under which every format shows a FileError.
const ParseErrorRule = "parse-error"

// toolName is used when Report.Tool is empty.
const toolName = "jenkins-oidc-lint"

// Options tune a format. The zero value is valid for every format.
type Options struct {
	// Color turns on ANSI colours in the text format. The CLI sets it when
	// stdout is a terminal and NO_COLOR is unset.
	Color bool
	// StepSummary, when set, receives the full list of problems as a
	// Markdown table from the github format (the CLI opens
	// $GITHUB_STEP_SUMMARY for appending). Other formats ignore it.
	StepSummary io.Writer
}

type writer func(b *bytes.Buffer, r *Report, o Options) error

var formats = map[string]writer{
	"checkstyle": writeCheckstyle,
	"github":     writeGitHub,
	"gitlab":     writeGitLab,
	"json":       writeJSON,
	"junit":      writeJUnit,
	"sarif":      writeSARIF,
	"text":       writeText,
}

// showsSource names the formats that print source lines from Report.Files.
var showsSource = map[string]bool{"text": true, "junit": true}

// ShowsSource reports whether the named format prints source lines (from
// Report.Files); the others need only the files' names there.
func ShowsSource(format string) bool { return showsSource[format] }

// Formats lists the names Write accepts, sorted.
func Formats() []string {
	names := make([]string, 0, len(formats))
	for n := range formats {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Write renders r in the named format to w. The whole document is rendered
// in memory first, so w receives either all of it in one Write or, when the
// format fails, nothing. A nil r is an empty report.
func Write(w io.Writer, format string, r *Report, o Options) error {
	f, ok := formats[format]
	if !ok {
		return fmt.Errorf("unknown output format %q (valid formats: %s)", format, strings.Join(Formats(), ", "))
	}
	if r == nil {
		r = &Report{}
	}
	var b bytes.Buffer
	if err := f(&b, r, o); err != nil {
		return fmt.Errorf("%s format: %w", format, err)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("%s format: writing the report: %w", format, err)
	}
	return nil
}

// problem is a finding or a file error, the unit most formats print.
type problem struct {
	Rule     string
	Severity Severity
	Pos, End Position
	Message  string
	Related  []Related
	Fix      *Fix
	// Fingerprint is the engine's; empty for file errors.
	Fingerprint string
	ParseError  bool
}

// problems lists the file errors first (they make the run fail), then the
// findings, each in the report's own order.
func problems(r *Report) []problem {
	ps := make([]problem, 0, len(r.Errors)+len(r.Findings))
	for _, e := range r.Errors {
		ps = append(ps, problem{Rule: ParseErrorRule, Severity: Error, Pos: e.Pos, Message: e.Message, ParseError: true})
	}
	for _, f := range r.Findings {
		ps = append(ps, problem{
			Rule: f.Rule, Severity: normSeverity(f.Severity), Pos: f.Pos, End: f.End,
			Message: f.Message, Related: f.Related, Fix: f.Fix, Fingerprint: f.Fingerprint,
		})
	}
	return ps
}

// normSeverity maps an out-of-range severity (a rule's bug) to Error, so a
// problem is never hidden by a low level.
func normSeverity(s Severity) Severity {
	if s < Note || s > Error {
		return Error
	}
	return s
}

// counts are the numbers a summary shows.
type counts struct {
	Errors, Warnings, Notes int // findings by severity
	ParseErrors             int // file errors
}

func countOf(r *Report) counts {
	c := counts{ParseErrors: len(r.Errors)}
	for _, f := range r.Findings {
		switch normSeverity(f.Severity) {
		case Error:
			c.Errors++
		case Warning:
			c.Warnings++
		case Note:
			c.Notes++
		}
	}
	return c
}

// summaryLine says "3 errors, 1 warning, 0 notes", counting file errors as
// errors, or "no problems found".
func (c counts) summaryLine() string {
	errs := c.Errors + c.ParseErrors
	if errs+c.Warnings+c.Notes == 0 {
		return "no problems found"
	}
	return plural(errs, "error") + ", " + plural(c.Warnings, "warning") + ", " + plural(c.Notes, "note")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// endOf returns the exclusive end of a problem's span, or false when the
// span has no usable end (End zero, or not after Pos).
func endOf(p problem) (Position, bool) {
	if !p.Pos.IsValid() || !p.End.IsValid() {
		return Position{}, false
	}
	start := p.Pos
	if start.Col < 1 {
		start.Col = 1
	}
	end := p.End
	if end.Col < 1 {
		end.Col = 1
	}
	if end.Line < start.Line || (end.Line == start.Line && end.Col <= start.Col) {
		return Position{}, false
	}
	return end, true
}

// toolNameOf is the tool name of r, defaulted, escaped (EscapeControl).
func toolNameOf(r *Report) string {
	if r.Tool == "" {
		return toolName
	}
	return EscapeControl(r.Tool)
}

// filesIn counts the distinct input files of a report: those whose contents
// it carries and those that failed to be read or parsed.
func filesIn(r *Report) int {
	seen := make(map[string]bool, len(r.Files)+len(r.Errors))
	for p := range r.Files {
		seen[p] = true
	}
	for _, e := range r.Errors {
		seen[e.Pos.Path] = true
	}
	return len(seen)
}
