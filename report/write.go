package report

import (
	"fmt"
	"io"
	"iter"
	"slices"
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

type writer func(s *stream, r *Report, o Options) error

var formats = map[string]writer{
	"checkstyle": writeCheckstyle,
	"github":     writeGitHub,
	"gitlab":     writeGitLab,
	"json":       writeJSON,
	"junit":      writeJUnit,
	"sarif":      writeSARIF,
	"text":       writeText,
}

// showsSource names the formats that print source lines (Report.Text).
func showsSource(s string) bool {
	switch s {
	case "text", "junit":
		return true
	}
	return false
}

// ShowsSource reports whether the named format prints source lines (from
// Report.Files or Report.Source); the others need only the files' names in
// Files.
func ShowsSource(format string) bool { return showsSource(format) }

// Formats lists the names Write accepts, sorted.
func Formats() []string {
	names := make([]string, 0, len(formats))
	for n := range formats {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Write renders r in the named format to w. A nil r is an empty report; an
// unknown format is an error, and nothing is written.
//
// The document is streamed: w receives it in writes of about 64 KiB
// (streamChunk), each ending after a whole element (a finding, result, test
// case, issue or file), so rendering holds one element at a time and one
// file's text (Report.Source), whatever the number of findings. The output
// is therefore not all-or-nothing: when w fails, the format stops at the
// next element and Write returns the error ("writing the report"), leaving
// in w what it took before; a format that fails returns its error after
// what it had written. The github format's step summary
// (Options.StepSummary) is written, streamed alike, before the annotations.
func Write(w io.Writer, format string, r *Report, o Options) error {
	f, ok := formats[format]
	if !ok {
		return fmt.Errorf("unknown output format %q (valid formats: %s)", format, strings.Join(Formats(), ", "))
	}
	if r == nil {
		r = &Report{}
	}
	s := newStream(w)
	err := f(s, r, o)
	werr := s.flush()
	if err != nil && err != werr {
		return fmt.Errorf("%s format: %w", format, err)
	}
	if werr != nil {
		return fmt.Errorf("%s format: writing the report: %w", format, werr)
	}
	return nil
}

// streamChunk is how much output a stream gathers before it writes it: it
// writes at the first element boundary past it.
const streamChunk = 64 << 10

// stream buffers a format's output and writes it at element boundaries
// once streamChunk bytes are gathered. Writes to it never fail; the first
// error of the underlying writer is kept, everything after it is dropped,
// and boundary returns it so that the format stops.
type stream struct {
	w   io.Writer
	buf []byte
	err error
}

// newStream streams to w. Its buffer grows as output comes, so that a small
// document costs no more than its size.
func newStream(w io.Writer) *stream { return &stream{w: w} }

func (s *stream) Write(p []byte) (int, error) {
	s.buf = append(s.buf, p...)
	return len(p), nil
}

func (s *stream) WriteString(p string) (int, error) {
	s.buf = append(s.buf, p...)
	return len(p), nil
}

func (s *stream) WriteByte(c byte) error {
	s.buf = append(s.buf, c)
	return nil
}

// boundary ends an element: the output gathered so far is written when it
// has reached streamChunk. It returns the writer's error, if any.
func (s *stream) boundary() error {
	if len(s.buf) >= streamChunk {
		return s.flush()
	}
	return s.err
}

// flush writes what is gathered (unless the writer failed before) and
// returns the writer's first error.
func (s *stream) flush() error {
	if s.err == nil && len(s.buf) > 0 {
		n, err := s.w.Write(s.buf)
		if err == nil && n < len(s.buf) {
			err = io.ErrShortWrite
		}
		s.err = err
	}
	if cap(s.buf) > 4*streamChunk { // an element far over a chunk: do not keep its room
		s.buf = nil
	}
	s.buf = s.buf[:0]
	return s.err
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

// numProblems is how many problems r has: file errors and findings.
func numProblems(r *Report) int { return len(r.Errors) + len(r.Findings) }

// problemAt returns problem k of r: the file errors come first (they make
// the run fail), then the findings, each in the report's own order. It
// copies no slice: Related is the finding's.
func problemAt(r *Report, k int) problem {
	if k < len(r.Errors) {
		e := &r.Errors[k]
		return problem{Rule: ParseErrorRule, Severity: Error, Pos: e.Pos, Message: e.Message, ParseError: true}
	}
	f := &r.Findings[k-len(r.Errors)]
	return problem{
		Rule: f.Rule, Severity: normSeverity(f.Severity), Pos: f.Pos, End: f.End,
		Message: f.Message, Related: f.Related, Fix: f.Fix, Fingerprint: f.Fingerprint,
	}
}

// pathAt is the path of problem k (problemAt) without building it.
func pathAt(r *Report, k int) string {
	if k < len(r.Errors) {
		return r.Errors[k].Pos.Path
	}
	return r.Findings[k-len(r.Errors)].Pos.Path
}

// allProblems yields the file errors, then the findings, each in the
// report's order (problemAt), one at a time.
func allProblems(r *Report) iter.Seq[problem] {
	return func(yield func(problem) bool) {
		for k := range numProblems(r) {
			if !yield(problemAt(r, k)) {
				return
			}
		}
	}
}

// fileGroup is the problems of one file, in the order allProblems yields
// them: its file errors, then its findings. They are the problems [e0, e1)
// and [f0, f1) (problemAt indices) or, when the report is not sorted by
// path, those idx lists.
type fileGroup struct {
	path           string
	r              *Report
	e0, e1, f0, f1 int
	idx            []int32
}

// len is how many problems the file has.
func (g fileGroup) len() int {
	if g.idx != nil {
		return len(g.idx)
	}
	return g.e1 - g.e0 + g.f1 - g.f0
}

// parseErrors is how many of them are file errors.
func (g fileGroup) parseErrors() int {
	if g.idx == nil {
		return g.e1 - g.e0
	}
	n := 0
	for _, k := range g.idx {
		if int(k) < len(g.r.Errors) {
			n++
		}
	}
	return n
}

// problems yields the file's problems.
func (g fileGroup) problems() iter.Seq[problem] {
	return func(yield func(problem) bool) {
		if g.idx != nil {
			for _, k := range g.idx {
				if !yield(problemAt(g.r, int(k))) {
					return
				}
			}
			return
		}
		for k := g.e0; k < g.e1; k++ {
			if !yield(problemAt(g.r, k)) {
				return
			}
		}
		for k := g.f0; k < g.f1; k++ {
			if !yield(problemAt(g.r, k)) {
				return
			}
		}
	}
}

// byFile yields the files that have problems, sorted by path (as
// sort.Strings sorts), each with its problems in the report's order. When
// the file errors and the findings are each in path order (SortErrors and
// Sort leave them so), it walks the two side by side and allocates
// nothing; otherwise it sorts the problems' indices by path, 4 bytes a
// problem.
func byFile(r *Report) iter.Seq[fileGroup] {
	return func(yield func(fileGroup) bool) {
		if !pathSorted(r) {
			idx := make([]int32, numProblems(r))
			for k := range idx {
				idx[k] = int32(k)
			}
			slices.SortStableFunc(idx, func(a, b int32) int { return strings.Compare(pathAt(r, int(a)), pathAt(r, int(b))) })
			for i := 0; i < len(idx); {
				path := pathAt(r, int(idx[i]))
				j := i + 1
				for j < len(idx) && pathAt(r, int(idx[j])) == path {
					j++
				}
				if !yield(fileGroup{path: path, r: r, idx: idx[i:j:j]}) {
					return
				}
				i = j
			}
			return
		}
		errs, finds := r.Errors, r.Findings
		n := len(errs)
		for i, j := 0, 0; i < len(errs) || j < len(finds); {
			var path string
			switch {
			case i == len(errs):
				path = finds[j].Pos.Path
			case j == len(finds):
				path = errs[i].Pos.Path
			default:
				path = min(errs[i].Pos.Path, finds[j].Pos.Path)
			}
			i1, j1 := i, j
			for i1 < len(errs) && errs[i1].Pos.Path == path {
				i1++
			}
			for j1 < len(finds) && finds[j1].Pos.Path == path {
				j1++
			}
			if !yield(fileGroup{path: path, r: r, e0: i, e1: i1, f0: n + j, f1: n + j1}) {
				return
			}
			i, j = i1, j1
		}
	}
}

// pathSorted reports whether the file errors and the findings are each in
// path order.
func pathSorted(r *Report) bool {
	for i := 1; i < len(r.Errors); i++ {
		if r.Errors[i].Pos.Path < r.Errors[i-1].Pos.Path {
			return false
		}
	}
	for i := 1; i < len(r.Findings); i++ {
		if r.Findings[i].Pos.Path < r.Findings[i-1].Pos.Path {
			return false
		}
	}
	return true
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
	for i := range r.Findings {
		switch normSeverity(r.Findings[i].Severity) {
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

// filesIn counts the distinct input files of a report: those Files names
// and those that failed to be read or parsed. Only the failed files that
// Files does not name are remembered.
func filesIn(r *Report) int {
	n := len(r.Files)
	var seen map[string]bool
	for i := range r.Errors {
		p := r.Errors[i].Pos.Path
		if _, ok := r.Files[p]; ok || seen[p] {
			continue
		}
		if seen == nil {
			seen = map[string]bool{}
		}
		seen[p] = true
		n++
	}
	return n
}

// sourceCursor gives a format the text of one file at a time
// (Report.text), asking Source again only for another file that Files
// names, so that a Source that reuses one buffer is asked once per file of
// a sorted report.
type sourceCursor struct {
	r        *Report
	path     string
	data     []byte
	ok, have bool
}

func (c *sourceCursor) text(path string) ([]byte, bool) {
	if c.have && path == c.path {
		return c.data, c.ok
	}
	if _, named := c.r.Files[path]; !named {
		return nil, false
	}
	c.path, c.have = path, true
	c.data, c.ok = c.r.text(path)
	return c.data, c.ok
}
