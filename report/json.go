package report

import (
	"encoding/json"
	"fmt"
)

// JSONVersion is the "version" of the json format's document. It changes
// only when a field is removed or changes meaning; new fields may appear
// within a version.
//
// The json format writes one object, indented by two spaces, with its fields
// always in this order (report/testdata/json-report.schema.json is its JSON
// Schema):
//
//	{
//	  "version": "1",                      // JSONVersion
//	  "tool": {
//	    "name": "jenkins-oidc-lint",
//	    "version": "1.2.3",                // "" when unknown
//	    "informationUri": "https://…"      // "" when unknown
//	  },
//	  "findings": [                        // in the engine's order: path, line, column, rule
//	    {
//	      "rule": "issuer-mismatch",       // rule ID
//	      "severity": "error",             // "error" | "warning" | "note"
//	      "path": "casc/jenkins.yaml",     // slash-separated, as given
//	      "line": 6,                       // 1-based; 0: the whole file
//	      "column": 19,                    // 1-based, in characters (Unicode code points); 0 with line 0
//	      "endLine": 6,                    // end of the span, exclusive:
//	      "endColumn": 61,                 //   without a known end, line and column+1 (line 0: 0 and 0)
//	      "message": "…",                  // secrets already redacted; may contain \n
//	      "fingerprint": "2c3d4e5f60718293", // stable across line moves; as in baselines, SARIF and GitLab
//	      "related": [                     // other places that explain it; [] when none
//	        {"path": "discovery/okta.json", "line": 2, "column": 13, "message": "the provider's issuer"}
//	      ],
//	      "fix": {                         // only when the rule offers a mechanical fix:
//	        "path": "casc/jenkins.yaml",   //   replace bytes [offset, offset+length) of path
//	        "offset": 120,
//	        "length": 42,
//	        "replacement": "\"https://…\"",
//	        "description": "use the provider's issuer"
//	      }
//	    }
//	  ],
//	  "errors": [                          // files that could not be read or parsed; [] when none
//	    {"rule": "parse-error", "path": "broken.yaml", "line": 3, "column": 5, "message": "invalid YAML: …"}
//	  ],
//	  "notes": [                           // inputs left alone on purpose; [] when none
//	    {"path": "chart/templates/casc.yaml", "line": 0, "column": 0, "message": "skipped: it holds template expressions …"}
//	  ],
//	  "summary": {
//	    "errors": 6,                       // findings by severity (file errors not included)
//	    "warnings": 3,
//	    "notes": 2,
//	    "parseErrors": 2,                  // len(errors)
//	    "files": 6                         // input files: checked, or failed to read or parse
//	  }
//	}
//
// Arrays are [] when empty, never null. Paths, rules and messages are
// escaped for reading as in every format (EscapeControl, EscapeMessage: a
// file name with ESC has "\\x1b" in its path, a line break in a message is
// \n); the fix's path and replacement are kept exact, since they are bytes
// to write. Strings are UTF-8 with the escapes JSON requires (<, > and & are
// not escaped) and with \uXXXX for every rune EscapeControl escapes (C1
// controls, bidi and other format characters, line separators, …), so that
// the document holds none of them raw; invalid UTF-8 in a fix becomes U+FFFD.
const JSONVersion = "1"

type jsonReport struct {
	Version  string        `json:"version"`
	Tool     jsonTool      `json:"tool"`
	Findings []jsonFinding `json:"findings"`
	Errors   []jsonError   `json:"errors"`
	Notes    []jsonNote    `json:"notes"`
	Summary  jsonSummary   `json:"summary"`
}

type jsonTool struct {
	Name           string `json:"name"`
	Version        string `json:"version"`
	InformationURI string `json:"informationUri"`
}

