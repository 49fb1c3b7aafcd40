package engine

import (
	"fmt"
	"strings"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/token"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// decl is one rule as declared in a policy file: a field directly under
// jcasc: or discovery: with a @rule attribute.
type decl struct {
	kind  source.Kind
	label string     // the field's name
	field *ast.Field // the rule's field
	// outer is the jcasc:/discovery: field when the rule is written
	// `jcasc: name: {…}` (its source text starts there), else nil.
	outer *ast.Field
	args  ruleArgs
	file  *source.File
}

// ruleArgs are the arguments of a @rule attribute.
type ruleArgs struct {
	id       string
	idPos    report.Position
	severity report.Severity // 0: not given
	message  string
}

// scan checks the declarations of one policy file and returns its rules.
// Every @rule attribute must sit on a rule field; every regular field under
// jcasc: and discovery: must be a rule; other regular top-level fields are
// errors (they would check nothing).
func (l *loader) scan(file *ast.File, f *source.File) []*decl {
	used := map[*ast.Attribute]bool{}
	var out []*decl
	for _, d := range file.Decls {
		switch x := d.(type) {
		case *ast.Package, *ast.ImportDecl, *ast.CommentGroup, *ast.LetClause, *ast.Attribute:
		case *ast.Field:
			name, isIdent, err := ast.LabelName(x.Label)
			switch {
			case err != nil:
				l.errorf(l.pos(x.Pos()), "invalid policy: a top-level field needs a plain name, not %s", exprText(f, x.Label))
			case isIdent && (strings.HasPrefix(name, "#") || strings.HasPrefix(name, "_")):
				// a definition or hidden field: a helper
			case name == selJCasC || name == selDiscovery:
				out = append(out, l.selector(x, name, f, used)...)
			default:
				l.errorf(l.pos(x.Pos()), "invalid policy: unknown top-level field %q: rules are fields under `jcasc:` (JCasC documents) or `discovery:` (provider metadata); put helpers in definitions such as #%s", name, name)
			}
		default:
			l.errorf(l.pos(d.Pos()), "invalid policy: unsupported top-level declaration %s: rules are fields under `jcasc:` or `discovery:`", exprText(f, d))
		}
	}
	// Any other @rule attribute is misplaced.
	ast.Walk(file, func(n ast.Node) bool {
		if a, ok := n.(*ast.Attribute); ok && a.Name() == "rule" && !used[a] {
			l.errorf(l.pos(a.Pos()), "invalid policy: @rule must follow the value of a field directly under `jcasc:` or `discovery:`, e.g. jcasc: myRule: {…} @rule(my-rule)")
		}
		return true
	}, nil)
	return out
}

// selector reads the rules declared under one jcasc: or discovery: field.
func (l *loader) selector(x *ast.Field, name string, f *source.File, used map[*ast.Attribute]bool) []*decl {
	kind := source.JCasC
	if name == selDiscovery {
		kind = source.Discovery
	}
	st, ok := x.Value.(*ast.StructLit)
	if !ok {
		l.errorf(l.pos(x.Value.Pos()), "invalid policy: the value of `%s:` must be a struct of rules, e.g. %s: myRule: {…} @rule(my-rule)", name, name)
		return nil
	}
	var outer *ast.Field
	if !st.Lbrace.IsValid() {
		outer = x // `jcasc: name: …`
	}
	var out []*decl
	for _, e := range st.Elts {
		switch y := e.(type) {
		case *ast.CommentGroup, *ast.LetClause:
		case *ast.Attribute:
			if y.Name() == "rule" {
				used[y] = true
				l.errorf(l.pos(y.Pos()), "invalid policy: @rule belongs after a rule's value, e.g. %s: myRule: {…} @rule(my-rule)", name)
			}
		case *ast.Field:
			label, isIdent, err := ast.LabelName(y.Label)
			if err != nil {
				l.errorf(l.pos(y.Pos()), "invalid policy: a rule field needs a plain name, not %s", exprText(f, y.Label))
				continue
			}
			if isIdent && (strings.HasPrefix(label, "#") || strings.HasPrefix(label, "_")) {
				continue // a helper
			}
			d := l.ruleField(y, kind, name, label, f, used)
			if d != nil {
				d.outer = outer
				out = append(out, d)
			}
		default:
			l.errorf(l.pos(e.Pos()), "invalid policy: unsupported declaration %s under `%s:`: each rule is a field, e.g. %s: myRule: {…} @rule(my-rule)", exprText(f, e), name, name)
		}
	}
	return out
}

// ruleField reads the @rule attribute of a field under jcasc:/discovery:.
func (l *loader) ruleField(y *ast.Field, kind source.Kind, sel, label string, f *source.File, used map[*ast.Attribute]bool) *decl {
	var attrs []*ast.Attribute
	for _, a := range y.Attrs {
		if a.Name() == "rule" {
			attrs = append(attrs, a)
			used[a] = true
		}
	}
	at := l.pos(y.Pos())
	switch len(attrs) {
	case 0:
		l.errorf(at, "invalid policy: %s.%s has no @rule attribute: every field under `%s:` is a rule, e.g. %s: %s: {…} @rule(my-rule); put helpers in definitions such as #%s", sel, label, sel, sel, label, label)
		return nil
	case 1:
	default:
		l.errorf(l.pos(attrs[1].Pos()), "invalid policy: %s.%s has more than one @rule attribute", sel, label)
		return nil
	}
	if y.Constraint != token.ILLEGAL {
		l.errorf(at, "invalid policy: rule %s.%s must be a regular field (no ? or !)", sel, label)
		return nil
	}
	args, ok := l.ruleArgs(attrs[0], f)
	if !ok {
		return nil
	}
	key := sel + "." + label
	if prev, dup := l.labels[key]; dup {
		l.errorf(at, "invalid policy: %s is declared twice (first at %s); a rule is one field", key, prev)
		return nil
	}
	l.labels[key] = at
	return &decl{kind: kind, label: label, field: y, args: args, file: f}
}

// attrArg is one argument of an attribute: its text and byte offset in the
// attribute's text.
type attrArg struct {
	text string
	off  int
}

// splitAttr splits the body of an attribute's text (after "@name(") at the
// commas outside quotes and brackets. ok is false for an unterminated quote.
func splitAttr(text string, start int) (args []attrArg, ok bool) {
	body := text[start : len(text)-1]
	depth := 0
	var quote byte
	begin := 0
	emit := func(end int) {
		raw := body[begin:end]
		trimmed := strings.TrimLeft(raw, " \t\r\n")
		off := start + begin + len(raw) - len(trimmed)
		args = append(args, attrArg{text: strings.TrimRight(trimmed, " \t\r\n"), off: off})
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			depth--
		case c == ',' && depth == 0:
			emit(i)
			begin = i + 1
		}
	}
	if quote != 0 {
		return nil, false
	}
	emit(len(body))
	if len(args) == 1 && args[0].text == "" {
		args = nil
	}
	return args, true
}

