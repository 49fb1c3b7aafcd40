package plugins

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

//go:embed advisories.json
var advisoriesJSON []byte

// Advisory is one Jenkins security advisory entry for a plugin the tool
// judges: a warning of the update center (id, plugin, message, URL, the
// affected version patterns) with what the advisory page adds (date, CVE
// IDs, the fixed release).
type Advisory struct {
	ID     string   `json:"id"`     // SECURITY-3574, SECURITY-3441-1, SECURITY-410-matrix-auth
	Plugin string   `json:"plugin"` // the plugin's ID
	Title  string   `json:"title"`  // the warning's message
	URL    string   `json:"url"`    // https://www.jenkins.io/security/advisory/YYYY-MM-DD/#…
	Date   string   `json:"date"`   // YYYY-MM-DD, from the URL
	CVE    []string `json:"cve,omitempty"`
	// Fixed is the release that fixes it on the main line ("" when the
	// advisory names none); FixedAlso are fixed backports.
	Fixed     string   `json:"fixed,omitempty"`
	FixedAlso []string `json:"fixedAlso,omitempty"`
	// Versions are the affected ranges; a version is affected when it
	// matches a range's pattern in full (as Jenkins' update center
	// warnings are matched).
	Versions []VersionRange `json:"versions"`
}

// VersionRange is one affected range of an update-center warning.
type VersionRange struct {
	FirstVersion string `json:"firstVersion,omitempty"`
	LastVersion  string `json:"lastVersion,omitempty"`
	Pattern      string `json:"pattern"`
	re           *regexp.Regexp
}

// AdvisoryTable is the file advisories.json.
type AdvisoryTable struct {
	Comment    string      `json:"comment"`
	Source     []string    `json:"source"`
	Advisories []*Advisory `json:"advisories"`
}

var (
	advOnce  sync.Once
	advTable []*Advisory
	advErr   error
)

func loadAdvisories() {
	advOnce.Do(func() {
		var t AdvisoryTable
		if err := json.Unmarshal(advisoriesJSON, &t); err != nil {
			advErr = fmt.Errorf("advisories.json: %w", err)
			return
		}
		for _, a := range t.Advisories {
			if err := a.compile(); err != nil {
				advErr = fmt.Errorf("advisories.json %s: %w", a.ID, err)
				return
			}
		}
		advTable = t.Advisories
	})
}

func (a *Advisory) compile() error {
	if len(a.Versions) == 0 {
		return fmt.Errorf("no affected versions")
	}
	for i := range a.Versions {
		re, err := regexp.Compile(`^(?:` + a.Versions[i].Pattern + `)$`)
		if err != nil {
			return fmt.Errorf("pattern %q: %w", a.Versions[i].Pattern, err)
		}
		a.Versions[i].re = re
	}
	return nil
}

// Affects reports whether release version matches one of the advisory's
// affected patterns and is not one of its fixed releases (a backport the
// advisory names as fixed may match a pattern of the warning).
func (a *Advisory) Affects(version string) bool {
	if version == a.Fixed {
		return false
	}
	for _, v := range a.FixedAlso {
		if version == v {
			return false
		}
	}
	for _, r := range a.Versions {
		if r.re != nil && r.re.MatchString(version) {
			return true
		}
	}
	return false
}

// Advisories returns the embedded advisory table, oldest first.
func Advisories() ([]*Advisory, error) {
	loadAdvisories()
	return advTable, advErr
}

// Affecting lists the advisories that name release version of plugin id
// as affected, oldest first.
func Affecting(id, version string) []*Advisory {
	loadAdvisories()
	var out []*Advisory
	for _, a := range advTable {
		if a.Plugin == id && a.Affects(version) {
			out = append(out, a)
		}
	}
	return out
}

// warning is an update-center warning as published.
type warning struct {
	ID       string         `json:"id"`
	Type     string         `json:"type"`
	Name     string         `json:"name"`
	Message  string         `json:"message"`
	URL      string         `json:"url"`
	Versions []VersionRange `json:"versions"`
}

var advisoryDateRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`/security/advisory/(\d{4}-\d{2}-\d{2})/`) })

