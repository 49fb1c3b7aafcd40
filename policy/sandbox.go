package policy

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/sibling"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/policy/internal/wire"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// Policies run on a budget.
//
// A policy is code from the repository being checked, which may be anyone's
// pull request, and CUE's evaluator has no way to be stopped from outside
// (cuelang.org/go v0.17 takes no context and has no step limit): a
// 150-byte policy such as
//
//	x: [for i in list.Range(0, 300000, 1) for j in list.Range(0, 300000, 1) {i * j}]
//
// evaluates for hours. A deadline on a goroutine would let the run go on but
// leave the evaluation burning a core and growing memory until the process
// ends. So policies are compiled and evaluated in worker processes — the
// program jenkins-oidc-lint-policy (package policy/engine; FindWorker says
// where it is found), talking JSON lines (policy/internal/wire) — which the process kills
// when an evaluation runs over its time, and which exit themselves when
// their heap grows over the memory budget (GOMEMLIMIT is set to it too, so
// the collector works hard before that). Either way the evaluation is gone,
// CPU and memory with it; the rule is reported as an error at its own
// file:line (Errors, and Load's errors for the compilation) and a finding
// at each document it could not check, and a new worker takes the next
// request.
//
// Before any evaluation, what can be judged from the source is (policy/engine's cost.go):
// list.Range, list.Repeat and strings.Repeat with literal arguments that
// build too much, comprehensions nested too deep or iterating too much.
//
// Workers are shared by the sets of a process (at most GOMAXPROCS of them
// per memory budget); each holds the sets it was sent, compiled from the
// text the loading process read (a worker never reads a policy file), and
// answers one request at a time.

// Budget bounds one evaluation: of a rule against one document, or of one
// step of compiling a policy directory.
type Budget struct {
	Time   time.Duration // wall-clock time
	Memory int64         // bytes of heap of the worker process
}

// DefaultBudget is the budget of Load: 2 s per rule and document, 1 GiB.
var DefaultBudget = Budget{Time: 2 * time.Second, Memory: 1 << 30}

// minMemory is the least memory budget: a worker needs some to start.
const minMemory = 64 << 20

// overrun records what a rule ran over.
type overrun struct {
	what string // "ran over its time budget (2s per document)", after "the policy"
	doc  string // the document's file
}

// setKeys numbers the sets of a process.
var setKeys atomic.Uint64

// LoadBudget is Load with a budget for each evaluation (a zero field takes
// DefaultBudget's).
func LoadBudget(dirs []string, builtin func(id string) bool, b Budget) (*Set, []report.FileError) {
	if b.Time <= 0 {
		b.Time = DefaultBudget.Time
	}
	if b.Memory <= 0 {
		b.Memory = DefaultBudget.Memory
	}
	b.Memory = max(b.Memory, minMemory)
	s := &Set{byKind: map[source.Kind][]int{}, key: setKeys.Add(1), budget: b}
	if len(dirs) == 0 {
		return s, nil
	}
	files := wire.Snapshot(dirs)
	pool := workers(b)
	w, err := pool.get()
	if err != nil {
		return s, []report.FileError{{Pos: report.Position{Path: dirs[0]}, Message: startError(err)}}
	}
	var inBuiltin []string
	if builtin != nil {
		ids, err := scanOn(w, dirs, files, b)
		if err != nil {
			w.kill()
			pool.put(w)
			return s, []report.FileError{{Pos: report.Position{Path: dirs[0]}, Message: "the policy worker failed: " + err.Error()}}
		}
		for _, id := range ids {
			if builtin(id) {
				inBuiltin = append(inBuiltin, id)
			}
		}
	}
	s.load = &wire.LoadRequest{Dirs: dirs, Files: files, Builtin: inBuiltin}
	res, errs := s.loadOn(w)
	pool.put(w)
	if res == nil {
		return s, errs
	}
	for i, r := range res.Rules {
		kind := source.Kind(r.Kind)
		s.rules = append(s.rules, &rule{id: r.ID, kind: kind, pos: r.Pos, meta: r.Meta})
		s.byKind[kind] = append(s.byKind[kind], i)
	}
	return s, errs
}

