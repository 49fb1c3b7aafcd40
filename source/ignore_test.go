package source

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// Cases from git's t/t3070-wildmatch.sh (the "pathmatch" column: wildmatch
// with WM_PATHNAME, as gitignore uses it), and a few of our own.
func TestWildmatch(t *testing.T) {
	for _, tt := range []struct {
		pattern, text string
		want          bool
	}{
		{"foo", "foo", true}, {"bar", "foo", false}, {"", "", true},
		{"???", "foo", true}, {"??", "foo", false}, {"*", "foo", true}, {"f*", "foo", true},
		{"*f", "foo", false}, {"*foo*", "foo", true}, {"*ob*a*r*", "foobar", true},
		{"*ab", "aaaaaaabababab", true}, {"foo\\*", "foo*", true}, {"foo\\*bar", "foobar", false},
		{"f\\\\oo", "f\\oo", true}, {"*[al]?", "ball", true}, {"[ten]", "ten", false},
		{"**[!te]", "ten", true}, {"**[!ten]", "ten", false}, {"t[a-g]n", "ten", true},
		{"t[!a-g]n", "ten", false}, {"t[!a-g]n", "ton", true}, {"t[^a-g]n", "ton", true},
		{"a[]]b", "a]b", true}, {"a[]-]b", "a-b", true}, {"a[]-]b", "a]b", true},
		{"a[]-]b", "aab", false}, {"a[]a-]b", "aab", true}, {"]", "]", true},
		{"foo*bar", "foo/baz/bar", false}, {"foo**bar", "foo/baz/bar", false},
		{"foo**bar", "foobazbar", true}, {"foo/**/bar", "foo/baz/bar", true},
		{"foo/**/**/bar", "foo/baz/bar", true}, {"foo/**/bar", "foo/b/a/z/bar", true},
		{"foo/**/bar", "foo/bar", true}, {"foo/**/**/bar", "foo/bar", true},
		{"foo?bar", "foo/bar", false}, {"foo[/]bar", "foo/bar", false},
		{"foo[^a-z]bar", "foo/bar", false}, {"f[^eiu][^eiu][^eiu][^eiu][^eiu]r", "f/somewhere/r", false},
		{"**/foo", "foo", true}, {"**/foo", "XXX/foo", true}, {"**/foo", "bar/baz/foo", true},
		{"*/foo", "bar/baz/foo", false}, {"**/bar*", "foo/bar/baz", false},
		{"**/bar/*", "deep/foo/bar/baz", true}, {"**/bar/*", "deep/foo/bar/baz/", false},
		{"**/bar/**", "deep/foo/bar/baz/", true}, {"**/bar/*", "deep/foo/bar", false},
		{"**/bar/**", "deep/foo/bar/", true}, {"**/bar**", "foo/bar/baz", false},
		{"*/bar/**", "foo/bar/baz/x", true}, {"*/bar/**", "deep/foo/bar/baz/x", false},
		{"**/bar/*/*", "deep/foo/bar/baz/x", true}, {"a/**", "a/b/c", true}, {"a/**", "a", false},
		{"[[:alpha:]][[:digit:]][[:upper:]]", "a1B", true}, {"[[:digit:][:upper:][:space:]]", "a", false},
		{"[[:digit:][:upper:][:space:]]", "A", true}, {"[[:digit:][:upper:][:space:]]", " ", true},
		{"[[:digit:][:punct:][:space:]]", ".", true}, {"[[:xdigit:]]", "5", true}, {"[[:xdigit:]]", "g", false},
		{"[a-c[:digit:]x-z]", "5", true}, {"[a-c[:digit:]x-z]", "q", false}, {"[[:nope:]]", "a", false},
		{"[\\-_]", "-", true}, {"[\\]]", "]", true}, {"[!]-]", "]", false}, {"[!]-]", "a", true},
		{"[\\\\-^]", "]", true}, {"[\\\\-^]", "[", false}, {"[[]", "[", true}, {"[", "[", false},
		{"[a-", "a-", false}, {"\\", "\\", false}, {"*/\\", "XXX/\\", false},
		{"*/\\\\", "XXX/\\", true}, {"-*-*-*-*-*-*-12-*-*-*-m-*-*-*", "-adobe-courier-bold-o-normal--12-120-75-75-m-70-iso8859-1", true},
		{"-*-*-*-*-*-*-12-*-*-*-m-*-*-*", "-adobe-courier-bold-o-normal--12-120-75-75-X-70-iso8859-1", false},
		{"XXX/*/*/*/*/*/*/12/*/*/*/m/*/*/*", "XXX/adobe/courier/bold/o/normal//12/120/75/75/m/70/iso8859/1", true},
		{"**/*a*b*g*n*t", "abcd/abcdefg/abcdefghijk/abcdefghijklmnop.txtz", false},
		{"*.[oa]", "m.o", true}, {"caf?.yaml", "caf\xe9.yaml", true}, {"*\xe9*", "caf\xe9", true},
	} {
		if got := wildmatch(tt.pattern, tt.text); got != tt.want {
			t.Errorf("wildmatch(%q, %q) = %v, want %v", tt.pattern, tt.text, got, tt.want)
		}
	}
}

