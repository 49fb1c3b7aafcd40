package settings

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestGlob(t *testing.T) {
	for _, tt := range []struct {
		pat, path string
		want      bool
	}{
		{"legacy/**", "legacy/a/b.yaml", true},
		{"legacy/**", "src/legacy/b.yaml", false},
		{"**/old-*.yaml", "a/b/old-x.yaml", true},
		{"vendor", "x/vendor/y.yaml", true},
		{"*.json", "a/b.json", true},
		{"a/*.yaml", "a/b/c.yaml", false},
	} {
		if got := globMatch(tt.pat, tt.path); got != tt.want {
			t.Errorf("globMatch(%q, %q) = %v", tt.pat, tt.path, got)
		}
	}
}

// Paths in a settings file stay inside the settings file's directory tree,
// symbolic links resolved; anything else is an error at the path's line and
// column that shows the path as written (never where a link leads). The bug:
// `metadata:` and `policies:` read ../outside/cloud-creds.json or
// /etc/shadow and quoted them in findings. A path that exists but does not
// resolve (a link to a pipe, a dangling link out of the tree, a path under
// one) is refused too: reading it would follow the link where the check
// could not.
func TestSettingsPathsStayInside(t *testing.T) {
	root := t.TempDir()
	repo := filepath.Join(root, "repo")
	for p, content := range map[string]string{
		"outside/cloud-creds.json": `{"issuer": "https://x", "jwks_uri": "https://x/k"}`,
		"repo/idp/kc.json":         `{"issuer": "https://x", "jwks_uri": "https://x/k"}`,
		"repo/policies/p.cue":      "package p\n",
	} {
		p = filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// a link to a pipe (what /proc/self/fd/0 is when the linter's input
	// is piped): EvalSymlinks finds "pipe:[…]", which does not exist
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	defer pw.Close()
	pipe := fmt.Sprintf("/proc/self/fd/%d", pr.Fd())
	const (
		refused   = "cannot be resolved|leads outside"
		outside   = "is outside the settings file's directory"
		relative  = "is not a relative path"
		throughLn = "leads outside the settings file's directory through a symbolic link"
	)
	symlinks := true
	for _, tt := range []struct {
		link, target string // a symbolic link to make in repo ("" for none)
		linuxOnly    bool
		value        string
		want         string // "" when accepted; else alternatives split by "|"
	}{
		{value: "idp/kc.json"},
		{value: "./idp/../idp/kc.json"},
		{value: "idp/not-yet-there.json"},
		{value: "../outside/cloud-creds.json", want: outside},
		{value: "idp/../../outside/cloud-creds.json", want: outside},
		{value: "..", want: outside},
		{value: "/etc/shadow", want: relative},
		{value: filepath.Join(repo, "idp/kc.json"), want: relative},
		{value: "", want: relative},
		{link: "idp/out.json", target: "../../outside/cloud-creds.json", value: "idp/out.json", want: throughLn},
		{link: "outdir", target: "../outside", value: "outdir/cloud-creds.json", want: throughLn},
		// a file not there (yet) under a link out: refused as well, and the
		// error does not tell whether it exists out there
		{value: "outdir/missing.json", want: throughLn},
		{value: "outdir/sub/missing.json", want: throughLn},
		{link: "idp/in.json", target: "kc.json", value: "idp/in.json"},
		{link: "idp/abs.json", target: filepath.Join(repo, "idp/kc.json"), value: "idp/abs.json"}, // absolute, but inside
		{link: "idp/parent-dir", target: "..", value: "idp/parent-dir/idp/kc.json"},
		// standard input may be a pipe, a terminal or /dev/null: refused
		// whichever it is
		{link: "stdinlink", target: "/proc/self/fd/0", linuxOnly: true, value: "stdinlink", want: refused},
		{link: "outlink", target: "/proc/self/fd/1", linuxOnly: true, value: "outlink", want: refused},
		{link: "pipelink", target: pipe, linuxOnly: true, value: "pipelink", want: "cannot be resolved"},
		{link: "dangling", target: filepath.Join(root, "outside", "nothing-there.json"), value: "dangling", want: "cannot be resolved"},
		{link: "idp/dangling-rel", target: "../../outside/nothing-there.json", value: "idp/dangling-rel", want: "cannot be resolved"},
		{link: "in", target: "idp/kc.json", value: "in"},
		// a file under a dangling link to a directory: it does not exist
		// now, but would be read where the link leads once it did
		{link: "danglingdir", target: filepath.Join(root, "outside", "no-dir-yet"), value: "danglingdir/creds.json", want: "cannot be resolved"},
		{link: "idp/danglingdir-rel", target: "../../outside/no-dir-yet", value: "idp/danglingdir-rel/sub/creds.json", want: "cannot be resolved"},
		{link: "indir", target: "idp", value: "indir/not-yet-there.json"},
	} {
		if tt.linuxOnly && runtime.GOOS != "linux" {
			continue
		}
		if tt.link != "" {
			if err := os.Symlink(tt.target, filepath.Join(repo, filepath.FromSlash(tt.link))); err != nil {
				t.Logf("no symbolic links: %v", err)
				symlinks = false
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
			cfg, errs := Parse(filepath.Join(repo, FileName), []byte(src))
			if tt.want == "" {
				if len(errs) > 0 {
					t.Errorf("%s %q: %v", key, tt.value, errs)
				}
				continue
			}
			if len(errs) != 1 {
				t.Errorf("%s %q: errors %v, want one", key, tt.value, errs)
				continue
			}
			e := errs[0]
			if e.Pos.Line != 3 || e.Pos.Col != wantCol || !strings.HasPrefix(e.Message, key+": ") ||
				!containsAny(e.Message, tt.want) || strings.Contains(e.Message, filepath.Join(root, "outside")) ||
				tt.target != "" && strings.Contains(e.Message, tt.target) {
				t.Errorf("%s %q: got %v, want line 3, column %d, %q", key, tt.value, e, wantCol, tt.want)
			}
			if cfg != nil && (len(cfg.Metadata) > 0 || len(cfg.Policies) > 0) {
				t.Errorf("%s %q: kept %v %v", key, tt.value, cfg.Metadata, cfg.Policies)
			}
		}
	}
	if symlinks {
		if err := os.Symlink("../outside", filepath.Join(repo, "policies-out")); err != nil {
			t.Fatal(err)
		}
		_, errs := Parse(filepath.Join(repo, FileName), []byte("policies: [policies, policies-out]\n"))
		if len(errs) != 1 || errs[0].Pos.Col != 22 || !strings.Contains(errs[0].Message, "--policy") {
			t.Errorf("policies: %v", errs)
		}
	}
}

// containsAny reports whether s holds one of the "|"-separated alternatives.
func containsAny(s, alternatives string) bool {
	for _, a := range strings.Split(alternatives, "|") {
		if strings.Contains(s, a) {
			return true
		}
	}
	return false
}
