package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/golden"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/policy/engine"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"jenkins-oidc-lint": func() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
		// the policy worker, found on PATH by the command above and by
		// the tests that call run in this process
		"jenkins-oidc-lint-policy": func() { os.Exit(engine.Main()) },
	})
}

// TestScripts runs the CLI scripts in testdata/script: each holds a file
// tree, the commands, and their exact output and exit codes.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "../../testdata/script",
		RequireExplicitExec: true,
		UpdateScripts:       golden.Updating(),
		Setup: func(env *testscript.Env) error {
			env.Setenv("NO_COLOR", "")
			root, err := filepath.Abs("../..")
			env.Setenv("REPO_ROOT", root)
			return err
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"precommit": cmdPrecommit,
			"idp":       cmdIDP,
			"token":     cmdToken,
		},
	})
}
