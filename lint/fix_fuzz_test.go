package lint

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
)

// fuzzMetadata is the provider the fuzzed realms are paired with (its
// issuer is near the seeds' issuers, so issuer-mismatch fires and fixes).
const fuzzMetadata = `{"issuer": "https://sso.example.com/realms/ci", "jwks_uri": "https://sso.example.com/realms/ci/certs",
 "authorization_endpoint": "https://sso.example.com/realms/ci/auth", "token_endpoint": "https://sso.example.com/realms/ci/token",
 "response_types_supported": ["code"], "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"],
 "scopes_supported": ["openid", "email", "profile", "groups"], "code_challenge_methods_supported": ["S256"]}`

// FuzzFix lints fuzzed JCasC with every rule, applies the fixes as --fix
// does, and requires that the result still parses as YAML with the same
// shape (the same documents, keys and kinds of nodes; only scalars on a
// fixed line may change, and only a fix may add a key), that it differs from
// the input only inside the spans of the fixes, that no fixes conflict, and
// that running again (FixAll's rounds) never brings back an earlier text
// and ends within maxFixRounds, and that FixAll, which --fix runs, leaves
// nothing to fix (--fix twice is --fix once).
func FuzzFix(f *testing.F) {
	for _, seed := range []string{
		"jenkins:\n  securityRealm:\n    oic:\n      clientId: jenkins\n      wellKnownOpenIDConfigurationUrl: http://sso.example.com/realms/ci/.well-known/openid-configuration\n      disableSslVerification: true\n",
		"jenkins:\n  securityRealm:\n    oic:\n      clientId: jenkins\n      serverConfiguration:\n        manual:\n          issuer: \"http://sso.example.com/realms/ci/\"\n          tokenServerUrl: 'http://sso.example.com/realms/ci/token'\n          scopes: \"email profile\"\n      pkceEnabled: false\n",
		"jenkins:\r\n  securityRealm:\r\n    oic:\r\n      clientId: jenkins\r\n      clientSecret: \"Zq8vN3rT6wY1pL4sKk2Mn\"\r\n      issuer: https://sso.example.com/realms/ci/\r\n      nonceDisabled: true\r\n      escapeHatchEnabled: true\r\n",
		"jenkins:\n  securityRealm:\n    oic:\n      clientId: &id jenkins\n      issuer: &iss http://sso.example.com/realms/ci\n      scopes: >-\n        email\n        profile\n      disableTokenVerification: true\n  systemMessage: *iss\n",
		"jenkins:\n  securityRealm:\n    oic:\n      clientId: \"\"\n      clientSecret: |\n        Zq8vN3rT6wY1pL4sKk2Mn\n      serverConfiguration:\n        wellKnown:\n          wellKnownOpenIDConfigurationUrl: \"http://sso.example.com/realms/ci/.well-known/openid-configuration/\"\n          scopesOverride: 'profile email'\n",
		"jenkins: {securityRealm: {oic: {clientId: x, issuer: 'http://sso.example.com/realms/ci/', disableSslVerification: true, tokenExpirationCheckDisabled: yes}}}\n",
		"credentials:\n  system:\n    domainCredentials:\n      - credentials:\n          - usernamePassword:\n              id: db\n              username: ci\n              password: \"Zq8vN3rT6wY1pL4sKk2Mn\"\n---\njenkins:\n  securityRealm:\n    oic:\n      clientId: jenkins\n      issuer: http://sso.example.com/realms/ci\n",
		"unclassified:\n  audit-trail:\n    loggers:\n      - logFile: {log: x}\n    logAuthEvents: false\n",
		// found by fuzzing: a well-known URL given its suffix pairs with the
		// metadata, and the next round fixes its host and path (FixAll's rounds)
		"jenkins:\n securityRealm:\n  oic: \n   wellKnownOpenIDConfigurationUrl: http://sso.eXAmple.Com",
		"jenkins:\n securityRealm:\n  oic: \n   wellKnownOpenIDConfigurationUrl: http://sso.example.com",
		// a lone \r breaks a YAML line
		"jenkins:\r000000Secret: \"0\"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 4096 {
			return
		}
		var probe yaml.Node
		if yaml.Unmarshal([]byte(text), &probe) != nil {
			return // only files that parse get fixes
		}
		dir := t.TempDir()
		p := filepath.Join(dir, "jenkins.yaml")
		write := func(data []byte) {
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, "sso.openid-configuration.json"), []byte(fuzzMetadata), 0o644); err != nil {
			t.Fatal(err)
		}
		write([]byte(text))
		lintFixes := func() []report.Fix {
			rep, err := Run(Options{Paths: []string{dir}, Jobs: 1})
			if err != nil {
				t.Fatal(err)
			}
			return Fixes(rep)[filepath.ToSlash(p)]
		}
		// Round by round, as FixAll makes them: a fix may make another
		// rule's finding visible (a well-known URL given its suffix pairs
		// with the metadata, whose issuer then differs), but no round may
		// bring back an earlier text (fixes that undo each other), and the
		// rounds end within maxFixRounds.
		data := []byte(text)
		seen := map[string]bool{text: true}
		for round := 1; ; round++ {
			fixes := lintFixes()
			res := ResolveFixes(data, fixes)
			if len(res.Unfit) > 0 || len(res.Conflicts) > 0 {
				t.Fatalf("round %d: unfit %v, conflicts %v\n--- input\n%s\n--- now\n%s", round, res.Unfit, res.Conflicts, text, data)
			}
			if len(res.Edits) == 0 {
				break
			}
			if round > maxFixRounds {
				t.Fatalf("fixes still to make after %d rounds: %v\n--- input\n%s\n--- now\n%s", maxFixRounds, res.Edits, text, data)
			}
			data = checkFixed(t, text, data, fixes, res)
			if seen[string(data)] {
				t.Fatalf("round %d undoes an earlier round:\n--- input\n%s\n--- now\n%s", round, text, data)
			}
			seen[string(data)] = true
			write(data)
		}
		// FixAll (what --fix runs) ends where the rounds ended, and a run
		// after it has nothing to fix.
		write([]byte(text))
		res, err := FixAll(Options{Paths: []string{dir}, Jobs: 1})
		if err != nil || len(res.Refused) > 0 || len(res.Conflicts) > 0 || res.Pending {
			t.Fatalf("FixAll: %v %+v", err, res)
		}
		if got, _ := os.ReadFile(p); !bytes.Equal(got, data) {
			t.Fatalf("FixAll wrote\n%s\nthe rounds made\n%s", got, data)
		}
		if again := lintFixes(); len(ResolveFixes(data, again).Edits) > 0 {
			t.Fatalf("a run after FixAll still fixes: %v", again)
		}
	})
}

