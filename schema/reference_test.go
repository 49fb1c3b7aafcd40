package schema

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"
	"cuelang.org/go/cue/errors"
	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/schema/internal/shape"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// The reference check: the compiled Go walk must agree with CUE itself.

// cueError is one CUE error walked back to the document.
type cueError struct {
	path []string
	node *yaml.Node // the deepest node of path present in the document
	msg  string
}

// cueValidate unifies the document with the CUE definition and maps each
// error path back to its yaml.Node.
func cueValidate(def cue.Value, defName string, n *yaml.Node) (valid bool, errs []cueError, err error) {
	v, err := tree.ToValue(n)
	if err != nil {
		return false, nil, err
	}
	u := def.Unify(cuecontext.New().Encode(v))
	verr := u.Validate(cue.Concrete(true))
	if verr == nil {
		return true, nil, nil
	}
	for _, e := range errors.Errors(verr) {
		p := e.Path()
		if len(p) > 0 && p[0] == defName {
			p = p[1:]
		}
		format, args := e.Msg()
		errs = append(errs, cueError{path: p, node: nodeAtPath(n, p), msg: fmt.Sprintf(format, args...)})
	}
	return false, errs, nil
}

// nodeAtPath follows a CUE error path (field names and list indexes) from
// the root of the document and returns the deepest node it reaches: the value
// at the path, or the mapping that lacks the next field.
func nodeAtPath(n *yaml.Node, path []string) *yaml.Node {
	cur := tree.Resolve(n)
	for _, sel := range path {
		switch {
		case cur == nil:
			return nil
		case cur.Kind == yaml.MappingNode:
			_, v := tree.Get(cur, sel)
			if v == nil {
				return cur
			}
			cur = v
		case cur.Kind == yaml.SequenceNode:
			i, err := strconv.Atoi(sel)
			items := tree.Items(cur)
			if err != nil || i < 0 || i >= len(items) {
				return cur
			}
			cur = items[i]
		default:
			return cur
		}
	}
	return cur
}

// family maps every node of a document to its parent, and every key to its
// value (a finding at a key is a finding about its value), so that findings
// can be matched to CUE errors nearby.
type family struct {
	parent map[*yaml.Node]*yaml.Node
	value  map[*yaml.Node]*yaml.Node
}

func newFamily(root *yaml.Node) family {
	fam := family{parent: map[*yaml.Node]*yaml.Node{}, value: map[*yaml.Node]*yaml.Node{}}
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || depth > 100 {
			return
		}
		kids := n.Content
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			kids = []*yaml.Node{n.Alias}
		}
		for i, c := range kids {
			if _, seen := fam.parent[c]; seen {
				continue
			}
			fam.parent[c] = n
			if n.Kind == yaml.MappingNode && i%2 == 0 && i+1 < len(kids) {
				fam.value[c] = kids[i+1]
			}
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	return fam
}

// related reports whether a and b are the same node, one lies inside the
// other, or they are siblings: CUE blames a disjunction (serverConfiguration,
// a property item) on whichever branch it tried, which may be the sibling
// of the key the user got wrong.
func (fam family) related(a, b *yaml.Node) bool {
	if v := fam.value[a]; v != nil {
		a = v
	}
	if v := fam.value[b]; v != nil {
		b = v
	}
	inside := func(x, y *yaml.Node) bool {
		for i := 0; x != nil && i < 200; i++ {
			if x == y {
				return true
			}
			x = fam.parent[x]
		}
		return false
	}
	return inside(a, b) || inside(b, a) || (fam.parent[a] != nil && fam.parent[a] == fam.parent[b])
}

// expandedSize counts the nodes of n with aliases expanded, up to a bound.
func expandedSize(n *yaml.Node, depth int) int {
	if n == nil || depth > 200 {
		return 0
	}
	if n.Kind == yaml.AliasNode {
		return 1 + expandedSize(n.Alias, depth+1)
	}
	size := 1
	for _, c := range n.Content {
		size += expandedSize(c, depth+1)
		if size > 100000 {
			return size
		}
	}
	return size
}

