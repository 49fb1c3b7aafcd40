// Package rules holds the rules: each one a *Rule value in its own file,
// listed in all.go. A rule reads the workspace's typed views and reports
// findings through a Pass; it knows nothing of output formats. Each rule's
// metadata (severity, summary, tags, help) comes from its documentation
// page docs/<id>.md, compiled in by go generate as docs_gen.go (a test
// checks the two agree), so the docs and the rule list cannot drift and a
// run parses no page.
package rules

import (
	"fmt"
	"sort"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/suggest"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jenkinsfile"
)

//go:generate go run ./internal/docsgen

// InfoURI is the project's home page; rule pages live under it.
const InfoURI = "https://github.com/jenkins-oidc-lint/jenkins-oidc-lint"

// Rule is one rule: its ID and the checks that report under it. A rule is
// one value, declared in one file (rules/<id>.go or its family's file) and
// listed once in All (all.go); its severity, summary, tags and help come
// from its page docs/<id>.md (see Meta). Engine rules are reported by the
// engine itself (parse-error, CUE schema findings, unused-suppression, the
// online checks): they are values too, so --enable/--disable, the settings
// and the rule list know them.
type Rule struct {
	ID string
	// Engine is set for rules the engine reports (besides any Go check
	// listed here).
	Engine bool
	// Workspace runs once per run on the whole workspace, pipelines being
	// PipelineFacts by then.
	Workspace func(p *Pass)
	// File runs on each file while files are loaded, concurrently with
	// other files (raw-text scans belong here, not in Workspace).
	File func(in FileInput, out *FileResult)
	// Pipeline runs on each pipeline separately, while pipelines stream
	// through the loader (see PipelineRunner).
	Pipeline func(p *Pass, pf *jenkinsfile.File)
	// Threshold is the rule's default numeric setting (0: it has none);
	// the settings' `rules: <id>: threshold: n` overrides it, read through
	// Pass.Threshold.
	Threshold int
}

// Meta returns the rule's metadata, read from its documentation page.
func (r *Rule) Meta() (report.RuleMeta, bool) { return Meta(r.ID) }

var byID = index(all)

// index maps each rule's ID to it; an ID listed twice is a programming
// error caught at start-up.
func index(list []*Rule) map[string]*Rule {
	m := make(map[string]*Rule, len(list))
	for _, r := range list {
		if m[r.ID] != nil {
			panic("rules: rule " + r.ID + " is listed twice")
		}
		m[r.ID] = r
	}
	return m
}

// FileInput is what a per-file check sees: one file as it is loaded, its
// parsed YAML/JSON documents (nil for Jenkinsfiles and other text), and the
// settings.
type FileInput struct {
	File   *source.File
	Docs   []*yaml.Node
	Config Config
}

// FileResult is what per-file checks produce: findings, and the byte spans of
// secret values the engine must mask in every output.
type FileResult struct {
	Findings []report.Finding
	Secrets  [][2]int
}

// RunFile runs every per-file check on one file. Secret spans are returned
// whether or not the rule is enabled: masking never depends on settings.
func RunFile(in FileInput, enabled func(id string) bool) FileResult {
	var out FileResult
	for _, r := range all {
		if r.File == nil {
			continue
		}
		id := r.ID
		var res FileResult
		r.File(in, &res)
		out.Secrets = append(out.Secrets, res.Secrets...)
		if enabled(id) {
			for _, f := range res.Findings {
				if f.Rule == "" {
					f.Rule = id
				}
				if f.Severity == 0 {
					if m, ok := Meta(f.Rule); ok {
						f.Severity = m.Severity
					}
				}
				out.Findings = append(out.Findings, f)
			}
		}
	}
	return out
}

// HasCheck reports whether a rule has a Go check (workspace, per-file or
// per-pipeline).
func HasCheck(id string) bool {
	r, ok := byID[id]
	return ok && (r.Workspace != nil || r.File != nil || r.Pipeline != nil)
}

// All returns every rule in ID order (the list in all.go).
func All() []*Rule { return append([]*Rule(nil), all...) }

// Known reports whether id names a rule.
func Known(id string) bool { _, ok := byID[id]; return ok }

// Meta returns a rule's metadata, from its documentation page (compiled in
// as docs_gen.go: see TestDocsGenerated).
func Meta(id string) (report.RuleMeta, bool) {
	i := sort.Search(len(docMetas), func(i int) bool { return docMetas[i].ID >= id })
	if i < len(docMetas) && docMetas[i].ID == id {
		return docMetas[i], true
	}
	return report.RuleMeta{}, false
}

// Metas returns the metadata of every registered rule, sorted by ID.
func Metas() []report.RuleMeta {
	var out []report.RuleMeta
	for _, r := range all {
		if m, ok := Meta(r.ID); ok {
			out = append(out, m)
		}
	}
	return out
}

// Doc returns the Markdown page of a rule without its front matter.
func Doc(id string) (string, bool) {
	m, ok := Meta(id)
	return m.Help, ok
}

// DocIDs lists the rule IDs that have a documentation page, sorted.
func DocIDs() []string {
	ids := make([]string, len(docMetas))
	for i, m := range docMetas {
		ids[i] = m.ID
	}
	return ids
}

// DidYouMean suggests the rule closest to id, as ` (did you mean "x"?)`,
// or "".
func DidYouMean(id string) string {
	ids := make([]string, 0, len(all))
	for _, r := range all {
		ids = append(ids, r.ID)
	}
	if best := suggest.Closest(id, ids); best != "" && best != id {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}
