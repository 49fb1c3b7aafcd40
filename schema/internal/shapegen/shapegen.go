// Package shapegen writes a shape.Set as Go source: package-level
// variables holding the same shapes as composite literals of constants and
// of each other (no maps), which the compiler lays out as data, so no code
// runs to build them, at start-up or later. Identical subtrees are written
// once and shared (a Set is never written after it is built), and regular
// expressions are compiled on their first match (shape.Regexp). The output
// is deterministic: the same Set gives the same bytes, so a test can
// compare a generated file with what compiling the CUE gives today.
package shapegen

import (
	"bytes"
	"fmt"
	"go/format"
	"io/fs"
	"strconv"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/schema/internal/cuecompile"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/schema/internal/shape"
)

// Generate returns the source of a Go file of package pkg that declares
// func name() *shape.Set returning set, which it holds in the variable
// <name>Set and its parts in variables xs2, xf3, xo12… (x, the kind of
// value, a number).
func Generate(set *shape.Set, pkg, name, header string) ([]byte, error) {
	g := &gen{ids: map[string]string{}}
	ret := fmt.Sprintf("&shape.Set{Realm: %s, Discovery: %s, Cred: %s, RoleBased: %s, Matrix: %s, Settings: %s}",
		g.shape(set.Realm), g.shape(set.Discovery), g.shape(set.Cred), g.shape(set.RoleBased), g.shape(set.Matrix), g.shape(set.Settings))
	var b bytes.Buffer
	b.WriteString(header)
	fmt.Fprintf(&b, "\npackage %s\n\nimport (\n", pkg)
	b.WriteString("\t\"github.com/jenkins-oidc-lint/jenkins-oidc-lint/schema/internal/shape\"\n)\n\n")
	fmt.Fprintf(&b, "// %s returns the compiled schemas (%d values, identical ones shared;\n// data, not code: nothing is built when it is called).\nfunc %s() *shape.Set { return %sSet }\n\n", name, len(g.lines), name, name)
	fmt.Fprintf(&b, "var %sSet = %s\n\nvar (\n", name, ret)
	for _, l := range g.lines {
		b.WriteString("\t" + l + "\n")
	}
	b.WriteString(")\n")
	out, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("format generated source: %w", err)
	}
	return out, nil
}

type gen struct {
	ids   map[string]string // literal → variable
	lines []string
	n     int
}

// def names a literal, once for each distinct literal.
func (g *gen) def(prefix, lit string) string {
	if id, ok := g.ids[lit]; ok {
		return id
	}
	id := "x" + prefix + strconv.Itoa(g.n)
	g.n++
	g.ids[lit] = id
	g.lines = append(g.lines, id+" = "+lit)
	return id
}

func (g *gen) shape(s *shape.Shape) string {
	if s == nil {
		return "nil"
	}
	var parts []string
	if s.Desc != "" {
		parts = append(parts, "Desc: "+strconv.Quote(s.Desc))
	}
	if s.Obj != nil {
		parts = append(parts, "Obj: "+g.obj(s.Obj))
	}
	if s.List != nil {
		parts = append(parts, fmt.Sprintf("List: &shape.List{Elem: %s, Min: %d}", g.shape(s.List.Elem), s.List.Min))
	}
	if s.Scalar != nil {
		var arms []string
		for _, a := range s.Scalar.Arms {
			arms = append(arms, g.arm(a))
		}
		parts = append(parts, "Scalar: &shape.Scalar{Arms: []shape.Arm{"+strings.Join(arms, ", ")+"}}")
	}
	return g.def("s", "&shape.Shape{"+strings.Join(parts, ", ")+"}")
}

func (g *gen) obj(o *shape.Obj) string {
	var fields []string
	for _, f := range o.Fields {
		fields = append(fields, g.field(f))
	}
	parts := []string{
		"Fields: []*shape.Field{" + strings.Join(fields, ", ") + "}",
		"Names: " + strs(o.Names),
	}
	for _, b := range []struct {
		name string
		on   bool
	}{{"Open", o.Open}, {"OneOf", o.OneOf}, {"Dated", o.Dated}} {
		if b.on {
			parts = append(parts, b.name+": true")
		}
	}
	if o.Elem != nil {
		parts = append(parts, "Elem: "+g.shape(o.Elem))
	}
	return g.def("o", "&shape.Obj{"+strings.Join(parts, ", ")+"}")
}

