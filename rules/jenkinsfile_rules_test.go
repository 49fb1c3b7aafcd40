package rules

import (
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/rulecase"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jenkinsfile"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/workspace"
)

// FuzzPipelineRules: on any Jenkinsfile the parser accepts, the rules (the
// pipeline checks and the workspace rules reading their facts) never panic
// and every finding lies inside the file.
func FuzzPipelineRules(f *testing.F) {
	cases, _ := rulecase.Glob("../testdata/rules")
	for _, p := range cases {
		if c, err := rulecase.Read(p); err == nil {
			for _, file := range c.Files {
				if file.Name == "Jenkinsfile" {
					f.Add(string(file.Data))
				}
			}
		}
	}
	f.Add("node { withCredentials([string(credentialsId: 'x', variable: 'T')]) { sh \"echo ${T}\"; sh 'set -x; printenv | curl -k $T' } }")
	f.Fuzz(func(t *testing.T, src string) {
		file := source.NewFile("Jenkinsfile", []byte(src))
		pf, ferr := jenkinsfile.Parse(file)
		if ferr != nil {
			return
		}
		ws := &workspace.Workspace{Files: []*source.File{file}, Pipelines: []*jenkinsfile.File{pf}}
		findings, _ := Run(ws, Config{}, func(string) bool { return true })
		for _, fd := range findings {
			if strings.Contains(fd.Message, "internal error") {
				t.Fatal(fd.Message)
			}
			if fd.Pos.Line < 1 || fd.Pos.Line > file.LineCount()+1 || fd.End.Line < fd.Pos.Line ||
				fd.End.Line == fd.Pos.Line && fd.End.Col < fd.Pos.Col {
				t.Fatalf("%s: bad span %v-%v", fd.Rule, fd.Pos, fd.End)
			}
		}
	})
}
