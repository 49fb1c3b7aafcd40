package lint

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// everyday is the regression corpus of files that hold no secret: plugin
// lists, a Dockerfile, Helm values with the official chart's commented-out
// secret hints, manifests, scripts, properties, password hashes, lock and
// checksum files, a Jenkinsfile (see its README.md).
const everyday = "../testdata/corpus/everyday"

// secretRules are the rules that judge secrets.
var secretRules = []string{"committed-secret", "secret-interpolation", "secret-exposed-in-log"}

// TestEverydayFilesAreQuiet: no finding of the secret rules and no error on
// the everyday corpus, with and without --all-files.
func TestEverydayFilesAreQuiet(t *testing.T) {
	for _, all := range []bool{false, true} {
		t.Run(fmt.Sprintf("all-files=%v", all), func(t *testing.T) {
			rep := run(t, Options{Paths: []string{everyday}, AllFiles: all, Enable: secretRules, Jobs: 2})
			for _, f := range rep.Findings {
				t.Errorf("%s:%d:%d: %s: %s [%s]", f.Pos.Path, f.Pos.Line, f.Pos.Col, f.Severity, f.Message, f.Rule)
			}
			for _, e := range rep.Errors {
				t.Errorf("error: %s: %s", e.Pos.Path, e.Message)
			}
		})
	}
}

// TestEverydayFilesAreScanned keeps the quiet test honest: every file of
// the corpus, given one more line that assigns a random secret, is
// reported under --all-files (so each one is read and scanned, and a file
// kind the walk skips would show here).
func TestEverydayFilesAreScanned(t *testing.T) {
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	r := rand.New(rand.NewPCG(5, 11))
	secret := make([]byte, 24)
	for {
		for i := range secret {
			secret[i] = alnum[r.IntN(len(alnum))]
		}
		if strings.ContainsAny(string(secret), "0123456789") && strings.ToLower(string(secret)) != string(secret) {
			break
		}
	}
	dir := t.TempDir()
	var files []string
	err := filepath.WalkDir(everyday, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(everyday, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if len(data) == 0 || data[len(data)-1] != '\n' {
			t.Errorf("%s: empty, or no final line break", rel)
		}
		planted := append(data, "api_token="+string(secret)+"\n"...)
		out := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		files = append(files, filepath.ToSlash(rel))
		return os.WriteFile(out, planted, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 20 {
		t.Fatalf("the corpus has %d files: moved?", len(files))
	}
	rep := run(t, Options{Paths: []string{dir}, AllFiles: true, Enable: []string{"committed-secret"}, Jobs: 2})
	found := map[string]bool{}
	for _, f := range rep.Findings {
		rel, _ := filepath.Rel(dir, filepath.FromSlash(f.Pos.Path))
		found[filepath.ToSlash(rel)] = true
	}
	sort.Strings(files)
	for _, f := range files {
		if !found[f] {
			t.Errorf("%s: a planted secret is not reported: is the file scanned?", f)
		}
	}
}
