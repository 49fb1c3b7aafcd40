package tree

import (
	"reflect"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"go.yaml.in/yaml/v3"
)

// TestMarkLikeNode checks that a mark answers what the node it stands for
// answered: its place and end, its kind and nullness, and the span a fix
// may replace (only where the source text is exactly the value).
func TestMarkLikeNode(t *testing.T) {
	src := "a: plain\nb: \"quoted\"\nc: 'single'\nd: \"esc\\tape\"\ne: |\n  block\nf:\ng: ~\nh: [x]\n"
	f := source.NewFile("m.yaml", []byte(src))
	docs, ferr := ParseYAML(f)
	if ferr != nil {
		t.Fatal(ferr)
	}
	for _, p := range Pairs(docs[0]) {
		for _, n := range []*yaml.Node{p.Key, p.Value} {
			m := MarkOf(f, n)
			if m.Pos(f) != Pos(f, n) || m.End(f) != End(f, n) {
				t.Errorf("%s: mark %v–%v, node %v–%v", p.Key.Value, m.Pos(f), m.End(f), Pos(f, n), End(f, n))
			}
			if m.IsNull() != IsNull(n) || m.IsScalar() != (n.Kind == yaml.ScalarNode) {
				t.Errorf("%s: null %v scalar %v, node null %v kind %v", p.Key.Value, m.IsNull(), m.IsScalar(), IsNull(n), n.Kind)
			}
		}
	}
	exact := map[string]string{"a": "plain", "b": "quoted", "c": "single", "f": "", "g": "~"}
	for _, p := range Pairs(docs[0]) {
		m := MarkOf(f, p.Value)
		want, ok := exact[p.Key.Value]
		if m.Exact != ok {
			t.Errorf("%s: exact %v, want %v", p.Key.Value, m.Exact, ok)
			continue
		}
		if ok && src[m.Off:m.Off+m.Len] != want {
			t.Errorf("%s: span %q, want %q", p.Key.Value, src[m.Off:m.Off+m.Len], want)
		}
	}
	if m := MarkOf(f, nil); !m.IsZero() || !m.IsNull() || m.Pos(f) != Pos(f, nil) || m.End(f) != End(f, nil) {
		t.Errorf("nil: %+v", m)
	}
}

// TestScalarLikeStr checks Scalar and Switch against Str and Flag.
func TestScalarLikeStr(t *testing.T) {
	f := source.NewFile("s.yaml", []byte("a: x\nb:\nc: \"\"\nd: [1]\non: yes\nv: ${X}\n"))
	docs, ferr := ParseYAML(f)
	if ferr != nil {
		t.Fatal(ferr)
	}
	for _, k := range []string{"a", "b", "c", "d", "missing"} {
		s, sc := StrOf(docs[0], k), ScalarOf(f, docs[0], k)
		if s.Set() != sc.Set() || s.NonEmpty() != sc.NonEmpty() || s.Value != sc.Value {
			t.Errorf("%s: scalar %v %v %q, str %v %v %q", k, sc.Set(), sc.NonEmpty(), sc.Value, s.Set(), s.NonEmpty(), s.Value)
		}
		if sc.At().Pos(f) != Pos(f, s.At()) || sc.Key().Pos(f) != Pos(f, s.Key) {
			t.Errorf("%s: scalar at %v, str at %v", k, sc.At().Pos(f), Pos(f, s.At()))
		}
		if s.Set() && sc.Name() != s.Key.Value {
			t.Errorf("%s: name %q", k, sc.Name())
		}
	}
	for _, k := range []string{"on", "v", "a", "missing"} {
		fl, sw := FlagOf(docs[0], k), SwitchOf(f, docs[0], k)
		if fl.Set() != sw.Set() || fl.On() != sw.On() || fl.Variable != sw.Variable || sw.Item {
			t.Errorf("%s: switch %+v, flag %+v", k, sw, fl)
		}
	}
}

// TestKeysLikeGet checks that Keys lists exactly the keys Get finds,
// merged mappings included.
func TestKeysLikeGet(t *testing.T) {
	f := source.NewFile("k.yaml", []byte("base: &b\n  x: 1\n  y: 2\nm:\n  <<: *b\n  z: 3\n  x: 4\n"))
	docs, ferr := ParseYAML(f)
	if ferr != nil {
		t.Fatal(ferr)
	}
	m := Lookup(docs[0], "m")
	got := Keys(m)
	if want := []string{"<<", "z", "x", "y"}; !reflect.DeepEqual(got, want) {
		t.Errorf("keys %q, want %q", got, want)
	}
	for _, k := range append(got, "w") {
		key, _ := Get(m, k)
		found := false
		for _, g := range got {
			found = found || g == k
		}
		if (key != nil) != found {
			t.Errorf("%s: Get %v, Keys %v", k, key != nil, found)
		}
	}
}
