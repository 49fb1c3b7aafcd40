package lsp

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/lint"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/policy"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/rules"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/settings"
)

// lintState is what runs keep from one to the next: the compiled policies
// of each folder (compiling costs a worker round trip; a change to a .cue
// file drops them).
type lintState struct {
	polMu    chan struct{} // a one-slot lock: runs and dropPolicies
	policies map[string]*policy.Set
}

func (s *Server) dropPolicies() {
	s.lockPolicies()
	s.policies = nil
	s.unlockPolicies()
}

func (s *Server) lockPolicies() { s.polMu <- struct{}{} }

func (s *Server) unlockPolicies() { <-s.polMu }

// snapshot is what one run of a folder reads from the editor.
type snapshot struct {
	enc        string
	docChanges bool
	related    bool
	docs       map[string]*document // open documents under the folder, by path (copies)
	gen        int
}

func (s *Server) snapshot(f *folder) snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	sn := snapshot{enc: s.enc, docChanges: s.docChanges, related: s.related, docs: map[string]*document{}, gen: s.gen}
	for p, d := range s.docs {
		if s.ownerLocked(p) == f || within(f.path, p) {
			c := *d
			sn.docs[p] = &c
		}
	}
	return sn
}

// runFolder lints a folder as `jenkins-oidc-lint` run in it would, with the
// open documents read from the editor, and publishes what changed. It
// returns the number of events (Server.gen) the run saw.
func (s *Server) runFolder(f *folder) int {
	sn := s.snapshot(f)
	if err := os.Chdir(f.path); err != nil {
		s.showOnce(2, fmt.Sprintf("cannot lint %s: %v", f.path, errors.Unwrap(err)))
		return sn.gen
	}
	overlay := map[string][]byte{}
	for p, d := range sn.docs {
		if rel, err := filepath.Rel(f.path, p); err == nil {
			abs, err := filepath.Abs(rel) // as the engine names the file it walks
			if err == nil {
				overlay[abs] = d.data
			}
		}
	}
	opts, cfgErrs, err := s.lintOptions(overlay)
	var rep *report.Report
	if err == nil && len(cfgErrs) == 0 {
		rep, err = lint.Run(opts)
	}
	if err != nil {
		// a usage error (--enable of an unknown rule): the command line
		// would stop; the editor is told once
		s.showOnce(1, err.Error())
		return sn.gen
	}
	c := &converter{f: f, sn: sn, texts: map[string]*text{}, versions: map[string]*int{}}
	items := map[string][]*item{}
	fixAll := map[string]*fixEdit{}
	if len(cfgErrs) > 0 {
		// The settings are broken: the command line stops at them, so
		// they are shown and the other files keep what they had.
		s.mu.Lock()
		for uri, list := range f.items {
			items[uri] = list
		}
		for uri, v := range f.versions {
			c.versions[uri] = v
		}
		for uri, e := range f.fixAll {
			fixAll[uri] = e
		}
		s.mu.Unlock()
		cfgURIs := map[string]bool{}
		for _, e := range cfgErrs {
			cfgURIs[c.uri(e.Pos.Path)] = true
		}
		for uri := range cfgURIs {
			delete(items, uri)
		}
		for _, e := range cfgErrs {
			it := c.fileError(e, severityError, "settings")
			items[it.uri] = append(items[it.uri], &it.item)
		}
	} else {
		for _, e := range rep.Errors {
			it := c.fileError(e, severityError, rules.ParseError.ID)
			items[it.uri] = append(items[it.uri], &it.item)
		}
		for _, n := range rep.Notes {
			it := c.fileError(n, severityInformation, "")
			items[it.uri] = append(items[it.uri], &it.item)
		}
		helps := map[string]string{}
		for _, m := range rep.Rules {
			if doc, ok := rules.Doc(m.ID); ok && rules.Known(m.ID) {
				helps[m.ID] = doc
			} else {
				helps[m.ID] = "# " + m.ID + "\n\n" + m.Help + "\n"
			}
		}
		hrefs := map[string]string{}
		for _, m := range rep.Rules {
			hrefs[m.ID] = m.HelpURI
		}
		for i := range rep.Findings {
			uri, it := c.finding(&rep.Findings[i], hrefs[rep.Findings[i].Rule])
			items[uri] = append(items[uri], it)
		}
		for p, fixes := range lint.Fixes(rep) {
			if e := c.edit(p, fixes); e != nil {
				e.title = "Fix every jenkins-oidc-lint finding of this file that has a fix (--fix)"
				fixAll[e.uri] = e
			}
		}
		s.mu.Lock()
		f.helps = helps
		s.mu.Unlock()
	}
	s.publish(f, items, fixAll, c.versions)
	return sn.gen
}

