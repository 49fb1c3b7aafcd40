package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadTiming(t *testing.T) {
	tests := []struct {
		name, text string
		want       timing
	}{
		{"gnu time", "\tCommand being timed: \"x\"\n\tUser time (seconds): 67.48\n\tSystem time (seconds): 0.73\n" +
			"\tElapsed (wall clock) time (h:mm:ss or m:ss): 0:35.44\n\tMaximum resident set size (kbytes): 89740\n",
			timing{Wall: 35.44, CPU: 68.21, RSSKiB: 89740}},
		{"hours", "\tElapsed (wall clock) time (h:mm:ss or m:ss): 1:02:03\n\tMaximum resident set size (kbytes): 1\n",
			timing{Wall: 3723, RSSKiB: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "t.txt")
			if err := os.WriteFile(p, []byte(tt.text), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := readTiming(p)
			if err != nil {
				t.Fatal(err)
			}
			if d := got.Wall - tt.want.Wall; d > 1e-9 || d < -1e-9 || got.RSSKiB != tt.want.RSSKiB || got.CPU-tt.want.CPU > 1e-9 || tt.want.CPU-got.CPU > 1e-9 {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	p := filepath.Join(t.TempDir(), "bad.txt")
	if err := os.WriteFile(p, []byte("nothing\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readTiming(p); err == nil {
		t.Error("no error for a file without measurements")
	}
}

// A tiny benchmark directory: two planted secrets, one bait line; ours finds
// one secret and reports a note on the clean half; gitleaks finds both and
// one false positive.
func TestScore(t *testing.T) {
	dir := t.TempDir()
	tree := filepath.Join(dir, "tree")
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("files.tsv", "file\thalf\ttype\tbytes\np/a.sh\tplanted\tshell\t1000000\nc/b.yaml\tclean\tjcasc\t1000000\n")
	write("planted.tsv", "file\tline\tkind\tcontext\np/a.sh\t3\tgithub-pat\tT=<github-pat>\np/a.sh\t7\tjwt\tJ=<jwt>\n")
	write("bait.tsv", "file\tline\tcategory\tcontext\nc/b.yaml\t2\tjenkins-encrypted\tpassword: \"{AQAAABAAAAAQ…}\"\n")
	write("tree/c/b.yaml", "a: 1\npassword: x\nkey: value\n")
	for i, wall := range []string{"0:02.00", "0:01.00", "0:03.00"} {
		n := string(rune('1' + i))
		write("results/ours-"+n+".json", `{"findings":[
 {"rule":"committed-secret","severity":"error","path":"`+tree+`/p/a.sh","line":3,"message":"GitHub token (ghp_…) committed"},
 {"rule":"committed-secret","severity":"note","path":"`+tree+`/c/b.yaml","line":2,"message":"password holds a Jenkins-encrypted secret"},
 {"rule":"insecure-url","severity":"error","path":"`+tree+`/c/b.yaml","line":1,"message":"not a secret"}],"errors":[]}`)
		write("results/gitleaks-"+n+".json", `[{"RuleID":"github-pat","File":"`+tree+`/p/a.sh","StartLine":3},
 {"RuleID":"jwt","File":"`+tree+`/p/a.sh","StartLine":7},
 {"RuleID":"generic-api-key","File":"`+tree+`/c/b.yaml","StartLine":3}]`)
		write("results/time-ours-"+n+".txt", "Elapsed (wall clock) time (h:mm:ss or m:ss): "+wall+"\nMaximum resident set size (kbytes): 102400\n")
		write("results/time-gitleaks-"+n+".txt", "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:10.00\nMaximum resident set size (kbytes): 51200\n")
	}
	var out strings.Builder
	if err := score(scoreOptions{Dir: dir, Tree: tree, Runs: 3, Cores: "2", Gitleaks: "v8", MaxExample: 2}, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"Tree: 2 files, 2.0 MB (1 with 2 planted secrets, 1 clean with 1 bait lines); 2 cores; 3 runs each",
		"recall on planted secrets                        1/2 (50.0%)           2/2 (100.0%)",
		"false positives, clean half (findings / lines)   0 / 0                 1 / 1",
		"notes (Jenkins-encrypted), clean / planted half  1 / 0                 -",
		"median wall time                                 2.00 s                10.00 s",
		"peak RSS (max of runs)                           100 MiB               50 MiB",
		"speed ratio                                      5.00x",
		"Targets: 100% recall: NOT met; no false positives on the clean half: met; at least 2x gitleaks' speed: met (5.00x); peak memory under 200 MB: met (105 MB)",
		"  jwt                               1  0                  1",
		"  [jwt, 1 missed] p/a.sh:7  J=<jwt>",
		"  [(not bait) | generic-api-key: 1] c/b.yaml:3  key: value",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}
