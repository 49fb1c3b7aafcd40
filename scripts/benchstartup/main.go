// Command benchstartup measures how fast a command starts and finishes:
// scripts/bench-startup.sh runs it on the built jenkins-oidc-lint and on
// actionlint. It has two modes.
//
//	benchstartup run [-n N] [-warmup W] [-dir DIR] [-name NAME] [-callgrind] -- CMD ARGS...
//
// runs CMD N times (after W unmeasured runs), standard output and error
// discarded, any exit code accepted (a linter exits 1 on findings; the code
// of the first run is shown), and prints one tab-separated line: the name,
// the median and 90th percentile of the wall time, the median CPU time
// (user + system, which a loaded machine inflates less than wall time), the
// median of the peak resident memory, the exit code, and with -callgrind the
// instructions one run executes under valgrind --tool=callgrind, child
// processes included (a deterministic count: the figure to compare on a
// busy machine).
//
//	benchstartup rounds [-n N] [-warmup W] [-callgrind] LIST
//
// does what run does for every command of LIST (a file of lines
// "NAME|DIR|CMD|ARG|…"), in N rounds that each run every command once, so
// that a change in the machine's load falls on all the lines alike, and
// prints one line per command, in LIST's order.
//
//	benchstartup inittrace [-n N] [-top K] -- CMD ARGS...
//
// runs CMD N times with GODEBUG=inittrace=1 and prints, for each package
// the runtime initialised, the median clock time and allocations of its
// initialisation over the runs (a single run is at the mercy of the
// scheduler), the K slowest first, then the sum of the medians and the
// packages over 1 ms.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "run":
		err = run(os.Args[2:])
	case "rounds":
		err = rounds(os.Args[2:])
	case "inittrace":
		err = inittrace(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchstartup:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: benchstartup run [-n N] [-warmup W] [-dir DIR] [-name NAME] [-callgrind] -- CMD ARGS...\n       benchstartup rounds [-n N] [-warmup W] [-callgrind] LIST\n       benchstartup inittrace [-n N] [-top K] -- CMD ARGS...")
	os.Exit(2)
}

// sample is one measured run.
type sample struct {
	wall, cpu time.Duration
	maxRSS    int64 // KiB
	code      int
}

func once(dir string, env []string, cmd []string, stderr io.Writer) (sample, error) {
	c := exec.Command(cmd[0], cmd[1:]...)
	c.Dir = dir
	c.Env = env
	c.Stdout = io.Discard
	c.Stderr = stderr
	start := time.Now()
	err := c.Run()
	wall := time.Since(start)
	if c.ProcessState == nil {
		return sample{}, err
	}
	s := sample{wall: wall, cpu: c.ProcessState.UserTime() + c.ProcessState.SystemTime(), code: c.ProcessState.ExitCode()}
	if ru, ok := c.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.maxRSS = ru.Maxrss
	}
	return s, nil
}

func run(args []string) error {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	n := fs.Int("n", 50, "measured runs")
	warmup := fs.Int("warmup", 5, "unmeasured runs first")
	dir := fs.String("dir", ".", "working directory of the command")
	name := fs.String("name", "", "name of the line (default: the command)")
	cg := fs.Bool("callgrind", false, "also count the instructions of one run with valgrind --tool=callgrind")
	fs.Parse(args)
	cmd := fs.Args()
	if len(cmd) == 0 || *n < 1 {
		usage()
	}
	if *name == "" {
		*name = strings.Join(cmd, " ")
	}
	env := os.Environ()
	for i := 0; i < *warmup; i++ {
		if _, err := once(*dir, env, cmd, io.Discard); err != nil {
			return err
		}
	}
	var samples []sample
	for i := 0; i < *n; i++ {
		s, err := once(*dir, env, cmd, io.Discard)
		if err != nil {
			return err
		}
		samples = append(samples, s)
	}
	return report(*name, *dir, cmd, samples, *cg)
}

