package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/lsp"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/policy"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/settings"
)

// runLSP is `jenkins-oidc-lint lsp`: a language server on standard input
// and output. Its flags are the linting flags of the command line; relative
// paths in them are taken from each workspace folder, which is linted as
// `jenkins-oidc-lint` run in it would lint it.
func runLSP(version string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("lsp", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	config := fs.String("config", "", "read settings from `FILE` (default: "+settings.FileName+" in the workspace folder or a parent)")
	noConfig := fs.Bool("no-config", false, "do not read a settings file")
	baseline := fs.String("baseline", "", "hide the findings recorded in baseline `FILE`")
	policies := fs.StringArray("policy", nil, "load user policies (CUE) from `DIR` (repeatable)")
	policyTimeout := fs.Duration("policy-timeout", policy.DefaultBudget.Time, "time each policy may take on each document")
	policyMemory := fs.String("policy-memory", "1GiB", "memory of the processes that evaluate policies")
	enable := fs.StringSlice("enable", nil, "run only these `RULE`s (comma-separated)")
	disable := fs.StringSlice("disable", nil, "do not run these `RULE`s (comma-separated)")
	metadata := fs.StringArray("metadata", nil, "provider discovery metadata `FILE` (repeatable)")
	maxSize := fs.String("max-file-size", "10MiB", "refuse input files larger than `SIZE`")
	allFiles := fs.Bool("all-files", false, "also scan every other text file of the workspace for secrets")
	noIgnore := fs.Bool("no-ignore", false, "also read what .gitignore files skip")
	debounce := fs.Duration("debounce", lsp.DefaultDebounce, "quiet time after an edit before linting")
	fs.Bool("stdio", true, "talk LSP on standard input and output (the only transport; accepted for clients that pass it)")
	help := fs.BoolP("help", "h", false, "show this help")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(stderr, "jenkins-oidc-lint: lsp: %v\n", err)
		return exitTrouble
	}
	if *help {
		fmt.Fprintf(stdout, "Usage: jenkins-oidc-lint lsp [flags]\n\nA Language Server Protocol server on standard input and output: diagnostics,\nfixes, ignore comments and rule pages for the editor. Each workspace folder is\nlinted as `jenkins-oidc-lint` run in it; relative paths in flags are taken from it.\n\nFlags:\n%s", fs.FlagUsages())
		return exitOK
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "jenkins-oidc-lint: lsp takes no arguments (got %s)\n", strings.Join(fs.Args(), " "))
		return exitTrouble
	}
	size, err := parseSize(*maxSize)
	if err != nil {
		fmt.Fprintf(stderr, "jenkins-oidc-lint: lsp: --max-file-size: %v\n", err)
		return exitTrouble
	}
	mem, err := settings.ParseSize(*policyMemory)
	if err != nil {
		fmt.Fprintf(stderr, "jenkins-oidc-lint: lsp: --policy-memory: %v\n", err)
		return exitTrouble
	}
	if *debounce < 0 {
		fmt.Fprintf(stderr, "jenkins-oidc-lint: lsp: --debounce: negative duration\n")
		return exitTrouble
	}
	return lsp.Serve(stdin, stdout, lsp.Options{
		Version:       version,
		Debounce:      *debounce,
		Config:        *config,
		NoConfig:      *noConfig,
		Baseline:      *baseline,
		Policies:      *policies,
		PolicyTimeout: *policyTimeout,
		PolicyMemory:  mem,
		Enable:        *enable,
		Disable:       *disable,
		Metadata:      *metadata,
		MaxFileSize:   size,
		AllFiles:      *allFiles,
		NoIgnore:      *noIgnore,
		Log:           stderr,
	})
}
