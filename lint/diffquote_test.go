package lint

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
)

// TestQuoteDiffPath pins git's quoting of file names in a diff's header
// (core.quotePath=true): C-style escapes, other bytes below 0x20, DEL and
// every byte of 0x80 or above in three octal digits, the a/ or b/ prefix
// inside the quotes.
func TestQuoteDiffPath(t *testing.T) {
	for _, tt := range []struct{ name, want string }{
		{"a/casc/jenkins.yaml", "a/casc/jenkins.yaml"},
		{"a/with space.yaml", "a/with space.yaml"},
		{"b/odd'~!#$%&()*+,;=?@[]^`{|}.yaml", "b/odd'~!#$%&()*+,;=?@[]^`{|}.yaml"},
		{"a/t\tb", `"a/t\tb"`},
		{"a/nl\nx::error file=evil.yaml::pwned.yaml", `"a/nl\nx::error file=evil.yaml::pwned.yaml"`},
		{"a/\a\b\t\n\v\f\r", `"a/\a\b\t\n\v\f\r"`},
		{"a/q\"uote", `"a/q\"uote"`},
		{`a/back\slash`, `"a/back\\slash"`},
		{"a/esc\x1b[31mred", `"a/esc\033[31mred"`},
		{"a/nul\x00", `"a/nul\000"`},
		{"a/\x01\x1f", `"a/\001\037"`},
		{"a/del\x7f", `"a/del\177"`},
		{"a/c1\u0085", `"a/c1\302\205"`},
		{"a/raw\x85\xff", `"a/raw\205\377"`},
		{"a/é.yaml", `"a/\303\251.yaml"`},
		{"a/rlo\u202e", `"a/rlo\342\200\256"`},
	} {
		if got := quoteDiffPath(tt.name); got != tt.want {
			t.Errorf("quoteDiffPath(%q) = %s, want %s", tt.name, got, tt.want)
		}
	}
}

// A file name cannot add a line to a diff, nor write a control byte: the
// header lines quote it, the comment lines escape it.
func TestDiffFileNameInjection(t *testing.T) {
	const name = "nl\nx::error file=evil.yaml::pwned\x1b]0;title\x07\r\x9b.yaml"
	noControl := func(t *testing.T, text string) {
		t.Helper()
		for i := 0; i < len(text); i++ {
			if c := text[i]; c < 0x20 && c != '\n' || c == 0x7f || c >= 0x80 {
				t.Errorf("byte %#x at %d in\n%q", c, i, text)
			}
		}
	}
	lines := func(text string) []string { return strings.SplitAfter(strings.TrimSuffix(text, "\n"), "\n") }

	u := UnifiedDiff(name, []byte("a: 1\n"), []byte("a: 2\n"))
	want := []string{
		`--- "a/nl\nx::error file=evil.yaml::pwned\033]0;title\a\r\233.yaml"` + "\n",
		`+++ "b/nl\nx::error file=evil.yaml::pwned\033]0;title\a\r\233.yaml"` + "\n",
		"@@ -1 +1 @@\n",
		"-a: 1\n",
		"+a: 2\n",
	}
	if got := lines(u); len(got) != len(want) {
		t.Errorf("UnifiedDiff: %d lines, want %d:\n%s", len(got), len(want), u)
	} else {
		for i := range want[:2] {
			if got[i] != want[i] {
				t.Errorf("UnifiedDiff line %d: %q, want %q", i+1, got[i], want[i])
			}
		}
	}
	noControl(t, u)

	// a fix shown, a fix of a secret line left out (a comment line), a
	// conflict (a comment line) and a hunk with no context after it (a
	// comment line)
	const sec = "S3cr3t-Value-zq81xKv"
	orig := "a: 1\nb: \"" + sec + "\"\nc: x\n"
	at := func(s string) int { return strings.Index(orig, s) }
	fixes := []report.Fix{
		fx(at("1"), 1, "2"),
		fx(at(sec), len(sec), "${S}"),
		fx(at("c: x")+3, 1, "y\nz::error::injected"),
		fx(at("c: x")+3, 1, "w"),
	}
	d := Diff(name, []byte(mask(orig, sec)), []byte(orig), fixes)
	if len(d.Omitted) != 1 || len(d.Conflicts) != 1 || len(d.Shown) != 1 || !d.UnidiffZero {
		t.Fatalf("omitted %v, conflicts %v, shown %v, unidiff-zero %v:\n%s", d.Omitted, d.Conflicts, d.Shown, d.UnidiffZero, d.Text)
	}
	got := lines(d.Text)
	// 3 comment lines, ---, +++, @@, -a: 1, +a: 2
	if len(got) != 8 {
		t.Fatalf("Diff: %d lines, want 8:\n%s", len(got), d.Text)
	}
	for i, l := range got[:3] {
		if !strings.HasPrefix(l, `# jenkins-oidc-lint: nl\nx::error file=evil.yaml::pwned\x1b]0;title\x07\r\x9b.yaml:`) {
			t.Errorf("comment line %d: %q", i+1, l)
		}
	}
	if !strings.Contains(d.Text, `disagree (w; y\nz::error::injected)`) {
		t.Errorf("the conflict's descriptions are not escaped:\n%s", d.Text)
	}
	if got[3] != want[0] || got[4] != want[1] {
		t.Errorf("Diff header:\n%q\n%q", got[3], got[4])
	}
	noControl(t, d.Text)
}

// git apply reads the quoted names: a diff of a file whose name holds a tab
// or non-ASCII bytes applies to it.
func TestDiffQuotedNameGitApply(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	for _, name := range []string{"t\tab.yaml", "caf\u00e9/jenkins.yaml", "q\"b\\s.yaml"} {
		dir := t.TempDir()
		git := func(stdin string, args ...string) {
			t.Helper()
			cmd := exec.Command("git", args...)
			cmd.Dir = dir
			cmd.Stdin = strings.NewReader(stdin)
			cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%q: git %v: %v\n%s\ndiff:\n%s", name, args, err, out, stdin)
			}
		}
		git("", "init", "-q")
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		old := "jenkins:\n  issuer: http://sso.example.com\n"
		if err := os.WriteFile(p, []byte(old), 0o644); err != nil {
			t.Skipf("cannot make a file named %q here: %v", name, err)
		}
		fixes := []report.Fix{fx(strings.Index(old, "http"), 4, "https")}
		want := strings.Replace(old, "http", "https", 1)
		for _, diff := range []string{UnifiedDiff(name, []byte(old), []byte(want)), Diff(name, []byte(old), []byte(old), fixes).Text} {
			if !strings.HasPrefix(diff, `--- "a/`) {
				t.Errorf("%q: the name is not quoted:\n%s", name, diff)
			}
			git(diff, "apply", "--check", "-")
		}
		git(UnifiedDiff(name, []byte(old), []byte(want)), "apply", "-")
		if got, _ := os.ReadFile(p); string(got) != want {
			t.Errorf("%q: git apply made\n%s\nwant\n%s", name, got, want)
		}
	}
}
