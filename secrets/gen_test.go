package secrets

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
)

// Fixtures are generated at run time from a seeded generator so that the
// repository holds no string that looks like a live credential.

const (
	alnum   = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	upperD  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	hexLow  = "0123456789abcdef"
	b64     = alnum + "+/"
	b64url  = alnum + "-_"
	digits  = "0123456789"
	azureCh = alnum + "_~."
)

type gen struct{ r *rand.Rand }

func newGen(seed uint64) *gen { return &gen{rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))} }

func (g *gen) str(n int, set string) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte(set[g.r.IntN(len(set))])
	}
	return b.String()
}

// mixed returns n characters of set that contain an upper-case letter, a
// lower-case letter and a digit (real tokens nearly always do).
func (g *gen) mixed(n int, set string) string {
	want := classes(set)
	minH := 3.5
	if n < 16 {
		minH = 2.5
	}
	if n < 6 {
		minH = 0
	}
	for {
		s := g.str(n, set)
		if classes(s) == want && entropy(s) > minH && !containsFold(s, "xxxx") && !containsFold(s, "example") {
			return s
		}
	}
}

func (g *gen) githubPAT() string   { return "ghp" + "_" + g.mixed(36, alnum) }
func (g *gen) githubOAuth() string { return "gho" + "_" + g.mixed(36, alnum) }
func (g *gen) githubApp() string   { return "ghs" + "_" + g.mixed(36, alnum) }
func (g *gen) githubFine() string {
	return "github" + "_pat_" + g.mixed(22, alnum) + "_" + g.mixed(59, alnum)
}
func (g *gen) gitlabPAT() string { return "glpat" + "-" + g.mixed(20, b64url[:62]) }
func (g *gen) npm() string       { return "npm" + "_" + g.mixed(36, alnum) }
func (g *gen) awsID() string     { return "AKIA" + g.mixed(16, upperD) }
func (g *gen) awsSecret() string { return g.mixed(40, b64) }
func (g *gen) jenkins() string   { return "11" + g.str(32, hexLow) }
func (g *gen) okta() string      { return "00" + g.mixed(40, b64url) }
func (g *gen) gcpAPIKey() string { return "AI" + "za" + g.mixed(35, b64url[:62]) }
func (g *gen) slackBot() string {
	return "xo" + "xb-" + g.str(12, digits) + "-" + g.str(13, digits) + "-" + g.mixed(24, alnum)
}
func (g *gen) slackUser() string {
	return "xo" + "xp-" + g.str(11, digits) + "-" + g.str(12, digits) + "-" + g.str(12, digits) + "-" + g.str(32, hexLow)
}
func (g *gen) azure() string    { return g.mixed(3, alnum) + g.str(1, digits) + "Q~" + g.mixed(34, alnum) }
func (g *gen) password() string { return g.str(1, alnum[:52]) + g.mixed(13, alnum+"!#%") }
func (g *gen) uuid() string {
	return fmt.Sprintf("%s-%s-%s-%s-%s", g.str(8, hexLow), g.str(4, hexLow), g.str(4, hexLow), g.str(4, hexLow), g.str(12, hexLow))
}
func (g *gen) sha() string { return g.str(40, hexLow) }
func (g *gen) slackHook() string {
	return "https://hooks.slack.com/services/T" + g.str(8, upperD) + "/B" + g.str(10, upperD) + "/" + g.mixed(24, alnum)
}

func (g *gen) jwt() string {
	enc := base64.RawURLEncoding
	h := enc.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT","kid":"` + g.str(8, alnum) + `"}`))
	p := enc.EncodeToString([]byte(`{"sub":"` + g.str(10, alnum) + `","iss":"https://idp.test","exp":1900000000}`))
	return h + "." + p + "." + g.mixed(86, b64url)
}

// pemBlock builds a private key block of the given label ("RSA PRIVATE KEY").
func (g *gen) pemBlock(label string) string {
	var b strings.Builder
	b.WriteString("-----BEGIN " + label + "-----\n")
	for i := 0; i < 6; i++ {
		b.WriteString(g.str(64, b64) + "\n")
	}
	b.WriteString(g.str(20, b64) + "==\n")
	b.WriteString("-----END " + label + "-----")
	return b.String()
}