// hasDuplicateKeys reports JSON objects that repeat a key: tree.ToValue keeps
// the last value while the walk checks each, so CUE is no reference there.
func hasDuplicateKeys(n *yaml.Node) bool {
	if n == nil {
		return false
	}
	if n.Kind == yaml.MappingNode {
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if seen[k] {
				return true
			}
			seen[k] = true
		}
	}
	for _, c := range n.Content {
		if hasDuplicateKeys(c) {
			return true
		}
	}
	return false
}

// referenceCheck compares the shape-only walk of n with CUE's verdict.
func referenceCheck(t testing.TB, c *Checker, f *source.File, n *yaml.Node, discovery bool) {
	t.Helper()
	if discovery {
		if n = tree.Resolve(n); n == nil || n.Kind != yaml.MappingNode {
			return
		}
		referenceCheckDef(t, c, f, n, discoveryDef, c.s.disc, jsonWords)
		return
	}
	referenceCheckDef(t, c, f, n, realmDef, c.s.realm, yamlWords)
}

// referenceCheckDef is referenceCheck against the definition name, whose
// compiled shape is sh.
func referenceCheckDef(t testing.TB, c *Checker, f *source.File, n *yaml.Node, name string, sh *shape.Shape, wd words) {
	t.Helper()
	n = tree.Resolve(n)
	if n == nil || hasDuplicateKeys(n) || expandedSize(n, 0) > 5000 {
		return // CUE needs seconds for what aliases expand to
	}
	def := cueDef(t, name)
	w := &walker{c: c, f: f, rule: "test", w: wd, shapeOnly: true}
	w.value(sh, at{node: n}, false, 0)
	valid, errs, err := cueValidate(def, name, n)
	if err != nil {
		return // too large for tree.ToValue: the walk stops early too
	}
	var got []string
	for _, fi := range w.out {
		got = append(got, fmt.Sprintf("%d:%d %s", fi.Pos.Line, fi.Pos.Col, fi.Message))
	}
	if valid != (len(w.out) == 0) {
		var ce []string
		for _, e := range errs {
			ce = append(ce, strings.Join(e.path, ".")+": "+e.msg)
		}
		t.Fatalf("%s: CUE valid=%v but the walk found %d findings:\n%s\nCUE errors:\n%s\ndocument:\n%s",
			f.Path, valid, len(w.out), strings.Join(got, "\n"), strings.Join(ce, "\n"), f.Data)
	}
	if w.dropped > 0 {
		return // not every error has its finding
	}
	fam := newFamily(n)
	for _, e := range errs {
		if e.node == nil {
			continue
		}
		found := false
		for _, g := range w.at {
			if fam.related(g, e.node) {
				found = true
				break
			}
		}
		if !found {
			t.Fatalf("%s: CUE error at %s (%d:%d) %q has no finding near it; findings:\n%s",
				f.Path, strings.Join(e.path, "."), e.node.Line, e.node.Column, e.msg, strings.Join(got, "\n"))
		}
	}
}

func TestNodeAtPath(t *testing.T) {
	f := source.NewFile("x.yml", []byte("a:\n  b:\n    - x\n    - c: 1\n"))
	docs, ferr := tree.ParseYAML(f)
	if ferr != nil {
		t.Fatal(ferr)
	}
	for _, tc := range []struct {
		path      []string
		line, col int
	}{
		{[]string{"a", "b", "1", "c"}, 4, 10},
		{[]string{"a", "b", "0"}, 3, 7},
		{[]string{"a", "b", "7"}, 3, 5},   // no such item: the list
		{[]string{"a", "zzz", "q"}, 2, 3}, // no such key: the mapping
		{nil, 1, 1},
	} {
		n := nodeAtPath(docs[0], tc.path)
		if n == nil || n.Line != tc.line || n.Column != tc.col {
			t.Errorf("nodeAtPath(%v) = %v, want %d:%d", tc.path, n, tc.line, tc.col)
		}
	}
}
