package schema

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"cuelang.org/go/cue"
	cueerrors "cuelang.org/go/cue/errors"
	"cuelang.org/go/cue/literal"
	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// This file is a copy of schema/cuecheck, kept only until package policy
// calls cuecheck.Violations: it is the last import of CUE in this package,
// and so in the command's hot path through lint. Delete it then.

// maxViolationDepth bounds the descent that recovers the errors CUE drops.
const maxViolationDepth = 100

// Violations is a copy of cuecheck.Violations, which callers should use:
// this one links CUE into every program that imports this package (it is
// not marked deprecated only so that its remaining caller, package policy,
// stays staticcheck-clean until it moves).
//
// It unifies constraint with data, the document encoded as CUE
// (ctx.Encode of tree.ToValue(root), in the constraint's context), and
// returns every violation, mapped to the nodes of root, in CUE's order
// without duplicates. Error paths are taken relative to the constraint's
// own path.
//
// CUE's Validate drops every "incomplete" error (a missing field) once a
// value has a real conflict somewhere; Violations then validates the
// subtrees one by one, so that each missing field is reported as well. A
// document that satisfies the constraint costs a single Validate.
func Violations(constraint, data cue.Value, root *yaml.Node) []Violation {
	u := constraint.Unify(data)
	var raw []rawError
	collect(u, 0, &raw)
	if len(raw) == 0 {
		return nil
	}
	var prefix []string
	for _, s := range constraint.Path().Selectors() {
		prefix = append(prefix, s.String())
	}
	out := make([]Violation, 0, len(raw))
	seen := map[string]bool{}
	for _, r := range raw {
		p := r.path
		if hasPrefix(p, prefix) {
			p = p[len(prefix):]
		}
		path := make([]string, len(p))
		for i, s := range p {
			path[i] = unquoteLabel(s)
		}
		id := strings.Join(path, "\x00") + "\x01" + r.msg
		if seen[id] {
			continue
		}
		seen[id] = true
		l := locate(root, path)
		v := Violation{Path: path, Node: l.parent, Found: l.found, Value: l.val, Message: r.msg}
		switch {
		case r.format == requiredFormat:
			v.Kind = ViolationMissing
		case r.format == notAllowedFormat:
			v.Kind = ViolationNotAllowed
			if l.found && l.key != nil {
				v.Node = l.key
			}
		case !l.found && (strings.HasPrefix(r.format, "incomplete value") || strings.HasPrefix(r.format, "non-concrete value")):
			v.Kind = ViolationMissing
		case l.found:
			v.Node = l.val
			if l.val.Kind != yaml.ScalarNode && l.key != nil {
				v.Node = l.key
			}
		}
		out = append(out, v)
	}
	return out
}

const (
	requiredFormat   = "field is required but not present"
	notAllowedFormat = "field not allowed"
)

// rawError is one CUE error: its full path and message.
type rawError struct {
	path   []string
	format string
	msg    string
}

func addErrors(err error, out *[]rawError) {
	for _, e := range cueerrors.Errors(err) {
		format, args := e.Msg()
		msg := format
		if len(args) > 0 {
			safe := make([]any, len(args))
			for i, a := range args {
				safe[i] = safeArg(a)
			}
			msg = fmt.Sprintf(format, safe...)
		}
		*out = append(*out, rawError{path: e.Path(), format: format, msg: msg})
	}
}

// safeArg shows an argument of a CUE message without the content of a
// mapping or list (where a secret may hide) and shortened.
func safeArg(a any) any {
	switch reflect.ValueOf(a).Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.Bool:
		return a
	}
	s := fmt.Sprint(a)
	switch {
	case strings.HasPrefix(s, "{"):
		return "{…}"
	case strings.HasPrefix(s, "["):
		return "[…]"
	}
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return s
}

