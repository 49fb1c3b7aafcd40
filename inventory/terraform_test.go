package inventory_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/inventory"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/lint"
)

// TestTerraformInterpolation: in JCasC written in a Terraform heredoc,
// ${var.…} is Terraform's: the value is rendered in before JCasC reads the
// document, a template value as {{ .Values.x }} is. $${VAR} is JCasC's
// variable: an environment variable.
func TestTerraformInterpolation(t *testing.T) {
	dir := t.TempDir()
	tf := `locals {
  casc = <<-EOT
    jenkins:
      securityRealm:
        oic:
          clientId: jenkins
          clientSecret: "${var.oidc_client_secret}"
    credentials:
      system:
        domainCredentials:
          - credentials:
              - string:
                  id: "slack-token"
                  secret: "$${SLACK_TOKEN}"
  EOT
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tf), 0o644); err != nil {
		t.Fatal(err)
	}
	l := lint.Load(lint.Options{Paths: []string{dir}, Jobs: 1})
	for _, e := range l.Errors {
		t.Errorf("load: %v", e)
	}
	inv, errs := inventory.Collect(l.WS, inventory.Options{})
	for _, e := range errs {
		t.Errorf("collect: %v", e)
	}
	got := map[string]inventory.Source{}
	for _, r := range inv.Rows {
		got[r.ID] = r.Source
	}
	if got["oic.clientSecret"] != inventory.Template || got["slack-token"] != inventory.Environment || len(got) != 2 {
		t.Errorf("sources %v, want oic.clientSecret template and slack-token environment", got)
	}
}
