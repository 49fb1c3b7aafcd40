package lint

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

const pipelineWithSecret = "pipeline {\n  agent any\n  environment { DB_PASSWORD = 'Zq8vN3rT6wY1pL4s' }\n  stages { stage('a') { steps { sh 'make' } } }\n}\n"

// The loader lets a pipeline's text go and the end of the run reads it
// again: the report is the same as when every text is held, the source
// lines come back masked, and formats without source lines get names only.
func TestDroppedTextsReadAgain(t *testing.T) {
	dir := writeTree(t, map[string]string{"Jenkinsfile": pipelineWithSecret, "notes.sh": "export GITHUB_TOKEN=ghp_R7tY2uI9oP4aS6dF1gH3jK8lZ5xC0vB2nM4q\n"})
	l := Load(Options{Paths: []string{dir}, AllFiles: true})
	if len(l.dropped) != 2 {
		t.Fatalf("dropped %d texts, want the pipeline and the shell script", len(l.dropped))
	}
	for _, f := range l.WS.Files {
		if f.Data != nil {
			t.Errorf("%s: text still held after the load", f.Path)
		}
	}
	rep := run(t, Options{Paths: []string{dir}, AllFiles: true})
	if len(rep.Errors) != 0 || len(rep.Findings) != 2 {
		t.Fatalf("errors %v, findings %v", rep.Errors, rep.Findings)
	}
	for _, f := range rep.Findings {
		data := rep.Text(f.Pos.Path)
		if len(data) == 0 || f.Fingerprint == "" {
			t.Fatalf("%s: no source (%d bytes) or fingerprint %q", f.Pos.Path, len(data), f.Fingerprint)
		}
		if strings.Contains(string(data), "Zq8vN3rT6wY1pL4s") || strings.Contains(string(data), "R7tY2uI9oP4a") {
			t.Errorf("%s: source not masked:\n%s", f.Pos.Path, data)
		}
	}
	named := run(t, Options{Paths: []string{dir}, AllFiles: true, NoSources: true})
	for i, f := range named.Findings {
		if d, ok := named.Files[f.Pos.Path]; !ok || d != nil {
			t.Errorf("NoSources: %s: present %v, %d bytes", f.Pos.Path, ok, len(d))
		}
		if f.Fingerprint != rep.Findings[i].Fingerprint || f.Message != rep.Findings[i].Message {
			t.Errorf("NoSources changed finding %d: %+v vs %+v", i, f, rep.Findings[i])
		}
	}
}

