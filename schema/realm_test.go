package schema

import (
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// realmCase is a JCasC document and the findings CheckRealm must produce,
// each as "line:col-line:col message".
type realmCase struct {
	name string
	src  string
	want []string
}

// The secret every fixture uses: no message may contain it.
const fixtureSecret = "hunter2-s3cr3t"

var realmCases = []realmCase{
	// Quiet: one valid realm of each era.
	{name: "flat layout (≤ 4.34x, plugin test resource ConfigurationAsCode.yml)", src: `
jenkins:
  securityRealm:
    oic:
      authorizationServerUrl: http://localhost
      clientId: clientId
      clientSecret: hunter2-s3cr3t
      disableSslVerification: true
      emailFieldName: emailFieldName
      escapeHatchEnabled: true
      escapeHatchGroup: escapeHatchGroup
      escapeHatchSecret: hunter2-s3cr3t
      escapeHatchUsername: escapeHatchUsername
      fullNameFieldName: fullNameFieldName
      groupsFieldName: groupsFieldName
      logoutFromOpenidProvider: true
      scopes: scopes
      tokenAuthMethod: client_secret_post
      tokenServerUrl: http://localhost
      userNameField: userNameField
      rootURLFromRequest: true
      sendScopesInTokenRequest: true
      pkceEnabled: true
      nonceDisabled: true
      automanualconfigure: manual
      allowedTokenExpirationClockSkewSeconds: 60
`},
	{name: "flat layout, auto, variables everywhere", src: `
jenkins:
  securityRealm:
    oic:
      clientId: ${OIDC_CLIENT_ID}
      clientSecret: ${OIDC_CLIENT_SECRET}
      automanualconfigure: ${OIDC_MODE}
      wellKnownOpenIDConfigurationUrl: "${var.oidc.issuer}/.well-known/openid-configuration"
      overrideScopes: openid email groups
      pkceEnabled: ${env:PKCE}
      disableSslVerification: "^${NOT_A_VAR}"
      allowedTokenExpirationClockSkewSeconds: "${SKEW}"
      tokenExpirationCheckDisabled: "false"
      logoutFromOpenidProvider: yes
`},
	{name: "serverConfiguration wellKnown with the 4.4xx switches", src: `
jenkins:
  securityRealm:
    oic:
      clientId: jenkins
      clientSecret: none
      serverConfiguration:
        wellKnown:
          wellKnownOpenIDConfigurationUrl: https://idp.example.com/.well-known/openid-configuration
          scopesOverride: openid email profile groups
      userNameField: preferred_username
      groupsFieldName: '"cognito:groups"'
      pkceEnabled: true
      escapeHatchEnabled: false
      allowTokenAccessWithoutOicSession: false
      loginQueryParameters:
        - key: prompt
          value: login
      userIdStrategy: caseInsensitive
      groupIdStrategy:
        caseSensitive: {}
`},
	{name: "serverConfiguration manual with issuer and variables", src: `
jenkins:
  securityRealm:
    oic:
      clientId: ${CLIENT_ID}
      clientSecret: ${CLIENT_SECRET}
      serverConfiguration:
        manual:
          issuer: https://idp.example.com
          authorizationServerUrl: https://idp.example.com/authorize
          tokenServerUrl: https://idp.example.com/token
          jwksServerUrl: https://idp.example.com/jwks
          userInfoServerUrl: https://idp.example.com/userinfo
          endSessionUrl: https://idp.example.com/logout
          tokenAuthMethod: ${TOKEN_AUTH_METHOD}
          scopes: openid email
          useRefreshTokens: ${REFRESH}
      userIdStrategy: caseSensitiveEmailAddress
`},
	{name: "properties layout (4.600+)", src: `
jenkins:
  securityRealm:
    oic:
      clientId: jenkins
      clientSecret: ${OIDC_SECRET}
      serverConfiguration:
        wellKnown:
          wellKnownOpenIDConfigurationUrl: https://idp.example.com/.well-known/openid-configuration
      properties:
        - "pkce"
        - disableNonce
        - disableTokenVerification: {}
        - escapeHatch:
            username: admin
            secret: ${ESCAPE_HATCH_SECRET}
            group: admins
        - allowedTokenExpirationClockSkew:
            valueSeconds: 120
        - loginQueryParameters:
            items:
              - key: prompt
                value: login
        - logoutQueryParameters:
            items:
              - key: federated
      userIdStrategy:
        caseInsensitive: ~
      avatarHandler: serveFromJenkins
`},
	{name: "client authentication after properties", src: `
jenkins:
  securityRealm:
    oic:
      clientId: jenkins
      clientAuthentication:
        jwtBearer:
          clientAssertionFilePath: /var/run/secrets/tokens/id-token
      serverConfiguration:
        manual:
          issuer: http://localhost/
          authorizationServerUrl: http://localhost/authorize
          tokenServerUrl: http://localhost/token
      properties: []
`},
	{name: "merge key and anchors", src: `
x-oidc: &oidc
  clientId: jenkins
  clientSecret: hunter2-s3cr3t
jenkins:
  securityRealm:
    oic:
      <<: *oidc
      serverConfiguration:
        wellKnown:
          wellKnownOpenIDConfigurationUrl: https://idp.example.com/.well-known/openid-configuration
`},

	// Unknown keys.
	{name: "unknown key with a case-only difference", src: `
jenkins:
  securityRealm:
    oic:
      clientId: jenkins
      wellKnownOpenIDConfigurationURL: https://idp.example.com/.well-known/openid-configuration
`, want: []string{
		"6:7-6:38 unknown key `wellKnownOpenIDConfigurationURL` in the oic realm (did you mean `wellKnownOpenIDConfigurationUrl`?)",
	}},
	{name: "unknown keys: typo, misplaced, unknown, docs alias", src: `
jenkins:
  securityRealm:
    oic:
      clientSecrets: hunter2-s3cr3t
      scopesOverride: openid
      frobnicate: true
      serverConfiguration:
        manual:
          issuer: https://idp.example.com
          authorizationServerUrl: https://idp.example.com/authorize
          tokenServerUrl: https://idp.example.com/token
          endSessionEndpoint: https://idp.example.com/logout
          jwksUrl: https://idp.example.com/jwks
`, want: []string{
		"5:7-5:20 unknown key `clientSecrets` in the oic realm (did you mean `clientSecret`?)",
		"6:7-6:21 unknown key `scopesOverride` in the oic realm: it belongs under serverConfiguration.wellKnown",
		"7:7-7:17 unknown key `frobnicate` in the oic realm: oic-auth has no such setting, and JCasC refuses unknown keys",
		"13:11-13:29 unknown key `endSessionEndpoint` in serverConfiguration.manual (did you mean `endSessionUrl`?)",
		"14:11-14:18 unknown key `jwksUrl` in serverConfiguration.manual; expected `authorizationServerUrl`, `endSessionUrl`, `issuer`, `jwksServerUrl`, `scopes`, `tokenAuthMethod`, `tokenServerUrl`, `useRefreshTokens` or `userInfoServerUrl`",
	}},

	// Keys of another era.
	{name: "flat endpoint next to serverConfiguration", src: `
jenkins:
  securityRealm:
    oic:
      clientId: jenkins
      tokenServerUrl: https://idp.example.com/token
      automanualconfigure: auto
      serverConfiguration:
        wellKnown:
          wellKnownOpenIDConfigurationUrl: https://idp.example.com/.well-known/openid-configuration
`, want: []string{
		"6:7-6:21 `tokenServerUrl` is a flat key of oic-auth ≤ 4.34x; from 4.350 it belongs under serverConfiguration.manual",
		"7:7-7:26 `automanualconfigure` is a flat key of oic-auth ≤ 4.34x; from 4.350 choose `serverConfiguration.wellKnown` (auto) or `serverConfiguration.manual` instead",
	}},
	{name: "old switches next to properties", src: `
jenkins:
  securityRealm:
    oic:
      clientId: jenkins
      pkceEnabled: true
      escapeHatchSecret: hunter2-s3cr3t
      serverConfiguration:
        wellKnown:
          wellKnownOpenIDConfigurationUrl: https://idp.example.com/.well-known/openid-configuration
      properties:
        - disableNonce
      logoutQueryParameters:
        - key: a
          value: b
`, want: []string{
		"6:7-6:18 `pkceEnabled` was removed in oic-auth 4.609; use `- pkce` in properties",
		"7:7-7:24 `escapeHatchSecret` was removed in oic-auth 4.609; use `- escapeHatch: {username, secret, group}` in properties",
		"13:7-13:28 `logoutQueryParameters` was removed in oic-auth 4.600; use `- logoutQueryParameters: {items: […]}` in properties",
	}},
	{name: "flat layout with a 4.453 key", src: `
jenkins:
  securityRealm:
    oic:
      wellKnownOpenIDConfigurationUrl: https://idp.example.com/.well-known/openid-configuration
      userIdStrategy: caseInsensitive
`, want: []string{
		"5:7-5:38 `wellKnownOpenIDConfigurationUrl` is a flat key of oic-auth ≤ 4.34x; from 4.350 it belongs under serverConfiguration.wellKnown",
	}},
	{name: "clientSecret next to clientAuthentication", src: `
jenkins:
  securityRealm:
    oic:
      clientSecret: hunter2-s3cr3t
      clientAuthentication:
        secret:
          clientSecret: hunter2-s3cr3t
`, want: []string{
		"5:7-5:19 `clientSecret` cannot be combined with `clientAuthentication`: the secret now belongs in `clientAuthentication.secret.clientSecret`",
	}},

	// Types, enums, ranges.
	{name: "wrong types and a bad enum", src: `
jenkins:
  securityRealm:
    oic:
      pkceEnabled: maybe
      disableSslVerification: 2
      allowedTokenExpirationClockSkewSeconds: 1.5
      serverConfiguration:
        manual:
          issuer: https://idp.example.com
          authorizationServerUrl: https://idp.example.com/authorize
          tokenServerUrl: [https://idp.example.com/token]
          tokenAuthMethod: basic
          scopes:
            openid: true
`, want: []string{
		"5:20-5:25 `pkceEnabled` must be true or false, not the string \"maybe\"",
		"6:31-6:32 `disableSslVerification` must be true or false, not the number 2",
		"7:47-7:50 `allowedTokenExpirationClockSkewSeconds` must be a whole number of seconds from 0 to 2147483647, not the number 1.5",
		"12:27-12:28 `serverConfiguration.manual.tokenServerUrl` must be text, not a list",
		"13:28-13:33 `serverConfiguration.manual.tokenAuthMethod` must be one of `client_secret_basic` or `client_secret_post`, not the string \"basic\" (did you mean `client_secret_basic`?)",
		"15:13-15:25 `serverConfiguration.manual.scopes` must be text, not a mapping",
	}},
	{name: "out of range and folded block scalar", src: `
jenkins:
  securityRealm:
    oic:
      allowedTokenExpirationClockSkewSeconds: 99999999999
      serverConfiguration:
        wellKnown:
          wellKnownOpenIDConfigurationUrl: https://idp.example.com/.well-known/openid-configuration
      userIdStrategy: >
        caseinsensitive
      properties:
        - allowedTokenExpirationClockSkew:
            valueSeconds: -5
`, want: []string{
		"5:7-5:45 `allowedTokenExpirationClockSkewSeconds` was removed in oic-auth 4.609; use `- allowedTokenExpirationClockSkew: {valueSeconds: …}` in properties",
		"5:47-5:58 `allowedTokenExpirationClockSkewSeconds` must be a whole number of seconds from 0 to 2147483647, not the number 99999999999",
		"9:23-9:24 `userIdStrategy` must be one of `caseInsensitive`, `caseSensitive` or `caseSensitiveEmailAddress`, not the string \"caseinsensitive\\n\" (did you mean `caseInsensitive`?)",
		"13:27-13:29 `properties[0].allowedTokenExpirationClockSkew.valueSeconds` must be a whole number of seconds from 0 to 2147483647, not the number -5",
	}},

	// Required fields and exactly-one-of.
	{name: "manual without issuer", src: `
jenkins:
  securityRealm:
    oic:
      clientId: jenkins
      serverConfiguration:
        manual:
          authorizationServerUrl: https://idp.example.com/authorize
          tokenServerUrl: https://idp.example.com/token
`, want: []string{
		"7:9-7:15 `serverConfiguration.manual` has no `issuer`, which oic-auth requires since 4.355: set it to the provider's issuer, the `issuer` of its discovery document",
	}},
	{name: "serverConfiguration with both and with neither", src: `
jenkins:
  securityRealm:
    oic:
      serverConfiguration:
        wellKnown:
          wellKnownOpenIDConfigurationUrl: https://idp.example.com/.well-known/openid-configuration
        manual:
          issuer: https://idp.example.com
          authorizationServerUrl: https://idp.example.com/authorize
          tokenServerUrl: https://idp.example.com/token
      clientAuthentication: {}
`, want: []string{
		"8:9-8:15 `serverConfiguration` holds both `wellKnown` and `manual`: it takes exactly one of `manual` or `wellKnown`",
		"12:7-12:27 `clientAuthentication` must hold one of `jwtBearer` or `secret`",
	}},
	{name: "serverConfiguration without a provider", src: `
jenkins:
  securityRealm:
    oic:
      serverConfiguration: {}
`, want: []string{
		"5:7-5:26 `serverConfiguration` must hold one of `manual` or `wellKnown`: " + noProvider,
	}},
	{name: "serverConfiguration empty", src: `
jenkins:
  securityRealm:
    oic:
      serverConfiguration:
      clientId: jenkins
`, want: []string{
		"5:27-5:27 `serverConfiguration` must be a mapping with one key of `manual` or `wellKnown`, not an empty value: " + noProvider,
	}},
	{name: "property items", src: `
jenkins:
  securityRealm:
    oic:
      serverConfiguration:
        wellKnown:
          wellKnownOpenIDConfigurationUrl: https://idp.example.com/.well-known/openid-configuration
      properties:
        - pkcee
        - pkce: {}
          disableNonce: {}
        - escapeHatch:
            username: admin
            secrt: hunter2-s3cr3t
        - loginQueryParameters:
            items: []
        - {}
`, want: []string{
		"9:11-9:16 `properties[0]` must be one of `pkce`, `disableNonce` or `disableTokenVerification`, or a map with one key of `allowedTokenExpirationClockSkew`, `escapeHatch`, `loginQueryParameters` or `logoutQueryParameters`, not the string \"pkcee\" (did you mean `pkce`?)",
		"11:11-11:23 `properties[1]` holds both `pkce` and `disableNonce`: it takes exactly one of `allowedTokenExpirationClockSkew`, `disableNonce`, `disableTokenVerification`, `escapeHatch`, `loginQueryParameters`, `logoutQueryParameters` or `pkce`",
		"12:11-12:22 `properties[2].escapeHatch` has no `secret`, which oic-auth requires",
		"14:13-14:18 unknown key `secrt` in properties[2].escapeHatch (did you mean `secret`?)",
		"16:20-16:21 `properties[3].loginQueryParameters.items` must list at least one entry",
		"17:11-17:12 `properties[4]` must hold one of `allowedTokenExpirationClockSkew`, `disableNonce`, `disableTokenVerification`, `escapeHatch`, `loginQueryParameters`, `logoutQueryParameters` or `pkce`",
	}},
	{name: "oic is not a mapping", src: `
jenkins:
  securityRealm:
    oic: enabled
`, want: []string{
		"4:10-4:17 the oic realm must be a mapping, not the string \"enabled\"",
	}},
}

// parseRealm parses a fixture and returns the oic key and value.
func parseRealm(t testing.TB, name, src string) (*source.File, *yaml.Node, *yaml.Node) {
	t.Helper()
	f := source.NewFile(name, []byte(src))
	docs, ferr := tree.ParseYAML(f)
	if ferr != nil {
		t.Fatalf("%s: %v", name, ferr)
	}
	k, v := tree.Get(tree.Lookup(docs[0], "jenkins", "securityRealm"), "oic")
	if k == nil {
		t.Fatalf("%s: no jenkins.securityRealm.oic", name)
	}
	return f, k, v
}

// noProvider is the @none text of serverConfiguration in realm.cue.
const noProvider = "the realm has no provider and no one can sign in (JCasC refuses `{}` at boot; an empty value leaves the realm without endpoints): add `wellKnown: {wellKnownOpenIDConfigurationUrl: …}` or `manual: {issuer, authorizationServerUrl, tokenServerUrl, jwksServerUrl}`"

func formatFindings(fs []report.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%d:%d-%d:%d %s", f.Pos.Line, f.Pos.Col, f.End.Line, f.End.Col, f.Message))
	}
	return out
}

