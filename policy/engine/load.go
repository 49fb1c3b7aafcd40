package engine

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/build"
	"cuelang.org/go/cue/cuecontext"
	cueerrors "cuelang.org/go/cue/errors"
	"cuelang.org/go/cue/parser"
	"cuelang.org/go/cue/token"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/policy/internal/wire"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// Selectors: the top-level fields under which rules are declared.
const (
	selJCasC     = "jcasc"
	selDiscovery = "discovery"
)

// idRE is the syntax of a policy ID: lower-case words joined by '-', '_'
// or '.', like the built-in rule IDs.
var idRE = regexp.MustCompile(`^[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)*$`)

// compiled is a set of policies compiled in this process: what a worker
// evaluates.
type compiled struct {
	ctx    *cue.Context
	rules  []*rule // sorted by ID
	byKind map[source.Kind][]*rule
}

// loadLocal compiles the policies in this process, reading files through
// fsys and calling progress before each evaluation that may be costly (a
// directory's instance, each rule), so that a worker's parent knows what
// ran over the budget. builtin reports the IDs of the built-in rules.
func loadLocal(dirs []string, builtin func(id string) bool, fsys policyFS, progress func(report.Position)) (*compiled, []report.FileError) {
	isolate := progress != nil
	if progress == nil {
		progress = func(report.Position) {}
	}
	l := &loader{
		ctx:      cuecontext.New(),
		builtin:  builtin,
		ids:      map[string]report.Position{},
		seen:     map[string]bool{},
		fsys:     fsys,
		progress: progress,
		isolate:  isolate,
	}
	for _, dir := range dirs {
		l.dir(dir)
	}
	s := &compiled{ctx: l.ctx, byKind: map[source.Kind][]*rule{}}
	sort.Slice(l.rules, func(i, j int) bool { return l.rules[i].id < l.rules[j].id })
	s.rules = l.rules
	for _, r := range s.rules {
		s.byKind[r.kind] = append(s.byKind[r.kind], r)
	}
	report.SortErrors(l.errs)
	// A conflict in a definition that several rules use is found once per rule.
	errs := l.errs[:0]
	for i, e := range l.errs {
		if i == 0 || e != l.errs[i-1] {
			errs = append(errs, e)
		}
	}
	return s, errs
}

// loader holds the state of one Load.
type loader struct {
	ctx     *cue.Context
	builtin func(string) bool
	ids     map[string]report.Position // policy ID → its attribute
	rules   []*rule
	errs    []report.FileError
	files   map[string]*source.File    // CUE file name → file, of the current directory
	labels  map[string]report.Position // jcasc.x / discovery.x → its rule field, in the current directory
	seen    map[string]bool            // absolute paths of the files loaded
	// loadedAny: the current path has files, all loaded before.
	loadedAny bool
	fsys      policyFS
	progress  func(report.Position)
	// isolate builds each rule on its own before the package (workers
	// do, to name the rule that runs over the budget).
	isolate bool
}

func (l *loader) errorf(pos report.Position, format string, args ...any) {
	l.errs = append(l.errs, report.FileError{Pos: pos, Message: fmt.Sprintf(format, args...)})
}

// pos converts a CUE token position to a report position (characters, not
// bytes).
func (l *loader) pos(p token.Pos) report.Position {
	if !p.IsValid() {
		return report.Position{}
	}
	if f := l.files[p.Filename()]; f != nil {
		return f.PosAt(p.Offset())
	}
	return report.Position{Path: p.Filename(), Line: p.Line(), Col: p.Column()}
}

// cueErrors turns a CUE error into FileErrors at the positions CUE gives
// (the first input position when the error has none of its own).
func (l *loader) cueErrors(err error, fallback report.Position, prefix string) {
	for _, e := range cueerrors.Errors(err) {
		p := e.Position()
		if !p.IsValid() {
			for _, ip := range e.InputPositions() {
				if ip.IsValid() {
					p = ip
					break
				}
			}
		}
		pos := l.pos(p)
		if !pos.IsValid() || pos.Path == "" {
			pos = fallback
		}
		format, args := e.Msg()
		msg := fmt.Sprintf(format, args...)
		if path := e.Path(); len(path) > 0 {
			msg = strings.Join(path, ".") + ": " + msg
		}
		l.errorf(pos, "%s%s", prefix, msg)
	}
}

