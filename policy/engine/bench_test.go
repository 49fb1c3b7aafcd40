package engine

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"cuelang.org/go/cue/cuecontext"
	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/policy/internal/wire"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/schema"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

const examples = "../../testdata/policies"

// benchDoc parses the first document of a YAML text.
func benchDoc(b *testing.B, name string, data []byte) *yaml.Node {
	b.Helper()
	docs, ferr := tree.ParseYAML(source.NewFile(name, data))
	if ferr != nil {
		b.Fatal(ferr)
	}
	return docs[0]
}

// credentialsDoc is a JCasC document with n compliant credentials.
func credentialsDoc(n int) []byte {
	var sb strings.Builder
	sb.WriteString("credentials:\n  system:\n    domainCredentials:\n      - credentials:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "          - string:\n              scope: SYSTEM\n              id: \"c%d\"\n              secret: \"${S%d}\"\n              description: \"credential %d\"\n", i, i, i)
	}
	return []byte(sb.String())
}

// BenchmarkViolations is the evaluation of the three example policies in
// this process, without the round trip to a worker (policy's
// BenchmarkCheck has it).
func BenchmarkViolations(b *testing.B) {
	local, errs := loadLocal([]string{examples}, nil, newSnapFS(wire.Snapshot([]string{examples})), nil)
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	keycloak, err := os.ReadFile("../../testdata/examples/keycloak/jenkins.yaml")
	if err != nil {
		b.Fatal(err)
	}
	fire, err := os.ReadFile("../testdata/fire-wellknown.yaml")
	if err != nil {
		b.Fatal(err)
	}
	all := make([]int, len(local.rules))
	for i := range all {
		all[i] = i
	}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"realm", keycloak},
		{"fire", fire},
		{"credentials-200", credentialsDoc(200)},
	} {
		root := benchDoc(b, tc.name+".yaml", tc.data)
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				local.violations(root, all, func(int) {}, func(int, []schema.Violation) {})
			}
		})
	}
}

// BenchmarkEncode is the part of Check's cost that is converting the
// document to CUE (once per document, whatever the number of rules).
func BenchmarkEncode(b *testing.B) {
	ctx := cuecontext.New()
	root := benchDoc(b, "c.yaml", credentialsDoc(200))
	for b.Loop() {
		v, _ := tree.ToValue(root)
		ctx.Encode(v)
	}
}
