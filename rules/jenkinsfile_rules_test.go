package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jenkinsfile"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/workspace"
)

// jenkinsfileRules are the checks of this issue that read pipelines.
var jenkinsfileRules = map[string]func(*Pass){
	"tls-verification-disabled":   checkPipelineTLS,
	"secret-interpolation":        checkSecretInterpolation,
	"secret-exposed-in-log":       checkSecretExposed,
	"committed-secret":            checkPipelineSecrets,
	"unknown-credential":          checkUnknownCredential,
	"credential-binding-mismatch": checkBindingMismatch,
	"shared-service-account":      checkSharedServiceAccount,
	"id-token-audience":           checkIDTokenAudience,
}

// FuzzPipelineRules: on any Jenkinsfile the parser accepts, the rules never
// panic and every finding lies inside the file.
func FuzzPipelineRules(f *testing.F) {
	seeds, _ := filepath.Glob("../testdata/rules/*/*/Jenkinsfile")
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(string(data))
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
		for id, check := range jenkinsfileRules {
			p := &Pass{WS: ws, rule: id}
			check(p)
			for _, fd := range p.findings {
				if fd.Pos.Line < 1 || fd.Pos.Line > file.LineCount()+1 || fd.End.Line < fd.Pos.Line ||
					fd.End.Line == fd.Pos.Line && fd.End.Col < fd.Pos.Col {
					t.Fatalf("%s: bad span %v-%v", id, fd.Pos, fd.End)
				}
				if strings.Contains(fd.Message, "internal error") {
					t.Fatal(fd.Message)
				}
			}
		}
	})
}
