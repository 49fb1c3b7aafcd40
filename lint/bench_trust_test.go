package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// genTrustTree writes n Terraform files, each the trust side of one
// controller's id tokens as teams write it: an AWS OIDC provider and a role
// whose trust policy is jsonencode({…}) pinned to a job (every third one
// unpinned, so the rules have something to say), a Vault JWT backend and
// role; and the controllers' JCasC (ten, with id-token credentials).
func genTrustTree(tb testing.TB, n int) string {
	tb.Helper()
	dir := tb.TempDir()
	for c := 0; c < 10; c++ {
		casc := fmt.Sprintf(`unclassified:
  location:
    url: https://ci%[1]d.acme.com/
credentials:
  system:
    domainCredentials:
      - credentials:
          - idTokenFile:
              id: aws-%[1]d
              audience: sts.amazonaws.com
          - idToken:
              id: vault-%[1]d
              audience: vault
`, c)
		p := filepath.Join(dir, fmt.Sprintf("controller-%d", c), "jenkins.yaml")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(casc), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	for i := 0; i < n; i++ {
		c := i % 10
		sub := fmt.Sprintf(`"ci%d.acme.com/oidc:sub" = "https://ci%d.acme.com/job/team-%d/job/app-%d/"`, c, c, i%7, i)
		if i%3 == 0 {
			sub = fmt.Sprintf(`"ci%d.acme.com/oidc:aud" = "sts.amazonaws.com"`, c)
		}
		tf := fmt.Sprintf(`resource "aws_iam_openid_connect_provider" "jenkins_%[1]d" {
  url             = "https://ci%[2]d.acme.com/oidc"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
}

resource "aws_iam_role" "deploy_%[1]d" {
  name = "jenkins-deploy-%[1]d"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.jenkins_%[1]d.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          %[3]s
        }
      }
    }]
  })
  tags = { team = var.team, cost-center = "ci" }
}

resource "vault_jwt_auth_backend" "jenkins_%[1]d" {
  path               = "jenkins-%[1]d"
  oidc_discovery_url = "https://ci%[2]d.acme.com/oidc"
  bound_issuer       = "https://ci%[2]d.acme.com/oidc"
}

resource "vault_jwt_auth_backend_role" "deploy_%[1]d" {
  backend         = vault_jwt_auth_backend.jenkins_%[1]d.path
  role_name       = "deploy"
  role_type       = "jwt"
  bound_audiences = ["vault"]
  bound_subject   = "https://ci%[2]d.acme.com/job/team-%[4]d/job/app-%[1]d/"
  user_claim      = "sub"
  token_policies  = ["deploy"]
}
`, i, c, sub, i%7)
		p := filepath.Join(dir, fmt.Sprintf("infra-%03d", i/100), fmt.Sprintf("trust-%04d.tf", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(tf), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// BenchmarkLintTerraform1000 lints 1,000 Terraform trust files and the ten
// controllers they trust, end to end: against BenchmarkLint1000 it shows
// what reading HCL costs per file (the README's Performance table).
func BenchmarkLintTerraform1000(b *testing.B) {
	benchLint(b, genTrustTree(b, 1000), 1000)
}

// TestGeneratedTrustTree keeps the benchmark's input honest: every file is
// read as Terraform and the unpinned trusts are found, and nothing else.
func TestGeneratedTrustTree(t *testing.T) {
	rep, err := Run(Options{Paths: []string{genTrustTree(t, 30)}, NoSources: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) > 0 {
		t.Fatalf("errors: %v", rep.Errors)
	}
	byRule := map[string]int{}
	for _, f := range rep.Findings {
		byRule[f.Rule]++
	}
	if byRule["trust-policy-unpinned"] != 10 || len(byRule) != 1 {
		t.Errorf("findings by rule: %v (want 10 trust-policy-unpinned, one per unpinned role)", byRule)
	}
}
