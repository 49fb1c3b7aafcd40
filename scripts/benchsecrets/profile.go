package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/lint"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
)

// cmdProfile runs what `jenkins-oidc-lint --all-files --format json
// --no-config TREE` runs, in process, under the CPU profiler, and writes a
// heap profile at the end; it prints the time of the load phase alone (read,
// parse, per-file rules) and of the whole run.
func cmdProfile(args []string) error {
	fs := flag.NewFlagSet("profile", flag.ExitOnError)
	cpu := fs.String("cpu", "cpu.pprof", "CPU profile `FILE`")
	mem := fs.String("mem", "mem.pprof", "heap profile `FILE` (allocations of the whole run, and in use at its end)")
	loadMem := fs.String("loadmem", "", "heap profile `FILE` taken after the load phase (in use: what the workspace holds)")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("profile flags: %w", err)
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("profile: usage: profile [-cpu FILE] [-mem FILE] TREE")
	}
	opts := lint.Options{Paths: []string{fs.Arg(0)}, AllFiles: true, Version: "bench"}

	start := time.Now()
	l := lint.Load(opts)
	load := time.Since(start)
	fmt.Printf("load phase alone (read, parse, per-file rules): %.2f s, %d files kept\n", load.Seconds(), len(l.WS.Files))
	if *loadMem != "" {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		fmt.Printf("heap in use after the load phase: %d MB\n", ms.HeapInuse>>20)
		if err := writeHeap(*loadMem); err != nil {
			return err
		}
	}
	runtime.KeepAlive(l)
	l = nil
	runtime.GC()

	fh, err := os.Create(*cpu)
	if err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	defer fh.Close()
	if err := pprof.StartCPUProfile(fh); err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	start = time.Now()
	rep, err := lint.Run(opts)
	if err != nil {
		pprof.StopCPUProfile()
		return fmt.Errorf("profile: run: %w", err)
	}
	run := time.Since(start)
	var b bytes.Buffer
	if err := report.Write(&b, "json", rep, report.Options{}); err != nil {
		pprof.StopCPUProfile()
		return fmt.Errorf("profile: write: %w", err)
	}
	total := time.Since(start)
	pprof.StopCPUProfile()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("lint.Run: %.2f s; with the JSON report (%d bytes): %.2f s; %d findings\n",
		run.Seconds(), b.Len(), total.Seconds(), len(rep.Findings))
	fmt.Printf("heap in use at the end: %d MB; allocated in total: %d MB; GC cycles: %d\n",
		ms.HeapInuse>>20, ms.TotalAlloc>>20, ms.NumGC)
	runtime.KeepAlive(rep)
	return writeHeap(*mem)
}

func writeHeap(path string) error {
	// the profile's in-use figures may be up to two collections old
	// (runtime.MemProfile): collect twice so they show what is live now
	runtime.GC()
	runtime.GC()
	fh, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	defer fh.Close()
	if err := pprof.Lookup("allocs").WriteTo(fh, 0); err != nil {
		return fmt.Errorf("profile: heap %s: %w", path, err)
	}
	return nil
}
