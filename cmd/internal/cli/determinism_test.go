package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/rulecase"
)

// TestDeterministic lints the shipped examples and the rule cases several
// times in every format: the bytes must be the same each time, although
// files are parsed concurrently.
func TestDeterministic(t *testing.T) {
	cases := t.TempDir()
	if _, err := rulecase.Materialize("../../../testdata/rules", cases); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "json", "sarif", "github", "junit", "checkstyle", "gitlab"} {
		var first []byte
		for i := 0; i < 4; i++ {
			var stdout, stderr bytes.Buffer
			args := []string{"--format", format, "--no-config", "../../../testdata/examples", cases}
			if code := run(args, strings.NewReader(""), &stdout, &stderr); code != 1 {
				t.Fatalf("%s: exit %d, stderr %s", format, code, stderr.String())
			}
			if i == 0 {
				first = stdout.Bytes()
				continue
			}
			if !bytes.Equal(first, stdout.Bytes()) {
				t.Fatalf("%s: run %d differs from run 1", format, i+1)
			}
		}
	}
}
