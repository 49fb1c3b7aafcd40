package access

import (
	"reflect"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// parseJCasC reads a JCasC document the way the lint engine does.
func parseJCasC(t testing.TB, path, src string) *jcasc.Doc {
	t.Helper()
	f := source.NewFile(path, []byte(src))
	docs, ferr := tree.ParseYAML(f)
	if ferr != nil {
		t.Fatalf("parse %s: %v", path, ferr)
	}
	if len(docs) != 1 {
		t.Fatalf("%s: %d documents", path, len(docs))
	}
	return jcasc.Read(f, docs[0])
}

func TestIDStrategy(t *testing.T) {
	tests := []struct {
		s      IDStrategy
		a, b   string
		equal  bool
		keyOfA string
	}{
		{CaseInsensitive, "Alice", "alice", true, "alice"},
		{CaseInsensitive, "Jenkins-Admins", "jenkins-admins", true, "jenkins-admins"},
		{CaseInsensitive, "alice", "alice2", false, "alice"},
		{CaseSensitive, "Alice", "alice", false, "Alice"},
		{CaseSensitive, "alice", "alice", true, "alice"},
		{CaseSensitiveEmail, "Alice@Example.COM", "Alice@example.com", true, "Alice@example.com"},
		{CaseSensitiveEmail, "Alice@example.com", "alice@example.com", false, "Alice@example.com"},
		{CaseSensitiveEmail, "a@b@Example.com", "a@b@example.com", true, "a@b@example.com"},
		{CaseSensitiveEmail, "NoAt", "noat", false, "NoAt"},
	}
	for _, tt := range tests {
		if got := tt.s.Equal(tt.a, tt.b); got != tt.equal {
			t.Errorf("%s.Equal(%q, %q) = %v", tt.s, tt.a, tt.b, got)
		}
		if got := tt.s.Key(tt.a); got != tt.keyOfA {
			t.Errorf("%s.Key(%q) = %q, want %q", tt.s, tt.a, got, tt.keyOfA)
		}
	}
}

func TestReadIDStrategy(t *testing.T) {
	tests := []struct {
		yaml string
		want IDStrategy
		line int
		note string
	}{
		{"clientId: x\n", CaseInsensitive, 0, ""},
		{"userIdStrategy: caseSensitive\n", CaseSensitive, 1, ""},
		{"userIdStrategy:\n  caseSensitive: {}\n", CaseSensitive, 1, ""},
		{"clientId: x\nuserIdStrategy:\n  caseSensitiveEmailAddress: ~\n", CaseSensitiveEmail, 2, ""},
		{"userIdStrategy: caseInsensitive\n", CaseInsensitive, 1, ""},
		{"userIdStrategy: ${STRATEGY}\n", CaseInsensitive, 1, "userIdStrategy is a variable: names are compared case-insensitively here (the plugin's default)"},
		{"userIdStrategy: casesensitive\n", CaseInsensitive, 1, `userIdStrategy "casesensitive" is not one of caseInsensitive, caseSensitive, caseSensitiveEmailAddress: names are compared case-insensitively here`},
	}
	for _, tt := range tests {
		d := parseJCasC(t, "x.yaml", "jenkins:\n  securityRealm:\n    oic:\n"+indent(tt.yaml, "      "))
		_, oic := d.Realm.Reread()
		got, key, note := readIDStrategy(oic, "userIdStrategy")
		if got != tt.want || note != tt.note {
			t.Errorf("%q: got %s %q, want %s %q", tt.yaml, got, note, tt.want, tt.note)
		}
		line := 0
		if key != nil {
			line = key.Line - 3
		}
		if line != tt.line {
			t.Errorf("%q: key on line %d, want %d", tt.yaml, line, tt.line)
		}
	}
}

func indent(s, pre string) string {
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for _, l := range lines {
		if l != "" {
			b.WriteString(pre + l)
		}
	}
	return b.String()
}

func TestGroupNames(t *testing.T) {
	tests := []struct {
		claims  string
		names   []string
		dropped []string
		ok      bool
	}{
		{`{"g": ["a", "b"]}`, []string{"a", "b"}, nil, true},
		{`{"g": "admins"}`, []string{"admins"}, nil, true},
		// The plugin splits strings on blanks, commas and brackets.
		{`{"g": "[demo-user, demo-admin]"}`, []string{"demo-user", "demo-admin"}, nil, true},
		{`{"g": "a b\tc"}`, []string{"a", "b", "c"}, nil, true},
		{`{"g": ""}`, nil, nil, true},
		{`{"g": ["a", 1, true, {"name": "x"}, ["y"], null]}`, []string{"a"}, []string{"number", "boolean", "object", "list", "null"}, true},
		{`{"g": []}`, nil, nil, true},
		{`{"g": 42}`, nil, nil, false},
		{`{"g": {"a": 1}}`, nil, nil, false},
		{`{"g": true}`, nil, nil, false},
	}
	for _, tt := range tests {
		v := mustClaims(t, tt.claims).Values["g"]
		names, dropped, ok := groupNames(v)
		if !reflect.DeepEqual(names, tt.names) || !reflect.DeepEqual(dropped, tt.dropped) || ok != tt.ok {
			t.Errorf("%s: got %q %q %v, want %q %q %v", tt.claims, names, dropped, ok, tt.names, tt.dropped, tt.ok)
		}
	}
}

func TestStringValue(t *testing.T) {
	tests := []struct {
		claims string
		want   string
		ok     bool
	}{
		{`{"v": "alice"}`, "alice", true},
		{`{"v": "  alice  "}`, "alice", true},
		{`{"v": "   "}`, "", false},
		{`{"v": 12345}`, "12345", true},
		{`{"v": 1.50}`, "1.50", true},
		{`{"v": false}`, "false", true},
		{`{"v": null}`, "", false},
		{`{"v": ["alice"]}`, "", false},
		{`{"v": {"name": "alice"}}`, "", false},
	}
	for _, tt := range tests {
		got, ok := stringValue(mustClaims(t, tt.claims).Values["v"])
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: got %q %v, want %q %v", tt.claims, got, ok, tt.want, tt.ok)
		}
	}
}

func TestClaimRedaction(t *testing.T) {
	const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJlc2lnbmF0dXJl"
	claims := mustClaims(t, `{
		"sub": "alice",
		"auth_time": 1700000000,
		"token_use": "id",
		"at_hash": "x1y2",
		"client_secret": "hunter2",
		"password": 1234,
		"access_token": "`+jwt+`",
		"note": "`+jwt+`",
		"ext": {"api_key": "k-123", "team": "a", "list": ["`+jwt+`", "plain"]}
	}`)
	got := redactClaims(claims.Values)
	want := []Claim{
		{Name: "access_token", Value: "eyJ…", Redacted: true},
		{Name: "at_hash", Value: "x1y2"},
		{Name: "auth_time", Value: claims.Values["auth_time"]},
		{Name: "client_secret", Value: "REDACTED", Redacted: true},
		{Name: "ext", Value: map[string]any{"api_key": "REDACTED", "team": "a", "list": []any{"eyJ…", "plain"}}},
		{Name: "note", Value: "eyJ…", Redacted: true},
		{Name: "password", Value: "REDACTED", Redacted: true},
		{Name: "sub", Value: "alice"},
		{Name: "token_use", Value: "id"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %#v\nwant %#v", got, want)
	}
	if s := jsonOf(got); strings.Contains(s, "hunter2") || strings.Contains(s, "c2lnbmF0dXJl") || strings.Contains(s, "k-123") {
		t.Errorf("secret leaked: %s", s)
	}
}
