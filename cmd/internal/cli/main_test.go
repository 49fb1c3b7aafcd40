package cli

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/cmd/internal/netcmd"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/golden"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/policy/engine"
)

// onlineProgram is jenkins-oidc-lint-online's program; tests that call run in
// this process run it (a handoff would replace the test process).
var onlineProgram = Program{Version: "0.1.0-dev", Net: &Net{Online: netcmd.Online, Access: netcmd.Access}}

// run runs the command line in this process, as jenkins-oidc-lint-online.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return Run(onlineProgram, args, stdin, stdout, stderr)
}

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		// the two programs as built: the scripts' --online and access
		// runs go through the handoff, to the program on PATH
		"jenkins-oidc-lint": func() {
			os.Exit(Run(Program{Version: "0.1.0-dev", Handoff: func() error { return Handoff("0.1.0-dev", os.Args[1:]) }}, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
		},
		"jenkins-oidc-lint-online": func() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
		// the policy worker, found on PATH by the command above and by
		// the tests that call run in this process
		"jenkins-oidc-lint-policy": func() { os.Exit(engine.Main()) },
	})
}

// TestScripts runs the CLI scripts in testdata/script: each holds a file
// tree, the commands, and their exact output and exit codes.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "../../../testdata/script",
		RequireExplicitExec: true,
		UpdateScripts:       golden.Updating(),
		Setup: func(env *testscript.Env) error {
			env.Setenv("NO_COLOR", "")
			root, err := filepath.Abs("../../..")
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