type jsonFinding struct {
	Rule        string        `json:"rule"`
	Severity    string        `json:"severity"`
	Path        string        `json:"path"`
	Line        int           `json:"line"`
	Column      int           `json:"column"`
	EndLine     int           `json:"endLine"`
	EndColumn   int           `json:"endColumn"`
	Message     string        `json:"message"`
	Fingerprint string        `json:"fingerprint"`
	Related     []jsonRelated `json:"related"`
	Fix         *jsonFix      `json:"fix,omitempty"`
}

type jsonRelated struct {
	Path    string `json:"path"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

type jsonFix struct {
	Path        string `json:"path"`
	Offset      int    `json:"offset"`
	Length      int    `json:"length"`
	Replacement string `json:"replacement"`
	Description string `json:"description"`
}

type jsonError struct {
	Rule    string `json:"rule"`
	Path    string `json:"path"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

type jsonNote struct {
	Path    string `json:"path"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

type jsonSummary struct {
	Errors      int `json:"errors"`
	Warnings    int `json:"warnings"`
	Notes       int `json:"notes"`
	ParseErrors int `json:"parseErrors"`
	Files       int `json:"files"`
}

func writeJSON(s *stream, r *Report, _ Options) error {
	e := newJSONEncoder(s)
	e.open('{')
	e.key("version")
	if err := e.value(JSONVersion); err != nil {
		return err
	}
	e.key("tool")
	if err := e.value(&jsonTool{Name: toolNameOf(r), Version: r.Version, InformationURI: r.InfoURI}); err != nil {
		return err
	}
	e.key("findings")
	var f jsonFinding
	k := len(r.Errors)
	err := e.array(len(r.Findings), func() error {
		p := problemAt(r, k)
		k++
		start, end := span(p)
		f = jsonFinding{
			Rule: EscapeControl(p.Rule), Severity: p.Severity.String(), Path: EscapeControl(p.Pos.Path),
			Line: start.Line, Column: start.Col, EndLine: end.Line, EndColumn: end.Col,
			Message: EscapeMessage(p.Message), Fingerprint: EscapeControl(p.Fingerprint), Related: f.Related[:0],
		}
		for _, rel := range p.Related {
			rs := linePos(rel.Pos)
			f.Related = append(f.Related, jsonRelated{Path: EscapeControl(rel.Pos.Path), Line: rs.Line, Column: rs.Col, Message: EscapeMessage(rel.Message)})
		}
		if f.Related == nil {
			f.Related = []jsonRelated{}
		}
		if p.Fix != nil {
			f.Fix = &jsonFix{Path: p.Fix.Path, Offset: p.Fix.Offset, Length: p.Fix.Length, Replacement: p.Fix.Replacement, Description: EscapeMessage(p.Fix.Description)}
		}
		return e.value(&f)
	})
	if err != nil {
		return err
	}
	e.key("errors")
	var je jsonError
	k = 0
	err = e.array(len(r.Errors), func() error {
		p := problemAt(r, k)
		k++
		start, _ := span(p)
		je = jsonError{Rule: EscapeControl(p.Rule), Path: EscapeControl(p.Pos.Path), Line: start.Line, Column: start.Col, Message: EscapeMessage(p.Message)}
		return e.value(&je)
	})
	if err != nil {
		return err
	}
	e.key("notes")
	var jn jsonNote
	k = 0
	err = e.array(len(r.Notes), func() error {
		n := &r.Notes[k]
		k++
		p := linePos(n.Pos)
		jn = jsonNote{Path: EscapeControl(n.Pos.Path), Line: p.Line, Column: p.Col, Message: EscapeMessage(n.Message)}
		return e.value(&jn)
	})
	if err != nil {
		return err
	}
	c := countOf(r)
	e.key("summary")
	if err := e.value(&jsonSummary{Errors: c.Errors, Warnings: c.Warnings, Notes: c.Notes, ParseErrors: c.ParseErrors, Files: filesIn(r)}); err != nil {
		return err
	}
	e.close('}')
	s.WriteString("\n")
	return nil
}

// jsonEncoder writes an indented JSON document to a stream a piece at a
// time, byte for byte as a json.Encoder with SetEscapeHTML(false) and
// SetIndent("", "  ") encodes it whole: the document's objects and arrays
// are opened and closed by hand (open, key, next, close) and their values
// encoded one by one (value) at their depth, each passed through
// escapeJSONOutput, so that no rune EscapeControl escapes appears raw. The
// caller writes the final newline.
type jsonEncoder struct {
	s      *stream
	enc    *json.Encoder
	indent string // of the lines inside the innermost open object or array
	empty  []bool // whether each open object or array has no member yet
}

func newJSONEncoder(s *stream) *jsonEncoder {
	enc := json.NewEncoder(s)
	enc.SetEscapeHTML(false)
	return &jsonEncoder{s: s, enc: enc}
}

// open starts an object ('{') or an array ('[').
func (e *jsonEncoder) open(c byte) {
	e.s.WriteByte(c)
	e.indent += "  "
	e.empty = append(e.empty, true)
}

// next starts a member of the innermost object or array.
func (e *jsonEncoder) next() {
	top := len(e.empty) - 1
	if !e.empty[top] {
		e.s.WriteByte(',')
	}
	e.empty[top] = false
	e.s.WriteByte('\n')
	e.s.WriteString(e.indent)
}

// key starts the member name of the innermost object; name needs no
// escaping.
func (e *jsonEncoder) key(name string) {
	e.next()
	e.s.WriteByte('"')
	e.s.WriteString(name)
	e.s.WriteString(`": `)
}

// close ends the innermost object ('}') or array (']'): {} or [] when it
// has no member.
func (e *jsonEncoder) close(c byte) {
	top := len(e.empty) - 1
	empty := e.empty[top]
	e.empty = e.empty[:top]
	e.indent = e.indent[:len(e.indent)-2]
	if !empty {
		e.s.WriteByte('\n')
		e.s.WriteString(e.indent)
	}
	e.s.WriteByte(c)
}

// value writes v where a member or element goes, indented for its depth.
func (e *jsonEncoder) value(v any) error {
	e.enc.SetIndent(e.indent, "  ")
	start := len(e.s.buf)
	if err := e.enc.Encode(v); err != nil {
		e.s.buf = e.s.buf[:start]
		return fmt.Errorf("encoding: %w", err)
	}
	e.s.buf = e.s.buf[:len(e.s.buf)-1] // Encode's newline
	// Escaping only lengthens a piece: an unchanged length means it was
	// returned as it is, and nothing is copied.
	if piece := escapeJSONOutput(e.s.buf[start:]); len(piece) != len(e.s.buf)-start {
		e.s.buf = append(e.s.buf[:start], piece...)
	}
	return nil
}

// array writes an array of n elements, each by elem (which writes one
// value), ending an element of the stream after each ([] when n is 0).
func (e *jsonEncoder) array(n int, elem func() error) error {
	e.open('[')
	for range n {
		e.next()
		if err := elem(); err != nil {
			return err
		}
		if err := e.s.boundary(); err != nil {
			return err
		}
	}
	e.close(']')
	return nil
}

// linePos normalises a position for the formats: a whole-file position is
// line 0 column 0, any other has a column of at least 1.
func linePos(p Position) Position {
	if !p.IsValid() {
		return Position{Path: p.Path}
	}
	if p.Col < 1 {
		p.Col = 1
	}
	return p
}

// span returns the normalised start and exclusive end of a problem: without
// a usable end the span is the one character at the start; a whole-file
// problem spans 0:0 to 0:0.
func span(p problem) (start, end Position) {
	start = linePos(p.Pos)
	if !start.IsValid() {
		return start, start
	}
	if e, ok := endOf(p); ok {
		e.Path = start.Path
		return start, e
	}
	end = start
	end.Col++
	return start, end
}
