// Command jenkins-oidc-lint-policy evaluates user policies, written in CUE,
// for jenkins-oidc-lint: the only program of the module that links CUE.
// jenkins-oidc-lint starts it when a run has policies (--policy or the
// settings' policies:) and finds it through $JENKINS_OIDC_LINT_POLICY,
// else next to itself, else on PATH. It reads requests on standard input
// and writes results on standard output, JSON lines (package
// policy/internal/wire); it is not meant to be run by hand.
package main

import (
	"fmt"
	"os"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/policy/engine"
)

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "--version", "-version", "version":
			fmt.Printf("jenkins-oidc-lint-policy: the policy worker of jenkins-oidc-lint (protocol version %d)\n", engine.ProtocolVersion)
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "jenkins-oidc-lint-policy: the policy worker of jenkins-oidc-lint takes no arguments; jenkins-oidc-lint starts it")
		os.Exit(2)
	}
	os.Exit(engine.Main())
}