// startError words the error of starting a worker.
func startError(err error) string {
	if errors.Is(err, ErrNoWorker) {
		return err.Error()
	}
	return "cannot start the policy worker " + wire.Program + ": " + err.Error()
}

// scanOn asks worker w for the rule IDs the files' @rule attributes give
// (read without evaluating anything), for the built-in check.
func scanOn(w *worker, dirs []string, files []wire.SnapFile, b Budget) ([]string, error) {
	if err := w.send(wire.Request{Op: wire.OpScan, Load: &wire.LoadRequest{Dirs: dirs, Files: files}}); err != nil {
		return nil, err
	}
	r, status := w.next(max(10*b.Time, 10*time.Second))
	switch {
	case status == statusTimeout:
		return nil, errors.New("it did not answer in time")
	case status == statusGone:
		return nil, errors.New("it exited")
	case r.Kind != wire.RespDone:
		return nil, errors.New("it answered out of turn")
	}
	return r.IDs, nil
}

// loadOn compiles the set on worker w. On an overrun the worker is killed
// and the error names the place being evaluated.
func (s *Set) loadOn(w *worker) (*wire.LoadResult, []report.FileError) {
	if err := w.send(wire.Request{Op: wire.OpLoad, Key: s.key, Load: s.load}); err != nil {
		w.kill()
		return nil, []report.FileError{{Pos: report.Position{Path: s.load.Dirs[0]}, Message: "the policy worker failed: " + err.Error()}}
	}
	at := report.Position{Path: s.load.Dirs[0]}
	for {
		r, status := w.next(s.budget.Time)
		switch {
		case status == statusTimeout:
			w.kill()
			return nil, []report.FileError{{Pos: at, Message: "invalid policy: evaluating it " + s.budget.timeOver() + ": " + advice}}
		case status == statusGone:
			return nil, []report.FileError{{Pos: at, Message: "invalid policy: evaluating it made the policy worker fail (out of memory?): " + advice}}
		case r.Kind == wire.RespMemory:
			w.kill()
			return nil, []report.FileError{{Pos: at, Message: "invalid policy: evaluating it " + s.budget.memoryOver() + ": " + advice}}
		case r.Kind == wire.RespStart:
			if r.Pos.Path != "" {
				at = r.Pos
			}
		case r.Kind == wire.RespDone && r.Load != nil:
			return r.Load, r.Load.Errors
		default:
			w.kill()
			return nil, []report.FileError{{Pos: at, Message: "the policy worker answered out of turn"}}
		}
	}
}

func (b Budget) timeOver() string {
	return fmt.Sprintf("ran over its time budget (%v per document)", b.Time)
}

func (b Budget) memoryOver() string {
	return fmt.Sprintf("ran over its memory budget (%d MiB)", b.Memory>>20)
}

// advice ends the error of an overrun.
const advice = "a policy must stay cheap (no large ranges, no deep comprehensions over large lists); --policy-timeout and --policy-memory set the budget"

// evaluate checks a document against the set's rules idx of one kind, on
// as many workers as overruns take, and returns the violations of each rule
// and the rules that could not check it.
func (s *Set) evaluate(doc string, kind source.Kind, idx []int, nodes []wire.Node) (map[int][]wire.Violation, map[int]overrun) {
	results := map[int][]wire.Violation{}
	over := map[int]overrun{}
	s.mu.Lock()
	var pending []int
	for _, i := range idx {
		if o, ok := s.over[i]; ok {
			over[i] = overrun{what: o.what + " on " + o.doc}
		} else {
			pending = append(pending, i)
		}
	}
	s.mu.Unlock()
	pool := workers(s.budget)
	for len(pending) > 0 {
		w, err := pool.get()
		if err != nil {
			for _, i := range pending {
				over[i] = overrun{what: "could not run: " + err.Error()}
			}
			break
		}
		pending = s.checkOn(w, doc, kind, pending, nodes, results, over)
		pool.put(w)
	}
	return results, over
}

