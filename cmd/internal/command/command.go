// Package command is what the commands of jenkins-oidc-lint share across
// its programs (package cli, and package netcmd, which cli must not link):
// the exit codes, and a subcommand's flag set, --help and one-line errors.
package command

import (
	"fmt"
	"io"

	"github.com/spf13/pflag"
)

// Exit codes.
const (
	OK       = 0 // nothing at or above --fail-on; the answer was printed
	Findings = 1 // findings at or above --fail-on; a negative answer
	Trouble  = 2 // usage error, or a file could not be read or parsed
)

// Sub is one subcommand, `jenkins-oidc-lint NAME`: its flags (errors go to
// the caller, not to pflag's output) and its one-line errors on stderr.
type Sub struct {
	Name   string
	Flags  *pflag.FlagSet
	help   *bool
	stderr io.Writer
}

// New makes subcommand name with a --help flag.
func New(name string, stderr io.Writer) *Sub {
	fs := pflag.NewFlagSet("jenkins-oidc-lint "+name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &Sub{Name: name, Flags: fs, help: fs.BoolP("help", "h", false, "show this help"), stderr: stderr}
}

// Fail prints "jenkins-oidc-lint: NAME: " and the message, and returns
// Trouble.
func (s *Sub) Fail(format string, a ...any) int {
	fmt.Fprintf(s.stderr, "jenkins-oidc-lint: "+s.Name+": "+format+"\n", a...)
	return Trouble
}

// Parse parses args. done is true when the command is over: a flag error
// (printed with where to find the usage; code Trouble) or --help (usage
// printed on stdout; code OK).
func (s *Sub) Parse(args []string, stdout io.Writer, usage func(io.Writer)) (code int, done bool) {
	if err := s.Flags.Parse(args); err != nil {
		fmt.Fprintf(s.stderr, "jenkins-oidc-lint: %s: %v\n", s.Name, err)
		fmt.Fprintf(s.stderr, "Run 'jenkins-oidc-lint %s --help' for usage.\n", s.Name)
		return Trouble, true
	}
	if *s.help {
		usage(stdout)
		return OK, true
	}
	return 0, false
}
