package lint

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
)

func fx(off, n int, repl string) report.Fix {
	return report.Fix{Path: "f", Offset: off, Length: n, Replacement: repl, Description: repl}
}

// TestResolveFixes pins the rule for overlapping fixes: identical edits
// merge, an edit that covers the others wins, edits that only overlap (or
// differ on one span) are a conflict, and disjoint edits inside one scalar
// both apply. The result does not depend on the order of the fixes.
func TestResolveFixes(t *testing.T) {
	const url = `issuer: "http://sso.example.com/"` // the value starts at 9
	v := strings.Index(url, "http")
	n := len("http://sso.example.com/")
	for _, tt := range []struct {
		name      string
		data      string
		fixes     []report.Fix
		want      string
		conflicts int
	}{
		{
			name: "the issuer's full replacement wins over the scheme-only fix of the same span",
			data: url,
			fixes: []report.Fix{
				fx(v, n, "https://sso.example.com/"),      // insecure-url: inserts "s"
				fx(v, n, "https://sso.example.com/realm"), // issuer-mismatch
			},
			want: `issuer: "https://sso.example.com/realm"`,
		},
		{
			name: "a scheme fix and a fix at the URL's end both apply",
			data: url,
			fixes: []report.Fix{
				fx(v, n, "https://sso.example.com/"), // inserts "s" after http
				fx(v, n, "http://sso.example.com"),   // drops the trailing slash
			},
			want: `issuer: "https://sso.example.com"`,
		},
		{
			name:  "identical fixes are applied once",
			data:  "a: true\n",
			fixes: []report.Fix{fx(3, 4, "false"), fx(3, 4, "false"), fx(3, 4, "false")},
			want:  "a: false\n",
		},
		{
			name:      "two different edits of one span: neither",
			data:      "a: true\n",
			fixes:     []report.Fix{fx(3, 4, "TRUE"), fx(3, 4, "YES!")},
			want:      "a: true\n",
			conflicts: 1,
		},
		{
			name:      "crossing spans: neither",
			data:      "0123456789",
			fixes:     []report.Fix{fx(0, 6, "abcdef"), fx(4, 6, "ABCDEF")},
			want:      "0123456789",
			conflicts: 1,
		},
		{
			name:  "a covering span wins over the fix inside it, and an unrelated fix still applies",
			data:  "0123456789",
			fixes: []report.Fix{fx(2, 2, "xx"), fx(0, 6, "abcdef"), fx(8, 1, "Z")},
			want:  "abcdef67Z9",
		},
		{
			name:  "touching spans both apply",
			data:  "0123456789",
			fixes: []report.Fix{fx(0, 5, "aaaaa"), fx(5, 5, "bbbbb")},
			want:  "aaaaabbbbb",
		},
		{
			name:      "two insertions at one place: neither",
			data:      "ab",
			fixes:     []report.Fix{fx(1, 0, "x"), fx(1, 0, "y")},
			want:      "ab",
			conflicts: 1,
		},
		{
			name:  "an edit covers what it replaces whole: the larger edit of one span wins",
			data:  "a: true\n",
			fixes: []report.Fix{fx(3, 4, "false"), fx(3, 4, "no")}, // "tru" → "fals" lies inside "true" → "no"
			want:  "a: no\n",
		},
		{
			name:  "a no-op fix is dropped",
			data:  "a: b\n",
			fixes: []report.Fix{fx(3, 1, "b")},
			want:  "a: b\n",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewSource(1))
			var first Resolution
			for round := 0; round < 10; round++ {
				fixes := append([]report.Fix(nil), tt.fixes...)
				rng.Shuffle(len(fixes), func(i, j int) { fixes[i], fixes[j] = fixes[j], fixes[i] })
				res := ResolveFixes([]byte(tt.data), fixes)
				if got := string(apply([]byte(tt.data), res.Edits)); got != tt.want {
					t.Fatalf("order %v: got %q, want %q", fixes, got, tt.want)
				}
				if len(res.Conflicts) != tt.conflicts {
					t.Fatalf("conflicts %v, want %d", res.Conflicts, tt.conflicts)
				}
				if round == 0 {
					first = res
				} else if fmt.Sprint(res) != fmt.Sprint(first) {
					t.Fatalf("the resolution depends on the order of the fixes:\n%v\n%v", res, first)
				}
			}
		})
	}
}

