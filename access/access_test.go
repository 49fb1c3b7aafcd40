package access

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/golden"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

const realmKeycloak = `jenkins:
  securityRealm:
    oic:
      clientId: jenkins
      serverConfiguration:
        wellKnown:
          wellKnownOpenIDConfigurationUrl: https://kc.example.com/realms/ci/.well-known/openid-configuration
      userNameField: preferred_username
      groupsFieldName: realm_access.roles
      emailFieldName: email
`

// evalCase builds a request from one JCasC text and a claims object.
func evalCase(t *testing.T, yamlText, claims string, mod func(*Request)) *Result {
	t.Helper()
	d := parseJCasC(t, "jenkins.yaml", yamlText)
	if d.Realm == nil {
		t.Fatal("no realm")
	}
	req := Request{Realm: d.Realm, Authorization: d.Authorization, AuthorizationFile: d.File,
		Claims: mustClaims(t, claims), ClaimsFrom: `claims file "c.json"`}
	if mod != nil {
		mod(&req)
	}
	return Evaluate(req)
}

// matchLines renders the matches compactly.
func matchLines(r *Result) []string {
	var out []string
	for _, m := range r.Authorization.Matches {
		role := m.Source
		if m.Role != "" {
			role = m.RoleType + ":" + m.Role
		}
		out = append(out, fmt.Sprintf("%s %s %s=%s [%s]", m.Position, role, m.Entry, m.Name, strings.Join(m.Permissions, " ")))
	}
	return out
}

func messageLines(r *Result) []string {
	var out []string
	for _, m := range r.Messages {
		out = append(out, fmt.Sprintf("%s %s: %s", m.Position, m.Severity, m.Text))
	}
	return out
}

