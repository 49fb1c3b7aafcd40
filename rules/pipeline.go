package rules

import (
	"sort"
	"strings"
	"sync"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/suggest"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jenkinsfile"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/shell"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/workspace"
)

// Pipeline checks (Rule.Pipeline) see one pipeline at a time, with the rest
// of the workspace (JCasC, provider metadata) loaded. The engine runs them
// while pipelines stream through the loader, so a pipeline's syntax tree
// lives only as long as its own checks: what the workspace-wide rules need
// of it afterwards is kept as PipelineFacts.

// PipelineFacts is what the workspace-wide rules need to know of one
// pipeline once its syntax tree is gone: its path, the first use of each
// credential ID, and where it sends id tokens.
type PipelineFacts struct {
	path      string
	credUses  []credUseFact
	tokenUses []tokenUseFact

	// scripts are the pipeline's lexed shell steps while its checks run
	// (nil afterwards): every check reads the same model of a step.
	scripts *shell.Cache
}

// credUseFact is the first use of a literal credential ID in a pipeline;
// aws tells that some use of it binds AWS keys (the
// AmazonWebServicesCredentialsBinding, aws(…), withAWS(credentials: …)),
// which only an aws credential of the aws-credentials plugin can be.
type credUseFact struct {
	id       string
	pos, end report.Position
	aws      bool
}

// tokenUseFact is a binding of an idToken credential and where the pipeline
// sends the token.
type tokenUseFact struct {
	id       string
	pos, end report.Position
	targets  []tokenTarget
}

// wsIndex is what pipeline checks look up in the JCasC files, built once per
// run and then only read.
type wsIndex struct {
	creds     map[string][]credDef // literal credential IDs to their definitions
	credIDs   []string             // the keys of creds, sorted
	credFiles int                  // JCasC documents that define credentials
	anyID     map[string]bool      // every credential ID value, variables too

	mu      sync.Mutex
	closest map[string]string // did-you-mean per unknown ID
}

func newIndex(ws *workspace.Workspace) *wsIndex {
	idx := &wsIndex{creds: map[string][]credDef{}, anyID: map[string]bool{}, closest: map[string]string{}}
	for _, d := range ws.JCasC {
		if len(d.Credentials) > 0 {
			idx.credFiles++
		}
		for _, c := range d.Credentials {
			idx.anyID[c.ID.Value] = true
			if !c.ID.NonEmpty() || tree.IsVariable(c.ID.Value) {
				continue
			}
			idx.creds[c.ID.Value] = append(idx.creds[c.ID.Value], credDef{d, c})
		}
	}
	idx.credIDs = make([]string, 0, len(idx.creds))
	for id := range idx.creds {
		idx.credIDs = append(idx.credIDs, id)
	}
	sort.Strings(idx.credIDs)
	return idx
}

// suggestion is the defined credential ID closest to an unknown one ("" when
// none is close, or when the list is too long to search).
func (idx *wsIndex) suggestion(id string) string {
	if len(idx.credIDs) > maxSuggestCandidates {
		return ""
	}
	idx.mu.Lock()
	s, done := idx.closest[id]
	idx.mu.Unlock()
	if done {
		return s
	}
	s = suggest.Closest(id, idx.credIDs)
	idx.mu.Lock()
	idx.closest[id] = s
	idx.mu.Unlock()
	return s
}

// PipelineRunner runs the pipeline checks on one pipeline at a time. It is
// safe for concurrent use once made: the workspace must not change while it
// runs.
type PipelineRunner struct {
	ws      *workspace.Workspace
	cfg     Config
	enabled func(string) bool
	idx     *wsIndex
	rules   []*Rule // the rules with a pipeline check, in ID order
}

// NewPipelineRunner prepares the pipeline checks for the JCasC and metadata
// of ws.
func NewPipelineRunner(ws *workspace.Workspace, cfg Config, enabled func(string) bool) *PipelineRunner {
	r := &PipelineRunner{ws: ws, cfg: cfg, enabled: enabled, idx: newIndex(ws)}
	for _, rule := range all {
		if rule.Pipeline != nil {
			r.rules = append(r.rules, rule)
		}
	}
	return r
}

// PipelineResult is what the checks found in one pipeline: findings, secret
// spans to mask, and the facts the workspace-wide rules need later.
type PipelineResult struct {
	Findings []report.Finding
	Secrets  []Secret
	Facts    PipelineFacts
}

// Run runs every pipeline check on pf and keeps the findings of the enabled
// ones. Secret spans are kept whether or not their rule is enabled: as with
// per-file checks (RunFile), masking never depends on settings.
func (r *PipelineRunner) Run(pf *jenkinsfile.File) PipelineResult {
	return r.run(pf, &shell.Cache{})
}

// run runs the checks on pf with scripts as the cache of its shell steps.
func (r *PipelineRunner) run(pf *jenkinsfile.File, scripts *shell.Cache) PipelineResult {
	facts := pipelineFactsOf(r.idx, pf, scripts)
	facts.scripts = scripts
	p := &Pass{WS: r.ws, Config: r.cfg, idx: r.idx, pipeline: &facts}
	for _, rule := range r.rules {
		id := rule.ID
		p.rule, p.current = id, rule
		n := len(p.findings)
		runOne(p, id, func(p *Pass) { rule.Pipeline(p, pf) })
		if !r.enabled(id) {
			p.findings = p.findings[:n]
		}
	}
	facts.scripts = nil
	return PipelineResult{Findings: p.findings, Secrets: p.secrets, Facts: facts}
}

// pipelineFactsOf collects the facts of pf.
func pipelineFactsOf(idx *wsIndex, pf *jenkinsfile.File, scripts *shell.Cache) PipelineFacts {
	facts := PipelineFacts{path: pf.Src.Path}
	seen := map[string]int{} // ID → index in credUses
	for _, u := range pf.Uses {
		id, ok := literalID(u.ID)
		if !ok {
			continue
		}
		if i, dup := seen[id]; dup {
			facts.credUses[i].aws = facts.credUses[i].aws || u.Kind == "aws"
			continue
		}
		seen[id] = len(facts.credUses)
		pos, end := valueSpan(pf, u.ID)
		facts.credUses = append(facts.credUses, credUseFact{id, pos, end, u.Kind == "aws"})
	}
	for _, b := range pf.Bindings {
		id, ok := literalID(b.ID)
		if !ok || idTokenDef(idx.creds[id]) == nil {
			continue
		}
		pos, end := valueSpan(pf, b.ID)
		facts.tokenUses = append(facts.tokenUses, tokenUseFact{id, pos, end, tokenTargets(pf, b, scripts)})
	}
	return facts
}

// sortFacts orders facts by path (pipelines in path order, as reported).
func sortFacts(facts []PipelineFacts) {
	sort.SliceStable(facts, func(i, j int) bool { return strings.Compare(facts[i].path, facts[j].path) < 0 })
}
