package lint

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/settings"
)

// writeTree creates files under a temp dir and returns the dir.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func run(t *testing.T, opts Options) *report.Report {
	t.Helper()
	rep, err := Run(opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func rulesOf(rep *report.Report) string {
	var ids []string
	for _, f := range rep.Findings {
		ids = append(ids, f.Rule)
	}
	return strings.Join(ids, ",")
}

const realmYAML = `jenkins:
  securityRealm:
    oic:
      clientId: "jenkins"
      clientSecret: "Sup3rS3cretValue-EXAMPLE"
      wellKnownOpenIDConfigurationUrl: "https://sso.example.com/.well-known/openid-configuration"
      disableSslVerification: true
`

func TestSuppressions(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"a.yaml": strings.Replace(realmYAML, "disableSslVerification: true",
			"disableSslVerification: true # jenkins-oidc-lint: ignore[tls-verification-disabled] lab controller", 1),
		"b.yaml": strings.Replace(realmYAML, "      disableSslVerification: true",
			"      # jenkins-oidc-lint: ignore[tls-verification-disabled,pkce-disabled] lab\n      disableSslVerification: true", 1),
		"c.yaml": strings.Replace(realmYAML, "      clientId:", "      # jenkins-oidc-lint: ignore[no-such-rule]\n      clientId:", 1),
	})
	rep := run(t, Options{Paths: []string{dir}, Enable: []string{"tls-verification-disabled", "pkce-disabled", "unused-suppression"}})
	var got []string
	for _, f := range rep.Findings {
		got = append(got, filepath.Base(f.Pos.Path)+":"+f.Rule+":"+f.Severity.String())
	}
	want := "b.yaml:unused-suppression:note c.yaml:unused-suppression:warning c.yaml:tls-verification-disabled:error"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
	for _, f := range rep.Findings {
		if filepath.Base(f.Pos.Path) == "c.yaml" && f.Rule == "unused-suppression" && !strings.Contains(f.Message, `unknown rule "no-such-rule"`) {
			t.Errorf("unknown rule message: %s", f.Message)
		}
	}
}

func TestSecretsNeverLeak(t *testing.T) {
	secret := "Sup3rS3cretValue-EXAMPLE"
	dir := writeTree(t, map[string]string{
		"jenkins.yaml": realmYAML + "      escapeHatchSecret: \"" + secret + "\"\n      clientSecret2: x\n",
	})
	rep := run(t, Options{Paths: []string{dir}})
	for p := range rep.Files {
		if data := rep.Text(p); bytes.Contains(data, []byte(secret[:8])) {
			t.Errorf("masked file %s still holds the secret", p)
		}
	}
	for _, f := range rep.Findings {
		if strings.Contains(f.Message, secret[:8]) {
			t.Errorf("finding leaks the secret: %s", f.Message)
		}
	}
}