func TestApplyFixesUnfit(t *testing.T) {
	if _, err := ApplyFixes([]byte("short"), []report.Fix{fx(3, 10, "x")}); err == nil {
		t.Error("a fix beyond the end of the text applied")
	}
}

// fixture writes a file and returns its path and a check against its
// content as written.
func fixture(t *testing.T, content string) (string, func([]byte) bool) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "jenkins.yaml")
	if err := os.WriteFile(p, []byte(content), 0o640); err != nil {
		t.Fatal(err)
	}
	return p, MatchesHash(ContentHash([]byte(content)))
}

const fixMe = "jenkins:\n  securityRealm:\n    oic:\n      disableSslVerification: true  # keep\n"

var fixTrue = fx(strings.Index(fixMe, "true"), 4, "false")

// A file edited after it was linted is refused whole: the bug was fixes
// written at stale offsets ("groupsFieldfalse").
func TestWriteFixesRefusesAChangedFile(t *testing.T) {
	p, unchanged := fixture(t, fixMe)
	edited := "# a comment added by someone else\n" + fixMe
	if err := os.WriteFile(p, []byte(edited), 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteFixes(p, []report.Fix{fixTrue}, unchanged); !errors.Is(err, ErrChanged) {
		t.Fatalf("got %v, want ErrChanged", err)
	}
	if got, _ := os.ReadFile(p); string(got) != edited {
		t.Errorf("the file was written:\n%s", got)
	}
	if _, err := WriteFixes(p, []report.Fix{fixTrue}, nil); err == nil {
		t.Error("a fix without a check was written")
	}
}

func TestWriteFixesKeepsModeAndLeavesNoTemporaryFile(t *testing.T) {
	p, unchanged := fixture(t, fixMe)
	res, err := WriteFixes(p, []report.Fix{fixTrue}, unchanged)
	if err != nil || len(res.Edits) != 1 {
		t.Fatalf("%v %v", res, err)
	}
	got, _ := os.ReadFile(p)
	if want := strings.Replace(fixMe, "true", "false", 1); string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
	st, _ := os.Stat(p)
	if st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", st.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(p))
	if len(entries) != 1 {
		t.Errorf("the directory holds %v", entries)
	}
	// applied again (the check now fails: the content changed)
	if _, err := WriteFixes(p, []report.Fix{fixTrue}, unchanged); !errors.Is(err, ErrChanged) {
		t.Errorf("second write: %v", err)
	}
}

// A symbolic link is not written through: its target may lie outside the
// tree that was linted.
func TestWriteFixesRefusesSymlinks(t *testing.T) {
	target, unchanged := fixture(t, fixMe)
	link := filepath.Join(t.TempDir(), "link.yaml")
	if err := os.Symlink(target, link); err != nil {
		t.Skip(err)
	}
	_, err := WriteFixes(link, []report.Fix{fixTrue}, unchanged)
	if err == nil || !strings.Contains(err.Error(), "symbolic link") || strings.Contains(err.Error(), target) {
		t.Errorf("got %v", err)
	}
	if got, _ := os.ReadFile(target); string(got) != fixMe {
		t.Error("the link's target was written")
	}
	if st, _ := os.Lstat(link); st.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced")
	}
}

// Runs that fix one file at once take turns: one writes, the others find
// the content changed. The bug was every run writing at its stale offsets.
func TestWriteFixesConcurrent(t *testing.T) {
	content := strings.Repeat(fixMe, 50)
	var fixes []report.Fix
	for i := 0; i < 50; i++ {
		fixes = append(fixes, fx(i*len(fixMe)+fixTrue.Offset, 4, "false"))
	}
	p, unchanged := fixture(t, content)
	var wg sync.WaitGroup
	var mu sync.Mutex
	applied, changed := 0, 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := WriteFixes(p, fixes, unchanged)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				applied += len(res.Edits)
			case errors.Is(err, ErrChanged):
				changed++
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if applied != 50 || changed != 7 {
		t.Errorf("applied %d edits, %d runs found the file changed; want 50 and 7", applied, changed)
	}
	if got, _ := os.ReadFile(p); string(got) != strings.ReplaceAll(content, "true", "false") {
		t.Errorf("the file is\n%s", got)
	}
}

