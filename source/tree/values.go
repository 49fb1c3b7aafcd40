package tree

import (
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
