package cli

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

// gcSettings reads the collector's target and memory limit.
func gcSettings() (percent, limit int64) {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}, {Name: "/gc/gomemlimit:bytes"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64()), int64(s[1].Value.Uint64())
}

// TestCollectFrom: below the floor nothing is collected; the first
// collection (the heap reached the floor) sets the percentage, and from
// then on the memory limit follows the live heap: the heap's goal plus
// limitSlack, never below limitFloor, and above a live heap that grew
// past any fixed figure.
func TestCollectFrom(t *testing.T) {
	oldPercent, oldLimit := gcSettings()
	defer func() {
		gcGeneration.Add(1) // ends the chain
		debug.SetGCPercent(int(oldPercent))
		debug.SetMemoryLimit(oldLimit)
	}()
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	collectFrom(64<<20, 77)
	if _, l := gcSettings(); l != 64<<20 {
		t.Fatalf("limit = %d, want the floor", l)
	}
	var keep [][]byte
	for i := 0; i < 4; i++ { // 4 MiB live: far below the floor
		keep = append(keep, make([]byte, 1<<20))
	}
	var mid runtime.MemStats
	runtime.ReadMemStats(&mid)
	if mid.NumGC != before.NumGC {
		t.Errorf("%d collections below the floor", mid.NumGC-before.NumGC)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		keep = append(keep, make([]byte, 1<<20)) // garbage once dropped below
		if len(keep) > 8 {
			keep = keep[:4]
		}
		if p, l := gcSettings(); p == 77 && l >= limitFloor && l < 64<<20+limitFloor {
			break
		}
		if time.Now().After(deadline) {
			p, l := gcSettings()
			t.Fatalf("after allocating past the floor: percent %d, limit %d; want 77 and a limit from %d", p, l, limitFloor)
		}
	}
	// 160 MiB live: the limit follows, to 1.77 times that and the slack
	big := make([][]byte, 160)
	for i := range big {
		big[i] = make([]byte, 1<<20)
	}
	const live = 160 << 20
	for {
		runtime.GC()
		time.Sleep(10 * time.Millisecond) // the cleanup runs on its own goroutine
		if _, l := gcSettings(); l >= live+live*77/100 && l < live+live*77/100+limitSlack+32<<20 {
			break
		}
		if time.Now().After(deadline) {
			_, l := gcSettings()
			t.Fatalf("with %d bytes live: limit %d, want the heap's goal plus the slack", live, l)
		}
	}
	runtime.KeepAlive(big)
	runtime.KeepAlive(keep)
}
