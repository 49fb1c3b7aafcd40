package schema

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/schema/internal/shape"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// maxDepth bounds the walk; the schemas are five levels deep.
const maxDepth = 64

// maxFindings bounds the findings of one document: aliases can repeat a
// wrong mapping thousands of times.
const maxFindings = 200

// words is the vocabulary of one document format.
type words struct {
	root    string // "the oic realm"
	mapping string // "a mapping" / "an object"
	list    string // "a list" / "an array"
	json    bool
}

var (
	yamlWords     = words{root: "the oic realm", mapping: "a mapping", list: "a list"}
	settingsWords = words{root: "the settings", mapping: "a mapping", list: "a list"}
	jsonWords     = words{root: "the provider metadata", mapping: "an object", list: "an array", json: true}
)

// walker checks one document against a shape and collects findings.
type walker struct {
	c    *Checker
	f    *source.File
	rule string
	w    words
	// keys maps a key name to the schema paths that accept it ("belongs
	// under" hints); nil when the format has none.
	keys  map[string][]string
	out   []report.Finding
	nodes int
	// shapeOnly skips what CUE itself does not check (named checks, eras,
	// @excludes, @requiredUnless) and records the node of each finding: the
	// reference tests compare such a walk with CUE.
	shapeOnly bool
	at        []*yaml.Node
	segs      []seg
	dropped   int // findings over maxFindings (the walk stops at the first)
}

// at is the node being checked and its key (nil for list items and the
// root). Its display path is the walker's segment stack.
type at struct {
	key  *yaml.Node
	node *yaml.Node
}

// seg is one step of the display path: a field name, or a list index.
type seg struct {
	name string
	idx  int    // -1 for a field
	none string // the field's @none: what holding no choice means
}