func TestEvaluate(t *testing.T) {
	tests := []struct {
		name     string
		authz    string // appended under jenkins:
		realm    string // replaces realmKeycloak when set
		claims   string
		mod      func(*Request)
		verdict  string
		user     string
		groups   string
		matches  []string
		global   string
		messages []string // "pos severity: text" prefixes
		summary  string
		failed   bool
	}{
		{
			name: "role-strategy entries",
			authz: `  authorizationStrategy:
    roleBased:
      roles:
        global:
          - name: admin
            permissions:
              - Overall/Administer
            entries:
              - group: jenkins-admins
          - name: read
            permissions: [Overall/Read]
            entries:
              - group: authenticated
              - user: bob
`,
			claims:  `{"preferred_username": "alice", "realm_access": {"roles": ["Jenkins-Admins", "offline_access"]}, "email": "a@example.com"}`,
			verdict: VerdictAdministrator, user: "alice", groups: "Jenkins-Admins,offline_access",
			matches: []string{
				"jenkins.yaml:19:24 global:admin group=jenkins-admins [Overall/Administer]",
				"jenkins.yaml:23:24 global:read group=authenticated [Overall/Read]",
			},
			global:  "Overall/Administer,Overall/Read",
			summary: `"alice" is an administrator (Overall/Administer implies every permission)`,
		},
		{
			name: "old role-strategy assignments are user or group",
			authz: `  authorizationStrategy:
    roleBased:
      roles:
        global:
          - name: dev
            permissions: ["Overall/Read", "Job/Build"]
            assignments: ["carol", "devs"]
        items:
          - name: team-a
            pattern: "team-a/.*"
            permissions: ["Job/Configure"]
            assignments:
              - "devs"
        agents:
          - name: linux
            pattern: "linux-.*"
            permissions: ["Agent/Build"]
            assignments: ["ALICE"]
`,
			claims:  `{"preferred_username": "alice", "realm_access": {"roles": ["devs"]}, "email": "a@example.com"}`,
			mod:     func(r *Request) { r.Items = []string{"team-a/deploy", "team-b/deploy"}; r.Agents = []string{"linux-1"} },
			verdict: VerdictGranted, user: "alice", groups: "devs",
			matches: []string{
				"jenkins.yaml:17:36 global:dev either=devs [Job/Build Overall/Read]",
				"jenkins.yaml:23:17 items:team-a either=devs [Job/Configure]",
				"jenkins.yaml:28:27 agents:linux either=ALICE [Agent/Build]",
			},
			global:  "Job/Build,Overall/Read",
			summary: `"alice" signs in with 2 global permission(s) and 2 item/agent role(s)`,
		},
		{
			name: "matrix entries",
			authz: `  authorizationStrategy:
    globalMatrix:
      entries:
        - group:
            name: authenticated
            permissions:
              - Overall/Read
        - user:
            name: alice
            permissions:
              - Job/Build
        - userOrGroup:
            name: ops
            permissions:
              - Agent/Connect
        - group:
            name: admins
            permissions:
              - Overall/Administer
`,
			claims:  `{"preferred_username": "alice", "realm_access": {"roles": ["ops"]}, "email": "a@example.com"}`,
			verdict: VerdictGranted, user: "alice", groups: "ops",
			matches: []string{
				"jenkins.yaml:15:19 globalMatrix group=authenticated [Overall/Read]",
				"jenkins.yaml:19:19 globalMatrix user=alice [Job/Build]",
				"jenkins.yaml:23:19 globalMatrix either=ops [Agent/Connect]",
			},
			global: "Agent/Connect,Job/Build,Overall/Read",
		},
		{
			name: "legacy matrix strings",
			authz: `  authorizationStrategy:
    projectMatrix:
      permissions:
        - "GROUP:Overall/Administer:admins"
        - "Overall/Read:authenticated"
        - "hudson.model.Item.Build:alice"
        - "USER:Job/Read:devs"
`,
			claims:  `{"preferred_username": "alice", "realm_access": {"roles": ["devs"]}, "email": "a@example.com"}`,
			verdict: VerdictGranted, user: "alice", groups: "devs",
			matches: []string{
				"jenkins.yaml:15:11 projectMatrix either=authenticated [Overall/Read]",
				"jenkins.yaml:16:11 projectMatrix either=alice [Job/Build]",
			},
			global: "Job/Build,Overall/Read",
			messages: []string{
				`jenkins.yaml:17:11 note: the projectMatrix entry names user "devs", but "devs" is one of the identity's groups: write it as group: "devs"`,
			},
		},
		{
			name: "signs in and sees nothing",
			authz: `  authorizationStrategy:
    globalMatrix:
      entries:
        - group:
            name: jenkins-admins
            permissions: [Overall/Administer]
`,
			claims:  `{"preferred_username": "alice", "realm_access": {"roles": ["devs"]}, "email": "a@example.com"}`,
			verdict: VerdictNoPermissions, user: "alice", groups: "devs", global: "",
			messages: []string{`jenkins.yaml:12:5 warning: signs in and sees nothing: "alice" gets no permissions`},
			summary:  `"alice" signs in and sees nothing: no role or entry applies to the user or any of the groups "authenticated", "devs"`,
			failed:   true,
		},
		{
			name: "permissions without Overall/Read",
			authz: `  authorizationStrategy:
    roleBased:
      roles:
        items:
          - name: team-a
            pattern: "team-a/.*"
            permissions: [Job/Build, Job/Read]
            entries:
              - user: alice
`,
			claims:  `{"preferred_username": "alice", "email": "a@example.com"}`,
			verdict: VerdictNoRead, user: "alice", groups: "",
			matches: []string{"jenkins.yaml:19:23 items:team-a user=alice [Job/Build Job/Read]"},
			messages: []string{
				`jenkins.yaml:9:24 warning: groupsFieldName "realm_access.roles" reads claim path "realm_access.roles" (the token has no "realm_access" claim), which is absent from the token: Jenkins sees no groups but "authenticated"`,
				`jenkins.yaml:12:5 warning: no entry gives "alice" Overall/Read: the other permissions are unusable without it`,
			},
			failed: true,
		},
		{
			name:    "loggedInUsersCanDoAnything",
			authz:   "  authorizationStrategy:\n    loggedInUsersCanDoAnything:\n      allowAnonymousRead: true\n",
			claims:  `{"preferred_username": "alice", "realm_access": {"roles": []}, "email": "a@example.com"}`,
			verdict: VerdictAdministrator, user: "alice",
			messages: []string{`jenkins.yaml:9:24 warning: groupsFieldName "realm_access.roles" finds no group names`},
			summary:  `loggedInUsersCanDoAnything: every signed-in user is an administrator, "alice" included; anonymous visitors can read`,
		},
		{
			name:    "unsecured",
			authz:   "  authorizationStrategy: unsecured\n",
			claims:  `{"preferred_username": "alice", "realm_access": {"roles": ["x"]}, "email": "a@example.com"}`,
			verdict: VerdictAdministrator, user: "alice", groups: "x",
			messages: []string{`jenkins.yaml:11:26 warning: authorizationStrategy unsecured gives every visitor Overall/Administer`},
			summary:  "the authorization strategy is unsecured: everyone, even anonymous visitors, is an administrator",
		},
		{
			name:    "no authorization strategy",
			claims:  `{"preferred_username": "alice", "realm_access": {"roles": ["x"]}, "email": "a@example.com"}`,
			verdict: VerdictUnknown, user: "alice", groups: "x",
			summary: "the configuration sets no authorizationStrategy: the permissions are whatever the controller already has",
		},
		{
			name:    "strategy not modelled",
			authz:   "  authorizationStrategy:\n    folderBased:\n      globalRoles: []\n",
			claims:  `{"preferred_username": "alice", "realm_access": {"roles": ["x"]}, "email": "a@example.com"}`,
			verdict: VerdictUnknown, user: "alice", groups: "x",
			summary: `the authorization strategy "folderBased" is not modelled by this command`,
		},
		{
			name:    "user name claim absent",
			authz:   "  authorizationStrategy: unsecured\n",
			claims:  `{"sub": "f3b2", "realm_access": {"roles": ["x"]}, "email": "a@example.com"}`,
			mod:     func(r *Request) { r.Token = &Token{Algorithm: "RS256"} },
			verdict: VerdictSignInFails, user: "", groups: "x",
			messages: []string{
				`jenkins.yaml:8:22 error: userNameField "preferred_username" reads claim "preferred_username", which is absent from the token: Jenkins gets no user name and the sign-in fails; Jenkins also reads the provider's userinfo response, which may carry it`,
			},
			summary: "the sign-in fails: the token has no user name claim",
			failed:  true,
		},
		{
			name: "default user name, groups not a list, unquoted cognito name",
			realm: `jenkins:
  securityRealm:
    oic:
      clientId: jenkins
      groupsFieldName: cognito:groups
      emailFieldName: "custom.mail"
      fullNameFieldName: roles
`,
			authz:   "  authorizationStrategy: unsecured\n",
			claims:  `{"sub": "f3b2", "cognito:groups": ["ops"], "custom": "x", "roles": {"a": 1}}`,
			verdict: VerdictAdministrator, user: "f3b2", groups: "",
			messages: []string{
				`jenkins.yaml:5:24 error: groupsFieldName "cognito:groups" is not a valid JMESPath expression: unexpected ":" at column 8: the plugin cannot compile it and reads nothing from the token (quote names with such characters: '"cognito:groups"')`,
				`jenkins.yaml:6:23 warning: emailFieldName "custom.mail" reads claim path "custom.mail" (the token has "custom", but not the rest of the path), which is absent from the token`,
				`jenkins.yaml:8:26 warning: authorizationStrategy unsecured`,
			},
		},
		{
			name:    "groups claim of the wrong type",
			authz:   "  authorizationStrategy: unsecured\n",
			claims:  `{"preferred_username": "alice", "realm_access": {"roles": 7}, "email": "a@example.com"}`,
			verdict: VerdictAdministrator, user: "alice", groups: "",
			messages: []string{
				`jenkins.yaml:9:24 warning: groupsFieldName "realm_access.roles" finds a number, not a string or a list of strings: Jenkins reads no groups from it`,
				`jenkins.yaml:11:26 warning: authorizationStrategy unsecured`,
			},
		},
		{
			name:    "groups list with objects",
			authz:   "  authorizationStrategy: unsecured\n",
			claims:  `{"preferred_username": "alice", "realm_access": {"roles": ["a", {"name": "b"}, 3]}, "email": "a@example.com"}`,
			verdict: VerdictAdministrator, user: "alice", groups: "a",
			messages: []string{
				`jenkins.yaml:9:24 warning: groupsFieldName "realm_access.roles" finds a list with 2 item(s) that are not strings (number, object): Jenkins ignores them; to read a name out of each object use a projection such as realm_access.roles[].name`,
				`jenkins.yaml:11:26 warning: authorizationStrategy unsecured`,
			},
		},
		{
			name: "case-sensitive realm",
			realm: `jenkins:
  securityRealm:
    oic:
      clientId: jenkins
      userNameField: email
      groupsFieldName: groups
      userIdStrategy:
        caseSensitive: {}
      groupIdStrategy: caseSensitive
`,
			authz: `  authorizationStrategy:
    globalMatrix:
      entries:
        - user:
            name: Alice@Example.com
            permissions: [Overall/Administer]
        - group:
            name: Ops
            permissions: [Overall/Read]
`,
			claims:  `{"email": "alice@example.com", "groups": ["ops"]}`,
			verdict: VerdictNoPermissions, user: "alice@example.com", groups: "ops",
			messages: []string{
				`jenkins.yaml:14:19 note: the globalMatrix entry names "Alice@Example.com", which differs from "alice@example.com" only in case, and the realm's userIdStrategy is caseSensitive`,
				`jenkins.yaml:17:19 note: the globalMatrix entry names "Ops", which differs from "ops" only in case, and the realm's groupIdStrategy is caseSensitive`,
				`jenkins.yaml:11:5 warning: signs in and sees nothing`,
			},
			failed: true,
		},
		{
			name: "Entra object IDs against group names",
			realm: `jenkins:
  securityRealm:
    oic:
      clientId: 0b5d3a2e-1111-2222-3333-444455556666
      userNameField: upn
      groupsFieldName: groups
`,
			authz: `  authorizationStrategy:
    globalMatrix:
      entries:
        - group:
            name: jenkins-admins
            permissions: [Overall/Administer]
`,
			claims:  `{"upn": "alice@contoso.com", "oid": "9f0e", "groups": ["6b3e7a4c-2f0d-4c55-9d36-0f1a2b3c4d5e"]}`,
			verdict: VerdictNoPermissions, user: "alice@contoso.com", groups: "6b3e7a4c-2f0d-4c55-9d36-0f1a2b3c4d5e",
			messages: []string{
				` note: the token's groups are object IDs (GUIDs), as Entra ID sends them, while the authorization names groups "jenkins-admins"`,
				`jenkins.yaml:8:5 warning: signs in and sees nothing`,
			},
			failed: true,
		},
		{
			name: "Entra group overage",
			realm: `jenkins:
  securityRealm:
    oic:
      clientId: jenkins
      userNameField: preferred_username
      groupsFieldName: groups
`,
			authz:   "  authorizationStrategy: unsecured\n",
			claims:  `{"preferred_username": "alice@contoso.com", "_claim_names": {"groups": "src1"}, "_claim_sources": {"src1": {"endpoint": "https://graph.microsoft.com/v1.0/users/x/getMemberObjects"}}}`,
			verdict: VerdictAdministrator, user: "alice@contoso.com",
			messages: []string{
				`jenkins.yaml:6:24 warning: groupsFieldName "groups" reads claim "groups", which is absent from the token: Jenkins sees no groups but "authenticated" (the token's _claim_names.groups is Entra ID's group overage`,
				`jenkins.yaml:7:26 warning: authorizationStrategy unsecured`,
			},
		},
		{
			name: "tokenFieldToCheckKey",
			realm: `jenkins:
  securityRealm:
    oic:
      clientId: jenkins
      tokenFieldToCheckKey: tenant
      tokenFieldToCheckValue: contoso
`,
			authz:   "  authorizationStrategy: unsecured\n",
			claims:  `{"sub": "alice", "tenant": "fabrikam", "groups": ["a"]}`,
			verdict: VerdictSignInFails, user: "alice",
			messages: []string{
				`jenkins.yaml:6:31 error: tokenFieldToCheckKey "tenant" is "fabrikam", not the required tokenFieldToCheckValue "contoso": Jenkins refuses the sign-in`,
				`jenkins.yaml:3:5 note: the realm sets no groupsFieldName: Jenkins reads no groups from the token, only "authenticated" applies (the token has a "groups" claim: groupsFieldName: groups?)`,
			},
			summary: "the sign-in fails: the token fails the realm's tokenFieldToCheckKey test",
			failed:  true,
		},
		{
			name: "a variable user name field, a filter groups field",
			realm: `jenkins:
  securityRealm:
    oic:
      clientId: jenkins
      userNameField: ${USER_FIELD}
      groupsFieldName: "groups[?starts_with(@, 'jenkins')]"
`,
			authz:   "  authorizationStrategy:\n    globalMatrix:\n      entries:\n        - group: {name: jenkins-x, permissions: [Overall/Read]}\n",
			claims:  `{"sub": "alice", "groups": ["jenkins-x", "other"]}`,
			verdict: VerdictGranted, user: "", groups: "jenkins-x",
			matches: []string{"jenkins.yaml:10:25 globalMatrix group=jenkins-x [Overall/Read]"},
			global:  "Overall/Read",
			messages: []string{
				`jenkins.yaml:5:22 note: userNameField "${USER_FIELD}" is a variable (${USER_FIELD}): its value is not known here`,
			},
			summary: `"" signs in with 1 global permission(s)`,
		},
		{
			name: "a filter that keeps no group, and a field that cannot be evaluated",
			realm: `jenkins:
  securityRealm:
    oic:
      clientId: jenkins
      userNameField: ${USER_FIELD}
      groupsFieldName: "groups[?starts_with(@, 'jenkins')]"
`,
			authz:   "  authorizationStrategy:\n    globalMatrix:\n      entries:\n        - group: {name: jenkins-x, permissions: [Overall/Read]}\n",
			claims:  `{"sub": "alice", "groups": ["other"]}`,
			verdict: VerdictUnknown, user: "", groups: "",
			messages: []string{
				`jenkins.yaml:5:22 note: userNameField "${USER_FIELD}" is a variable (${USER_FIELD}): its value is not known here`,
				`jenkins.yaml:6:24 warning: groupsFieldName "groups[?starts_with(@, 'jenkins')]" finds no group names: Jenkins sees no groups but "authenticated"`,
			},
			summary: "cannot tell: the realm's user name could not be evaluated here, and what is known gives no usable permissions",
		},
		{
			name: "a function jmespath-java does not have",
			realm: `jenkins:
  securityRealm:
    oic:
      clientId: jenkins
      groupsFieldName: "groups[?lower(@) == 'jenkins-x']"
`,
			authz:   "  authorizationStrategy:\n    globalMatrix:\n      entries:\n        - group: {name: jenkins-x, permissions: [Overall/Read]}\n",
			claims:  `{"sub": "alice", "groups": ["jenkins-x"]}`,
			verdict: VerdictNoPermissions, user: "alice", groups: "",
			messages: []string{
				`jenkins.yaml:5:24 error: groupsFieldName "groups[?lower(@) == 'jenkins-x']" is not a valid JMESPath expression: unknown function "lower" (it is a JMESPath Community function; jmespath-java, which the plugin uses, does not have it) at column 9: the plugin cannot compile it and reads nothing from the token`,
				`jenkins.yaml:7:5 warning: signs in and sees nothing: "alice" gets no permissions`,
			},
			summary: `"alice" signs in and sees nothing: no role or entry applies to the user or any of the groups "authenticated"`,
			failed:  true,
		},
		{
			name:    "empty user name",
			authz:   "  authorizationStrategy: unsecured\n",
			claims:  `{"preferred_username": " ", "realm_access": {"roles": ["", ""]}, "email": "a@example.com"}`,
			verdict: VerdictSignInFails, user: "", groups: ",",
			messages: []string{
				`jenkins.yaml:8:22 error: userNameField "preferred_username" finds an empty string: Jenkins gets no user name and the sign-in fails`,
				`jenkins.yaml:9:24 warning: groupsFieldName "realm_access.roles" finds an empty group name: Spring Security refuses empty authorities, so the sign-in fails`,
			},
			summary: "the sign-in fails: the groups claim holds an empty group name",
			failed:  true,
		},
		{
			name:   "failed token check",
			authz:  "  authorizationStrategy: unsecured\n",
			claims: `{"preferred_username": "alice", "realm_access": {"roles": ["x"]}, "email": "a@example.com"}`,
			mod: func(r *Request) {
				r.Token = &Token{Algorithm: "RS256", KeyID: "k1"}
				r.Checks = []Check{{Check: "signature", Status: StatusOK}, {Check: "expiry", Status: StatusFailed, Message: "expired"}}
			},
			verdict: VerdictAdministrator, user: "alice", groups: "x",
			messages: []string{`jenkins.yaml:11:26 warning: authorizationStrategy unsecured`},
			failed:   true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			realm := realmKeycloak
			if tt.realm != "" {
				realm = tt.realm
			}
			r := evalCase(t, realm+tt.authz, tt.claims, tt.mod)
			if r.Verdict != tt.verdict {
				t.Errorf("verdict %s, want %s (%s)", r.Verdict, tt.verdict, r.Summary)
			}
			if r.Identity.UserName != tt.user {
				t.Errorf("user %q, want %q", r.Identity.UserName, tt.user)
			}
			if g := strings.Join(r.Identity.Groups, ","); g != tt.groups {
				t.Errorf("groups %q, want %q", g, tt.groups)
			}
			if got := strings.Join(matchLines(r), "\n"); got != strings.Join(tt.matches, "\n") {
				t.Errorf("matches:\n%s\nwant:\n%s", got, strings.Join(tt.matches, "\n"))
			}
			if g := strings.Join(r.Authorization.Global, ","); g != tt.global {
				t.Errorf("global %q, want %q", g, tt.global)
			}
			got := messageLines(r)
			if len(got) != len(tt.messages) {
				t.Errorf("messages:\n%s\nwant prefixes:\n%s", strings.Join(got, "\n"), strings.Join(tt.messages, "\n"))
			} else {
				for i := range got {
					if !strings.HasPrefix(got[i], tt.messages[i]) {
						t.Errorf("message %d:\n got  %s\n want %s…", i, got[i], tt.messages[i])
					}
				}
			}
			if tt.summary != "" && r.Summary != tt.summary {
				t.Errorf("summary:\n got  %s\n want %s", r.Summary, tt.summary)
			}
			if r.Failed() != tt.failed {
				t.Errorf("Failed() = %v, want %v", r.Failed(), tt.failed)
			}
		})
	}
}

