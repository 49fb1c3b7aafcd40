package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/policy"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/settings"
)

// Paths in a settings file stay inside the settings file's directory tree,
// symbolic links resolved; anything else is an error at the path's line and
// column that shows the path as written (never where a link leads). The bug:
// `metadata:` and `policies:` read ../outside/cloud-creds.json or
// /etc/shadow and quoted them in findings.
func TestSettingsPathsStayInside(t *testing.T) {
	root := t.TempDir()
	writeIn := func(p, content string) {
		t.Helper()
		p = filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeIn("outside/cloud-creds.json", `{"issuer": "https://x", "jwks_uri": "https://x/k"}`)
	writeIn("repo/idp/kc.json", `{"issuer": "https://x", "jwks_uri": "https://x/k"}`)
	writeIn("repo/policies/p.cue", "package p\n")
	symlinks := true
	for link, target := range map[string]string{
		"repo/idp/out.json":   "../../outside/cloud-creds.json",
		"repo/idp/in.json":    "kc.json",
		"repo/outdir":         "../outside",
		"repo/idp/abs.json":   filepath.Join(root, "repo/idp/kc.json"), // absolute, but inside
		"repo/policies-out":   "../outside",
		"repo/idp/dangling":   "../../outside/nothing-there.json",
		"repo/idp/parent-dir": "..",
	} {
		if err := os.Symlink(target, filepath.Join(root, filepath.FromSlash(link))); err != nil {
			symlinks = false
		}
	}
	for _, tt := range []struct {
		value string
		want  string // "" when accepted
	}{
		{"idp/kc.json", ""},
		{"./idp/../idp/kc.json", ""},
		{"idp/not-yet-there.json", ""},
		{"../outside/cloud-creds.json", "is outside the settings file's directory"},
		{"idp/../../outside/cloud-creds.json", "is outside the settings file's directory"},
		{"..", "is outside the settings file's directory"},
		{"/etc/shadow", "is not a relative path"},
		{filepath.Join(root, "repo/idp/kc.json"), "is not a relative path"},
		{"", "is not a relative path"},
		{"idp/out.json", "leads outside the settings file's directory through a symbolic link"},
		{"outdir/cloud-creds.json", "leads outside the settings file's directory through a symbolic link"},
		{"idp/in.json", ""},
		{"idp/abs.json", ""},
		{"idp/dangling", "cannot be resolved"}, // a link whose target cannot be told is refused
		{"idp/parent-dir/idp/kc.json", ""},
	} {
		if strings.Contains(tt.value, "out.json") || strings.Contains(tt.value, "outdir") || strings.HasPrefix(tt.value, "idp/in") ||
			strings.HasPrefix(tt.value, "idp/abs") || strings.HasPrefix(tt.value, "idp/dangling") || strings.HasPrefix(tt.value, "idp/parent") {
			if !symlinks {
				continue
			}
		}
		for _, key := range []string{"metadata", "policies"} {
			src := "fail-on: error\nmetadata:\n  \"https://x\": \"" + tt.value + "\"\n"
			wantCol := 16
			if key == "policies" {
				src = "fail-on: error\npolicies:\n  - \"" + tt.value + "\"\n"
				wantCol = 5
			}
			path := filepath.Join(root, "repo", settings.FileName)
			cfg, errs := settings.Parse(path, []byte(src))
			if tt.want == "" {
				if len(errs) > 0 {
					t.Errorf("%s %q: %v", key, tt.value, errs)
				}
				continue
			}
			if len(errs) != 1 {
				t.Errorf("%s %q: errors %v", key, tt.value, errs)
				continue
			}
			e := errs[0]
			if e.Pos.Line != 3 || e.Pos.Col != wantCol || !strings.Contains(e.Message, tt.want) ||
				!strings.HasPrefix(e.Message, key+": ") || strings.Contains(e.Message, filepath.Join(root, "outside")) {
				t.Errorf("%s %q: got %v, want line 3, column %d, %q", key, tt.value, e, wantCol, tt.want)
			}
			if cfg != nil && (len(cfg.Metadata) > 0 || len(cfg.Policies) > 0) {
				t.Errorf("%s %q: kept %v %v", key, tt.value, cfg.Metadata, cfg.Policies)
			}
		}
	}
	if symlinks {
		_, errs := settings.Parse(filepath.Join(root, "repo", settings.FileName), []byte("policies: [policies, policies-out]\n"))
		if len(errs) != 1 || errs[0].Pos.Col != 22 || !strings.Contains(errs[0].Message, "--policy") {
			t.Errorf("policies: %v", errs)
		}
	}
}

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
