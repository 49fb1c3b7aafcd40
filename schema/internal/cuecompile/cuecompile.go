// Package cuecompile compiles the embedded CUE schemas (schema/*.cue) into
// shapes (schema/internal/shape). It runs at build time — go generate
// ./schema writes its result as Go source, schema/shapes_gen.go — and in the
// schema package's tests, which require the generated shapes to equal what
// compiling the CUE gives. The program itself never imports it, so CUE is
// neither linked into nor initialised by the command's hot path.
//
// The compiler accepts only the small vocabulary the schemas use (objects
// with optional and required fields, [string]: T, lists with a minimum
// length, scalar constraints in disjunctive normal form: kinds, literals,
// regular expressions, bounds; disjunctions of single-field structs as
// "exactly one of") and fails on anything else, so a schema edit cannot
// silently weaken the checker.
package cuecompile

import (
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/build"
	"cuelang.org/go/cue/cuecontext"
	"cuelang.org/go/cue/parser"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/schema/internal/shape"
)

// Definitions the checker compiles.
const (
	RealmDef      = "#OicRealm"
	DiscoveryDef  = "#ProviderMetadata"
	CredentialDef = "#Credential"
	RoleBasedDef  = "#RoleBased"
	MatrixDef     = "#Matrix"
	SettingsDef   = "#Settings"
)

// Build builds the *.cue files at the top of fsys as one CUE instance.
func Build(fsys fs.FS) (cue.Value, error) {
	ctx := cuecontext.New()
	inst := build.NewContext().NewInstance("", nil)
	names, err := fs.Glob(fsys, "*.cue")
	if err != nil {
		return cue.Value{}, fmt.Errorf("list schema files: %w", err)
	}
	if len(names) == 0 {
		return cue.Value{}, fmt.Errorf("no *.cue files")
	}
	for _, name := range names {
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return cue.Value{}, fmt.Errorf("read schema %s: %w", name, err)
		}
		f, err := parser.ParseFile(name, src)
		if err != nil {
			return cue.Value{}, fmt.Errorf("parse schema %s: %w", name, err)
		}
		if err := inst.AddSyntax(f); err != nil {
			return cue.Value{}, fmt.Errorf("add schema %s: %w", name, err)
		}
	}
	root := ctx.BuildInstance(inst)
	if err := root.Err(); err != nil {
		return cue.Value{}, fmt.Errorf("build schema: %w", err)
	}
	return root, nil
}

// Compile compiles the definitions of the checker from the built schemas.
func Compile(root cue.Value) (*shape.Set, error) {
	cp, err := newCompiler(root)
	if err != nil {
		return nil, err
	}
	set := &shape.Set{}
	for _, d := range []struct {
		name string
		to   **shape.Shape
	}{
		{RealmDef, &set.Realm},
		{DiscoveryDef, &set.Discovery},
		{CredentialDef, &set.Cred},
		{RoleBasedDef, &set.RoleBased},
		{MatrixDef, &set.Matrix},
		{SettingsDef, &set.Settings},
	} {
		v := root.LookupPath(cue.ParsePath(d.name))
		if !v.Exists() {
			return nil, fmt.Errorf("compile %s: no such definition", d.name)
		}
		if *d.to, err = cp.shape(v); err != nil {
			return nil, fmt.Errorf("compile %s: %w", d.name, err)
		}
	}
	return set, nil
}

// CompileDef compiles the definition name of root on its own.
func CompileDef(root cue.Value, name string) (*shape.Shape, error) {
	cp, err := newCompiler(root)
	if err != nil {
		return nil, err
	}
	return cp.shape(root.LookupPath(cue.ParsePath(name)))
}

type compiler struct {
	descs map[string]string // definition name → @desc
	depth int
}

func newCompiler(root cue.Value) (*compiler, error) {
	cp := &compiler{descs: map[string]string{}}
	it, err := root.Fields(cue.Definitions(true))
	if err != nil {
		return nil, fmt.Errorf("list schema definitions: %w", err)
	}
	for it.Next() {
		if a := it.Value().Attribute("desc"); a.Err() == nil {
			s, _ := a.String(0)
			cp.descs[it.Selector().String()] = s
		}
	}
	return cp, nil
}

