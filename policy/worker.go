package policy

import (
	"bufio"
	"encoding/gob"
	"io"
	"os"
	"runtime/metrics"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/schema"
)

// A worker is this executable started with workerArg as its only argument
// and workerEnv set to its memory budget in bytes: init serves requests on
// standard input and output until standard input ends, and exits. Any
// program that imports this package (the command, its tests) can so be its
// own worker, with no code in main.
const (
	workerArg = "__jenkins-oidc-lint-policy-worker__"
	workerEnv = "JENKINS_OIDC_LINT_POLICY_WORKER"
)

func init() {
	if len(os.Args) == 2 && os.Args[1] == workerArg {
		if limit, err := strconv.ParseInt(os.Getenv(workerEnv), 10, 64); err == nil && limit > 0 {
			os.Exit(serve(os.Stdin, os.Stdout, limit))
		}
	}
}

// maxHeldSets bounds the compiled sets a worker keeps (the oldest goes; a
// request for it is answered respUnknown, and its parent sends it again).
const maxHeldSets = 16

// serve answers requests until in ends. A watchdog reads the heap every few
// milliseconds and, over limit, says so and exits.
func serve(in io.Reader, out io.Writer, limit int64) int {
	var mu sync.Mutex // one message at a time
	buf := bufio.NewWriter(out)
	enc := gob.NewEncoder(buf)
	send := func(r response) {
		mu.Lock()
		defer mu.Unlock()
		if enc.Encode(r) != nil || buf.Flush() != nil {
			os.Exit(1) // the parent is gone
		}
	}
	var current atomic.Int64 // the rule being evaluated, -1 for none
	current.Store(-1)
	go watchdog(limit, func() {
		mu.Lock() // never released: the process ends
		enc.Encode(response{Kind: respMemory, Rule: int(current.Load())})
		buf.Flush()
		os.Exit(3)
	})
	sets := map[uint64]*compiled{}
	var order []uint64
	dec := gob.NewDecoder(bufio.NewReader(in))
	for {
		var req request
		if err := dec.Decode(&req); err != nil {
			return 0
		}
		switch {
		case req.Op == opLoad && req.Load != nil:
			builtin := map[string]bool{}
			for _, id := range req.Load.Builtin {
				builtin[id] = true
			}
			c, errs := loadLocal(req.Load.Dirs, func(id string) bool { return builtin[id] }, newSnapFS(req.Load.Files), func(p report.Position) {
				send(response{Kind: respStart, Rule: -1, Pos: p})
			})
			if _, ok := sets[req.Key]; !ok {
				order = append(order, req.Key)
			}
			sets[req.Key] = c
			if len(order) > maxHeldSets {
				delete(sets, order[0])
				order = order[1:]
			}
			res := &loadResult{Errors: errs}
			for _, r := range c.rules {
				res.Rules = append(res.Rules, wireRule{ID: r.id, Kind: int(r.kind), Pos: r.pos, Meta: r.meta})
			}
			send(response{Kind: respDone, Load: res})
		case req.Op == opCheck && req.Check != nil:
			c := sets[req.Key]
			if c == nil {
				send(response{Kind: respUnknown})
				continue
			}
			nodes := decodeNodes(req.Check.Nodes)
			index := make(map[*yaml.Node]int32, len(nodes))
			for i, n := range nodes {
				index[n] = int32(i)
			}
			ref := func(n *yaml.Node) int32 {
				if i, ok := index[n]; ok && n != nil {
					return i
				}
				return -1
			}
			if len(nodes) > 0 {
				c.violations(nodes[0], req.Check.Rules, func(i int) {
					current.Store(int64(i))
					send(response{Kind: respStart, Rule: i})
				}, func(i int, vs []schema.Violation) {
					current.Store(-1)
					w := make([]wireViolation, len(vs))
					for k, v := range vs {
						w[k] = wireViolation{Path: v.Path, Node: ref(v.Node), Found: v.Found, Value: ref(v.Value), Kind: v.Kind, Message: v.Message}
					}
					send(response{Kind: respResult, Rule: i, Violations: w})
				})
			}
			send(response{Kind: respDone})
		default:
			return 2
		}
	}
}

// watchdog calls over when the live heap grows over limit.
func watchdog(limit int64, over func()) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	for range time.Tick(5 * time.Millisecond) {
		metrics.Read(sample)
		if sample[0].Value.Kind() == metrics.KindUint64 && int64(sample[0].Value.Uint64()) > limit {
			over()
		}
	}
}