func mask(s string, secrets ...string) string {
	for _, sec := range secrets {
		s = strings.ReplaceAll(s, sec, strings.Repeat("*", len(sec)))
	}
	return s
}

// TestDiffNeverShowsSecretLines: context stops before a line that holds a
// secret, a fix of such a line is left out (and named), and the diff
// applies with git apply to the real file, giving what the fixes give
// less the left-out ones.
func TestDiffNeverShowsSecretLines(t *testing.T) {
	const sec = "S3cr3t-Value-zq81xKv"
	lines := []string{
		"jenkins:",
		"  securityRealm:",
		"    oic:",
		"      clientId: 'jenkins'",
		`      clientSecret: "` + sec + `"`,
		"      issuer: http://sso.example.com",
		"      disableSslVerification: true",
		`      escapeHatchSecret: "` + sec + `"`,
		"      pkceEnabled: false",
		"      a: 1",
		"      b: 2",
		"      c: 3",
		"      d: 4",
		"      e: 5",
		"      f: 6",
		"      tokenExpirationCheckDisabled: true",
	}
	orig := strings.Join(lines, "\n") // no final line break
	at := func(s string) int { return strings.Index(orig, s) }
	fixes := []report.Fix{
		fx(at("http"), len("http://sso.example.com"), "https://sso.example.com"),
		fx(at("true"), 4, "false"),
		fx(at(sec), len(sec), "${OIDC_CLIENT_SECRET}"),
		fx(at("false"), 5, "true"),
		fx(strings.LastIndex(orig, "true"), 4, "false"),
	}
	masked := mask(orig, sec)
	for _, original := range [][]byte{[]byte(orig), nil} {
		d := Diff("casc/jenkins.yaml", []byte(masked), original, fixes)
		if strings.Contains(d.Text, sec) || strings.Contains(d.Text, "****") {
			t.Fatalf("the diff shows a secret line:\n%s", d.Text)
		}
		if len(d.Omitted) != 1 || len(d.Shown) != 4 || !d.UnidiffZero {
			t.Fatalf("omitted %v, shown %v, unidiff-zero %v:\n%s", d.Omitted, d.Shown, d.UnidiffZero, d.Text)
		}
		for _, want := range []string{
			"# jenkins-oidc-lint: casc/jenkins.yaml:5:22: fix not shown (${OIDC_CLIENT_SECRET})",
			"apply with `git apply --unidiff-zero`",
			"@@ -6,2 +6,2 @@\n-      issuer: http://sso.example.com\n-      disableSslVerification: true\n+      issuer: https://sso.example.com\n+      disableSslVerification: false\n@@ -9,8 +9,8 @@\n",
		} {
			if !strings.Contains(d.Text, want) {
				t.Errorf("the diff lacks %q:\n%s", want, d.Text)
			}
		}
		want := apply([]byte(orig), d.Shown)
		gitApply(t, "casc/jenkins.yaml", orig, d.Text, string(want))
	}
}

// gitApply applies diff to a file holding old with git apply (with
// --unidiff-zero when the diff says so) and compares the result with want.
func gitApply(t *testing.T, path, old, diff, want string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"apply"}
	if strings.Contains(diff, "--unidiff-zero") {
		args = append(args, "--unidiff-zero")
	}
	cmd := exec.Command("git", append(args, "-")...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(diff)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git apply: %v\n%s\ndiff:\n%s", err, out, diff)
	}
	got, _ := os.ReadFile(p)
	if string(got) != want {
		t.Fatalf("git apply made\n%s\nwant\n%s", got, want)
	}
}

