// Package lint is the engine: it reads the inputs, validates each document
// against the CUE schemas, builds the cross-file workspace, runs the rules,
// and returns one sorted, fingerprinted, redacted report.
package lint

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/policy"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/rules"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/schema"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/settings"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/discovery"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/embed"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jenkinsfile"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/plugins"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/trust"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/workspace"
)

// DefaultMaxFileSize is the default --max-file-size (10 MiB).
const DefaultMaxFileSize = 10 << 20

// Options configure one run.
type Options struct {
	Paths         []string  // files and directories; "-" is standard input
	Stdin         io.Reader // read when Paths holds "-"
	StdinFilename string    // name (and so kind) of standard input
	MetadataFiles []string  // --metadata: provider metadata files
	MaxFileSize   int64
	Enable        []string // when set, only these rules run
	Disable       []string
	Jobs          int // parallel parsers; 0 means GOMAXPROCS
	// Policies are users' own rules in CUE (--policy, settings `policies:`).
	Policies *policy.Set
	// Online, when set, fetches each realm's discovery document and JWKS
	// (--online); nil keeps the run offline.
	Online Online
	// NoSources leaves the file contents out of the report (Report.Files
	// then only names the files findings point into): for formats that show
	// no source lines, so a large run need not hold them to the end.
	NoSources bool
	// AllFiles scans every text file of the walked directories for secrets,
	// not only JCasC, metadata and pipelines (what a pre-commit secret hook does).
	AllFiles bool
	// NoIgnore reads what .gitignore files and git's other excludes would
	// skip in a walk (--no-ignore).
	NoIgnore bool
	// Overlay holds the contents of files an editor has open and not saved,
	// by absolute path: they are read from here instead of the disk (the
	// language server's unsaved buffers).
	Overlay map[string][]byte
	Config  rules.Config
	// File is the settings file's settings (nil: none).
	File *settings.Config
	// Baseline hides the findings it records (see LoadBaseline).
	Baseline map[baselineKey]bool
	// OnlyPaths, when set, limits the report to these absolute paths
	// (--changed-since): every input is still read, so cross-file rules see
	// the whole tree.
	OnlyPaths map[string]bool
	Version   string

	fileApplied bool
	// share sets when Run checks the tree in shares (share.go); zero
	// values are the defaults.
	share shareSettings
	// viewsOnly makes the parsers build the documents' views and nothing
	// else: no schema, policy or per-file checks (a share reading a file
	// again whose checks already ran).
	viewsOnly bool
	Root      string // directory paths are relative to (SARIF %SRCROOT%)
}

// UsageError is a mistake in the options (exit code 2 before any work).
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// parsed is what reading one candidate produced.
type parsed struct {
	file     *source.File
	err      *report.FileError
	jcasc    []*jcasc.Doc
	meta     *discovery.Metadata
	pipeline *jenkinsfile.File
	facts    *rules.PipelineFacts // what is kept of a pipeline once its checks ran
	dropped  *droppedText         // set when the loader let the file's text go
	findings []report.Finding     // schema, per-file and per-pipeline findings
	secrets  []span
	errs     []report.FileError // more errors (of embedded documents)
	notes    []report.FileError // inputs left alone on purpose
	embeds   []*source.File     // JCasC documents embedded in this file
	lists    []*plugins.List    // plugin lists (plugins.txt, plugins.yaml, Helm values)
	docker   *plugins.Dockerfile
	trust    *trust.Doc // trust policies, OIDC providers (IAM JSON, CloudFormation, Terraform)
	views    *viewFile  // set when the loader let the file's JCasC views go (share.go)
}