func TestCheckRealm(t *testing.T) {
	c := Default()
	for _, tc := range realmCases {
		t.Run(tc.name, func(t *testing.T) {
			// Fixtures start with a newline: line 1 is empty.
			f, k, v := parseRealm(t, "jenkins.yaml", tc.src)
			fs := c.CheckRealm(f, k, v)
			got := formatFindings(fs)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			for _, fi := range fs {
				if fi.Rule != RuleRealm || fi.Severity != report.Error || fi.Pos.Path != "jenkins.yaml" {
					t.Errorf("bad finding metadata: %+v", fi)
				}
				if strings.Contains(fi.Message, fixtureSecret) {
					t.Errorf("message shows the secret: %s", fi.Message)
				}
				for _, r := range fi.Related {
					if !r.Pos.IsValid() || r.Message == "" {
						t.Errorf("bad related position: %+v", r)
					}
				}
			}
		})
	}
}

// TestRealmRelated checks the related position of an era finding.
func TestRealmRelated(t *testing.T) {
	f, k, v := parseRealm(t, "jenkins.yaml", realmCases[10].src)
	fs := Default().CheckRealm(f, k, v)
	if len(fs) == 0 || len(fs[0].Related) != 1 {
		t.Fatalf("want one related position, got %+v", fs)
	}
	r := fs[0].Related[0]
	if r.Pos.Line != 11 || r.Pos.Col != 7 || r.Message != "`properties` exists only from oic-auth 4.600" {
		t.Errorf("related = %+v", r)
	}
}