// checkOn runs one check request on w and returns the rules still to run
// (after one that ran over its budget, which killed w).
func (s *Set) checkOn(w *worker, doc string, kind source.Kind, pending []int, nodes []wire.Node, results map[int][]wire.Violation, over map[int]overrun) []int {
	req := wire.Request{Op: wire.OpCheck, Key: s.key, Check: &wire.CheckRequest{Kind: int(kind), Rules: pending, Nodes: nodes}}
	if err := w.send(req); err != nil {
		w.kill()
		return pending // a new worker
	}
	current := -1
	rest := func() []int {
		for k, i := range pending {
			if i == current {
				return pending[k+1:]
			}
		}
		return pending
	}
	fail := func(what string) []int {
		w.kill()
		if current < 0 {
			current = pending[0] // before the first rule: the document's encoding
		}
		s.record(current, overrun{what: what, doc: doc})
		over[current] = overrun{what: what}
		return rest()
	}
	loaded := false
	for {
		timeout := s.budget.Time
		if current < 0 {
			timeout = max(10*s.budget.Time, 10*time.Second) // encoding the document, loading the set
		}
		r, status := w.next(timeout)
		switch {
		case status == statusTimeout:
			return fail(s.budget.timeOver())
		case status == statusGone:
			return fail("made the policy worker fail (out of memory?)")
		case r.Kind == wire.RespMemory:
			return fail(s.budget.memoryOver())
		case r.Kind == wire.RespUnknown && !loaded:
			loaded = true
			if res, errs := s.loadOn(w); res == nil {
				for _, i := range pending {
					over[i] = overrun{what: "could not be compiled again: " + fmt.Sprint(errs)}
				}
				return nil
			}
			if err := w.send(req); err != nil {
				w.kill()
				return pending
			}
		case r.Kind == wire.RespStart:
			current = r.Rule
		case r.Kind == wire.RespResult:
			results[r.Rule] = r.Violations
			current = -1
		case r.Kind == wire.RespDone:
			return nil
		default:
			w.kill()
			return pending
		}
	}
}

// record notes that rule i ran over its budget (the first time only).
func (s *Set) record(i int, o overrun) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.over == nil {
		s.over = map[int]overrun{}
	}
	if _, ok := s.over[i]; !ok {
		s.over[i] = o
	}
}

// Errors lists the rules that ran over their budget so far, one error each
// at the rule's position (exit 2), sorted. The engine adds them to the
// report's errors once every document is checked.
func (s *Set) Errors() []report.FileError {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []report.FileError
	for i, o := range s.over {
		r := s.rules[i]
		out = append(out, report.FileError{Pos: r.pos, Message: fmt.Sprintf("policy %s %s on %s: %s", r.id, o.what, o.doc, advice)})
	}
	report.SortErrors(out)
	return out
}

// The pool of workers, one per memory budget.

var (
	poolsMu sync.Mutex
	pools   = map[int64]*workerPool{}
)

func workers(b Budget) *workerPool {
	poolsMu.Lock()
	defer poolsMu.Unlock()
	p := pools[b.Memory]
	if p == nil {
		p = &workerPool{memory: b.Memory, max: runtime.GOMAXPROCS(0)}
		p.cond = sync.NewCond(&p.mu)
		pools[b.Memory] = p
	}
	return p
}

type workerPool struct {
	memory int64
	max    int
	mu     sync.Mutex
	cond   *sync.Cond
	idle   []*worker
	count  int // started and not dead
}

