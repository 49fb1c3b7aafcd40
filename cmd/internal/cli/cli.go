// Package cli is the command line of jenkins-oidc-lint: flags, wiring
// and exit codes; the work is done by package lint and the output by
// package report. Two programs run it. jenkins-oidc-lint links neither
// the network stack nor an OIDC library, so that it starts as fast as a
// process can; it hands a run that needs them (--online, the access
// command) to jenkins-oidc-lint-online, which runs the same command line
// with them (Program.Net).
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"time"

	"github.com/spf13/pflag"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/cmd/internal/command"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/sibling"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/inventory"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/lint"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/policy"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/rules"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/settings"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry"
)

// Program is what the programs that run the command line differ in.
type Program struct {
	// Version is what --version prints and reports carry.
	Version string
	// Net runs what needs the network stack or an OIDC library; nil in
	// jenkins-oidc-lint, which hands such runs to jenkins-oidc-lint-online.
	Net *Net
	// Handoff runs the whole command line in jenkins-oidc-lint-online when
	// Net is nil; it returns only when that program could not be started.
	// Nil: such a run is an error that names the program to install.
	Handoff func() error
}

// Net is what jenkins-oidc-lint-online adds to the command line.
type Net struct {
	// Online returns the checker of --online with the flags' settings:
	// the time each request may take, to connect and in all, the
	// User-Agent, and how certificates are judged.
	Online func(timeout, connectTimeout time.Duration, userAgent string, exp expiry.Settings) lint.Online
	// Access runs the access command (its arguments after "access").
	Access func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// The --online timeouts' defaults (package online's defaults, which
// TestOnlineDefaults keeps equal).
const (
	defaultOnlineTimeout        = 15 * time.Second
	defaultOnlineConnectTimeout = 5 * time.Second
)

// OnlineProgram is the program that runs what needs the network (--online,
// access), and OnlineEnv names it, overriding the search (Handoff).
const (
	OnlineProgram = "jenkins-oidc-lint-online"
	OnlineEnv     = "JENKINS_OIDC_LINT_ONLINE"
)

// errNoOnline says what to install when a run needs OnlineProgram and
// cannot find it.
var errNoOnline = errors.New("needs " + OnlineProgram + ", which is neither next to this program nor on PATH: install the programs together (go install github.com/jenkins-oidc-lint/jenkins-oidc-lint/cmd/...@latest) or set " + OnlineEnv)

// Handoff replaces this process with OnlineProgram run on args (os.Args
// without the program name), found through $JENKINS_OIDC_LINT_ONLINE, else
// next to this program, else on PATH; it returns only on failure.
func Handoff(version string, args []string) error {
	if os.Getenv(handedOff) != "" {
		// the program handed to handed the run back (OnlineEnv names
		// jenkins-oidc-lint itself): stop rather than loop
		return fmt.Errorf("needs %s, but the program found for it (%s) cannot run it either", OnlineProgram, os.Getenv(handedOff))
	}
	exe, err := sibling.Find(OnlineEnv, OnlineProgram)
	if errors.Is(err, sibling.ErrNotFound) {
		return errNoOnline
	}
	if err != nil {
		return err
	}
	if err := os.Setenv(handedOff, exe); err != nil {
		return err
	}
	if err := os.Setenv(handedOffBy, version); err != nil {
		return err
	}
	return execProgram(exe, args)
}

// handedOff and handedOffBy are set in the environment of the program a run
// is handed to: its path, and the version of the program that handed it.
const (
	handedOff   = "JENKINS_OIDC_LINT_HANDED_OFF"
	handedOffBy = "JENKINS_OIDC_LINT_HANDED_OFF_BY"
)

// versionDrift is the error of a run handed over by another version of
// jenkins-oidc-lint (the programs were not installed together: the flags
// and findings of the two may differ); "" when the versions agree or the
// run was not handed over.
func (p Program) versionDrift() string {
	by := os.Getenv(handedOffBy)
	if p.Net == nil || by == "" || by == p.Version {
		return ""
	}
	at := by
	if !strings.HasPrefix(at, "v") {
		at = "latest" // a development build: no module version to name
	}
	return fmt.Sprintf("jenkins-oidc-lint %s handed this run to %s %s: install the programs of one version together (go install github.com/jenkins-oidc-lint/jenkins-oidc-lint/cmd/...@%s)", by, OnlineProgram, p.Version, at)
}

// needsNet is the one-line error or the handoff of a run that needs Net.
func (p Program) needsNet(what string, stderr io.Writer) int {
	err := errNoOnline
	if p.Handoff != nil {
		err = p.Handoff()
	}
	fmt.Fprintf(stderr, "jenkins-oidc-lint: %s %v\n", what, err)
	return exitTrouble
}

// Exit codes (package command's).
const (
	exitOK       = command.OK
	exitFindings = command.Findings
	exitTrouble  = command.Trouble
)

// Main runs the command line in the calling program (os.Args) and exits.
func Main(p Program) {
	if bi, ok := debug.ReadBuildInfo(); ok && p.Version == "0.1.0-dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		p.Version = bi.Main.Version // installed with go install …@vX.Y.Z
	}
	setGC()
	os.Exit(Run(p, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// gcPercent is the garbage collector's target unless GOGC is set: the heap
// may grow by half its live size between collections (Go's default, 100,
// lets it double). A run's live heap is mostly what later stages need of
// every file, so the default doubled the peak for little CPU saved.
const gcPercent = 50

// gcFloor is the heap below which no collection runs: a run on a few files
// (a pre-commit hook, an editor) never reaches it and collects nothing,
// which is a tenth of its time; a tree reaches it in milliseconds and is
// collected at gcPercent from then on.
const gcFloor = 32 << 20

// setGC applies gcFloor and gcPercent when the environment sets neither
// GOGC nor GOMEMLIMIT (they win when set).
func setGC() {
	_, gogc := os.LookupEnv("GOGC")
	_, limit := os.LookupEnv("GOMEMLIMIT")
	switch {
	case gogc:
	case limit:
		debug.SetGCPercent(gcPercent)
	default:
		collectFrom(gcFloor, gcPercent)
	}
}

// collectFrom turns the collector off until the heap reaches floor bytes
// (a memory limit, Go's documented GOGC=off GOMEMLIMIT=floor), then, once
// the first collection has run, sets percent and has the memory limit
// follow the live heap (followLive): a cleanup on an object nothing
// references runs after the collection that finds it so.
func collectFrom(floor int64, percent int) {
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(floor)
	gen := gcGeneration.Add(1)
	afterCollection(func() {
		if gcGeneration.Load() == gen {
			debug.SetGCPercent(percent)
			followLive(percent, gen)
		}
	})
}

// gcGeneration numbers the calls of collectFrom: a chain of followLive
// ends when a later call (or a test) moves it on.
var gcGeneration atomic.Int64

// afterCollection calls fn once the next collection has run.
func afterCollection(fn func()) {
	sentinel := new([32]byte) // not in the tiny allocator, whose objects may never be cleaned up
	runtime.AddCleanup(sentinel, func(fn func()) { fn() }, fn)
}

// limitFloor is the least memory limit followLive sets.
const limitFloor = 64 << 20

// limitSlack is what followLive allows beyond the heap's goal: the
// goroutines' stacks and the runtime's own books.
const limitSlack = 8 << 20

// followLive sets the memory limit, after every collection, to the heap's
// goal (the live heap plus percent of it) plus limitSlack, and at least
// limitFloor. The goal alone bounds the objects, not what the runtime
// holds besides: pages freed but not yet returned to the system and
// fragmentation took a run's resident set a third above its goal (at
// 50,000 files 155 MB against a goal of about 120). A limit this close
// makes the runtime return free pages and collect early instead, and as
// it follows the live heap, a run whose live heap grows past any fixed
// figure never collects without end.
func followLive(percent int, gen int64) {
	if gcGeneration.Load() != gen {
		return
	}
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	live := int64(s[0].Value.Uint64())
	debug.SetMemoryLimit(max(limitFloor, live+live*int64(percent)/100+limitSlack))
	afterCollection(func() { followLive(percent, gen) })
}

// Run runs the command line args (without the program's name) and returns
// the exit code.
func Run(p Program, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if msg := p.versionDrift(); msg != "" {
		fmt.Fprintln(stderr, "jenkins-oidc-lint: "+msg)
		return exitTrouble
	}
	if len(args) > 0 {
		switch args[0] {
		case "rules":
			return listRules(args[1:], stdout, stderr)
		case "explain":
			return explain(args[1:], stdout, stderr)
		case "access":
			if p.Net == nil {
				return p.needsNet("access", stderr)
			}
			return p.Net.Access(args[1:], stdin, stdout, stderr)
		case "trust":
			return runTrust(args[1:], stdin, stdout, stderr)
		case "inventory":
			return runInventory(args[1:], stdin, stdout, stderr)
		case "lsp":
			return runLSP(p.Version, args[1:], stdin, stdout, stderr)
		}
	}
	fs := pflag.NewFlagSet("jenkins-oidc-lint", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.StringP("format", "f", "text", "output format: "+strings.Join(report.Formats(), "|"))
	outputs := fs.StringArrayP("output", "o", nil, "write the report to `FILE` instead of standard output; FORMAT=FILE (repeatable, - for standard output) writes several reports from one run")
	failOn := fs.String("fail-on", "warning", "exit 1 when a finding is at or above this `severity`: error|warning|note")
	enable := fs.StringSlice("enable", nil, "run only these `RULE`s (comma-separated)")
	disable := fs.StringSlice("disable", nil, "do not run these `RULE`s (comma-separated)")
	maxSize := fs.String("max-file-size", "10MiB", "refuse input files larger than `SIZE` (bytes, or with KB/KiB/MB/MiB)")
	metadata := fs.StringArray("metadata", nil, "provider discovery metadata `FILE` (repeatable)")
	stdinName := fs.String("stdin-filename", "", "`NAME` of standard input (given as -), for its kind and positions")
	onlineMode := fs.Bool("online", false, "fetch each realm's discovery document and JWKS and check them too (off by default)")
	onlineTimeout := fs.Duration("online-timeout", defaultOnlineTimeout, "total time allowed for each --online request")
	onlineConnect := fs.Duration("online-connect-timeout", defaultOnlineConnectTimeout, "time allowed to connect (TCP and TLS) for each --online request")
	allFiles := fs.Bool("all-files", false, "also scan every other text file of the walked directories for secrets")
	noIgnore := fs.Bool("no-ignore", false, "also read what .gitignore, .git/info/exclude and git's global excludes file skip in walked directories")
	policyDirs := fs.StringArray("policy", nil, "load user policies (CUE) from `DIR` (repeatable)")
	configPath := fs.String("config", "", "read settings from `FILE` (default: "+settings.FileName+" in the working directory or a parent)")
	noConfig := fs.Bool("no-config", false, "do not read a configuration file")
	baseline := fs.String("baseline", "", "hide the findings recorded in baseline `FILE`")
	writeBaseline := fs.String("write-baseline", "", "record today's findings in baseline `FILE` (all of them: --baseline is not applied) and exit 0")
	showDiff := fs.Bool("diff", false, "print the suggested fixes as a unified diff instead of the report")
	doFix := fs.Bool("fix", false, "apply the suggested fixes to the files (again while a fix reveals another, at most 3 rounds), then report what remains")
	policyTimeout := fs.Duration("policy-timeout", policy.DefaultBudget.Time, "time each policy may take on each document (the settings may lower it)")
	policyMemory := fs.String("policy-memory", "1GiB", "memory of the processes that evaluate policies (the settings may lower it)")
	changedSince := fs.String("changed-since", "", "report only files changed since git `REV` (all files are still read for cross-file rules)")
	nowFlag := fs.String("now", "", "take `DATE` (YYYY-MM-DD or RFC 3339) as today for secret-expiring and secret-not-rotated (default: the clock)")
	expiryWindow := fs.String("expiry-window", "30d", "secret-expiring warns this `AGE` (days, weeks, years: 30d, 12w, 1y) before a secret expires")
	maxSecretAge := fs.String("max-secret-age", "", "secret-not-rotated reports secrets not rotated for this `AGE` (default: only the max-age the settings declare)")
	noGit := fs.Bool("no-git", false, "do not ask git when a secret's line last changed (secret-not-rotated)")
	showVersion := fs.Bool("version", false, "print the version and exit")
	help := fs.BoolP("help", "h", false, "show this help")
	usage := func(w io.Writer) {
		fmt.Fprintf(w, "Usage: jenkins-oidc-lint [flags] [PATH...]\n       jenkins-oidc-lint rules [--policy DIR]\n       jenkins-oidc-lint explain [--policy DIR] RULE\n       jenkins-oidc-lint access --claims FILE | --token FILE [--jwks FILE] [PATH...]\n       jenkins-oidc-lint trust --job URL [--branch B | --pr N] [--credential ID] [PATH...]\n       jenkins-oidc-lint inventory [--format text|json|csv|markdown] [PATH...]\n       jenkins-oidc-lint lsp\n\n")
		fmt.Fprintf(w, "Checks JCasC oic realms, OIDC provider metadata and Jenkinsfiles. PATH defaults to \".\";\n\"-\" reads standard input.\n\nFlags:\n%s", fs.FlagUsages())
		fmt.Fprintf(w, "\nExit codes: 0 no findings at or above --fail-on; 1 findings; 2 usage error or unreadable input.\n")
	}
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(stderr, "jenkins-oidc-lint: %v\n", err)
		fmt.Fprintln(stderr, "Run 'jenkins-oidc-lint --help' for usage.")
		return exitTrouble
	}
	if *help {
		usage(stdout)
		return exitOK
	}
	if *showVersion {
		fmt.Fprintf(stdout, "jenkins-oidc-lint %s\n", p.Version)
		return exitOK
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "jenkins-oidc-lint: "+format+"\n", a...)
		return exitTrouble
	}
	threshold, err := report.ParseSeverity(*failOn)
	if err != nil {
		return fail("--fail-on: %v", err)
	}
	if *showDiff && *doFix {
		return fail("--diff and --fix: choose one (--diff shows the fixes, --fix applies them)")
	}
	if !validFormat(*format) {
		return fail("--format: unknown format %q (want one of %s)", *format, strings.Join(report.Formats(), ", "))
	}
	targets, err := outputTargets(*format, *outputs)
	if err != nil {
		return fail("--output: %v", err)
	}
	showsSource := false
	for _, t := range targets {
		showsSource = showsSource || report.ShowsSource(t.format)
	}
	size, err := parseSize(*maxSize)
	if err != nil {
		return fail("--max-file-size: %v", err)
	}
	root, _ := os.Getwd()
	opts := lint.Options{
		Paths:         fs.Args(),
		Stdin:         stdin,
		StdinFilename: *stdinName,
		MetadataFiles: *metadata,
		MaxFileSize:   size,
		Enable:        *enable,
		Disable:       *disable,
		AllFiles:      *allFiles,
		NoIgnore:      *noIgnore,
		NoSources:     !*showDiff && !showsSource,
		Version:       p.Version,
		Root:          root,
	}
	if opts.Config.Secrets, err = secretSettings(*nowFlag, *expiryWindow, *maxSecretAge, *noGit); err != nil {
		return fail("%v", err)
	}
	if *onlineMode {
		if p.Net == nil {
			return p.needsNet("--online", stderr)
		}
		// the provider's certificates are judged like committed ones
		opts.Online = p.Net.Online(*onlineTimeout, *onlineConnect, "jenkins-oidc-lint/"+p.Version, opts.Config.Secrets)
	}
	if !*noConfig {
		cfg, ok := loadSettings(*configPath, stderr)
		if !ok {
			return exitTrouble
		}
		opts.File = cfg
		if cfg != nil && cfg.FailOn != "" && !fs.Changed("fail-on") {
			threshold, _ = report.ParseSeverity(cfg.FailOn)
		}
	}
	dirs := append([]string(nil), *policyDirs...)
	if opts.File != nil {
		dirs = append(dirs, opts.File.Policies...)
	}
	if len(dirs) > 0 {
		mem, err := settings.ParseSize(*policyMemory)
		if err != nil {
			return fail("--policy-memory: %v", err)
		}
		if _, err := policy.FindWorker(); err != nil {
			return fail("%v", err)
		}
		set, errs := policy.LoadBudget(dirs, rules.Known, opts.File.LimitBudget(policy.Budget{Time: *policyTimeout, Memory: mem}))
		if len(errs) > 0 {
			for _, e := range errs {
				printFileError(stderr, e, "")
			}
			return exitTrouble
		}
		opts.Policies = set
	}
	if errs := opts.File.CheckRuleIDs(opts.Policies); len(errs) > 0 {
		for _, e := range errs {
			printFileError(stderr, e, "")
		}
		return exitTrouble
	}
	// --write-baseline records every current finding: a --baseline given too
	// (often the same file, being updated) is not applied.
	if *baseline != "" && *writeBaseline == "" {
		b, err := lint.LoadBaseline(*baseline)
		if err != nil {
			return fail("%v", err)
		}
		opts.Baseline = b
	}
	if *changedSince != "" {
		only, err := changedFiles(*changedSince)
		if err != nil {
			return fail("--changed-since: %v", err)
		}
		opts.OnlyPaths = only
	}
	var rep *report.Report
	fixTrouble := false
	if *doFix {
		if rep, fixTrouble, err = runFix(opts, stderr); err != nil {
			return fail("%v", err)
		}
	} else if rep, err = lint.Run(opts); err != nil {
		return fail("%v", err)
	}
	if *writeBaseline != "" {
		fh, err := os.Create(*writeBaseline)
		if err != nil {
			return fail("--write-baseline: %v", err)
		}
		werr := lint.WriteBaseline(fh, rep)
		if cerr := fh.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return fail("--write-baseline: %v", werr)
		}
		fmt.Fprintf(stderr, "jenkins-oidc-lint: recorded %d findings in %s\n", len(rep.Findings), *writeBaseline)
		if len(rep.Errors) > 0 {
			return exitTrouble
		}
		return exitOK
	}
	if *showDiff {
		// the exit code is the report's: the diff replaces only its text
		if code := printDiffs(rep, stdout, stderr); code != exitOK || !atOrAbove(rep, threshold) {
			return code
		}
		return exitFindings
	}

	for _, t := range targets {
		if err := writeReport(t, rep, stdout); err != nil {
			return fail("%v", err)
		}
	}
	for _, e := range rep.Errors {
		if !textOnStdout(targets) {
			printFileError(stderr, e, " [parse-error]")
		}
	}
	switch {
	case len(rep.Errors) > 0 || fixTrouble:
		return exitTrouble
	case atOrAbove(rep, threshold):
		return exitFindings
	}
	return exitOK
}

func validFormat(name string) bool {
	for _, f := range report.Formats() {
		if f == name {
			return true
		}
	}
	return false
}

func atOrAbove(rep *report.Report, s report.Severity) bool {
	for _, f := range rep.Findings {
		if f.Severity >= s {
			return true
		}
	}
	return false
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// parseSize reads --max-file-size as the settings file's max-file-size is
// read (settings.ParseSize), within what the reader can index (1GiB).
func parseSize(s string) (int64, error) {
	n, err := settings.ParseSize(s)
	if err != nil {
		return 0, err
	}
	if n > source.MaxSize {
		return 0, fmt.Errorf("size %q is over the limit of 1GiB", s)
	}
	return n, nil
}

// commandPolicies reads the --policy flags of the rules and explain
// commands (and the settings file's policies) and returns the other args.
func commandPolicies(name string, args []string, stderr io.Writer) (*policy.Set, []string, bool) {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dirs := fs.StringArray("policy", nil, "")
	noConfig := fs.Bool("no-config", false, "")
	configPath := fs.String("config", "", "")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(stderr, "jenkins-oidc-lint: %s: %v\n", name, err)
		return nil, nil, false
	}
	all := append([]string(nil), *dirs...)
	if !*noConfig {
		cfg, ok := loadSettings(*configPath, stderr)
		if !ok {
			return nil, nil, false
		}
		if cfg != nil {
			all = append(all, cfg.Policies...)
		}
	}
	if len(all) == 0 {
		return nil, fs.Args(), true
	}
	if _, err := policy.FindWorker(); err != nil {
		fmt.Fprintf(stderr, "jenkins-oidc-lint: %v\n", err)
		return nil, nil, false
	}
	set, errs := policy.Load(all, rules.Known)
	for _, e := range errs {
		printFileError(stderr, e, "")
	}
	return set, fs.Args(), len(errs) == 0
}

func listRules(args []string, stdout, stderr io.Writer) int {
	set, rest, ok := commandPolicies("rules", args, stderr)
	if !ok {
		return exitTrouble
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "jenkins-oidc-lint: rules takes no arguments\n")
		return exitTrouble
	}
	for _, m := range lint.RuleMetas(set) {
		fmt.Fprintf(stdout, "%-28s %-8s %s\n", m.ID, m.Severity, m.Summary)
	}
	return exitOK
}

