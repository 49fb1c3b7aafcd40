package schema

import (
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/build"
	"cuelang.org/go/cue/cuecontext"
	"cuelang.org/go/cue/parser"
)

//go:embed *.cue
var cueFiles embed.FS

// Definitions the checker compiles.
const (
	realmDef      = "#OicRealm"
	discoveryDef  = "#ProviderMetadata"
	credentialDef = "#Credential"
	roleBasedDef  = "#RoleBased"
	matrixDef     = "#Matrix"
)

// shape is the compiled form of a CUE constraint: what a YAML/JSON node may
// be. A node may accept several kinds at once (a property item is a bare name
// or a single-key map).
type shape struct {
	desc   string       // how messages name the expected value ("" = derive)
	obj    *objShape    // a mapping is accepted
	list   *listShape   // a sequence is accepted
	scalar *scalarShape // a scalar is accepted
}

type objShape struct {
	fields map[string]*field
	names  []string // sorted
	open   bool     // unknown keys are allowed
	oneOf  bool     // exactly one of the fields must be present
	dated  bool     // some field has @era or @excludes: check eras
}

type listShape struct {
	elem *shape
	min  int
}

// field is one field of an object with the data of its attributes.
type field struct {
	name     string
	required bool
	shape    *shape
	secret   bool
	since    string // @era(since=…)
	later    bool   // @era(later): since is a lower bound
	until    string // @era(until=…)
	deprec   string // @era(deprecated=…): when its replacement arrived
	flat     bool   // @era(flat)
	hint     string
	none     string // @none: what holding none of a oneOf's choices means
	aliases  []string
	excludes []string
	check    string
	reqUnl   string
}

// scalarShape accepts a scalar when any arm does.
type scalarShape struct {
	arms []arm
}

// arm is a conjunction of conditions on one scalar.
type arm struct {
	kind   cue.Kind // allowed kinds; cue.TopKind for any
	lit    *scalar  // the value must equal this literal
	res    []*regexp.Regexp
	nres   []*regexp.Regexp
	bounds []bound
	isVar  bool // the ${VAR} arm
}

type bound struct {
	op  cue.Op
	num float64
	str string
	isS bool
}

// varPattern is the regular expression of #var in common.cue.
const varPattern = `\$\{`

// compiled holds the schema values and their compiled shapes.
type compiled struct {
	root      cue.Value
	realmV    cue.Value
	discV     cue.Value
	realm     *shape
	disc      *shape
	cred      *shape
	roleBased *shape
	matrix    *shape
	realmKeys map[string][]string // key → the paths where the realm schema has it
}

// compileSchemas builds the embedded CUE files as one instance and compiles
// the two definitions into shapes.
func compileSchemas() (*compiled, error) {
	ctx := cuecontext.New()
	inst := build.NewContext().NewInstance("", nil)
	names, err := fs.Glob(cueFiles, "*.cue")
	if err != nil {
		return nil, fmt.Errorf("list schema files: %w", err)
	}
	for _, name := range names {
		src, err := cueFiles.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read schema %s: %w", name, err)
		}
		f, err := parser.ParseFile(name, src)
		if err != nil {
			return nil, fmt.Errorf("parse schema %s: %w", name, err)
		}
		if err := inst.AddSyntax(f); err != nil {
			return nil, fmt.Errorf("add schema %s: %w", name, err)
		}
	}
	root := ctx.BuildInstance(inst)
	if err := root.Err(); err != nil {
		return nil, fmt.Errorf("build schema: %w", err)
	}
	c := &compiled{root: root}
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
	c.realmV = root.LookupPath(cue.ParsePath(realmDef))
	c.discV = root.LookupPath(cue.ParsePath(discoveryDef))
	if c.realm, err = cp.shape(c.realmV); err != nil {
		return nil, fmt.Errorf("compile %s: %w", realmDef, err)
	}
	if c.disc, err = cp.shape(c.discV); err != nil {
		return nil, fmt.Errorf("compile %s: %w", discoveryDef, err)
	}
	if c.cred, err = cp.shape(root.LookupPath(cue.ParsePath(credentialDef))); err != nil {
		return nil, fmt.Errorf("compile %s: %w", credentialDef, err)
	}
	if c.roleBased, err = cp.shape(root.LookupPath(cue.ParsePath(roleBasedDef))); err != nil {
		return nil, fmt.Errorf("compile %s: %w", roleBasedDef, err)
	}
	if c.matrix, err = cp.shape(root.LookupPath(cue.ParsePath(matrixDef))); err != nil {
		return nil, fmt.Errorf("compile %s: %w", matrixDef, err)
	}
	c.realmKeys = map[string][]string{}
	indexKeys(c.realm, "", c.realmKeys, 0)
	return c, nil
}

