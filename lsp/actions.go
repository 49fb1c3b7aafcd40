package lsp

import (
	"bytes"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jenkinsfile"
)

// ignoreReason is what the ignore action writes for the reason: the
// person writes the real one in its place.
const ignoreReason = "TODO: why this is safe"

// commentMarker is the comment an ignore comment starts with in a file:
// "//" in pipelines, "#" in YAML and the other kinds, "" where there are no
// comments (JSON).
func commentMarker(p, languageID string, data []byte) string {
	lower := strings.ToLower(p)
	ext := path.Ext(lower)
	switch {
	case source.KindByName(filepath.FromSlash(p)) == source.Jenkinsfile, ext == ".groovy",
		languageID == "groovy", languageID == "jenkinsfile":
		return "//"
	case source.KindByName(filepath.FromSlash(p)) == source.Discovery, ext == ".json", languageID == "json", languageID == "jsonc":
		return ""
	case ext == "" && bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")):
		return "" // JSON without extension (provider metadata)
	case ext == "" && source.KindByName(filepath.FromSlash(p)) == source.Unknown && jenkinsfile.Looks(data):
		return "//" // a pipeline under another name
	}
	return "#"
}

// ignoreLine matches an ignore comment alone on its line: the indentation,
// the marker, and the rule list's closing bracket.
var ignoreLine = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^([ \t]*)(#|//)\s*jenkins-oidc-lint:\s*ignore\[([^\]]*)\]`)
})

