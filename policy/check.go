package policy

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/policy/internal/wire"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/schema"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/secrets"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// maxFindings bounds the findings of one rule in one document.
const maxFindings = 100

// maxDetails bounds the explanations joined into one finding.
const maxDetails = 3

// Check validates one parsed document: kind is source.JCasC or
// source.Discovery, root the document's root mapping. Each rule of that
// kind is unified with the document as plain data; each place the document
// breaks it is a finding with the rule's ID and severity, at the offending
// value (at the key of a mapping or list, of a field that is not allowed,
// or of the mapping that lacks a missing field). Findings are sorted by
// position. Check is safe for concurrent use.
//
// The unification runs in a worker process on the set's budget (see
// sandbox.go). A rule that runs over it on this document is a finding at
// the document ("not checked") and an error at the rule (Errors); it is not
// run again on later documents, which get the "not checked" finding too.
func (s *Set) Check(f *source.File, kind source.Kind, root *yaml.Node) []report.Finding {
	if s == nil {
		return nil
	}
	idx := s.byKind[kind]
	root = tree.Resolve(root)
	if len(idx) == 0 || root == nil || root.Kind != yaml.MappingNode {
		return nil
	}
	wn, nodes := wire.EncodeNodes(root)
	results, over := s.evaluate(f.Path, kind, idx, wn)
	var out []report.Finding
	for _, i := range idx {
		r := s.rules[i]
		if o, ok := over[i]; ok {
			out = append(out, r.notChecked(f, root, o))
			continue
		}
		vs := results[i]
		if len(vs) == 0 {
			continue
		}
		at := func(n int32) *yaml.Node {
			if n < 0 || int(n) >= len(nodes) {
				return nil
			}
			return nodes[n]
		}
		list := make([]schema.Violation, len(vs))
		for k, v := range vs {
			list[k] = schema.Violation{Path: v.Path, Node: at(v.Node), Found: v.Found, Value: at(v.Value), Kind: v.Kind, Message: v.Message}
			if list[k].Found && list[k].Value == nil {
				list[k].Found = false
			}
		}
		out = append(out, r.check(f, root, list)...)
	}
	sortFindings(out)
	return out
}

// notChecked is the finding of a rule that could not check a document.
func (r *rule) notChecked(f *source.File, root *yaml.Node, o overrun) report.Finding {
	pos := tree.Pos(f, root)
	return report.Finding{
		Rule: r.id, Severity: report.Error, Pos: pos, End: f.PosAt(f.Offset(pos.Line, pos.Col) + 1),
		Message: fmt.Sprintf("%s: this document was not checked: the policy %s (see the error at %s)", r.meta.Summary, o.what, r.pos),
	}
}

// group is the violations reported at one node.
type group struct {
	node    *yaml.Node
	details []string
	paths   map[string][]string // path → messages, for conflicts of a disjunction
	order   []string
}

func (r *rule) check(f *source.File, root *yaml.Node, vs []schema.Violation) []report.Finding {
	if len(vs) == 0 {
		return nil
	}
	var groups []*group
	byNode := map[*yaml.Node]*group{}
	for _, v := range vs {
		n := v.Node
		if n == nil {
			n = root
		}
		g := byNode[n]
		if g == nil {
			g = &group{node: n, paths: map[string][]string{}}
			byNode[n] = g
			groups = append(groups, g)
		}
		p := displayPath(v.Path)
		switch v.Kind {
		case schema.ViolationMissing:
			g.add(fmt.Sprintf("`%s` is missing", p))
		case schema.ViolationNotAllowed:
			g.add(fmt.Sprintf("`%s` is not allowed", p))
		default:
			if v.Found && v.Value.Kind == yaml.ScalarNode && len(v.Path) > 0 && secrets.IsSecretName(v.Path[len(v.Path)-1]) {
				g.add(fmt.Sprintf("`%s` has a value the policy does not accept", p))
				continue
			}
			if _, ok := g.paths[p]; !ok {
				g.order = append(g.order, p)
			}
			g.paths[p] = append(g.paths[p], v.Message)
		}
	}
	var out []report.Finding
	for _, g := range groups {
		for _, p := range g.order {
			msg := summarize(g.paths[p])
			if p != "" {
				msg = "`" + p + "`: " + msg
			}
			g.add(msg)
		}
		if len(out) == maxFindings {
			pos := tree.Pos(f, root)
			out = append(out, report.Finding{
				Rule: r.id, Severity: r.meta.Severity, Pos: pos, End: f.PosAt(f.Offset(pos.Line, pos.Col) + 1),
				Message: fmt.Sprintf("%s: the document breaks this policy in more places than shown: the check stops after %d", r.meta.Summary, maxFindings),
			})
			break
		}
		out = append(out, r.finding(f, g))
	}
	return out
}

