package schema

import (
	"os"
	"testing"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"
	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/discovery"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// benchRealm is a realistic realm of the properties era with a few mistakes,
// so the benchmark includes building messages.
const benchRealm = `
jenkins:
  securityRealm:
    oic:
      clientId: ${OIDC_CLIENT_ID}
      clientSecret: ${OIDC_CLIENT_SECRET}
      serverConfiguration:
        manual:
          issuer: https://idp.example.com
          authorizationServerUrl: https://idp.example.com/authorize
          tokenServerUrl: https://idp.example.com/token
          jwksServerUrl: https://idp.example.com/jwks
          userInfoServerUrl: https://idp.example.com/userinfo
          tokenAuthMethod: client_secret_basic
          scopes: openid email profile groups
      userNameField: preferred_username
      fullNameFieldName: name
      emailFieldName: email
      groupsFieldName: groups
      logoutFromOpenidProvider: true
      postLogoutRedirectUrl: https://jenkins.example.com/
      userIdStrategy: caseInsensitive
      groupIdStrategy: caseSensitive
      pkceEnabled: true
      properties:
        - pkce
        - escapeHatch:
            username: admin
            secret: ${ESCAPE_HATCH}
        - allowedTokenExpirationClockSkew:
            valueSeconds: 30
        - loginQueryParameters:
            items:
              - key: prompt
                value: login
      disableSslVerification: nope
`

func BenchmarkCheckRealm(b *testing.B) {
	f, k, v := parseRealm(b, "jenkins.yaml", benchRealm)
	c := Default()
	if n := len(c.CheckRealm(f, k, v)); n != 2 {
		b.Fatalf("want 2 findings, got %d", n)
	}
	b.ReportAllocs()
	for b.Loop() {
		c.CheckRealm(f, k, v)
	}
}

func BenchmarkCheckDiscovery(b *testing.B) {
	for _, name := range []string{"google", "keycloak-realm-master-localhost-http"} {
		b.Run(name, func(b *testing.B) {
			data, err := os.ReadFile("testdata/discovery/" + name + ".json")
			if err != nil {
				b.Fatal(err)
			}
			f := source.NewFile(name+".json", data)
			root, ferr := discovery.ParseJSON(f)
			if ferr != nil {
				b.Fatal(ferr)
			}
			c := Default()
			b.ReportAllocs()
			for b.Loop() {
				c.CheckDiscovery(f, root)
			}
		})
	}
}

// BenchmarkCUEUnify measures what validating by CUE unification would cost
// (tree.ToValue, Encode, Unify, Validate): the reason the checker compiles
// the schema into Go instead (see doc.go).
func BenchmarkCUEUnify(b *testing.B) {
	realm, disc := cueDef(b, realmDef), cueDef(b, discoveryDef)
	b.Run("realm", func(b *testing.B) {
		_, _, v := parseRealm(b, "jenkins.yaml", benchRealm)
		b.ReportAllocs()
		for b.Loop() {
			cueOnce(b, realm, v)
		}
	})
	for _, name := range []string{"google", "keycloak-realm-master-localhost-http"} {
		b.Run(name, func(b *testing.B) {
			data, err := os.ReadFile("testdata/discovery/" + name + ".json")
			if err != nil {
				b.Fatal(err)
			}
			root, ferr := discovery.ParseJSON(source.NewFile(name, data))
			if ferr != nil {
				b.Fatal(ferr)
			}
			b.ReportAllocs()
			for b.Loop() {
				cueOnce(b, disc, root)
			}
		})
	}
}

func cueOnce(b *testing.B, def cue.Value, n *yaml.Node) {
	v, err := tree.ToValue(n)
	if err != nil {
		b.Fatal(err)
	}
	_ = def.Unify(cuecontext.New().Encode(v)).Validate(cue.Concrete(true))
}
