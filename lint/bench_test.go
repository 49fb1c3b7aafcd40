package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// genTree writes n JCasC files (all three realm layouts, role-strategy and
// matrix-auth, some mistakes) and one metadata document per 100 files.
func genTree(tb testing.TB, n int) string {
	return genTreeAs(tb, n, func(body string, i int) (string, string) {
		return fmt.Sprintf("jenkins-%04d.yaml", i), body
	})
}

// genHelmTree writes the documents of genTree as the official chart's values
// files, each document one configScripts entry: the same JCasC, embedded.
func genHelmTree(tb testing.TB, n int) string {
	return genTreeAs(tb, n, func(body string, i int) (string, string) {
		var b strings.Builder
		fmt.Fprintf(&b, "controller:\n  image:\n    tag: \"2.462.3-lts-jdk17\"\n  JCasC:\n    configScripts:\n      casc-%d: |\n", i)
		for _, l := range strings.SplitAfter(body, "\n") {
			if strings.TrimSpace(l) != "" {
				b.WriteString("        ")
			}
			b.WriteString(l)
		}
		return fmt.Sprintf("values-%04d.yaml", i), b.String()
	})
}

// genTreeAs writes the tree of genTree, each document as file(body, i)
// names and writes it.
func genTreeAs(tb testing.TB, n int, file func(body string, i int) (name, content string)) string {
	tb.Helper()
	dir := tb.TempDir()
	for i := 0; i < n; i++ {
		realm := fmt.Sprintf("https://sso%d.example.com/realms/team-%d", i%10, i%10)
		var body string
		switch i % 3 {
		case 0:
			body = fmt.Sprintf(`jenkins:
  systemMessage: "controller %[1]d"
  securityRealm:
    oic:
      clientId: "jenkins-%[1]d"
      clientSecret: "${OIDC_SECRET_%[1]d}"
      serverConfiguration:
        wellKnown:
          wellKnownOpenIDConfigurationUrl: "%[2]s/.well-known/openid-configuration"
          scopesOverride: "openid email profile groups"
      userNameField: "preferred_username"
      groupsFieldName: "groups"
      pkceEnabled: true
  authorizationStrategy:
    roleBased:
      roles:
        global:
          - name: "admin"
            permissions: ["Overall/Administer"]
            entries:
              - group: "team-%[1]d-admins"
          - name: "read"
            permissions: ["Overall/Read", "Job/Read"]
            entries:
              - group: "authenticated"
        items:
          - name: "team"
            pattern: "team-%[1]d/.*"
            permissions: ["Job/Build", "Job/Read", "Job/Cancel"]
            entries:
              - group: "team-%[1]d"
`, i, realm)
		case 1:
			body = fmt.Sprintf(`jenkins:
  securityRealm:
    oic:
      clientId: "changeme"
      serverConfiguration:
        manual:
          issuer: "%[2]s/"
          authorizationServerUrl: "%[2]s/protocol/openid-connect/auth"
          tokenServerUrl: "%[2]s/protocol/openid-connect/token"
          jwksServerUrl: "%[2]s/protocol/openid-connect/certs"
          scopes: "email profile"
      disableSslVerification: true
  authorizationStrategy:
    globalMatrix:
      entries:
        - group:
            name: "authenticated"
            permissions:
              - "Overall/Administer"
`, i, realm)
		default:
			body = fmt.Sprintf(`jenkins:
  securityRealm:
    oic:
      clientId: "${CLIENT_ID}"
      wellKnownOpenIDConfigurationUrl: "%[2]s/.well-known/openid-configuration"
      automanualconfigure: auto
      escapeHatchEnabled: true
      escapeHatchSecret: "${ESCAPE}"
      properties:
        - "pkce"
        - disableNonce
unclassified:
  audit-trail:
    loggers:
      - logFile:
          log: "/var/log/audit-%[1]d.log"
`, i, realm)
		}
		name, content := file(body, i)
		p := filepath.Join(dir, fmt.Sprintf("c%03d", i/100), name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	for i := 0; i < 10; i++ {
		issuer := fmt.Sprintf("https://sso%d.example.com/realms/team-%d", i, i)
		meta := fmt.Sprintf(`{
  "issuer": %q,
  "authorization_endpoint": "%[1]s/protocol/openid-connect/auth",
  "token_endpoint": "%[1]s/protocol/openid-connect/token",
  "jwks_uri": "%[1]s/protocol/openid-connect/certs",
  "response_types_supported": ["code"],
  "subject_types_supported": ["public"],
  "id_token_signing_alg_values_supported": ["RS256"],
  "scopes_supported": ["openid", "email", "profile", "groups"],
  "claims_supported": ["sub", "preferred_username", "email", "groups"],
  "code_challenge_methods_supported": ["S256"]
}
`, issuer)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("idp-%d.openid-configuration.json", i)), []byte(meta), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// BenchmarkLint1000 lints a generated tree of 1,000 JCasC files and their
// provider metadata: walking, parsing, CUE validation, rules and report.
// The ns/file metric is the per-file cost quoted in the README.
func BenchmarkLint1000(b *testing.B) {
	benchLint(b, genTree(b, 1000), 1000)
}

// BenchmarkLint10000 lints ten times BenchmarkLint1000's tree (100
// controllers' worth of files each): its time per file against
// BenchmarkLint1000's shows whether the cost grows with the tree (rules that
// looked through every realm for each one made it quadratic).
func BenchmarkLint10000(b *testing.B) {
	benchLint(b, genTree(b, 10000), 10000)
}

// BenchmarkLint10000Whole is BenchmarkLint10000 checked whole, as a tree
// of up to 2,000 files is: against BenchmarkLint1000 it shows whether the
// rules' cost per file grows with the tree; against BenchmarkLint10000,
// what checking in shares (share.go: each JCasC file read and parsed again
// for the workspace rules, and once more for the report) costs.
func BenchmarkLint10000Whole(b *testing.B) {
	benchLintWith(b, genTree(b, 10000), 10000, whole)
}

// BenchmarkLintEmbedded1000 lints the same 1,000 JCasC documents embedded
// in Helm values files (controller.JCasC.configScripts): against
// BenchmarkLint1000 it measures what reading JCasC inside another YAML file
// costs per file.
func BenchmarkLintEmbedded1000(b *testing.B) {
	benchLint(b, genHelmTree(b, 1000), 1000)
}

// benchLint lints dir b.N times and reports the wall and CPU time per file
// (the CPU time, user and system, is the steadier figure on a shared
// machine); a run that finds nothing or fails on a file is an error (the
// tree is not what the benchmark meant to measure).
func benchLint(b *testing.B, dir string, files int) {
	benchLintWith(b, dir, files, defaultShares)
}

// benchLintWith is benchLint with the given share settings.
func benchLintWith(b *testing.B, dir string, files int, share shareSettings) {
	b.ResetTimer()
	start, cpu := time.Now(), cpuTime()
	for i := 0; i < b.N; i++ {
		rep, err := Run(Options{Paths: []string{dir}, share: share})
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Findings) == 0 || len(rep.Errors) > 0 {
			b.Fatalf("unexpected result: %d findings, %d errors", len(rep.Findings), len(rep.Errors))
		}
	}
	b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N)/float64(files), "ns/file")
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/float64(files), "cpu-ns/file")
}

