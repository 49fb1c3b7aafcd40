//go:build unix

package lint

import "syscall"

// cpuTime is the process's user and system CPU time in nanoseconds: on a
// shared machine it varies far less than wall time (the benchmarks report
// both).
func cpuTime() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
