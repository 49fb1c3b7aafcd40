package access

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

func mustClaims(t *testing.T, s string) map[string]any {
	t.Helper()
	m, err := DecodeClaims([]byte(s))
	if err != nil {
		t.Fatalf("claims %s: %v", s, err)
	}
	return m
}

// jsonOf renders a search result for comparison.
func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestSearch(t *testing.T) {
	claims := `{
		"sub": "f3b2",
		"preferred_username": "alice",
		"oid": 12345,
		"email_verified": true,
		"realm_access": {"roles": ["devs", "offline_access"]},
		"resource_access": {"jenkins": {"roles": ["admin"]}, "my-client": {"roles": ["x", "y"]}, "account": {"roles": ["view"]}},
		"cognito:groups": ["ops"],
		"groups": [{"name": "g1", "id": 1}, {"name": "g2"}, {"id": 3}],
		"nested": [["a", "b"], ["c"], "d"],
		"str": "not an object"
	}`
	data := mustClaims(t, claims)
	tests := []struct {
		expr, want string
	}{
		{"sub", `"f3b2"`},
		{"preferred_username", `"alice"`},
		{"oid", `12345`},
		{"email_verified", `true`},
		{"realm_access.roles", `["devs","offline_access"]`},
		{"resource_access.jenkins.roles", `["admin"]`},
		{`resource_access."my-client".roles`, `["x","y"]`},
		{`"cognito:groups"`, `["ops"]`},
		{`"preferred_username"`, `"alice"`},
		{"realm_access.roles[0]", `"devs"`},
		{"realm_access.roles[-1]", `"offline_access"`},
		{"realm_access.roles[5]", `null`},
		{"groups[].name", `["g1","g2"]`},
		{"groups[*].name", `["g1","g2"]`},
		{"groups[*].id", `[1,3]`},
		{"resource_access.*.roles", `[["view"],["admin"],["x","y"]]`}, // keys sorted: account, jenkins, my-client
		{"resource_access.*.roles[]", `["view","admin","x","y"]`},
		{"nested[]", `["a","b","c","d"]`},
		{"realm_access | roles", `["devs","offline_access"]`},
		{"@.sub", `"f3b2"`},
		{" realm_access . roles ", `["devs","offline_access"]`},
		// Absent values are null, never an error.
		{"missing", `null`},
		{"realm_access.missing", `null`},
		{"str.roles", `null`},
		{"sub[0]", `null`},
		{"sub[]", `null`},
		{"sub.*", `null`},
		{"missing[*].name", `null`},
	}
	for _, tt := range tests {
		e, err := Compile(tt.expr)
		if err != nil {
			t.Errorf("Compile(%q): %v", tt.expr, err)
			continue
		}
		if got := jsonOf(e.Search(data)); got != tt.want {
			t.Errorf("%q: got %s, want %s", tt.expr, got, tt.want)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		expr        string
		unsupported bool
		pos         int    // SyntaxError rune offset
		msg         string // SyntaxError message
	}{
		{expr: "cognito:groups", pos: 7, msg: `unexpected ":"`},
		{expr: "group-membership", pos: 5, msg: `unexpected "-" (quote names that contain it)`},
		{expr: "user@example", pos: 4, msg: `unexpected "@"`},
		{expr: "custom/groups", pos: 6, msg: `unexpected "/" (quote names that contain it)`},
		{expr: `"unterminated`, pos: 0, msg: "unterminated quoted name"},
		{expr: "realm_access.", pos: 13, msg: "unexpected end of expression"},
		{expr: "a..b", pos: 2, msg: `unexpected "."`},
		{expr: "groups[0", pos: 8, msg: "unexpected end of expression"},
		{expr: "123", pos: 0, msg: `unexpected "1"`},
		{expr: "", pos: 0, msg: "unexpected end of expression"},
		{expr: "groups[?name=='x']", unsupported: true},
		{expr: "length(groups)", unsupported: true},
		{expr: "groups[0:2]", unsupported: true},
		{expr: "[groups, roles]", unsupported: true},
		{expr: "a.{x: b}", unsupported: true},
		{expr: "a || b", unsupported: true},
		{expr: "`\"lit\"`", unsupported: true},
		{expr: "(a)", unsupported: true},
	}
	for _, tt := range tests {
		_, err := Compile(tt.expr)
		if tt.unsupported {
			if !errors.Is(err, ErrUnsupported) {
				t.Errorf("Compile(%q) = %v, want ErrUnsupported", tt.expr, err)
			}
			continue
		}
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Compile(%q) = %v, want a SyntaxError", tt.expr, err)
			continue
		}
		if se.Pos != tt.pos || se.Msg != tt.msg {
			t.Errorf("Compile(%q): got %q at %d, want %q at %d", tt.expr, se.Msg, se.Pos, tt.msg, tt.pos)
		}
	}
}

func TestExprRootAndSimple(t *testing.T) {
	tests := []struct {
		expr, root string
		simple     bool
	}{
		{"sub", "sub", true},
		{`"cognito:groups"`, "cognito:groups", true},
		{"realm_access.roles", "realm_access", false},
		{"groups[].name", "groups", false},
		{"groups[0]", "groups", false},
		{"resource_access.*.roles", "resource_access", false},
		{"a | b", "a", false},
		{"@", "", false},
		{"*.roles", "", false},
	}
	for _, tt := range tests {
		e, err := Compile(tt.expr)
		if err != nil {
			t.Fatalf("Compile(%q): %v", tt.expr, err)
		}
		if got := e.Root(); got != tt.root {
			t.Errorf("Root(%q) = %q, want %q", tt.expr, got, tt.root)
		}
		if _, got := e.Simple(); got != tt.simple {
			t.Errorf("Simple(%q) = %v, want %v", tt.expr, got, tt.simple)
		}
		if e.String() != tt.expr {
			t.Errorf("String() = %q", e.String())
		}
	}
}

func TestQuoteIfNeeded(t *testing.T) {
	for in, want := range map[string]string{
		"groups":         "groups",
		"cognito:groups": `"cognito:groups"`,
		"group-name":     `"group-name"`,
		"1st":            `"1st"`,
		"":               `""`,
	} {
		if got := quoteIfNeeded(in); got != want {
			t.Errorf("quoteIfNeeded(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestSearchTypes(t *testing.T) {
	// Values decoded without UseNumber work too.
	var data any
	if err := json.Unmarshal([]byte(`{"a": {"b": [1.5, "x"]}}`), &data); err != nil {
		t.Fatal(err)
	}
	e, err := Compile("a.b")
	if err != nil {
		t.Fatal(err)
	}
	if got := e.Search(data); !reflect.DeepEqual(got, []any{1.5, "x"}) {
		t.Errorf("got %#v", got)
	}
}

func FuzzCompile(f *testing.F) {
	for _, s := range []string{"sub", "realm_access.roles", `"cognito:groups"`, "groups[].name", "a.*.b[]", "a | b[0]", "cognito:groups", "[?x]", "a[*][*]", "*", "[]", "@"} {
		f.Add(s)
	}
	data := map[string]any{"a": map[string]any{"b": []any{"x", map[string]any{"c": "y"}}}, "groups": []any{"g"}}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := Compile(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("Compile(%q): unexpected error kind %T %v", s, err, err)
			}
			return
		}
		_ = e.Search(data)
		_ = e.Root()
	})
}