// Diffs of generated files and fixes apply with git apply and give what the
// fixes give, for any placement of secrets, fixes and line ends.
func TestDiffAppliesWithGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	rng := rand.New(rand.NewSource(7))
	for round := 0; round < 60; round++ {
		var b strings.Builder
		nl := []string{"\n", "\r\n"}[rng.Intn(2)]
		var secrets []string
		type want struct{ off, n int }
		var spots []want
		lines := 1 + rng.Intn(25)
		for i := 0; i < lines; i++ {
			switch rng.Intn(4) {
			case 0:
				s := fmt.Sprintf("Zq8vN3rT6w%06d", rng.Intn(1000000))
				secrets = append(secrets, s)
				fmt.Fprintf(&b, "password: %s", s)
			case 1:
				fmt.Fprintf(&b, "flag%d: ", i)
				spots = append(spots, want{b.Len(), 4})
				b.WriteString("true")
			default:
				fmt.Fprintf(&b, "line%d: x", i)
			}
			if i < lines-1 || rng.Intn(2) == 0 {
				b.WriteString(nl)
			}
		}
		orig := b.String()
		var fixes []report.Fix
		for _, s := range spots {
			if rng.Intn(3) > 0 {
				fixes = append(fixes, fx(s.off, s.n, "false"))
			}
		}
		for _, s := range secrets {
			if rng.Intn(2) == 0 {
				fixes = append(fixes, fx(strings.Index(orig, s), len(s), "${PASSWORD}"))
			}
		}
		d := Diff("a.yaml", []byte(mask(orig, secrets...)), []byte(orig), fixes)
		for _, s := range secrets {
			if strings.Contains(d.Text, s) {
				t.Fatalf("secret in the diff:\n%s", d.Text)
			}
		}
		if len(d.Shown) == 0 {
			continue
		}
		t.Run(fmt.Sprint(round), func(t *testing.T) {
			gitApply(t, "a.yaml", orig, d.Text, string(apply([]byte(orig), d.Shown)))
		})
	}
}

func TestContentHash(t *testing.T) {
	a, b := ContentHash([]byte("a")), ContentHash([]byte("b"))
	if a == b || !strings.HasPrefix(a, "sha256:") || len(a) != len("sha256:")+64 {
		t.Errorf("%s %s", a, b)
	}
	if !MatchesHash(a)([]byte("a")) || MatchesHash(a)([]byte("b")) || MatchesHash("") != nil {
		t.Error("MatchesHash")
	}
	if !sameUnmasked([]byte("a: ***"), []byte("a: xyz")) || sameUnmasked([]byte("a: ***"), []byte("b: xyz")) ||
		sameUnmasked([]byte("a: ***"), []byte("a: xyzw")) {
		t.Error("sameUnmasked")
	}
	if !bytes.Equal(apply([]byte("abc"), nil), []byte("abc")) {
		t.Error("apply")
	}
}

// FixAll goes on while a fix makes another fix visible: the well-known URL
// given its suffix pairs with the provider's metadata, whose issuer then
// differs in host case and path. One --fix does what two did before.
func TestFixAllRounds(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"jenkins.yaml":                  "jenkins:\n  securityRealm:\n    oic:\n      clientId: jenkins\n      wellKnownOpenIDConfigurationUrl: http://sso.eXAmple.Com  # keep\n",
		"sso.openid-configuration.json": fuzzMetadata,
	})
	res, err := FixAll(Options{Paths: []string{dir}, Jobs: 1, NoSources: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rounds != 2 || res.Pending || len(res.Refused) > 0 || len(res.Conflicts) > 0 {
		t.Errorf("%+v", res)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "jenkins.yaml"))
	if want := "jenkins:\n  securityRealm:\n    oic:\n      clientId: jenkins\n      wellKnownOpenIDConfigurationUrl: https://sso.example.com/realms/ci/.well-known/openid-configuration  # keep\n"; string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	for p, data := range res.Report.Files {
		if data != nil {
			t.Errorf("NoSources, but the report holds the text of %s", p)
		}
	}
	again, err := FixAll(Options{Paths: []string{dir}, Jobs: 1})
	if err != nil || again.Applied != 0 || again.Rounds != 0 {
		t.Errorf("a second FixAll: %+v %v", again, err)
	}
}
