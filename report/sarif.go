package report

import (
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// The sarif format writes one SARIF 2.1.0 log with one run, shaped for GitHub
// code scanning:
//
//   - tool.driver names the tool and lists every rule of Report.Rules (plus
//     parse-error, and any rule a finding names that the list lacks) with
//     its descriptions, help text and Markdown, help URI, default level,
//     tags, security-severity and precision;
//   - each finding and each file error is a result with ruleId, ruleIndex,
//     level, message and one physical location: a URI relative to
//     %SRCROOT% (or an absolute file URI for a path outside it) and a region
//     of 1-based lines and columns (columns in Unicode code points, the end
//     exclusive; without a known end, the one character at the start; a
//     whole-file position is {startLine: 1});
//     related positions are relatedLocations;
//   - the engine's fingerprint goes to partialFingerprints under
//     "jenkinsOidcLint/v1". primaryLocationLineHash is left to GitHub,
//     which computes it: an upload that brings its own draws a warning;
//   - originalUriBaseIds is not written: it would hold the absolute
//     working directory, and no output shows an absolute path of the
//     machine the user did not give (SECURITY.md). Consumers resolve
//     %SRCROOT% themselves (GitHub code scanning: the checkout's root);
//     Report.Root only turns absolute paths below it into relative URIs;
//   - invocations[0] says whether the run succeeded (no file errors) and
//     lists each file error as a tool execution notification.
//
// No snippet is written: the log carries no text of the input files.
// Messages, rule IDs and rule texts (which may come from a user's policy) are
// escaped by EscapeMessage and EscapeControl as in every format; artifact
// URIs are percent-encoded per RFC 3986 (every byte outside the unreserved
// and path characters, a control character, a bidi control's UTF-8 and an
// invalid byte alike), so a URI names the file exactly and holds only ASCII.

// SARIFFingerprintKey is the partialFingerprints key of the engine's
// fingerprint.
const SARIFFingerprintKey = "jenkinsOidcLint/v1"

const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	srcRoot      = "%SRCROOT%"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                      `json:"tool"`
	Invocations        []sarifInvocation              `json:"invocations"`
	OriginalURIBaseIDs map[string]sarifArtifactLocURI `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult                  `json:"results"`
	ColumnKind         string                         `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string      `json:"name"`
	Version         string      `json:"version,omitempty"`
	SemanticVersion string      `json:"semanticVersion,omitempty"`
	InformationURI  string      `json:"informationUri,omitempty"`
	Rules           []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifRule struct {
	ID                   string            `json:"id"`
	Name                 string            `json:"name"`
	ShortDescription     sarifText         `json:"shortDescription"`
	FullDescription      sarifText         `json:"fullDescription"`
	Help                 sarifHelp         `json:"help"`
	HelpURI              string            `json:"helpUri,omitempty"`
	DefaultConfiguration sarifRuleConfig   `json:"defaultConfiguration"`
	Properties           sarifRuleProperty `json:"properties"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifRuleProperty struct {
	Tags             []string `json:"tags,omitempty"`
	SecuritySeverity string   `json:"security-severity,omitempty"`
	Precision        string   `json:"precision"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level          string          `json:"level"`
	Message        sarifText       `json:"message"`
	Locations      []sarifLocation `json:"locations,omitempty"`
	AssociatedRule *sarifRuleRef   `json:"associatedRule,omitempty"`
}

type sarifRuleRef struct {
	ID    string `json:"id"`
	Index int    `json:"index"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
}

type sarifLocation struct {
	ID               *int                  `json:"id,omitempty"`
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	Message          *sarifText            `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifArtifactLocURI struct {
	URI string `json:"uri"`
}

// sarifRegion has only startLine for a whole-file position (GitHub needs a
// region on every result; that shows the first line).
type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

// regionOf is the region of a span, or {startLine: 1} for the whole file.
func regionOf(start, end Position) *sarifRegion {
	if !start.IsValid() {
		return &sarifRegion{StartLine: 1}
	}
	return &sarifRegion{StartLine: start.Line, StartColumn: start.Col, EndLine: end.Line, EndColumn: end.Col}
}

func writeSARIF(s *stream, r *Report, _ Options) error {
	rules, index := sarifRules(r)
	root := rootURI(r.Root)
	e := newJSONEncoder(s)
	e.open('{')
	e.key("$schema")
	if err := e.value(sarifSchema); err != nil {
		return err
	}
	e.key("version")
	if err := e.value(sarifVersion); err != nil {
		return err
	}
	e.key("runs")
	e.open('[')
	e.next()
	e.open('{') // the run, as sarifRun: tool, invocations, originalUriBaseIds, results, columnKind
	e.key("tool")
	err := e.value(&sarifTool{Driver: sarifDriver{
		Name:            toolNameOf(r),
		Version:         r.Version,
		SemanticVersion: semver(r.Version),
		InformationURI:  r.InfoURI,
		Rules:           rules,
	}})
	if err != nil {
		return err
	}
	e.key("invocations")
	e.open('[')
	e.next()
	e.open('{') // as sarifInvocation
	e.key("executionSuccessful")
	if err := e.value(len(r.Errors) == 0); err != nil {
		return err
	}
	if n := len(r.Errors) + len(r.Notes); n > 0 {
		e.key("toolExecutionNotifications")
		var note sarifNotification
		var loc [1]sarifLocation
		var ref sarifRuleRef
		k := 0
		err := e.array(n, func() error {
			if k < len(r.Errors) {
				p := problemAt(r, k)
				k++
				loc[0] = sarifLocationOf(p.Pos, root)
				loc[0].PhysicalLocation.Region = regionOf(span(p))
				ref = sarifRuleRef{ID: EscapeControl(p.Rule), Index: index[p.Rule]}
				note = sarifNotification{
					Level:          "error",
					Message:        sarifText{Text: EscapeMessage(p.Message)},
					Locations:      loc[:],
					AssociatedRule: &ref,
				}
				return e.value(&note)
			}
			n := &r.Notes[k-len(r.Errors)]
			k++
			note = sarifNotification{Level: "note", Message: sarifText{Text: EscapeMessage(n.Message)}}
			loc[0] = sarifLocationOf(n.Pos, root)
			if n.Pos.IsValid() {
				loc[0].PhysicalLocation.Region = regionOf(span(problem{Pos: n.Pos}))
			}
			note.Locations = loc[:]
			return e.value(&note)
		})
		if err != nil {
			return err
		}
	}
	e.close('}')
	e.close(']')
	e.key("results")
	var res sarifResult
	var loc [1]sarifLocation
	var ids []int
	fps := map[string]string{}
	k := 0
	err = e.array(numProblems(r), func() error {
		p := problemAt(r, k)
		k++
		loc[0] = sarifLocationOf(p.Pos, root)
		loc[0].PhysicalLocation.Region = regionOf(span(p))
		res = sarifResult{
			RuleID:           EscapeControl(p.Rule),
			RuleIndex:        index[p.Rule],
			Level:            sarifLevel(p.Severity),
			Message:          sarifText{Text: EscapeMessage(p.Message)},
			Locations:        loc[:],
			RelatedLocations: res.RelatedLocations[:0],
		}
		for len(ids) < len(p.Related) {
			ids = append(ids, len(ids)+1)
		}
		for i, rel := range p.Related {
			rl := sarifLocationOf(rel.Pos, root)
			rl.PhysicalLocation.Region = regionOf(span(problem{Pos: rel.Pos}))
			rl.ID = &ids[i]
			if rel.Message != "" {
				rl.Message = &sarifText{Text: EscapeMessage(rel.Message)}
			}
			res.RelatedLocations = append(res.RelatedLocations, rl)
		}
		if p.Fingerprint != "" {
			fps[SARIFFingerprintKey] = p.Fingerprint
			res.PartialFingerprints = fps
		}
		return e.value(&res)
	})
	if err != nil {
		return err
	}
	e.key("columnKind")
	if err := e.value("unicodeCodePoints"); err != nil {
		return err
	}
	e.close('}')
	e.close(']')
	e.close('}')
	s.WriteString("\n")
	return nil
}

// parseErrorMeta describes parse-error when the report's rules lack it.
var parseErrorMeta = RuleMeta{
	ID:          ParseErrorRule,
	Severity:    Error,
	Summary:     "An input file could not be read or parsed",
	Description: "The file is not valid YAML or JSON, is not UTF-8 text, or could not be read, so no rule could check it. Fix the syntax error at the position shown; the rest of the run still checks the other files.",
	Tags:        []string{"correctness"},
}

// sarifRules lists the report's rules plus any it lacks that a problem
// names, sorted by ID, and maps each ID to its index.
func sarifRules(r *Report) ([]sarifRule, map[string]int) {
	metas := append([]RuleMeta(nil), r.Rules...)
	have := map[string]bool{}
	for _, m := range metas {
		have[m.ID] = true
	}
	if !have[ParseErrorRule] {
		metas = append(metas, parseErrorMeta)
		have[ParseErrorRule] = true
	}
	for p := range allProblems(r) {
		if !have[p.Rule] {
			metas = append(metas, RuleMeta{ID: p.Rule, Severity: p.Severity})
			have[p.Rule] = true
		}
	}
	sort.SliceStable(metas, func(i, j int) bool { return metas[i].ID < metas[j].ID })
	rules := make([]sarifRule, 0, len(metas))
	index := make(map[string]int, len(metas))
	for _, m := range metas {
		if _, dup := index[m.ID]; dup {
			continue
		}
		index[m.ID] = len(rules)
		rules = append(rules, sarifRuleOf(m))
	}
	return rules, index
}

// sarifRuleOf describes a rule. Its texts may come from a user's policy, so
// they are escaped as messages are (EscapeMessage).
func sarifRuleOf(m RuleMeta) sarifRule {
	m.ID = EscapeControl(m.ID)
	m.Summary, m.Description, m.Help = EscapeMessage(m.Summary), EscapeMessage(m.Description), EscapeMessage(m.Help)
	m.HelpURI = EscapeControl(m.HelpURI)
	short := firstNonEmpty(m.Summary, m.ID)
	full := firstNonEmpty(m.Description, short)
	precision := m.Precision
	if precision == "" {
		precision = "high"
	}
	return sarifRule{
		ID:                   m.ID,
		Name:                 pascal(m.ID),
		ShortDescription:     sarifText{Text: short},
		FullDescription:      sarifText{Text: full},
		Help:                 sarifHelp{Text: firstNonEmpty(m.Help, full), Markdown: firstNonEmpty(m.Help, full)},
		HelpURI:              m.HelpURI,
		DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(normSeverity(m.Severity))},
		Properties:           sarifRuleProperty{Tags: uniq(m.Tags), SecuritySeverity: EscapeControl(m.SecuritySeverity), Precision: EscapeControl(precision)},
	}
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// uniq drops repeated and empty tags, keeping the first of each.
func uniq(tags []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range tags {
		if t = EscapeControl(t); t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

func sarifLevel(s Severity) string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "note"
}

// pascal turns a rule ID into a SARIF rule name: issuer-mismatch →
// IssuerMismatch.
func pascal(id string) string {
	var sb strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '_' || r == '.' || r == ' ' }) {
		r, size := utf8.DecodeRuneInString(part)
		sb.WriteRune(unicode.ToUpper(r))
		sb.WriteString(part[size:])
	}
	return sb.String()
}

var semverRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)
})