// Loaded is the result of reading every input: the workspace, the schema
// findings of each document, secret spans to mask, and the files that could
// not be read or parsed.
type Loaded struct {
	WS       *workspace.Workspace
	Findings []report.Finding
	Errors   []report.FileError
	masks    map[string][]span
	// facts stand in for the pipelines: WS.Pipelines stays empty, as each
	// pipeline's tree is dropped once its checks ran.
	facts []rules.PipelineFacts
	// runner ran the pipeline checks; its RunWorkspace runs the rest on the
	// same credential index.
	runner *rules.PipelineRunner
	// dropped lists the files whose text the loader let go (their
	// WS.Files entries have no Data): see texts.go.
	dropped map[string]*droppedText
	// Notes are inputs left alone on purpose (templates that are YAML only
	// once rendered), sorted.
	Notes []report.FileError
	// embeds are the JCasC documents found inside other YAML files.
	embeds embeddings
	// lists and dockers are the plugin lists and Dockerfiles read, for
	// the plugin versions of each controller.
	lists   []*plugins.List
	dockers []*plugins.Dockerfile
	// shared is set when the run is checked in shares: the JCasC files
	// whose views the loader let go (share.go).
	shared *sharedViews
}

// Load reads and parses the inputs concurrently, validates each document
// against the schemas and runs the per-file checks. It reads in two phases:
// first JCasC, provider metadata and other files; then the pipelines, each
// checked against the loaded JCasC as soon as it is parsed and then dropped
// but for its text and facts, so memory does not grow with the pipelines'
// syntax trees. It is the first half of Run, shared with commands that need
// the workspace but not the workspace rules (access).
func Load(opts Options) *Loaded {
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = DefaultMaxFileSize
	}
	opts = withFileSettings(opts)
	enabled, err := ruleFilter(opts.Enable, opts.Disable, opts.Policies)
	if err != nil {
		enabled = func(string) bool { return true }
	}
	cands, errs := collect(opts)
	var first, pipelines []source.Candidate
	for _, c := range cands {
		if c.Hint == source.Jenkinsfile {
			pipelines = append(pipelines, c)
		} else {
			first = append(first, c)
		}
	}
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	l := &Loaded{WS: &workspace.Workspace{}, Errors: errs, masks: map[string][]span{}, dropped: map[string]*droppedText{}, embeds: embeddings{}}
	// Each result goes into the workspace as soon as it is ready (its order
	// does not matter: every list is sorted below), so no second copy of
	// the findings waits for the last file.
	var mu sync.Mutex
	add := func(ws *workspace.Workspace, r parsed) {
		mu.Lock()
		defer mu.Unlock()
		l.add(ws, r)
	}
	if opts.share.on && len(first) > opts.share.filesAbove {
		l.shared = &sharedViews{}
	}
	parallel(len(first), jobs, func(i int) {
		r := parseOne(first[i], opts, enabled)
		dropText(first[i], &r)
		if l.shared != nil {
			dropViews(first[i], &r)
		}
		add(l.WS, r)
	})
	l.WS.Sort()
	if l.shared != nil {
		sort.Slice(l.shared.files, func(i, j int) bool { return l.shared.files[i].cand.Path < l.shared.files[j].cand.Path })
	}
	pinMetadata(l.WS, opts)
	sort.SliceStable(l.lists, func(i, j int) bool { return l.lists[i].Path < l.lists[j].Path })
	sort.Slice(l.dockers, func(i, j int) bool { return l.dockers[i].Path < l.dockers[j].Path })
	l.WS.Plugins = plugins.Assign(l.lists, l.dockers, controllers(l.docKeys()))
	trust.Link(l.WS.Trusts)
	for _, d := range l.WS.Trusts {
		l.Notes = append(l.Notes, d.Notes...)
	}

	// The pipeline checks read the workspace while pipelines load, so the
	// pipelines' files are staged apart and joined once all are done.
	runner := rules.NewPipelineRunner(l.WS, opts.Config, enabled)
	l.runner = runner
	staged := &workspace.Workspace{}
	parallel(len(pipelines), jobs, func(i int) {
		r := parseOne(pipelines[i], opts, enabled)
		if r.pipeline != nil {
			r = checkPipeline(runner, r)
		}
		dropText(pipelines[i], &r)
		add(staged, r)
	})
	l.WS.Files = append(l.WS.Files, staged.Files...) // a checked pipeline adds its file only
	l.WS.Sort()
	report.SortErrors(l.Errors)
	report.SortErrors(l.Notes)
	return l
}