// MergeWarnings builds a new advisories.json from the update center's
// warnings and the previous table. uc is update-center.actual.json (an
// object with "warnings"), update-center.json (the same in a JSONP
// wrapper) or a bare warnings array (update-center2's
// resources/warnings.json). Only plugin warnings of the plugins in judged
// are kept. CVE IDs and fixed releases come from the previous table's
// entry of the same ID, else from pages: the jenkins.io advisory sources
// (content/security/advisory/<date>.adoc) keyed by date, when given. The
// result is sorted by date and ID; missing says which entries still lack
// a fixed release or CVE ("SECURITY-886: no CVE").
func MergeWarnings(uc, prev []byte, pages map[string][]byte, judged map[string]string) (out []byte, missing []string, err error) {
	ws, err := readWarnings(uc)
	if err != nil {
		return nil, nil, err
	}
	var old AdvisoryTable
	if len(bytes.TrimSpace(prev)) > 0 {
		if err := json.Unmarshal(prev, &old); err != nil {
			return nil, nil, fmt.Errorf("previous table: %w", err)
		}
	}
	byID := map[string]*Advisory{}
	for _, a := range old.Advisories {
		byID[a.ID] = a
	}
	t := AdvisoryTable{Comment: old.Comment, Source: old.Source}
	for _, w := range ws {
		if w.Type != "plugin" {
			continue
		}
		if _, ok := judged[w.Name]; !ok {
			continue
		}
		a := &Advisory{ID: w.ID, Plugin: w.Name, Title: w.Message, URL: w.URL, Versions: w.Versions}
		if m := advisoryDateRE().FindStringSubmatch(w.URL); m != nil {
			a.Date = m[1]
		}
		if p := byID[w.ID]; p != nil {
			a.CVE, a.Fixed, a.FixedAlso = p.CVE, p.Fixed, p.FixedAlso
		}
		if (a.Fixed == "" || len(a.CVE) == 0) && pages[a.Date] != nil {
			cve, fixed, also := fromAdvisoryPage(pages[a.Date], w, judged[w.Name])
			if len(a.CVE) == 0 {
				a.CVE = cve
			}
			if a.Fixed == "" {
				a.Fixed, a.FixedAlso = fixed, also
			}
		}
		if err := a.compile(); err != nil {
			return nil, nil, fmt.Errorf("warning %s: %w", w.ID, err)
		}
		t.Advisories = append(t.Advisories, a)
	}
	sort.SliceStable(t.Advisories, func(i, j int) bool {
		a, b := t.Advisories[i], t.Advisories[j]
		if a.Date != b.Date {
			return a.Date < b.Date
		}
		return a.ID < b.ID
	})
	for _, a := range t.Advisories {
		switch {
		case a.Fixed == "" && len(a.CVE) == 0:
			missing = append(missing, a.ID+": no fixed release, no CVE")
		case a.Fixed == "":
			missing = append(missing, a.ID+": no fixed release")
		case len(a.CVE) == 0:
			missing = append(missing, a.ID+": no CVE")
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(t); err != nil {
		return nil, nil, err
	}
	return buf.Bytes(), missing, nil
}

// readWarnings reads the warnings of an update-center document.
func readWarnings(uc []byte) ([]warning, error) {
	b := bytes.TrimSpace(uc)
	if bytes.HasPrefix(b, []byte("updateCenter.post(")) {
		b = bytes.TrimSuffix(bytes.TrimSuffix(b[len("updateCenter.post("):], []byte(";")), []byte(")"))
	}
	b = bytes.TrimSpace(b)
	var ws []warning
	if bytes.HasPrefix(b, []byte("[")) {
		if err := json.Unmarshal(b, &ws); err != nil {
			return nil, fmt.Errorf("warnings: %w", err)
		}
		return ws, nil
	}
	var doc struct {
		Warnings []warning `json:"warnings"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("update center: %w", err)
	}
	return doc.Warnings, nil
}

var cveRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`CVE-\d{4}-\d{4,}`) })

// fromAdvisoryPage reads the CVE IDs and fixed releases of warning w from
// the YAML front matter of a jenkins.io advisory page (issues: [{id, cve,
// plugins: [{name, fixed}]}]).
func fromAdvisoryPage(page []byte, w warning, title string) (cve []string, fixed string, also []string) {
	s := string(page)
	if !strings.HasPrefix(s, "---") {
		return nil, "", nil
	}
	end := strings.Index(s[3:], "\n---")
	if end < 0 {
		return nil, "", nil
	}
	var fm struct {
		Issues []struct {
			ID      string `yaml:"id"`
			CVE     string `yaml:"cve"`
			Plugins []struct {
				Name  string `yaml:"name"`
				Fixed string `yaml:"fixed"`
			} `yaml:"plugins"`
		} `yaml:"issues"`
	}
	if err := yaml.Unmarshal([]byte(s[3:3+end]), &fm); err != nil {
		return nil, "", nil
	}
	norm := func(id string) string {
		id = strings.ReplaceAll(id, " (", "-")
		return strings.TrimSuffix(id, ")")
	}
	type cand struct {
		cve, fixed string
		exact      bool
	}
	var cands []cand
	for _, is := range fm.Issues {
		for _, p := range is.Plugins {
			if p.Name != w.Name {
				continue
			}
			id := norm(is.ID)
			exact := id == w.ID || strings.HasPrefix(w.ID, id+"-")
			cands = append(cands, cand{is.CVE, p.Fixed, exact})
		}
	}
	var pick *cand
	for i := range cands {
		if cands[i].exact {
			pick = &cands[i]
			break
		}
	}
	if pick == nil && len(cands) == 1 {
		pick = &cands[0]
	}
	if pick == nil {
		return nil, "", nil
	}
	// "CVE-1 (Credentials), CVE-2 (CVS)": an issue shared by several
	// plugins labels each CVE with its plugin; keep this plugin's. Labels
	// of one plugin's CVEs ("(CSRF)", "(storage)") keep them all.
	parts := strings.Split(pick.cve, ",")
	ours := func(part string) bool {
		k := strings.Index(part, "(")
		return k >= 0 && title != "" && strings.Contains(strings.ToLower(part[k:]), strings.ToLower(title))
	}
	labelled := false
	for _, part := range parts {
		labelled = labelled || ours(part)
	}
	for _, part := range parts {
		if labelled && !ours(part) {
			continue
		}
		cve = append(cve, cveRE().FindAllString(part, -1)...)
	}
	f := strings.ReplaceAll(pick.fixed, " or ", ", ")
	for _, v := range strings.Split(f, ",") {
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		if fixed == "" {
			fixed = v
		} else {
			also = append(also, v)
		}
	}
	return cve, fixed, also
}
