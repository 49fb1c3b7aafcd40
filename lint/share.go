package lint

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"runtime"
	"sort"
	"sync"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/rules"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/workspace"
)

// A large tree is checked in shares, so that memory does not grow with it.
// The views of a JCasC document (realm, authorization, credentials) take
// a few kilobytes, and the workspace rules read them long after the
// document's own checks ran: held for every file of a tree of 50,000, they
// were most of the run's memory. So on a run of more than
// shareSettings.filesAbove inputs the loader lets each JCasC file's views
// and text go once its own checks ran (dropViews), keeping what deciding
// the shares needs, and the workspace rules then run a share at a time: a
// few whole controllers, their files read again and parsed once more
// (runShares). Files that cannot be read again (standard input, an
// editor's buffers) and files that define credentials (the pipeline checks
// look those up while the pipelines load) keep their views.
//
// Every share holds the run's provider metadata, plugin sets and files; the
// primary one also holds the trusts, the pipelines' facts and every
// controller that defines credentials (or, when the run has trusts, issues
// id tokens), so what pairs across controllers lies in one share. Two
// facts reach every controller, and a run that has one of them is checked
// whole, as a small run is: a single realm (rules pair a document without
// one with it), and an audit trail in a controller without a realm (it
// covers every realm). See workspace.Share for what rules make of a share.

// shareSettings say when and how Run checks a tree in shares.
type shareSettings struct {
	on bool
	// filesAbove is the number of inputs (pipelines aside) above which a
	// run is checked in shares.
	filesAbove int
	// bytes is the most JCasC text a share reads again, but for a
	// controller larger on its own.
	bytes int
}

// defaultShares are Run's share settings: trees of up to 2,000 files are
// checked whole, larger ones 64 KiB of JCasC (a controller at least) at a
// time (README, Performance).
var defaultShares = shareSettings{on: true, filesAbove: 2000, bytes: 64 << 10}

// docKey is what assigning plugin lists to controllers needs of a JCasC
// document: its path, controller and the name of its file (a container's
// for an embedded document).
type docKey struct{ path, controller, name string }

// docFact is what deciding the shares needs of a document whose views the
// loader let go.
type docFact struct {
	docKey
	realm, audit, creds, idTokens bool
}

func factOf(d *jcasc.Doc) docFact {
	return docFact{
		docKey:   docKey{d.File.Path, d.Controller, d.File.Name()},
		realm:    d.Realm != nil,
		audit:    d.AuditTrail != nil,
		creds:    len(d.Credentials) > 0,
		idTokens: d.IDTokens.Writes(),
	}
}

// viewFile is a JCasC file whose views the loader let go: how to read it
// again, what it held (a file that changed since is an error, not read
// twice differently), and its documents' facts.
type viewFile struct {
	cand       source.Candidate
	controller string
	size       int
	sum        uint64
	docs       []docFact
}

// sharedViews is what the loader keeps of a run it checks in shares.
type sharedViews struct {
	files []*viewFile // sorted by path once loaded
}

// dropViews lets the JCasC views of a loaded file go, and its text unless
// it has ignore comments (see the top of this file).
func dropViews(c source.Candidate, r *parsed) {
	f := r.file
	if len(r.jcasc) == 0 || f == nil || !f.Regular || c.OSPath == "-" {
		return
	}
	for _, d := range r.jcasc {
		if len(d.Credentials) > 0 {
			return
		}
	}
	v := &viewFile{cand: c, controller: r.jcasc[0].Controller, size: len(f.Data), sum: maphash.Bytes(textSeed, f.Data)}
	for _, d := range r.jcasc {
		v.docs = append(v.docs, factOf(d))
	}
	r.views, r.jcasc = v, nil
	if len(r.embeds) > 0 {
		// what the file's own checks found in its embedded documents moves
		// into the file now, while the documents' text is at hand
		em := embeddings{}
		for _, e := range r.embeds {
			em[e.Path] = e
		}
		r.findings = em.mapFindings(r.findings)
		for i := range r.errs {
			em.mapError(&r.errs[i])
		}
		for i := range r.notes {
			em.mapError(&r.notes[i])
		}
		r.embeds = nil
	}
	if r.dropped == nil && !bytes.Contains(f.Data, suppressMarker) {
		r.dropped = &droppedText{osPath: c.OSPath, size: len(f.Data), sum: v.sum, secrets: secretSums(secretStrings(f.Data, r.secrets))}
		r.file = &source.File{Path: f.Path, Kind: f.Kind}
	}
}

