package report

import (
	"bytes"
	"encoding/json"
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

func writeJSON(b *bytes.Buffer, r *Report, _ Options) error {
	doc := jsonReport{
		Version:  JSONVersion,
		Tool:     jsonTool{Name: toolNameOf(r), Version: r.Version, InformationURI: r.InfoURI},
		Findings: make([]jsonFinding, 0, len(r.Findings)),
		Errors:   make([]jsonError, 0, len(r.Errors)),
		Notes:    make([]jsonNote, 0, len(r.Notes)),
	}
	for _, n := range r.Notes {
		p := linePos(n.Pos)
		doc.Notes = append(doc.Notes, jsonNote{Path: EscapeControl(n.Pos.Path), Line: p.Line, Column: p.Col, Message: EscapeMessage(n.Message)})
	}
	for _, p := range problems(r) {
		start, end := span(p)
		if p.ParseError {
			doc.Errors = append(doc.Errors, jsonError{Rule: EscapeControl(p.Rule), Path: EscapeControl(p.Pos.Path), Line: start.Line, Column: start.Col, Message: EscapeMessage(p.Message)})
			continue
		}
		f := jsonFinding{
			Rule: EscapeControl(p.Rule), Severity: p.Severity.String(), Path: EscapeControl(p.Pos.Path),
			Line: start.Line, Column: start.Col, EndLine: end.Line, EndColumn: end.Col,
			Message: EscapeMessage(p.Message), Fingerprint: EscapeControl(p.Fingerprint), Related: make([]jsonRelated, 0, len(p.Related)),
		}
		for _, rel := range p.Related {
			rs := linePos(rel.Pos)
			f.Related = append(f.Related, jsonRelated{Path: EscapeControl(rel.Pos.Path), Line: rs.Line, Column: rs.Col, Message: EscapeMessage(rel.Message)})
		}
		if p.Fix != nil {
			f.Fix = &jsonFix{Path: p.Fix.Path, Offset: p.Fix.Offset, Length: p.Fix.Length, Replacement: p.Fix.Replacement, Description: EscapeMessage(p.Fix.Description)}
		}
		doc.Findings = append(doc.Findings, f)
	}
	c := countOf(r)
	doc.Summary = jsonSummary{Errors: c.Errors, Warnings: c.Warnings, Notes: c.Notes, ParseErrors: c.ParseErrors, Files: filesIn(r)}
	return encodeJSON(b, doc)
}

// encodeJSON writes v indented, without HTML escaping, ending in a newline,
// with the runes EscapeControl escapes written as \uXXXX (escapeJSONOutput).
func encodeJSON(b *bytes.Buffer, v any) error {
	start := b.Len()
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	// Escaping only lengthens a document: an unchanged length means it was
	// returned as it is, and nothing is copied.
	if doc := escapeJSONOutput(b.Bytes()[start:]); len(doc) != b.Len()-start {
		b.Truncate(start)
		b.Write(doc)
	}
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
