// Package rules holds the rule registry and the rules themselves: one file per
// rule (or tight family). A rule reads the workspace's typed views and
// reports findings through a Pass; it knows nothing of output formats. Each
// rule's metadata (severity, summary, tags, help) comes from its embedded
// documentation page docs/<id>.md, so the docs and the registry cannot drift.
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

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

//go:embed docs/*.md
var docsFS embed.FS

// InfoURI is the project's home page; rule pages live under it.
const InfoURI = "https://github.com/jenkins-oidc-lint/jenkins-oidc-lint"

// Rule is one check. Check is nil for rules the engine itself reports
// (parse-error, jcasc-schema from CUE, unused-suppression…).
type Rule struct {
	ID    string
	Check func(p *Pass)
}

var (
	registry = map[string]*Rule{}
	metaOnce sync.Once
	metas    map[string]report.RuleMeta
	metaErr  error
)

// register adds a rule; called from init functions. Several files may add
// checks under one ID (e.g. Go-side jcasc-schema checks).
func register(id string, check func(p *Pass)) {
	if r, ok := registry[id]; ok {
		prev := r.Check
		if prev == nil {
			r.Check = check
		} else if check != nil {
			r.Check = func(p *Pass) { prev(p); check(p) }
		}
		return
	}
	registry[id] = &Rule{ID: id, Check: check}
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

var fileChecks = map[string]func(in FileInput, out *FileResult){}

// registerFile adds a check that runs on each file while files are loaded,
// concurrently with other files (raw-text scans belong here, not in Run).
func registerFile(id string, check func(in FileInput, out *FileResult)) {
	register(id, nil)
	fileChecks[id] = check
}

// RunFile runs every per-file check on one file. Secret spans are returned
// whether or not the rule is enabled: masking never depends on settings.
func RunFile(in FileInput, enabled func(id string) bool) FileResult {
	var out FileResult
	ids := make([]string, 0, len(fileChecks))
	for id := range fileChecks {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		var res FileResult
		fileChecks[id](in, &res)
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
	r, ok := registry[id]
	return ok && (r.Check != nil || fileChecks[id] != nil || pipelineChecks[id] != nil)
}

// engineRules are reported by the engine, not by a Check function.
var engineRules = []string{"parse-error", "jcasc-schema", "discovery-invalid", "unused-suppression", "jwks-invalid", "provider-unreachable"}

func init() {
	for _, id := range engineRules {
		register(id, nil)
	}
}

// All returns every registered rule sorted by ID.
func All() []*Rule {
	out := make([]*Rule, 0, len(registry))
	for _, r := range registry {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Lookup finds a rule by ID.
func Lookup(id string) (*Rule, bool) {
	r, ok := registry[id]
	return r, ok
}

// Known reports whether id names a registered rule.
func Known(id string) bool { _, ok := registry[id]; return ok }

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
	for _, r := range All() {
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
