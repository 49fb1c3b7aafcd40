package access

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/jmespath-community/go-jmespath/pkg/functions"
	"github.com/jmespath-community/go-jmespath/pkg/interpreter"
	"github.com/jmespath-community/go-jmespath/pkg/parsing"
	"github.com/jmespath-community/go-jmespath/pkg/util"
)

// Evaluation runs on github.com/jmespath-community/go-jmespath's
// interpreter, with three things made as the plugin has them:
//
// Order. The plugin evaluates the claims of nimbus-jose-jwt's JWTClaimsSet,
// whose objects are LinkedHashMaps in document order, with jmespath-java's
// JcfRuntime, whose object projection (a.*.b), values() and keys() walk a map
// in its own order, so the plugin's answer follows the token's JSON. Go maps
// have no order and the library ranges over them, so the claims are decoded
// with each object's key order recorded (document), object projections are
// rewritten into a projection over an ordered values list, and keys(),
// values(), merge() and to_string() are replaced by versions that follow the
// recorded order. Objects the expression builds follow jmespath-java too:
// a multi-select hash in the order written, merge() in the order of first
// appearance. Only an object literal between backticks has no recorded order;
// its keys go sorted (deterministic, and no claim field iterates one).
//
// Functions. Only jmespath-java's 26 are callable (jmespath.go refuses the
// others before this runs), and like JcfRuntime with silent type errors, as
// the plugin configures it, a call with arguments of the wrong type is null
// instead of failing the whole expression.
//
// Numbers. The library computes with float64; the claims keep numbers as
// written, and a number the expression passes through comes back as written
// (a user ID of 19 digits keeps its last digits).

// document is a JSON value as the library evaluates it: objects are
// map[string]any, numbers float64.
type document struct {
	root any
	// order holds each object's keys in document order, by the map's
	// identity (the maps live as long as root).
	order map[uintptr][]string
	// numbers maps a float64's bits to the text it was written as; "" when
	// two different texts give the same float64.
	numbers map[uint64]string
}

func mapID(m map[string]any) uintptr { return reflect.ValueOf(m).Pointer() }

// decodeDocument decodes JSON that is known to be valid.
func decodeDocument(data []byte) (*document, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	d := &document{order: map[uintptr][]string{}, numbers: map[uint64]string{}}
	v, err := d.value(dec)
	if err != nil {
		return nil, err
	}
	d.root = v
	return d, nil
}

