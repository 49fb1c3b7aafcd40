package lint

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The safety net redacts a secret where it stands alone, not where the same
// letters are part of a longer word.
func TestReplaceWord(t *testing.T) {
	for _, tt := range []struct{ s, sec, want string }{
		{"privateKey holds private", "private", "privateKey holds X"},
		{`value "Zq8vN3rT6w" at x`, "Zq8vN3rT6w", `value "X" at x`},
		{"https://u:Zq8vN3rT6w@host", "Zq8vN3rT6w", "https://u:X@host"},
		{"Zq8vN3rT6w", "Zq8vN3rT6w", "X"},
		{"aZq8vN3rT6w Zq8vN3rT6w", "Zq8vN3rT6w", "aZq8vN3rT6w X"},
		{"key=-----BEGIN-----", "-----BEGIN-----", "key=X"},
	} {
		if got := replaceWord(tt.s, tt.sec, "X"); got != tt.want {
			t.Errorf("replaceWord(%q, %q) = %q, want %q", tt.s, tt.sec, got, tt.want)
		}
	}
}

// Fingerprinted text has a marker wherever a secret span lies, whatever the
// order and overlap of the spans recorded by different checks.
func TestWithoutSecrets(t *testing.T) {
	data := []byte("key: AAAA BBBB CCCC end")
	m := secretMarker
	for _, tt := range []struct {
		spans      []span
		start, end int
		want       string
	}{
		{nil, 0, len(data), string(data)},
		{[]span{{10, 14}, {5, 9}}, 0, len(data), "key: " + m + " " + m + " CCCC end"},
		{[]span{{5, 14}, {7, 9}}, 0, 12, "key: " + m},                    // nested, cut at the end
		{[]span{{5, 9}, {9, 14}}, 5, 14, m + m},                          // touching: one marker each
		{[]span{{15, 19}}, 0, 9, "key: AAAA"},                            // outside
		{[]span{{0, 4}, {3, 9}, {20, 23}}, 2, 23, m + " BBBB CCCC " + m}, // overlapping from before start
	} {
		if got := withoutSecrets(data, tt.start, tt.end, disjoint(tt.spans)); got != tt.want {
			t.Errorf("spans %v [%d,%d): %q, want %q", tt.spans, tt.start, tt.end, got, tt.want)
		}
	}
}

// Every URL a message quotes loses its userinfo, whatever the host and
// whoever built the message; text around it, and URLs without one, stay.
func TestStripUserinfo(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`issuer "https://bob:Zq8vN3rT6w@sso.examples.com/realms/x" differs`, `issuer "https://REDACTED@sso.examples.com/realms/x" differs`},
		{"https://ghp_token@github.com/acme/app.git", "https://REDACTED@github.com/acme/app.git"},
		{"a https://u:p@h/ and http://v:q@i:8080/x?y=z@w", "a https://REDACTED@h/ and http://REDACTED@i:8080/x?y=z@w"},
		{"https://u:pa/ss@host/x", "https://REDACTED@host/x"},
		{"https://host.test:8443/path?q=a@b", "https://host.test:8443/path?q=a@b"},
		{"https://sso.example.com/realms/x", "https://sso.example.com/realms/x"},
		{"mail me@x.org about scheme://host", "mail me@x.org about scheme://host"},
		{"(https://u:p@h)", "(https://REDACTED@h)"},
		{"://@", "://REDACTED@"},
		{"", ""},
	} {
		if got := stripUserinfo(tt.in); got != tt.want {
			t.Errorf("stripUserinfo(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A secret field's value that is a name (secretKey: clientSecret names a
// key of a Kubernetes Secret) is masked in source lines but is not a
// secret string: messages that name the key keep its name.
func TestSecretStringsSkipNames(t *testing.T) {
	data := []byte("secretKey: clientSecret\nclientSecret: Wm4TqZ8pX2rN7vK3\n")
	got := secretStrings(data, []span{{11, 23}, {38, 54}})
	if len(got) != 1 || got[0] != "Wm4TqZ8pX2rN7vK3" {
		t.Fatalf("secretStrings = %q, want only the value", got)
	}
	r := &redactor{byFile: map[string][]string{"a.yaml": got}}
	msg := r.text("clientSecret holds a plain-text secret (REDACTED)", "a.yaml")
	if msg != "clientSecret holds a plain-text secret (REDACTED)" {
		t.Errorf("message became %q", msg)
	}
}

// A secret the run found is masked wherever else the file repeats it (the
// client secret pasted into a URL's query too), so no finding's source
// line shows it; a fix whose replacement would hold it goes, rather than
// be shown, or written as REDACTED by --fix; a token written as a URL's
// user name is a secret of its own.
func TestSecretRepeatedElsewhereInTheFile(t *testing.T) {
	const sec = "Zq8Vw3Lp9Xk2Rt7Ny4Hb6Md1"
	const tok = "Hy6Ju8Ki9Lo0Pq2Ws3Ed4Rf5"
	dir := writeTree(t, map[string]string{"jenkins.yaml": "jenkins:\n  securityRealm:\n    oic:\n      clientId: jenkins\n      clientSecret: " + sec +
		"\n      wellKnownOpenIDConfigurationUrl: http://" + tok + "@idp.corp.io/.well-known/openid-configuration?x=" + sec + "\n"})
	rep := run(t, Options{Paths: []string{dir}})
	p := filepath.ToSlash(filepath.Join(dir, "jenkins.yaml"))
	src := string(rep.Source(p))
	if strings.Contains(src, sec[4:12]) || strings.Contains(src, tok[4:12]) {
		t.Errorf("the source lines show a secret:\n%s", src)
	}
	if want := "openid-configuration?x=************************\n"; !strings.HasSuffix(src, want) {
		t.Errorf("source lines:\n%s\nwant the repeated secret masked: …%s", src, want)
	}
	rules := map[string]bool{}
	for _, f := range rep.Findings {
		rules[f.Rule+":"+strconv.Itoa(f.Pos.Line)] = true
		if f.Fix != nil && (strings.Contains(f.Fix.Replacement, "REDACTED") || strings.Contains(f.Fix.Replacement, sec) || strings.Contains(f.Fix.Replacement, tok)) {
			t.Errorf("%s keeps a fix that holds a secret: %q", f.Rule, f.Fix.Replacement)
		}
	}
	for _, want := range []string{"committed-secret:5", "committed-secret:6", "insecure-url:6"} {
		if !rules[want] {
			t.Errorf("no %s finding: %v", want, rules)
		}
	}
}
