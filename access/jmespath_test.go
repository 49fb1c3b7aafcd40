package access

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func mustClaims(t testing.TB, s string) *Claims {
	t.Helper()
	c, err := DecodeClaims([]byte(s))
	if err != nil {
		t.Fatalf("claims %s: %v", s, err)
	}
	return c
}

// jsonOf renders a search result for comparison.
func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// testClaims has objects whose document order is not sorted order, so that
// answers in the wrong order show.
const testClaims = `{
	"sub": "f3b2",
	"preferred_username": "alice",
	"oid": 12345,
	"big_id": 1234567890123456789,
	"ratio": 1.50,
	"email_verified": true,
	"realm_access": {"roles": ["devs", "offline_access"]},
	"resource_access": {"jenkins": {"roles": ["admin"]}, "my-client": {"roles": ["x", "y"]}, "account": {"roles": ["view"]}},
	"cognito:groups": ["ops"],
	"groups": [{"name": "g1", "id": 1}, {"name": "g2"}, {"id": 3}],
	"names": ["ci-build", "dev", "ci-deploy", "ops"],
	"nested": [["a", "b"], ["c"], "d"],
	"str": "not an object",
	"zeta": {"b": 1, "a": 2},
	"alpha": {"a": 9, "c": 3}
}`

func TestSearch(t *testing.T) {
	data := mustClaims(t, testClaims)
	tests := []struct {
		expr, want string
	}{
		{"sub", `"f3b2"`},
		{"preferred_username", `"alice"`},
		{"oid", `12345`},
		{"big_id", `1234567890123456789`}, // as written, not rounded to a float64
		{"ratio", `1.50`},
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
		// Object projections follow the token's order, as jmespath-java.
		{"resource_access.*.roles", `[["admin"],["x","y"],["view"]]`},
		{"resource_access.*.roles[]", `["admin","x","y","view"]`},
		{"*.roles", `[["devs","offline_access"]]`},
		{"nested[]", `["a","b","c","d"]`},
		{"realm_access | roles", `["devs","offline_access"]`},
		{"@.sub", `"f3b2"`},
		{" realm_access . roles ", `["devs","offline_access"]`},
		// Filters.
		{"names[?starts_with(@, 'ci-')]", `["ci-build","ci-deploy"]`},
		{"names[?!starts_with(@, 'ci-')]", `["dev","ops"]`},
		{"groups[?name == 'g2'].name", `["g2"]`},
		{"groups[?id > `1`].id", `[3]`},
		{"groups[?id].name", `["g1"]`},
		{"names[?contains(@, 'e') && length(@) > `3`]", `["ci-deploy"]`},
		{"names[?@ == 'dev' || @ == 'ops']", `["dev","ops"]`},
		{"resource_access.*.roles[] | [?ends_with(@, 'n')]", `["admin"]`},
		// Functions.
		{"length(names)", `4`},
		{"join(',', names)", `"ci-build,dev,ci-deploy,ops"`},
		{"sort(names)", `["ci-build","ci-deploy","dev","ops"]`},
		{"reverse(realm_access.roles)", `["offline_access","devs"]`},
		{"to_string(oid)", `"12345"`},
		{"to_number('42')", `42`},
		{"type(groups)", `"array"`},
		{"not_null(missing, sub)", `"f3b2"`},
		{"map(&name, groups)", `["g1","g2",null]`},
		{"sort_by(groups[?id], &id)[].id", `[1,3]`},
		{"max_by(groups[?id], &id).id", `3`},
		{"keys(zeta)", `["b","a"]`},
		{"values(zeta)", `[1,2]`},
		{"keys(merge(zeta, alpha))", `["b","a","c"]`},
		{"values(merge(zeta, alpha))", `[1,9,3]`},
		{"to_string(zeta)", `"{\"b\":1,\"a\":2}"`},
		{"to_string(merge(zeta, alpha))", `"{\"b\":1,\"a\":9,\"c\":3}"`},
		{"values({z: sub, a: oid})", `["f3b2",12345]`},
		{"{z: sub, a: oid}.*", `["f3b2",12345]`},
		{"sum(groups[*].id)", `4`},
		{"abs(`-2.5`)", `2.5`},
		// Slices.
		{"names[1:3]", `["dev","ci-deploy"]`},
		{"names[::-1]", `["ops","ci-deploy","dev","ci-build"]`},
		{"names[:1]", `["ci-build"]`},
		{"names[-2:]", `["ci-deploy","ops"]`},
		// Multi-selects, literals, or.
		{"[sub, oid]", `["f3b2",12345]`},
		{"missing || sub", `"f3b2"`},
		{"`\"lit\"`", `"lit"`},
		{"'raw'", `"raw"`},
		{"(sub)", `"f3b2"`},
		// ! binds looser than a chain in jmespath-java: !(str.roles).
		{"!str.roles", `true`},
		{"!realm_access.roles", `false`},
		// Arguments of the wrong type are null (silent type errors), not a
		// failure of the whole expression.
		{"starts_with(oid, 'x')", `null`},
		{"not_null(starts_with(oid, 'x'), 'fallback')", `"fallback"`},
		{"length(oid)", `null`},
		{"keys(names)", `null`},
		{"contains(nested, ['c'])", `true`},
		{"contains(groups, `{\"name\": \"g2\"}`)", `true`},
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

// TestSearchDeterministic evaluates expressions that walk objects 100 times:
// the answer is the same each time, in the token's order.
func TestSearchDeterministic(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"groups": {`)
	for i := 0; i < 40; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		// Keys in an order that is neither sorted nor Go's.
		k := string(rune('z'-i%26)) + strings.Repeat("k", i/26+1)
		b.WriteString(`"` + k + `": {"name": "` + k + `-group"}`)
	}
	b.WriteString(`}}`)
	data := mustClaims(t, b.String())
	for _, expr := range []string{"groups.*.name", "values(groups)[].name", "keys(groups)", "to_string(groups)",
		"groups.* | [?starts_with(name, 'y')].name", "merge(groups, `{\"a\": {\"name\": \"x\"}}`).*.name"} {
		e, err := Compile(expr)
		if err != nil {
			t.Fatalf("Compile(%q): %v", expr, err)
		}
		first := jsonOf(e.Search(data))
		for i := 0; i < 100; i++ {
			if got := jsonOf(e.Search(data)); got != first {
				t.Fatalf("%q: run %d gave %s, the first %s", expr, i, got, first)
			}
		}
		if expr == "groups.*.name" && !strings.HasPrefix(first, `["zk-group","yk-group","xk-group"`) {
			t.Errorf("%q: not in document order: %s", expr, first)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		expr string
		pos  int    // SyntaxError rune offset
		msg  string // SyntaxError message
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
		{expr: "'unterminated", pos: 0, msg: "unterminated literal"},
		{expr: "groupé", pos: 5, msg: `unexpected "é" (quote names that contain it)`},
		// The JMESPath Community edition's syntax, which jmespath-java refuses.
		{expr: "a + b", pos: 2, msg: `unexpected "+" (quote names that contain it)`},
		{expr: "a * b", pos: 2, msg: `unexpected "*"`},
		{expr: "a -1", pos: 2, msg: `unexpected "-"`},
		{expr: "-a", pos: 0, msg: `unexpected "-" (quote names that contain it)`},
		{expr: "$", pos: 0, msg: `unexpected "$" (quote names that contain it)`},
		{expr: "let $x = sub in $x", pos: 4, msg: `unexpected "$" (quote names that contain it)`},
		// Leading zeros are not an index in jmespath-java's grammar.
		{expr: "groups[01]", pos: 8, msg: `unexpected "1"`},
		// & only stands before a function argument.
		{expr: "&sub", pos: 0, msg: `unexpected "&"`},
		{expr: "groups[&a]", pos: 7, msg: `unexpected "&"`},
		{expr: "`foo`", pos: 0, msg: "a literal between backticks must be JSON (jmespath-java has no legacy literals: quote strings, `\"text\"`, or write 'text')"},
		{expr: "groups[?name = 'x']", pos: 13, msg: `unexpected "="`},
		{expr: "a.{x: b", pos: 7, msg: "unexpected end of expression"},
		{expr: "a[b]", pos: 2, msg: `unexpected "b"`},
		{expr: "true(a)", pos: 4, msg: `unexpected "("`},
		// Functions jmespath-java does not have, at the function's column.
		{expr: "groups[?lower(@) == 'ci']", pos: 8, msg: `unknown function "lower" (it is a JMESPath Community function; jmespath-java, which the plugin uses, does not have it)`},
		{expr: "split(groups_csv, ',')", pos: 0, msg: `unknown function "split" (it is a JMESPath Community function; jmespath-java, which the plugin uses, does not have it)`},
		{expr: "items(resource_access)", pos: 0, msg: `unknown function "items" (it is a JMESPath Community function; jmespath-java, which the plugin uses, does not have it)`},
		{expr: "a.b.group_names(@)", pos: 4, msg: `unknown function "group_names" (jmespath-java, which the plugin uses, has no such function)`},
		// And calls with the wrong number of arguments.
		{expr: "groups[?starts_with(@)]", pos: 8, msg: `starts_with() takes 2 arguments, not 1`},
		{expr: "length(a, b)", pos: 0, msg: `length() takes 1 argument, not 2`},
		{expr: "merge()", pos: 0, msg: `merge() takes at least 1 argument, not 0`},
		{expr: "not_null()", pos: 0, msg: `not_null() takes at least 1 argument, not 0`},
	}
	for _, tt := range tests {
		_, err := Compile(tt.expr)
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

// TestCompileValid: jmespath-java's grammar, all of it, compiles.
func TestCompileValid(t *testing.T) {
	for _, expr := range []string{
		"groups[?name=='x']", "length(groups)", "groups[0:2]", "groups[::2]", "groups[:]", "[groups, roles]",
		"a.{x: b}", "{x: a, \"y z\": b}", "a || b", "a && !b", "`\"lit\"`", "`{\"a\": [1, 2.5e3, null]}`", "(a)",
		"a.[b, c]", "a[*].b[?c > `1`] | [0]", "sort_by(@, &a.b)", "map(&[a, b], @)", "a.length(@)",
		"true", "null.false", "@", "*", "[*]", "[]", "[0]", "[-1]", "[?a]", "a[-0]", `'a\'b'`,
		`"a\"b"`, "a[?b == `true`]", "a < b", "a <= b", "a >= b", "a > b", "a != b", "!!a",
		"not_null(a, b, c)", "merge(a, b, c)", "to_array(a)", "avg(a)", "min(a)", "max(a)", "floor(a)", "ceil(a)",
		"min_by(a, &b)", "values(a)", "keys(a)", "sum(a)", "abs(a)", "type(a)", "to_number(a)", "to_string(a)",
		"ends_with(a, 'x')", "contains(a, 'x')", "join(',', a)", "reverse(a)", "sort(a)",
	} {
		if _, err := Compile(expr); err != nil {
			t.Errorf("Compile(%q): %v", expr, err)
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
		{"groups[?starts_with(@, 'ci-')]", "groups", false},
		{`"cognito:groups"[0:2]`, "cognito:groups", false},
		{"length(groups)", "", false},
		{"[a, b]", "", false},
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

func TestNumbers(t *testing.T) {
	// Two numbers that are one float64: neither is restored, the float is
	// written out.
	data := mustClaims(t, `{"a": 9007199254740993, "b": 9007199254740992, "c": 1e400, "d": 2.0}`)
	for expr, want := range map[string]string{
		"a": `9007199254740992`, "[b]": `[9007199254740992]`, "d": `2.0`, "length([a, b, c])": `3`,
		"avg([`1`, `2`])": `1.5`,
	} {
		e, err := Compile(expr)
		if err != nil {
			t.Fatal(err)
		}
		if got := jsonOf(e.Search(data)); got != want {
			t.Errorf("%q: got %s, want %s", expr, got, want)
		}
	}
	e, _ := Compile("c")
	if v, ok := e.Search(data).(json.Number); !ok || v != "1e400" {
		t.Errorf("c: got %#v, want the number as written", e.Search(data))
	}
}

func FuzzCompile(f *testing.F) {
	for _, s := range []string{"sub", "realm_access.roles", `"cognito:groups"`, "groups[].name", "a.*.b[]", "a | b[0]",
		"cognito:groups", "[?x]", "a[*][*]", "*", "[]", "@", "groups[?starts_with(@, 'ci-')]", "sort_by(a, &b)[::-1]",
		"{x: a.*, y: values(@)}.*", "merge(a, `{\"b\": 1}`)", "!a.b", "to_string(@)", "contains(groups, `[1]`)", "lower(a)"} {
		f.Add(s)
	}
	data, err := DecodeClaims([]byte(`{"a": {"b": ["x", {"c": "y"}], "z": 1, "m": {"q": [1, 2]}}, "groups": ["g", ["h"]], "n": 12345678901234567890}`))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := Compile(s)
		if err != nil {
			var se *SyntaxError
			if errors.As(err, &se) {
				if se.Pos < 0 || se.Pos > len([]rune(s)) {
					t.Fatalf("Compile(%q): column %d outside the text", s, se.Pos+1)
				}
			} else if !errors.Is(err, ErrUnsupported) || !strings.Contains(s, "\\`") {
				// What jmespath-java's grammar accepts the library parses,
				// but for a backtick escaped in a quoted name.
				t.Fatalf("Compile(%q): unexpected error kind %T %v", s, err, err)
			}
			return
		}
		first := jsonOf(e.Search(data))
		for i := 0; i < 3; i++ {
			if got := jsonOf(e.Search(data)); got != first {
				t.Fatalf("%q: %s, then %s", s, first, got)
			}
		}
		_ = e.Root()
	})
}

// BenchmarkCompileSearch: compiling and evaluating the claim fields of a
// realm, as access does once per run.
func BenchmarkCompileSearch(b *testing.B) {
	data := mustClaims(b, testClaims)
	for _, expr := range []string{"preferred_username", "realm_access.roles", "resource_access.*.roles[]", "names[?starts_with(@, 'ci-')]"} {
		b.Run("compile/"+expr, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := Compile(expr); err != nil {
					b.Fatal(err)
				}
			}
		})
		e, err := Compile(expr)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("search/"+expr, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				e.Search(data)
			}
		})
	}
}