// shape compiles a constraint.
func (cp *compiler) shape(v cue.Value) (*shape.Shape, error) {
	cp.depth++
	defer func() { cp.depth-- }()
	if cp.depth > 50 {
		return nil, fmt.Errorf("schema nested too deeply at %v", v)
	}
	desc := ""
	if op, args := v.Expr(); op == cue.SelectorOp && len(args) == 2 {
		name, _ := args[1].String()
		desc = cp.descs[name]
	}
	v = cue.Dereference(v)
	s := &shape.Shape{Desc: desc}
	var alts []cue.Value
	if op, args := v.Expr(); op == cue.OrOp {
		for _, a := range args {
			alts = append(alts, flattenOr(a)...)
		}
	} else {
		alts = []cue.Value{v}
	}
	var structs []cue.Value
	for _, a := range alts {
		switch a.IncompleteKind() {
		case cue.StructKind:
			structs = append(structs, a)
		case cue.ListKind:
			if s.List != nil {
				return nil, fmt.Errorf("two list alternatives in %v", v)
			}
			l, err := cp.list(a)
			if err != nil {
				return nil, err
			}
			s.List = l
		default:
			arms, err := cp.arms(a)
			if err != nil {
				return nil, err
			}
			if s.Scalar == nil {
				s.Scalar = &shape.Scalar{}
			}
			s.Scalar.Arms = append(s.Scalar.Arms, arms...)
		}
	}
	switch len(structs) {
	case 0:
	case 1:
		o, err := cp.object(structs[0])
		if err != nil {
			return nil, err
		}
		s.Obj = o
	default:
		// A disjunction of single-field structs is "exactly one of".
		o := &shape.Obj{OneOf: true}
		var fields []*shape.Field
		for _, st := range structs {
			one, err := cp.object(st)
			if err != nil {
				return nil, err
			}
			if len(one.Fields) != 1 || !one.Fields[0].Required || one.Open || one.Elem != nil {
				return nil, fmt.Errorf("a struct alternative must have exactly one required field: %v", st)
			}
			f := one.Fields[0]
			f.Required = false
			fields = append(fields, f)
		}
		if err := o.SetFields(fields); err != nil {
			return nil, fmt.Errorf("a disjunction: %w", err)
		}
		s.Obj = o
	}
	return s, nil
}

func flattenOr(v cue.Value) []cue.Value {
	v = cue.Dereference(v)
	if op, args := v.Expr(); op == cue.OrOp {
		var out []cue.Value
		for _, a := range args {
			out = append(out, flattenOr(a)...)
		}
		return out
	}
	return []cue.Value{v}
}

func (cp *compiler) list(v cue.Value) (*shape.List, error) {
	elem, err := cp.shape(v.LookupPath(cue.MakePath(cue.AnyIndex)))
	if err != nil {
		return nil, err
	}
	l := &shape.List{Elem: elem}
	// The length of an open list is a bound such as `int & >=1`.
	for _, a := range flattenAnd(v.Len()) {
		if op, args := a.Expr(); op == cue.GreaterThanEqualOp && len(args) == 1 {
			if n, err := args[0].Int64(); err == nil {
				l.Min = int(n)
			}
		}
	}
	return l, nil
}

func flattenAnd(v cue.Value) []cue.Value {
	if op, args := v.Expr(); op == cue.AndOp {
		var out []cue.Value
		for _, a := range args {
			out = append(out, flattenAnd(a)...)
		}
		return out
	}
	return []cue.Value{v}
}

// unlikelyKey is a key no schema names: a struct that allows it is open, or
// has a pattern constraint.
const unlikelyKey = "\x00cuecompile-unlikely-key"

func (cp *compiler) object(v cue.Value) (*shape.Obj, error) {
	o := &shape.Obj{}
	var fields []*shape.Field
	if v.Allows(cue.Str(unlikelyKey)) {
		// Open (..., or not closed), or [string]: T, the only pattern
		// constraint supported. (A regular-expression pattern, [=~"…"]: T,
		// does not allow the unlikely key: such a struct counts as closed,
		// so keys its pattern allows would be reported, never let through.)
		p := v.LookupPath(cue.MakePath(cue.AnyString))
		switch {
		case !p.Exists() || isTop(p):
			o.Open = true
		default:
			elem, err := cp.shape(p)
			if err != nil {
				return nil, fmt.Errorf("[string]: %w", err)
			}
			o.Elem = elem
		}
	}
	it, err := v.Fields(cue.Optional(true))
	if err != nil {
		return nil, fmt.Errorf("fields of %v: %w", v, err)
	}
	for it.Next() {
		sel := it.Selector()
		f := &shape.Field{Name: sel.Unquoted()}
		switch sel.ConstraintType() {
		case cue.RequiredConstraint:
			f.Required = true
		case cue.OptionalConstraint:
		default:
			return nil, fmt.Errorf("field %s must be optional (?) or required (!)", f.Name)
		}
		fv := it.Value()
		if err := readAttrs(f, fv); err != nil {
			return nil, fmt.Errorf("field %s: %w", f.Name, err)
		}
		f.Secret = f.Secret || SecretName(f.Name)
		if f.Shape, err = cp.shape(fv); err != nil {
			return nil, fmt.Errorf("field %s: %w", f.Name, err)
		}
		fields = append(fields, f)
		o.Dated = o.Dated || f.Since != "" || f.Until != "" || len(f.Excludes) > 0
	}
	if err := o.SetFields(fields); err != nil {
		return nil, fmt.Errorf("fields of %v: %w", v, err)
	}
	return o, nil
}