// TestRealmReference compares every fixture's shape findings with CUE.
func TestRealmReference(t *testing.T) {
	c := Default()
	for _, tc := range realmCases {
		f, _, v := parseRealm(t, tc.name, tc.src)
		referenceCheck(t, c, f, v, false)
	}
}

// TestSecretsNeverShown feeds wrong values to every secret field.
func TestSecretsNeverShown(t *testing.T) {
	src := `
jenkins:
  securityRealm:
    oic:
      clientSecret: {value: hunter2-s3cr3t}
      escapeHatchSecret: [hunter2-s3cr3t]
      serverConfiguration:
        wellKnown:
          wellKnownOpenIDConfigurationUrl: x
      properties:
        - escapeHatch:
            username: admin
            secret: {s: hunter2-s3cr3t}
      clientAuthentication:
        secret:
          clientSecret: [hunter2-s3cr3t]
      mySecretPassword: hunter2-s3cr3t
`
	f, k, v := parseRealm(t, "jenkins.yaml", src)
	fs := Default().CheckRealm(f, k, v)
	if len(fs) < 5 {
		t.Fatalf("want findings for every wrong secret, got %v", formatFindings(fs))
	}
	for _, fi := range fs {
		if strings.Contains(fi.Message, "hunter2") {
			t.Errorf("message shows the secret: %s", fi.Message)
		}
	}
}

// TestFindingsCap: aliases can repeat a wrong mapping many times; the
// findings of one document stop at maxFindings, plus one summary.
func TestFindingsCap(t *testing.T) {
	var b strings.Builder
	b.WriteString("m: &m {a: 1, b: 2, c: 3, d: 4, e: 5}\njenkins:\n  securityRealm:\n    oic:\n      loginQueryParameters: [")
	for i := 0; i < 60; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("*m")
	}
	b.WriteString("]\n")
	f, k, v := parseRealm(t, "jenkins.yaml", b.String())
	fs := Default().CheckRealm(f, k, v)
	if len(fs) != maxFindings+1 {
		t.Fatalf("got %d findings, want %d", len(fs), maxFindings+1)
	}
	last := fs[len(fs)-1]
	if want := "the oic realm has more schema errors than shown: the check stops after 200 a document"; last.Message != want || last.Pos.Line != 4 || last.Pos.Col != 5 {
		t.Errorf("summary = %d:%d %q, want 4:5 %q", last.Pos.Line, last.Pos.Col, last.Message, want)
	}
}
