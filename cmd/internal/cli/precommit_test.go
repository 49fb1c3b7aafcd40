package cli

import (
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/rogpeppe/go-internal/testscript"
	"go.yaml.in/yaml/v3"
)

// hook is one entry of .pre-commit-hooks.yaml.
type hook struct {
	ID            string   `yaml:"id"`
	Entry         string   `yaml:"entry"`
	Args          []string `yaml:"args"`
	Files         string   `yaml:"files"`
	PassFilenames bool     `yaml:"pass_filenames"`
	RequireSerial bool     `yaml:"require_serial"`
}

// cmdPrecommit runs the repository's pre-commit hook the way pre-commit
// does: the hook's entry and args, followed by every file of the work tree
// whose path matches the hook's `files` pattern (pre-commit uses re.search
// on the repository-relative path). Usage: precommit HOOK-ID [extra args].
func cmdPrecommit(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 1 {
		ts.Fatalf("usage: precommit HOOK-ID [args...]")
	}
	data, err := os.ReadFile(filepath.Join(ts.Getenv("REPO_ROOT"), ".pre-commit-hooks.yaml"))
	ts.Check(err)
	var hooks []hook
	ts.Check(yaml.Unmarshal(data, &hooks))
	var h *hook
	for i := range hooks {
		if hooks[i].ID == args[0] {
			h = &hooks[i]
		}
	}
	if h == nil {
		ts.Fatalf("no hook %q in .pre-commit-hooks.yaml", args[0])
	}
	if !h.PassFilenames || !h.RequireSerial {
		ts.Fatalf("hook %s must pass file names in one serial invocation", h.ID)
	}
	re, err := regexp.Compile(h.Files)
	ts.Check(err)
	work := ts.Getenv("WORK")
	var files []string
	ts.Check(filepath.WalkDir(work, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(work, p)
		rel = filepath.ToSlash(rel)
		if re.MatchString(rel) {
			files = append(files, rel)
		}
		return nil
	}))
	sort.Strings(files)
	argv := append(append(append([]string{}, h.Args...), args[1:]...), files...)
	err = ts.Exec(h.Entry, argv...)
	if neg && err == nil {
		ts.Fatalf("unexpected success")
	}
	if !neg && err != nil {
		ts.Fatalf("hook failed: %v", err)
	}
}

// The hook's files pattern passes the names the walker reads (source's
// KindByName and MaybeByName, and every *.groovy, whose content decides),
// checked with Go's regexp and, where python3 is found, with Python's re,
// which pre-commit uses (re.search on the repository-relative path). Names
// the walker tells by content only (a JSON object without extension) are
// not passed; a few names the pattern passes are files the tool then reads
// for secrets only (extra).
func TestPrecommitFilesPattern(t *testing.T) {
	hooks := readHooks(t)
	pattern := hooks[0].Files
	re := regexp.MustCompile(pattern)
	tests := []struct {
		name  string
		want  bool
		extra bool // passed, but not one of ours by name
	}{
		{"jenkins.yaml", true, false}, {"casc/jenkins.yml", true, false}, {"charts/jenkins/values.yaml", true, false},
		{"k8s/configmap.YAML", true, false}, {".github/workflows/ci.yml", true, false},
		{"idp/provider.openid-configuration.json", true, false}, {"package.json", true, false},
		{".well-known/openid-configuration", true, false}, {"openid-configuration", true, false},
		{"Jenkinsfile", true, false}, {"ci/Jenkinsfile_k8s", true, false}, {"Jenkinsfile-deploy", true, false},
		{"ci/Jenkinsfile.release", true, false}, {"build.jenkinsfile", true, false}, {"x/Deploy.Jenkinsfile", true, false},
		{"vars/deployApp.groovy", true, false}, {"pipelines/release.groovy", true, false}, {"src/org/acme/Util.groovy", true, false},
		{"plugins.txt", true, false}, {"controller/plugins-base.txt", true, false}, {"plugins.yaml", true, false},
		{"Dockerfile", true, false}, {"docker/Dockerfile.controller", true, false}, {"agent.Dockerfile", true, false},
		{"app.dockerfile", true, false}, {"Containerfile", true, false},
		{"infra/jenkins-trust.tf", true, false}, {"cfn/ci-roles.template", true, false}, {"iam/trust-policy.json", true, false},
		{"Jenkinsfile.md", true, true}, {"Dockerfile.j2", true, true}, {"Jenkinsfile.tpl", true, true},
		{"README.md", false, false}, {"values.yaml.tpl", false, false}, {"casc.yaml.j2", false, false},
		{"main.go", false, false}, {"myjenkinsfile.txt", false, false}, {"Jenkinsfiles/README", false, false},
		{"docs/plugins.md", false, false}, {"requirements.txt", false, false}, {"notJenkinsfile", false, false},
		{"metadata/issuer", false, false}, {"openid-configuration.bak", false, false}, {".dockerignore", false, false},
		{"terraform.tfvars", false, false}, {".terraform.lock.hcl", false, false}, {"main.tf.json.bak", false, false},
	}
	for _, tt := range tests {
		if got := re.MatchString(tt.name); got != tt.want {
			t.Errorf("pattern on %q: %v, want %v", tt.name, got, tt.want)
		}
		walker := source.KindByName(tt.name) != source.Unknown || source.MaybeByName(tt.name) ||
			strings.EqualFold(path.Ext(tt.name), ".groovy")
		if walker != (tt.want && !tt.extra) {
			t.Errorf("%q: the walker reads it: %v; the table says passed %v, extra %v", tt.name, walker, tt.want, tt.extra)
		}
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Log("no python3: Python's re not checked")
		return
	}
	var names, want strings.Builder
	for _, tt := range tests {
		names.WriteString(tt.name + "\n")
		want.WriteString(strconv.FormatBool(tt.want) + "\n")
	}
	cmd := exec.Command(py, "-c", `import re, sys
p = re.compile(sys.argv[1])
for name in sys.stdin.read().splitlines():
    print("true" if p.search(name) else "false")`, pattern)
	cmd.Stdin = strings.NewReader(names.String())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	if string(out) != want.String() {
		t.Errorf("Python's re disagrees:\n got %q\nwant %q", out, want.String())
	}
}

