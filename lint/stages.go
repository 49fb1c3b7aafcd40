package lint

import (
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/rules"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/plugins"
)

// runState is what the stages of Run share: the options, the loaded inputs,
// the findings as they pass from stage to stage, and the report being made.
type runState struct {
	opts     Options
	enabled  func(id string) bool
	l        *Loaded
	rep      *report.Report
	findings []report.Finding
	files    map[string]*source.File // every file read, by path
	red      *redactor
	text     *texts
}

// stage is one named step of Run, after Load.
type stage struct {
	name string
	do   func(r *runState)
}

// stages are the steps of Run, in order. Each reads and changes the run;
// TestStages keeps the list as documented here.
var stages = []stage{
	{"online", stageOnline},           // --online: fetch each realm's provider
	{"errors", stageErrors},           // errors of embedded documents point into their container
	{"rules", stageRules},             // the workspace-wide rules (a share at a time on a large tree)
	{"embedded", stageEmbedded},       // findings of embedded documents point into their container
	{"filter", stageFilter},           // --enable, --disable, the settings' off
	{"files", stageFiles},             // every file read, by path
	{"suppress", stageSuppress},       // suppression comments, unused-suppression
	{"severity", stageSeverity},       // the settings' severities
	{"redact", stageRedact},           // no secret in a message, snippet or fix
	{"sort", stageSort},               // the one finding order of every format
	{"fingerprint", stageFingerprint}, // stable IDs for code scanning and baselines
	{"baseline", stageBaseline},       // --baseline
	{"paths", stagePaths},             // --changed-since
	{"hashes", stageHashes},           // what --fix checks each file still holds
	{"sources", stageSources},         // the files findings point into, masked on demand
	{"late-errors", stageLateErrors},  // files read again that failed; the policies' errors
	{"notes", stageNotes},             // inputs left alone on purpose
	{"summary", stageSummary},         // plugin versions and the rules' metadata
}

func stageOnline(r *runState) {
	if r.opts.Online != nil {
		r.l.Findings = append(r.l.Findings, fetchOnline(r.l.WS, r.opts.Online)...)
	}
}

func stageErrors(r *runState) {
	for i := range r.rep.Errors {
		r.l.embeds.mapError(&r.rep.Errors[i])
	}
}

func stageRules(r *runState) {
	findings := r.l.Findings
	r.l.Findings = nil // one copy of the findings: this list
	if r.l.shared != nil {
		var errs []report.FileError
		r.findings, errs = r.l.runShares(r.opts, findings)
		r.rep.Errors = append(r.rep.Errors, errs...)
		r.l.runner, r.l.facts, r.l.shared = nil, nil, nil
		r.l.WS.DropViews()
		return
	}
	ruleFindings, ruleSecrets := r.l.runner.RunWorkspace(r.l.facts)
	r.l.addSecrets(ruleSecrets)
	// The rules are done: what only they read goes, so the later stages
	// hold the files and the findings, not the documents' views and trees
	// (before the two lists of findings are joined, which may copy them).
	r.l.runner, r.l.facts = nil, nil
	r.l.WS.DropViews()
	r.findings = append(findings, ruleFindings...)
}

func stageEmbedded(r *runState) {
	r.findings = r.l.embeds.mapFindings(r.findings)
}

func stageFilter(r *runState) {
	kept := r.findings[:0]
	for _, f := range r.findings {
		if r.enabled(f.Rule) {
			kept = append(kept, f)
		}
	}
	r.findings = kept
}

func stageFiles(r *runState) {
	r.files = map[string]*source.File{}
	for _, f := range r.l.WS.Files {
		r.files[f.Path] = f
	}
}

func stageSuppress(r *runState) {
	r.findings = applySuppressions(r.findings, r.files, r.enabled, knownRule(r.opts.Policies))
	if !r.enabled(rules.UnusedSuppression.ID) {
		kept := r.findings[:0]
		for _, f := range r.findings {
			if f.Rule != rules.UnusedSuppression.ID {
				kept = append(kept, f)
			}
		}
		r.findings = kept
	}
}