// publish stores a run's items and sends the diagnostics of each file whose
// list changed, an empty list to each file that has none left.
func (s *Server) publish(f *folder, items map[string][]*item, fixAll map[string]*fixEdit, versions map[string]*int) {
	type pub struct {
		uri  string
		body string
		p    publishDiagnosticsParams
	}
	var out []pub
	s.mu.Lock()
	removed := true
	for _, g := range s.folders {
		removed = removed && g != f
	}
	if removed || s.state != stateRunning {
		s.mu.Unlock()
		return
	}
	// Files of a deeper folder are that folder's to publish.
	for uri := range items {
		if p := uriToPath(uri); p != "" && s.ownerLocked(p) != f && s.ownerLocked(p) != nil {
			delete(items, uri)
		}
	}
	f.items, f.fixAll, f.versions = items, fixAll, versions
	seen := map[string]bool{}
	for uri, list := range items {
		seen[uri] = true
		diags := make([]diagnostic, 0, len(list))
		for _, it := range list {
			diags = append(diags, it.diag)
		}
		body, _ := json.Marshal(diags)
		if f.published[uri] == string(body) {
			continue
		}
		f.published[uri] = string(body)
		out = append(out, pub{uri, string(body), publishDiagnosticsParams{URI: uri, Version: versions[uri], Diagnostics: diags}})
	}
	for uri := range f.published {
		if !seen[uri] {
			delete(f.published, uri)
			out = append(out, pub{uri, "", publishDiagnosticsParams{URI: uri, Diagnostics: []diagnostic{}}})
		}
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].uri < out[j].uri })
	for _, p := range out {
		s.notify("textDocument/publishDiagnostics", p.p)
	}
}

// lintOptions builds the options of a run in the current directory (the
// folder), as the command line builds them: settings, policies, baseline.
// Problems of the settings and policies come back as file errors; an error
// is one the editor is told about.
func (s *Server) lintOptions(overlay map[string][]byte) (lint.Options, []report.FileError, error) {
	o := s.opts
	root, _ := os.Getwd()
	opts := lint.Options{
		Paths:         []string{"."},
		MetadataFiles: o.Metadata,
		MaxFileSize:   o.MaxFileSize,
		Enable:        o.Enable,
		Disable:       o.Disable,
		AllFiles:      o.AllFiles,
		NoIgnore:      o.NoIgnore,
		NoSources:     true,
		Version:       o.Version,
		Root:          root,
		Overlay:       overlay,
	}
	if !o.NoConfig {
		p := o.Config
		if p == "" {
			p = settings.Find(".")
		}
		if p != "" {
			var cfg *settings.Config
			var errs []report.FileError
			if data, ok := overlay[absOf(p)]; ok {
				cfg, errs = settings.Parse(p, data)
			} else {
				cfg, errs = settings.Load(p)
			}
			if len(errs) > 0 {
				return opts, errs, nil
			}
			opts.File = cfg
		}
	}
	dirs := append([]string(nil), o.Policies...)
	if opts.File != nil {
		dirs = append(dirs, opts.File.Policies...)
	}
	if len(dirs) > 0 {
		budget := opts.File.LimitBudget(policy.Budget{Time: o.PolicyTimeout, Memory: o.PolicyMemory})
		key := fmt.Sprintf("%s\x00%q\x00%v", root, dirs, budget)
		s.lockPolicies()
		set := s.policies[key]
		s.unlockPolicies()
		if set == nil {
			var errs []report.FileError
			set, errs = policy.LoadBudget(dirs, rules.Known, budget)
			if len(errs) > 0 {
				return opts, errs, nil
			}
			s.lockPolicies()
			if s.policies == nil {
				s.policies = map[string]*policy.Set{}
			}
			s.policies[key] = set
			s.unlockPolicies()
		}
		opts.Policies = set
	}
	if errs := opts.File.CheckRuleIDs(opts.Policies); len(errs) > 0 {
		return opts, errs, nil
	}
	if o.Baseline != "" {
		b, err := lint.LoadBaseline(o.Baseline)
		if err != nil {
			return opts, nil, err
		}
		opts.Baseline = b
	}
	return opts, nil, nil
}

func absOf(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}

// converter turns a report's places into the client's: URIs, and ranges
// in the negotiated encoding counted on the text the run read (the
// editor's buffer, or the disk).
type converter struct {
	f        *folder
	sn       snapshot
	texts    map[string]*text
	versions map[string]*int // the version of each open document the run read, by URI
}

// abs is the absolute path of a report path (relative to the folder).
func (c *converter) abs(p string) string {
	fp := filepath.FromSlash(p)
	if filepath.IsAbs(fp) {
		return filepath.Clean(fp)
	}
	return filepath.Join(c.f.path, fp)
}

