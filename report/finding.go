// Package report holds the Finding type that rules produce and the output
// formats that print findings (Write, Formats): text, json, sarif, github,
// junit, checkstyle and gitlab, one file each. A format knows nothing about
// parsers or rules: it reads a Report and writes bytes.
package report

import (
	"cmp"
	"fmt"
	"sort"
	"strings"
	"unique"
)

// Severity orders findings: Note < Warning < Error.
type Severity int

// The three severities of RULES.md.
const (
	Note Severity = iota + 1
	Warning
	Error
)

// String returns the lower-case name used in every output format.
func (s Severity) String() string {
	switch s {
	case Note:
		return "note"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity reads "error", "warning" or "note".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "error":
		return Error, nil
	case "warning", "warn":
		return Warning, nil
	case "note", "info":
		return Note, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or note)", s)
}

// Position is a place in a source file. Line and Col are 1-based; Col counts
// characters (runes), not bytes. A zero Line means "the whole file".
type Position struct {
	Path string
	Line int
	Col  int
}

// IsValid reports whether the position names a line.
func (p Position) IsValid() bool { return p.Line > 0 }

// String formats the position as path:line:col.
func (p Position) String() string {
	if p.Line == 0 {
		return p.Path
	}
	return fmt.Sprintf("%s:%d:%d", p.Path, p.Line, p.Col)
}

// Related is a second place that explains a finding, e.g. the issuer line of
// the provider metadata for an issuer mismatch.
type Related struct {
	Pos     Position
	Message string
}

// Fix is a mechanical edit: replace the bytes [Offset, Offset+Length) of Path
// with Replacement. Fixes never carry secrets.
type Fix struct {
	Path        string
	Offset      int
	Length      int
	Replacement string
	Description string
}

// Finding is one problem found in the input.
type Finding struct {
	Rule     string   // stable ID from the rule catalog
	Severity Severity // error | warning | note
	Pos, End Position // start and (exclusive) end of the offending span; End may be zero
	Message  string   // what is wrong and what to do; secrets already redacted
	Related  []Related
	Fix      *Fix
	// Fingerprint identifies the finding independently of its line number:
	// a hash of rule, file and the normalised offending text. Set by the engine.
	Fingerprint string
}

// FileError is an input that could not be read or parsed. It makes the run
// exit 2, but the other files are still checked.
type FileError struct {
	Pos     Position
	Message string
}

// Error implements error.
func (e FileError) Error() string {
	return e.Pos.String() + ": " + e.Message
}

// Escaped is the error as the command line prints it: one line,
// "path:line:col: error: message", place and message escaped as every
// format escapes them (a file name or message holding ESC or a bidi
// control must not steer the terminal).
func (e FileError) Escaped() string {
	return EscapeControl(e.Pos.String()) + ": error: " + strings.Join(strings.Split(EscapeMessage(e.Message), "\n"), " ")
}

// RuleMeta describes a rule for formats that list rules (SARIF, explain).
type RuleMeta struct {
	ID               string
	Severity         Severity
	Summary          string   // one line
	Description      string   // a paragraph
	Help             string   // markdown: what, why, how to fix, examples
	HelpURI          string   // the rule's documentation page
	Tags             []string // e.g. "security", "oidc"
	SecuritySeverity string   // SARIF security-severity, e.g. "8.0"
	Precision        string   // SARIF precision: very-high, high, medium or low; "" means high
}

// Report is everything one run produced, in a stable order.
type Report struct {
	Tool     string // "jenkins-oidc-lint"
	Version  string
	InfoURI  string
	Findings []Finding
	Errors   []FileError
	Rules    []RuleMeta // every known rule, sorted by ID
	// Files names the files a format may show source lines of (every file
	// a finding points into) and counts among the input files (json's
	// summary): each path maps to its contents, masked, or to nil when
	// they come from Source or are not kept (formats that show no source,
	// ShowsSource). Without Source, a nil entry reads as an empty file.
	Files map[string][]byte
	// Source, when set, returns the contents of a file that Files names
	// with nil contents, masked as Files would hold them (an empty file as
	// an empty slice that is not nil), or nil when there are none to show
	// (the file is then shown without source lines); it is not asked about
	// paths that Files does not name. The formats that show
	// source lines (ShowsSource) ask for one file at a time, in the report's
	// order (the file errors, then the findings, each sorted by path): once
	// per file at most when the report is sorted, except that a file with
	// both a file error and a finding is asked for twice. They do not keep
	// the slice once they move on to another path, so Source may reuse one
	// buffer for every call, and a run need hold no file's text but the one
	// being printed. See Text.
	Source func(path string) []byte
	// Root is the directory relative to which paths are printed (SARIF %SRCROOT%).
	Root string
	// Notes are inputs left alone on purpose, such as templates that are
	// YAML only once rendered ({{ … }}): text, json and sarif show them;
	// they do not change the exit code.
	Notes []FileError
	// Hashes maps each file a fix applies to the lint.ContentHash of its
	// content as linted (before masking), so --fix can tell whether the file
	// changed since.
	Hashes map[string]string
	// Versions names, one line per controller, the plugin and core versions
	// the rules judged by (the text format prints them under its summary).
	Versions []string
}

// Text returns the contents of a file the report names in Files, as the
// formats show them: Files[path] when it is not nil, else what Source
// returns for it. It is nil when Files does not name the path, or names it
// with nil contents and Source is unset or returns nil. A slice that Source
// returned may be reused by its next call: copy it to keep it.
func (r *Report) Text(path string) []byte {
	data, _ := r.text(path)
	return data
}

// text is Text and whether the report has the file's text: Files names the
// path with contents, or with nil contents and either Source returns
// contents or there is no Source (an empty file, as formats have always
// read a nil entry).
func (r *Report) text(path string) ([]byte, bool) {
	data, ok := r.Files[path]
	if !ok || data != nil || r.Source == nil {
		return data, ok
	}
	data = r.Source(path)
	return data, data != nil
}

// Count returns how many findings have each severity.
func (r *Report) Count() (errors, warnings, notes int) {
	for _, f := range r.Findings {
		switch f.Severity {
		case Error:
			errors++
		case Warning:
			warnings++
		case Note:
			notes++
		}
	}
	return
}

// Sort orders findings by path, line, column, rule and message: the order
// of every output format.
func Sort(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if c := comparePos(a.Pos, b.Pos); c != 0 {
			return c < 0
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		if a.Message != b.Message {
			return a.Message < b.Message
		}
		return comparePos(a.End, b.End) < 0
	})
}

// SortErrors orders file errors by position, then message, so that errors
// found by concurrent workers come out the same in every run.
func SortErrors(errs []FileError) {
	sort.SliceStable(errs, func(i, j int) bool {
		if c := comparePos(errs[i].Pos, errs[j].Pos); c != 0 {
			return c < 0
		}
		return errs[i].Message < errs[j].Message
	})
}

// comparePos orders positions by path, line and column.
func comparePos(a, b Position) int {
	return cmp.Or(strings.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
}

// Intern replaces the finding's messages by their canonical copies
// (package unique): rules write the same message for many files, and a
// large run holds every finding to the end, so each distinct text is held
// once.
func (f *Finding) Intern() {
	f.Message = unique.Make(f.Message).Value()
	for i := range f.Related {
		f.Related[i].Message = unique.Make(f.Related[i].Message).Value()
	}
}
