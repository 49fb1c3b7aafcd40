//go:build unix

package cli

import (
	"fmt"
	"os"
	"syscall"
)

// execProgram replaces this process with exe run on args: the same process
// ID, standard streams, environment and, in the end, exit code. It returns
// only when exe could not be started.
func execProgram(exe string, args []string) error {
	err := syscall.Exec(exe, append([]string{exe}, args...), os.Environ())
	return fmt.Errorf("needs %s, which could not be started: %v", exe, err)
}