// docKeys lists every JCasC document of the run, kept or let go, in path
// order.
func (l *Loaded) docKeys() []docKey {
	keys := make([]docKey, 0, len(l.WS.JCasC))
	for _, d := range l.WS.JCasC {
		keys = append(keys, docKey{d.File.Path, d.Controller, d.File.Name()})
	}
	if l.shared != nil {
		for _, v := range l.shared.files {
			for _, d := range v.docs {
				keys = append(keys, d.docKey)
			}
		}
		sort.SliceStable(keys, func(i, j int) bool { return keys[i].path < keys[j].path })
	}
	return keys
}

// share is one share of a run: its controllers and the files to read again.
type share struct {
	primary bool
	whole   bool // the run's every controller: checked as a whole workspace
	ctls    map[string]bool
	files   []*viewFile
}

// planShares divides the run's controllers into shares: the primary one
// first, then the others in key order, each up to settings.bytes of text
// to read again.
func (l *Loaded) planShares(settings shareSettings) []share {
	type ctlFacts struct {
		realms         int
		audit, primary bool
		bytes          int
		files          []*viewFile
	}
	trusts := len(l.WS.Trusts) > 0
	ctls := map[string]*ctlFacts{}
	var keys []string
	at := func(key string) *ctlFacts {
		c := ctls[key]
		if c == nil {
			c = &ctlFacts{}
			ctls[key] = c
			keys = append(keys, key)
		}
		return c
	}
	note := func(c *ctlFacts, f docFact) {
		if f.realm {
			c.realms++
		}
		c.audit = c.audit || f.audit
		c.primary = c.primary || f.creds || trusts && f.idTokens
	}
	for _, d := range l.WS.JCasC {
		note(at(d.Controller), factOf(d))
	}
	for _, v := range l.shared.files {
		c := at(v.controller)
		c.files = append(c.files, v)
		c.bytes += v.size
		for _, f := range v.docs {
			note(c, f)
		}
		v.docs = nil // known now: the shares hold the files till each is done
	}
	l.shared.files = nil
	sort.Strings(keys)
	realms, realmless := 0, false
	for _, k := range keys {
		realms += ctls[k].realms
		realmless = realmless || ctls[k].audit && ctls[k].realms == 0
	}
	if realms == 1 || realms > 0 && realmless {
		all := share{primary: true, whole: true, ctls: map[string]bool{}}
		for _, k := range keys {
			all.ctls[k] = true
			all.files = append(all.files, ctls[k].files...)
		}
		return []share{all}
	}
	out := []share{{primary: true, ctls: map[string]bool{}}}
	for _, k := range keys {
		if c := ctls[k]; c.primary {
			out[0].ctls[k] = true
			out[0].files = append(out[0].files, c.files...)
		}
	}
	size := 0
	for _, k := range keys {
		c := ctls[k]
		if c.primary {
			continue
		}
		if len(out) == 1 || size > 0 && size+c.bytes > settings.bytes {
			out = append(out, share{ctls: map[string]bool{}})
			size = 0
		}
		last := &out[len(out)-1]
		last.ctls[k] = true
		last.files = append(last.files, c.files...)
		size += c.bytes
	}
	if len(out) == 2 && len(out[0].ctls) == 0 {
		// one share of controllers and an empty primary one: one whole
		// share (rules that count the run's controllers need it whole)
		out = out[1:]
		out[0].primary = true
	}
	if len(out) == 1 {
		out[0].whole = true
	}
	return out
}

// runShares runs the workspace rules a share at a time, up to opts.Jobs
// shares at once, and returns into followed by their findings (in share
// order, whichever ends first) and the errors of files that could not be read again. The
// rules' secret spans go into the run's masks as each share ends, and the
// secret strings of files whose text the loader let go are summed again
// from the text the share read.
func (l *Loaded) runShares(opts Options, into []report.Finding) ([]report.Finding, []report.FileError) {
	kept := map[string][]*jcasc.Doc{}
	for _, d := range l.WS.JCasC {
		kept[d.Controller] = append(kept[d.Controller], d)
	}
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	plan := l.planShares(opts.share)
	found := make([][]report.Finding, len(plan))
	var errs []report.FileError
	var mu sync.Mutex
	parallel(len(plan), jobs, func(i int) {
		res := l.runShare(plan[i], kept, opts)
		plan[i] = share{}
		// exactly as long as it is: all wait for the last share
		found[i] = append(make([]report.Finding, 0, len(res.findings)), res.findings...)
		mu.Lock()
		defer mu.Unlock()
		errs = append(errs, res.errs...)
		for _, p := range l.addSecrets(res.secrets) {
			if d, data := l.dropped[p], res.text[p]; d != nil && data != nil {
				d.secrets = secretSums(secretStrings(data, l.masks[p]))
			}
		}
	})
	n := len(into)
	for _, fs := range found {
		n += len(fs)
	}
	findings := append(make([]report.Finding, 0, n), into...)
	for i, fs := range found {
		findings = append(findings, fs...)
		found[i] = nil
	}
	return findings, errs
}

