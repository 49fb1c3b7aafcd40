package cli

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/rulecase"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/lint"
)

// fixtureTrees returns the file trees the test suite lints: each rule case
// (testdata/rules/<id>/<case>.txtar), each example, and the files of each CLI script (as the
// script starts), by name.
func fixtureTrees(t *testing.T) map[string]map[string][]byte {
	t.Helper()
	trees := map[string]map[string][]byte{}
	readTree := func(name, dir string) {
		files := map[string][]byte{}
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			data, err := os.ReadFile(p)
			files[filepath.ToSlash(rel)] = data
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		trees[name] = files
	}
	tmp := t.TempDir()
	cases, err := rulecase.Materialize("../../../testdata/rules", tmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		rel, _ := filepath.Rel(tmp, c)
		readTree("rules/"+filepath.ToSlash(rel), c)
	}
	examples, _ := filepath.Glob("../../../testdata/examples/*")
	for _, e := range examples {
		if st, err := os.Stat(e); err == nil && st.IsDir() {
			readTree(strings.TrimPrefix(filepath.ToSlash(e), "../../../testdata/"), e)
		}
	}
	scripts, _ := filepath.Glob("../../../testdata/script/*.txtar")
	for _, s := range scripts {
		a, err := txtar.ParseFile(s)
		if err != nil {
			t.Fatal(err)
		}
		files := map[string][]byte{}
		for _, f := range a.Files {
			files[f.Name] = f.Data
		}
		trees["script/"+filepath.Base(s)] = files
	}
	if len(trees) < 100 {
		t.Fatalf("only %d fixture trees", len(trees))
	}
	return trees
}

func writeFiles(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// snapshot reads every file under dir (.git left out).
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return fs.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// runIn runs the command with args in dir and returns its exit code,
// standard output and standard error.
func runIn(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	code := run(args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

var appliedRE = regexp.MustCompile(`applied (\d+) fix(es)?\n`)

func applied(t *testing.T, stderr string) int {
	t.Helper()
	m := appliedRE.FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no 'applied N fixes' in:\n%s", stderr)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// --fix twice is --fix once, on every fixture tree: the second run applies
// no fix and changes no byte, and no temporary file is left behind.
func TestFixTwiceIsFixOnce(t *testing.T) {
	total := 0
	for name, files := range fixtureTrees(t) {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, files)
			_, _, stderr := runIn(t, dir, "--no-config", "--fix", ".")
			if strings.Contains(stderr, "--fix:") {
				t.Fatalf("first run:\n%s", stderr)
			}
			total += applied(t, stderr)
			once := snapshot(t, dir)
			_, _, stderr = runIn(t, dir, "--no-config", "--fix", ".")
			if n := applied(t, stderr); n != 0 {
				t.Errorf("the second run applied %d fixes:\n%s", n, stderr)
			}
			twice := snapshot(t, dir)
			for p, data := range once {
				if twice[p] != data {
					t.Errorf("%s changed in the second run:\n%s\nthen\n%s", p, data, twice[p])
				}
				if strings.HasSuffix(p, ".tmp") {
					t.Errorf("temporary file left: %s", p)
				}
			}
		})
	}
	if total < 20 {
		t.Errorf("the fixtures got only %d fixes: the test tests little", total)
	}
}

// notShownRE matches the comment line of a fix --diff leaves out.
var notShownRE = regexp.MustCompile(`(?m)^# jenkins-oidc-lint: (.+):(\d+):\d+: fix not shown`)

// Every --diff of every fixture tree applies with git apply (with
// --unidiff-zero where the diff says so) in a git repository, and gives
// what --fix writes, but for the fixes the diff names as not shown (they
// rewrite a secret's line), whose lines alone differ.
func TestDiffAppliesAndEqualsFix(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	diffs := 0
	for name, files := range fixtureTrees(t) {
		t.Run(name, func(t *testing.T) {
			viaDiff, viaFix := t.TempDir(), t.TempDir()
			writeFiles(t, viaDiff, files)
			writeFiles(t, viaFix, files)
			_, diff, stderr := runIn(t, viaDiff, "--no-config", "--diff", ".")
			if strings.Contains(stderr, "--diff:") {
				t.Fatalf("--diff:\n%s", stderr)
			}
			runIn(t, viaFix, "--no-config", "--fix", ".")
			if !strings.HasPrefix(diff, "--- a/") && !strings.Contains(diff, "\n--- a/") {
				return // no hunk (perhaps comment lines about fixes not shown)
			}
			diffs++
			git := func(stdin string, args ...string) {
				t.Helper()
				cmd := exec.Command("git", args...)
				cmd.Dir = viaDiff
				cmd.Stdin = strings.NewReader(stdin)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("git %v: %v\n%s\ndiff:\n%s", args, err, out, diff)
				}
			}
			git("", "init", "-q")
			args := []string{"apply"}
			if strings.Contains(diff, "--unidiff-zero") {
				args = append(args, "--unidiff-zero")
			}
			git(diff, append(args, "-")...)
			notShown := map[string]map[int]bool{}
			for _, m := range notShownRE.FindAllStringSubmatch(diff, -1) {
				line, _ := strconv.Atoi(m[2])
				if notShown[m[1]] == nil {
					notShown[m[1]] = map[int]bool{}
				}
				notShown[m[1]][line] = true
			}
			got, want := snapshot(t, viaDiff), snapshot(t, viaFix)
			for p, w := range want {
				if got[p] == w {
					continue
				}
				gl, wl := strings.Split(got[p], "\n"), strings.Split(w, "\n")
				if len(gl) != len(wl) {
					t.Errorf("%s: git apply gives\n%s\n--fix writes\n%s", p, got[p], w)
					continue
				}
				for i := range gl {
					if gl[i] != wl[i] && !notShown[p][i+1] {
						t.Errorf("%s:%d: git apply gives %q, --fix writes %q", p, i+1, gl[i], wl[i])
					}
				}
			}
		})
	}
	if diffs < 20 {
		t.Errorf("only %d fixture trees have a diff: the test tests little", diffs)
	}
}