// indexKeys records where each key of the realm schema may appear, for "it
// belongs under …" hints.
func indexKeys(s *shape, path string, idx map[string][]string, depth int) {
	if s == nil || depth > 8 {
		return
	}
	if s.list != nil {
		indexKeys(s.list.elem, path+"[]", idx, depth+1)
	}
	if s.obj == nil {
		return
	}
	for _, name := range s.obj.names {
		fld := s.obj.fields[name]
		if fld.until == "" { // a removed key is no place to move a key to
			idx[name] = append(idx[name], path)
		}
		indexKeys(fld.shape, joinPath(path, name), idx, depth+1)
	}
}

type compiler struct {
	descs map[string]string // definition name → @desc
	depth int
}

// shape compiles a constraint. It accepts the small vocabulary the embedded
// schemas use and fails on anything else, so a schema edit cannot silently
// weaken the checker.
func (cp *compiler) shape(v cue.Value) (*shape, error) {
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
	s := &shape{desc: desc}
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
			if s.list != nil {
				return nil, fmt.Errorf("two list alternatives in %v", v)
			}
			l, err := cp.list(a)
			if err != nil {
				return nil, err
			}
			s.list = l
		default:
			arms, err := cp.arms(a)
			if err != nil {
				return nil, err
			}
			if s.scalar == nil {
				s.scalar = &scalarShape{}
			}
			s.scalar.arms = append(s.scalar.arms, arms...)
		}
	}
	switch len(structs) {
	case 0:
	case 1:
		o, err := cp.object(structs[0])
		if err != nil {
			return nil, err
		}
		s.obj = o
	default:
		// A disjunction of single-field structs is "exactly one of".
		o := &objShape{fields: map[string]*field{}, oneOf: true}
		for _, st := range structs {
			one, err := cp.object(st)
			if err != nil {
				return nil, err
			}
			if len(one.names) != 1 || !one.fields[one.names[0]].required || one.open {
				return nil, fmt.Errorf("a struct alternative must have exactly one required field: %v", st)
			}
			f := one.fields[one.names[0]]
			if _, dup := o.fields[f.name]; dup {
				return nil, fmt.Errorf("field %s twice in a disjunction", f.name)
			}
			f.required = false
			o.fields[f.name] = f
			o.names = append(o.names, f.name)
		}
		sort.Strings(o.names)
		s.obj = o
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

func (cp *compiler) list(v cue.Value) (*listShape, error) {
	elem, err := cp.shape(v.LookupPath(cue.MakePath(cue.AnyIndex)))
	if err != nil {
		return nil, err
	}
	l := &listShape{elem: elem}
	// The length of an open list is a bound such as `int & >=1`.
	for _, a := range flattenAnd(v.Len()) {
		if op, args := a.Expr(); op == cue.GreaterThanEqualOp && len(args) == 1 {
			if n, err := args[0].Int64(); err == nil {
				l.min = int(n)
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

func (cp *compiler) object(v cue.Value) (*objShape, error) {
	o := &objShape{fields: map[string]*field{}, open: v.Allows(cue.AnyString)}
	it, err := v.Fields(cue.Optional(true))
	if err != nil {
		return nil, fmt.Errorf("fields of %v: %w", v, err)
	}
	for it.Next() {
		sel := it.Selector()
		f := &field{name: sel.Unquoted()}
		switch sel.ConstraintType() {
		case cue.RequiredConstraint:
			f.required = true
		case cue.OptionalConstraint:
		default:
			return nil, fmt.Errorf("field %s must be optional (?) or required (!)", f.name)
		}
		fv := it.Value()
		if err := f.readAttrs(fv); err != nil {
			return nil, fmt.Errorf("field %s: %w", f.name, err)
		}
		f.secret = f.secret || secretName(f.name)
		if f.shape, err = cp.shape(fv); err != nil {
			return nil, fmt.Errorf("field %s: %w", f.name, err)
		}
		o.fields[f.name] = f
		o.names = append(o.names, f.name)
		o.dated = o.dated || f.since != "" || f.until != "" || len(f.excludes) > 0
	}
	sort.Strings(o.names)
	return o, nil
}

func (f *field) readAttrs(v cue.Value) error {
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
	f.hint = str("hint")
	f.none = str("none")
	f.check = str("check")
	f.reqUnl = str("requiredUnless")
	if f.check != "" && namedChecks[f.check] == nil {
		return fmt.Errorf("@check(%s): no such Go check", f.check)
	}
	if f.reqUnl != "" && conditions[f.reqUnl] == nil {
		return fmt.Errorf("@requiredUnless(%s): no such Go condition", f.reqUnl)
	}
	f.aliases = list("alias")
	f.excludes = list("excludes")
	secret := v.Attribute("secret")
	f.secret = secret.Err() == nil
	if a := v.Attribute("era"); a.Err() == nil {
		var err error
		look := func(key string) string {
			s, _, e := a.Lookup(0, key)
			if e != nil && err == nil {
				err = e
			}
			return s
		}
		f.since, f.until, f.deprec = look("since"), look("until"), look("deprecated")
		f.flat, _ = a.Flag(0, "flat")
		f.later, _ = a.Flag(0, "later")
		if err != nil {
			return fmt.Errorf("@era: %w", err)
		}
		for _, ver := range []string{f.since, f.until, f.deprec} {
			if ver != "" && parseVersion(ver) == nil {
				return fmt.Errorf("@era: bad version %q", ver)
			}
		}
		if f.until != "" && f.hint == "" {
			return fmt.Errorf("@era(until=…) needs a @hint saying what to do instead")
		}
	}
	return nil
}

// arms compiles a scalar constraint into disjunctive normal form.
func (cp *compiler) arms(v cue.Value) ([]arm, error) {
	v = cue.Dereference(v)
	op, args := v.Expr()
	switch op {
	case cue.OrOp:
		var out []arm
		for _, a := range args {
			as, err := cp.arms(a)
			if err != nil {
				return nil, err
			}
			out = append(out, as...)
		}
		return out, nil
	case cue.AndOp:
		out := []arm{{kind: cue.TopKind}}
		for _, a := range args {
			as, err := cp.arms(a)
			if err != nil {
				return nil, err
			}
			var next []arm
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
		re, err := regexp.Compile(pat)
		if err != nil {
			return nil, fmt.Errorf("regexp %q: %w", pat, err)
		}
		a := arm{kind: cue.StringKind}
		if op == cue.RegexMatchOp {
			a.res = []*regexp.Regexp{re}
			a.isVar = pat == varPattern
		} else {
			a.nres = []*regexp.Regexp{re}
		}
		return []arm{a}, nil
	case cue.LessThanOp, cue.LessThanEqualOp, cue.GreaterThanOp, cue.GreaterThanEqualOp, cue.NotEqualOp:
		b := bound{op: op}
		k := cue.NumberKind
		if s, err := args[0].String(); err == nil {
			b.str, b.isS, k = s, true, cue.StringKind
		} else if n, err := args[0].Float64(); err == nil {
			b.num = n
		} else {
			return nil, fmt.Errorf("unsupported bound %v", v)
		}
		return []arm{{kind: k, bounds: []bound{b}}}, nil
	case cue.NoOp:
		if v.IsConcrete() {
			lit, err := literalOf(v)
			if err != nil {
				return nil, err
			}
			return []arm{{kind: lit.kind, lit: &lit}}, nil
		}
		k := v.IncompleteKind()
		if k == cue.BottomKind {
			return nil, fmt.Errorf("unsupported constraint %v", v)
		}
		return []arm{{kind: k}}, nil
	}
	return nil, fmt.Errorf("unsupported operator %v in %v", op, v)
}

func mergeArms(x, y arm) (arm, bool) {
	m := arm{kind: x.kind & y.kind, isVar: x.isVar || y.isVar}
	if m.kind == 0 {
		return arm{}, false
	}
	switch {
	case x.lit != nil && y.lit != nil:
		if !x.lit.equal(*y.lit) {
			return arm{}, false
		}
		m.lit = x.lit
	case x.lit != nil:
		m.lit = x.lit
	case y.lit != nil:
		m.lit = y.lit
	}
	m.res = append(append(m.res, x.res...), y.res...)
	m.nres = append(append(m.nres, x.nres...), y.nres...)
	m.bounds = append(append(m.bounds, x.bounds...), y.bounds...)
	return m, true
}

func literalOf(v cue.Value) (scalar, error) {
	switch v.Kind() {
	case cue.NullKind:
		return scalar{kind: cue.NullKind}, nil
	case cue.BoolKind:
		b, _ := v.Bool()
		return scalar{kind: cue.BoolKind, b: b}, nil
	case cue.StringKind:
		s, _ := v.String()
		return scalar{kind: cue.StringKind, s: s}, nil
	case cue.IntKind:
		n, err := v.Float64()
		return scalar{kind: cue.IntKind, num: n}, err
	case cue.FloatKind:
		n, err := v.Float64()
		return scalar{kind: cue.FloatKind, num: n}, err
	}
	return scalar{}, fmt.Errorf("unsupported literal %v", v)
}

// scalar is a YAML/JSON scalar typed the way CUE sees it.
type scalar struct {
	kind cue.Kind
	s    string // the text of a string (and the source text of any scalar)
	num  float64
	b    bool
}

func (a scalar) equal(b scalar) bool {
	if a.kind&cue.NumberKind != 0 && b.kind&cue.NumberKind != 0 {
		return a.num == b.num
	}
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case cue.StringKind:
		return a.s == b.s
	case cue.BoolKind:
		return a.b == b.b
	}
	return true // null
}

func (s *scalarShape) accepts(d scalar) bool {
	for i := range s.arms {
		if s.arms[i].accepts(d) {
			return true
		}
	}
	return false
}

func (a *arm) accepts(d scalar) bool {
	if a.kind&d.kind == 0 {
		return false
	}
	if a.lit != nil && !a.lit.equal(d) {
		return false
	}
	if a.isVar && len(a.res) == 1 {
		// #var, the most common arm: no regexp needed.
		return d.kind == cue.StringKind && strings.Contains(d.s, "${") && a.rest(d)
	}
	for _, re := range a.res {
		if d.kind != cue.StringKind || !re.MatchString(d.s) {
			return false
		}
	}
	return a.rest(d)
}

// rest checks the conditions after the kind, literal and regexps.
func (a *arm) rest(d scalar) bool {
	for _, re := range a.nres {
		if d.kind == cue.StringKind && re.MatchString(d.s) {
			return false
		}
	}
	for _, b := range a.bounds {
		if !b.accepts(d) {
			return false
		}
	}
	return true
}

func (b bound) accepts(d scalar) bool {
	var c int
	switch {
	case b.isS && d.kind == cue.StringKind:
		c = strings.Compare(d.s, b.str)
	case !b.isS && d.kind&cue.NumberKind != 0:
		switch {
		case d.num < b.num:
			c = -1
		case d.num > b.num:
			c = 1
		}
	default:
		return false
	}
	switch b.op {
	case cue.LessThanOp:
		return c < 0
	case cue.LessThanEqualOp:
		return c <= 0
	case cue.GreaterThanOp:
		return c > 0
	case cue.GreaterThanEqualOp:
		return c >= 0
	case cue.NotEqualOp:
		return c != 0
	}
	return false
}

// parseVersion reads an oic-auth release such as "4.350" as comparable
// numbers.
func parseVersion(v string) []int {
	var out []int
	for _, p := range strings.Split(v, ".") {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return nil
		}
		out = append(out, n)
	}
	return out
}

// versionLess reports a < b for releases parseVersion accepts.
func versionLess(a, b string) bool {
	x, y := parseVersion(a), parseVersion(b)
	for i := 0; i < len(x) && i < len(y); i++ {
		if x[i] != y[i] {
			return x[i] < y[i]
		}
	}
	return len(x) < len(y)
}

// flatLabel turns the first release without the flat layout ("4.350") into
// the label of the last ones ("≤ 4.34x").
func flatLabel(until string) string {
	v := parseVersion(until)
	if len(v) == 2 && v[1] >= 10 && v[1]%10 == 0 {
		return fmt.Sprintf("≤ %d.%dx", v[0], v[1]/10-1)
	}
	return "before " + until
}