// uri is a report path's URI: the client's own for an open document.
func (c *converter) uri(p string) string {
	a := c.abs(p)
	if d := c.sn.docs[a]; d != nil {
		v := d.version
		c.versions[d.uri] = &v
		return d.uri
	}
	return pathToURI(a)
}

// text is the text the run read for a report path (nil when it cannot be
// read: its positions are then taken as counted in code points).
func (c *converter) text(p string) *text {
	a := c.abs(p)
	if t, ok := c.texts[a]; ok {
		return t
	}
	var t *text
	if d := c.sn.docs[a]; d != nil {
		t = newText(d.data)
	} else if data, err := os.ReadFile(a); err == nil {
		t = newText(data)
	}
	c.texts[a] = t
	return t
}

func (c *converter) pos(p report.Position) position {
	if p.Line <= 0 {
		return position{}
	}
	if t := c.text(p.Path); t != nil {
		return t.fromRunes(p.Line, p.Col, c.sn.enc)
	}
	return position{Line: p.Line - 1, Character: max(0, p.Col-1)}
}

func (c *converter) span(start, end report.Position) lspRange {
	r := lspRange{Start: c.pos(start)}
	r.End = r.Start
	if end.Line > 0 && end.Path == start.Path || end.Line > 0 && end.Path == "" {
		end.Path = start.Path
		if e := c.pos(end); r.Start.before(e) {
			r.End = e
		}
	}
	return r
}

type uriItem struct {
	uri string
	item
}

func (c *converter) fileError(e report.FileError, sev int, code string) uriItem {
	return uriItem{uri: c.uri(e.Pos.Path), item: item{rule: code, diag: diagnostic{
		Range: c.span(e.Pos, report.Position{}), Severity: sev, Code: code, Source: "jenkins-oidc-lint", Message: e.Message,
	}}}
}

var severities = map[report.Severity]int{report.Error: severityError, report.Warning: severityWarning, report.Note: severityInformation}

func (c *converter) finding(fd *report.Finding, href string) (string, *item) {
	uri := c.uri(fd.Pos.Path)
	sev := severities[fd.Severity]
	if sev == 0 {
		sev = severityInformation
	}
	it := &item{rule: fd.Rule, diag: diagnostic{
		Range: c.span(fd.Pos, fd.End), Severity: sev, Code: fd.Rule, Source: "jenkins-oidc-lint", Message: fd.Message,
	}}
	if href != "" {
		it.diag.CodeDescription = &codeDescription{Href: href}
	}
	for _, rel := range fd.Related {
		if c.sn.related {
			it.diag.RelatedInformation = append(it.diag.RelatedInformation, relatedInformation{
				Location: location{URI: c.uri(rel.Pos.Path), Range: c.span(rel.Pos, report.Position{})},
				Message:  rel.Message,
			})
		} else if rel.Message != "" {
			// a client without related information reads the places in
			// the message, as the text format prints them
			it.diag.Message += "\n" + rel.Pos.String() + ": " + rel.Message
		}
	}
	if fx := fd.Fix; fx != nil {
		if e := c.edit(fx.Path, []report.Fix{*fx}); e != nil {
			e.title = fx.Description
			if e.title == "" {
				e.title = "Fix " + fd.Rule
			}
			it.fix = e
		}
	}
	if fd.Pos.Line > 0 && fd.Rule != rules.UnusedSuppression.ID {
		if t := c.text(fd.Pos.Path); t != nil {
			it.ignore = ignoreEdit(t, fd.Pos.Line, fd.Rule, commentMarker(fd.Pos.Path, c.languageID(fd.Pos.Path), t.data), c.sn.enc)
			if it.ignore != nil {
				it.ignore.uri = uri
			}
		}
	}
	return uri, it
}

// edit is the edit --fix makes with fixes to the file p (one round, as
// lint.ResolveFixes decides between them: each fix reduced to its smallest
// edit, covered ones merged, conflicting ones left out), or nil when it
// changes nothing or the fixes do not fit the text.
func (c *converter) edit(p string, fixes []report.Fix) *fixEdit {
	t := c.text(p)
	if t == nil {
		return nil
	}
	res := lint.ResolveFixes(t.data, fixes)
	if len(res.Edits) == 0 || len(res.Unfit) > 0 {
		return nil
	}
	e := &fixEdit{uri: c.uri(p)}
	for _, fx := range res.Edits {
		e.edits = append(e.edits, textEdit{
			Range:   lspRange{Start: t.fromOffset(fx.Offset, c.sn.enc), End: t.fromOffset(fx.Offset+fx.Length, c.sn.enc)},
			NewText: fx.Replacement,
		})
	}
	return e
}

func (c *converter) languageID(p string) string {
	if d := c.sn.docs[c.abs(p)]; d != nil {
		return strings.ToLower(d.languageID)
	}
	return ""
}
