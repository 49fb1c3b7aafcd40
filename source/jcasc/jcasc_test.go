package jcasc

import (
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

func read(t *testing.T, src string) *Doc {
	t.Helper()
	f := source.NewFile("j.yaml", []byte(src))
	docs, ferr := tree.ParseYAML(f)
	if ferr != nil {
		t.Fatal(ferr)
	}
	if !Looks(docs[0]) {
		t.Fatal("not JCasC")
	}
	return Read(f, docs[0])
}

func TestRealmLayouts(t *testing.T) {
	tests := []struct {
		name, src                     string
		layout                        Layout
		mode                          Mode
		issuer, scopes                string
		pkce, noVerify, nonce, escape bool
	}{
		{"flat auto", `jenkins:
  securityRealm:
    oic:
      clientId: x
      wellKnownOpenIDConfigurationUrl: https://idp/realms/a/.well-known/openid-configuration
      automanualconfigure: auto
      scopes: openid email
      pkceEnabled: true
      escapeHatchEnabled: true
`, LayoutFlat, ModeWellKnown, "https://idp/realms/a", "openid,email", true, false, false, true},
		{"flat manual", `jenkins:
  securityRealm:
    oic:
      clientId: x
      automanualconfigure: manual
      tokenServerUrl: https://idp/token
      authorizationServerUrl: https://idp/auth
      issuer: https://idp
      disableTokenVerification: true
`, LayoutFlat, ModeManual, "https://idp", "", false, true, false, false},
		{"serverConfiguration manual", `jenkins:
  securityRealm:
    oic:
      clientId: x
      serverConfiguration:
        manual:
          issuer: "https://idp/"
          tokenServerUrl: https://idp/token
          scopes: "openid  groups"
      nonceDisabled: true
`, LayoutServerConfiguration, ModeManual, "https://idp/", "openid,groups", false, false, true, false},
		{"properties", `jenkins:
  securityRealm:
    oic:
      clientId: x
      serverConfiguration:
        wellKnown:
          wellKnownOpenIDConfigurationUrl: https://idp/.well-known/openid-configuration
          scopesOverride: openid
      properties:
        - pkce
        - "disableNonce"
        - disableTokenVerification
        - escapeHatch:
            username: admin
            secret: "${X}"
`, LayoutServerConfiguration, ModeWellKnown, "https://idp", "openid", true, true, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := read(t, tt.src).Realm
			if r == nil {
				t.Fatal("no realm")
			}
			iss, _, _ := r.IssuerValue()
			var scopes []string
			for _, w := range r.Scopes {
				scopes = append(scopes, w.Value)
			}
			if r.Layout != tt.layout || r.Mode != tt.mode || iss != tt.issuer || strings.Join(scopes, ",") != tt.scopes ||
				r.PKCE.On() != tt.pkce || r.DisableTokenVerification.On() != tt.noVerify || r.NonceDisabled.On() != tt.nonce || r.EscapeHatch.On() != tt.escape {
				t.Errorf("got layout %v mode %v issuer %q scopes %v pkce %v noVerify %v nonce %v escape %v",
					r.Layout, r.Mode, iss, scopes, r.PKCE.On(), r.DisableTokenVerification.On(), r.NonceDisabled.On(), r.EscapeHatch.On())
			}
		})
	}
}

func TestScopePositions(t *testing.T) {
	r := read(t, "jenkins:\n  securityRealm:\n    oic:\n      scopes: \"openid  groups\"\n").Realm
	if len(r.Scopes) != 2 || r.Scopes[1].Line != 4 || r.Scopes[1].Col != 24 {
		t.Errorf("scopes %+v", r.Scopes)
	}
}