// get returns an idle worker, a new one, or waits for one.
func (p *workerPool) get() (*worker, error) {
	p.mu.Lock()
	for len(p.idle) == 0 && p.count >= p.max {
		p.cond.Wait()
	}
	if n := len(p.idle); n > 0 {
		w := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return w, nil
	}
	p.count++
	p.mu.Unlock()
	w, err := startWorker(p.memory)
	if err != nil {
		p.mu.Lock()
		p.count--
		p.cond.Signal()
		p.mu.Unlock()
	}
	return w, err
}

// put returns a worker to the pool (a dead one frees its place).
func (p *workerPool) put(w *worker) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if w.dead {
		p.count--
	} else {
		p.idle = append(p.idle, w)
	}
	p.cond.Signal()
}

// worker is one worker process.
type worker struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	enc  *wire.Encoder
	resp chan wire.Response
	done chan struct{} // closed by kill
	dead bool
}

// next waits up to timeout for the worker's next message.
func (w *worker) next(timeout time.Duration) (wire.Response, int) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case r, ok := <-w.resp:
		if !ok {
			w.kill()
			return r, statusGone
		}
		return r, statusOK
	case <-t.C:
		return wire.Response{}, statusTimeout
	}
}

const (
	statusOK = iota
	statusTimeout
	statusGone
)

func (w *worker) send(r wire.Request) error {
	return w.enc.Encode(r)
}

// kill ends the worker's process; its reader sees the end of its output.
func (w *worker) kill() {
	if w.dead {
		return
	}
	w.dead = true
	close(w.done)
	w.in.Close()
	w.cmd.Process.Kill()
	go w.cmd.Wait()
}

// WorkerEnv names the worker program to run, overriding the search.
const WorkerEnv = "JENKINS_OIDC_LINT_POLICY"

// ErrNoWorker is FindWorker's error when there is no worker to run.
var ErrNoWorker = errors.New("the policies need " + wire.Program + ", which is neither next to this program nor on PATH: install both (go install github.com/jenkins-oidc-lint/jenkins-oidc-lint/cmd/...@latest) or set " + WorkerEnv)

// FindWorker returns the worker program to run: $JENKINS_OIDC_LINT_POLICY,
// else jenkins-oidc-lint-policy next to this executable, else on PATH.
// Only a run that has policies looks for it.
func FindWorker() (string, error) {
	p, err := sibling.Find(WorkerEnv, wire.Program)
	if err != nil {
		return "", ErrNoWorker
	}
	return p, nil
}

// startWorker starts a worker process and waits for its greeting.
func startWorker(memory int64) (*worker, error) {
	exe, err := FindWorker()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), wire.MemoryEnv+"="+strconv.FormatInt(memory, 10), "GOMEMLIMIT="+strconv.FormatInt(memory, 10))
	cmd.Stderr = nil // a crash's dump is not the user's business; the parent says what failed
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		// the syscall's words only: the error's path is an absolute path
		// the user did not give
		for u := errors.Unwrap(err); u != nil; u = errors.Unwrap(u) {
			err = u
		}
		return nil, err
	}
	w := &worker{cmd: cmd, in: in, enc: wire.NewEncoder(in), resp: make(chan wire.Response, 8), done: make(chan struct{})}
	go func() {
		dec := wire.NewDecoder(out)
		for {
			var r wire.Response
			if err := dec.Decode(&r); err != nil {
				close(w.resp)
				return
			}
			select {
			case w.resp <- r:
			case <-w.done:
				return
			}
		}
	}()
	r, status := w.next(helloTimeout)
	if status != statusOK {
		w.kill()
		return nil, fmt.Errorf("%s at %s did not start (is it %s?)", wire.Program, exe, wire.Program)
	}
	if err := wire.CheckHello(r); err != nil {
		w.kill()
		return nil, fmt.Errorf("%s at %s: %v", wire.Program, exe, err)
	}
	return w, nil
}

// helloTimeout bounds the start of a worker.
const helloTimeout = 30 * time.Second
