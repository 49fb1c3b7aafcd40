package rules

import (
	"fmt"
	"runtime/debug"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/workspace"
)

// Config holds the rule settings users may change.
type Config struct {
	// Placeholders are extra values that count as placeholders (not real
	// client IDs or secrets).
	Placeholders []string
	// Thresholds are the settings' `rules: <id>: threshold: n` values by
	// rule ID, read by the rule through Pass.Threshold.
	Thresholds map[string]int
	// Secrets are the run's clock, expiry window, maximum secret age,
	// declared secrets (the settings' secrets: entries) and git hook, read
	// by secret-expiring and secret-not-rotated.
	Secrets expiry.Settings
}

// Pass is what a rule sees while it runs: the workspace, the settings, and
// a way to report findings.
type Pass struct {
	WS     *workspace.Workspace
	Config Config

	rule     string
	current  *Rule // the running rule (for its settings)
	findings []report.Finding
	secrets  []Secret

	idx      *wsIndex        // built on first use (index)
	pipeline *PipelineFacts  // the pipeline a pipeline check runs on
	facts    []PipelineFacts // every pipeline's facts, in path order
	// trusts are the trusts paired with controllers, built on first use
	// (pairedTrusts: five rules read them).
	trusts     []trustPair
	trustsDone bool
}

// index is the run's JCasC credential index.
func (p *Pass) index() *wsIndex {
	if p.idx == nil {
		p.idx = newIndex(p.WS)
	}
	return p.idx
}

// Threshold is the running rule's threshold: the settings' value when they
// set a positive one, else the rule's default (Rule.Threshold).
func (p *Pass) Threshold() int {
	if n := p.Config.Thresholds[p.rule]; n > 0 {
		return n
	}
	if p.current != nil {
		return p.current.Threshold
	}
	return 0
}

// Secret is a byte range of a file that holds a secret value: the engine
// masks it in every output (source lines, diffs, messages).
type Secret struct {
	Path       string
	Start, End int
}

// Secret records that bytes [start, end) of the file at path hold a secret,
// so that no output shows them, whether or not a finding points there.
func (p *Pass) Secret(path string, start, end int) {
	if end > start {
		p.secrets = append(p.secrets, Secret{Path: path, Start: start, End: end})
	}
}

// Report records a finding for the running rule. A zero Severity means the
// rule's default severity.
func (p *Pass) Report(f report.Finding) {
	if f.Rule == "" {
		f.Rule = p.rule
	}
	if f.Severity == 0 {
		if m, ok := Meta(f.Rule); ok {
			f.Severity = m.Severity
		} else {
			f.Severity = report.Error
		}
	}
	f.Intern()
	p.findings = append(p.findings, f)
}

// ReportAt records a finding spanning the node marked m in file f (as
// ReportNode does the node).
func (p *Pass) ReportAt(f *source.File, m tree.Mark, msg string) *report.Finding {
	p.Report(report.Finding{Pos: m.Pos(f), End: m.End(f), Message: msg})
	return &p.findings[len(p.findings)-1]
}

// ReportNode records a finding spanning node n of file f.
func (p *Pass) ReportNode(f *source.File, n *yaml.Node, msg string) *report.Finding {
	p.Report(report.Finding{Pos: tree.Pos(f, n), End: tree.End(f, n), Message: msg})
	return &p.findings[len(p.findings)-1]
}

// Run runs every enabled rule over ws, the pipeline checks on each of
// ws.Pipelines included, and returns the findings unsorted and the secret
// spans the rules recorded. A rule that panics becomes an internal-error
// finding instead of a crash. (The engine streams pipelines instead: it
// runs a PipelineRunner on each as it is loaded, then its RunWorkspace.)
func Run(ws *workspace.Workspace, cfg Config, enabled func(id string) bool) ([]report.Finding, []Secret) {
	runner := NewPipelineRunner(ws, cfg, enabled)
	var findings []report.Finding
	var secrets []Secret
	var facts []PipelineFacts
	for _, pf := range ws.Pipelines {
		res := runner.Run(pf)
		findings = append(findings, res.Findings...)
		secrets = append(secrets, res.Secrets...)
		facts = append(facts, res.Facts)
	}
	wf, ws2 := runner.RunWorkspace(facts)
	return append(findings, wf...), append(secrets, ws2...)
}

// RunWorkspace runs every enabled workspace-wide rule over the runner's
// workspace, with facts standing in for the pipelines (the credential index
// is the one the pipeline checks used), and returns the findings unsorted
// and the secret spans the rules recorded.
func (pr *PipelineRunner) RunWorkspace(facts []PipelineFacts) ([]report.Finding, []Secret) {
	return pr.RunWorkspaceOn(pr.ws, facts)
}

// RunWorkspaceOn is RunWorkspace over ws instead of the runner's
// workspace: a share of it (workspace.Share), which holds the same provider
// metadata and the documents of some controllers. The credential index is
// still the runner's, built from the whole run.
func (pr *PipelineRunner) RunWorkspaceOn(ws *workspace.Workspace, facts []PipelineFacts) ([]report.Finding, []Secret) {
	facts = append([]PipelineFacts(nil), facts...)
	sortFacts(facts)
	p := &Pass{WS: ws, Config: pr.cfg, facts: facts, idx: pr.idx}
	for _, r := range all {
		if r.Workspace == nil || !pr.enabled(r.ID) {
			continue
		}
		p.rule, p.current = r.ID, r
		runOne(p, r.ID, r.Workspace)
	}
	return p.findings, p.secrets
}

func runOne(p *Pass, id string, check func(p *Pass)) {
	defer func() {
		if e := recover(); e != nil {
			p.findings = append(p.findings, report.Finding{
				Rule: id, Severity: report.Error,
				Pos:     report.Position{Path: "jenkins-oidc-lint"},
				Message: fmt.Sprintf("internal error in rule %s: %v (please report this)\n%s", id, e, debug.Stack()),
			})
		}
	}()
	check(p)
}
