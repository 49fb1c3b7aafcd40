package rules

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry/expirytest"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// secretTestNow is the clock of the tests of secret-expiring and
// secret-not-rotated (the testdata/rules cases are dated from it too: see
// rules_test.go).
var secretTestNow = time.Date(2026, 6, 19, 12, 0, 0, 0, time.UTC)

// runFileCheck runs a per-file check on text named path with the secret
// settings st (its clock secretTestNow when it has none).
func runFileCheck(t *testing.T, st expiry.Settings, check func(FileInput, *FileResult), path, text string) []string {
	t.Helper()
	f := source.NewFile(path, []byte(text))
	var docs []*yaml.Node
	if strings.HasSuffix(path, ".yaml") {
		d, ferr := tree.ParseYAML(f)
		if ferr != nil {
			t.Fatal(ferr)
		}
		docs = d
		f.Kind = source.JCasC
	}
	if path == "Jenkinsfile" {
		f.Kind = source.Jenkinsfile
	}
	var out FileResult
	if st.Now.IsZero() {
		st.Now = secretTestNow
	}
	check(FileInput{File: f, Docs: docs, Config: Config{Secrets: st}}, &out)
	var got []string
	for _, fd := range out.Findings {
		if fd.Severity == 0 {
			fd.Severity = report.Note // secret-not-rotated's default; secret-expiring always sets one
		}
		got = append(got, fd.Pos.String()+": "+fd.Severity.String()+": "+fd.Message)
	}
	return got
}

// TestSecretExpiringDeclaredAndMaterial: settings entries, a JWT, a window
// from --expiry-window, and PEM certificates in a file that is not YAML.
func TestSecretExpiringDeclaredAndMaterial(t *testing.T) {
	tok := expirytest.Token(map[string]any{"iss": "https://ci.example.com/oidc", "exp": secretTestNow.Add(-3 * 24 * time.Hour).Unix()})
	text := `credentials:
  system:
    domainCredentials:
      - credentials:
          - string:
              id: "deploy-jwt"
              secret: "` + tok + `"
          - string:
              id: "github-token"
              secret: "${GITHUB_TOKEN}"
`
	st := expiry.Settings{Now: secretTestNow, Window: 60 * expiry.Day,
		Declared: []expiry.Declared{{ID: "github-token", Expires: secretTestNow.Add(45 * expiry.Day), Pos: source.NewFile(".jenkins-oidc-lint.yaml", nil).Pos(4, 5)}}}
	got := runFileCheck(t, st, checkSecretExpiring, "jenkins.yaml", text)
	want := []string{
		`jenkins.yaml:6:19: error: credential "deploy-jwt" (string): its JWT issued by "https://ci.example.com/oidc" in secret expired on 2026-06-16 12:00 UTC, 3 days ago: every use of the credential fails until it is renewed`,
		`jenkins.yaml:9:19: warning: credential "github-token" (string) expires on 2026-08-03 12:00 UTC, in 45 days (declared at .jenkins-oidc-lint.yaml:4): replace it and update its source before then`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if strings.Contains(strings.Join(got, "\n"), tok[:20]) {
		t.Error("a message shows the token")
	}

	c := expirytest.SelfSigned("Corp Root CA", secretTestNow.Add(-400*24*time.Hour), secretTestNow.Add(10*24*time.Hour))
	got = runFileCheck(t, expiry.Settings{}, checkSecretExpiring, "certs/ca-bundle.crt", "# corporate CA\n"+string(c.PEM))
	want = []string{`certs/ca-bundle.crt:2:1: warning: certificate "CN=Corp Root CA" expires on 2026-06-29 12:00 UTC, in 10 days: renew it and deploy the new one before then`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("PEM file: %q", got)
	}
	if got := runFileCheck(t, expiry.Settings{}, checkSecretExpiring, "Jenkinsfile", string(c.PEM)); len(got) != 0 {
		t.Errorf("a Jenkinsfile: %q", got)
	}
}

// TestSecretNotRotatedFromGit: a value in the file takes its rotation date
// from the last commit of its line; --max-secret-age applies to all; a
// reference has no date in git.
func TestSecretNotRotatedFromGit(t *testing.T) {
	text := `credentials:
  system:
    domainCredentials:
      - credentials:
          - string:
              id: "slack-token"
              secret: "{AQAAABAAAAAQh7dXq2Lr0aVt3c9yKf1mE8ZsWpN4bQ6uJgTxCiRoHk=}"
          - string:
              id: "github-token"
              secret: "${GITHUB_TOKEN}"
`
	var asked []string
	st := expiry.Settings{Now: secretTestNow, MaxAge: 90 * expiry.Day, LineChanged: func(path string, line int) (expiry.Change, bool) {
		asked = append(asked, path+":"+strconv.Itoa(line))
		return expiry.Change{Commit: strings.Repeat("c0ffee", 7)[:40], Date: secretTestNow.Add(-200 * expiry.Day)}, true
	}}
	got := runFileCheck(t, st, checkSecretNotRotated, "jenkins.yaml", text)
	want := []string{`jenkins.yaml:6:19: note: credential "slack-token" (string) was last rotated on 2025-12-01 12:00 UTC (commit c0ffeec0ffee last changed its value's line), 200 days ago: more than its max-age of 90 days (--max-secret-age); rotate it: create a new value where it is issued, update its source, then revoke the old one; its value is written in the file, so each rotation is a commit: a secret source (a secret file, Vault, AWS Secrets Manager) would rotate without one`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if strings.Join(asked, " ") != "jenkins.yaml:7" {
		t.Errorf("git was asked for %q", asked)
	}
}