// checkFixed applies a round's edits to data and checks the result: each
// edit lies inside a fix's span, the bytes outside them are data's, and the
// text is still YAML of the same shape.
func checkFixed(t *testing.T, input string, data []byte, fixes []report.Fix, res Resolution) []byte {
	t.Helper()
	fixed := apply(data, res.Edits)
	for _, e := range res.Edits {
		inside := false
		for _, fx := range fixes {
			inside = inside || fx.Offset <= e.Offset && e.Offset+e.Length <= fx.Offset+fx.Length
		}
		if !inside {
			t.Fatalf("edit %+v lies outside every fix %v", e, fixes)
		}
	}
	if got, want := outside(fixed, fixedSpans(res.Edits)), outside(data, res.Edits); got != want {
		t.Fatalf("bytes outside the fixes changed:\n%q\n%q", got, want)
	}
	before, err1 := docs(data)
	after, err2 := docs(fixed)
	if err1 != nil || err2 != nil {
		t.Fatalf("the fixed file does not parse: %v %v\n--- input\n%s\n--- before\n%s\n--- fixed\n%s", err1, err2, input, data, fixed)
	}
	if len(before) != len(after) {
		t.Fatalf("%d documents became %d:\n%s", len(before), len(after), fixed)
	}
	for i := range before {
		if err := sameShape(before[i], after[i], shapeCtx{data, res.Edits, fixed, fixedSpans(res.Edits)}); err != nil {
			t.Fatalf("%v\n--- input\n%s\n--- before\n%s\n--- fixed\n%s", err, input, data, fixed)
		}
	}
	return fixed
}