// collect gathers v's errors. When v has a real conflict, CUE leaves out
// the incomplete errors (missing fields), so collect then validates each
// field and element apart. (Kind and Err of a struct report the errors of
// its fields too, so they cannot tell a struct in error from one holding
// an error: the descent tries Fields and List instead.)
func collect(v cue.Value, depth int, out *[]rawError) {
	err := v.Validate(cue.Concrete(true))
	if err == nil {
		return
	}
	if depth >= maxViolationDepth || v.Validate() == nil {
		addErrors(err, out) // only incomplete errors: CUE listed them all
		return
	}
	descended := false
	if it, ierr := v.Fields(cue.Optional(true), cue.Hidden(true), cue.Definitions(true)); ierr == nil {
		descended = true
		for it.Next() {
			sel, fv := it.Selector(), it.Value()
			switch {
			case sel.ConstraintType() == cue.OptionalConstraint:
			case sel.ConstraintType() == cue.RequiredConstraint:
				if !sel.LabelType().IsHidden() && !sel.IsDefinition() {
					*out = append(*out, rawError{path: pathOf(fv), format: requiredFormat, msg: requiredFormat})
				}
			case sel.LabelType().IsHidden() || sel.IsDefinition():
				// Validate checks only the conflicts of hidden fields and
				// definitions, not whether they are concrete.
				if herr := fv.Validate(); herr != nil {
					addErrors(herr, out)
				}
			default:
				collect(fv, depth+1, out)
			}
		}
	} else if it, lerr := v.List(); lerr == nil {
		descended = true
		for it.Next() {
			collect(it.Value(), depth+1, out)
		}
	}
	if !descended {
		addErrors(err, out)
		return
	}
	// Errors of v itself (a list of the wrong length …) belong to no child.
	own := pathOf(v)
	var mine []rawError
	addErrors(err, &mine)
	for _, e := range mine {
		if equalPath(e.path, own) {
			*out = append(*out, e)
		}
	}
}

func equalPath(a, b []string) bool {
	return len(a) == len(b) && hasPrefix(a, b)
}

func pathOf(v cue.Value) []string {
	sels := v.Path().Selectors()
	out := make([]string, len(sels))
	for i, s := range sels {
		out[i] = s.String()
	}
	return out
}

func hasPrefix(p, prefix []string) bool {
	if len(p) < len(prefix) {
		return false
	}
	for i := range prefix {
		if p[i] != prefix[i] {
			return false
		}
	}
	return true
}

// unquoteLabel turns a path element such as "\"cognito:groups\"" into the
// key it names.
func unquoteLabel(s string) string {
	if strings.HasPrefix(s, `"`) {
		if u, err := literal.Unquote(s); err == nil {
			return u
		}
	}
	return s
}

// location is where a data path leads in a document.
type location struct {
	found  bool
	key    *yaml.Node // the key of the value at the path (nil for a list item or the root)
	val    *yaml.Node // the value at the path
	parent *yaml.Node // where to report what is missing at the path: the key of the deepest mapping or list reached, or that collection at the root
}

// locate follows a data path (field names and list indexes) from the root
// of a document.
func locate(root *yaml.Node, path []string) location {
	cur := tree.Resolve(root)
	var key *yaml.Node // cur's key, nil for the root and list items
	at := func() *yaml.Node {
		if key != nil {
			return key
		}
		return cur
	}
	for _, sel := range path {
		if cur == nil {
			return location{parent: root}
		}
		switch cur.Kind {
		case yaml.MappingNode:
			k, v := tree.Get(cur, sel)
			if k == nil || v == nil {
				return location{parent: at()}
			}
			key, cur = k, v
		case yaml.SequenceNode:
			i, err := strconv.Atoi(sel)
			items := tree.Items(cur)
			if err != nil || i < 0 || i >= len(items) || items[i] == nil {
				return location{parent: at()}
			}
			key, cur = nil, items[i]
		default:
			return location{parent: at()}
		}
	}
	if cur == nil {
		return location{parent: root}
	}
	return location{found: true, key: key, val: cur, parent: at()}
}