// path is the display path of the node being checked, e.g.
// serverConfiguration.manual or properties[2].escapeHatch. It is built only
// for messages.
func (w *walker) path() string {
	var b strings.Builder
	for _, s := range w.segs {
		if s.idx >= 0 {
			b.WriteString("[" + strconv.Itoa(s.idx) + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.name)
	}
	return b.String()
}

func (w *walker) name(path string) string {
	if path == "" {
		return w.w.root
	}
	return "`" + path + "`"
}

// add records a finding spanning n.
func (w *walker) add(n *yaml.Node, msg string, related ...report.Related) {
	if len(w.out) >= maxFindings {
		w.dropped++
		return
	}
	pos := tree.Pos(w.f, n)
	end := tree.End(w.f, n)
	if n != nil && (n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode) && n.Style&yaml.FlowStyle != 0 {
		// A flow collection: point at its opening bracket only.
		end = w.f.PosAt(w.f.Offset(n.Line, n.Column) + 1)
	}
	if end.Line < pos.Line || (end.Line == pos.Line && end.Col < pos.Col) {
		// yaml.v3 counts a lone \r as a line break, source.File does not.
		end = pos
	}
	if w.shapeOnly {
		w.at = append(w.at, n)
	}
	w.out = append(w.out, report.Finding{
		Rule:     w.rule,
		Severity: report.Error,
		Pos:      pos,
		End:      end,
		Message:  msg,
		Related:  related,
	})
}

// value checks n against s and reports whether it conforms (so that named
// checks run only on well-typed values).
func (w *walker) value(s *shape.Shape, a at, secret bool, depth int) bool {
	n := tree.Resolve(a.node)
	if n == nil || s == nil || s.Any() {
		return true
	}
	w.nodes++
	if depth > maxDepth || w.nodes > tree.MaxNodes || w.dropped > 0 {
		return true
	}
	switch n.Kind {
	case yaml.MappingNode:
		if s.Obj != nil {
			return w.object(s.Obj, at{a.key, n}, secret, depth)
		}
	case yaml.SequenceNode:
		if s.List != nil {
			return w.list(s.List, at{a.key, n}, secret, depth)
		}
	case yaml.ScalarNode:
		if s.Scalar != nil {
			d := scalarOf(n)
			if s.Scalar.Accepts(d) {
				return true
			}
			w.badScalar(s, w.path(), n, d, secret)
			return false
		}
	}
	msg := fmt.Sprintf("%s must be %s, not %s", w.name(w.path()), w.describe(s), w.actual(n, secret))
	if s.Obj != nil && s.Obj.OneOf {
		msg += w.noneHint()
	}
	w.add(n, msg)
	return false
}

// noneHint is ": " and the @none text of the field being checked, or "":
// what it means for the plugin that the field holds none of its choices.
func (w *walker) noneHint() string {
	if len(w.segs) == 0 || w.segs[len(w.segs)-1].none == "" {
		return ""
	}
	return ": " + w.segs[len(w.segs)-1].none
}

// pair is a key and its value in a mapping, merge keys expanded.
type pair struct{ key, val *yaml.Node }

// pairs lists a mapping's keys in source order, then the keys a merge key
// (<<: *anchor) brings in that the mapping does not set itself: the same
// view tree.Get and tree.ToValue have.
func pairs(m *yaml.Node, depth int) []pair {
	var own, merged []pair
	for _, p := range tree.Pairs(m) {
		if p.Key.Tag == "!!merge" {
			if depth < 10 {
				merged = append(merged, pairs(p.Value, depth+1)...)
			}
			continue
		}
		own = append(own, pair{p.Key, p.Value})
	}
	if len(merged) == 0 {
		return own
	}
	seen := make(map[string]bool, len(own))
	for _, p := range own {
		seen[p.key.Value] = true
	}
	for _, p := range merged {
		if !seen[p.key.Value] {
			seen[p.key.Value] = true
			own = append(own, p)
		}
	}
	return own
}

func (w *walker) object(o *shape.Obj, a at, secret bool, depth int) bool {
	ok := true
	present := make(map[string]pair, len(a.node.Content)/2)
	seen := make(map[string]bool, len(a.node.Content)/2)
	var order []string
	for _, p := range pairs(a.node, 0) {
		name := p.key.Value
		if seen[name] {
			// YAML forbids it; readers disagree on which value wins (the
			// rules read the first), so a second `disableSslVerification:
			// true` could pass unseen
			w.add(p.key, fmt.Sprintf("`%s` is set twice in %s: a YAML mapping holds a key once, and readers disagree on which value counts; keep one", name, w.nameIn(w.path())))
			ok = false
			continue
		}
		seen[name] = true
		f := o.Field(name)
		if f == nil {
			switch {
			case o.Elem != nil: // [string]: T
				w.segs = append(w.segs, seg{name: name, idx: -1})
				w.value(o.Elem, at{p.key, p.val}, secret, depth+1)
				w.segs = w.segs[:len(w.segs)-1]
			case !o.Open:
				w.unknownKey(o, w.path(), p.key)
				ok = false
			}
			continue
		}
		present[name] = p
		order = append(order, name)
		sec := secret || f.Secret
		fa := at{p.key, p.val}
		w.segs = append(w.segs, seg{name: name, idx: -1, none: f.None})
		if w.value(f.Shape, fa, sec, depth+1) && f.Check != "" && !w.shapeOnly {
			if chk := namedChecks[f.Check]; chk != nil {
				chk(w, fa)
			}
		}
		w.segs = w.segs[:len(w.segs)-1]
	}
	parent := a.key
	if parent == nil {
		parent = a.node
	}
	if o.OneOf {
		switch len(order) {
		case 0:
			w.add(parent, fmt.Sprintf("%s must hold one of %s", w.name(w.path()), codeList(o.Names))+w.noneHint())
			ok = false
		case 1:
		default:
			if w.shapeOnly {
				w.at = append(w.at, a.node) // the violation is the mapping's
			}
			for _, name := range order[1:] {
				w.add(present[name].key, fmt.Sprintf("%s holds both `%s` and `%s`: it takes exactly one of %s",
					w.name(w.path()), order[0], name, codeList(o.Names)))
			}
			ok = false
		}
	}
	for _, name := range o.Names {
		f := o.Field(name)
		if _, has := present[name]; has {
			continue
		}
		switch {
		case f.Required:
			w.add(parent, w.missingMessage(w.path(), f))
			ok = false
		case f.ReqUnless != "" && !w.shapeOnly:
			if cond := conditions[f.ReqUnless]; cond != nil && !cond(a.node) {
				w.add(parent, w.missingMessage(w.path(), f))
				ok = false
			}
		}
	}
	if w.shapeOnly || !o.Dated {
		return ok
	}
	w.eras(o, present, order)
	for _, name := range order {
		for _, ex := range o.Field(name).Excludes {
			if p, has := present[ex]; has {
				f := o.Field(name)
				msg := fmt.Sprintf("`%s` cannot be combined with `%s`", ex, name)
				if f.Hint != "" {
					msg += ": " + f.Hint
				}
				w.add(p.key, msg, report.Related{Pos: tree.Pos(w.f, present[name].key), Message: fmt.Sprintf("`%s` is set here", name)})
			}
		}
	}
	return ok
}

// eras reports keys of a mapping that no single release accepts together:
// each key older than the newest key present is reported, with the newest
// key as the related position.
func (w *walker) eras(o *shape.Obj, present map[string]pair, order []string) {
	var dater *shape.Field
	for _, name := range order {
		f := o.Field(name)
		if f.Since != "" && (dater == nil || versionLess(dater.Since, f.Since)) {
			dater = f
		}
	}
	if dater == nil {
		return
	}
	for _, name := range order {
		f := o.Field(name)
		end := f.Until
		if f.Deprec != "" {
			end = f.Deprec
		}
		if end == "" || versionLess(dater.Since, end) {
			continue
		}
		var msg string
		if f.Flat {
			msg = fmt.Sprintf("`%s` is a flat key of oic-auth %s; from %s %s", name, flatLabel(f.Until), f.Until, f.Hint)
		} else {
			msg = fmt.Sprintf("`%s` was removed in oic-auth %s; %s", name, f.Until, f.Hint)
		}
		rel := fmt.Sprintf("`%s` exists only from oic-auth %s", dater.Name, dater.Since)
		if dater.Later {
			rel = fmt.Sprintf("`%s` exists only in oic-auth releases after %s", dater.Name, dater.Since)
		}
		w.add(present[name].key, msg, report.Related{Pos: tree.Pos(w.f, present[dater.Name].key), Message: rel})
	}
}

func (w *walker) missingMessage(path string, f *shape.Field) string {
	if w.w.json {
		if f.ReqUnless == "implicitOnly" {
			return fmt.Sprintf("%s has no `%s`: it is REQUIRED (OpenID Connect Discovery 1.0 §3) unless the provider supports only the implicit flow, and `response_types_supported` lists a code flow", w.name(path), f.Name)
		}
		return fmt.Sprintf("%s has no `%s`, which OpenID Connect Discovery 1.0 §3 makes REQUIRED", w.name(path), f.Name)
	}
	msg := fmt.Sprintf("%s has no `%s`, which oic-auth requires", w.name(path), f.Name)
	if f.Since != "" {
		msg = fmt.Sprintf("%s has no `%s`, which oic-auth requires since %s", w.name(path), f.Name, f.Since)
	}
	if f.Hint != "" {
		msg += ": " + f.Hint
	}
	return msg
}

func (w *walker) list(l *shape.List, a at, secret bool, depth int) bool {
	items := tree.Items(a.node)
	ok := true
	if len(items) < l.Min {
		ok = false
		switch {
		case w.w.json && a.key != nil && w.requiredHere(w.path()):
			w.add(a.node, fmt.Sprintf("%s is an empty array: it is REQUIRED and must list at least one value", w.name(w.path())))
		case w.w.json:
			w.add(a.node, fmt.Sprintf("%s is an empty array: a field without values MUST be omitted (OpenID Connect Discovery 1.0 §4.2)", w.name(w.path())))
		default:
			w.add(a.node, fmt.Sprintf("%s must list at least %s", w.name(w.path()), countWord(l.Min, "entry", "entries")))
		}
	}
	for i, it := range items {
		w.segs = append(w.segs, seg{idx: i})
		if !w.value(l.Elem, at{nil, it}, secret, depth+1) {
			ok = false
		}
		w.segs = w.segs[:len(w.segs)-1]
	}
	return ok
}

// requiredHere reports whether the top-level field at path is required.
func (w *walker) requiredHere(path string) bool {
	if f := w.c.s.disc.Obj.Field(path); f != nil {
		return f.Required
	}
	return false
}

func (w *walker) unknownKey(o *shape.Obj, path string, key *yaml.Node) {
	name := key.Value
	msg := fmt.Sprintf("unknown key `%s` in %s", name, w.nameIn(path))
	switch {
	case suggestion(name, o) != "":
		msg += fmt.Sprintf(" (did you mean `%s`?)", suggestion(name, o))
	case len(w.elsewhere(name, path)) > 0:
		msg += ": it belongs under " + strings.Join(w.elsewhere(name, path), " or ")
	case len(o.Names) <= 12:
		msg += "; expected " + codeList(offered(o))
	default:
		msg += ": oic-auth has no such setting, and JCasC refuses unknown keys"
	}
	w.add(key, msg)
}

func (w *walker) nameIn(path string) string {
	if path == "" {
		return w.w.root
	}
	return path
}

// elsewhere lists the other schema paths where name is a key.
func (w *walker) elsewhere(name, path string) []string {
	var out []string
	for _, p := range w.keys[name] {
		if p == schemaPath(path) {
			continue
		}
		if p == "" {
			p = "oic"
		}
		out = append(out, p)
	}
	return out
}

// schemaPath turns a data path (properties[2].escapeHatch) into its schema
// path (properties[].escapeHatch).
// (No regexp: this package compiles nothing at initialisation.)
func schemaPath(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '[' {
			j := i + 1
			for j < len(p) && p[j] >= '0' && p[j] <= '9' {
				j++
			}
			if j > i+1 && j < len(p) && p[j] == ']' {
				b.WriteString("[]")
				i = j
				continue
			}
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

func (w *walker) badScalar(s *shape.Shape, path string, n *yaml.Node, d scalar, secret bool) {
	msg := fmt.Sprintf("%s must be %s, not %s", w.name(path), w.describe(s), w.actual(n, secret))
	if d.Kind == shape.StringKind && !secret {
		if sug := closest(d.S, s.Literals()); sug != "" {
			msg += fmt.Sprintf(" (did you mean `%s`?)", sug)
		}
	}
	if d.Kind == shape.NullKind && w.w.json && len(w.segs) > 0 && w.segs[len(w.segs)-1].idx < 0 {
		msg += ": omit a field that has no value"
	}
	w.add(n, msg)
}

// describe names what a shape accepts, for "must be …" messages.
func (w *walker) describe(s *shape.Shape) string {
	var parts []string
	lits := s.Literals()
	if len(lits) > 0 {
		parts = append(parts, "one of "+codeList(lits))
	} else if s.Desc != "" {
		return s.Desc
	} else if s.Scalar != nil {
		parts = append(parts, kindNames(s.Scalar))
	}
	if s.Obj != nil {
		switch {
		case !s.Obj.OneOf:
			parts = append(parts, w.w.mapping)
		case len(lits) > 0:
			// A bare name may also be written as a map from the name:
			// name only the keys that need the map form.
			var more []string
			for _, k := range s.Obj.Names {
				if !contains(lits, k) {
					more = append(more, k)
				}
			}
			if len(more) > 0 {
				parts = append(parts, fmt.Sprintf("a map with one key of %s", codeList(more)))
			}
		default:
			parts = append(parts, fmt.Sprintf("%s with one key of %s", w.w.mapping, codeList(s.Obj.Names)))
		}
	}
	if s.List != nil {
		parts = append(parts, w.w.list)
	}
	return strings.Join(parts, ", or ")
}

// kindNames names the kinds of the non-literal arms (the ${VAR} arm and
// alternative spellings are not named).
func kindNames(sc *shape.Scalar) string {
	var names []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			names = append(names, s)
		}
	}
	for _, a := range sc.Arms {
		if a.Lit != nil || a.IsVar || len(a.Res) > 0 {
			continue
		}
		var lo, hi string
		for _, b := range a.Bounds {
			if b.IsS {
				continue
			}
			switch b.Op {
			case shape.GreaterEqual:
				lo = "from " + formatNum(b.Num)
			case shape.LessEqual:
				hi = "to " + formatNum(b.Num)
			}
		}
		var n string
		switch {
		case a.Kind == shape.TopKind:
			n = "any value"
		case a.Kind == shape.BoolKind:
			n = "a boolean (true or false)"
		case a.Kind == shape.StringKind:
			n = "a string"
		case a.Kind == shape.IntKind:
			n = "a whole number"
		case a.Kind&shape.NumberKind == a.Kind:
			n = "a number"
		case a.Kind == shape.NullKind:
			continue
		default:
			n = a.Kind.String()
		}
		if lo != "" || hi != "" {
			n = strings.TrimSpace(n + " " + strings.TrimSpace(lo+" "+hi))
		}
		add(n)
	}
	if len(names) == 0 {
		return "a valid value"
	}
	return strings.Join(names, " or ")
}

func formatNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// actual names what a node is, without ever showing a secret.
func (w *walker) actual(n *yaml.Node, secret bool) string {
	switch n.Kind {
	case yaml.MappingNode:
		return w.w.mapping
	case yaml.SequenceNode:
		return w.w.list
	}
	d := scalarOf(n)
	switch d.Kind {
	case shape.NullKind:
		if w.w.json {
			return "null"
		}
		return "an empty value"
	case shape.BoolKind:
		if secret {
			return "a boolean"
		}
		return "the boolean " + strconv.FormatBool(d.B)
	case shape.IntKind, shape.FloatKind:
		if secret {
			return "a number"
		}
		return "the number " + n.Value
	}
	if secret {
		return "a value of type string"
	}
	return "the string " + quote(d.S)
}

// quote shows a value in a message, shortened.
func quote(s string) string {
	const max = 60
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max]) + "…"
	}
	return strconv.Quote(s)
}