// A file edited between the lint and the fix is refused and left as the
// editor left it; the other files are still fixed. The bug: fixes written at
// stale offsets ("groupsFieldfalse: \"groups\"", the plain password still
// there).
func TestFixRefusesAFileChangedSinceItWasLinted(t *testing.T) {
	dir := t.TempDir()
	realm := "jenkins:\n  securityRealm:\n    oic:\n      clientId: jenkins\n      clientSecret: \"Zq8vN3rT6wY1pL4sKk2Mn\"\n      groupsFieldName: \"groups\"\n      disableSslVerification: true\n"
	writeFiles(t, dir, map[string][]byte{"a/jenkins.yaml": []byte(realm), "b/jenkins.yaml": []byte(realm)})
	t.Chdir(dir)
	rep, err := lint.Run(lint.Options{Paths: []string{"."}, Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	edited := "# moved down by an editor\n" + strings.Replace(realm, "groupsFieldName: \"groups\"\n", "", 1)
	if err := os.WriteFile("a/jenkins.yaml", []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	n, err := applyFixesTo(rep, &stderr)
	if err == nil || err.Error() != "a/jenkins.yaml: "+lint.ErrChanged.Error() {
		t.Errorf("error %v", err)
	}
	if got, _ := os.ReadFile("a/jenkins.yaml"); string(got) != edited {
		t.Errorf("the edited file was written:\n%s", got)
	}
	fixed, _ := os.ReadFile("b/jenkins.yaml")
	if n != 2 || strings.Contains(string(fixed), "Zq8vN3rT6wY1pL4sKk2Mn") || !strings.Contains(string(fixed), "disableSslVerification: false") {
		t.Errorf("applied %d; b/jenkins.yaml:\n%s", n, fixed)
	}
}

// Runs of --fix on one tree at once fix it once: each file is fixed by one
// run, the others find it changed (or, linting after it, nothing to fix),
// and the tree ends as one run alone leaves it. The bug: each run wrote at
// its own stale offsets and two printed "applied 188 fixes".
func TestConcurrentFixRuns(t *testing.T) {
	var files = map[string][]byte{}
	for i := 0; i < 20; i++ {
		files["casc/"+strconv.Itoa(i)+".yaml"] = []byte("jenkins:\n  securityRealm:\n    oic:\n      clientId: jenkins\n      clientSecret: \"Zq8vN3rT6wY1pL4sKk2M" + strconv.Itoa(i) + "\"\n      groupsFieldName: \"groups\"\n      wellKnownOpenIDConfigurationUrl: http://sso.example.com/.well-known/openid-configuration\n      disableSslVerification: true\n      escapeHatchEnabled: true\n")
	}
	once := t.TempDir()
	writeFiles(t, once, files)
	_, _, stderr := runIn(t, once, "--no-config", "--fix", ".")
	want := applied(t, stderr)
	dir := t.TempDir()
	writeFiles(t, dir, files)
	t.Chdir(dir)
	var wg sync.WaitGroup
	outs := make([]string, 4)
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var stdout, stderr bytes.Buffer
			run([]string{"--no-config", "--fix", dir}, strings.NewReader(""), &stdout, &stderr)
			outs[i] = stderr.String()
		}()
	}
	wg.Wait()
	// (main.go prints "applied N" only when no file was refused; with
	// refusals each run names the files it left alone)
	sum := 0
	for _, o := range outs {
		if m := appliedRE.FindStringSubmatch(o); m != nil {
			n, _ := strconv.Atoi(m[1])
			sum += n
		}
	}
	if sum > want {
		t.Errorf("the runs applied %d fixes in all, one run alone %d:\n%s", sum, want, strings.Join(outs, "\n"))
	}
	a, b := snapshot(t, once), snapshot(t, dir)
	var names []string
	for p := range a {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		if a[p] != b[p] {
			t.Errorf("%s after concurrent runs:\n%s\nafter one run:\n%s", p, b[p], a[p])
		}
	}
	if len(b) != len(a) {
		t.Errorf("files after concurrent runs: %v", b)
	}
}

// runFix (what --fix runs once main calls it) fixes in rounds until nothing
// is left, names each refused file on a line of its own, and leaves the
// report of what remains.
func TestRunFix(t *testing.T) {
	dir := t.TempDir()
	realm := "jenkins:\n  securityRealm:\n    oic:\n      clientId: jenkins\n      wellKnownOpenIDConfigurationUrl: http://sso.eXAmple.Com\n      disableSslVerification: true\n      escapeHatchEnabled: true\n"
	meta := `{"issuer": "https://sso.example.com/realms/ci", "jwks_uri": "https://sso.example.com/realms/ci/certs", "authorization_endpoint": "https://sso.example.com/realms/ci/auth", "response_types_supported": ["code"], "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"]}`
	writeFiles(t, dir, map[string][]byte{"a/jenkins.yaml": []byte(realm), "a/sso.openid-configuration.json": []byte(meta), "b/real.yaml": []byte(realm)})
	t.Chdir(dir)
	if err := os.Symlink("../b/real.yaml", "a/link.yaml"); err != nil {
		t.Skip(err)
	}
	var stderr bytes.Buffer
	rep, trouble, err := runFix(lint.Options{Paths: []string{"a", "a/link.yaml"}, Jobs: 2}, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	want := "jenkins-oidc-lint: --fix: a/link.yaml: a symbolic link: --fix does not write through links; run it on the file the link points to\n" +
		"jenkins-oidc-lint: applied 5 fixes\n" // 4, then the issuer the fixed well-known URL pairs with
	if stderr.String() != want || !trouble {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr.String(), want)
	}
	got, _ := os.ReadFile("a/jenkins.yaml")
	if !strings.Contains(string(got), "wellKnownOpenIDConfigurationUrl: https://sso.example.com/realms/ci/.well-known/openid-configuration\n") {
		t.Errorf("a/jenkins.yaml:\n%s", got)
	}
	for _, f := range rep.Findings {
		if f.Fix != nil && f.Pos.Path == "a/jenkins.yaml" {
			t.Errorf("a fix is left: %v", f)
		}
	}
}
