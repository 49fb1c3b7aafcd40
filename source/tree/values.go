package tree

import (
	"unique"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// Place is where a node is in its file: its start and (exclusive) end line
// and column, as in report.Position. Views a run keeps to its end hold
// places rather than nodes (a workspace may hold tens of thousands of
// credentials, and a node is 160 bytes where a place is 16).
type Place struct{ Line, Col, EndLine, EndCol int32 }

// PlaceOf is the place of n in f (zero for nil).
func PlaceOf(f *source.File, n *yaml.Node) Place {
	if n == nil {
		return Place{}
	}
	p, e := Pos(f, n), End(f, n)
	return Place{int32(p.Line), int32(p.Col), int32(e.Line), int32(e.Col)}
}

// Pos is the place's start in f.
func (p Place) Pos(f *source.File) report.Position {
	return report.Position{Path: f.Path, Line: int(p.Line), Col: int(p.Col)}
}

// End is the place's end in f (zero when unknown).
func (p Place) End(f *source.File) report.Position {
	if p.EndLine == 0 {
		return report.Position{}
	}
	return report.Position{Path: f.Path, Line: int(p.EndLine), Col: int(p.EndCol)}
}

// Field is a scalar field reduced to its value and its place: what Str is
// for views kept to the end of a run.
type Field struct {
	Value string
	// At is the value's place, or the key's when the value has none; zero
	// when the field is absent.
	At            Place
	set, nonEmpty bool
}

// FieldOf reads key of mapping m, in file f, as a scalar field.
func FieldOf(f *source.File, m *yaml.Node, key string) Field {
	s := StrOf(m, key)
	if !s.Set() {
		return Field{}
	}
	return Field{Value: s.Value, At: PlaceOf(f, s.At()), set: true, nonEmpty: s.NonEmpty()}
}

// Set reports whether the field is present (even if empty or null).
func (s Field) Set() bool { return s.set }

// NonEmpty reports whether the field holds a non-empty scalar.
func (s Field) NonEmpty() bool { return s.nonEmpty }

// Str is a scalar field read from a mapping: its value, its key node and its
// value node. A field that is absent has nil Key.
type Str struct {
	Value string
	Key   *yaml.Node
	Node  *yaml.Node
}

// Set reports whether the field is present (even if empty or null).
func (s Str) Set() bool { return s.Key != nil }

// NonEmpty reports whether the field holds a non-empty scalar.
func (s Str) NonEmpty() bool {
	return s.Node != nil && s.Node.Kind == yaml.ScalarNode && s.Value != "" && s.Node.Tag != "!!null"
}

// StrOf reads key of mapping m as a scalar field.
func StrOf(m *yaml.Node, key string) Str {
	k, v := Get(m, key)
	if k == nil {
		return Str{}
	}
	s := Str{Key: k, Node: v}
	if v != nil && v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
		s.Value = v.Value
	}
	return s
}

// At is the node to point at: the value, or the key when the value is missing.
func (s Str) At() *yaml.Node {
	if s.Node != nil && s.Node.Line > 0 {
		return s.Node
	}
	return s.Key
}

// List is a sequence-of-scalars field read from a mapping.
type List struct {
	Values []string
	Nodes  []*yaml.Node
	Key    *yaml.Node
	Node   *yaml.Node
}

// Set reports whether the field is present.
func (l List) Set() bool { return l.Key != nil }

// Has reports whether the list contains v.
func (l List) Has(v string) bool {
	for _, x := range l.Values {
		if x == v {
			return true
		}
	}
	return false
}

// ListOf reads key of mapping m as a list of scalars (non-scalars skipped).
func ListOf(m *yaml.Node, key string) List {
	k, v := Get(m, key)
	if k == nil {
		return List{}
	}
	l := List{Key: k, Node: v}
	for _, it := range Items(v) {
		if it != nil && it.Kind == yaml.ScalarNode && it.Tag != "!!null" {
			l.Values = append(l.Values, it.Value)
			l.Nodes = append(l.Nodes, it)
		}
	}
	return l
}

