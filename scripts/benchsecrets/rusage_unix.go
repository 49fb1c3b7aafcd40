//go:build unix

package main

import (
	"os"
	"syscall"
	"time"
)

// rusage is the CPU time and peak resident set size (KiB) of a finished
// process (Linux reports ru_maxrss in KiB).
func rusage(ps *os.ProcessState) (user, sys time.Duration, rssKiB int64) {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return ps.UserTime(), ps.SystemTime(), 0
	}
	return ps.UserTime(), ps.SystemTime(), int64(ru.Maxrss)
}
