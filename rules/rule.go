// Package rules holds the rules: each one a *Rule value in its own file,
// listed in all.go. A rule reads the workspace's typed views and reports
// findings through a Pass; it knows nothing of output formats. Each rule's
// metadata (severity, summary, tags, help) comes from its embedded
// documentation page docs/<id>.md, so the docs and the rule list cannot
// drift.
package rules

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/suggest"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jenkinsfile"
)

//go:embed docs/*.md
var docsFS embed.FS

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

var (
	byID     = index(all)
	metaOnce sync.Once
	metas    map[string]report.RuleMeta
	metaErr  error
)

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

// Lookup finds a rule by ID.
func Lookup(id string) (*Rule, bool) {
	r, ok := byID[id]
	return r, ok
}

// Known reports whether id names a rule.
func Known(id string) bool { _, ok := byID[id]; return ok }

// Meta returns a rule's metadata read from its documentation page.
func Meta(id string) (report.RuleMeta, bool) {
	loadMetas()
	m, ok := metas[id]
	return m, ok
}

// Metas returns the metadata of every registered rule, sorted by ID.
func Metas() []report.RuleMeta {
	loadMetas()
	var out []report.RuleMeta
	for _, r := range all {
		if m, ok := metas[r.ID]; ok {
			out = append(out, m)
		}
	}
	return out
}

// MetaError reports a documentation page that could not be read; tests
// assert it is nil.
func MetaError() error { loadMetas(); return metaErr }

// Doc returns the Markdown page of a rule without its front matter.
func Doc(id string) (string, bool) {
	data, err := docsFS.ReadFile("docs/" + id + ".md")
	if err != nil {
		return "", false
	}
	_, body, _ := splitFrontMatter(data)
	return string(body), true
}

// DocIDs lists the rule IDs that have a documentation page.
func DocIDs() []string {
	entries, _ := fs.ReadDir(docsFS, "docs")
	var ids []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".md") {
			ids = append(ids, strings.TrimSuffix(e.Name(), ".md"))
		}
	}
	sort.Strings(ids)
	return ids
}

func loadMetas() {
	metaOnce.Do(func() {
		metas = map[string]report.RuleMeta{}
		var errs []string
		for _, id := range DocIDs() {
			data, _ := docsFS.ReadFile(path.Join("docs", id+".md"))
			m, err := parseDoc(id, data)
			if err != nil {
				errs = append(errs, err.Error())
				continue
			}
			metas[id] = m
		}
		if len(errs) > 0 {
			metaErr = fmt.Errorf("rule docs: %s", strings.Join(errs, "; "))
		}
	})
}

func splitFrontMatter(data []byte) (front, body []byte, ok bool) {
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	if !bytes.HasPrefix(data, []byte("---\n")) {
		return nil, data, false
	}
	rest := data[4:]
	i := bytes.Index(rest, []byte("\n---\n"))
	if i < 0 {
		return nil, data, false
	}
	return rest[:i], bytes.TrimLeft(rest[i+5:], "\n"), true
}

func parseDoc(id string, data []byte) (report.RuleMeta, error) {
	front, body, ok := splitFrontMatter(data)
	if !ok {
		return report.RuleMeta{}, fmt.Errorf("docs/%s.md: no front matter", id)
	}
	m := report.RuleMeta{ID: id, Help: string(body), HelpURI: InfoURI + "/blob/main/rules/docs/" + id + ".md"}
	sc := bufio.NewScanner(bytes.NewReader(front))
	line := 1
	for sc.Scan() {
		line++
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			return m, fmt.Errorf("docs/%s.md:%d: want `key: value`", id, line)
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "id":
			if v != id {
				return m, fmt.Errorf("docs/%s.md:%d: id %q does not match the file name", id, line, v)
			}
		case "severity":
			s, err := report.ParseSeverity(v)
			if err != nil {
				return m, fmt.Errorf("docs/%s.md:%d: %v", id, line, err)
			}
			m.Severity = s
		case "summary":
			m.Summary = v
		case "security-severity":
			m.SecuritySeverity = v
		case "tags":
			v = strings.Trim(v, "[]")
			for _, t := range strings.Split(v, ",") {
				if t = strings.TrimSpace(t); t != "" {
					m.Tags = append(m.Tags, t)
				}
			}
		}
	}
	if m.Severity == 0 || m.Summary == "" {
		return m, fmt.Errorf("docs/%s.md: front matter needs severity and summary", id)
	}
	m.Description = firstParagraph(body)
	return m, nil
}

// firstParagraph is the first plain paragraph after the page's title.
func firstParagraph(body []byte) string {
	var para []string
	for _, l := range strings.Split(string(body), "\n") {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "#"):
			if len(para) > 0 {
				return strings.Join(para, " ")
			}
		case t == "":
			if len(para) > 0 {
				return strings.Join(para, " ")
			}
		default:
			para = append(para, t)
		}
	}
	return strings.Join(para, " ")
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
