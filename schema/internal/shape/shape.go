// Package shape is the compiled form of the embedded CUE schemas: what a
// YAML/JSON node may be. It imports no CUE. The schema package checks
// documents against a Set; schema/internal/cuecompile builds a Set from the
// CUE definitions (at build time, for go generate, and in tests), and
// schema/internal/shapegen writes a Set as Go source (schema/shapes_gen.go).
//
// A Set is built once and never written afterwards: it is safe for
// concurrent use.
package shape

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Set holds the compiled definitions the checker uses.
type Set struct {
	Realm     *Shape // #OicRealm
	Discovery *Shape // #ProviderMetadata
	Cred      *Shape // #Credential
	RoleBased *Shape // #RoleBased
	Matrix    *Shape // #Matrix
	Settings  *Shape // #Settings
}

// Shape is the compiled form of a CUE constraint. A node may accept several
// kinds at once (a property item is a bare name or a single-key map).
type Shape struct {
	Desc   string  // how messages name the expected value ("" = derive)
	Obj    *Obj    // a mapping is accepted
	List   *List   // a sequence is accepted
	Scalar *Scalar // a scalar is accepted
}

// Any reports whether s is CUE's _ (any value: a mapping, a sequence or a
// scalar), which compiles to a scalar arm of every kind and nothing else.
func (s *Shape) Any() bool {
	if s == nil || s.Obj != nil || s.List != nil || s.Scalar == nil || len(s.Scalar.Arms) != 1 {
		return false
	}
	a := s.Scalar.Arms[0]
	return a.Kind == TopKind && a.Lit == nil && len(a.Res) == 0 && len(a.NRes) == 0 && len(a.Bounds) == 0 && !a.IsVar
}

// Obj is a struct.
type Obj struct {
	// Fields are sorted by name, Names their names in the same order: a
	// slice, not a map, so that generated shapes are data the compiler
	// lays out, not code that builds maps at start-up.
	Fields []*Field
	Names  []string
	Open   bool // unknown keys are allowed
	OneOf  bool // exactly one of the fields must be present
	Dated  bool // some field has @era or @excludes: check eras
	// Elem is the constraint of every key that is not a field ([string]: T);
	// nil when there is none.
	Elem *Shape
}

// Field returns the field called name, or nil.
func (o *Obj) Field(name string) *Field {
	i := sort.SearchStrings(o.Names, name)
	if i < len(o.Names) && o.Names[i] == name {
		return o.Fields[i]
	}
	return nil
}

// SetFields makes fields the object's fields, sorted by name; it reports a
// name given twice.
func (o *Obj) SetFields(fields []*Field) error {
	fields = append([]*Field(nil), fields...)
	sort.SliceStable(fields, func(i, j int) bool { return fields[i].Name < fields[j].Name })
	o.Fields, o.Names = fields, make([]string, len(fields))
	for i, f := range fields {
		if i > 0 && fields[i-1].Name == f.Name {
			return fmt.Errorf("field %s twice", f.Name)
		}
		o.Names[i] = f.Name
	}
	return nil
}

// List is an open list of one element constraint.
type List struct {
	Elem *Shape
	Min  int
}

// Field is one field of an object with the data of its attributes.
type Field struct {
	Name      string
	Required  bool
	Shape     *Shape
	Secret    bool
	Since     string // @era(since=…)
	Later     bool   // @era(later): since is a lower bound
	Until     string // @era(until=…)
	Deprec    string // @era(deprecated=…): when its replacement arrived
	Flat      bool   // @era(flat)
	Legacy    bool   // @legacy(): an old name still read, never offered
	Hint      string
	None      string // @none: what holding none of a oneOf's choices means
	Aliases   []string
	Excludes  []string
	Check     string // @check(name): a Go check of the schema package
	ReqUnless string // @requiredUnless(name): a Go condition of the schema package
}

// Checks and Conditions are the names the schema package implements for
// @check and @requiredUnless; the compiler refuses any other, and a test of
// the schema package keeps these lists equal to its tables.
var (
	Checks     = []string{"issuer", "rs256", "url"}
	Conditions = []string{"implicitOnly"}
)

// Scalar accepts a scalar when any arm does.
type Scalar struct {
	Arms []Arm
}

// Arm is a conjunction of conditions on one scalar.
type Arm struct {
	Kind   Kind   // allowed kinds; TopKind for any
	Lit    *Value // the value must equal this literal
	Res    []*Regexp
	NRes   []*Regexp
	Bounds []Bound
	IsVar  bool // the ${VAR} arm
}

// Regexp is a regular expression compiled on its first use: compiling the
// schemas' few patterns costs more than building every other part of a Set
// (about a million instructions), and most runs never need them (a ${VAR}
// is recognised without one).
type Regexp struct {
	Pattern string // valid: the compiler compiled it
	once    sync.Once
	re      *regexp.Regexp
}