// A file that changes between the load and the end of the run is an error,
// not a report with wrong lines; one that stays the same reads back whole.
func TestDroppedTextChanged(t *testing.T) {
	dir := writeTree(t, map[string]string{"Jenkinsfile": pipelineWithSecret})
	p := filepath.Join(dir, "Jenkinsfile")
	c := source.Candidate{Path: "Jenkinsfile", OSPath: p, Hint: source.Jenkinsfile}
	f, ferr := source.Read(c, DefaultMaxFileSize)
	if ferr != nil {
		t.Fatal(ferr)
	}
	f.Kind = source.Jenkinsfile
	r := parsed{file: f, secrets: []span{{54, 70}}}
	dropText(c, &r)
	if r.dropped == nil || r.file.Data != nil {
		t.Fatal("the pipeline's text was kept")
	}
	if got := r.dropped.secrets; len(got) != 1 || got[0] != secretSums([]string{"Zq8vN3rT6wY1pL4s"})[0] {
		t.Errorf("secret sums kept for redaction: %v", got)
	}
	tx := &texts{files: map[string]*source.File{"Jenkinsfile": r.file}, dropped: map[string]*droppedText{"Jenkinsfile": r.dropped}}
	if again := tx.get("Jenkinsfile"); again == nil || string(again.Data) != pipelineWithSecret || again.Kind != source.Jenkinsfile {
		t.Fatalf("read again: %+v", again)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(pipelineWithSecret, "make", "mak", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	tx = &texts{files: tx.files, dropped: tx.dropped}
	if again := tx.get("Jenkinsfile"); again != nil {
		t.Errorf("a changed file read back: %q", again.Data)
	}
	if len(tx.errs) != 1 || !strings.Contains(tx.errs[0].Message, "changed while it was being checked") {
		t.Errorf("errors: %v", tx.errs)
	}
}

// Files with ignore comments, JCasC, standard input, and pipes or devices
// (which cannot be read again) keep their text; a regular pipeline file
// lets it go.
func TestKeptTexts(t *testing.T) {
	for _, tt := range []struct {
		c       source.Candidate
		kind    source.Kind
		regular bool
		data    string
		dropped bool
	}{
		{source.Candidate{Path: "Jenkinsfile", OSPath: "Jenkinsfile"}, source.Jenkinsfile, true, "node {}\n", true},
		{source.Candidate{Path: "Jenkinsfile", OSPath: "Jenkinsfile"}, source.Jenkinsfile, true, "node {} // jenkins-oidc-lint: ignore[committed-secret] test\n", false},
		{source.Candidate{Path: "jenkins.yaml", OSPath: "jenkins.yaml"}, source.JCasC, true, "jenkins: {}\n", false},
		{source.Candidate{Path: "Jenkinsfile", OSPath: "-"}, source.Jenkinsfile, false, "node {}\n", false},
		{source.Candidate{Path: "/dev/fd/63", OSPath: "/dev/fd/63"}, source.Unknown, false, "TOKEN=x\n", false},
	} {
		f := source.NewFile(tt.c.Path, []byte(tt.data))
		f.Kind, f.Regular = tt.kind, tt.regular
		r := parsed{file: f}
		dropText(tt.c, &r)
		if dropped := r.dropped != nil && r.file.Data == nil; dropped != tt.dropped {
			t.Errorf("%s (%v, regular %v, %q): dropped %v", tt.c.Path, tt.kind, tt.regular, tt.data, dropped)
		}
	}
}

// A pipe given as a path is read once and keeps its text: nothing reads it
// again, so there is no false "changed while it was being checked".
func TestPipeInputKeepsText(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		w.WriteString("export GITHUB_TOKEN=ghp_R7tY2uI9oP4aS6dF1gH3jK8lZ5xC0vB2nM4q\n")
		w.Close()
	}()
	defer r.Close()
	p := "/dev/fd/" + strconv.Itoa(int(r.Fd()))
	if _, err := os.Stat(p); err != nil {
		t.Skip("no /dev/fd")
	}
	rep := run(t, Options{Paths: []string{p}, AllFiles: true})
	if len(rep.Errors) != 0 || len(rep.Findings) != 1 || len(rep.Text(p)) == 0 {
		t.Fatalf("errors %v, findings %v, source %q", rep.Errors, rep.Findings, rep.Text(p))
	}
}

// After the load, the workspace holds views, not syntax trees: no JCasC
// document keeps its root, no pipeline its tree (facts stand in for it).
func TestLoadKeepsViewsNotTrees(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"jenkins.yaml": "jenkins:\n  systemMessage: hi\ncredentials:\n  system:\n    domainCredentials:\n      - credentials:\n          - string:\n              id: deploy-token\n              secret: ${DEPLOY_TOKEN}\n",
		"Jenkinsfile":  "node { withCredentials([string(credentialsId: 'deploy-token', variable: 'T')]) { sh 'make' } }\n",
	})
	l := Load(Options{Paths: []string{dir}})
	if len(l.WS.JCasC) != 1 || len(l.WS.JCasC[0].Credentials) != 1 || len(l.facts) != 1 {
		t.Fatalf("loaded %d JCasC documents, %d pipelines' facts", len(l.WS.JCasC), len(l.facts))
	}
	if l.WS.JCasC[0].Root != nil || len(l.WS.Pipelines) != 0 {
		t.Errorf("trees kept: JCasC root %v, %d pipelines", l.WS.JCasC[0].Root != nil, len(l.WS.Pipelines))
	}
	if c := l.WS.JCasC[0].Credentials[0]; c.ID.Value != "deploy-token" || c.ID.At.Line != 8 || c.KindAt.Line != 7 {
		t.Errorf("credential view: %+v", c)
	}
}

// Load's file errors come in path order whatever order the workers finish
// in (the access command prints them as they are).
func TestLoadErrorsSorted(t *testing.T) {
	files := map[string]string{}
	for i := 0; i < 12; i++ {
		files["bad"+strconv.Itoa(i)+".yaml"] = "jenkins:\n  systemMessage: [unclosed\n"
	}
	dir := writeTree(t, files)
	for n := 0; n < 5; n++ {
		l := Load(Options{Paths: []string{dir}, Jobs: 4})
		if len(l.Errors) != 12 {
			t.Fatalf("%d errors", len(l.Errors))
		}
		for i := 1; i < len(l.Errors); i++ {
			if l.Errors[i-1].Pos.Path > l.Errors[i].Pos.Path {
				t.Fatalf("errors out of order: %s before %s", l.Errors[i-1].Pos.Path, l.Errors[i].Pos.Path)
			}
		}
	}
}