// A long run of stars against a long name fails in linear steps, not
// exponential ones (git's abort rules).
func TestWildmatchBounded(t *testing.T) {
	pat := strings.Repeat("*a", 30) + "b"
	text := strings.Repeat("a", 5000)
	if wildmatch(pat, text) {
		t.Fatal("matched")
	}
}

func TestParseIgnoreLine(t *testing.T) {
	for _, tt := range []struct {
		line string
		want ignorePattern
		ok   bool
	}{
		{"", ignorePattern{}, false},
		{"# comment", ignorePattern{}, false},
		{"   ", ignorePattern{}, false},
		{"!", ignorePattern{}, false},
		{"\\#x", ignorePattern{pattern: "\\#x"}, true},
		{"\\!x", ignorePattern{pattern: "\\!x"}, true},
		{"!x", ignorePattern{pattern: "x", negate: true}, true},
		{"x/", ignorePattern{pattern: "x", dirOnly: true}, true},
		{"/x", ignorePattern{pattern: "x", anchored: true}, true},
		{"a/b", ignorePattern{pattern: "a/b", anchored: true}, true},
		{"a/b/", ignorePattern{pattern: "a/b", anchored: true, dirOnly: true}, true},
		{"a//", ignorePattern{pattern: "a/", anchored: true, dirOnly: true}, true},
		{"x  ", ignorePattern{pattern: "x"}, true},
		{"x\\ ", ignorePattern{pattern: "x\\ "}, true},
		{"x\\  ", ignorePattern{pattern: "x\\ "}, true},
		{"x \\", ignorePattern{pattern: "x \\"}, true},
		{"x\t", ignorePattern{pattern: "x\t"}, true},
	} {
		got, ok := parseIgnoreLine(tt.line)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("parseIgnoreLine(%q) = %+v, %v; want %+v, %v", tt.line, got, ok, tt.want, tt.ok)
		}
	}
}

func TestConfigValue(t *testing.T) {
	for _, tt := range []struct {
		config, want string
		ok           bool
	}{
		{"[core]\n\texcludesFile = ~/.gitignore_global\n", "~/.gitignore_global", true},
		{"[Core]\nEXCLUDESFILE=/a/b # comment\n", "/a/b", true},
		{"[core]\nexcludesfile = \"/a b;c\" ; comment\n", "/a b;c", true},
		{"[core]\nexcludesfile = /first\n[user]\nname = x\n[core]\nexcludesfile = /second\n", "/second", true},
		{"[core \"sub\"]\nexcludesfile = /no\n", "", false},
		{"[user]\nexcludesfile = /no\n", "", false},
		{"[core] excludesfile = /inline\n", "/inline", true},
		{"[core]\nexcludesfile = /a\\\n/b\n", "/a/b", true},
	} {
		got, ok := configValue([]byte(tt.config), "core", "excludesfile")
		if got != tt.want || ok != tt.ok {
			t.Errorf("%q: got %q, %v; want %q, %v", tt.config, got, ok, tt.want, tt.ok)
		}
	}
}

