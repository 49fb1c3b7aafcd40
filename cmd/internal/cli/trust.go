package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/cmd/internal/command"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/lint"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/trustcheck"
)

// runTrust is `jenkins-oidc-lint trust`: for the build of one job, which
// cloud roles, pool providers, Vault roles and federated credentials accept
// its id token, and for the others which condition fails.
func runTrust(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	_ = stdin // PATH cannot be standard input: the command reads a tree
	cmd := command.New("trust", stderr)
	fs := cmd.Flags
	job := fs.String("job", "", "the job whose builds get the token: its `URL` (https://ci.example.com/job/team/job/app/) or full name (team/app)")
	branch := fs.String("branch", "", "the build is of this branch job of the multibranch project --job (`NAME`)")
	pr := fs.String("pr", "", "the build is of this pull-request job of the multibranch project --job (`N`, or PR-N)")
	credential := fs.String("credential", "", "use only the idToken/idTokenFile credential with this `ID` (default: every one the job can use)")
	format := fs.StringP("format", "f", "text", "output `FORMAT`: text|json")
	usage := func(w io.Writer) {
		fmt.Fprintf(w, "Usage: jenkins-oidc-lint trust --job URL [--branch B | --pr N] [--credential ID] [flags] [PATH...]\n\n")
		fmt.Fprintf(w, "Lists, for a build of the job, every AWS IAM role, GCP workload identity pool provider,\nVault JWT role and Azure federated credential in PATH (default \".\") whose trust its id token\nsatisfies, and for each one it does not, the condition that fails (file:line:col). The token is\nbuilt from the controller's JCasC in PATH as the oidc-provider plugin builds it.\n\nFlags:\n%s", fs.FlagUsages())
		fmt.Fprintf(w, "\nExit codes: 0 printed, and a trust accepts the token; 1 no trust accepts it, or a check could\nnot be made (a value the tool cannot know); 2 usage error, unreadable input, or no controller in PATH.\n")
	}
	fail := cmd.Fail
	if code, done := cmd.Parse(args, stdout, usage); done {
		return code
	}
	switch {
	case *job == "":
		return fail("give the job with --job URL (or its full name)")
	case *branch != "" && *pr != "":
		return fail("--branch and --pr are alternatives: a build is of one branch job or one pull-request job")
	case *format != "text" && *format != "json":
		return fail("--format: unknown format %q (want text or json)", *format)
	}
	paths := fs.Args()
	for _, p := range paths {
		if p == "-" {
			return fail("PATH cannot be standard input (\"-\") here: give the JCasC and trust policy files or directories")
		}
	}

	l := lint.Load(lint.Options{Paths: paths})
	for _, e := range l.Errors {
		printFileError(stderr, e, "")
	}
	res, err := trustcheck.Run(l.WS.JCasC, l.WS.Trusts, paths, trustcheck.Request{Job: *job, Branch: *branch, PR: *pr, Credential: *credential})
	if err != nil {
		var ue *trustcheck.UsageError
		if errors.As(err, &ue) {
			return fail("%s", ue.Msg)
		}
		return fail("%v", err)
	}
	if *format == "json" {
		err = trustcheck.WriteJSON(stdout, res)
	} else {
		err = trustcheck.WriteText(stdout, res)
	}
	if err != nil {
		return fail("writing the result: %v", err)
	}
	switch {
	case len(l.Errors) > 0:
		return exitTrouble // the answer may miss what those files say
	case res.Failed():
		return exitFindings
	}
	return exitOK
}