// corpus builds about size bytes of realistic JCasC YAML, Jenkinsfile Groovy
// and shell. With secrets, one secret of each family is sprinkled into every
// few blocks.
func corpus(size int, withSecrets bool) []byte {
	g := newGen(42)
	var b strings.Builder
	words := []string{"build", "deploy", "test", "release", "frontend", "backend", "payments", "infra", "docs", "api"}
	w := func() string { return words[g.r.IntN(len(words))] }
	blocks := []func(){
		func() {
			fmt.Fprintf(&b, `jenkins:
  systemMessage: "Jenkins %s controller, managed by JCasC"
  numExecutors: %d
  securityRealm:
    oic:
      clientId: "jenkins-%s"
      clientSecret: "${OIDC_CLIENT_SECRET}"
      serverConfiguration:
        wellKnown:
          wellKnownOpenIDConfigurationUrl: "https://login.%s.test/.well-known/openid-configuration"
          scopesOverride: "openid email profile groups"
      userNameField: "preferred_username"
      groupsFieldName: "groups"
      tokenServerUrl: "https://login.%s.test/oauth2/token"
      properties:
        - "pkce"
        - escapeHatch:
            username: "escape"
            secret: "{AQAAABAAAAAQ%s}"
  authorizationStrategy:
    roleBased:
      roles:
        global:
          - name: "admin"
            entries:
              - group: "%s-admins"
`, w(), g.r.IntN(8), w(), w(), w(), g.str(40, b64), w())
		},
		func() {
			fmt.Fprintf(&b, `credentials:
  system:
    domainCredentials:
      - credentials:
          - usernamePassword:
              scope: GLOBAL
              id: "%s-deploy"
              username: "svc-%s"
              password: "${DEPLOY_PASSWORD}"
              description: "Deploy user for %s (rotated %s)"
          - string:
              id: "%s-token"
              secret: "${readFile:/run/secrets/%s_token}"
          - basicSSHUserPrivateKey:
              id: "ssh-%s"
              username: git
              privateKeySource:
                directEntry:
                  privateKey: "${SSH_PRIVATE_KEY}"
`, w(), w(), w(), g.uuid(), w(), w(), w())
		},
		func() {
			fmt.Fprintf(&b, `pipeline {
    agent { label '%s' }
    environment {
        REGISTRY = 'registry.%s.test'
        GITHUB_TOKEN = credentials('github-token')
        IMAGE_TAG = "${env.BUILD_NUMBER}-%s"
    }
    stages {
        stage('%s') {
            steps {
                withCredentials([usernamePassword(credentialsId: '%s', usernameVariable: 'USER', passwordVariable: 'PASS')]) {
                    sh 'echo "$PASS" | docker login -u "$USER" --password-stdin $REGISTRY'
                    sh "git clone https://${USER}:${PASS}@github.com/acme/%s.git"
                    sh 'git checkout %s'
                }
                sh "curl -fsSL -H 'Authorization: token $GITHUB_TOKEN' https://api.github.com/repos/acme/%s"
                echo "Commit ${env.GIT_COMMIT} uuid %s"
            }
        }
    }
}
`, w(), w(), g.str(7, hexLow), w(), g.uuid(), w(), g.sha(), w(), g.uuid())
		},
		func() {
			fmt.Fprintf(&b, `#!/usr/bin/env bash
set -euo pipefail
export TOKEN="${TOKEN:-}"
export PASSWORD=$JENKINS_PASSWORD
for f in $(git ls-files '*.yaml'); do
  if [[ -f "$f" ]]; then
    echo "checking $f (%s)" >&2
    yq e '.jenkins.securityRealm' "$f" > /tmp/%s.out || true
  fi
done
git@github.com:acme/%s.git
ssh://git@gitlab.%s.test/acme/%s.git
https://user@nexus.%s.test/repository/%s/
echo "docs: the token: must be rotated every 90 days; password: see vault" # %s
`, w(), w(), w(), w(), w(), w(), w(), g.sha())
		},
		func() {
			fmt.Fprintf(&b, `{
  "issuer": "https://idp.%s.test",
  "authorization_endpoint": "https://idp.%s.test/authorize",
  "token_endpoint": "https://idp.%s.test/token",
  "token_endpoint_auth_methods_supported": ["client_secret_basic", "private_key_jwt"],
  "id_token_signing_alg_values_supported": ["RS256"],
  "code_challenge_methods_supported": ["S256"],
  "icon": "data:image/png;base64,%s"
}
`, w(), w(), w(), g.str(200, b64))
		},
	}
	secretsBlocks := []func(){
		func() { fmt.Fprintf(&b, "GITHUB_TOKEN=%s\n", g.githubPAT()) },
		func() { fmt.Fprintf(&b, "      clientSecret: \"%s\"\n", g.password()) },
		func() {
			fmt.Fprintf(&b, "aws_access_key_id = %s\naws_secret_access_key = %s\n", g.awsID(), g.awsSecret())
		},
		func() { fmt.Fprintf(&b, "sh \"curl -u admin:%s https://ci.test/job/x/build\"\n", g.jenkins()) },
		func() { fmt.Fprintf(&b, "SLACK_WEBHOOK: %s\n", g.slackHook()) },
		func() { fmt.Fprintf(&b, "privateKey: |\n%s\n", g.pemBlock("OPENSSH PRIVATE KEY")) },
		func() { fmt.Fprintf(&b, "id_token: %s\n", g.jwt()) },
		func() { fmt.Fprintf(&b, "url: https://deploy:%s@nexus.acme.corp/\n", g.password()) },
	}
	i := 0
	for b.Len() < size {
		blocks[i%len(blocks)]()
		if withSecrets && i%3 == 0 {
			secretsBlocks[(i/3)%len(secretsBlocks)]()
		}
		i++
	}
	return []byte(b.String())
}