// NewRegexp compiles pattern now and returns it as a Regexp.
func NewRegexp(pattern string) (*Regexp, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	r := &Regexp{Pattern: pattern, re: re}
	r.once.Do(func() {})
	return r, nil
}

// MatchString reports whether s contains a match of the pattern.
func (r *Regexp) MatchString(s string) bool {
	r.once.Do(func() {
		if r.re == nil {
			r.re = regexp.MustCompile(r.Pattern)
		}
	})
	return r.re.MatchString(s)
}

// String is the pattern.
func (r *Regexp) String() string { return r.Pattern }

// Bound is a comparison with a number or a string.
type Bound struct {
	Op  Op
	Num float64
	Str string
	IsS bool
}

// Kind is a set of value kinds, as CUE's cue.Kind (the same bits' meaning,
// not the same values).
type Kind uint16

// The kinds.
const (
	NullKind Kind = 1 << iota
	BoolKind
	IntKind
	FloatKind
	StringKind
	BytesKind
	ListKind
	StructKind

	NumberKind = IntKind | FloatKind
	TopKind    = NullKind | BoolKind | IntKind | FloatKind | StringKind | BytesKind | ListKind | StructKind
)

var kindNames = []string{"null", "bool", "int", "float", "string", "bytes", "list", "struct"}

// String names the kinds as CUE does: "int", "(int|string)".
func (k Kind) String() string {
	switch k {
	case TopKind:
		return "_"
	case NumberKind:
		return "number"
	case 0:
		return "_|_"
	}
	var names []string
	for i, n := range kindNames {
		if k&(1<<i) != 0 {
			names = append(names, n)
		}
	}
	if len(names) == 1 {
		return names[0]
	}
	return "(" + strings.Join(names, "|") + ")"
}

// Op is a comparison of a bound.
type Op uint8

// The comparisons.
const (
	LessThan Op = iota + 1
	LessEqual
	GreaterThan
	GreaterEqual
	NotEqual
)

// VarPattern is the regular expression of #var in common.cue.
const VarPattern = `\$\{`

// Value is a YAML/JSON scalar typed the way CUE sees it.
type Value struct {
	Kind Kind
	S    string // the text of a string (and the source text of any scalar)
	Num  float64
	B    bool
}

// Equal reports whether a and b are the same value (numbers compare by
// value, whatever their kind).
func (a Value) Equal(b Value) bool {
	if a.Kind&NumberKind != 0 && b.Kind&NumberKind != 0 {
		return a.Num == b.Num
	}
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case StringKind:
		return a.S == b.S
	case BoolKind:
		return a.B == b.B
	}
	return true // null
}

// Accepts reports whether some arm accepts d.
func (s *Scalar) Accepts(d Value) bool {
	for i := range s.Arms {
		if s.Arms[i].Accepts(d) {
			return true
		}
	}
	return false
}

// Accepts reports whether d meets every condition of the arm.
func (a *Arm) Accepts(d Value) bool {
	if a.Kind&d.Kind == 0 {
		return false
	}
	if a.Lit != nil && !a.Lit.Equal(d) {
		return false
	}
	if a.IsVar && len(a.Res) == 1 {
		// #var, the most common arm: no regexp needed.
		return d.Kind == StringKind && strings.Contains(d.S, "${") && a.rest(d)
	}
	for _, re := range a.Res {
		if d.Kind != StringKind || !re.MatchString(d.S) {
			return false
		}
	}
	return a.rest(d)
}

// rest checks the conditions after the kind, literal and regexps.
func (a *Arm) rest(d Value) bool {
	for _, re := range a.NRes {
		if d.Kind == StringKind && re.MatchString(d.S) {
			return false
		}
	}
	for _, b := range a.Bounds {
		if !b.Accepts(d) {
			return false
		}
	}
	return true
}

// Accepts reports whether d is within the bound.
func (b Bound) Accepts(d Value) bool {
	var c int
	switch {
	case b.IsS && d.Kind == StringKind:
		c = strings.Compare(d.S, b.Str)
	case !b.IsS && d.Kind&NumberKind != 0:
		switch {
		case d.Num < b.Num:
			c = -1
		case d.Num > b.Num:
			c = 1
		}
	default:
		return false
	}
	switch b.Op {
	case LessThan:
		return c < 0
	case LessEqual:
		return c <= 0
	case GreaterThan:
		return c > 0
	case GreaterEqual:
		return c >= 0
	case NotEqual:
		return c != 0
	}
	return false
}

// Literals lists the string literals a shape accepts.
func (s *Shape) Literals() []string {
	if s.Scalar == nil {
		return nil
	}
	var out []string
	for _, a := range s.Scalar.Arms {
		if a.Lit != nil && a.Lit.Kind == StringKind {
			out = append(out, a.Lit.S)
		}
	}
	return out
}
