package lint

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
)

// plantForms are the ways FuzzNoSecretLeak writes a secret S as the value
// of a secret field: the YAML tricks of issue #12 (anchors, tags, aliases,
// lists and maps, quotes, block scalars, comments, a default, misspelt
// keys). Each is the text after "secret:" of a string credential, or a
// whole block when it starts with "\n"; @A@ is the anchor's line (at the
// top of the file), "@S@" the secret.
var plantForms = []struct{ value, top string }{
	{" @S@", ""},
	{` "@S@"`, ""},
	{` '@S@'`, ""},
	{` &s "@S@"`, ""},
	{` &s !!str @S@`, ""},
	{` !secret @S@ # a tag of its own`, ""},
	{` !<tag:yaml.org,2002:str> '@S@'`, ""},
	{` ["@S@"]`, ""},
	{` [x, {k: @S@}]`, ""},
	{` {k: "@S@"}`, ""},
	{"\n                - @S@\n                - other", ""},
	{" |\n                @S@\n                more", ""},
	{" >-\n                @S@", ""},
	{" &s\n                # the value is below\n                \"@S@\"", ""},
	{` *shared`, `x-shared: &shared "@S@"`},
	{` *shared`, "x-shared: &shared\n  - @S@"},
	{` "${SECRET:-@S@}"`, ""},
	{` "@S@`, ""}, // unterminated: the file does not parse
	{" \"multi\n                @S@\"", ""},
	{" @S@\n                continued", ""},
}

// plantKeys are the secret fields the forms are written under.
var plantKeys = []string{"secret", "password", "clientSecret", "pasword", "secert", "privateKey"}

// plant builds a JCasC file around text (fuzzed YAML) with S planted under
// key in form f, and CRLF line ends when crlf is set.
func plant(text, s string, f, key int, crlf bool) string {
	form := plantForms[f%len(plantForms)]
	k := plantKeys[key%len(plantKeys)]
	var b strings.Builder
	if form.top != "" {
		b.WriteString(strings.ReplaceAll(form.top, "@S@", s) + "\n")
	}
	b.WriteString(text)
	if !strings.HasSuffix(text, "\n") {
		b.WriteString("\n")
	}
	b.WriteString("credentials:\n  system:\n    domainCredentials:\n      - credentials:\n          - string:\n              id: \"planted\"\n")
	b.WriteString("              " + k + ":" + strings.ReplaceAll(form.value, "@S@", s) + "\n")
	b.WriteString("              description: \"after the secret\"\n")
	out := b.String()
	if crlf {
		out = strings.ReplaceAll(out, "\n", "\r\n")
	}
	return out
}

// secretFrom derives a 24-character secret of [A-Za-z0-9] from seed, with
// an upper-case letter, a lower-case letter and a digit: a hash, so the
// fuzzer cannot copy it into the YAML around it.
func secretFrom(seed []byte) string {
	const upper, lower, digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz", "0123456789"
	const alnum = upper + lower + digits
	h := sha256.Sum256(seed)
	b := make([]byte, 24)
	for i := range b {
		b[i] = alnum[int(h[i])%len(alnum)]
	}
	b[0] = upper[int(h[24])%len(upper)]
	b[1] = lower[int(h[25])%len(lower)]
	b[2] = digits[int(h[26])%len(digits)]
	return string(b)
}

// leaks returns the first 8-character window of s found in out, or "".
func leaks(out []byte, s string) string {
	for i := 0; i+8 <= len(s); i++ {
		if bytes.Contains(out, []byte(s[i:i+8])) {
			return s[i : i+8]
		}
	}
	return ""
}

// FuzzNoSecretLeak plants a random secret as the value of a secret field,
// in one of plantForms, around fuzzed YAML (which may break the file),
// lints the file, renders every format and the --diff of the fixes, and
// fails if any 8 consecutive characters of the secret come out.
func FuzzNoSecretLeak(f *testing.F) {
	seeds := []string{
		"",
		"jenkins:\n  systemMessage: hello\n",
		"jenkins:\n  securityRealm:\n    oic:\n      clientId: jenkins\n      issuer: \"https://sso.example.com/\"\n      disableSslVerification: true\n",
		"a: &a [1, 2]\nb: [*a, *a]\n",
		"x: !!binary |\n  aGVsbG8=\n",
		"# comment: password: x\nkey: 'it''s'\n",
		"list:\n- a\n- b: c\n",
		"jenkins:\r\n  numExecutors: 0\r\n",
		"unclassified:\n  location:\n    url: https://admin:x@jenkins.examples.com/\n",
		"folded: >\n  a\n  b\nliteral: |-\n  c\n",
		"jenkins: [\n",
		"\"unterminated\n",
		"? complex\n: key\n",
		"tool:\n  git:\n    installations: [{name: Default, home: git}]\n",
	}
	for i, s := range seeds {
		f.Add(s, []byte{byte(i), 7}, uint8(i), uint8(i*5))
	}
	for i := range plantForms {
		f.Add("jenkins:\n  numExecutors: 2\n", []byte{byte(i)}, uint8(i), uint8(i))
	}
	f.Fuzz(func(t *testing.T, text string, seed []byte, form, how uint8) {
		if len(text) > 4096 {
			return
		}
		s := secretFrom(seed)
		if leaks([]byte(text), s) != "" {
			return // the fuzzer wrote the secret itself: nothing to learn
		}
		content := plant(text, s, int(form), int(how)%len(plantKeys), how&0x80 != 0)
		dir := t.TempDir()
		p := filepath.Join(dir, "jenkins.yaml")
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		rep, err := Run(Options{Paths: []string{dir}, Jobs: 1})
		if err != nil {
			t.Fatal(err)
		}
		check := func(what string, out []byte) {
			if w := leaks(out, s); w != "" {
				t.Fatalf("%s shows %q of the planted secret %q\n--- file\n%s\n--- output\n%s", what, w, s, content, out)
			}
		}
		// What the formats draw source lines from: stricter than any one
		// format, which shows only the lines findings point at.
		for path := range rep.Files {
			check("the masked text of "+path, rep.Text(path))
		}
		for _, format := range report.Formats() {
			var b bytes.Buffer
			if err := report.Write(&b, format, rep, report.Options{}); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			check(format, b.Bytes())
		}
		var b bytes.Buffer
		if err := WriteBaseline(&b, rep); err != nil {
			t.Fatal(err)
		}
		check("baseline", b.Bytes())
		for path, fixes := range Fixes(rep) {
			d := Diff(path, bytes.Clone(rep.Text(path)), []byte(content), fixes)
			check("--diff", []byte(d.Text))
		}
	})
}
