package cli

import (
	"bytes"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeSecrets builds secret-looking values at run time (so the repository
// holds none), in the formats the detector knows and as plain field values.
func fakeSecrets(r *rand.Rand) map[string]string {
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	rnd := func(n int, chars string) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = chars[r.Intn(len(chars))]
		}
		return string(b)
	}
	return map[string]string{
		"github":   "ghp_" + rnd(36, alnum),
		"gitlab":   "glpat-" + rnd(20, alnum),
		"slack":    "xoxb-" + rnd(12, "0123456789") + "-" + rnd(12, "0123456789") + "-" + rnd(24, alnum),
		"aws":      "AKIA" + rnd(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
		"awssec":   rnd(40, alnum+"/+"),
		"client":   rnd(32, alnum+"-_"),
		"password": "Pw-" + rnd(20, alnum),
		"hatch":    rnd(24, alnum),
		"typo":     rnd(18, alnum),
		"typo2":    rnd(18, alnum),
	}
}

// TestNoSecretLeaks runs every format, and --diff, on files full of secrets
// and fails if any 6 consecutive characters of a secret come out (a known
// prefix of at most 4 characters, such as "ghp_", may show).
func TestNoSecretLeaks(t *testing.T) {
	s := fakeSecrets(rand.New(rand.NewSource(7)))
	dir := t.TempDir()
	jcasc := `# rotated? ` + s["github"] + `
jenkins:
  securityRealm:
    oic:
      clientId: "jenkins"
      clientSecret: "` + s["client"] + `"
      escapeHatchEnabled: true
      escapeHatchSecret: "` + s["hatch"] + `"
      disableSslVerification: true
      wellKnownOpenIDConfigurationUrl: "http://sso.example.com/.well-known/openid-configuration"
credentials:
  system:
    domainCredentials:
      - credentials:
          - usernamePassword:
              id: "ci"
              username: "ci-bot"
              password: "` + s["password"] + `"
          - aws:
              id: "aws"
              accessKey: "` + s["aws"] + `"
              secretKey: "` + s["awssec"] + `"
          - string:
              id: "slack"
              secret: ` + s["slack"] + `
          - string:
              id: "gitlab"
              secret: "${GITLAB_TOKEN:-` + s["gitlab"] + `}"
          - usernamePassword:
              id: "typo"
              passwrod: "` + s["typo"] + `"
          - string:
              id: "typo2"
              secert: "` + s["typo2"] + `"
`
	if err := os.WriteFile(filepath.Join(dir, "jenkins.yaml"), []byte(jcasc), 0o644); err != nil {
		t.Fatal(err)
	}
	pipeline := "pipeline {\n  agent any\n  environment {\n    DB_PASSWORD = 'hunter2-" + s["hatch"][:8] + "'\n" +
		"    API_URL = 'https://ci:" + s["client"][:12] + "@api.example.com'\n  }\n" +
		"  stages { stage('x') { steps { sh \"curl -u ci:${DB_PASSWORD} https://x\" } } }\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "Jenkinsfile"), []byte(pipeline), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("token "+s["github"]+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	runs := [][]string{{"--diff"}, {"--all-files"}, {"--write-baseline", filepath.Join(dir, "b.json")}}
	for _, f := range []string{"text", "json", "sarif", "github", "junit", "checkstyle", "gitlab"} {
		runs = append(runs, []string{"--format", f, "--all-files"})
	}
	for _, args := range runs {
		var stdout, stderr bytes.Buffer
		code := run(append(args, dir), strings.NewReader(""), &stdout, &stderr)
		out := stdout.String() + stderr.String()
		if b, err := os.ReadFile(filepath.Join(dir, "b.json")); err == nil {
			out += string(b)
		}
		if code == 0 && args[0] != "--write-baseline" && args[0] != "--diff" {
			t.Errorf("%v: exit 0 with committed secrets", args)
		}
		for name, secret := range s {
			for i := 0; i+6 <= len(secret); i++ {
				if piece := secret[i : i+6]; strings.Contains(out, piece) {
					t.Errorf("%v: %s secret leaks (%q)", args, name, piece)
					break
				}
			}
		}
	}
}