// ruleArgs parses @rule(id, severity=…, message="…").
func (l *loader) ruleArgs(a *ast.Attribute, f *source.File) (ruleArgs, bool) {
	base := a.Pos().Offset()
	posAt := func(off int) report.Position { return f.PosAt(base + off) }
	open := strings.IndexByte(a.Text, '(')
	var out ruleArgs
	args, ok := splitAttr(a.Text, open+1)
	if !ok {
		l.errorf(posAt(0), "invalid policy: unterminated string in %s", a.Text)
		return out, false
	}
	if len(args) == 0 || args[0].text == "" || strings.Contains(args[0].text, "=") {
		l.errorf(posAt(0), "invalid policy: @rule needs the rule ID as its first argument, e.g. @rule(my-rule, severity=warning, message=\"…\")")
		return out, false
	}
	out.id, out.idPos = args[0].text, posAt(args[0].off)
	if !idRE.MatchString(out.id) {
		l.errorf(out.idPos, "invalid policy: bad rule ID %q: use lower-case letters and digits in words joined by '-', e.g. require-credential-description", out.id)
		return out, false
	}
	seen := map[string]bool{}
	for _, arg := range args[1:] {
		key, val, hasVal := strings.Cut(arg.text, "=")
		key = strings.TrimSpace(key)
		val = strings.TrimSpace(val)
		p := posAt(arg.off)
		if !hasVal {
			l.errorf(p, "invalid policy: unexpected @rule argument %q: after the ID come severity=… and message=\"…\"", arg.text)
			return out, false
		}
		if seen[key] {
			l.errorf(p, "invalid policy: @rule sets %s twice", key)
			return out, false
		}
		seen[key] = true
		if strings.HasPrefix(val, `"`) || strings.HasPrefix(val, `'`) || strings.HasPrefix(val, `#`) {
			u, err := literal.Unquote(val)
			if err != nil {
				l.errorf(p, "invalid policy: bad string in @rule %s: %v", key, err)
				return out, false
			}
			val = u
		}
		switch key {
		case "severity":
			switch strings.ToLower(val) {
			case "error":
				out.severity = report.Error
			case "warning":
				out.severity = report.Warning
			case "note":
				out.severity = report.Note
			default:
				l.errorf(p, "invalid policy: bad severity %q in @rule: want error, warning or note", val)
				return out, false
			}
		case "message":
			out.message = strings.Join(strings.Fields(val), " ")
		default:
			l.errorf(p, "invalid policy: unknown @rule key %q: the keys are severity and message", key)
			return out, false
		}
	}
	return out, true
}

// exprText is the source text of a node, shortened, for messages.
func exprText(f *source.File, n ast.Node) string {
	s, e := n.Pos().Offset(), n.End().Offset()
	if !n.Pos().IsValid() || !n.End().IsValid() || s < 0 || e > len(f.Data) || s >= e {
		return fmt.Sprintf("%T", n)
	}
	t := strings.Join(strings.Fields(string(f.Data[s:e])), " ")
	if r := []rune(t); len(r) > 40 {
		t = string(r[:40]) + "…"
	}
	return "`" + t + "`"
}
