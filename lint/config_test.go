package lint

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/policy"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/settings"
)

// FindConfig answers in the form it was asked: relative for ".", so the
// settings' paths, and every message that names them, are relative too.
func TestFindConfigRelative(t *testing.T) {
	dir := writeTree(t, map[string]string{
		settings.FileName:        "metadata:\n  \"https://sso.example.com/realms/jenkins\": \"idp/kc.json\"\n",
		"idp/kc.json":            `{"issuer": "https://sso.example.com/realms/jenkins", "jwks_uri": "https://sso.example.com/k"}`,
		"sub/casc/jenkins.yaml":  strings.Replace(realmYAML, `wellKnownOpenIDConfigurationUrl: "https://sso.example.com/.well-known/openid-configuration"`, `serverConfiguration: {manual: {issuer: "https://sso.example.com/realms/jenkins/"}}`, 1),
		"sub/other/notes.md":     "",
		"sub/other/.placeholder": "",
	})
	t.Chdir(filepath.Join(dir, "sub"))
	if got, want := settings.Find("."), filepath.Join("..", settings.FileName); got != want {
		t.Errorf("settings.Find(\".\") = %q, want %q", got, want)
	}
	if got, want := settings.Find("other"), filepath.Join("other", "..", "..", settings.FileName); filepath.Clean(got) != filepath.Clean(want) {
		t.Errorf("settings.Find(\"other\") = %q, want %q", got, want)
	}
	if got := settings.Find(filepath.Join(dir, "sub")); got != filepath.Join(dir, settings.FileName) {
		t.Errorf("settings.Find(absolute) = %q", got)
	}
	cfg, errs := settings.Load(settings.Find("."))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	rep := run(t, Options{Paths: []string{"."}, File: cfg})
	found := false
	for _, f := range rep.Findings {
		for _, s := range append([]string{f.Message, f.Pos.Path}, relatedText(f)...) {
			if strings.Contains(s, dir) {
				t.Errorf("an absolute path in %q", s)
			}
		}
		found = found || f.Rule == "issuer-mismatch" && strings.Contains(f.Message, "../idp/kc.json")
	}
	if !found {
		t.Errorf("the pinned metadata was not used: %v", rulesOf(rep))
	}
}

func relatedText(f report.Finding) []string {
	var out []string
	for _, r := range f.Related {
		out = append(out, r.Message, r.Pos.Path)
	}
	return out
}

// The settings may lower the policies' budget, never raise it above the
// command line's; bad values are errors at their place.
func TestSettingsPolicyBudget(t *testing.T) {
	cfg, errs := settings.Parse("c.yaml", []byte("policy-timeout: 500ms\npolicy-memory: 256MiB\n"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	b := cfg.LimitBudget(policy.DefaultBudget)
	if b.Time != 500*time.Millisecond || b.Memory != 256<<20 {
		t.Errorf("lowered: %+v", b)
	}
	cfg, errs = settings.Parse("c.yaml", []byte("policy-timeout: 1h\npolicy-memory: 64GiB\n"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if b := cfg.LimitBudget(policy.DefaultBudget); b != policy.DefaultBudget {
		t.Errorf("raised: %+v", b)
	}
	if b := (*settings.Config)(nil).LimitBudget(policy.DefaultBudget); b != policy.DefaultBudget {
		t.Errorf("no settings: %+v", b)
	}
	_, errs = settings.Parse("c.yaml", []byte("fail-on: error\npolicy-timeout: forever\npolicy-memory: -1\n"))
	if len(errs) != 2 || errs[0].Pos.Line != 2 || errs[0].Pos.Col != 17 || !strings.Contains(errs[0].Message, `policy-timeout: "forever" is not a duration`) ||
		errs[1].Pos.Line != 3 || !strings.Contains(errs[1].Message, `policy-memory: "-1" is not a size`) {
		t.Errorf("errors %v", errs)
	}
}
