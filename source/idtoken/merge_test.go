package idtoken

import (
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

func readText(t *testing.T, name, text string) *Controller {
	t.Helper()
	f := source.NewFile(name, []byte(text))
	docs, ferr := tree.ParseYAML(f)
	if ferr != nil {
		t.Fatal(ferr)
	}
	return Read(f, docs[0])
}

// One file sets location.url, another defines the credentials and a
// folder, a third and a fourth write claim templates: JCasC merges them.
func TestMerge(t *testing.T) {
	url := readText(t, "casc/location.yaml", "unclassified:\n  location:\n    url: https://ci.example.com\n")
	creds := readText(t, "casc/creds.yaml", `credentials:
  system:
    domainCredentials:
      - credentials:
          - idToken:
              id: aws
              audience: sts.amazonaws.com
jobs:
  - script: |
      folder('team') {
        properties { folderCredentialsProperty { domainCredentials { domainCredentials {
          domain { name('') }
          credentials { idTokenFile { id('vault'); audience('vault') } }
        } } } }
      }
security:
  idToken:
    buildClaimTemplates:
      - name: sub
        format: ^${JOB_URL}
`)
	more := readText(t, "casc/z.yaml", `security:
  idToken:
    buildClaimTemplates:
      - name: job
        format: ^${JOB_NAME}
`)
	if creds.Credentials[0].Issuer.Known {
		t.Fatalf("alone, the credentials file knows no issuer: %+v", creds.Credentials[0].Issuer)
	}
	m := Merge([]*Controller{nil, url, creds, more})
	if m.Issuer.Text != "https://ci.example.com/oidc" || !m.Issuer.Known {
		t.Errorf("issuer %+v", m.Issuer)
	}
	var got []string
	for _, c := range m.Credentials {
		got = append(got, c.ID.Text+"="+c.Issuer.Text)
	}
	if s := strings.Join(got, " "); s != "aws=https://ci.example.com/oidc vault=https://ci.example.com/oidc/job/team" {
		t.Errorf("credentials %s", s)
	}
	if len(m.Folders) != 1 || m.Folders[0].Issuer.Text != "https://ci.example.com/oidc/job/team" || m.Folders[0].Issuer.Pos.Path != "casc/creds.yaml" {
		t.Errorf("folders %+v", m.Folders)
	}
	if n := len(m.Config.BuildClaimTemplates.List); n != 2 || !m.Config.BuildClaimTemplates.Set {
		t.Errorf("templates: %d %+v", n, m.Config.BuildClaimTemplates)
	}
	tok := m.Claims(m.Credentials[0], ParseJob("app", "main", ""))
	if s, _ := tok.Claim("sub"); s.Value != "https://ci.example.com/job/app/job/main/" {
		t.Errorf("sub %+v", s)
	}
	if j, _ := tok.Claim("job"); j.Value != "app/main" {
		t.Errorf("job %+v", j)
	}
	if _, ok := tok.Claim("build_number"); ok {
		t.Error("a written buildClaimTemplates list replaces the default one")
	}
	if tm, ok := m.Template("job"); !ok || tm.Format.Text != "${JOB_NAME}" {
		t.Errorf("Template(job) = %+v, %v", tm, ok)
	}
	if _, ok := m.Template("build_number"); ok {
		t.Error("Template(build_number) found")
	}
	// the inputs are left alone
	if creds.Credentials[0].Issuer.Known || url.Config.BuildClaimTemplates.Set {
		t.Error("Merge changed its inputs")
	}
	if Merge(nil) != nil {
		t.Error("Merge(nil) != nil")
	}
	// defaults when no document writes templates
	d := Merge([]*Controller{url})
	if tm, ok := d.Template("sub"); !ok || !tm.Default || tm.Format.Text != "${JOB_URL}" {
		t.Errorf("default sub %+v", tm)
	}
}