// report prints the line of one command: its name, wall time median and
// 90th percentile, CPU time median, peak memory median, the first run's
// exit code and, with cg, the instructions of one run.
func report(name, dir string, cmd []string, samples []sample, cg bool) error {
	walls := make([]time.Duration, len(samples))
	cpus := make([]time.Duration, len(samples))
	rss := make([]int64, len(samples))
	for i, s := range samples {
		walls[i], cpus[i], rss[i] = s.wall, s.cpu, s.maxRSS
	}
	instr := "-"
	if cg {
		ir, err := callgrind(dir, cmd)
		if err != nil {
			return err
		}
		instr = fmt.Sprintf("%.1fM", float64(ir)/1e6)
	}
	fmt.Printf("%s\t%s\t%s\t%s\t%d MiB\t%d\t%s\n", name, ms(quantile(walls, 0.5)), ms(quantile(walls, 0.9)),
		ms(quantile(cpus, 0.5)), quantile(rss, 0.5)/1024, samples[0].code, instr)
	return nil
}

// job is one line of a rounds list.
type job struct {
	name, dir string
	cmd       []string
	samples   []sample
}

func rounds(args []string) error {
	fs := flag.NewFlagSet("rounds", flag.ExitOnError)
	n := fs.Int("n", 50, "measured rounds")
	warmup := fs.Int("warmup", 5, "unmeasured rounds first")
	cg := fs.Bool("callgrind", false, "also count the instructions of one run of each command with valgrind --tool=callgrind")
	fs.Parse(args)
	if fs.NArg() != 1 || *n < 1 {
		usage()
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	var jobs []*job
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.Split(line, "|")
		if len(f) < 3 {
			return fmt.Errorf("%s:%d: want NAME|DIR|CMD|ARG…", fs.Arg(0), i+1)
		}
		jobs = append(jobs, &job{name: f[0], dir: f[1], cmd: f[2:]})
	}
	env := os.Environ()
	for r := 0; r < *warmup+*n; r++ {
		for _, j := range jobs {
			s, err := once(j.dir, env, j.cmd, io.Discard)
			if err != nil {
				return fmt.Errorf("%s: %w", j.name, err)
			}
			if r >= *warmup {
				j.samples = append(j.samples, s)
			}
		}
	}
	for _, j := range jobs {
		if err := report(j.name, j.dir, j.cmd, j.samples, *cg); err != nil {
			return err
		}
	}
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

func quantile[T int64 | time.Duration](xs []T, q float64) T {
	s := append([]T(nil), xs...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[int(q*float64(len(s)-1)+0.5)]
}

var irRE = regexp.MustCompile(`(?m)^==\d+== (?:I\s+refs|Collected)\s*:\s*([\d,]+)`)

// callgrind counts the instructions of one run, its child processes'
// included (a run with policies starts its worker, jenkins-oidc-lint-policy,
// whose instructions are the run's too). Go programs need asynchronous
// preemption off under valgrind (its signals confuse callgrind); it does not
// change what a run computes. valgrind 3.19 does not know RDTSCP, which the
// runtime executes when a lock is contended (runtime.cputicks): the
// instruction is turned off (GODEBUG cpu.rdtscp=off), and a run that dies
// of it anyway is tried again. GOMAXPROCS=1 keeps the runtime's idle threads
// from spinning (which valgrind, one thread at a time, makes long and
// variable): the count is then reproducible to about 0.2%.
func callgrind(dir string, cmd []string) (int64, error) {
	var err error
	for range 8 {
		var ir int64
		if ir, err = callgrindOnce(dir, cmd); err == nil {
			return ir, nil
		}
	}
	return 0, err
}

func callgrindOnce(dir string, cmd []string) (int64, error) {
	tmp, err := os.MkdirTemp("", "benchstartup-callgrind-*")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)
	// each process its own log (a worker's standard error is not its
	// parent's) and profile
	vg := append([]string{"--tool=callgrind", "--trace-children=yes",
		"--callgrind-out-file=" + filepath.Join(tmp, "out.%p"), "--log-file=" + filepath.Join(tmp, "log.%p")}, cmd...)
	c := exec.Command("valgrind", vg...)
	c.Dir = dir
	c.Env = append(os.Environ(), "GODEBUG=asyncpreemptoff=1,cpu.rdtscp=off", "GOMAXPROCS=1")
	c.Stderr = io.Discard
	c.Stdout = io.Discard
	c.Run() // the command's own exit code is not an error here
	// a child may outlive its parent by a little (a worker ends when its
	// input does): wait until every process has said how much it ran
	deadline := time.Now().Add(60 * time.Second)
	for {
		logs, _ := filepath.Glob(filepath.Join(tmp, "log.*"))
		var sum int64
		done := len(logs) > 0
		var last string
		for _, l := range logs {
			data, _ := os.ReadFile(l)
			last = string(data)
			if bytes.Contains(data, []byte("Unrecognised instruction")) {
				return 0, fmt.Errorf("valgrind could not run %s:\n%s", filepath.Base(cmd[0]), lastLines(last, 5))
			}
			m := irRE.FindSubmatch(data)
			if m == nil {
				done = false
				continue
			}
			ir, err := strconv.ParseInt(strings.ReplaceAll(string(m[1]), ",", ""), 10, 64)
			if err != nil {
				return 0, err
			}
			sum += ir
		}
		if done {
			return sum, nil
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("no instruction count from valgrind for %s:\n%s", filepath.Base(cmd[0]), lastLines(last, 5))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// initRE matches a line of GODEBUG=inittrace=1.
var initRE = regexp.MustCompile(`^init (\S+) @[\d.]+ ms, ([\d.]+) ms clock, (\d+) bytes, (\d+) allocs`)

func inittrace(args []string) error {
	fs := flag.NewFlagSet("inittrace", flag.ExitOnError)
	n := fs.Int("n", 21, "runs")
	top := fs.Int("top", 15, "packages to list")
	fs.Parse(args)
	cmd := fs.Args()
	if len(cmd) == 0 || *n < 1 {
		usage()
	}
	env := append(os.Environ(), "GODEBUG=inittrace=1")
	clock := map[string][]time.Duration{}
	allocs := map[string][]int64{}
	var order []string
	for i := 0; i < *n; i++ {
		var stderr bytes.Buffer
		if _, err := once(".", env, cmd, &stderr); err != nil {
			return err
		}
		sc := bufio.NewScanner(&stderr)
		for sc.Scan() {
			m := initRE.FindStringSubmatch(sc.Text())
			if m == nil {
				continue
			}
			f, _ := strconv.ParseFloat(m[2], 64)
			a, _ := strconv.ParseInt(m[4], 10, 64)
			if _, seen := clock[m[1]]; !seen {
				order = append(order, m[1])
			}
			clock[m[1]] = append(clock[m[1]], time.Duration(f*float64(time.Millisecond)))
			allocs[m[1]] = append(allocs[m[1]], a)
		}
	}
	if len(order) == 0 {
		return fmt.Errorf("%s printed no inittrace lines", cmd[0])
	}
	type row struct {
		pkg    string
		med    time.Duration
		allocs int64
	}
	var rows []row
	var sum time.Duration
	for _, p := range order {
		r := row{p, quantile(clock[p], 0.5), quantile(allocs[p], 0.5)}
		sum += r.med
		rows = append(rows, r)
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].med > rows[j].med })
	fmt.Printf("package initialisation, median of %d runs: %d packages, %.2f ms in all\n", *n, len(rows), float64(sum)/float64(time.Millisecond))
	var over []string
	for i, r := range rows {
		if r.med > time.Millisecond {
			over = append(over, r.pkg)
		}
		if i < *top {
			fmt.Printf("  %8.3f ms %7d allocs  %s\n", float64(r.med)/float64(time.Millisecond), r.allocs, r.pkg)
		}
	}
	fmt.Printf("packages over 1 ms: %d %s\n", len(over), strings.Join(over, " "))
	return nil
}
