package lint

import (
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/secrets"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// span is a byte range of a file that holds a secret value.
type span struct{ start, end int }

func isSecretKey(k string) bool { return secrets.IsSecretName(k) }

// secretSpans finds the values of secret-named keys in a document (whatever
// they hold: masking a reference costs nothing, missing a secret leaks it).
func secretSpans(f *source.File, root *yaml.Node) []span {
	var out []span
	seen := 0
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		seen++
		if n == nil || depth > 500 || seen > tree.MaxNodes {
			return
		}
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if v.Kind == yaml.ScalarNode && v.Tag == "!!str" && v.Line > 0 && v.Value != "" && isSecretKey(k.Value) {
					s := f.Offset(v.Line, v.Column)
					e := tree.End(f, v)
					end := f.Offset(e.Line, e.Col)
					switch v.Style {
					case yaml.LiteralStyle, yaml.FoldedStyle:
						end = blockEnd(f, v)
					case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
						s, end = s+1, end-1 // keep the quotes: only the value is secret
					}
					if end > s {
						out = append(out, span{s, end})
					}
				}
				walk(v, depth+1)
			}
			return
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	return out
}

// blockEnd finds the end of a literal or folded block scalar: the last line
// indented deeper than the line holding its indicator.
func blockEnd(f *source.File, v *yaml.Node) int {
	indent := leadingSpaces(f.Line(v.Line))
	end := f.Offset(v.Line+1, 1)
	for l := v.Line + 1; l <= f.LineCount(); l++ {
		line := f.Line(l)
		if len(strings.TrimSpace(string(line))) == 0 {
			continue
		}
		if leadingSpaces(line) <= indent {
			break
		}
		end = f.Offset(l, 1) + len(line)
	}
	return end
}

func leadingSpaces(b []byte) int {
	n := 0
	for n < len(b) && (b[n] == ' ' || b[n] == '\t') {
		n++
	}
	return n
}

// redactor hides secret values: in file contents shown as source lines, and
// in any message, related note or error text that happens to quote one.
type redactor struct {
	files  map[string]*source.File
	masks  map[string][]span
	byFile map[string][]string // secret strings of each file, longest first (built on demand)
}

func newRedactor(files map[string]*source.File, masks map[string][]span) *redactor {
	return &redactor{files: files, masks: masks, byFile: map[string][]string{}}
}

// secretsOf lists the secret strings of one file, longest first.
func (r *redactor) secretsOf(path string) []string {
	if list, ok := r.byFile[path]; ok {
		return list
	}
	var list []string
	if f := r.files[path]; f != nil {
		seen := map[string]bool{}
		for _, s := range r.masks[path] {
			v := strings.TrimSpace(string(f.Data[s.start:s.end]))
			v = strings.Trim(v, `"'`)
			for _, line := range strings.Split(v, "\n") {
				line = strings.TrimSpace(line)
				if len(line) >= 6 && !seen[line] && !tree.IsVariable(line) {
					seen[line] = true
					list = append(list, line)
				}
			}
		}
		sort.Slice(list, func(i, j int) bool {
			if len(list[i]) != len(list[j]) {
				return len(list[i]) > len(list[j])
			}
			return list[i] < list[j]
		})
	}
	r.byFile[path] = list
	return list
}

// Redact shows a secret as at most its first four characters when they are
// a known, non-secret prefix, else as REDACTED.
func Redact(s string) string { return secrets.Redact(s) }

// text redacts the secrets of the given files from s. Messages are built
// redacted already; this is the safety net, so it only looks at the files a
// message is about, which keeps it linear in the number of findings.
func (r *redactor) text(s string, paths ...string) string {
	for _, p := range paths {
		for _, sec := range r.secretsOf(p) {
			if strings.Contains(s, sec) {
				s = strings.ReplaceAll(s, sec, Redact(sec))
			}
		}
	}
	return s
}

func (r *redactor) finding(f *report.Finding) {
	paths := []string{f.Pos.Path}
	for _, rel := range f.Related {
		if rel.Pos.Path != f.Pos.Path {
			paths = append(paths, rel.Pos.Path)
		}
	}
	if f.Fix != nil && f.Fix.Path != f.Pos.Path {
		paths = append(paths, f.Fix.Path)
	}
	f.Message = r.text(f.Message, paths...)
	for i := range f.Related {
		f.Related[i].Message = r.text(f.Related[i].Message, paths...)
	}
	if f.Fix != nil {
		f.Fix.Replacement = r.text(f.Fix.Replacement, paths...)
		f.Fix.Description = r.text(f.Fix.Description, paths...)
	}
}

// masked returns f's contents with every byte of every secret span
// overwritten by '*' (line breaks kept), so offsets and lines stay true and
// fixes and diffs can be computed on the masked text.
func (r *redactor) masked(f *source.File) []byte {
	spans := r.masks[f.Path]
	if len(spans) == 0 {
		return f.Data
	}
	out := append([]byte(nil), f.Data...)
	for _, s := range spans {
		for i := max(0, s.start); i < s.end && i < len(out); i++ {
			if out[i] != '\n' && out[i] != '\r' {
				out[i] = '*'
			}
		}
	}
	return out
}
