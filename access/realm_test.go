package access

import (
	"strings"
	"testing"
	"time"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
)

const authzOnly = `jenkins:
  authorizationStrategy: loggedInUsersCanDoAnything
`

func TestPickRealm(t *testing.T) {
	a := parseJCasC(t, "a/jenkins.yaml", realmKeycloak)
	b := parseJCasC(t, "b/jenkins.yaml", realmKeycloak)
	z := parseJCasC(t, "a/authz.yaml", authzOnly)
	tests := []struct {
		name  string
		docs  []*jcasc.Doc
		want  string
		paths []string
		got   *jcasc.Doc
		err   string
	}{
		{name: "the only realm", docs: []*jcasc.Doc{z, a}, got: a},
		{name: "none", docs: []*jcasc.Doc{z}, paths: []string{"a", "b"}, err: "no oic security realm (jenkins.securityRealm.oic) found in a b"},
		{name: "none, default path", docs: nil, err: "no oic security realm (jenkins.securityRealm.oic) found in ."},
		{name: "two", docs: []*jcasc.Doc{a, b}, err: "2 oic realms found (a/jenkins.yaml, b/jenkins.yaml): pick one with --realm FILE"},
		{name: "picked", docs: []*jcasc.Doc{a, b}, want: "./b//jenkins.yaml", got: b},
		{name: "picked file has none", docs: []*jcasc.Doc{a, b, z}, want: "a/authz.yaml", err: "--realm a/authz.yaml: no oic realm in that file (among .)"},
	}
	for _, tt := range tests {
		got, err := PickRealm(tt.docs, tt.want, tt.paths)
		switch {
		case tt.err != "":
			if err == nil || err.Error() != tt.err {
				t.Errorf("%s: error %v, want %q", tt.name, err, tt.err)
			}
		case err != nil || got != tt.got:
			t.Errorf("%s: got %v, %v", tt.name, got, err)
		}
	}
}

func TestPickRealmSameFile(t *testing.T) {
	// Two documents of one file (as two JCasC scripts embedded in one Helm
	// values file are): named by their realm's place.
	a := parseJCasC(t, "values.yaml", realmKeycloak)
	b := parseJCasC(t, "values.yaml", "\n\n"+realmKeycloak)
	_, err := PickRealm([]*jcasc.Doc{a, b}, "", nil)
	if err == nil || err.Error() != "2 oic realms found (values.yaml:3:5, values.yaml:5:5): pick one with --realm FILE" {
		t.Errorf("got %v", err)
	}
	_, err = PickRealm([]*jcasc.Doc{a, b}, "values.yaml", nil)
	if err == nil || !strings.HasPrefix(err.Error(), "--realm values.yaml: 2 oic realms in that file (values.yaml:3:5, values.yaml:5:5)") {
		t.Errorf("got %v", err)
	}
}

func TestUseRealm(t *testing.T) {
	realm := parseJCasC(t, "a/jenkins.yaml", realmKeycloak)
	own := parseJCasC(t, "a/both.yaml", realmKeycloak+"  authorizationStrategy: unsecured\n")
	sameController := parseJCasC(t, "a/authz.yaml", authzOnly)
	other := parseJCasC(t, "b/authz.yaml", authzOnly)
	realm.Controller, own.Controller, sameController.Controller, other.Controller = "a", "a", "a", "b"

	var r Request
	r.UseRealm(own, []*jcasc.Doc{other, own})
	if r.Realm != own.Realm || r.Authorization != own.Authorization || r.AuthorizationFile != own.File {
		t.Error("own strategy not used")
	}
	r = Request{}
	r.UseRealm(realm, []*jcasc.Doc{other, realm, sameController})
	if r.Realm != realm.Realm || r.Authorization != sameController.Authorization || r.AuthorizationFile != sameController.File {
		t.Errorf("want the same controller's strategy, got %v", r.AuthorizationFile.Path)
	}
	r = Request{}
	r.UseRealm(realm, []*jcasc.Doc{other, realm})
	if r.Authorization != other.Authorization || r.AuthorizationFile != other.File {
		t.Error("want the other document's strategy")
	}
	r = Request{}
	r.UseRealm(realm, []*jcasc.Doc{realm})
	if r.Authorization != nil || r.AuthorizationFile != realm.File {
		t.Error("want no strategy")
	}
}

func TestRealmExpectations(t *testing.T) {
	d := parseJCasC(t, "jenkins.yaml", `jenkins:
  securityRealm:
    oic:
      clientId: jenkins
      issuer: https://sso.example.com/
      allowedTokenExpirationClockSkewSeconds: 5
      serverConfiguration:
        manual:
          issuer: https://sso.example.com/
`)
	e := RealmExpectations(d.Realm, `"jwks.json"`)
	if e.ClientID != "jenkins" || e.ClockSkew != 5*time.Second || e.KeysFrom != `"jwks.json"` || e.WhyNoClientID != "" {
		t.Errorf("got %+v", e)
	}
	d = parseJCasC(t, "jenkins.yaml", `jenkins:
  securityRealm:
    oic:
      clientId: ${CLIENT_ID}
`)
	e = RealmExpectations(d.Realm, "")
	if e.ClientID != "" || e.Issuer != "" || e.ClockSkew != DefaultClockSkew ||
		!strings.Contains(e.WhyNoClientID, "unset or a variable") || !strings.Contains(e.WhyNoIssuer, "unset or a variable") {
		t.Errorf("got %+v", e)
	}
}
