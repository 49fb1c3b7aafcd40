package policy

import (
	"os"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/policy/engine"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/policy/internal/wire"
)

// TestMain makes this test binary its own policy worker: WorkerEnv names
// the binary, and a process started with the worker's memory budget in
// its environment (as startWorker starts a worker, and nothing else) is
// the worker. Fuzzing's worker processes do not have it.
func TestMain(m *testing.M) {
	if os.Getenv(wire.MemoryEnv) != "" {
		os.Exit(engine.Main())
	}
	exe, err := os.Executable()
	if err != nil {
		panic(err)
	}
	os.Setenv(WorkerEnv, exe)
	os.Exit(m.Run())
}