func explain(args []string, stdout, stderr io.Writer) int {
	set, rest, ok := commandPolicies("explain", args, stderr)
	if !ok {
		return exitTrouble
	}
	if len(rest) != 1 {
		fmt.Fprintf(stderr, "jenkins-oidc-lint: usage: jenkins-oidc-lint explain [--policy DIR] RULE\n")
		return exitTrouble
	}
	id := strings.TrimSuffix(filepath.Base(rest[0]), ".md")
	if doc, ok := rules.Doc(id); ok && rules.Known(id) {
		fmt.Fprint(stdout, doc)
		return exitOK
	}
	for _, m := range lint.RuleMetas(set) {
		if m.ID == id {
			fmt.Fprintf(stdout, "# %s\n\n%s\n", m.ID, m.Help)
			return exitOK
		}
	}
	fmt.Fprintf(stderr, "jenkins-oidc-lint: explain: unknown rule %q%s (see `jenkins-oidc-lint rules`)\n", id, lint.DidYouMean(id))
	return exitTrouble
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// loadSettings reads the settings file: path, else the one found from
// the working directory up (nil when there is none). Its errors are
// printed, one line each, and make ok false.
func loadSettings(path string, stderr io.Writer) (cfg *settings.Config, ok bool) {
	if path == "" {
		path = settings.Find(".")
	}
	if path == "" {
		return nil, true
	}
	cfg, errs := settings.Load(path)
	for _, e := range errs {
		printFileError(stderr, e, "")
	}
	return cfg, len(errs) == 0
}

// printFileError prints a file error as one line (report.FileError.Escaped).
func printFileError(w io.Writer, e report.FileError, suffix string) {
	fmt.Fprintf(w, "%s%s\n", e.Escaped(), suffix)
}

// target is one report to write: a format and a file ("" or "-": standard
// output).
type target struct {
	format, file string
}

// outputTargets reads the --output values: FILE writes the --format report
// there; FORMAT=FILE (FORMAT a format's name) writes that format's report
// there, - meaning standard output. Without any, the --format report goes
// to standard output. At most one report may go to standard output, and no
// file may be named twice.
func outputTargets(format string, outputs []string) ([]target, error) {
	if len(outputs) == 0 {
		return []target{{format: format}}, nil
	}
	var out []target
	seen := map[string]bool{}
	for _, o := range outputs {
		t := target{format: format, file: o}
		if name, file, ok := strings.Cut(o, "="); ok && validFormat(name) {
			t = target{format: name, file: file}
		}
		if t.file == "" {
			return nil, fmt.Errorf("%q names no file (use - for standard output)", o)
		}
		key := t.file
		if key != "-" {
			key = filepath.Clean(key)
		}
		if seen[key] {
			if key == "-" {
				return nil, fmt.Errorf("two reports for standard output")
			}
			return nil, fmt.Errorf("%s is named twice", t.file)
		}
		seen[key] = true
		if t.file == "-" {
			t.file = ""
		}
		out = append(out, t)
	}
	return out, nil
}

// textOnStdout reports whether a text report goes to standard output, which
// already shows the file errors.
func textOnStdout(targets []target) bool {
	for _, t := range targets {
		if t.format == "text" && t.file == "" {
			return true
		}
	}
	return false
}

// writeReport writes one report: colour only for text on a terminal (never
// with NO_COLOR or TERM=dumb); the github format also appends the full list
// to $GITHUB_STEP_SUMMARY when it is set.
func writeReport(t target, rep *report.Report, stdout io.Writer) error {
	out := stdout
	ropts := report.Options{}
	var tmp *os.File
	if t.file != "" {
		// written beside the file and renamed over it once complete: a
		// report that could not be written whole leaves no half file
		fh, err := os.CreateTemp(filepath.Dir(t.file), "."+filepath.Base(t.file)+".*")
		if err != nil {
			return fmt.Errorf("--output: %v", err)
		}
		tmp = fh
		defer func() {
			if tmp != nil {
				tmp.Close()
				os.Remove(tmp.Name())
			}
		}()
		out = fh
	} else {
		ropts.Color = t.format == "text" && isTerminal(stdout) && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
	}
	if p := os.Getenv("GITHUB_STEP_SUMMARY"); p != "" && t.format == "github" {
		// GitHub shows only a few annotations per step: the full list goes
		// to the job summary.
		fh, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return fmt.Errorf("GITHUB_STEP_SUMMARY: %v", err)
		}
		defer fh.Close()
		ropts.StepSummary = fh
	}
	if err := report.Write(out, t.format, rep, ropts); err != nil {
		return fmt.Errorf("writing the %s report: %v", t.format, err)
	}
	if tmp != nil {
		if err := tmp.Chmod(0o644); err != nil {
			return fmt.Errorf("--output: %v", err)
		}
		if err := tmp.Close(); err != nil {
			return fmt.Errorf("--output: %v", err)
		}
		if err := os.Rename(tmp.Name(), t.file); err != nil {
			return fmt.Errorf("--output: %v", err)
		}
		tmp = nil
	}
	return nil
}

// secretSettings reads --now, --expiry-window, --max-secret-age and
// --no-git into the run's secret settings (the settings file's secrets:
// entries are added by the engine). Git is asked only for the lines of
// secrets that have a max-age to check, with the repository's own commands
// switched off (inventory.Git).
func secretSettings(now, window, maxAge string, noGit bool) (expiry.Settings, error) {
	var st expiry.Settings
	var err error
	if now != "" {
		if st.Now, err = expiry.ParseDate(now); err != nil {
			return st, fmt.Errorf("--now: %v", err)
		}
	}
	if st.Window, err = expiry.ParseAge(window); err != nil {
		return st, fmt.Errorf("--expiry-window: %v", err)
	}
	if maxAge != "" {
		if st.MaxAge, err = expiry.ParseAge(maxAge); err != nil {
			return st, fmt.Errorf("--max-secret-age: %v", err)
		}
	}
	if !noGit {
		st.LineChanged = inventory.NewGit().LineChanged
	}
	return st, nil
}
