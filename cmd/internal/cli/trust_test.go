package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runTrustIn(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	return runCommandIn(t, dir, runTrust, args...)
}

// runCommandIn runs a command (runTrust, runInventory) in dir, and goes
// back to the working directory it was in.
func runCommandIn(t *testing.T, dir string, command func([]string, io.Reader, io.Writer, io.Writer) int, args ...string) (string, string, int) {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	var stdout, stderr bytes.Buffer
	code := command(args, strings.NewReader(""), &stdout, &stderr)
	return stdout.String(), stderr.String(), code
}

const trustJCasC = `unclassified:
  location:
    url: https://ci.example.com/
credentials:
  system:
    domainCredentials:
      - credentials:
          - idTokenFile:
              id: aws
              audience: sts.amazonaws.com
`

const trustPolicy = `{
  "Statement": {
    "Effect": "Allow",
    "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/ci.example.com/oidc"},
    "Action": "sts:AssumeRoleWithWebIdentity",
    "Condition": {"StringEquals": {
      "ci.example.com/oidc:aud": "sts.amazonaws.com",
      "ci.example.com/oidc:sub": "https://ci.example.com/job/deploy/"
    }}
  }
}
`

// runTrust is tested here directly; testdata/script/trust_*.txtar test it
// through the command line.
func TestRunTrust(t *testing.T) {
	dir := writeTree(t, map[string]string{"casc/jenkins.yaml": trustJCasC, "iam/trust.json": trustPolicy, "broken/main.tf": "resource \"aws_iam_role\" \"x\" {\n"})
	for _, tc := range []struct {
		args       []string
		code       int
		out, errs  string
		noOut      bool
		notOnStdin bool
	}{
		{args: []string{"--job", "https://ci.example.com/job/deploy/", "casc", "iam"}, code: exitOK,
			out: "result: deploy can assume 1: AWS IAM role Statement (token of 'aws')\n"},
		{args: []string{"--job", "deploy", "--format", "json", "casc", "iam"}, code: exitOK, out: "\"verdict\": \"accepted\""},
		{args: []string{"--job", "other", "casc", "iam"}, code: exitFindings,
			out: "           sub \"https://ci.example.com/job/other/\" fails StringEquals \"https://ci.example.com/job/deploy/\"  iam/trust.json:8:7\n"},
		{args: []string{"--job", "deploy", "casc", "iam", "broken"}, code: exitTrouble, out: "result: deploy can assume 1", errs: "broken/main.tf:1:"},
		{args: []string{"casc"}, code: exitTrouble, errs: "give the job with --job URL", noOut: true},
		{args: []string{"--job", "deploy", "--credential", "gcp", "casc"}, code: exitTrouble, errs: "--credential gcp: no idToken or idTokenFile credential with that ID (defined: aws)", noOut: true},
		{args: []string{"--job", "deploy", "iam"}, code: exitTrouble, errs: "no JCasC configuration found in iam", noOut: true},
		{args: []string{"--help"}, code: exitOK, out: "Exit codes: 0 printed, and a trust accepts the token"},
	} {
		out, errs, code := runTrustIn(t, dir, tc.args...)
		if code != tc.code || !strings.Contains(out, tc.out) || !strings.Contains(errs, tc.errs) || tc.noOut && out != "" {
			t.Errorf("trust %s: exit %d (want %d)\n--- stdout\n%s--- stderr\n%s", strings.Join(tc.args, " "), code, tc.code, out, errs)
		}
	}
	// PATH defaults to "."
	dir = writeTree(t, map[string]string{"jenkins.yaml": trustJCasC, "trust.json": trustPolicy})
	if out, errs, code := runTrustIn(t, dir, "--job", "deploy"); code != exitOK || !strings.Contains(out, "ACCEPTS  AWS IAM role Statement  trust.json:2:16") {
		t.Errorf("trust --job deploy: exit %d\n%s%s", code, out, errs)
	}
}
