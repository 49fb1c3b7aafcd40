package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// shapes a planted line must show, by kind (patterns, not tokens).
var shapes = map[string]*regexp.Regexp{
	kGitHub:       regexp.MustCompile(`\bghp_[A-Za-z0-9]{36}\b`),
	kGitLab:       regexp.MustCompile(`\bglpat-[A-Za-z0-9]{20}\b`),
	kSlack:        regexp.MustCompile(`\bxoxb-[1-9][0-9]{11}-[1-9][0-9]{12}-[A-Za-z0-9]{24}\b`),
	kAWSID:        regexp.MustCompile(`\bAKIA[A-Z2-7]{16}\b`),
	kAWSSecret:    regexp.MustCompile(`(?i)aws.?secret.?access.?key|secretKey|SecretAccessKey`),
	kPEM:          regexp.MustCompile(`-----BEGIN (RSA |EC |OPENSSH )?PRIVATE KEY-----`),
	kJWT:          regexp.MustCompile(`\beyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43,}`),
	kPassword:     regexp.MustCompile(`(?i)password\W+[A-Za-z0-9]{16,32}\b`),
	kClientSecret: regexp.MustCompile(`^ +clientSecret: "[A-Za-z0-9]{32,40}"$`),
	kCredPassword: regexp.MustCompile(`^ +password: "[A-Za-z0-9]{16,32}"$`),
}

func small(t *testing.T, seed uint64) []genFile {
	t.Helper()
	fs, err := generate(genOptions{Seed: seed, Files: 120, Bytes: 1_200_000})
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, b, c := small(t, 1), small(t, 1), small(t, 2)
	if len(a) != len(b) {
		t.Fatalf("file counts differ: %d, %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Path != b[i].Path || !bytes.Equal(a[i].Data, b[i].Data) {
			t.Fatalf("same seed, different file %d: %s vs %s", i, a[i].Path, b[i].Path)
		}
	}
	same := 0
	for i := range a {
		if i < len(c) && bytes.Equal(a[i].Data, c[i].Data) {
			same++
		}
	}
	if same == len(a) {
		t.Fatal("seeds 1 and 2 gave the same tree")
	}
}

// Every planted mark is on a line that holds a secret of its kind, and the
// recorded context is that line with the secret replaced by <kind>.
func TestPlantedLinesHoldTheirSecret(t *testing.T) {
	kinds := map[string]int{}
	for _, f := range small(t, 3) {
		lines := strings.Split(string(f.Data), "\n")
		if f.Half == "clean" && len(f.Marks) > 0 {
			t.Errorf("%s: clean file with %d planted secrets", f.Path, len(f.Marks))
		}
		for i, m := range f.Marks {
			kinds[m.Kind]++
			line := lines[m.Line-1]
			if line != f.Values[i] {
				t.Fatalf("%s:%d: line %q, planted %q", f.Path, m.Line, line, f.Values[i])
			}
			re := shapes[m.Kind]
			if re == nil {
				t.Fatalf("%s:%d: unknown kind %q", f.Path, m.Line, m.Kind)
			}
			if !re.MatchString(line) {
				t.Errorf("%s:%d: %s line does not match %s: %q", f.Path, m.Line, m.Kind, re, line)
			}
			if m.Kind != kPEM {
				pre, suf, ok := strings.Cut(m.Context, "<"+m.Kind+">")
				if !ok || !strings.HasPrefix(line, pre) || !strings.HasSuffix(line, suf) {
					t.Errorf("%s:%d: context %q does not frame %q", f.Path, m.Line, m.Context, line)
				}
			}
		}
	}
	if len(kinds) < 9 {
		t.Errorf("only %d kinds planted in the small tree: %v", len(kinds), kinds)
	}
}

// The clean half holds no string of a planted shape, and its structured
// files parse (generate validates; this checks the split of halves).
func TestCleanHalfIsClean(t *testing.T) {
	tokens := []*regexp.Regexp{shapes[kGitHub], shapes[kGitLab], shapes[kSlack], shapes[kJWT],
		regexp.MustCompile(`\bAKIA[A-Z2-7]{16}\b`)}
	clean, planted := 0, 0
	for _, f := range small(t, 4) {
		if f.Half != "clean" {
			planted++
			continue
		}
		clean++
		for _, re := range tokens {
			for _, m := range re.FindAll(f.Data, -1) {
				if !bytes.Contains(m, []byte("EXAMPLE")) && !bytes.Contains(m, []byte("xxxx")) { // bait
					t.Errorf("%s: clean file holds %s-shaped %q", f.Path, re, m)
				}
			}
		}
		if bytes.Contains(f.Data, []byte("PRIVATE KEY-----\n")) && !bytes.Contains(f.Data, []byte("-----BEGIN RSA PRIVATE KEY-----\n                    ...\n")) {
			t.Errorf("%s: clean file holds a private key block", f.Path)
		}
	}
	if clean != 60 || planted != 60 {
		t.Errorf("halves: %d clean, %d planted; want 60 and 60", clean, planted)
	}
}

func TestWriteTreeLists(t *testing.T) {
	dir := t.TempDir()
	fs := small(t, 5)
	total, err := writeTree(dir, fs)
	if err != nil {
		t.Fatal(err)
	}
	if total < 1_000_000 || total > 1_400_000 {
		t.Errorf("total %d bytes, want about 1.2 MB", total)
	}
	rows, err := readTSV(filepath.Join(dir, "planted.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range fs {
		n += len(f.Marks)
	}
	if len(rows) != n {
		t.Fatalf("planted.tsv has %d rows, want %d", len(rows), n)
	}
	data, err := os.ReadFile(filepath.Join(dir, "tree", filepath.FromSlash(rows[0][0])))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, fs[indexOf(fs, rows[0][0])].Data) {
		t.Errorf("%s on disk differs from the generated file", rows[0][0])
	}
}

func indexOf(fs []genFile, path string) int {
	for i, f := range fs {
		if f.Path == path {
			return i
		}
	}
	return -1
}
