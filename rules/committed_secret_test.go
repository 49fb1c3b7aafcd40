package rules

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// secretSpans runs the YAML walk on text and returns the text of every
// span it would mask, in document order.
func secretSpans(t *testing.T, text string) []string {
	t.Helper()
	f := source.NewFile("x.yaml", []byte(text))
	var root yaml.Node
	if err := yaml.Unmarshal(f.Data, &root); err != nil {
		t.Fatalf("%v in %q", err, text)
	}
	var out []string
	walkSecretFields(&root, func(sv secretScalar) {
		if !masked(sv) {
			return
		}
		s, e, ok := scalarSpan(f, sv.val)
		if !ok {
			t.Errorf("no span for %q in %q", sv.val.Value, text)
			return
		}
		out = append(out, string(f.Data[s:e]))
	})
	return out
}

// The span of a secret field's value is the value itself, whatever
// anchors, tags, quotes, line breaks and block indicators precede it, and
// every scalar a field that holds one secret has is found, through aliases
// too.
func TestSecretSpans(t *testing.T) {
	for _, tt := range []struct {
		text string
		want string // the spans, joined by |
	}{
		{"password: Wm4T\n", "Wm4T"},
		{"password: &a \"Wm4T\"\n", "Wm4T"},
		{"password: &a !!str 'Wm4T''s'\n", "Wm4T''s"},
		{"password: !secret Wm4T # note\n", "Wm4T"},
		{"password: !<tag:x.io,2024:s> Wm4T\n", "Wm4T"},
		{"password: &a\n  # why\n  \"Wm4T\"\n", "Wm4T"},
		{"password: !!binary |\n  V200VA==\n  Zm9v\n", "V200VA==\n  Zm9v"},
		{"password: &a >-\n    Wm4T\n    part2\nnext: x\n", "Wm4T\n    part2"},
		{"password: Wm4T\n  part2\nnext: x\n", "Wm4T\n  part2"},
		{"password: \"Wm4T\\\"x\n  part2\"\n", "Wm4T\\\"x\n  part2"},
		{"password: [\"a1\", b2, &c 'c3']\n", "a1|b2|c3"},
		{"password: {k: v1, 'k2': [v2]}\n", "v1|k2|v2"},
		{"password:\n  - a1\n  - {b: b1}\n", "a1|b1"},
		{"x: &pw Wm4T\npassword: *pw\nsecret: *pw\n", "Wm4T"},
		{"x: &m {k: v1}\npassword: *m\n", "v1"},
		{"password: \"Wm4T\"\r\nnext: x\r\n", "Wm4T"},
		{"pasword: Wm4T\nsecert: Zq8v\nclientSecert: Xy9z\n", "Wm4T|Zq8v|Xy9z"},
		// structures that contain a secret are walked, not taken whole
		{"usernamePassword: {id: a, username: u, password: Wm4T}\n", "Wm4T"},
		{"apiToken: {usageStatisticsEnabled: true, creationOfLegacyTokenEnabled: false}\n", ""},
		{"credentials: [{id: a, secret: Wm4T}]\n", "Wm4T"},
		{"password: true\nsecret: ~\n", ""},
	} {
		if got := strings.Join(secretSpans(t, tt.text), "|"); got != tt.want {
			t.Errorf("spans of %q = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// An alias bomb under a secret field costs one visit per anchored node.
func TestSecretSpansAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a: &a [Wm4T, Wm4T, Wm4T, Wm4T, Wm4T, Wm4T, Wm4T, Wm4T, Wm4T]\n")
	prev := "a"
	for i := 0; i < 12; i++ {
		n := string(rune('b' + i))
		b.WriteString(n + ": &" + n + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n")
		prev = n
	}
	b.WriteString("password: [*" + prev + ", *" + prev + "]\n")
	if got := secretSpans(t, b.String()); len(got) != 9 {
		t.Errorf("%d spans, want the 9 scalars of &a once each", len(got))
	}
}

// A YAML file that does not parse: the values of secret keys are found
// line by line, weak ones and unterminated quotes included.
func TestLineSecretValues(t *testing.T) {
	text := "jenkins:\n" +
		"  clientSecret: \"hunter2\n" +
		"  - password: &a !!str 'abc' # c\n" +
		"  token: plain value # comment\n" +
		"  secret: |\n" +
		"    line1\n" +
		"      line2\n" +
		"  user: bob\n" +
		"  \"passwd\": x\n" +
		"  pasword:\n" +
		"  url: https://x:y@h\n" +
		"&top anchored\n" +
		"  other: &pw \"anchored2\" # c\n" +
		"  unused: &un notsecret\n" +
		"  password: *pw\n" +
		"  clientSecret: *top\n" +
		"  secretKey:\n" +
		"    - listed\n" +
		"  after: x\n"
	var got []string
	for _, sp := range lineSecretValues([]byte(text)) {
		got = append(got, text[sp[0]:sp[1]])
	}
	want := "hunter2|abc|plain value|line1|line2|x|*pw|*top|- listed|anchored|anchored2"
	if strings.Join(got, "|") != want {
		t.Errorf("got %q, want %q", strings.Join(got, "|"), want)
	}
}

// One slip of a finger away from a secret word, not a plural or another
// word.
func TestTypoOf(t *testing.T) {
	for _, n := range []string{"pasword", "passwrod", "passsword", "secert", "secrte", "sceret", "Pasword", "clientsecert"} {
		if !typoOfAny(n, append(typoWords, lowerFields()...)) {
			t.Errorf("%q is no slip", n)
		}
	}
	for _, n := range []string{"password", "secrets", "secure", "passwords", "assword", "sec", "", "passport", "secretary"} {
		if typoOfAny(n, typoWords) {
			t.Errorf("%q is a slip", n)
		}
	}
}

func TestOnlyReferences(t *testing.T) {
	for v, want := range map[string]bool{
		"${OIDC_CLIENT_SECRET}":      true,
		" ${A}${B} ":                 true,
		"${decodeBase64:${SECRET}}":  true,
		"${readFile:/run/secrets/x}": true,
		"${VAR:-Summer2024!}":        false,
		"${base64:c2VjcmV0}":         false,
		"Bearer ${TOKEN}":            false,
		"${A}x":                      false,
		"Wm4Tq9Lx2Vb7Nc5Rz8Kd3Hf6":   false,
		"${unterminated":             false,
		"":                           false,
	} {
		if got := onlyReferences(v); got != want {
			t.Errorf("onlyReferences(%q) = %v, want %v", v, got, want)
		}
	}
}
