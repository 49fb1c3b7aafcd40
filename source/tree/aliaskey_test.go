package tree

import (
	"testing"

	yamlv3 "go.yaml.in/yaml/v3"
)

const aliasKeySecret = "Zq8Vw3Lp9Xk2Rt7Ny4Hb6Md1"

// A key written as an alias of a scalar is read by the scalar it names, at
// the alias's own place; its text (*k) is never spanned or fixed as its value.
func TestAliasKeyResolved(t *testing.T) {
	tests := []struct {
		name, src           string
		line, col           int
		style               yamlv3.Style
		endLine, endCol     int
		path                []string
		wantTag, wantSecret string
	}{
		{
			name: "block",
			src:  "k: &k clientSecret\njenkins:\n  securityRealm:\n    oic:\n      clientId: jenkins\n      *k : " + aliasKeySecret + "\n",
			line: 6, col: 7, endLine: 6, endCol: 9,
			path:    []string{"jenkins", "securityRealm", "oic"},
			wantTag: "!!str",
		},
		{
			name: "flow",
			src:  "k: &k clientSecret\njenkins:\n  securityRealm:\n    oic: {clientId: jenkins, *k : " + aliasKeySecret + "}\n",
			line: 4, col: 30, endLine: 4, endCol: 32,
			path:    []string{"jenkins", "securityRealm", "oic"},
			wantTag: "!!str",
		},
		{
			name: "quoted anchor",
			src:  "k: &key_1 \"clientSecret\"\noic:\n  *key_1 : \"" + aliasKeySecret + "\"\n",
			line: 3, col: 3, endLine: 3, endCol: 9,
			style:   yamlv3.DoubleQuotedStyle,
			path:    []string{"oic"},
			wantTag: "!!str",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := parse(t, tt.src)
			docs, ferr := ParseYAML(f)
			if ferr != nil {
				t.Fatal(ferr)
			}
			m := Lookup(docs[0], tt.path...)
			k, v := Get(m, "clientSecret")
			if k == nil || v == nil {
				t.Fatalf("Get(clientSecret) found nothing; keys %v", Keys(m))
			}
			if k.Kind != yamlv3.ScalarNode || k.Value != "clientSecret" || k.Tag != tt.wantTag || k.Style != tt.style {
				t.Errorf("key = kind %v value %q tag %q style %v", k.Kind, k.Value, k.Tag, k.Style)
			}
			if k.Anchor != "" || k.Alias != nil {
				t.Errorf("key keeps anchor %q / alias %v", k.Anchor, k.Alias)
			}
			if k.Line != tt.line || k.Column != tt.col {
				t.Errorf("key at %d:%d, want %d:%d (the *alias)", k.Line, k.Column, tt.line, tt.col)
			}
			if v.Value != aliasKeySecret {
				t.Errorf("value = %q", v.Value)
			}
			if e := End(f, k); e.Line != tt.endLine || e.Col != tt.endCol {
				t.Errorf("End(key) = %d:%d, want %d:%d (the end of the *alias, not of the line)", e.Line, e.Col, tt.endLine, tt.endCol)
			}
			if mk := MarkOf(f, k); mk.Exact {
				t.Errorf("MarkOf(key) is Exact (%d+%d): a fix would rewrite the *alias as if it were the value", mk.Off, mk.Len)
			}
			if s := ScalarOf(f, m, "clientSecret"); s.Value != aliasKeySecret || s.Name() != "clientSecret" {
				t.Errorf("ScalarOf = %q named %q", s.Value, s.Name())
			}
			found := false
			for _, p := range Pairs(m) {
				if p.Key.Value == "k" {
					t.Errorf("Pairs still lists the alias name k")
				}
				found = found || p.Key == k
			}
			if !found {
				t.Errorf("Pairs does not list the resolved key")
			}
			v2, err := ToValue(m)
			if err != nil {
				t.Fatal(err)
			}
			if got := v2.(map[string]any)["clientSecret"]; got != aliasKeySecret {
				t.Errorf("ToValue[clientSecret] = %v", got)
			}
		})
	}
}

// The anchored scalar is shared, not moved: the anchor keeps its place and
// its value, and two alias keys get a node each.
func TestAliasKeyAnchorUntouched(t *testing.T) {
	src := "a: &k clientSecret\nb:\n  *k : s1\nc:\n  *k : s2\n"
	docs, ferr := ParseYAML(parse(t, src))
	if ferr != nil {
		t.Fatal(ferr)
	}
	ka, va := Get(docs[0], "a")
	if ka == nil || va.Value != "clientSecret" || va.Anchor != "k" || va.Line != 1 || va.Column != 4 {
		t.Fatalf("anchored scalar changed: %+v", va)
	}
	kb, _ := Get(Lookup(docs[0], "b"), "clientSecret")
	kc, _ := Get(Lookup(docs[0], "c"), "clientSecret")
	if kb == nil || kc == nil || kb == kc || kb == va || kb.Line != 3 || kc.Line != 5 {
		t.Fatalf("alias keys: %+v %+v", kb, kc)
	}
}

// A key that aliases a mapping or a sequence is left an alias (nothing is
// expanded); values that are aliases stay aliases (Resolve reads them).
func TestAliasKeyNonScalarLeft(t *testing.T) {
	src := "m: &m {a: 1}\ns: &s [1, 2]\nv: &v val\nx:\n  *m : one\n  *s : two\n  y: *v\n"
	f := parse(t, src)
	docs, ferr := ParseYAML(f)
	if ferr != nil {
		t.Fatal(ferr)
	}
	x := Lookup(docs[0], "x")
	x = Resolve(x)
	if len(x.Content) != 6 {
		t.Fatalf("x has %d nodes", len(x.Content))
	}
	for i, want := range []string{"m", "s"} {
		k := x.Content[2*i]
		if k.Kind != yamlv3.AliasNode || k.Value != want || k.Alias == nil {
			t.Errorf("key %d = kind %v value %q, want the alias *%s left", i, k.Kind, k.Value, want)
		}
		if e := End(f, k); e.Line != 5+i || e.Col != 3+len(want)+1 {
			t.Errorf("End(*%s) = %d:%d", want, e.Line, e.Col)
		}
	}
	if y := x.Content[5]; y.Kind != yamlv3.AliasNode || y.Value != "v" {
		t.Errorf("value *v changed: kind %v value %q", y.Kind, y.Value)
	}
	if _, y := Get(x, "y"); y == nil || y.Value != "val" {
		t.Errorf("Get(y) = %+v", y)
	}
}

// An alias bomb is still refused before any key is resolved.
func TestAliasKeyBombRefused(t *testing.T) {
	src := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for i := 0; i < 8; i++ {
		name := string(rune('b' + i))
		src += name + ": &" + name + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n"
		prev = name
	}
	src += "k: &k key\nm:\n  *k : *" + prev + "\n"
	if _, ferr := ParseYAML(parse(t, src)); ferr == nil {
		t.Fatal("want the alias bomb refused")
	}
}