func (g *group) add(detail string) {
	for _, d := range g.details {
		if d == detail {
			return
		}
	}
	g.details = append(g.details, detail)
}

// finding is the finding of one group.
func (r *rule) finding(f *source.File, g *group) report.Finding {
	details := append([]string(nil), g.details...)
	sort.Strings(details)
	more := 0
	if len(details) > maxDetails {
		more = len(details) - maxDetails
		details = details[:maxDetails]
	}
	msg := r.meta.Summary + ": " + strings.Join(details, "; ")
	if more > 0 {
		msg += fmt.Sprintf("; and %d more", more)
	}
	pos := tree.Pos(f, g.node)
	end := tree.End(f, g.node)
	n := g.node
	if (n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode) && n.Style&yaml.FlowStyle != 0 {
		end = f.PosAt(f.Offset(n.Line, n.Column) + 1) // a flow collection: its opening bracket
	}
	if end.Line < pos.Line || (end.Line == pos.Line && end.Col < pos.Col) {
		end = pos // yaml.v3 counts a lone \r as a line break, source.File does not
	}
	return report.Finding{Rule: r.id, Severity: r.meta.Severity, Pos: pos, End: end, Message: msg}
}

var (
	disjunctionRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\d+ errors in empty disjunction:?$`) })
	conflictRE    = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^conflicting values (.+?) and (.+?)(?: \(mismatched types .*\))?$`)
	})
	plainKeyRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$-]*$`) })
)

// maxMessage bounds one CUE message in a finding (in characters).
const maxMessage = 200

// summarize folds the messages CUE gives for one path into one: the
// header of a disjunction is dropped, and the conflicts of a value with
// each alternative become "got X, want one of A, B".
func summarize(msgs []string) string {
	var parts []string
	seen := map[string]bool{}
	var pairs [][2]string
	count := map[string]int{}
	for _, m := range msgs {
		if disjunctionRE().MatchString(m) || seen[m] {
			continue
		}
		seen[m] = true
		parts = append(parts, m)
		if c := conflictRE().FindStringSubmatch(m); c != nil {
			pairs = append(pairs, [2]string{c[1], c[2]})
			count[c[1]]++
			if c[2] != c[1] {
				count[c[2]]++
			}
		}
	}
	if len(parts) == 0 {
		parts = msgs
	}
	if len(parts) > 1 && len(pairs) == len(parts) {
		var got []string
		for v, n := range count {
			if n == len(pairs) {
				got = append(got, v)
			}
		}
		if len(got) == 1 {
			var alts []string
			for _, p := range pairs {
				if p[0] == got[0] {
					alts = append(alts, p[1])
				} else {
					alts = append(alts, p[0])
				}
			}
			sort.Strings(alts)
			return shorten(fmt.Sprintf("got %s, want one of %s", got[0], strings.Join(alts, ", ")))
		}
	}
	return shorten(strings.Join(parts, "; "))
}

func shorten(s string) string {
	if r := []rune(s); len(r) > maxMessage {
		return string(r[:maxMessage]) + "…"
	}
	return s
}

// displayPath shows a data path: keys joined by dots, list indexes in
// brackets, keys that are not plain words quoted.
func displayPath(path []string) string {
	var b strings.Builder
	for i, p := range path {
		if _, err := strconv.Atoi(p); err == nil && i > 0 {
			b.WriteString("[" + p + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		if plainKeyRE().MatchString(p) {
			b.WriteString(p)
		} else {
			b.WriteString(strconv.Quote(p))
		}
	}
	return b.String()
}

// sortFindings orders findings by position, then rule and message.
func sortFindings(fs []report.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Col != b.Pos.Col {
			return a.Pos.Col < b.Pos.Col
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
}
