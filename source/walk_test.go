package source

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
)

// Read holds a regular file in a buffer of exactly its size (the engine
// keeps many files at once), and refuses one over the limit.
func TestReadExactSize(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "jenkins.yaml")
	data := strings.Repeat("jenkins:\n  systemMessage: x\n", 1000)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	f, ferr := Read(Candidate{Path: "jenkins.yaml", OSPath: p}, 1<<20)
	if ferr != nil {
		t.Fatal(ferr.Message)
	}
	if string(f.Data) != data || cap(f.Data) != len(data) {
		t.Errorf("read %d bytes (cap %d), want %d", len(f.Data), cap(f.Data), len(data))
	}
	if _, ferr := Read(Candidate{Path: "jenkins.yaml", OSPath: p}, 100); ferr == nil || !strings.Contains(ferr.Message, "more than 100 bytes") {
		t.Errorf("over the limit: %v", ferr)
	}
	if _, err := ReadLimited(strings.NewReader(data), 100); !errors.Is(err, ErrTooLarge) {
		t.Errorf("ReadLimited over the limit: %v", err)
	}
}

func TestKindByNameTable(t *testing.T) {
	for _, tt := range []struct {
		name string
		want Kind
	}{
		{"Jenkinsfile", Jenkinsfile}, {"ci/Jenkinsfile.release", Jenkinsfile}, {"Jenkinsfile_k8s", Jenkinsfile},
		{"Jenkinsfile-deploy", Jenkinsfile}, {"JenkinsfileProd", Jenkinsfile}, {"Jenkinsfile.groovy", Jenkinsfile},
		{"build.jenkinsfile", Jenkinsfile}, {"x/Deploy.Jenkinsfile", Jenkinsfile}, {"lib/vars/deploy.groovy", Jenkinsfile},
		{"Jenkinsfile.md", Unknown}, {"Jenkinsfile.yaml", Unknown}, {"Jenkinsfile.j2", Unknown}, {"Jenkinsfile.tpl", Unknown},
		{"jenkinsfile", Unknown}, {"Jenkinsfile~", Unknown}, {"Jenkinsfile.orig", Unknown}, {"Dockerfile.bak", Unknown}, {"src/Foo.groovy", Unknown}, {"vars/deploy.txt", Unknown},
		{"openid-configuration", Discovery}, {".well-known/openid-configuration.json", Discovery},
		{"okta.openid-configuration.json", Discovery}, {"openid-configuration.json.j2", Unknown},
		{"plugins.txt", PluginList}, {"casc/plugins-base.txt", PluginList}, {"plugins_extra.txt", PluginList},
		{"Plugins.TXT", PluginList}, {"plugins.yaml", PluginList}, {"plugins.yml", PluginList},
		{"plugins.txt.j2", Unknown}, {"myplugins.txt", Unknown}, {"plugins.json", Unknown},
		{"Dockerfile", Dockerfile}, {"Dockerfile.controller", Dockerfile}, {"jenkins.Dockerfile", Dockerfile},
		{"app.dockerfile", Dockerfile}, {"Containerfile", Dockerfile}, {"Containerfile.agent", Dockerfile},
		{"Dockerfile.j2", Unknown}, {"Dockerfile.md", Unknown}, {"Dockerfile.gotmpl", Unknown}, {".dockerignore", Unknown},
		{"jenkins.yaml", Unknown}, {"values.yaml.tpl", Unknown}, {"casc.ftl", Unknown},
	} {
		if got := KindByName(tt.name); got != tt.want {
			t.Errorf("KindByName(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// mkTree writes files (name → content; content "->target" makes a
// symlink, "/" a directory) under a new directory and returns it.
func mkTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		switch {
		case data == "/":
			err = os.MkdirAll(p, 0o755)
		case strings.HasPrefix(data, "->"):
			err = os.Symlink(data[2:], p)
		default:
			err = os.WriteFile(p, []byte(data), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// listing shows candidates as "path:hint" (+"+json", +"!" when explicit),
// relative to dir.
func listing(dir string, cands []Candidate) string {
	var names []string
	for _, c := range cands {
		s := strings.TrimPrefix(c.Path, filepath.ToSlash(dir)+"/") + ":" + c.Hint.String()
		if c.JSON {
			s += "+json"
		}
		if c.Explicit {
			s += "!"
		}
		names = append(names, s)
	}
	return strings.Join(names, " ")
}

func fakeLooks(prefix []byte) bool { return strings.Contains(string(prefix), "pipeline {") }

// A walk keeps the files whose names (and, for *.groovy and files without
// extension, first bytes) may be ours, and nothing else.
func TestWalkNames(t *testing.T) {
	dir := mkTree(t, map[string]string{
		"Jenkinsfile_k8s":                  "node {}",
		"ci/Jenkinsfile-deploy":            "node {}",
		"ci/Jenkinsfile.release":           "node {}",
		"ci/Jenkinsfile.md":                "# docs",
		"ci/Jenkinsfile.j2":                "{{ x }}",
		"build.jenkinsfile":                "node {}",
		"pipelines/deploy.groovy":          "pipeline {\n}\n",
		"src/org/acme/Util.groovy":         "class Util {}\n",
		"vars/step.groovy":                 "def call() {}\n",
		"metadata/issuer":                  "  {\n  \"issuer\": \"https://idp\"\n}",
		"metadata/notes":                   "issuer: x",
		"metadata/other":                   "{\"name\": 1}",
		"metadata/late":                    "{" + strings.Repeat(" ", 5000) + "\"issuer\": 1}",
		"metadata/empty":                   "",
		".well-known/openid-configuration": "{}",
		"plugins.txt":                      "oic-auth:4.0\n",
		"casc/plugins-base.txt":            "x:1\n",
		"casc/plugins.yaml":                "plugins: []\n",
		"Dockerfile":                       "FROM jenkins/jenkins\n",
		"docker/Dockerfile.controller":     "FROM x\n",
		"docker/agent.Dockerfile":          "FROM x\n",
		"Containerfile":                    "FROM x\n",
		"jenkins.yaml":                     "jenkins: {}\n",
		"chart/templates/cm.yaml":          "kind: ConfigMap\n",
		"chart/templates/_helpers.tpl":     "{{ define }}",
		"ansible/jenkins.yaml.j2":          "jenkins: {{ x }}\n",
		"casc.yaml.ftl":                    "jenkins:\n",
		"values.gotmpl":                    "x: 1\n",
		"README.md":                        "# x",
	})
	cands, errs := WalkWith([]string{dir}, WalkOptions{Pipeline: fakeLooks})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := ".well-known/openid-configuration:discovery Containerfile:dockerfile Dockerfile:dockerfile " +
		"Jenkinsfile_k8s:jenkinsfile build.jenkinsfile:jenkinsfile casc/plugins-base.txt:plugin-list " +
		"casc/plugins.yaml:plugin-list chart/templates/cm.yaml:unknown ci/Jenkinsfile-deploy:jenkinsfile " +
		"ci/Jenkinsfile.release:jenkinsfile docker/Dockerfile.controller:dockerfile docker/agent.Dockerfile:dockerfile " +
		"jenkins.yaml:unknown metadata/issuer:unknown+json pipelines/deploy.groovy:jenkinsfile " +
		"plugins.txt:plugin-list vars/step.groovy:jenkinsfile"
	if got := listing(dir, cands); got != want {
		t.Errorf("walk:\n got %s\nwant %s", got, want)
	}

	// Without a pipeline sniffer no *.groovy outside vars/ is a pipeline;
	// with AllFiles every file is kept, templates included.
	cands, _ = WalkWith([]string{filepath.Join(dir, "pipelines"), filepath.Join(dir, "chart")}, WalkOptions{AllFiles: true})
	want = "chart/templates/_helpers.tpl:unknown chart/templates/cm.yaml:unknown pipelines/deploy.groovy:unknown"
	if got := listing(dir, cands); got != want {
		t.Errorf("all files:\n got %s\nwant %s", got, want)
	}

	// Named files: always candidates, *.groovy sniffed too.
	cands, _ = WalkWith([]string{filepath.Join(dir, "pipelines/deploy.groovy"), filepath.Join(dir, "src/org/acme/Util.groovy"),
		filepath.Join(dir, "ci/Jenkinsfile.j2"), filepath.Join(dir, "metadata/issuer")}, WalkOptions{Pipeline: fakeLooks})
	want = "ci/Jenkinsfile.j2:unknown! metadata/issuer:unknown+json! pipelines/deploy.groovy:jenkinsfile! src/org/acme/Util.groovy:unknown!"
	if got := listing(dir, cands); got != want {
		t.Errorf("named:\n got %s\nwant %s", got, want)
	}
}

// Sniffing reads a bounded prefix: a *.groovy file whose pipeline starts
// after the first 64 KiB is not one, and the sniffer never sees more.
func TestWalkSniffBounded(t *testing.T) {
	dir := mkTree(t, map[string]string{
		"late.groovy": strings.Repeat("// filler\n", 7000) + "pipeline {\n}\n",
	})
	var longest int
	_, _ = WalkWith([]string{dir}, WalkOptions{Pipeline: func(p []byte) bool {
		longest = max(longest, len(p))
		return fakeLooks(p)
	}})
	if longest != sniffPipeline {
		t.Errorf("sniffer saw %d bytes, want %d", longest, sniffPipeline)
	}
}

// A file both walked and named is one candidate, explicit (so settings'
// excludes and ignore files do not drop it).
func TestWalkNamedAndWalked(t *testing.T) {
	dir := mkTree(t, map[string]string{"jenkins.yaml": "jenkins: {}\n"})
	cands, _ := WalkWith([]string{dir, filepath.Join(dir, "jenkins.yaml"), dir + "/./jenkins.yaml"}, WalkOptions{})
	if got := listing(dir, cands); got != "jenkins.yaml:unknown!" {
		t.Errorf("got %s", got)
	}
}

// Inside a git work tree ignored files are skipped unless NoIgnore is set,
// and a path named is read even when ignored; a directory named that git
// ignores is walked. Outside a work tree .gitignore is not read (as
// ripgrep). A repository inside the walk has its own ignore files.
func TestWalkIgnore(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	files := map[string]string{
		".git/HEAD":           "ref: refs/heads/main\n",
		".gitignore":          "generated/\n*.bak.yaml\n",
		"jenkins.yaml":        "jenkins: {}\n",
		"old.bak.yaml":        "jenkins: {}\n",
		"generated/casc.yaml": "jenkins: {}\n",
		"inner/.git/HEAD":     "x",
		"inner/.gitignore":    "local.yaml\n",
		"inner/x.bak.yaml":    "jenkins: {}\n",
		"inner/local.yaml":    "jenkins: {}\n",
		"plain/.gitignore":    "*.yaml\n",
		"plain/casc.yaml":     "jenkins: {}\n",
	}
	repo := mkTree(t, files)
	for _, tt := range []struct {
		name  string
		paths []string
		opts  WalkOptions
		want  string
	}{
		{"respected", []string{"."}, WalkOptions{}, "inner/x.bak.yaml:unknown jenkins.yaml:unknown"},
		{"no-ignore", []string{"."}, WalkOptions{NoIgnore: true},
			"generated/casc.yaml:unknown inner/local.yaml:unknown inner/x.bak.yaml:unknown jenkins.yaml:unknown old.bak.yaml:unknown plain/casc.yaml:unknown"},
		{"named", []string{"old.bak.yaml", "generated"}, WalkOptions{}, "generated/casc.yaml:unknown old.bak.yaml:unknown!"},
		{"below the top", []string{"plain", "inner"}, WalkOptions{}, "inner/x.bak.yaml:unknown"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var paths []string
			for _, p := range tt.paths {
				paths = append(paths, filepath.Join(repo, p))
			}
			cands, errs := WalkWith(paths, tt.opts)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			if got := listing(repo, cands); got != tt.want {
				t.Errorf("\n got %s\nwant %s", got, tt.want)
			}
		})
	}
	delete(files, ".git/HEAD")
	delete(files, "inner/.git/HEAD")
	plain := mkTree(t, files)
	cands, _ := WalkWith([]string{plain}, WalkOptions{})
	if got := listing(plain, cands); !strings.Contains(got, "old.bak.yaml") || !strings.Contains(got, "plain/casc.yaml") {
		t.Errorf("outside a work tree: %s", got)
	}
}

// endless is an input that never ends.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// ReadLimited stops at the first byte over the limit: an endless input
// costs the limit and a chunk, not twice the limit (io.ReadAll of a
// LimitReader). Inputs at and around the limit read exactly.
func TestReadLimitedBounded(t *testing.T) {
	const limit = 16 << 20
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := ReadLimited(endless{}, limit)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "more than 16777216 bytes") {
		t.Fatalf("err = %v", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > limit+2*readChunk {
		t.Errorf("allocated %d bytes reading past a %d-byte limit", alloc, limit)
	}
	for _, n := range []int{0, 1, 511, 512, 513, 4096, readChunk, 3*readChunk + 7} {
		data := bytes.Repeat([]byte("abcdefg"), n/7+1)[:n]
		for _, lim := range []int64{int64(n), int64(n) + 1, int64(n) - 1} {
			if lim < 0 {
				continue
			}
			got, err := ReadLimited(iotest.HalfReader(bytes.NewReader(data)), lim)
			switch {
			case lim < int64(n):
				if !errors.Is(err, ErrTooLarge) {
					t.Errorf("%d bytes, limit %d: %v", n, lim, err)
				}
			case err != nil || !bytes.Equal(got, data):
				t.Errorf("%d bytes, limit %d: %d bytes, %v", n, lim, len(got), err)
			case cap(got)-len(got) > 4096:
				t.Errorf("%d bytes, limit %d: capacity %d", n, lim, cap(got))
			}
		}
	}
}

// A regular file over the limit is refused without being read, and one
// that grows past the limit while read is refused with the limit named.
func TestReadRegularLimit(t *testing.T) {
	dir := mkTree(t, map[string]string{"big.yaml": strings.Repeat("x", 1000)})
	c := Candidate{Path: "big.yaml", OSPath: filepath.Join(dir, "big.yaml")}
	for _, lim := range []int64{999, 1} {
		if _, ferr := Read(c, lim); ferr == nil || ferr.Message != fmt.Sprintf("file too large: more than %d bytes (--max-file-size)", lim) {
			t.Errorf("limit %d: %v", lim, ferr)
		}
	}
	if f, ferr := Read(c, 1000); ferr != nil || len(f.Data) != 1000 || !f.Regular {
		t.Errorf("at the limit: %v", ferr)
	}
}

// pattern is n bytes that differ from one offset to the next (so that a
// piece copied to the wrong place shows).
func pattern(n int) []byte {
	data := make([]byte, n)
	for i := range data {
		data[i] = byte(i*7 + i>>11)
	}
	return data
}

// Inputs past stageAfter read exactly, over the limit by a byte is refused,
// and on Linux (where they are staged) the heap holds the input and the
// first pieces, not twice the input.
func TestReadLimitedLarge(t *testing.T) {
	const n = 3*stageAfter + 12345
	data := pattern(n)
	for _, lim := range []int64{n, n + 1, n + readChunk, n - 1, stageAfter + 1} {
		got, err := ReadLimited(iotest.HalfReader(bytes.NewReader(data)), lim)
		if lim < n {
			if !errors.Is(err, ErrTooLarge) {
				t.Errorf("limit %d: %v", lim, err)
			}
			continue
		}
		if err != nil || !bytes.Equal(got, data) || cap(got) != n {
			t.Errorf("limit %d: %d bytes (cap %d), %v", lim, len(got), cap(got), err)
		}
	}
	if runtime.GOOS != "linux" {
		return
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if _, err := ReadLimited(bytes.NewReader(data), MaxSize); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > n+2*stageAfter {
		t.Errorf("allocated %d bytes for a %d-byte input", alloc, n)
	}
}