func TestFingerprintsSurviveMovingLines(t *testing.T) {
	dir := writeTree(t, map[string]string{"j.yaml": realmYAML})
	fp := func(content string) map[string]bool {
		if err := os.WriteFile(filepath.Join(dir, "j.yaml"), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		rep := run(t, Options{Paths: []string{filepath.Join(dir, "j.yaml")}, Root: dir})
		out := map[string]bool{}
		for _, f := range rep.Findings {
			out[f.Rule+":"+f.Fingerprint] = true
		}
		return out
	}
	a, b := fp(realmYAML), fp("# a new comment\n\n"+realmYAML)
	if len(a) == 0 {
		t.Fatal("no findings")
	}
	for k := range a {
		if !b[k] {
			t.Errorf("fingerprint %s changed when lines moved", k)
		}
	}
}

func TestBaseline(t *testing.T) {
	dir := writeTree(t, map[string]string{"j.yaml": realmYAML})
	opts := Options{Paths: []string{dir}}
	rep := run(t, opts)
	var buf bytes.Buffer
	if err := WriteBaseline(&buf, rep); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte("Sup3r")) {
		t.Fatal("baseline holds the secret")
	}
	bp := filepath.Join(dir, "baseline.json")
	if err := os.WriteFile(bp, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	base, err := LoadBaseline(bp)
	if err != nil {
		t.Fatal(err)
	}
	opts.Baseline = base
	if rep := run(t, opts); len(rep.Findings) != 0 {
		t.Errorf("baseline hid nothing: %s", rulesOf(rep))
	}
	// a new problem is still reported
	if err := os.WriteFile(filepath.Join(dir, "j.yaml"), []byte(realmYAML+"      nonceDisabled: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := rulesOf(run(t, opts)); got != "token-validation-disabled" {
		t.Errorf("after a change: %q", got)
	}
	if _, err := LoadBaseline(filepath.Join(dir, "j.yaml")); err == nil {
		t.Error("a YAML file is not a baseline")
	}
}

func TestConfig(t *testing.T) {
	dir := writeTree(t, map[string]string{
		".jenkins-oidc-lint.yaml": "rules:\n  tls-verification-disabled: warning\n  pkce-disabled: off\n  audit-log-missing: off\nexclude:\n  - \"legacy/**\"\nplaceholders: [\"jenkins-client\"]\n",
		"j.yaml":                  strings.Replace(realmYAML, `clientId: "jenkins"`, `clientId: "jenkins-client"`, 1),
		"legacy/old.yaml":         realmYAML,
	})
	cfg, errs := settings.Load(filepath.Join(dir, settings.FileName))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	rep := run(t, Options{Paths: []string{dir}, File: cfg})
	var got []string
	for _, f := range rep.Findings {
		got = append(got, filepath.Base(f.Pos.Path)+":"+f.Rule+":"+f.Severity.String())
	}
	want := "j.yaml:missing-client-id:error j.yaml:tls-verification-disabled:warning"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
	if settings.Find(filepath.Join(dir, "legacy")) != filepath.Join(dir, settings.FileName) {
		t.Error("FindConfig does not search upward")
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		src      string
		line     int
		contains string
	}{
		{"rules:\n  pkce-disabled: loud\n", 2, "`rules.pkce-disabled` must be one of `error`, `warning`, `note` or `off`, or a mapping, not the string \"loud\""},
		{"rules:\n  pkce-disabld: off\n", 2, `unknown rule "pkce-disabld" (did you mean "pkce-disabled"?)`},
		{"exclude: x\n", 1, "exclude"},
		{"fail-on: error\nexlude: [a]\n", 2, "exlude"},
		{"rules:\n  shared-service-account:\n    threshold: 0\n", 3, "threshold"},
		{"rules: [\n", 2, "invalid YAML"},
		// values are not repeated when long or secret-like (a .env given as --config)
		{"placeholders: \"Zq8vN3rT6wY1pL4sKk2Mn\"\n", 1, "`placeholders` must be a list, not the string \"…\""},
		{"GITHUB_TOKEN=ghp_R7tY2uI9oP4aS6dF1gH3jK8lZ5xC0vB2nM4q\n", 1, `the settings must be a mapping, not the string "…"`},
	}
	for _, tt := range tests {
		_, errs := settings.Parse("c.yaml", []byte(tt.src))
		if len(errs) == 0 {
			t.Errorf("%q: want an error", tt.src)
			continue
		}
		if errs[0].Pos.Line != tt.line || !strings.Contains(errs[0].Message, tt.contains) {
			t.Errorf("%q: got %v, want line %d containing %q", tt.src, errs[0], tt.line, tt.contains)
		}
	}
}

func TestFixesKeepTheRestOfTheFile(t *testing.T) {
	src := "jenkins:\n  securityRealm:\n    oic:  # keep me\n      clientId: 'jenkins'   # and me\n      wellKnownOpenIDConfigurationUrl: http://sso.example.com/.well-known/openid-configuration\n      disableSslVerification:   true    # trailing\n"
	dir := writeTree(t, map[string]string{"j.yaml": src})
	rep := run(t, Options{Paths: []string{dir}})
	fixes := Fixes(rep)
	var path string
	for p := range fixes {
		path = p
	}
	got, err := ApplyFixes([]byte(src), fixes[path])
	if err != nil {
		t.Fatal(err)
	}
	want := strings.NewReplacer("http://sso", "https://sso", "disableSslVerification:   true", "disableSslVerification:   false").Replace(src)
	if string(got) != want {
		t.Errorf("fixed file:\n%s\nwant:\n%s", got, want)
	}
	diff := UnifiedDiff("j.yaml", []byte(src), got)
	if !strings.Contains(diff, "@@ -2,5 +2,5 @@") || !strings.Contains(diff, "+      disableSslVerification:   false    # trailing\n") {
		t.Errorf("diff:\n%s", diff)
	}
}

func TestUnknownRuleFlags(t *testing.T) {
	_, err := Run(Options{Paths: []string{t.TempDir()}, Enable: []string{"pkce-disable"}})
	if err == nil || !strings.Contains(err.Error(), `did you mean "pkce-disabled"`) {
		t.Errorf("got %v", err)
	}
}

func TestBadInputs(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"broken.yaml":                 "jenkins:\n  securityRealm: [\n",
		"binary.yaml":                 "jenkins:\x00\x01",
		"latin1.yaml":                 "jenkins:\n  systemMessage: caf\xe9\n",
		"bomb.yaml":                   "jenkins:\n  a: &a [x,x,x,x,x,x,x,x,x,x]\n  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
		"x.openid-configuration.json": "{\"issuer\": \"https://x\",",
		"helm/values.yaml":            "image: {{ .Values.image }}\n",
		"good.yaml":                   realmYAML,
		"big.yaml":                    "jenkins:\n" + strings.Repeat("  # padding\n", 200),
	})
	rep := run(t, Options{Paths: []string{dir}, MaxFileSize: 1000})
	var got []string
	for _, e := range rep.Errors {
		got = append(got, strings.TrimPrefix(e.Pos.Path, filepath.ToSlash(dir)+"/")+":"+itoa(e.Pos.Line)+": "+e.Message)
	}
	want := []string{
		"big.yaml:0: file too large: more than 1000 bytes (--max-file-size)",
		"binary.yaml:1: binary file (NUL byte); not a text file",
		"bomb.yaml:1: invalid YAML: aliases expand to more than 200000 nodes (alias bomb?)",
		"broken.yaml:3: invalid YAML: did not find expected node content",
		"latin1.yaml:2: invalid UTF-8 (byte 0xe9 at offset 29)",
		"x.openid-configuration.json:1: invalid JSON: unexpected end of JSON input (truncated file?)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(rep.Findings) == 0 {
		t.Error("the good file was not checked")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// A file with lone "\r" line endings (old Mac style) gets the same findings,
// spans and fingerprints as with "\n": YAML and the engine count its lines
// alike.
func TestLoneCRLineEndings(t *testing.T) {
	const casc = "jenkins:\n  securityRealm:\n    oic:\n      clientId: \"\"\n      serverConfiguration:\n        wellKnown:\n          wellKnownOpenIDConfigurationUrl: \"http://idp.example.com/.well-known/openid-configuration\"\n"
	var want []report.Finding
	dir := t.TempDir()
	for _, nl := range []string{"\n", "\r", "\r\n"} {
		if err := os.WriteFile(filepath.Join(dir, "jenkins.yaml"), []byte(strings.ReplaceAll(casc, "\n", nl)), 0o644); err != nil {
			t.Fatal(err)
		}
		rep := run(t, Options{Paths: []string{dir}})
		if len(rep.Errors) > 0 || len(rep.Findings) != 3 {
			t.Fatalf("%q: errors %v, %d findings", nl, rep.Errors, len(rep.Findings))
		}
		for i := range rep.Findings {
			rep.Findings[i].Pos.Path, rep.Findings[i].End.Path = "", ""
		}
		if want == nil {
			want = rep.Findings
			if f := want[2]; f.Rule != "insecure-url" || f.Pos.Line != 7 || f.Pos.Col != 44 || f.End.Line != 7 || f.End.Col != 101 {
				t.Fatalf("insecure-url at %v-%v", f.Pos, f.End)
			}
			continue
		}
		for i := range want {
			if g, w := rep.Findings[i], want[i]; g.Pos != w.Pos || g.End != w.End || g.Fingerprint != w.Fingerprint {
				t.Errorf("%q: finding %d at %v-%v (%s), want %v-%v (%s)", nl, i, g.Pos, g.End, g.Fingerprint, w.Pos, w.End, w.Fingerprint)
			}
		}
	}
}

// A secret's bytes never enter its finding's fingerprint (which formats and
// baselines show): the same finding with another password has the same
// fingerprint, so hashing guesses cannot recover a weak one.
func TestFingerprintHoldsNoSecret(t *testing.T) {
	dir := t.TempDir()
	var prints []string
	for _, pw := range []string{"Summer2024!", "Winter2025?x"} {
		src := "pipeline {\n  agent any\n  environment { DB_PASSWORD = '" + pw + "' }\n  stages { stage('a') { steps { sh 'make' } } }\n}\n"
		if err := os.WriteFile(filepath.Join(dir, "Jenkinsfile"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		rep := run(t, Options{Paths: []string{dir}})
		if len(rep.Findings) != 1 || rep.Findings[0].Rule != "committed-secret" {
			t.Fatalf("findings: %v", rep.Findings)
		}
		prints = append(prints, rep.Findings[0].Fingerprint)
	}
	if prints[0] != prints[1] {
		t.Errorf("fingerprints differ with the password: %v", prints)
	}
}

// A file that does not parse is still scanned for secrets (and they are
// masked in its source lines): the broken line is often the one being
// edited.
func TestBrokenFilesStillScanned(t *testing.T) {
	const token = "ghp_R7tY2uI9oP4aS6dF1gH3jK8lZ5xC0vB2nM4q"
	dir := writeTree(t, map[string]string{
		"jenkins.yaml":                  "jenkins:\n  systemMessage: \"hi\n  x: " + token + "\n",
		"idp.openid-configuration.json": "{\"issuer\": \"https://x\", \"token\": \"" + token + "\", ",
		"Jenkinsfile":                   "node { sh 'curl -H \"Authorization: token " + token + "\" https://api.github.com }\n",
	})
	rep := run(t, Options{Paths: []string{dir}})
	if len(rep.Errors) != 3 {
		t.Fatalf("errors: %v", rep.Errors)
	}
	seen := map[string]bool{}
	for _, f := range rep.Findings {
		if f.Rule == "committed-secret" {
			seen[filepath.Base(f.Pos.Path)] = true
		}
		if strings.Contains(string(rep.Text(f.Pos.Path)), "R7tY2uI9") {
			t.Errorf("%s: source not masked", f.Pos.Path)
		}
	}
	if len(seen) != 3 {
		t.Errorf("secrets found in %v, want all three broken files", seen)
	}
}

// The ${NAME} fix of committed-secret is offered only in JCasC, which
// resolves it: in another program's configuration it would break it.
func TestSecretFixOnlyInJCasC(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"app/config.json": "{\"db\": {\"password\": \"Zq8vN3rT6wY1pL4sKk2\"}}\n",
		"jenkins.yaml":    "credentials:\n  system:\n    domainCredentials:\n      - credentials:\n          - usernamePassword:\n              id: db\n              username: u\n              password: \"Zq8vN3rT6wY1pL4sKk2\"\n",
	})
	rep := run(t, Options{Paths: []string{dir}, AllFiles: true})
	if len(rep.Findings) != 2 {
		t.Fatalf("findings: %v", rep.Findings)
	}
	for _, f := range rep.Findings {
		jcasc := filepath.Base(f.Pos.Path) == "jenkins.yaml"
		if (f.Fix != nil) != jcasc || strings.Contains(f.Message, "JCasC") != jcasc {
			t.Errorf("%s: fix %v, message %q", f.Pos.Path, f.Fix, f.Message)
		}
	}
}

// In other programs' configuration, secret-named fields that name a secret,
// hold a word, or hold encrypted data stay quiet; a secret-shaped value is
// still reported (--all-files).
func TestSecretFieldsInOtherConfigs(t *testing.T) {
	dir := writeTree(t, map[string]string{
		".github/workflows/ci.yml": "permissions:\n  id-token: write\njobs:\n  x:\n    secrets:\n      CUE_TEST_TOKEN: inherit\n",
		"helm/values.yaml": "auth:\n  existingSecret: app-db-credentials\n  passwordKey: jenkins-admin-password\n  secretsFilesSecret: jenkins-casc-secrets\n" +
			"db:\n  secret: projects/p/secrets/db/versions/latest\n  password: ENC[AES256_GCM,data:Tr7o=,iv:1=,tag:x==,type:str]\n",
		"k8s/sealed.yaml": "kind: SealedSecret\nspec:\n  encryptedData:\n    password: AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq8Kj2mNpQr5sT7uVwXyZ1a2B3c4D5e6F7g8H9\n",
		"i18n/fr.yaml":    "login:\n  password: Mot de passe\n",
		"app.yaml":        "db:\n  password: \"Zq8vN3rT6wY1pL4sKk2\"\n",
	})
	rep := run(t, Options{Paths: []string{dir}, AllFiles: true})
	if len(rep.Findings) != 1 || filepath.Base(rep.Findings[0].Pos.Path) != "app.yaml" || rep.Findings[0].Pos.Line != 2 {
		t.Errorf("findings: %v", rep.Findings)
	}
}

// Under --all-files, 8-bit text that is not UTF-8 (a Latin-1 .properties
// file) is still scanned for secrets; binary files are skipped.
func TestLatin1FilesScanned(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"app.properties": "app.title=Caf\xe9\ndb.password=Zq8vN3rT6wY1pL4sKk2Mn\n",
		"blob.bin":       "\x00\x01password=Zq8vN3rT6wY1pL4sKk2Mn\n",
	})
	rep := run(t, Options{Paths: []string{dir}, AllFiles: true})
	if len(rep.Errors) != 0 || len(rep.Findings) != 1 || filepath.Base(rep.Findings[0].Pos.Path) != "app.properties" || rep.Findings[0].Pos.Line != 2 {
		t.Errorf("errors %v, findings %v", rep.Errors, rep.Findings)
	}
}

// A Kubernetes Secret's data is base64, not encryption: decoded values that
// are tokens or secret-shaped (under secret-named keys) are reported at the
// encoded value; plain names stay quiet.
func TestKubernetesSecretData(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	dir := writeTree(t, map[string]string{"k8s/secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n" +
		"  GH: " + b64("ghp_R7tY2uI9oP4aS6dF1gH3jK8lZ5xC0vB2nM4q") + "\n" +
		"  password: " + b64("Zq8vN3rT6wY1pL4sKk2Mn") + "\n" +
		"  username: " + b64("admin") + "\n"})
	rep := run(t, Options{Paths: []string{dir}, AllFiles: true})
	var got []string
	for _, f := range rep.Findings {
		got = append(got, fmt.Sprintf("%d:%d %s", f.Pos.Line, f.Pos.Col, f.Message[:strings.Index(f.Message, ",")]))
	}
	want := []string{"6:7 data.GH of a Kubernetes Secret holds GitHub personal access token", "7:13 data.password of a Kubernetes Secret holds a plain-text secret"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