// The global excludes file is core.excludesFile of ~/.gitconfig over the
// XDG config's, and $XDG_CONFIG_HOME/git/ignore by default.
func TestGlobalExcludesFile(t *testing.T) {
	home := t.TempDir()
	xdg := filepath.Join(home, "xdg")
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", xdg)
	t.Setenv("GIT_CONFIG_GLOBAL", "")
	os.Unsetenv("GIT_CONFIG_GLOBAL")
	if got, want := globalExcludesFile(), filepath.Join(xdg, "git", "ignore"); got != want {
		t.Errorf("default: %q, want %q", got, want)
	}
	writeFile(t, filepath.Join(xdg, "git", "config"), "[core]\n\texcludesFile = /from/xdg\n")
	if got := globalExcludesFile(); got != "/from/xdg" {
		t.Errorf("XDG config: %q", got)
	}
	writeFile(t, filepath.Join(home, ".gitconfig"), "[core]\n\texcludesFile = ~/global\n")
	if got, want := globalExcludesFile(), filepath.Join(home, "global"); got != want {
		t.Errorf("~/.gitconfig: %q, want %q", got, want)
	}
	writeFile(t, filepath.Join(home, "other.gitconfig"), "[core]\n\texcludesFile = /from/env\n")
	t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(home, "other.gitconfig"))
	if got := globalExcludesFile(); got != "/from/env" {
		t.Errorf("$GIT_CONFIG_GLOBAL: %q", got)
	}
	t.Setenv("GIT_CONFIG_GLOBAL", "")
	if got, want := globalExcludesFile(), filepath.Join(xdg, "git", "ignore"); got != want {
		t.Errorf("empty $GIT_CONFIG_GLOBAL: %q, want %q", got, want)
	}
}

func writeFile(t *testing.T, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// trickyTree writes testdata/ignore/tricky.txtar into a new git work tree
// with an info/exclude, a global excludes file (through ~/.gitconfig, with
// HOME and XDG_CONFIG_HOME set for both git and the walk), a tracked file
// and a symlink. It returns the tree's root.
func trickyTree(t *testing.T, git string) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", "")
	os.Unsetenv("GIT_CONFIG_GLOBAL") // restored by t.Setenv's cleanup
	writeFile(t, filepath.Join(home, ".gitconfig"), "[core]\n\texcludesfile = ~/global-ignore\n")
	writeFile(t, filepath.Join(home, "global-ignore"), "global-excluded.yaml\nglobal-kept.yaml\ninfo-kept.yaml\n")
	root := filepath.Join(t.TempDir(), "repo")
	ar, err := txtar.ParseFile("testdata/ignore/tricky.txtar")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ar.Files {
		name := f.Name
		if strings.HasPrefix(name, `"`) {
			if name, err = strconv.Unquote(name); err != nil {
				t.Fatal(err)
			}
		}
		writeFile(t, filepath.Join(root, filepath.FromSlash(name)), string(f.Data))
	}
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(git, append([]string{"-c", "core.fsmonitor=false"}, args...)...)
		cmd.Dir = root
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git %v: %v", args, err)
		}
		return string(out)
	}
	run("init", "-q")
	writeFile(t, filepath.Join(root, ".git", "info", "exclude"), "info-excluded.yaml\ninfo-kept.yaml\n")
	run("add", "tracked.yaml")
	if err := os.Symlink("Jenkinsfile", filepath.Join(root, "link.Jenkinsfile")); err != nil {
		t.Fatal(err)
	}
	return root
}

// gitFiles lists what git shows in dir: tracked and untracked files that
// no ignore file excludes, relative to dir, symlinks left out (a walk does
// not follow them).
func gitFiles(t *testing.T, git, dir string) []string {
	t.Helper()
	cmd := exec.Command(git, "-c", "core.fsmonitor=false", "-c", "core.quotePath=false",
		"ls-files", "-z", "--others", "--cached", "--exclude-standard")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	var files []string
	for _, f := range strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00") {
		if st, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(f))); err == nil && st.Mode()&os.ModeSymlink != 0 {
			continue
		}
		files = append(files, f)
	}
	sort.Strings(files)
	return files
}

// walkFiles lists what WalkWith keeps of dir with AllFiles, relative to dir.
func walkFiles(t *testing.T, dir string, opts WalkOptions) []string {
	t.Helper()
	opts.AllFiles = true
	cands, errs := WalkWith([]string{dir}, opts)
	if len(errs) > 0 {
		t.Fatalf("walk errors: %v", errs)
	}
	var files []string
	for _, c := range cands {
		rel, err := filepath.Rel(dir, c.OSPath)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, filepath.ToSlash(rel))
	}
	sort.Strings(files)
	return files
}

