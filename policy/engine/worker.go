package engine

import (
	"io"
	"os"
	"runtime/metrics"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/policy/internal/wire"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/schema"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// DefaultMemory is the heap a worker allows itself when its parent names
// no budget (wire.MemoryEnv).
const DefaultMemory = 1 << 30

// Main is the worker program, jenkins-oidc-lint-policy: it serves the
// requests of its parent (package policy) on standard input and output
// until standard input ends, within the memory budget the environment
// names, and returns the exit code. A test binary may call it to be its
// own worker.
func Main() int {
	limit, err := strconv.ParseInt(os.Getenv(wire.MemoryEnv), 10, 64)
	if err != nil || limit <= 0 {
		limit = DefaultMemory
	}
	return Serve(os.Stdin, os.Stdout, limit)
}

// maxHeldSets bounds the compiled sets a worker keeps (the oldest goes; a
// request for it is answered RespUnknown, and its parent sends it again).
const maxHeldSets = 16

// Serve greets, then answers requests until in ends. A watchdog reads the
// heap every few milliseconds and, over limit, says so and exits.
func Serve(in io.Reader, out io.Writer, limit int64) int {
	var mu sync.Mutex // one message at a time
	enc := wire.NewEncoder(out)
	send := func(r wire.Response) {
		mu.Lock()
		defer mu.Unlock()
		if enc.Encode(r) != nil {
			os.Exit(1) // the parent is gone
		}
	}
	send(wire.Response{Kind: wire.RespHello, Hello: &wire.Hello{Program: wire.Program, Version: wire.Version}})
	var current atomic.Int64 // the rule being evaluated, -1 for none
	current.Store(-1)
	go watchdog(limit, func() {
		mu.Lock() // never released: the process ends
		enc.Encode(wire.Response{Kind: wire.RespMemory, Rule: int(current.Load())})
		os.Exit(3)
	})
	sets := map[uint64]*compiled{}
	var order []uint64
	dec := wire.NewDecoder(in)
	for {
		var req wire.Request
		if err := dec.Decode(&req); err != nil {
			if err == io.EOF {
				return 0
			}
			return 2
		}
		switch {
		case req.Op == wire.OpScan && req.Load != nil:
			send(wire.Response{Kind: wire.RespDone, IDs: candidateIDs(req.Load.Files)})
		case req.Op == wire.OpLoad && req.Load != nil:
			builtin := map[string]bool{}
			for _, id := range req.Load.Builtin {
				builtin[id] = true
			}
			c, errs := loadLocal(req.Load.Dirs, func(id string) bool { return builtin[id] }, newSnapFS(req.Load.Files), func(p report.Position) {
				send(wire.Response{Kind: wire.RespStart, Rule: -1, Pos: p})
			})
			if _, ok := sets[req.Key]; !ok {
				order = append(order, req.Key)
			}
			sets[req.Key] = c
			if len(order) > maxHeldSets {
				delete(sets, order[0])
				order = order[1:]
			}
			res := &wire.LoadResult{Errors: errs}
			for _, r := range c.rules {
				res.Rules = append(res.Rules, wire.Rule{ID: r.id, Kind: int(r.kind), Pos: r.pos, Meta: r.meta})
			}
			send(wire.Response{Kind: wire.RespDone, Load: res})
		case req.Op == wire.OpCheck && req.Check != nil:
			c := sets[req.Key]
			if c == nil {
				send(wire.Response{Kind: wire.RespUnknown})
				continue
			}
			nodes := wire.DecodeNodes(req.Check.Nodes)
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
					send(wire.Response{Kind: wire.RespStart, Rule: i})
				}, func(i int, vs []schema.Violation) {
					current.Store(-1)
					w := make([]wire.Violation, len(vs))
					for k, v := range vs {
						w[k] = wire.Violation{Path: v.Path, Node: ref(v.Node), Found: v.Found, Value: ref(v.Value), Kind: v.Kind, Message: v.Message}
					}
					send(wire.Response{Kind: wire.RespResult, Rule: i, Violations: w})
				})
			}
			send(wire.Response{Kind: wire.RespDone})
		default:
			return 2
		}
	}
}

// candidateIDs lists the rule IDs the @rule attributes of the files give
// (read without evaluating anything), for the client's built-in check.
func candidateIDs(files []wire.SnapFile) []string {
	l := &loader{fsys: newSnapFS(files), files: map[string]*source.File{}, labels: map[string]report.Position{}}
	var ids []string
	for _, f := range files {
		if f.IsDir {
			continue
		}
		if file, syntax := l.parse(f.Path); file != nil {
			for _, d := range l.scan(syntax, file) {
				ids = append(ids, d.args.id)
			}
		}
	}
	return ids
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

// ProtocolVersion is the version of the protocol a worker speaks.
const ProtocolVersion = wire.Version
