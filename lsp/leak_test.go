package lsp

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoSecretLeak plants secrets in every kind of file — on disk, and in
// an editor's buffer only — drives every request the server answers over
// every finding, and checks that no 8 characters of any secret appear in
// any message the server wrote, nor in its log.
func TestNoSecretLeak(t *testing.T) {
	secrets := map[string]string{
		"client":   "Zq8vT3kLm9Wx2Rb7Yp4NcH6s", // a realm's clientSecret
		"password": "pV7xQ2mK9rT4wZ8nB3yH",     // a credential's password
		"github":   "ghp_" + "R8kT2mV9qX4wZ7nB3yH6cJ5pL1sD0fG8aE2u",
		"helm":     "hQ4wE7rT1yU9iO3pA6sD",  // a realm's secret inside Helm values
		"buffer":   "bN5mK8jH2gF4dS7aQ1wE",  // typed in the editor, never saved
		"base64":   "cL3vB6nM9kJ2hG5fD8sA1", // base64 in a Secret's data
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"jenkins.yaml": `jenkins:
  securityRealm:
    oic:
      clientId: "jenkins"
      clientSecret: "` + secrets["client"] + `"
      wellKnownOpenIDConfigurationUrl: "https://idp.example.com/.well-known/openid-configuration"
credentials:
  system:
    domainCredentials:
      - credentials:
          - usernamePassword:
              id: "deploy"
              username: "deployer"
              password: "` + secrets["password"] + `"
`,
		"Jenkinsfile": `pipeline {
    agent any
    stages {
        stage('x') {
            steps {
                sh 'curl -k -H "Authorization: token ` + secrets["github"] + `" https://api.github.com/user'
            }
        }
    }
}
`,
		"helm/values.yaml": `controller:
  JCasC:
    configScripts:
      realm: |
        jenkins:
          securityRealm:
            oic:
              clientId: "helm"
              clientSecret: "` + secrets["helm"] + `"
              wellKnownOpenIDConfigurationUrl: "http://idp.example.com/.well-known/openid-configuration"
`,
		"k8s/secret.yaml": `apiVersion: v1
kind: Secret
metadata:
  name: casc
data:
  jenkins.yaml: ` + base64.StdEncoding.EncodeToString([]byte("jenkins:\n  securityRealm:\n    oic:\n      clientId: \"k8s\"\n      clientSecret: \""+secrets["base64"]+"\"\n")) + `
`,
	})
	var log bytes.Buffer
	c := startClient(t, dir, Options{Log: &log}, nil)
	c.settle()
	jcasc := filepath.Join(dir, "jenkins.yaml")
	text := readFile(t, jcasc)
	c.open(jcasc, "yaml", 1, text)
	c.change(jcasc, 2, strings.Replace(text, `username: "deployer"`, `username: "deployer"
              description: "the deploy account"
          - string:
              id: "api"
              secret: "`+secrets["buffer"]+`"`, 1))
	for _, name := range []string{"Jenkinsfile", "helm/values.yaml", "k8s/secret.yaml"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		c.open(p, "", 1, readFile(t, p))
	}
	c.settle()
	for _, name := range []string{"jenkins.yaml", "Jenkinsfile", "helm/values.yaml", "k8s/secret.yaml"} {
		if !hasRule(c.diagnostics(pathToURI(filepath.Join(dir, filepath.FromSlash(name)))), "committed-secret") {
			t.Errorf("%s: no committed-secret diagnostic: the test proves nothing", name)
		}
	}
	// every request over every finding
	c.mu.Lock()
	all := map[string][]diagnostic{}
	for uri, ds := range c.diags {
		all[uri] = ds
	}
	c.mu.Unlock()
	for uri, ds := range all {
		c.request("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": uri},
			"range": lspRange{End: position{Line: 1000}}, "context": map[string]any{"diagnostics": []any{}}})
		c.request("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": uri},
			"range": lspRange{}, "context": map[string]any{"only": []string{"source.fixAll"}}})
		for _, d := range ds {
			c.request("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": d.Range.Start})
		}
	}
	c.shutdown()

	c.mu.Lock()
	transcript := c.transcript.String()
	c.mu.Unlock()
	if !strings.Contains(transcript, "committed-secret") || !strings.Contains(transcript, `"newText"`) {
		t.Fatal("the transcript holds no finding or edit: the test proves nothing")
	}
	// JSON escapes nothing in these secrets, but decode \u sequences anyway
	var unescaped bytes.Buffer
	for _, part := range strings.Split(transcript, "Content-Length: ") {
		if i := strings.Index(part, "\r\n\r\n"); i >= 0 {
			var v any
			if json.Unmarshal([]byte(part[i+4:]), &v) == nil {
				out, _ := json.Marshal(v)
				unescaped.Write(out)
			}
		}
	}
	for name, sec := range secrets {
		body := strings.TrimPrefix(sec, "ghp_")
		for i := 0; i+8 <= len(body); i++ {
			w := body[i : i+8]
			if strings.Contains(transcript, w) || strings.Contains(unescaped.String(), w) || strings.Contains(log.String(), w) {
				t.Errorf("%d characters of the %s secret (%q) reached the client or the log", 8, name, w)
				break
			}
		}
	}
}