// dir loads one directory (or one .cue file).
func (l *loader) dir(dir string) {
	l.files = map[string]*source.File{}
	l.labels = map[string]report.Position{}
	dirPos := report.Position{Path: filepath.ToSlash(dir)}
	names, err := l.fsys.list(dir)
	names = l.unseen(names)
	if err != nil {
		l.errorf(dirPos, "cannot read policies: %v", err)
		return
	}
	if len(names) == 0 {
		if !l.loadedAny {
			l.errorf(dirPos, "no *.cue policy files in this directory")
		}
		return
	}
	inst := build.NewContext().NewInstance("", nil)
	var decls []*decl
	var added []*source.File // the files in inst
	pkg, pkgPos := "", report.Position{}
	for _, name := range names {
		f, syntax := l.parse(name)
		if f == nil {
			continue
		}
		if p := syntax.PackageName(); p != "" {
			if pkg != "" && p != pkg {
				l.errorf(l.pos(packagePos(syntax)), "invalid policy: package %s differs from package %s of %s: the files of a policy directory are one package", p, pkg, pkgPos)
				continue
			}
			pkg, pkgPos = p, l.pos(packagePos(syntax))
		}
		d := l.scan(syntax, f)
		if !l.cheap(syntax) {
			continue // nothing of it is evaluated
		}
		if err := inst.AddSyntax(syntax); err != nil {
			l.cueErrors(err, f.Pos(1, 1), "invalid policy: ")
			continue
		}
		decls = append(decls, d...)
		added = append(added, f)
	}
	if len(decls) == 0 {
		return
	}
	if l.isolate {
		// CUE evaluates a package as it builds it, all at once. To name a
		// rule that runs over the budget, each rule is built first on its
		// own, with the package's other parts but no other rule's value
		// (and those parts first with no rule at all).
		l.progress(dirPos)
		l.buildVariant(added, -1)
		for i, d := range decls {
			l.progress(l.pos(d.field.Pos()))
			l.buildVariant(added, i)
		}
	}
	l.progress(dirPos)
	root := l.ctx.BuildInstance(inst)
	if err := root.Err(); err != nil {
		l.cueErrors(err, dirPos, "invalid policy: ")
		return
	}
	if err := root.Validate(); err != nil {
		l.cueErrors(err, dirPos, "invalid policy: ")
		return
	}
	for _, d := range decls {
		l.add(root, d)
	}
}

// buildVariant builds the package of files with the value of every rule
// but the keep-th (in the order of scan) replaced by {}, and drops it: to
// see how long that rule takes to evaluate. Problems are the full build's
// to report.
func (l *loader) buildVariant(files []*source.File, keep int) {
	scratch := &loader{files: l.files, labels: map[string]report.Position{}, ids: map[string]report.Position{}}
	inst := build.NewContext().NewInstance("", nil)
	n := 0
	for _, f := range files {
		syntax, err := parser.ParseFile(f.Path, f.Data, parser.ParseComments)
		if err != nil {
			return
		}
		for _, d := range scratch.scan(syntax, f) {
			if n != keep {
				d.field.Value = &ast.StructLit{}
			}
			n++
		}
		if inst.AddSyntax(syntax) != nil {
			return
		}
	}
	_ = cuecontext.New().BuildInstance(inst).Validate()
}

// maxConstraintNodes bounds the walk of sound over one rule.
const maxConstraintNodes = 5000