// isTop reports whether v is _ (any value): the value an open struct gives
// a key it does not name.
func isTop(v cue.Value) bool {
	op, _ := v.Expr()
	return op == cue.NoOp && !v.IsConcrete() && v.IncompleteKind() == cue.TopKind
}

// secretWords mark key names whose values are never shown.
var secretWords = []string{"secret", "passw", "pwd", "credential", "privatekey", "private_key", "apikey", "api_key"}

// SecretName reports whether a key name suggests a secret value.
func SecretName(name string) bool {
	l := strings.ToLower(name)
	for _, w := range secretWords {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

func readAttrs(f *shape.Field, v cue.Value) error {
	str := func(name string) string {
		if a := v.Attribute(name); a.Err() == nil {
			s, _ := a.String(0)
			return s
		}
		return ""
	}
	list := func(name string) []string {
		a := v.Attribute(name)
		if a.Err() != nil {
			return nil
		}
		var out []string
		for i := 0; i < a.NumArgs(); i++ {
			key, _ := a.Arg(i)
			out = append(out, key)
		}
		return out
	}
	f.Hint = str("hint")
	f.None = str("none")
	f.Check = str("check")
	f.ReqUnless = str("requiredUnless")
	if f.Check != "" && !slices.Contains(shape.Checks, f.Check) {
		return fmt.Errorf("@check(%s): no such Go check", f.Check)
	}
	if f.ReqUnless != "" && !slices.Contains(shape.Conditions, f.ReqUnless) {
		return fmt.Errorf("@requiredUnless(%s): no such Go condition", f.ReqUnless)
	}
	f.Aliases = list("alias")
	f.Excludes = list("excludes")
	secret := v.Attribute("secret")
	f.Secret = secret.Err() == nil
	legacy := v.Attribute("legacy")
	f.Legacy = legacy.Err() == nil
	if a := v.Attribute("era"); a.Err() == nil {
		var err error
		look := func(key string) string {
			s, _, e := a.Lookup(0, key)
			if e != nil && err == nil {
				err = e
			}
			return s
		}
		f.Since, f.Until, f.Deprec = look("since"), look("until"), look("deprecated")
		f.Flat, _ = a.Flag(0, "flat")
		f.Later, _ = a.Flag(0, "later")
		if err != nil {
			return fmt.Errorf("@era: %w", err)
		}
		for _, ver := range []string{f.Since, f.Until, f.Deprec} {
			if ver != "" && !validVersion(ver) {
				return fmt.Errorf("@era: bad version %q", ver)
			}
		}
		if f.Until != "" && f.Hint == "" {
			return fmt.Errorf("@era(until=…) needs a @hint saying what to do instead")
		}
	}
	return nil
}

// validVersion reports whether v is a release such as "4.350".
func validVersion(v string) bool {
	for _, p := range strings.Split(v, ".") {
		if n, err := strconv.Atoi(p); err != nil || n < 0 {
			return false
		}
	}
	return true
}

// arms compiles a scalar constraint into disjunctive normal form.
func (cp *compiler) arms(v cue.Value) ([]shape.Arm, error) {
	v = cue.Dereference(v)
	op, args := v.Expr()
	switch op {
	case cue.OrOp:
		var out []shape.Arm
		for _, a := range args {
			as, err := cp.arms(a)
			if err != nil {
				return nil, err
			}
			out = append(out, as...)
		}
		return out, nil
	case cue.AndOp:
		out := []shape.Arm{{Kind: shape.TopKind}}
		for _, a := range args {
			as, err := cp.arms(a)
			if err != nil {
				return nil, err
			}
			var next []shape.Arm
			for _, x := range out {
				for _, y := range as {
					if m, ok := mergeArms(x, y); ok {
						next = append(next, m)
					}
				}
			}
			out = next
		}
		return out, nil
	case cue.RegexMatchOp, cue.NotRegexMatchOp:
		pat, err := args[0].String()
		if err != nil {
			return nil, fmt.Errorf("regexp of %v: %w", v, err)
		}
		re, err := shape.NewRegexp(pat)
		if err != nil {
			return nil, fmt.Errorf("regexp %q: %w", pat, err)
		}
		a := shape.Arm{Kind: shape.StringKind}
		if op == cue.RegexMatchOp {
			a.Res = []*shape.Regexp{re}
			a.IsVar = pat == shape.VarPattern
		} else {
			a.NRes = []*shape.Regexp{re}
		}
		return []shape.Arm{a}, nil
	case cue.LessThanOp, cue.LessThanEqualOp, cue.GreaterThanOp, cue.GreaterThanEqualOp, cue.NotEqualOp:
		b := shape.Bound{Op: ops[op]}
		k := shape.NumberKind
		if s, err := args[0].String(); err == nil {
			b.Str, b.IsS, k = s, true, shape.StringKind
		} else if n, err := args[0].Float64(); err == nil {
			b.Num = n
		} else {
			return nil, fmt.Errorf("unsupported bound %v", v)
		}
		return []shape.Arm{{Kind: k, Bounds: []shape.Bound{b}}}, nil
	case cue.NoOp:
		if v.IsConcrete() {
			lit, err := literalOf(v)
			if err != nil {
				return nil, err
			}
			return []shape.Arm{{Kind: lit.Kind, Lit: &lit}}, nil
		}
		k := v.IncompleteKind()
		if k == cue.BottomKind {
			return nil, fmt.Errorf("unsupported constraint %v", v)
		}
		return []shape.Arm{{Kind: kindOf(k)}}, nil
	}
	return nil, fmt.Errorf("unsupported operator %v in %v", op, v)
}

var ops = map[cue.Op]shape.Op{
	cue.LessThanOp:         shape.LessThan,
	cue.LessThanEqualOp:    shape.LessEqual,
	cue.GreaterThanOp:      shape.GreaterThan,
	cue.GreaterThanEqualOp: shape.GreaterEqual,
	cue.NotEqualOp:         shape.NotEqual,
}

// kindOf translates CUE's kinds.
func kindOf(k cue.Kind) shape.Kind {
	var out shape.Kind
	for _, m := range []struct {
		c cue.Kind
		s shape.Kind
	}{
		{cue.NullKind, shape.NullKind}, {cue.BoolKind, shape.BoolKind}, {cue.IntKind, shape.IntKind},
		{cue.FloatKind, shape.FloatKind}, {cue.StringKind, shape.StringKind}, {cue.BytesKind, shape.BytesKind},
		{cue.ListKind, shape.ListKind}, {cue.StructKind, shape.StructKind},
	} {
		if k&m.c != 0 {
			out |= m.s
		}
	}
	return out
}

func mergeArms(x, y shape.Arm) (shape.Arm, bool) {
	m := shape.Arm{Kind: x.Kind & y.Kind, IsVar: x.IsVar || y.IsVar}
	if m.Kind == 0 {
		return shape.Arm{}, false
	}
	switch {
	case x.Lit != nil && y.Lit != nil:
		if !x.Lit.Equal(*y.Lit) {
			return shape.Arm{}, false
		}
		m.Lit = x.Lit
	case x.Lit != nil:
		m.Lit = x.Lit
	case y.Lit != nil:
		m.Lit = y.Lit
	}
	m.Res = append(append(m.Res, x.Res...), y.Res...)
	m.NRes = append(append(m.NRes, x.NRes...), y.NRes...)
	m.Bounds = append(append(m.Bounds, x.Bounds...), y.Bounds...)
	return m, true
}

func literalOf(v cue.Value) (shape.Value, error) {
	switch v.Kind() {
	case cue.NullKind:
		return shape.Value{Kind: shape.NullKind}, nil
	case cue.BoolKind:
		b, _ := v.Bool()
		return shape.Value{Kind: shape.BoolKind, B: b}, nil
	case cue.StringKind:
		s, _ := v.String()
		return shape.Value{Kind: shape.StringKind, S: s}, nil
	case cue.IntKind:
		n, err := v.Float64()
		return shape.Value{Kind: shape.IntKind, Num: n}, err
	case cue.FloatKind:
		n, err := v.Float64()
		return shape.Value{Kind: shape.FloatKind, Num: n}, err
	}
	return shape.Value{}, fmt.Errorf("unsupported literal %v", v)
}
