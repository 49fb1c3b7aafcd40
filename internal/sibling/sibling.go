// Package sibling finds the programs installed with jenkins-oidc-lint
// (the policy worker, jenkins-oidc-lint-online): named by an environment
// variable, else next to the running program, else on PATH.
package sibling

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// ErrNotFound is Find's error when the program is nowhere to be found.
var ErrNotFound = errors.New("program not found")

// Find returns the path of program: the value of the environment variable
// env when set, else the program next to this executable, else the one on
// PATH.
func Find(env, program string) (string, error) {
	if p := os.Getenv(env); p != "" {
		return p, nil
	}
	name := program
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	if exe, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(exe), name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p, nil
		}
	}
	if p, err := exec.LookPath(program); err == nil {
		return p, nil
	}
	return "", ErrNotFound
}
