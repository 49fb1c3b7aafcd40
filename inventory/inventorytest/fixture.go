// Package inventorytest writes a fixture controller that uses every source
// of secrets the inventory tells apart, with certificates and tokens made
// for the test's clock and secrets planted to prove that none comes out.
// Nothing it writes is committed: tests write it into t.TempDir().
package inventorytest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry/expirytest"
)

// Fixture is a written fixture: its files and the secret values planted in
// them (no output may show any of them, nor their base64 forms).
type Fixture struct {
	Dir     string
	Planted []string
}

// Now is the fixture's "now": certificates and tokens are dated from it.
var Now = time.Date(2026, 6, 19, 12, 0, 0, 0, time.UTC)

func random(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

func indent(s, pad string) string {
	return pad + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+pad)
}

// Write writes the fixture into dir:
//
//	casc/jenkins.yaml   realm (client secret from the environment, a literal
//	                    escape-hatch secret) and credentials of every source
//	casc/Jenkinsfile    binds slack-token and registry
//	helm/values.yaml    a second controller: JCasC embedded in Helm values
//	                    with a literal client secret and a secret file
//
// keystore, when not nil, is a PKCS#12 keystore for the certificate
// credential (base64-encoded into the file); nil leaves it out.
func Write(dir string, keystore []byte) (*Fixture, error) {
	fx := &Fixture{Dir: dir}
	plant := func(s string) string { fx.Planted = append(fx.Planted, s); return s }
	literal := plant("sl4ck-" + random(12))
	hatch := plant("h4tch-" + random(10))
	deflt := plant("d3fault-" + random(10))
	encrypted := plant("{AQAAABAAAAAQ" + base64.StdEncoding.EncodeToString([]byte(random(24))) + "}")
	helmSecret := plant("h3lm-" + random(12))
	tok := plant(expirytest.Token(map[string]any{"iss": "https://ci.example.com/oidc", "sub": "deployer", "exp": Now.Add(-18 * 24 * time.Hour).Unix()}))
	cert := expirytest.SelfSigned("docker.example.com", Now.Add(-300*24*time.Hour), Now.Add(12*24*time.Hour+time.Hour))
	files := map[string]string{}
	files["casc/jenkins.yaml"] = `jenkins:
  securityRealm:
    oic:
      clientId: "jenkins"
      # jenkins-oidc-lint: max-age=90d rotated=2026-01-10
      clientSecret: "${OIDC_CLIENT_SECRET}"
      serverConfiguration:
        wellKnown:
          wellKnownOpenIDConfigurationUrl: "https://sso.example.com/realms/ci/.well-known/openid-configuration"
      properties:
        - escapeHatch:
            username: "break-glass"
            secret: "` + hatch + `"
            group: "admins"
security:
  idToken:
    tokenLifetime: 900
credentials:
  system:
    domainCredentials:
      - credentials:
          - string:
              scope: GLOBAL
              id: "slack-token"
              description: "posts build results"
              secret: "` + literal + `"
          # jenkins-oidc-lint: expires=2026-07-01
          - usernamePassword:
              id: "registry"
              username: "ci"
              password: "${readFile:/run/secrets/registry-password}"
          - string:
              id: "encrypted-token"
              secret: "` + encrypted + `"
          - string:
              id: "defaulted"
              secret: "${DEPLOY_TOKEN:-` + deflt + `}"
          - vaultStringCredentialImpl:
              id: "vault-token"
              path: "secret/ci/token"
              vaultKey: "token"
          - string:
              id: "aws-token"
              secret: "${aws:secretsmanager:ci/token}"
          - dockerServer:
              id: "docker-tls"
              clientKeySecret: "${DOCKER_CLIENT_KEY}"
              clientCertificate: |
` + indent(string(cert.PEM), "                ") + `
          - string:
              id: "deploy-jwt"
              secret: "` + tok + `"
          - idToken:
              id: "aws-oidc"
              audience: "sts.amazonaws.com"
          - aws:
              id: "aws-keys"
              accessKey: "AKIAIOSFODNN7EXAMPLE"
              secretKey: "${AWS_SECRET_ACCESS_KEY}"
`
	if keystore != nil {
		files["casc/jenkins.yaml"] += `          - certificate:
              id: "client-cert"
              password: ""
              keyStoreSource:
                uploaded:
                  uploadedKeystore: "` + plant(base64.StdEncoding.EncodeToString(keystore)) + `"
`
	}
	files["casc/Jenkinsfile"] = `pipeline {
    agent any
    environment {
        REGISTRY = credentials('registry')
    }
    stages {
        stage('notify') {
            steps {
                withCredentials([string(credentialsId: 'slack-token', variable: 'SLACK')]) {
                    sh 'curl -sf -H "Authorization: Bearer $SLACK" https://slack.example.com/api'
                }
            }
        }
    }
}
`
	files["helm/values.yaml"] = `controller:
  JCasC:
    configScripts:
      oidc: |
        jenkins:
          securityRealm:
            oic:
              clientId: "jenkins-helm"
              clientSecret: "` + helmSecret + `"
              serverConfiguration:
                wellKnown:
                  wellKnownOpenIDConfigurationUrl: "https://sso.example.com/realms/ci/.well-known/openid-configuration"
        credentials:
          system:
            domainCredentials:
              - credentials:
                  - string:
                      id: "helm-token"
                      secret: "${readFile:/run/secrets/additional/helm-token}"
`
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			return nil, err
		}
	}
	return fx, nil
}

// Leaks returns the planted secrets (and their base64 forms) that out
// holds.
func (fx *Fixture) Leaks(out string) []string {
	var found []string
	for _, s := range fx.Planted {
		for _, form := range []string{s, base64.StdEncoding.EncodeToString([]byte(s)), s[:len(s)*2/3]} {
			if len(form) >= 8 && strings.Contains(out, form) {
				found = append(found, form)
				break
			}
		}
	}
	return found
}