func (g *gen) field(f *shape.Field) string {
	parts := []string{"Name: " + strconv.Quote(f.Name), "Shape: " + g.shape(f.Shape)}
	for _, b := range []struct {
		name string
		on   bool
	}{{"Required", f.Required}, {"Secret", f.Secret}, {"Later", f.Later}, {"Flat", f.Flat}, {"Legacy", f.Legacy}} {
		if b.on {
			parts = append(parts, b.name+": true")
		}
	}
	for _, s := range []struct{ name, v string }{
		{"Since", f.Since}, {"Until", f.Until}, {"Deprec", f.Deprec}, {"Hint", f.Hint}, {"None", f.None},
		{"Check", f.Check}, {"ReqUnless", f.ReqUnless},
	} {
		if s.v != "" {
			parts = append(parts, s.name+": "+strconv.Quote(s.v))
		}
	}
	if len(f.Aliases) > 0 {
		parts = append(parts, "Aliases: "+strs(f.Aliases))
	}
	if len(f.Excludes) > 0 {
		parts = append(parts, "Excludes: "+strs(f.Excludes))
	}
	return g.def("f", "&shape.Field{"+strings.Join(parts, ", ")+"}")
}

func (g *gen) arm(a shape.Arm) string {
	parts := []string{"Kind: " + kind(a.Kind)}
	if a.Lit != nil {
		parts = append(parts, "Lit: "+value(*a.Lit))
	}
	if len(a.Res) > 0 {
		var res []string
		for _, re := range a.Res {
			res = append(res, g.def("re", "&shape.Regexp{Pattern: "+strconv.Quote(re.String())+"}"))
		}
		parts = append(parts, "Res: []*shape.Regexp{"+strings.Join(res, ", ")+"}")
	}
	if len(a.NRes) > 0 {
		var res []string
		for _, re := range a.NRes {
			res = append(res, g.def("re", "&shape.Regexp{Pattern: "+strconv.Quote(re.String())+"}"))
		}
		parts = append(parts, "NRes: []*shape.Regexp{"+strings.Join(res, ", ")+"}")
	}
	if len(a.Bounds) > 0 {
		var bs []string
		for _, b := range a.Bounds {
			bs = append(bs, fmt.Sprintf("{Op: %s, Num: %s, Str: %s, IsS: %v}", op(b.Op), num(b.Num), strconv.Quote(b.Str), b.IsS))
		}
		parts = append(parts, "Bounds: []shape.Bound{"+strings.Join(bs, ", ")+"}")
	}
	if a.IsVar {
		parts = append(parts, "IsVar: true")
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func value(v shape.Value) string {
	parts := []string{"Kind: " + kind(v.Kind)}
	if v.S != "" {
		parts = append(parts, "S: "+strconv.Quote(v.S))
	}
	if v.Num != 0 {
		parts = append(parts, "Num: "+num(v.Num))
	}
	if v.B {
		parts = append(parts, "B: true")
	}
	return "&shape.Value{" + strings.Join(parts, ", ") + "}"
}

func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func strs(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = strconv.Quote(s)
	}
	return "[]string{" + strings.Join(q, ", ") + "}"
}

var kindNames = []struct {
	k    shape.Kind
	name string
}{
	{shape.TopKind, "shape.TopKind"},
	{shape.NumberKind, "shape.NumberKind"},
	{shape.NullKind, "shape.NullKind"},
	{shape.BoolKind, "shape.BoolKind"},
	{shape.IntKind, "shape.IntKind"},
	{shape.FloatKind, "shape.FloatKind"},
	{shape.StringKind, "shape.StringKind"},
	{shape.BytesKind, "shape.BytesKind"},
	{shape.ListKind, "shape.ListKind"},
	{shape.StructKind, "shape.StructKind"},
}

// kind writes a kind set as an expression of the named constants, largest
// first.
func kind(k shape.Kind) string {
	var parts []string
	for _, n := range kindNames {
		if k&n.k == n.k {
			parts = append(parts, n.name)
			k &^= n.k
		}
	}
	if k != 0 || len(parts) == 0 {
		parts = append(parts, fmt.Sprintf("shape.Kind(%d)", k))
	}
	return strings.Join(parts, " | ")
}

func op(o shape.Op) string {
	switch o {
	case shape.LessThan:
		return "shape.LessThan"
	case shape.LessEqual:
		return "shape.LessEqual"
	case shape.GreaterThan:
		return "shape.GreaterThan"
	case shape.GreaterEqual:
		return "shape.GreaterEqual"
	case shape.NotEqual:
		return "shape.NotEqual"
	}
	return fmt.Sprintf("shape.Op(%d)", o)
}

// File is the generated file of the schema package.
const File = "shapes_gen.go"

// header heads the generated file.
const header = `// Code generated by go generate ./schema (schema/internal/genshapes); DO NOT EDIT.
// The source of truth is schema/*.cue: edit those, then run go generate ./schema.
`

// FromCUE compiles the *.cue files at the top of fsys (the schema
// directory) and returns the source of File.
func FromCUE(fsys fs.FS) ([]byte, error) {
	root, err := cuecompile.Build(fsys)
	if err != nil {
		return nil, err
	}
	set, err := cuecompile.Compile(root)
	if err != nil {
		return nil, err
	}
	return Source(set)
}

// Source returns the source of File for set.
func Source(set *shape.Set) ([]byte, error) {
	return Generate(set, "schema", "builtinShapes", header)
}
