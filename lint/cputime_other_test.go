//go:build !unix

package lint

// cpuTime is not measured here: the benchmarks report 0 cpu-ns/file.
func cpuTime() int64 { return 0 }
