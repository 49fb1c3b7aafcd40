package schema

import "github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/golden"

// updating reports whether the run rewrites the golden files: go test
// -update, the one flag internal/golden defines for every package.
func updating() bool { return golden.Updating() }
