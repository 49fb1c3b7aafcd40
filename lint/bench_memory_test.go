package lint

import (
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"testing"
	"time"
)

// TestWriteBenchTree writes the bench tree of genTree to $BENCH_TREE_DIR
// with $BENCH_TREE_FILES files (scripts/bench-memory.sh measures the
// binary on it); skipped otherwise.
func TestWriteBenchTree(t *testing.T) {
	dir := os.Getenv("BENCH_TREE_DIR")
	n, _ := strconv.Atoi(os.Getenv("BENCH_TREE_FILES"))
	if dir == "" || n <= 0 {
		t.Skip("BENCH_TREE_DIR and BENCH_TREE_FILES not set")
	}
	gen := genTree
	if os.Getenv("BENCH_TREE_LAYOUT") == "helm" {
		gen = genHelmTree // the same documents in Helm values files
	}
	src := gen(t, n)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(src, dir); err != nil {
		t.Fatal(err)
	}
}

// writeHeapProfile writes the heap profile (as of the last collection) to
// path: with $BENCH_PEAK_HEAPPROFILE set, BenchmarkMemory writes it each
// time the live heap grows by 5%, so the file left is the peak's.
func writeHeapProfile(b *testing.B, path string) {
	f, err := os.Create(path)
	if err != nil {
		b.Error(err)
		return
	}
	defer f.Close()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		b.Error(err)
	}
}

// BenchmarkMemory lints a generated tree of 10,000 JCasC files and reports
// the peak live heap seen while it ran (sampled) and the heap after the
// run, per run and per file: what issue #12 bounds (memory that does not
// grow with the tree).
func BenchmarkMemory(b *testing.B) {
	const files = 10000
	dir := genTree(b, files)
	b.ResetTimer()
	var peak uint64
	prof := os.Getenv("BENCH_PEAK_HEAPPROFILE")
	for i := 0; i < b.N; i++ {
		runtime.GC()
		done := make(chan struct{})
		sampled := make(chan uint64)
		go func() {
			var max uint64
			s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
			t := time.NewTicker(5 * time.Millisecond)
			defer t.Stop()
			for {
				metrics.Read(s)
				if v := s[0].Value.Uint64(); v > max {
					if prof != "" && v > max+max/20 {
						writeHeapProfile(b, prof)
					}
					max = v
				}
				select {
				case <-done:
					sampled <- max
					return
				case <-t.C:
				}
			}
		}()
		rep, err := Run(Options{Paths: []string{dir}})
		close(done)
		p := <-sampled
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Findings) == 0 || len(rep.Errors) > 0 {
			b.Fatalf("unexpected result: %d findings, %d errors", len(rep.Findings), len(rep.Errors))
		}
		if p > peak {
			peak = p
		}
		runtime.KeepAlive(rep)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(peak)/files, "peak-heap-B/file")
}