// foldedHeader matches a line that opens a folded block scalar (`key: >`,
// `- >-`), in which a line added would be folded into the text before it.
var foldedHeader = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(^|[:\-]\s)\s*>[-+0-9]*\s*(#.*)?$`) })

// ignoreEdit is the edit that silences rule on the 1-based line: an ignore
// comment on the line above, indented like the line, or the rule added to
// an ignore comment already there. It is nil where a comment line cannot be
// written: files without comments, a line that is itself a comment, a line
// inside a multi-line Groovy string or comment, a line of a folded YAML
// block.
func ignoreEdit(t *text, line int, rule, marker, enc string) *fixEdit {
	if marker == "" || line < 1 || line > len(t.starts) {
		return nil
	}
	l := t.line(line - 1)
	body := bytes.TrimLeft(l, " \t")
	indent := l[:len(l)-len(body)]
	if len(bytes.TrimSpace(body)) == 0 || bytes.HasPrefix(body, []byte(marker)) {
		return nil
	}
	start := t.starts[line-1]
	if marker == "//" {
		toks, _ := jenkinsfile.Lex(t.data)
		for _, tok := range toks {
			if (tok.Kind == jenkinsfile.String || tok.Kind == jenkinsfile.Comment) && tok.Off < start && tok.End > start {
				return nil // the line starts inside a string or comment: a line above would be part of it
			}
			if tok.Off >= start {
				break
			}
		}
	} else if inFolded(t, line-1, len(indent)) {
		return nil
	}
	if line >= 2 {
		above := t.line(line - 2)
		if m := ignoreLine().FindSubmatchIndex(above); m != nil && string(above[m[4]:m[5]]) == marker {
			ids := string(above[m[6]:m[7]])
			for _, id := range strings.Split(ids, ",") {
				if strings.TrimSpace(id) == rule {
					return nil // already listed (it silences another line)
				}
			}
			// The comment above silences this line: add the rule to it.
			at := t.fromOffset(t.starts[line-2]+m[7], enc)
			sep := ","
			if strings.TrimSpace(ids) == "" {
				sep = ""
			}
			return &fixEdit{
				title: fmt.Sprintf("Ignore %s here: add it to the ignore comment above", rule),
				edits: []textEdit{{Range: lspRange{Start: at, End: at}, NewText: sep + rule}},
			}
		}
	}
	eol := "\n"
	if end := start + len(l); end < len(t.data) && t.data[end] == '\r' {
		eol = "\r\n"
	}
	at := position{Line: line - 1}
	return &fixEdit{
		title: fmt.Sprintf("Ignore %s here, with a reason (inline comment)", rule),
		edits: []textEdit{{Range: lspRange{Start: at, End: at},
			NewText: fmt.Sprintf("%s%s jenkins-oidc-lint: ignore[%s] %s%s", indent, marker, rule, ignoreReason, eol)}},
	}
}

// inFolded reports whether the 0-based line, indented by indent, lies in a
// folded block scalar: the nearest line above with less indentation opens
// one.
func inFolded(t *text, line, indent int) bool {
	for i := line - 1; i >= 0; i-- {
		l := t.line(i)
		body := bytes.TrimLeft(l, " \t")
		if len(bytes.TrimSpace(body)) == 0 {
			continue
		}
		if len(l)-len(body) < indent {
			return foldedHeader().Match(bytes.TrimRight(l, " \t"))
		}
	}
	return false
}

// codeActions answers textDocument/codeAction: for each finding whose
// range meets the requested one, its fix and the ignore comment. Nothing is
// offered for a document edited since the run that found them (the next
// run's diagnostics bring fresh actions).
func (s *Server) codeActions(p codeActionParams) []codeAction {
	out := []codeAction{}
	quick, all := len(p.Context.Only) == 0, false
	for _, k := range p.Context.Only {
		quick = quick || k == "quickfix"
		all = all || k == "source" || k == "source.fixAll" || strings.HasPrefix(k, "source.fixAll.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	pth := uriToPath(p.TextDocument.URI)
	f := s.ownerLocked(pth)
	if f == nil {
		return out
	}
	stale := func(uri string) bool {
		d := s.docs[uriToPath(uri)]
		v := f.versions[uri]
		return d != nil && (v == nil || *v != d.version)
	}
	if stale(p.TextDocument.URI) {
		return out
	}
	fixes := 0
	for _, it := range f.items[p.TextDocument.URI] {
		if it.fix != nil {
			fixes++
		}
		if !quick || !it.diag.Range.overlaps(p.Range) {
			continue
		}
		if it.fix != nil && !stale(it.fix.uri) {
			out = append(out, codeAction{Title: it.fix.title, Kind: "quickfix", Diagnostics: []diagnostic{it.diag},
				IsPreferred: true, Edit: s.editLocked(f, it.fix)})
		}
		if it.ignore != nil {
			out = append(out, codeAction{Title: it.ignore.title, Kind: "quickfix", Diagnostics: []diagnostic{it.diag},
				Edit: s.editLocked(f, it.ignore)})
		}
	}
	// What --fix does to the file: asked for (on save), or offered beside
	// the quick fixes when there is more than one.
	if e := f.fixAll[p.TextDocument.URI]; e != nil && (all || len(p.Context.Only) == 0 && fixes > 1) {
		out = append(out, codeAction{Title: e.title, Kind: "source.fixAll", Edit: s.editLocked(f, e)})
	}
	return out
}

// editLocked is a workspace edit in the form the client takes: versioned
// document changes, or a map of changes.
func (s *Server) editLocked(f *folder, e *fixEdit) *workspaceEdit {
	if s.docChanges {
		return &workspaceEdit{DocumentChanges: []textDocumentEdit{{
			TextDocument: versionedTextDocumentIdentifier{URI: e.uri, Version: f.versions[e.uri]},
			Edits:        e.edits,
		}}}
	}
	return &workspaceEdit{Changes: map[string][]textEdit{e.uri: e.edits}}
}

// hover answers textDocument/hover on a finding: its message and its
// rule's page, as `explain` prints it.
func (s *Server) hover(p hoverParams) *hover {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.ownerLocked(uriToPath(p.TextDocument.URI))
	if f == nil {
		return nil
	}
	if d := s.docs[uriToPath(p.TextDocument.URI)]; d != nil {
		if v := f.versions[p.TextDocument.URI]; v == nil || *v != d.version {
			return nil // edited since: the ranges no longer hold
		}
	}
	var parts []string
	var r *lspRange
	seen := map[string]bool{}
	for _, it := range f.items[p.TextDocument.URI] {
		if !it.diag.Range.contains(p.Position) || it.rule == "" {
			continue
		}
		rg := it.diag.Range
		if r == nil {
			r = &rg
		}
		part := fmt.Sprintf("**%s** (%s): %s", it.rule, severityName(it.diag.Severity), it.diag.Message)
		if page := f.helps[it.rule]; page != "" && !seen[it.rule] {
			part += "\n\n" + page
		}
		seen[it.rule] = true
		parts = append(parts, part)
	}
	if len(parts) == 0 {
		return nil
	}
	kind := "markdown"
	if !s.markdown {
		kind = "plaintext"
	}
	return &hover{Contents: markupContent{Kind: kind, Value: strings.Join(parts, "\n\n---\n\n")}, Range: r}
}

func severityName(sev int) string {
	switch sev {
	case severityError:
		return "error"
	case severityWarning:
		return "warning"
	}
	return "note"
}