// Flag is a boolean switch read from config: its value and the node that set
// it (nil when absent).
type Flag struct {
	Value bool
	Key   *yaml.Node
	Node  *yaml.Node
	// Variable is true when the value is a ${…} reference that cannot be judged.
	Variable bool
}

// Set reports whether the switch is present.
func (f Flag) Set() bool { return f.Key != nil }

// On reports whether the switch is present and true.
func (f Flag) On() bool { return f.Key != nil && f.Value }

// FlagOf reads key of mapping m as a boolean switch.
func FlagOf(m *yaml.Node, key string) Flag {
	k, v := Get(m, key)
	if k == nil {
		return Flag{}
	}
	fl := Flag{Key: k, Node: v}
	if b, ok := Bool(v); ok {
		fl.Value = b
	} else if v != nil && IsVariable(v.Value) {
		fl.Variable = true
	}
	return fl
}

// IsVariable reports whether a scalar is (or contains) a JCasC variable
// reference such as ${VAR} or ${var.oidc.client_id}.
func IsVariable(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '$' && s[i+1] == '{' {
			return true
		}
	}
	return false
}

// Mark is what a view kept to the end of a run holds of a node: its place,
// kind and style, whether it is null, and the byte span of its text when
// that text is exactly its value (what a fix may replace). It holds no node,
// so the document's tree can go once the per-file checks ran (a node is 160
// bytes and may hold a subtree; a mark is 28).
type Mark struct {
	Place
	// Off and Len are the byte span of a plain or quoted scalar whose
	// source text is exactly its value; valid when Exact.
	Off, Len int32
	Kind     uint8 // the node's yaml.Kind (0 when there is no node)
	Style    uint8 // the node's yaml.Style
	Null     bool  // an explicit null (tag !!null)
	Exact    bool
}

// MarkOf is the mark of n in f (zero for nil).
func MarkOf(f *source.File, n *yaml.Node) Mark {
	if n == nil {
		return Mark{}
	}
	m := Mark{Place: PlaceOf(f, n), Kind: uint8(n.Kind), Style: uint8(n.Style), Null: n.Kind == yaml.ScalarNode && n.Tag == "!!null"}
	if n.Kind != yaml.ScalarNode || n.Line == 0 {
		return m
	}
	off := f.Offset(n.Line, n.Column)
	if aliasEnd(f.Data, off) > 0 {
		return m // a key resolved from an alias: its text (*k) is not its value
	}
	switch n.Style {
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		off++
	case 0:
	default:
		return m
	}
	end := off + len(n.Value)
	if end > len(f.Data) || string(f.Data[off:end]) != n.Value {
		return m
	}
	m.Off, m.Len, m.Exact = int32(off), int32(len(n.Value)), true
	return m
}

// IsZero reports whether the place is unknown (no node).
func (p Place) IsZero() bool { return p.Line == 0 }

// IsScalar reports whether the mark is a scalar's.
func (m Mark) IsScalar() bool { return yaml.Kind(m.Kind) == yaml.ScalarNode }

// IsNull reports whether the mark is absent or an explicit null, as IsNull
// of its node.
func (m Mark) IsNull() bool { return m.Kind == 0 || m.Null }

// Scalar is a scalar field of a view kept to the end of a run: what Str
// reads, with marks in place of nodes. An absent field is its value and a
// nil pointer (a realm has many fields, most of them unset).
type Scalar struct {
	Value string
	*scalarAt
}

// scalarAt is what a present field keeps besides its value: its key's name
// (one copy per distinct name, behind a pointer-sized handle) and marks.
// Scalar and Switch embed it, nil when the field is absent, and its
// methods answer for them (nil-safe).
type scalarAt struct {
	name      unique.Handle[string]
	key, node Mark
}