// checkPipeline runs the pipeline checks on a parsed pipeline and keeps
// their findings, secret spans and facts in place of its tree.
func checkPipeline(runner *rules.PipelineRunner, r parsed) (res parsed) {
	defer func() {
		if e := recover(); e != nil {
			res = parsed{err: &report.FileError{Pos: report.Position{Path: r.file.Path}, Message: fmt.Sprintf("internal error while checking the pipeline: %v (please report this)", e)}}
		}
	}()
	pr := runner.Run(r.pipeline)
	r.pipeline = nil
	r.findings = append(r.findings, pr.Findings...)
	for _, sec := range pr.Secrets {
		r.secrets = append(r.secrets, span{sec.Start, sec.End})
	}
	r.facts = &pr.Facts
	return r
}

// parallel calls fn(0) … fn(n-1) on up to jobs goroutines.
func parallel(n, jobs int, fn func(i int)) {
	if n <= 1 || jobs <= 1 {
		// One file (a pre-commit hook, an editor) or -j1: no goroutine to
		// start, and no fresh stack to grow as the parsers recurse.
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

// add files the result of reading one input into ws (the workspace, or the
// pipelines' staging area) and l.
func (l *Loaded) add(ws *workspace.Workspace, r parsed) {
	if r.err != nil {
		l.Errors = append(l.Errors, *r.err)
	}
	l.Errors = append(l.Errors, r.errs...)
	l.Notes = append(l.Notes, r.notes...)
	for _, e := range r.embeds {
		l.embeds[e.Path] = e
	}
	l.lists = append(l.lists, r.lists...)
	if r.trust != nil {
		ws.Trusts = append(ws.Trusts, r.trust)
	}
	if r.docker != nil {
		l.dockers = append(l.dockers, r.docker)
	}
	if r.file == nil {
		return
	}
	ws.Files = append(ws.Files, r.file)
	ws.JCasC = append(ws.JCasC, r.jcasc...)
	if r.meta != nil {
		ws.Metadata = append(ws.Metadata, r.meta)
	}
	if r.pipeline != nil {
		ws.Pipelines = append(ws.Pipelines, r.pipeline)
	}
	if r.facts != nil {
		l.facts = append(l.facts, *r.facts)
	}
	for i := range r.findings {
		r.findings[i].Intern()
	}
	l.Findings = append(l.Findings, r.findings...)
	if len(r.secrets) > 0 {
		l.masks[r.file.Path] = append(l.masks[r.file.Path], r.secrets...)
	}
	if r.dropped != nil {
		l.dropped[r.file.Path] = r.dropped
	}
	if r.views != nil {
		l.shared.files = append(l.shared.files, r.views)
	}
}

// pinMetadata pins the provider metadata files the settings name to their
// issuers.
func pinMetadata(ws *workspace.Workspace, opts Options) {
	if opts.File == nil {
		return
	}
	for issuer, file := range opts.File.Metadata {
		want := filepath.ToSlash(filepath.Clean(file))
		for _, m := range ws.Metadata {
			if m.File.Path == want {
				if ws.Pinned == nil {
					ws.Pinned = map[string]*discovery.Metadata{}
				}
				ws.Pinned[issuer] = m
			}
		}
	}
}

// findingPaths lists the files a finding points into.
func findingPaths(f report.Finding) []string {
	out := []string{f.Pos.Path}
	for _, r := range f.Related {
		out = append(out, r.Pos.Path)
	}
	if f.Fix != nil {
		out = append(out, f.Fix.Path)
	}
	return out
}

func absPath(p string) string {
	a, err := filepath.Abs(filepath.FromSlash(p))
	if err != nil {
		return p
	}
	return a
}

// Online checks realms against their providers (--online). Package online
// implements it; it is an interface so that the program that runs offline
// links neither the network stack nor an OIDC library.
type Online interface {
	// Check fetches each realm's discovery document and JWKS and checks
	// them: the documents fetched (each with its URL) and the findings.
	Check(ctx context.Context, realms []*jcasc.Realm) ([]*discovery.Metadata, []report.Finding)
	// DiscoveryURL is the URL Check fetches r's discovery document from.
	DiscoveryURL(r *jcasc.Realm) string
}

// fetchOnline adds the discovery documents fetched for each realm to the
// workspace, pinned to that realm, so every metadata rule runs on them.
func fetchOnline(ws *workspace.Workspace, o Online) []report.Finding {
	realms := ws.Realms()
	metas, findings := o.Check(context.Background(), realms)
	byURL := map[string]*discovery.Metadata{}
	for _, m := range metas {
		byURL[m.URL] = m
		ws.Metadata = append(ws.Metadata, m)
		ws.Files = append(ws.Files, m.File)
	}
	if ws.Pinned == nil {
		ws.Pinned = map[string]*discovery.Metadata{}
	}
	for _, r := range realms {
		issuer, _, ok := r.IssuerValue()
		if !ok {
			continue
		}
		if m := byURL[o.DiscoveryURL(r)]; m != nil {
			ws.Pinned[issuer] = m
		}
	}
	return findings
}

// withFileSettings folds the configuration file's rule switches, placeholders
// and thresholds into the options.
func withFileSettings(opts Options) Options {
	if opts.File == nil || opts.fileApplied {
		return opts
	}
	opts.fileApplied = true
	opts.Disable = append(append([]string(nil), opts.Disable...), sortedKeys(opts.File.Off)...)
	opts.Config.Placeholders = append(append([]string(nil), opts.Config.Placeholders...), opts.File.Placeholders...)
	opts.Config.Secrets.Declared = append(append([]expiry.Declared(nil), opts.Config.Secrets.Declared...), opts.File.Secrets...)
	if len(opts.File.Thresholds) > 0 {
		th := make(map[string]int, len(opts.Config.Thresholds)+len(opts.File.Thresholds))
		for id, n := range opts.Config.Thresholds {
			th[id] = n
		}
		for id, n := range opts.File.Thresholds {
			th[id] = n
		}
		opts.Config.Thresholds = th
	}
	return opts
}

// relTo is p relative to dir when p lies below it, else p.
func relTo(dir, p string) string {
	ad, err1 := filepath.Abs(dir)
	ap, err2 := filepath.Abs(p)
	if err1 != nil || err2 != nil {
		return p
	}
	if r, err := filepath.Rel(ad, ap); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return filepath.ToSlash(p)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Run lints the inputs. The error is a *UsageError for bad options; file
// problems are in the report's Errors.
func Run(opts Options) (*report.Report, error) {
	opts = withFileSettings(opts)
	enabled, err := ruleFilter(opts.Enable, opts.Disable, opts.Policies)
	if err != nil {
		return nil, err
	}
	switch {
	case opts.Online != nil:
		// --online fetches the provider of every realm before the rules
		// run: the loader keeps them all
		opts.share = shareSettings{}
	case !opts.share.on:
		opts.share = defaultShares
	}
	l := Load(opts)
	r := &runState{opts: opts, enabled: enabled, l: l}
	r.rep = &report.Report{
		Tool: "jenkins-oidc-lint", Version: opts.Version, InfoURI: rules.InfoURI,
		Files: map[string][]byte{}, Root: opts.Root, Errors: l.Errors,
	}
	for _, st := range stages {
		st.do(r)
	}
	return r.rep, nil
}

// collect turns the options' paths into candidates.
func collect(opts Options) ([]source.Candidate, []report.FileError) {
	var paths []string
	stdin := false
	for _, p := range opts.Paths {
		if p == "-" {
			stdin = true
			continue
		}
		paths = append(paths, p)
	}
	if len(opts.Paths) == 0 {
		paths = []string{"."}
	}
	cands, errs := source.WalkWith(paths, source.WalkOptions{AllFiles: opts.AllFiles, NoIgnore: opts.NoIgnore, Pipeline: jenkinsfile.Looks})
	for i := range cands {
		sniffNamed(&cands[i])
	}
	if opts.File != nil && len(opts.File.Exclude) > 0 {
		kept := cands[:0]
		for _, c := range cands {
			if !c.Explicit && opts.File.Excluded(relTo(opts.File.Dir, c.OSPath)) {
				continue
			}
			kept = append(kept, c)
		}
		cands = kept
	}
	metaFiles := append([]string(nil), opts.MetadataFiles...)
	if opts.File != nil {
		for _, issuer := range sortedKeys(opts.File.Metadata) {
			metaFiles = append(metaFiles, opts.File.Metadata[issuer])
		}
	}
	meta, merrs := source.Walk(metaFiles, false)
	errs = append(errs, merrs...)
	have := map[string]int{}
	for i, c := range cands {
		have[c.Path] = i
	}
	for _, m := range meta {
		m.Hint, m.Explicit = source.Discovery, true
		if i, ok := have[m.Path]; ok {
			cands[i] = m
			continue
		}
		have[m.Path] = len(cands)
		cands = append(cands, m)
	}
	if stdin {
		name := opts.StdinFilename
		if name == "" {
			name = "<stdin>"
		}
		if _, clash := have[name]; clash {
			// two inputs under one name would share findings, masks and
			// source lines
			errs = append(errs, report.FileError{Pos: report.Position{Path: name},
				Message: fmt.Sprintf("standard input is named %q (--stdin-filename), like a file that is also an input: give it another name", name)})
		} else {
			cands = append(cands, source.Candidate{Path: name, OSPath: "-", Explicit: true, Hint: source.KindByName(name)})
		}
	}
	return cands, errs
}

// secretsOnly reports whether c is a file that is not ours by name: under
// --all-files it is scanned for secrets only, and skipped quietly when it
// is binary or too large.
func secretsOnly(c source.Candidate) bool {
	return c.Hint == source.Unknown && !source.MaybeByName(c.Path) && c.OSPath != "-"
}

func parseOne(c source.Candidate, opts Options, enabled func(string) bool) (res parsed) {
	defer func() {
		if r := recover(); r != nil {
			res = parsed{err: &report.FileError{Pos: report.Position{Path: c.Path}, Message: fmt.Sprintf("internal error while reading the file: %v (please report this)", r)}}
		}
	}()
	other := secretsOnly(c)
	var f *source.File
	if c.OSPath == "-" {
		data, err := source.ReadLimited(opts.Stdin, opts.MaxFileSize)
		if err != nil {
			return parsed{err: &report.FileError{Pos: report.Position{Path: c.Path}, Message: err.Error()}}
		}
		f = source.NewFile(c.Path, data)
	} else if data, ok := opts.Overlay[absPath(c.OSPath)]; ok {
		f = source.NewFile(c.Path, data) // not Regular: its text is kept, never read again
	} else {
		var ferr *report.FileError
		f, ferr = source.Read(c, opts.MaxFileSize)
		if ferr != nil {
			if other && !c.Explicit {
				return parsed{}
			}
			return parsed{err: ferr}
		}
	}
	return parseText(c, f, opts, enabled)
}

// parseText is parseOne once the file is read: f holds c's text.
func parseText(c source.Candidate, f *source.File, opts Options, enabled func(string) bool) parsed {
	other := secretsOnly(c)
	if ferr := source.CheckText(f); ferr != nil {
		switch {
		case other && bytes.IndexByte(f.Data, 0) < 0:
			// Latin-1 and other 8-bit text (Java .properties files): the
			// secret scan reads bytes, so it is scanned all the same.
		case other && !c.Explicit:
			return parsed{}
		default:
			return parsed{err: ferr}
		}
	}
	kind := c.Hint
	lower := strings.ToLower(c.Path)
	isJSON := kind == source.Discovery || strings.HasSuffix(lower, ".json") || c.JSON
	if (c.OSPath == "-" || other && c.Explicit) && kind == source.Unknown && path.Ext(lower) == "" {
		isJSON = bytes.HasPrefix(bytes.TrimSpace(f.Data), []byte("{"))
	}
	var res2 parsed
	var docs []*yaml.Node
	switch {
	case kind == source.Jenkinsfile:
		f.Kind = source.Jenkinsfile
		jf, ferr := jenkinsfile.Parse(f)
		if ferr != nil {
			res2 = parsed{err: ferr}
			break
		}
		res2 = parsed{file: f, pipeline: jf}
	case kind == source.PluginList || kind == source.Dockerfile:
		res2 = parsePlugins(c, f)
	case kind == source.Terraform:
		res2 = parseTerraform(f, opts, enabled)
	case other && !c.Explicit:
		res2 = parsed{}
	case isJSON:
		res2, docs = parseMetadata(c, f)
	default:
		res2, docs = parseJCasC(c, f, opts, enabled)
	}
	if other && c.Explicit && res2.file == nil && res2.err == nil && len(res2.notes) == 0 && !opts.AllFiles {
		// A file named on the command line whose name does not tell its
		// kind, and whose content is none of ours.
		return parsed{err: &report.FileError{Pos: report.Position{Path: c.Path},
			Message: "not a file jenkins-oidc-lint reads: not JCasC YAML, provider metadata JSON, a pipeline or a plugin list (name provider metadata with --metadata; scan any file for secrets with --all-files)"}}
	}
	if opts.viewsOnly {
		for _, d := range res2.jcasc {
			d.Compact()
		}
		return res2
	}
	if res2.err != nil {
		// A file that does not parse is still scanned for secrets: the
		// broken line is often the one being edited, secret and all.
		fr := rules.RunFile(rules.FileInput{File: f, Config: opts.Config}, enabled)
		res2.file, res2.findings = f, fr.Findings
		for _, sp := range fr.Secrets {
			res2.secrets = append(res2.secrets, span{sp[0], sp[1]})
		}
		return res2
	}
	if opts.Policies != nil && res2.file != nil && f.Kind == source.Discovery {
		res2.findings = append(res2.findings, opts.Policies.Check(f, source.Discovery, res2.meta.Root)...)
	}
	for _, d := range res2.jcasc {
		d.Compact() // the rules read the views; per-file checks get docs
	}
	if res2.file == nil && !opts.AllFiles {
		return res2 // not ours
	}
	fr := rules.RunFile(rules.FileInput{File: f, Docs: docs, Config: opts.Config}, enabled)
	res2.findings = append(res2.findings, fr.Findings...)
	for _, sp := range fr.Secrets {
		if !insideEmbedded(res2.embeds, sp) {
			res2.secrets = append(res2.secrets, span{sp[0], sp[1]})
		}
	}
	if res2.file == nil && len(fr.Findings) > 0 {
		res2.file = f // a file scanned for secrets only: kept for its findings
	}
	return res2
}

func parseMetadata(c source.Candidate, f *source.File) (parsed, []*yaml.Node) {
	root, ferr := discovery.ParseJSON(f)
	if ferr != nil {
		if c.Hint == source.Discovery || c.Explicit || bytes.Contains(f.Data, []byte(`"issuer"`)) {
			return parsed{err: ferr}, nil
		}
		return parsed{}, nil
	}
	if c.Hint != source.Discovery && !discovery.Looks(root) {
		if d := trust.ReadRoot(f, root); d != nil && !trustEmpty(d) {
			f.Kind = source.TrustPolicy
			return parsed{file: f, trust: d}, []*yaml.Node{root}
		}
		return parsed{}, []*yaml.Node{root}
	}
	f.Kind = source.Discovery
	if root.Kind != yaml.MappingNode {
		return parsed{err: &report.FileError{Pos: tree.Pos(f, root), Message: "provider metadata must be a JSON object"}}, nil
	}
	m := discovery.Read(f, root)
	return parsed{file: f, meta: m, findings: schema.Default().CheckDiscovery(f, root)}, []*yaml.Node{root}
}

func parseJCasC(c source.Candidate, f *source.File, opts Options, enabled func(string) bool) (parsed, []*yaml.Node) {
	docs, ferr := tree.ParseYAML(f)
	if ferr != nil {
		if templated(f.Data) {
			// a Helm template or another layer's: YAML once rendered
			return parsed{notes: []report.FileError{{Pos: report.Position{Path: f.Path},
				Message: "skipped: it holds template expressions ({{ … }}), so it is YAML only once rendered"}}}, nil
		}
		if c.Explicit && c.OSPath == "-" || embed.LooksText(f.Data) {
			return parsed{err: ferr}, nil
		}
		return parsed{}, nil
	}
	var res parsed
	var others []*yaml.Node
	for _, root := range docs {
		if !isJCasCRoot(root) {
			if trust.LooksCloudFormation(root) {
				if d := trust.ReadRoot(f, root); d != nil && !trustEmpty(d) {
					f.Kind = source.TrustPolicy
					res.trust = d
					res.file = f
				}
				continue
			}
			if root.Kind == yaml.MappingNode {
				others = append(others, root)
			}
			continue
		}
		f.Kind = source.JCasC
		d := jcasc.Read(f, root)
		res.jcasc = append(res.jcasc, d)
		if !opts.viewsOnly {
			res.findings = append(res.findings, checkJCasC(f, d, root, opts)...)
		}
	}
	if res.jcasc != nil {
		res.file = f
	} else if others != nil && res.trust == nil {
		res = readContainer(f, others, c.Explicit, opts, enabled)
	}
	return res, docs
}

// ruleFilter validates --enable/--disable and returns the predicate.
func ruleFilter(enable, disable []string, policies *policy.Set) (func(string) bool, error) {
	known := knownRule(policies)
	check := func(ids []string, flag string) (map[string]bool, error) {
		set := map[string]bool{}
		for _, id := range ids {
			id = strings.TrimSpace(id)
			if id == "" {
				continue
			}
			if !known(id) {
				return nil, &UsageError{Msg: fmt.Sprintf("%s: unknown rule %q%s (see `jenkins-oidc-lint rules`)", flag, id, DidYouMean(id))}
			}
			set[id] = true
		}
		return set, nil
	}
	en, err := check(enable, "--enable")
	if err != nil {
		return nil, err
	}
	dis, err := check(disable, "--disable")
	if err != nil {
		return nil, err
	}
	return func(id string) bool {
		if id == rules.ParseError.ID {
			return true
		}
		if dis[id] {
			return false
		}
		return len(en) == 0 || en[id]
	}, nil
}

// knownRule reports whether id is a built-in rule or one of the policies.
func knownRule(policies *policy.Set) func(string) bool {
	ids := map[string]bool{}
	if policies != nil {
		for _, m := range policies.Rules() {
			ids[m.ID] = true
		}
	}
	return func(id string) bool { return rules.Known(id) || ids[id] }
}

// RuleMetas lists the built-in rules and the policies' rules, sorted by ID.
func RuleMetas(policies *policy.Set) []report.RuleMeta {
	out := rules.Metas()
	if policies != nil {
		out = append(out, policies.Rules()...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// DidYouMean suggests the registered rule closest to id, as
// ` (did you mean "x"?)`, or "".
func DidYouMean(id string) string { return rules.DidYouMean(id) }
