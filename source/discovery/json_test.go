package discovery

import (
	"os"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

func TestParseJSONPositions(t *testing.T) {
	src := "{\n  \"issuer\": \"https://é.example\",\n  \"n\": [1, 2.5, true, null],\n\t\"jwks_uri\":\"x\"}"
	f := source.NewFile("m.json", []byte(src))
	root, ferr := ParseJSON(f)
	if ferr != nil {
		t.Fatal(ferr)
	}
	k, v := tree.Get(root, "issuer")
	if k.Line != 2 || k.Column != 3 || v.Line != 2 || v.Column != 13 {
		t.Errorf("issuer key %d:%d value %d:%d", k.Line, k.Column, v.Line, v.Column)
	}
	if e := tree.End(f, v); e.Line != 2 || e.Col != 32 {
		t.Errorf("issuer end %v", e)
	}
	_, n := tree.Get(root, "n")
	tags := []string{"!!int", "!!float", "!!bool", "!!null"}
	cols := []int{9, 12, 17, 23}
	for i, it := range n.Content {
		if it.Tag != tags[i] || it.Column != cols[i] || it.Line != 3 {
			t.Errorf("item %d: tag %s at %d:%d", i, it.Tag, it.Line, it.Column)
		}
	}
	k, v = tree.Get(root, "jwks_uri")
	if k.Line != 4 || k.Column != 2 || v.Column != 13 {
		t.Errorf("jwks_uri key %d:%d value col %d", k.Line, k.Column, v.Column)
	}
	if !Looks(root) {
		t.Error("Looks = false")
	}
}

func TestParseJSONErrors(t *testing.T) {
	tests := []struct {
		name, src string
		line, col int
		contains  string
	}{
		{"truncated", "{\n  \"issuer\": \"https://x\",\n  \"jwks_uri\": \"ht", 3, 17, "unexpected end"},
		{"empty", "", 1, 1, "empty file"},
		{"trailing comma", "{\n  \"a\": 1,\n}", 3, 1, "invalid character '}'"},
		{"two values", "{}\n{}", 2, 1, "extra data"},
		{"html", "<html>", 1, 1, "invalid character '<'"},
		{"double comma", "[1,,2]", 1, 4, "invalid character ','"},
		{"missing colon", "{\"a\" 1}", 1, 6, "invalid character '1' after object key"},
		{"bad literal", "{\"a\": tru}", 1, 10, "in literal true"},
		{"deep", strings.Repeat("[", 300) + strings.Repeat("]", 300), 1, 202, "nested more than"},
		{"duplicate key", "{\"issuer\": \"https://a\",\n \"x\": {\"k\": 1, \"k\": 2},\n \"issuer\": \"https://a/\"}", 2, 16, `duplicate key "k" (first at line 2)`},
		{"duplicate top key", "{\"issuer\": \"https://a\",\n \"issuer\": \"https://a/\"}", 2, 2, `duplicate key "issuer" (first at line 1): JSON parsers disagree`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ferr := ParseJSON(source.NewFile("m.json", []byte(tt.src)))
			if ferr == nil {
				t.Fatal("want an error")
			}
			if ferr.Pos.Line != tt.line || (tt.col > 0 && ferr.Pos.Col != tt.col) || !strings.Contains(ferr.Message, tt.contains) {
				t.Errorf("got %v, want %d:%d containing %q", ferr, tt.line, tt.col, tt.contains)
			}
		})
	}
}

func TestReadMetadata(t *testing.T) {
	data, err := os.ReadFile("testdata/google.json")
	if err != nil {
		t.Fatal(err)
	}
	f := source.NewFile("google.json", data)
	root, ferr := ParseJSON(f)
	if ferr != nil {
		t.Fatal(ferr)
	}
	m := Read(f, root)
	if m.Issuer.Value != "https://accounts.google.com" || !m.CodeChallengeMethods.Has("S256") || !m.ScopesSupported.Has("openid") {
		t.Errorf("unexpected view: issuer %q", m.Issuer.Value)
	}
	if len(m.Endpoints()) != 5 {
		t.Errorf("endpoints: %d", len(m.Endpoints()))
	}
}

func FuzzParseJSON(f *testing.F) {
	for _, name := range []string{"testdata/google.json", "testdata/salesforce.json"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"issuer": "x", "a": [1, {"b": null}]}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		file := source.NewFile("f.json", data)
		root, ferr := ParseJSON(file)
		if ferr != nil {
			if ferr.Pos.Line < 1 || ferr.Pos.Line > file.LineCount() {
				t.Fatalf("error line %d out of range", ferr.Pos.Line)
			}
			return
		}
		var walk func(n *yaml.Node)
		walk = func(n *yaml.Node) {
			if n.Line < 1 || n.Line > file.LineCount() || n.Column < 1 {
				t.Fatalf("node %q at %d:%d out of range", n.Value, n.Line, n.Column)
			}
			_ = tree.End(file, n)
			for _, c := range n.Content {
				walk(c)
			}
		}
		walk(root)
		if root.Kind == yaml.MappingNode {
			_ = Read(file, root)
		}
	})
}