// TestGeneratedTree keeps the benchmark's input honest: each layout yields
// the findings it was written to produce.
func TestGeneratedTree(t *testing.T) {
	dir := genTree(t, 3)
	rep, err := Run(Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, f := range rep.Findings {
		got[f.Rule]++
	}
	for _, id := range []string{"missing-client-id", "issuer-mismatch", "tls-verification-disabled", "admin-granted-broadly", "escape-hatch-enabled", "token-validation-disabled"} {
		if got[id] == 0 {
			t.Errorf("no %s finding in the generated tree (got %v)", id, got)
		}
	}
}

// TestGeneratedHelmTree checks that the embedded benchmark tree yields the
// findings of the stand-alone one, rule for rule: the benchmarks compare
// the same work.
func TestGeneratedHelmTree(t *testing.T) {
	count := func(dir string) map[string]int {
		rep, err := Run(Options{Paths: []string{dir}})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Errors) > 0 {
			t.Fatalf("errors: %v", rep.Errors)
		}
		got := map[string]int{}
		for _, f := range rep.Findings {
			got[f.Rule]++
		}
		return got
	}
	plain, helm := count(genTree(t, 30)), count(genHelmTree(t, 30))
	// but for audit-log-missing, which is per controller: the stand-alone
	// files of one directory are one controller (JCasC merges them), whose
	// audit trail any of them may hold; each values file is a controller of
	// its own, and two in three of them have no audit trail
	if want := 20; helm["audit-log-missing"] != want || plain["audit-log-missing"] != 0 {
		t.Errorf("audit-log-missing: %d in the stand-alone tree (want 0), %d in the Helm values (want %d)", plain["audit-log-missing"], helm["audit-log-missing"], want)
	}
	delete(helm, "audit-log-missing")
	if fmt.Sprint(plain) != fmt.Sprint(helm) {
		t.Errorf("findings per rule differ:\nstand-alone %v\nHelm values %v", plain, helm)
	}
}
