//go:build !unix

package main

import (
	"os"
	"time"
)

// rusage is the CPU time of a finished process; peak RSS is unknown here.
func rusage(ps *os.ProcessState) (user, sys time.Duration, rssKiB int64) {
	return ps.UserTime(), ps.SystemTime(), 0
}