// The walk skips exactly what git skips, from the top of the work tree and
// from a directory below it (whose parents' .gitignore files apply).
func TestIgnoreMatchesGit(t *testing.T) {
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("no git")
	}
	root := trickyTree(t, git)
	for _, dir := range []string{".", "sub", "sub/deeper", "deep"} {
		d := filepath.Join(root, filepath.FromSlash(dir))
		want := gitFiles(t, git, d)
		got := walkFiles(t, d, WalkOptions{})
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: walk differs from git ls-files:\n%s", dir, diffLists(got, want))
		}
	}
	// The tree is tricky: git does skip a good part of it.
	all := walkFiles(t, root, WalkOptions{NoIgnore: true})
	if kept := walkFiles(t, root, WalkOptions{}); len(kept) > len(all)*2/3 || len(kept) < 10 {
		t.Errorf("kept %d of %d files", len(kept), len(all))
	}
}

// diffLists shows the names only one of two sorted lists has.
func diffLists(got, want []string) string {
	in := map[string]int{}
	for _, g := range got {
		in[g] |= 1
	}
	for _, w := range want {
		in[w] |= 2
	}
	var b bytes.Buffer
	var names []string
	for n := range in {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		switch in[n] {
		case 1:
			b.WriteString("  walk only: " + strconv.Quote(n) + "\n")
		case 2:
			b.WriteString("  git only:  " + strconv.Quote(n) + "\n")
		}
	}
	return b.String()
}

// benchTree writes a work tree of 10,000 files in 500 directories, with a
// .gitignore at the top and in every tenth directory.
func benchTree(b *testing.B) string {
	root := b.TempDir()
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, ".git", "info"), 0o755))
	must(os.WriteFile(filepath.Join(root, ".gitignore"), []byte("*.log\nbuild/\n/dist\n**/tmp/*.yaml\n!keep.log\n"), 0o644))
	for d := 0; d < 500; d++ {
		dir := filepath.Join(root, fmt.Sprintf("m%02d", d/25), fmt.Sprintf("d%03d", d))
		if d%50 == 7 {
			dir = filepath.Join(root, fmt.Sprintf("m%02d", d/25), "build", fmt.Sprintf("d%03d", d))
		}
		must(os.MkdirAll(dir, 0o755))
		if d%10 == 0 {
			must(os.WriteFile(filepath.Join(dir, ".gitignore"), []byte("*.bak\n!important.bak\n[0-9]*.yaml\n"), 0o644))
		}
		for f := 0; f < 20; f++ {
			name := fmt.Sprintf("f%02d.%s", f, []string{"yaml", "log", "bak", "json", "txt"}[f%5])
			must(os.WriteFile(filepath.Join(dir, name), []byte("x: 1\n"), 0o644))
		}
	}
	return root
}

// BenchmarkWalkIgnore walks 10,000 files with and without ignore files.
func BenchmarkWalkIgnore(b *testing.B) {
	root := benchTree(b)
	for _, noIgnore := range []bool{false, true} {
		b.Run(fmt.Sprintf("NoIgnore=%v", noIgnore), func(b *testing.B) {
			for b.Loop() {
				if _, errs := WalkWith([]string{root}, WalkOptions{AllFiles: true, NoIgnore: noIgnore}); len(errs) > 0 {
					b.Fatal(errs)
				}
			}
		})
	}
}

// FuzzWildmatch: no panic on any pattern, and a pattern that escapes every
// byte of a name matches that name and no other.
func FuzzWildmatch(f *testing.F) {
	f.Add("a/**/b", "a/x/y/b")
	f.Add("[[:alpha:]-z]*", "q")
	f.Add("\\", "\\")
	f.Fuzz(func(t *testing.T, pattern, text string) {
		wildmatch(pattern, text)
		var lit strings.Builder
		for i := 0; i < len(text); i++ {
			lit.WriteByte('\\')
			lit.WriteByte(text[i])
		}
		if !wildmatch(lit.String(), text) {
			t.Errorf("escaped %q does not match itself", text)
		}
		if wildmatch(lit.String(), text+"x") {
			t.Errorf("escaped %q matches more", text)
		}
	})
}