// TestGolden pins the text and JSON forms of one full answer.
func TestGolden(t *testing.T) {
	yamlText := realmKeycloak + `      fullNameFieldName: name
  authorizationStrategy:
    roleBased:
      roles:
        global:
          - name: admin
            permissions: [Overall/Administer]
            entries:
              - group: jenkins-admins
          - name: read
            permissions: [Overall/Read, Job/Read]
            entries:
              - group: authenticated
        items:
          - name: team-a
            pattern: "team-a/.*"
            permissions: [Job/Build, Job/Cancel]
            entries:
              - user: Alice
              - user: devs
        agents:
          - name: linux
            pattern: "(?<=x)linux"
            permissions: [Agent/Build]
            entries:
              - group: devs
`
	claims := `{"iss": "https://kc.example.com/realms/ci", "aud": "jenkins", "sub": "f3b2c1d0",
		"preferred_username": "alice", "email": "alice@example.com", "name": "Alice Liddell",
		"realm_access": {"roles": ["devs", "offline_access"]}, "client_secret": "hunter2", "auth_time": 1700000000}`
	r := evalCase(t, yamlText, claims, func(r *Request) {
		r.Items = []string{"team-a/deploy", "team-b/deploy"}
		r.Agents = []string{"linux"}
		r.Token = &Token{Algorithm: "RS256", KeyID: "k1"}
		r.ClaimsFrom = `token "alice.jwt"`
		r.Checks = []Check{
			{Check: "signature", Status: StatusOK, Message: `verified with a key of "jwks.json"`},
			{Check: "issuer", Status: StatusOK, Message: `"https://kc.example.com/realms/ci" is the realm's issuer`},
			{Check: "audience", Status: StatusOK, Message: `includes the realm's client ID "jenkins"`},
			{Check: "expiry", Status: StatusFailed, Message: "the token expired at 2024-01-01T00:00:00Z (allowing 60s of clock skew)"},
		}
	})
	for _, g := range []struct {
		file  string
		write func(*bytes.Buffer) error
	}{
		{"golden.txt", func(b *bytes.Buffer) error { return WriteText(b, r) }},
		{"golden.json", func(b *bytes.Buffer) error { return WriteJSON(b, r) }},
	} {
		var b bytes.Buffer
		if err := g.write(&b); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", g.file)
		if golden.Updating() {
			if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if !bytes.Equal(b.Bytes(), want) {
			t.Errorf("%s differs (go test -update rewrites it):\n%s", path, b.String())
		}
		if strings.Contains(b.String(), "hunter2") {
			t.Errorf("%s: secret claim printed", path)
		}
	}
}

func TestListSome(t *testing.T) {
	if got := listSome([]string{"a", "b", "c"}, 3); got != "a, b, c" {
		t.Errorf("got %q", got)
	}
	if got := listSome([]string{"a", "b", "c", "d"}, 2); got != "a, b and 2 more" {
		t.Errorf("got %q", got)
	}
}

// FuzzEvaluate feeds arbitrary claims to a realm with every strategy shape,
// and the realm a fuzzed groupsFieldName: no panics, the same output on
// every run (object projections and keys() follow the claims' order, not Go's
// map order), and the output never holds a claim named like a secret.
func FuzzEvaluate(f *testing.F) {
	for _, s := range []string{
		`{"preferred_username": "alice", "realm_access": {"roles": ["jenkins-admins"]}}`,
		`{"preferred_username": ["x"], "realm_access": {"roles": "a,b"}}`,
		`{"preferred_username": 5, "realm_access": {"roles": [1, {"a": null}, []]}, "email": {}}`,
		`{"_claim_names": {"groups": "x"}, "realm_access": null}`,
		`{"preferred_username": "", "realm_access": {"roles": [""]}}`,
		`{"preferred_username": "bob", "resource_access": {"z": {"roles": ["jenkins-admins"]}, "a": {"roles": ["b", "c"]}}}`,
	} {
		for _, expr := range []string{"realm_access.roles", "resource_access.*.roles[]", "keys(resource_access)",
			"values(@)[] | [?type(@) == 'string']", "realm_access.roles[?starts_with(@, 'jenkins')]", "lower(x)"} {
			f.Add(s, expr)
		}
	}
	const authz = `      tokenFieldToCheckKey: realm_access.roles[0]
      tokenFieldToCheckValue: admin
  authorizationStrategy:
    roleBased:
      roles:
        global:
          - name: admin
            permissions: [Overall/Administer]
            entries:
              - group: jenkins-admins
              - user: anonymous
        items:
          - name: team
            pattern: "(?<=x)"
            permissions: [Job/Read]
            assignments: ["alice"]
`
	f.Fuzz(func(t *testing.T, s, expr string) {
		claims, err := DecodeClaims([]byte(s))
		if err != nil {
			return
		}
		claims.Values["client_secret"] = "hunter2-do-not-print"
		q, _ := json.Marshal(expr)
		realm := strings.Replace(realmKeycloak, "groupsFieldName: realm_access.roles", "groupsFieldName: "+string(q), 1)
		file := source.NewFile("jenkins.yaml", []byte(realm+authz))
		docs, ferr := tree.ParseYAML(file)
		if ferr != nil || len(docs) != 1 {
			return
		}
		d := jcasc.Read(file, docs[0])
		if d.Realm == nil {
			return
		}
		var first string
		for i := 0; i < 3; i++ {
			r := Evaluate(Request{Realm: d.Realm, Authorization: d.Authorization, AuthorizationFile: d.File,
				Claims: claims, ClaimsFrom: "fuzz", Items: []string{"x"}})
			var b bytes.Buffer
			if err := WriteText(&b, r); err != nil {
				t.Fatal(err)
			}
			if err := WriteJSON(&b, r); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(b.String(), "hunter2-do-not-print") {
				t.Fatal("secret claim printed")
			}
			if i == 0 {
				first = b.String()
			} else if b.String() != first {
				t.Fatalf("run %d differs from the first:\n%s\n---\n%s", i, b.String(), first)
			}
		}
	})
}