func TestAuthorization(t *testing.T) {
	d := read(t, `jenkins:
  authorizationStrategy:
    roleBased:
      roles:
        global:
          - name: admin
            permissions: ["Overall/Administer"]
            entries:
              - group: admins
              - user: alice
            assignments: ["legacy"]
        items:
          - name: team
            pattern: "team/.*"
            permissions: ["Job/Build"]
            entries:
              - either: bob
`)
	a := d.Authorization
	var got []string
	for _, g := range a.Grants {
		got = append(got, string(g.Kind)+":"+g.Name+":"+g.Role.Name.Value)
	}
	if strings.Join(got, " ") != "group:admins:admin user:alice:admin either:legacy:admin either:bob:team" {
		t.Errorf("grants %v", got)
	}
	if a.Roles[1].Pattern.Value != "team/.*" || a.Roles[1].Type != ItemRole {
		t.Errorf("items role %+v", a.Roles[1])
	}
}

func TestLegacyMatrix(t *testing.T) {
	for _, tt := range []struct {
		in         string
		kind       SIDKind
		perm, name string
		ok         bool
	}{
		{"GROUP:Overall/Administer:admins", SIDGroup, "Overall/Administer", "admins", true},
		{"USER:Job/Read:alice@example.com", SIDUser, "Job/Read", "alice@example.com", true},
		{"Overall/Read:authenticated", SIDEither, "Overall/Read", "authenticated", true},
		{"nonsense", "", "", "", false},
	} {
		kind, perm, name, ok := ParseLegacyPermission(tt.in)
		if kind != tt.kind || perm != tt.perm || name != tt.name || ok != tt.ok {
			t.Errorf("%q: %v %q %q %v", tt.in, kind, perm, name, ok)
		}
	}
}

func TestCredentials(t *testing.T) {
	d := read(t, `credentials:
  system:
    domainCredentials:
      - credentials:
          - idToken:
              id: aws-oidc
              scope: GLOBAL
              audience: sts.amazonaws.com
          - usernamePassword:
              id: github
              username: ci-bot
              password: "${GH}"
      - domain:
          name: "internal"
        credentials:
          - file:
              id: kubeconfig
security:
  idToken:
    tokenLifetime: 60
`)
	var got []string
	for _, c := range d.Credentials {
		got = append(got, c.Kind+":"+c.ID.Value+":"+c.BindingType()+":"+c.Domain)
	}
	if strings.Join(got, " ") != "idToken:aws-oidc:string: usernamePassword:github:usernamePassword: file:kubeconfig:file:internal" {
		t.Errorf("credentials %v", got)
	}
	if d.IDToken == nil || d.IDToken.TokenLifetime.Value != "60" {
		t.Error("security.idToken not read")
	}
}

// TestRealmReread checks that Reread finds the realm's mapping again, in
// the document it was read from (the second of two here).
func TestRealmReread(t *testing.T) {
	src := "jenkins:\n  systemMessage: x\n---\njenkins:\n  securityRealm:\n    oic:\n      clientId: a\n      userIdStrategy:\n        caseSensitive: {}\n"
	f := source.NewFile("j.yaml", []byte(src))
	docs, ferr := tree.ParseYAML(f)
	if ferr != nil {
		t.Fatal(ferr)
	}
	d := Read(f, docs[1])
	key, oic := d.Realm.Reread()
	if key == nil || key.Line != 6 || tree.StrOf(oic, "clientId").Value != "a" {
		t.Fatalf("Reread: %v %v", key, oic)
	}
	if !d.Realm.Mapping || !d.Realm.HasKey("userIdStrategy") || d.Realm.HasKey("groupIdStrategy") {
		t.Errorf("keys %v", d.Realm.keys)
	}
	if s := d.Realm.UserIDStrategy(); s.Name != "caseSensitive" || s.Key.Line != 8 || !s.Valued {
		t.Errorf("userIdStrategy %+v", s)
	}
	changed := source.NewFile("j.yaml", []byte("jenkins:\n  securityRealm:\n    oic: {}\n"))
	d.Realm.File = changed
	if key, oic := d.Realm.Reread(); key != nil || oic != nil {
		t.Errorf("Reread of a changed file: %v %v", key, oic)
	}
}