// Name is the key as written; empty when the field is absent.
func (a *scalarAt) Name() string {
	if a == nil {
		return ""
	}
	return a.name.Value()
}

// Key is the key's mark; zero when the field is absent.
func (a *scalarAt) Key() Mark {
	if a == nil {
		return Mark{}
	}
	return a.key
}

// Node is the value's mark; zero when there is none.
func (a *scalarAt) Node() Mark {
	if a == nil {
		return Mark{}
	}
	return a.node
}

// Set reports whether the field is present (even if empty or null).
func (a *scalarAt) Set() bool { return a != nil }

// ScalarOf reads key of mapping m, in file f, as a scalar field.
func ScalarOf(f *source.File, m *yaml.Node, key string) Scalar {
	return ScalarFrom(f, StrOf(m, key))
}

// ScalarFrom is the Scalar of a field read with StrOf.
func ScalarFrom(f *source.File, s Str) Scalar {
	if s.Key == nil {
		return Scalar{}
	}
	return Scalar{Value: s.Value, scalarAt: &scalarAt{name: unique.Make(s.Key.Value), key: MarkOf(f, s.Key), node: MarkOf(f, s.Node)}}
}

// NonEmpty reports whether the field holds a non-empty scalar.
func (s Scalar) NonEmpty() bool {
	n := s.Node()
	return n.IsScalar() && s.Value != "" && !n.Null
}

// At is the mark to point at: the value's, or the key's when the value is
// missing; zero when the field is absent.
func (s Scalar) At() Mark {
	if n := s.Node(); n.Line > 0 {
		return n
	}
	return s.Key()
}

// Switch is a boolean switch of a view kept to the end of a run: what Flag
// reads, with marks in place of nodes (a nil pointer when absent).
type Switch struct {
	Value bool
	// Variable is true when the value is a ${…} reference that cannot be judged.
	Variable bool
	// Item is true when the switch is an item of the realm's properties
	// list: its key and value are one node (Key == Node).
	Item bool
	*scalarAt
}

// SwitchOf reads key of mapping m, in file f, as a boolean switch.
func SwitchOf(f *source.File, m *yaml.Node, key string) Switch {
	fl := FlagOf(m, key)
	if fl.Key == nil {
		return Switch{}
	}
	return Switch{Value: fl.Value, Variable: fl.Variable, scalarAt: &scalarAt{name: unique.Make(fl.Key.Value), key: MarkOf(f, fl.Key), node: MarkOf(f, fl.Node)}}
}

// SwitchItem is a switch set by the properties item n (a bare name, or the
// key of a mapping with arguments): on, its key and value the one node.
func SwitchItem(f *source.File, n *yaml.Node) Switch {
	m := MarkOf(f, n)
	return Switch{Value: true, Item: true, scalarAt: &scalarAt{name: unique.Make(n.Value), key: m, node: m}}
}

// On reports whether the switch is present and true.
func (s Switch) On() bool { return s.Set() && s.Value }

// Keys lists the keys Get finds in mapping m: its scalar keys and those of
// the mappings it merges (<<), each once, in the order Get looks.
func Keys(m *yaml.Node) []string {
	var out []string
	seen := map[string]bool{}
	var walk func(m *yaml.Node, depth int)
	walk = func(m *yaml.Node, depth int) {
		m = Resolve(m)
		if m == nil || m.Kind != yaml.MappingNode || depth > 100 {
			return
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			if k := m.Content[i]; k.Kind == yaml.ScalarNode && !seen[k.Value] {
				seen[k.Value] = true
				out = append(out, intern(k.Value))
			}
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Tag == "!!merge" {
				walk(m.Content[i+1], depth+1)
			}
		}
	}
	walk(m, 0)
	return out
}

// intern returns the one copy of a key name (package unique): views kept to
// the end of a run share their key names rather than hold the parser's.
func intern(s string) string { return unique.Make(s).Value() }