func stageSeverity(r *runState) {
	if r.opts.File == nil {
		return
	}
	for i := range r.findings {
		if s, ok := r.opts.File.Severity[r.findings[i].Rule]; ok {
			r.findings[i].Severity = s
		}
	}
}

func stageRedact(r *runState) {
	r.red = newRedactor(r.files, r.l.masks, r.l.dropped)
	for i := range r.findings {
		r.red.finding(&r.findings[i])
	}
	for i := range r.rep.Errors {
		r.rep.Errors[i].Message = r.red.text(r.rep.Errors[i].Message, r.rep.Errors[i].Pos.Path)
	}
}

func stageSort(r *runState) { report.Sort(r.findings) }

func stageFingerprint(r *runState) {
	r.text = &texts{files: r.files, dropped: r.l.dropped}
	fingerprint(r.findings, r.text.get, r.l.masks)
}

func stageBaseline(r *runState) { r.findings = filterBaseline(r.findings, r.opts.Baseline) }

func stagePaths(r *runState) {
	only := r.opts.OnlyPaths
	if only == nil {
		return
	}
	kept := r.findings[:0]
	for _, f := range r.findings {
		if only[absPath(f.Pos.Path)] {
			kept = append(kept, f)
		}
	}
	r.findings = kept
	errs := r.rep.Errors[:0]
	for _, e := range r.rep.Errors {
		if only[absPath(e.Pos.Path)] {
			errs = append(errs, e)
		}
	}
	r.rep.Errors = errs
}

// stageHashes records what each fixed file held when it was linted, before
// masking (which happens in place later): --fix writes only if the file
// still holds it.
func stageHashes(r *runState) {
	rep := r.rep
	rep.Findings = r.findings
	rep.Hashes = map[string]string{}
	for _, f := range rep.Findings {
		if f.Fix == nil {
			continue
		}
		if _, done := rep.Hashes[f.Fix.Path]; !done {
			if file := r.text.get(f.Fix.Path); file != nil {
				rep.Hashes[f.Fix.Path] = ContentHash(file.Data)
			}
		}
	}
}

// stageSources: formats show source lines only of the files findings point
// into: the report names those, and hands out each one's masked text on
// demand, one file at a time (read again when the loader let it go), so
// writing a report holds no file's text but the one being printed.
func stageSources(r *runState) {
	rep := r.rep
	for _, f := range rep.Findings {
		for _, p := range findingPaths(f) {
			if _, done := rep.Files[p]; !done && r.files[p] != nil {
				rep.Files[p] = nil
			}
		}
	}
	if !r.opts.NoSources {
		text, red := r.text, r.red
		rep.Source = func(p string) []byte {
			if file := text.get(p); file != nil {
				return red.mask(file)
			}
			return nil
		}
	}
}

func stageLateErrors(r *runState) {
	rep := r.rep
	for _, e := range r.text.errs {
		if r.opts.OnlyPaths == nil || r.opts.OnlyPaths[absPath(e.Pos.Path)] {
			e.Message = r.red.text(e.Message, e.Pos.Path)
			rep.Errors = append(rep.Errors, e)
		}
	}
	if r.opts.Policies != nil {
		rep.Errors = append(rep.Errors, r.opts.Policies.Errors()...)
	}
	report.SortErrors(rep.Errors)
}

func stageNotes(r *runState) {
	for _, n := range r.l.Notes {
		r.l.embeds.mapError(&n)
		if r.opts.OnlyPaths == nil || r.opts.OnlyPaths[absPath(n.Pos.Path)] {
			r.rep.Notes = append(r.rep.Notes, n)
		}
	}
}

func stageSummary(r *runState) {
	r.rep.Versions = plugins.Summary(r.l.WS.Plugins)
	r.rep.Rules = RuleMetas(r.opts.Policies)
}
