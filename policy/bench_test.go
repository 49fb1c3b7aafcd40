package policy

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// benchDoc parses the first document of a YAML text.
func benchDoc(b *testing.B, name string, data []byte) (*source.File, *yaml.Node) {
	b.Helper()
	f := source.NewFile(name, data)
	docs, ferr := tree.ParseYAML(f)
	if ferr != nil {
		b.Fatal(ferr)
	}
	return f, docs[0]
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

// BenchmarkCheck is the cost of the three example policies per document:
// a realm document (the Keycloak example, quiet), the fixture that breaks
// every policy (9 findings), and a document of 200 compliant credentials.
// Check runs in worker processes (sandbox.go): "parallel" checks from
// GOMAXPROCS goroutines, on as many workers; the evaluation alone, without
// the round trip, is policy/engine's BenchmarkViolations.
func BenchmarkCheck(b *testing.B) {
	s := loadOK(b, examples)
	keycloak, err := os.ReadFile("../testdata/examples/keycloak/jenkins.yaml")
	if err != nil {
		b.Fatal(err)
	}
	fire, err := os.ReadFile("testdata/fire-wellknown.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"realm", keycloak},
		{"fire", fire},
		{"credentials-200", credentialsDoc(200)},
	} {
		f, root := benchDoc(b, tc.name+".yaml", tc.data)
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				s.Check(f, source.JCasC, root)
			}
		})
		b.Run(tc.name+"/parallel", func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					s.Check(f, source.JCasC, root)
				}
			})
		})
	}
}

// BenchmarkLoad is the one-off cost of compiling the example policies.
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		Load([]string{examples}, builtinIDs)
	}
}