func (d *document) value(dec *json.Decoder) (any, error) {
	t, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch x := t.(type) {
	case json.Delim:
		switch x {
		case '{':
			m := map[string]any{}
			var keys []string
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				v, err := d.value(dec)
				if err != nil {
					return nil, err
				}
				if _, dup := m[k]; !dup {
					keys = append(keys, k)
				}
				m[k] = v // the last of duplicates wins, as in encoding/json
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			d.order[mapID(m)] = keys
			return m, nil
		case '[':
			l := []any{}
			for dec.More() {
				v, err := d.value(dec)
				if err != nil {
					return nil, err
				}
				l = append(l, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return l, nil
		}
		return nil, fmt.Errorf("unexpected %v", x)
	case json.Number:
		f, _ := strconv.ParseFloat(x.String(), 64) // out of range: ±Inf, as Java's Double
		bits := math.Float64bits(f)
		if text, seen := d.numbers[bits]; !seen {
			d.numbers[bits] = x.String()
		} else if text != x.String() {
			d.numbers[bits] = ""
		}
		return f, nil
	}
	return t, nil // string, bool, nil
}

// export turns a library value into the package's form: numbers as
// json.Number (as written when the number comes from the claims), objects as
// fresh maps.
func (d *document) export(v any) any {
	switch x := v.(type) {
	case float64:
		if text := d.numbers[math.Float64bits(x)]; text != "" {
			return json.Number(text)
		}
		return json.Number(formatNumber(x))
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = d.export(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = d.export(e)
		}
		return out
	case string, bool, nil:
		return x
	}
	return nil // an expression reference: not a JSON value
}

func formatNumber(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// Search evaluates the expression against the claims. A missing value is
// nil, and so is a call with arguments of the wrong type (jmespath-java's
// silent type errors).
func (e *Expr) Search(c *Claims) any {
	if c == nil || c.doc == nil {
		return nil
	}
	v, err := e.search(c.doc)
	if err != nil {
		return nil
	}
	return c.doc.export(v)
}

func (e *Expr) search(d *document) (v any, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("evaluating %q: %v", e.src, r)
		}
	}()
	caller := noFunctions
	if len(e.calls) > 0 {
		ev := &evaluation{doc: d, made: map[uintptr][]string{}}
		caller = interpreter.NewFunctionCaller(ev.functions(e.calls)...)
	}
	return interpreter.NewInterpreter(d.root, caller, nil).Execute(e.run, d.root)
}

// evaluation is the state of one search: the objects the expression built,
// with their key order.
type evaluation struct {
	doc  *document
	made map[uintptr][]string
	keep []map[string]any // keeps made maps alive, so their identities stay theirs
}

func (ev *evaluation) keys(m map[string]any) []string {
	id := mapID(m)
	ks, ok := ev.doc.order[id]
	if !ok {
		ks, ok = ev.made[id]
	}
	if ok && len(ks) == len(m) {
		return ks
	}
	ks = make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func (ev *evaluation) object(keys []string, values []any) map[string]any {
	m := make(map[string]any, len(keys))
	var order []string
	for i, k := range keys {
		if _, dup := m[k]; !dup {
			order = append(order, k)
		}
		m[k] = values[i]
	}
	ev.made[mapID(m)] = order
	ev.keep = append(ev.keep, m)
	return m
}

// Names of the rewrite's own functions: no JMESPath identifier can spell
// them, so no expression can call them.
const (
	fnOrderedValues = "\x00values"
	fnObject        = "\x00object"
)

// strictCaller has the library's functions with their type checks; the
// functions of an evaluation call it and turn its errors into null.
// It is made on first use: most runs evaluate no JMESPath.
var strictCaller = sync.OnceValue(func() interpreter.FunctionCaller {
	return interpreter.NewFunctionCaller(functions.GetDefaultFunctions()...)
})

// exprefArg is the position of the expression-reference argument of the
// functions that take one.
var exprefArg = map[string]int{"map": 0, "sort_by": 1, "min_by": 1, "max_by": 1}

var noFunctions = interpreter.NewFunctionCaller()

// called adds the names of the functions n calls to names.
func called(n parsing.ASTNode, names []string) []string {
	if n.NodeType == parsing.ASTFunctionExpression {
		name := n.Value.(string)
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	for _, c := range n.Children {
		names = called(c, names)
	}
	return names
}

// functions are the entries of the named functions for one search.
func (ev *evaluation) functions(names []string) []functions.FunctionEntry {
	out := make([]functions.FunctionEntry, 0, len(names))
	for _, name := range names {
		switch name {
		case fnOrderedValues:
			out = append(out, functions.FunctionEntry{Name: name, Handler: func(args []any) (any, error) {
				m, ok := args[0].(map[string]any)
				if !ok {
					return nil, nil
				}
				return ev.values(m), nil
			}})
		case fnObject:
			out = append(out, functions.FunctionEntry{Name: name, Handler: func(args []any) (any, error) {
				return ev.object(args[0].([]string), args[1:]), nil
			}})
		default:
			out = append(out, functions.FunctionEntry{Name: name, Handler: silent(name, ev.handler(name))})
		}
	}
	return out
}

func (ev *evaluation) values(m map[string]any) []any {
	out := []any{}
	for _, k := range ev.keys(m) {
		out = append(out, m[k])
	}
	return out
}

// handler is the implementation of one of jmespath-java's functions: the
// library's, or one that keeps the order of objects.
func (ev *evaluation) handler(name string) functions.JpFunction {
	switch name {
	case "keys":
		return func(args []any) (any, error) {
			m, ok := args[0].(map[string]any)
			if !ok {
				return nil, errType
			}
			out := []any{}
			for _, k := range ev.keys(m) {
				out = append(out, k)
			}
			return out, nil
		}
	case "values":
		return func(args []any) (any, error) {
			m, ok := args[0].(map[string]any)
			if !ok {
				return nil, errType
			}
			return ev.values(m), nil
		}
	case "merge":
		return func(args []any) (any, error) {
			var keys []string
			var values []any
			for _, a := range args {
				m, ok := a.(map[string]any)
				if !ok {
					return nil, errType
				}
				for _, k := range ev.keys(m) {
					keys, values = append(keys, k), append(values, m[k])
				}
			}
			return ev.object(keys, values), nil
		}
	case "to_string":
		return func(args []any) (any, error) {
			if s, ok := args[0].(string); ok {
				return s, nil
			}
			var b strings.Builder
			ev.unparse(&b, args[0])
			return b.String(), nil
		}
	case "contains":
		// The library's compares lists and objects with ==, which panics.
		return func(args []any) (any, error) {
			switch subject := args[0].(type) {
			case string:
				s, ok := args[1].(string)
				return ok && strings.Contains(subject, s), nil
			case []any:
				for _, e := range subject {
					if util.ObjsEqual(e, args[1]) {
						return true, nil
					}
				}
				return false, nil
			}
			return nil, errType
		}
	}
	return func(args []any) (any, error) { return strictCaller().CallFunction(name, args) }
}

var errType = fmt.Errorf("invalid type")

// silent makes a function null where jmespath-java, with silent type errors,
// answers null: arguments of the wrong type, an expression reference where a
// value goes or the other way round, and any failure of the library's
// implementation.
func silent(name string, f functions.JpFunction) functions.JpFunction {
	at, takesRef := exprefArg[name]
	return func(args []any) (v any, err error) {
		for i, a := range args {
			_, isRef := a.(functions.ExpRef)
			if isRef != (takesRef && i == at) {
				return nil, nil
			}
		}
		defer func() {
			if recover() != nil {
				v, err = nil, nil
			}
		}()
		v, err = f(args)
		if err != nil {
			return nil, nil
		}
		return v, nil
	}
}

// unparse writes a value as jmespath-java's to_string does: compact JSON,
// objects in their order.
func (ev *evaluation) unparse(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case float64:
		b.WriteString(string(ev.doc.export(x).(json.Number)))
	case string:
		q, _ := json.Marshal(x)
		b.Write(bytes.ReplaceAll(bytes.ReplaceAll(bytes.ReplaceAll(q, []byte(`\u003c`), []byte("<")), []byte(`\u003e`), []byte(">")), []byte(`\u0026`), []byte("&")))
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			ev.unparse(b, e)
		}
		b.WriteByte(']')
	case map[string]any:
		b.WriteByte('{')
		for i, k := range ev.keys(x) {
			if i > 0 {
				b.WriteByte(',')
			}
			ev.unparse(b, k)
			b.WriteByte(':')
			ev.unparse(b, x[k])
		}
		b.WriteByte('}')
	default:
		b.WriteString("null")
	}
}

// rewrite returns the tree the interpreter runs: object projections over an
// ordered values list, multi-select hashes through fnObject, and ! over the
// whole chain it stands before, as jmespath-java's grammar binds it (the
// library, after the JMESPath reference, reads !a.b as (!a).b).
func rewrite(n parsing.ASTNode) parsing.ASTNode {
	children := make([]parsing.ASTNode, len(n.Children))
	for i, c := range n.Children {
		children[i] = rewrite(c)
	}
	n.Children = children
	return fix(n)
}

// fix rewrites one node whose children are rewritten already.
func fix(n parsing.ASTNode) parsing.ASTNode {
	if chain(n) && n.Children[0].NodeType == parsing.ASTNotExpression && len(n.Children[0].Children) == 1 {
		inner := n
		inner.Children = append([]parsing.ASTNode{n.Children[0].Children[0]}, n.Children[1:]...)
		return parsing.ASTNode{NodeType: parsing.ASTNotExpression, Children: []parsing.ASTNode{fix(inner)}}
	}
	switch n.NodeType {
	case parsing.ASTValueProjection:
		return parsing.ASTNode{NodeType: parsing.ASTProjection, Children: []parsing.ASTNode{
			{NodeType: parsing.ASTFunctionExpression, Value: fnOrderedValues, Children: n.Children[:1]},
			n.Children[1],
		}}
	case parsing.ASTMultiSelectHash:
		names := make([]string, len(n.Children))
		args := []parsing.ASTNode{{NodeType: parsing.ASTLiteral, Value: names}}
		for i, kv := range n.Children {
			names[i] = kv.Value.(string)
			args = append(args, kv.Children[0])
		}
		return parsing.ASTNode{NodeType: parsing.ASTFunctionExpression, Value: fnObject, Children: args}
	}
	return n
}

// chain reports the suffixes that jmespath-java binds tighter than !:
// .name, [index], [*], [slice], [], [?filter], .*.
func chain(n parsing.ASTNode) bool {
	if len(n.Children) == 0 {
		return false
	}
	switch n.NodeType {
	case parsing.ASTSubexpression, parsing.ASTIndexExpression, parsing.ASTProjection,
		parsing.ASTFilterProjection, parsing.ASTFlatten, parsing.ASTValueProjection:
		return true
	}
	return false
}