// semver returns the version as Semantic Versioning 2.0 (without a leading
// v), or "" when it is not one (a development build).
func semver(v string) string {
	v = strings.TrimPrefix(v, "v")
	if semverRE().MatchString(v) {
		return v
	}
	return ""
}

// rootURI is the file URI of an absolute root directory, ending in a slash,
// or "" when root is empty or relative.
func rootURI(root string) string {
	root = strings.ReplaceAll(root, `\`, "/")
	if isDrive(root) {
		root = "/" + root
	}
	if !strings.HasPrefix(root, "/") {
		return ""
	}
	root = path.Clean(root)
	if !strings.HasSuffix(root, "/") {
		root += "/"
	}
	return (&url.URL{Scheme: "file", Path: root}).String()
}

// sarifLocationOf locates a path: relative to %SRCROOT% when it is relative
// or lies under the root, else as an absolute file URI.
func sarifLocationOf(p Position, rootURL string) sarifLocation {
	name := strings.ReplaceAll(p.Path, `\`, "/")
	abs := strings.HasPrefix(name, "/") || isDrive(name)
	var al sarifArtifactLocation
	switch {
	case !abs:
		al = sarifArtifactLocation{URI: relURI(name), URIBaseID: srcRoot}
	case rootURL != "" && strings.HasPrefix(fileURI(name), rootURL):
		al = sarifArtifactLocation{URI: strings.TrimPrefix(fileURI(name), rootURL), URIBaseID: srcRoot}
	default:
		al = sarifArtifactLocation{URI: fileURI(name)}
	}
	return sarifLocation{PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: al}}
}

// isDrive reports a Windows path with a drive letter, slash-separated: C:/x.
func isDrive(p string) bool {
	return len(p) >= 3 && p[1] == ':' && p[2] == '/' && ('a' <= p[0] && p[0] <= 'z' || 'A' <= p[0] && p[0] <= 'Z')
}

// relURI escapes a relative slash path as a URI reference ("my dir/a:b" →
// "./my%20dir/a:b"); a leading ../ stays.
func relURI(p string) string {
	return (&url.URL{Path: path.Clean(p)}).String()
}

func fileURI(p string) string {
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return (&url.URL{Scheme: "file", Path: path.Clean(p)}).String()
}
