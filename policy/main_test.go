package policy

import (
	"os"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/policy/engine"
)

// selfWorkerEnv makes this test binary the policy worker: TestMain points
// WorkerEnv at the binary itself, with this variable set for its children.
const selfWorkerEnv = "JENKINS_OIDC_LINT_POLICY_TEST_WORKER"

func TestMain(m *testing.M) {
	if os.Getenv(selfWorkerEnv) == "1" {
		os.Exit(engine.Main())
	}
	exe, err := os.Executable()
	if err != nil {
		panic(err)
	}
	os.Setenv(WorkerEnv, exe)
	os.Setenv(selfWorkerEnv, "1")
	os.Exit(m.Run())
}
