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

// A path the settings name that exists but does not resolve (a link to a
// pipe, a dangling link out of the tree) is refused at its settings line:
// reading it would follow the link where the containment check could not.
func TestInsideUnresolvable(t *testing.T) {
	root := t.TempDir()
	repo := filepath.Join(root, "repo")
	if err := os.MkdirAll(filepath.Join(repo, "idp"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(repo, "idp", "kc.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
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
	const refused = "cannot be resolved|leads outside"
	for _, tt := range []struct {
		link, target string // a symbolic link to make in repo ("" for none)
		linuxOnly    bool
		value        string
		want         string // "" when accepted; else alternatives split by "|"
	}{
		{value: "idp/kc.json"},
		{value: "idp/not-yet-there.json"},
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
		{link: "outdir", target: filepath.Join(root, "outside", "no-dir-yet"), value: "outdir/creds.json", want: "cannot be resolved"},
		{link: "idp/outdir-rel", target: "../../outside/no-dir-yet", value: "idp/outdir-rel/sub/creds.json", want: "cannot be resolved"},
		{link: "indir", target: "idp", value: "indir/not-yet-there.json"},
	} {
		if tt.linuxOnly && runtime.GOOS != "linux" {
			continue
		}
		if tt.link != "" {
			if err := os.Symlink(tt.target, filepath.Join(repo, filepath.FromSlash(tt.link))); err != nil {
				t.Logf("no symbolic links: %v", err)
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
				!containsAny(e.Message, tt.want) || strings.Contains(e.Message, tt.target) {
				t.Errorf("%s %q: got %v, want line 3, column %d, %q", key, tt.value, e, wantCol, tt.want)
			}
			if cfg != nil && (len(cfg.Metadata) > 0 || len(cfg.Policies) > 0) {
				t.Errorf("%s %q: kept %v %v", key, tt.value, cfg.Metadata, cfg.Policies)
			}
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