// The hook passes files by name, and some that match are not ours once
// read (a Groovy class, a Jenkinsfile's docs, a template): with the hook's
// own arguments they are scanned for secrets, not refused (exit 2), and
// the pipeline among them is checked.
func TestPrecommitHookNamesNotOurs(t *testing.T) {
	hooks := readHooks(t)
	dir := t.TempDir()
	files := map[string]string{
		"src/org/acme/Util.groovy":      "package org.acme\nclass Util implements Serializable {\n  def run() { node { sh 'make' } }\n}\n",
		"pipelines/deploy.groovy":       "pipeline {\n  agent any\n  stages { stage('x') { steps { sh 'curl -k https://example.com' } } }\n}\n",
		"Jenkinsfile.md":                "# How the Jenkinsfile works\n",
		"Dockerfile.j2":                 "FROM {{ image }}\n",
		".github/workflows/ci.yml":      "on: push\njobs: {}\n",
		"package.json":                  "{\"name\": \"x\"}\n",
		"controller/plugins.txt":        "oic-auth:4.0\n",
		"controller/Dockerfile":         "FROM jenkins/jenkins:lts\n",
		"metadata/openid-configuration": "{\"issuer\": \"https://idp.example.com\"}\n",
	}
	re := regexp.MustCompile(hooks[0].Files)
	var names []string
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if !re.MatchString(name) {
			t.Fatalf("the hook does not pass %s", name)
		}
		names = append(names, p)
	}
	sort.Strings(names)
	var stdout, stderr strings.Builder
	args := append(append(append([]string{}, hooks[0].Args...), "--no-config", "--format", "json"), names...)
	code := run(args, strings.NewReader(""), &stdout, &stderr)
	if code != 1 || strings.Contains(stdout.String(), "not a file jenkins-oidc-lint reads") ||
		!strings.Contains(stdout.String(), "tls-verification-disabled") {
		t.Errorf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
}

// readHooks reads the repository's .pre-commit-hooks.yaml, which holds one
// hook.
func readHooks(t *testing.T) []hook {
	t.Helper()
	data, err := os.ReadFile("../../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []hook
	if err := yaml.Unmarshal(data, &hooks); err != nil || len(hooks) != 1 {
		t.Fatalf("hooks: %v %v", hooks, err)
	}
	return hooks
}