// sound reports conflicts inside a rule's constraint that Validate does
// not see because no document has filled them yet: in optional and
// required fields, pattern constraints ([string]: …) and list elements
// ([...X]). A recursive definition is walked to a bounded depth.
func (l *loader) sound(v cue.Value, at report.Position, depth int, budget *int) bool {
	*budget--
	if depth > 20 || *budget < 0 {
		return true
	}
	if v.Err() != nil {
		// Incomplete errors (a reference to a field the document may fill)
		// are no fault; Validate reports only real conflicts. Nor is the
		// "structural cycle" of a recursive definition (#T: {a?: [...#T]})
		// looked at outside a document.
		var real []error
		for _, e := range cueerrors.Errors(v.Validate()) {
			if format, _ := e.Msg(); !strings.HasPrefix(format, "structural cycle") {
				real = append(real, e)
			}
		}
		for _, e := range real {
			l.cueErrors(e, at, "invalid policy: ")
		}
		return len(real) == 0
	}
	ok := true
	k := v.IncompleteKind()
	if k&cue.StructKind != 0 {
		if it, err := v.Fields(cue.Optional(true)); err == nil {
			for it.Next() {
				ok = l.sound(it.Value(), at, depth+1, budget) && ok
			}
		}
		if p := v.LookupPath(cue.MakePath(cue.AnyString)); p.Exists() {
			ok = l.sound(p, at, depth+1, budget) && ok
		}
	}
	if k&cue.ListKind != 0 {
		if p := v.LookupPath(cue.MakePath(cue.AnyIndex)); p.Exists() {
			ok = l.sound(p, at, depth+1, budget) && ok
		}
	}
	return ok
}

// packagePos is the position of a file's package clause.
func packagePos(f *ast.File) token.Pos {
	for _, d := range f.Decls {
		if p, ok := d.(*ast.Package); ok {
			return p.Name.Pos()
		}
	}
	return f.Pos()
}

// unseen drops the files an earlier path of this Load has loaded (a
// directory and a file in it), so that no rule collides with itself.
func (l *loader) unseen(names []string) []string {
	l.loadedAny = false
	var out []string
	for _, n := range names {
		abs, err := filepath.Abs(n)
		if err != nil {
			abs = n
		}
		if l.seen[abs] {
			l.loadedAny = true
			continue
		}
		l.seen[abs] = true
		out = append(out, n)
	}
	return out
}

// parse reads and parses one policy file; a syntax error is reported and
// yields nil.
func (l *loader) parse(name string) (*source.File, *ast.File) {
	display := filepath.ToSlash(name)
	data, size, err := l.fsys.read(name)
	if err == nil && size > wire.MaxPolicyFile {
		l.errorf(report.Position{Path: display}, "policy file too large (%d bytes; the limit is %d)", size, wire.MaxPolicyFile)
		return nil, nil
	}
	if err != nil {
		l.errorf(report.Position{Path: display}, "cannot read policy: %v", err)
		return nil, nil
	}
	f := source.NewFile(display, data)
	if ferr := source.CheckText(f); ferr != nil {
		l.errs = append(l.errs, *ferr)
		return nil, nil
	}
	l.files[display] = f
	syntax, err := parser.ParseFile(display, data, parser.ParseComments)
	if err != nil {
		l.cueErrors(err, f.Pos(1, 1), "invalid CUE: ")
		return nil, nil
	}
	return f, syntax
}

// add compiles one declared rule of a built directory.
func (l *loader) add(root cue.Value, d *decl) {
	sel := selJCasC
	if d.kind == source.Discovery {
		sel = selDiscovery
	}
	v := root.LookupPath(cue.MakePath(cue.Str(sel), cue.Str(d.label)))
	at := l.pos(d.field.Pos())
	l.progress(at)
	if !v.Exists() {
		l.errorf(at, "invalid policy: %s.%s does not evaluate to a value", sel, d.label)
		return
	}
	if v.IncompleteKind()&cue.StructKind == 0 {
		l.errorf(at, "invalid policy: rule %s: %s.%s must be a struct: a rule constrains the whole document, e.g. %s: %s: {jenkins?: …}",
			d.args.id, sel, d.label, sel, d.label)
		return
	}
	budget := maxConstraintNodes
	if !l.sound(v, at, 0, &budget) {
		return
	}
	if prev, dup := l.ids[d.args.id]; dup {
		l.errorf(d.args.idPos, "invalid policy: rule ID %q is already used by the policy at %s", d.args.id, prev)
		return
	}
	if l.builtin != nil && l.builtin(d.args.id) {
		l.errorf(d.args.idPos, "invalid policy: rule ID %q is a built-in rule; choose another ID", d.args.id)
		return
	}
	l.ids[d.args.id] = d.args.idPos
	r := newRule(d, v, l.files[d.file.Path])
	r.pos = at
	l.rules = append(l.rules, r)
}
