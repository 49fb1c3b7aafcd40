package engine

import (
	"fmt"
	"strings"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// defaultSeverity is the severity of a rule whose @rule attribute names none.
const defaultSeverity = report.Error

// tag is the tag of every policy rule.
const tag = "policy"

// rule is one compiled policy.
type rule struct {
	id    string
	kind  source.Kind
	pos   report.Position // the rule's field
	value cue.Value       // the constraint, unified with each document (in a worker)
	meta  report.RuleMeta
}

// newRule makes the rule of a declaration and its compiled value.
func newRule(d *decl, v cue.Value, f *source.File) *rule {
	doc := docText(d)
	sev := d.args.severity
	if sev == 0 {
		sev = defaultSeverity
	}
	summary := d.args.message
	if summary == "" {
		summary = firstSentence(doc)
	}
	if summary == "" {
		summary = "policy " + d.args.id
	}
	desc := firstParagraph(doc)
	if desc == "" {
		desc = summary
	}
	what := "JCasC document"
	sel := selJCasC
	if d.kind == source.Discovery {
		what, sel = "provider metadata document", selDiscovery
	}
	var help strings.Builder
	if doc != "" {
		help.WriteString(doc + "\n\n")
	}
	fmt.Fprintf(&help, "A user policy from `%s` (line %d): the constraint `%s.%s` below is unified with every %s; "+
		"each place the document breaks it is a finding.\n\n", d.file.Path, startLine(d, f), sel, d.label, what)
	help.WriteString(fence(sourceText(d, f)))
	return &rule{
		id:    d.args.id,
		kind:  d.kind,
		value: v,
		meta: report.RuleMeta{
			ID:          d.args.id,
			Severity:    sev,
			Summary:     summary,
			Description: desc,
			Help:        help.String(),
			Tags:        []string{tag},
		},
	}
}

// docText is the doc comment of a rule: the comment above its field, or
// above `jcasc: name:` when the rule is written that way.
func docText(d *decl) string {
	var parts []string
	var nodes []ast.Node
	if d.outer != nil {
		nodes = append(nodes, d.outer)
	}
	nodes = append(nodes, d.field)
	for _, n := range nodes {
		for _, cg := range ast.Comments(n) {
			if cg.Position != 0 || cg.Line {
				continue // not above the field
			}
			if t := strings.TrimSpace(cg.Text()); t != "" {
				parts = append(parts, t)
			}
		}
	}
	return strings.Join(parts, "\n\n")
}

// startLine is the line where a rule's source starts.
func startLine(d *decl, f *source.File) int {
	start := d.field.Pos()
	if d.outer != nil {
		start = d.outer.Pos()
	}
	return f.PosAt(start.Offset()).Line
}

// sourceText is the CUE source of a rule, from its label (or the
// `jcasc:` of `jcasc: name: …`) to the end of its attribute, with the
// common indentation removed.
func sourceText(d *decl, f *source.File) string {
	start := d.field.Pos()
	if d.outer != nil {
		start = d.outer.Pos()
	}
	s, e := start.Offset(), d.field.End().Offset()
	if s < 0 || e > len(f.Data) || s >= e {
		return ""
	}
	// Start at the beginning of the line, so that indentation is kept.
	for s > 0 && f.Data[s-1] != '\n' && (f.Data[s-1] == ' ' || f.Data[s-1] == '\t') {
		s--
	}
	return dedent(string(f.Data[s:e]))
}

func dedent(text string) string {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	common := -1
	for _, ln := range lines {
		if strings.TrimSpace(ln) == "" {
			continue
		}
		n := len(ln) - len(strings.TrimLeft(ln, " \t"))
		if common < 0 || n < common {
			common = n
		}
	}
	if common <= 0 {
		return strings.Join(lines, "\n")
	}
	for i, ln := range lines {
		if len(ln) >= common {
			lines[i] = ln[common:]
		} else {
			lines[i] = strings.TrimLeft(ln, " \t")
		}
	}
	return strings.Join(lines, "\n")
}

// fence puts CUE source in a Markdown code block whose fence is longer
// than any run of backticks inside.
func fence(src string) string {
	f := "```"
	for strings.Contains(src, f) {
		f += "`"
	}
	return f + "cue\n" + src + "\n" + f + "\n"
}

// firstParagraph is the first paragraph of a comment, on one line.
func firstParagraph(doc string) string {
	p, _, _ := strings.Cut(doc, "\n\n")
	return strings.Join(strings.Fields(p), " ")
}

// firstSentence is the first sentence of a comment's first paragraph,
// without its period (it starts the messages of findings).
func firstSentence(doc string) string {
	p := firstParagraph(doc)
	if i := strings.Index(p, ". "); i >= 0 {
		p = p[:i]
	}
	return strings.TrimSuffix(p, ".")
}