// offered is the names of o's fields a message may propose: all but the
// legacy names (@legacy) that a plugin still reads.
func offered(o *shape.Obj) []string {
	names := make([]string, 0, len(o.Names))
	for i, n := range o.Names {
		if !o.Fields[i].Legacy {
			names = append(names, n)
		}
	}
	return names
}

func codeList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "`" + n + "`"
	}
	switch len(q) {
	case 0:
		return "nothing"
	case 1:
		return q[0]
	case 2:
		return q[0] + " or " + q[1]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

func countWord(n int, one, many string) string {
	if n == 1 {
		return "one " + one
	}
	return strconv.Itoa(n) + " " + many
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// scalarOf types a scalar node the way tree.ToValue does, which is how the
// same value reaches CUE.
func scalarOf(n *yaml.Node) scalar {
	d := scalar{Kind: shape.StringKind, S: n.Value}
	switch n.Tag {
	case "!!null":
		d.Kind = shape.NullKind
	case "!!bool":
		b, _ := tree.Bool(n)
		d.Kind, d.B = shape.BoolKind, b
	case "!!int":
		if i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err == nil {
			d.Kind, d.Num = shape.IntKind, float64(i)
		}
	case "!!float":
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
			d.Kind, d.Num = shape.FloatKind, f
		}
	}
	return d
}

// finish sorts the findings and says how many were left out.
func (w *walker) finish(root *yaml.Node) []report.Finding {
	report.Sort(w.out) // the one finding order of every output
	if w.dropped > 0 {
		w.dropped = 0
		pos := tree.Pos(w.f, root)
		w.out = append(w.out, report.Finding{
			Rule: w.rule, Severity: report.Error, Pos: pos, End: w.f.PosAt(w.f.Offset(pos.Line, pos.Col) + 1),
			Message: fmt.Sprintf("%s has more schema errors than shown: the check stops after %d a document", w.w.root, maxFindings),
		})
	}
	return w.out
}