// outside is data with the bytes of the spans left out ('|' marks each).
func outside(data []byte, spans []report.Fix) string {
	var b strings.Builder
	last := 0
	for _, s := range spans {
		b.Write(data[last:s.Offset])
		b.WriteByte('|')
		last = s.Offset + s.Length
	}
	b.Write(data[last:])
	return b.String()
}

// fixedSpans are the spans the edits' replacements take in the fixed text.
func fixedSpans(edits []report.Fix) []report.Fix {
	out := make([]report.Fix, len(edits))
	shift := 0
	for i, e := range edits {
		out[i] = report.Fix{Offset: e.Offset + shift, Length: len(e.Replacement)}
		shift += len(e.Replacement) - e.Length
	}
	return out
}

func docs(data []byte) ([]*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var out []*yaml.Node
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if err != nil {
			if err.Error() == "EOF" {
				return out, nil
			}
			return nil, err
		}
		out = append(out, &n)
	}
}

// shapeCtx holds the texts and edits sameShape judges by.
type shapeCtx struct {
	old      []byte
	edits    []report.Fix // in old
	new      []byte
	inserted []report.Fix // where the edits' text lies in new
}

// sameShape compares two YAML trees: the same kinds, keys and lengths,
// but that a scalar's value may differ where an edit touches its line, and
// that a mapping may have more entries where the edits put text (a fix that
// adds a key, such as jwksServerUrl).
func sameShape(a, b *yaml.Node, c shapeCtx) error {
	if a.Kind != b.Kind {
		return fmt.Errorf("line %d: %v became %v", a.Line, a.Kind, b.Kind)
	}
	switch a.Kind {
	case yaml.ScalarNode:
		if a.Value != b.Value && !editedLine(c.old, a.Line, c.edits) {
			return fmt.Errorf("line %d: %q became %q, away from every fix", a.Line, a.Value, b.Value)
		}
		return nil
	case yaml.AliasNode:
		return nil
	case yaml.MappingNode:
		var kept []*yaml.Node
		for i := 0; i+1 < len(b.Content); i += 2 {
			if editedLine(c.new, b.Content[i].Line, c.inserted) && !hasKey(a, b.Content[i].Value) {
				continue // added by a fix
			}
			kept = append(kept, b.Content[i], b.Content[i+1])
		}
		if len(kept) != len(a.Content) {
			return fmt.Errorf("line %d: a mapping of %d entries became one of %d", a.Line, len(a.Content)/2, len(kept)/2)
		}
		for i := 0; i+1 < len(a.Content); i += 2 {
			if a.Content[i].Value != kept[i].Value {
				return fmt.Errorf("line %d: key %q became %q", a.Content[i].Line, a.Content[i].Value, kept[i].Value)
			}
			if err := sameShape(a.Content[i+1], kept[i+1], c); err != nil {
				return err
			}
		}
		return nil
	}
	if len(a.Content) != len(b.Content) {
		return fmt.Errorf("line %d: %v with %d children became one with %d", a.Line, a.Kind, len(a.Content), len(b.Content))
	}
	for i := range a.Content {
		if err := sameShape(a.Content[i], b.Content[i], c); err != nil {
			return err
		}
	}
	return nil
}

func hasKey(m *yaml.Node, key string) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return true
		}
	}
	return false
}

// editedLine reports whether an edit touches line (1-based, counted as
// YAML counts: a lone \r breaks a line too) of data.
func editedLine(data []byte, line int, edits []report.Fix) bool {
	starts := []int{0}
	for i, c := range data {
		if c == '\n' || c == '\r' && (i+1 == len(data) || data[i+1] != '\n') {
			starts = append(starts, i+1)
		}
	}
	for _, e := range edits {
		first := sortSearch(starts, e.Offset)
		last := sortSearch(starts, e.Offset+max(e.Length-1, 0))
		if first+1 <= line && line <= last+1 {
			return true
		}
	}
	return false
}

func sortSearch(starts []int, off int) int {
	i := 0
	for i+1 < len(starts) && starts[i+1] <= off {
		i++
	}
	return i
}
