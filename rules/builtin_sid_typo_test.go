package rules

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/workspace"
)

// realmWith reads an oic realm from the lines of its mapping.
func realmWith(t *testing.T, body string) *jcasc.Realm {
	t.Helper()
	f := source.NewFile("jenkins.yaml", []byte("jenkins:\n  securityRealm:\n    oic:\n      clientId: jenkins\n"+body))
	docs, ferr := tree.ParseYAML(f)
	if ferr != nil {
		t.Fatal(ferr)
	}
	return jcasc.Read(f, docs[0]).Realm
}

func TestClassifySID(t *testing.T) {
	plain := realmWith(t, "")
	caseSensitive := realmWith(t, "      userIdStrategy: caseSensitiveEmailAddress\n      groupIdStrategy: {caseSensitive: {}}\n")
	okta := realmWith(t, "      serverConfiguration:\n        wellKnown:\n          wellKnownOpenIDConfigurationUrl: https://acme.okta.com/.well-known/openid-configuration\n")
	const (
		user, group, either = jcasc.SIDUser, jcasc.SIDGroup, jcasc.SIDEither
	)
	for _, tc := range []struct {
		realm   *jcasc.Realm
		kind    jcasc.SIDKind
		name    string
		want    sidKind
		builtin string
		meant   string
	}{
		// Built-ins, and case variants a case-insensitive strategy folds.
		{plain, group, "authenticated", sidOK, "authenticated", ""},
		{plain, either, "anonymous", sidOK, "anonymous", ""},
		{plain, group, "anonymous", sidOK, "anonymous", ""},
		{plain, user, "anonymous", sidOK, "anonymous", ""},
		{plain, group, "Authenticated", sidOK, "authenticated", ""},
		{nil, either, "ANONYMOUS", sidOK, "anonymous", ""},
		{plain, group, " authenticated ", sidOK, "authenticated", ""},
		// The group as a user never matches, in any case.
		{plain, user, "authenticated", sidWrongKind, "", "authenticated"},
		{plain, user, "Authenticated", sidWrongKind, "", "authenticated"},
		// Case-sensitive strategies.
		{caseSensitive, group, "Authenticated", sidCase, "", "authenticated"},
		{caseSensitive, either, "Authenticated", sidCase, "", "authenticated"},
		{caseSensitive, user, "Anonymous", sidCase, "", "anonymous"},
		{caseSensitive, group, "authenticated", sidOK, "authenticated", ""},
		// Misspellings.
		{plain, group, "authenticaed", sidTypo, "", "authenticated"},
		{plain, group, "authenticate", sidTypo, "", "authenticated"},
		{plain, group, "Authenicated", sidTypo, "", "authenticated"},
		{plain, group, "authentificated", sidTypo, "", "authenticated"},
		{plain, either, "anonymus", sidTypo, "", "anonymous"},
		{plain, either, "anonymos", sidTypo, "", "anonymous"},
		{plain, either, "anyonomous", sidTypo, "", "anonymous"},
		{plain, user, "annonymous", sidTypo, "", "anonymous"},
		// Words taken for built-ins.
		{plain, group, "everyone", sidPseudo, "", "authenticated"},
		{plain, group, "loggedInUsers", sidPseudo, "", "authenticated"},
		{plain, group, "authenticated-users", sidPseudo, "", "authenticated"},
		{plain, group, "all", sidPseudo, "", "authenticated"},
		{plain, either, "*", sidPseudo, "", "authenticated"},
		{plain, group, "unauthenticated", sidPseudo, "", "anonymous"},
		{okta, user, "Everyone", sidPseudo, "", "authenticated"},
		// Real names.
		{okta, group, "Everyone", sidOK, "", ""},
		{plain, group, "authentication-admins", sidOK, "", ""},
		{plain, group, "authentication", sidOK, "", ""},
		{plain, group, "authenticator", sidOK, "", ""},
		{plain, group, "anonymous-readers", sidOK, "", ""},
		{plain, group, "synonymous", sidOK, "", ""},
		{plain, group, "authors", sidOK, "", ""},
		{plain, group, "anon", sidOK, "", ""},
		{plain, group, "auth", sidOK, "", ""},
		{plain, group, "authenticated1", sidOK, "", ""},
		{plain, user, "anonymous@example.com", sidOK, "", ""},
		{plain, group, "${READERS}", sidOK, "", ""},
		{plain, group, "{{ .Values.readers }}", sidOK, "", ""},
	} {
		got := classifySID(tc.realm, tc.kind, tc.name)
		meant := ""
		if len(got.meant) > 0 {
			meant = got.meant[0]
		}
		if got.kind != tc.want || got.builtin != tc.builtin || meant != tc.meant {
			t.Errorf("classifySID(%s %q) = %+v, want kind %d builtin %q meant %q", tc.kind, tc.name, got, tc.want, tc.builtin, tc.meant)
		}
	}
}

func TestMatrixUserKey(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want int // offset of "user", -1 for none
	}{
		{"e:\n  - user:\n      name: authenticated\n", 7},
		{"e:\n  - user:   # me\n      permissions:\n        - a\n\n      name: authenticated\n", 7},
		{"e:\n  - group:\n      name: authenticated\n", -1},
		{"e:\n  - user: {name: authenticated}\n", -1},
		{"e:\n  - userOrGroup:\n      name: authenticated\n", -1},
	} {
		f := source.NewFile("x.yaml", []byte(tc.src))
		docs, ferr := tree.ParseYAML(f)
		if ferr != nil {
			t.Fatal(ferr)
		}
		var name *yaml.Node
		for _, it := range tree.Items(tree.Lookup(docs[0], "e")) {
			for _, p := range tree.Pairs(it) {
				_, name = tree.Get(p.Value, "name")
			}
		}
		if got := matrixUserKey(f, tree.MarkOf(f, name)); got != tc.want {
			t.Errorf("%q: got %d, want %d", tc.src, got, tc.want)
		}
	}
}

func TestBuiltinSIDAdminGetsNoFix(t *testing.T) {
	// Turning `user: authenticated` with Overall/Administer into a group
	// entry would make every signed-in user an administrator.
	src := `jenkins:
  authorizationStrategy:
    globalMatrix:
      entries:
        - user:
            name: "authenticated"
            permissions:
              - "Overall/Administer"
`
	f := source.NewFile("ctl/jenkins.yaml", []byte(src))
	docs, ferr := tree.ParseYAML(f)
	if ferr != nil {
		t.Fatal(ferr)
	}
	ws := &workspace.Workspace{Files: []*source.File{f}, JCasC: []*jcasc.Doc{jcasc.Read(f, docs[0])}}
	fs, _ := Run(ws, Config{}, func(id string) bool { return id == "builtin-sid-typo" })
	if len(fs) != 1 || fs[0].Fix != nil || !strings.Contains(fs[0].Message, "not with Overall/Administer") {
		t.Fatalf("want one finding without a fix, got %+v", fs)
	}
}