// shareResult is what the workspace rules found in one share, and the
// text of the files it read again.
type shareResult struct {
	findings []report.Finding
	secrets  []rules.Secret
	errs     []report.FileError
	text     map[string][]byte
}

// runShare reads the files of sh again and runs the workspace rules on its
// controllers' documents (kept holds those the loader kept, by controller).
func (l *Loaded) runShare(sh share, kept map[string][]*jcasc.Doc, opts Options) shareResult {
	ws := &workspace.Workspace{Files: l.WS.Files, Metadata: l.WS.Metadata, Pinned: l.WS.Pinned, Plugins: l.WS.Plugins}
	var facts []rules.PipelineFacts
	if !sh.whole {
		ws.Share = &workspace.Share{Primary: sh.primary}
	}
	if sh.primary {
		ws.Trusts, facts = l.WS.Trusts, l.facts
	}
	for c := range sh.ctls {
		ws.JCasC = append(ws.JCasC, kept[c]...)
	}
	res := shareResult{text: map[string][]byte{}}
	em := embeddings{}
	for _, v := range sh.files {
		a := readAgain(v, opts)
		if a.err != nil {
			res.errs = append(res.errs, *a.err)
			continue
		}
		ws.JCasC = append(ws.JCasC, a.docs...)
		res.text[v.cand.Path] = a.data
		for _, e := range a.embeds {
			em[e.Path] = e
		}
	}
	sort.SliceStable(ws.JCasC, func(i, j int) bool { return ws.JCasC[i].File.Path < ws.JCasC[j].File.Path })
	findings, secrets := l.runner.RunWorkspaceOn(ws, facts)
	// into the containers of the documents read again (those of documents
	// the loader kept are mapped with the rest of the run's)
	res.findings = em.mapFindings(findings)
	for _, sec := range secrets {
		res.secrets = append(res.secrets, em.mapSecret(sec)...)
	}
	return res
}

// addSecrets puts the rules' secret spans into the run's masks (those of
// embedded documents in their containers) and returns the paths they
// fall in.
func (l *Loaded) addSecrets(secrets []rules.Secret) []string {
	var paths []string
	for _, sec := range secrets {
		for _, s := range l.embeds.mapSecret(sec) {
			l.masks[s.Path] = append(l.masks[s.Path], span{s.Start, s.End})
			paths = append(paths, s.Path)
		}
	}
	return paths
}

// reread is a file of a share read again: its documents' views and text.
type reread struct {
	docs   []*jcasc.Doc
	embeds []*source.File // the documents embedded in it
	data   []byte
	err    *report.FileError
}

// readAgain reads a file of a share again and, only when it still holds
// the text first read, parses it for its views (its checks ran when it was
// loaded): a file that changed is an error, and none of its new text
// reaches a message.
func readAgain(v *viewFile, opts Options) (res reread) {
	defer func() {
		if e := recover(); e != nil {
			res = reread{err: &report.FileError{Pos: report.Position{Path: v.cand.Path}, Message: fmt.Sprintf("internal error while reading the file again: %v (please report this)", e)}}
		}
	}()
	f, ferr := source.Read(v.cand, source.MaxSize)
	if ferr == nil && !sameText(f.Data, v.size, v.sum) {
		ferr = changedError(v.cand.Path)
	}
	if ferr != nil {
		return reread{err: ferr}
	}
	opts.viewsOnly, opts.Policies = true, nil
	r := parseText(v.cand, f, opts, func(string) bool { return true })
	if r.err != nil {
		return reread{err: r.err}
	}
	return reread{docs: r.jcasc, embeds: r.embeds, data: f.Data}
}
