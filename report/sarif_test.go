package report

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func sarifOf(t *testing.T, r *Report) ([]byte, sarifLog) {
	t.Helper()
	b := out(t, "sarif", r, Options{})
	var log sarifLog
	if err := json.Unmarshal(b, &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs", len(log.Runs))
	}
	return b, log
}

// TestSARIFSchema validates logs against the SARIF 2.1.0 schema shipped by
// Microsoft's SARIF SDK (see testdata/SOURCES.md).
func TestSARIFSchema(t *testing.T) {
	sch := compileSchema(t, "sarif-schema-2.1.0.json")
	abs := fixture()
	abs.Findings[0].Pos.Path = "/home/ci/work/repo/Jenkinsfile"
	abs.Findings[1].Pos.Path = "/etc/jenkins/casc.yaml"
	abs.Findings[2].Rule = "not-in-the-rules"
	reports := map[string]*Report{
		"fixture":      fixture(),
		"empty":        empty(),
		"zero":         {},
		"absolute":     abs,
		"no root":      {Findings: fixture().Findings, Errors: fixture().Errors},
		"windows root": {Root: `C:\work\repo`, Findings: fixture().Findings[:1]},
		"dev version":  {Version: "(devel)", Findings: fixture().Findings[:1]},
	}
	for name, r := range reports {
		b, _ := sarifOf(t, r)
		if err := validate(sch, b); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// The schema has teeth.
	b, _ := sarifOf(t, fixture())
	for name, mutate := range map[string]func(string) string{
		"column 0":     func(s string) string { return strings.Replace(s, `"startColumn": 12`, `"startColumn": 0`, 1) },
		"bad level":    func(s string) string { return strings.Replace(s, `"level": "warning"`, `"level": "info"`, 1) },
		"bad version":  func(s string) string { return strings.Replace(s, `"version": "2.1.0"`, `"version": "2.2"`, 1) },
		"unknown prop": func(s string) string { return strings.Replace(s, `"ruleId"`, `"rule": 1, "ruleId"`, 1) },
	} {
		m := mutate(string(b))
		if m == string(b) {
			t.Fatalf("%s: mutation did not apply", name)
		}
		if validate(sch, []byte(m)) == nil {
			t.Errorf("%s: the schema accepts it", name)
		}
	}
}

func TestSARIFRules(t *testing.T) {
	raw, log := sarifOf(t, fixture())
	run := log.Runs[0]
	d := run.Tool.Driver
	if d.Name != "jenkins-oidc-lint" || d.Version != "1.2.3" || d.SemanticVersion != "1.2.3" || d.InformationURI != "https://github.com/jenkins-oidc-lint/jenkins-oidc-lint" {
		t.Errorf("driver = %+v", d)
	}
	var ids []string
	for _, r := range d.Rules {
		ids = append(ids, r.ID)
	}
	var want []string
	for _, m := range fixtureRules() {
		want = append(want, m.ID)
	}
	want = append(want[:7], append([]string{"parse-error"}, want[7:]...)...)
	if !reflect.DeepEqual(ids, want) {
		t.Fatalf("rules = %v\nwant %v", ids, want)
	}
	im := d.Rules[4]
	wantIM := sarifRule{
		ID: "issuer-mismatch", Name: "IssuerMismatch",
		ShortDescription:     sarifText{"The realm's issuer differs from the provider's"},
		FullDescription:      sarifText{"The realm's issuer differs from the provider's. A longer paragraph explains why it matters."},
		Help:                 sarifHelp{Text: fixtureRules()[4].Help, Markdown: fixtureRules()[4].Help},
		HelpURI:              "https://github.com/jenkins-oidc-lint/jenkins-oidc-lint/blob/main/rules/docs/issuer-mismatch.md",
		DefaultConfiguration: sarifRuleConfig{"error"},
		Properties:           sarifRuleProperty{Tags: []string{"security", "oidc"}, SecuritySeverity: "8.0", Precision: "very-high"},
	}
	if !reflect.DeepEqual(im, wantIM) {
		t.Errorf("issuer-mismatch rule:\n%+v\nwant\n%+v", im, wantIM)
	}
	// Fallbacks: no description, help or tags.
	eh := d.Rules[2]
	if eh.FullDescription.Text != "The escape hatch is enabled" || eh.Help.Text != eh.FullDescription.Text || eh.Help.Markdown != eh.Help.Text || eh.Properties.Tags != nil || eh.Properties.Precision != "high" || eh.DefaultConfiguration.Level != "warning" {
		t.Errorf("escape-hatch-enabled rule = %+v", eh)
	}
	pe := d.Rules[7]
	if pe.ID != "parse-error" || pe.Name != "ParseError" || pe.DefaultConfiguration.Level != "error" || pe.FullDescription.Text == "" {
		t.Errorf("parse-error rule = %+v", pe)
	}
	if !strings.Contains(string(raw), `"security-severity": "8.0"`) {
		t.Error("security-severity is not a string")
	}
	// Every result points at its own rule.
	for i, res := range run.Results {
		if res.RuleIndex < 0 || res.RuleIndex >= len(d.Rules) || d.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %d: ruleIndex %d does not name %s", i, res.RuleIndex, res.RuleID)
		}
	}
}

// TestSARIFParseErrorRuleKept: when the rules already list parse-error, it is
// not added twice.
func TestSARIFParseErrorRuleKept(t *testing.T) {
	r := fixture()
	r.Rules = append(r.Rules, RuleMeta{ID: "parse-error", Severity: Error, Summary: "from the registry"})
	r.Rules = append(r.Rules[:0:0], r.Rules...)
	_, log := sarifOf(t, r)
	n := 0
	for _, rule := range log.Runs[0].Tool.Driver.Rules {
		if rule.ID == "parse-error" {
			n++
			if rule.ShortDescription.Text != "from the registry" {
				t.Errorf("parse-error rule replaced: %+v", rule)
			}
		}
	}
	if n != 1 {
		t.Errorf("parse-error listed %d times", n)
	}
}

func TestSARIFResults(t *testing.T) {
	raw, log := sarifOf(t, fixture())
	if strings.Contains(string(raw), "primaryLocationLineHash") {
		t.Error("sends primaryLocationLineHash")
	}
	if strings.Contains(string(raw), "snippet") {
		t.Error("sends a snippet")
	}
	run := log.Runs[0]
	if run.ColumnKind != "unicodeCodePoints" {
		t.Errorf("columnKind = %q", run.ColumnKind)
	}
	if got := run.OriginalURIBaseIDs; got != nil || strings.Contains(string(raw), "/home/ci/work/repo") {
		t.Errorf("originalUriBaseIds = %+v: the log names the working directory", got)
	}
	if n := len(fixture().Findings) + len(fixture().Errors); len(run.Results) != n {
		t.Fatalf("%d results, want %d", len(run.Results), n)
	}
	loc := func(uri string, r sarifRegion) sarifLocation {
		return sarifLocation{PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: sarifArtifactLocation{uri, "%SRCROOT%"}, Region: &r}}
	}
	one, two := 1, 2
	tests := []struct {
		i     int
		level string
		loc   sarifLocation
		fp    map[string]string
		rel   []sarifLocation
	}{
		{0, "error", loc("broken.yaml", sarifRegion{3, 5, 3, 6}), nil, nil},
		{2, "error", loc("Jenkinsfile", sarifRegion{2, 12, 2, 14}), map[string]string{"jenkinsOidcLint/v1": "0a1b2c3d4e5f6071"}, nil},
		{3, "warning", loc("casc/jenkins.yaml", sarifRegion{4, 27, 4, 28}), map[string]string{"jenkinsOidcLint/v1": "1b2c3d4e5f607182"}, nil},
		{4, "error", loc("casc/jenkins.yaml", sarifRegion{6, 19, 6, 61}), map[string]string{"jenkinsOidcLint/v1": "2c3d4e5f60718293"},
			[]sarifLocation{{ID: &one, PhysicalLocation: loc("discovery/okta.json", sarifRegion{2, 13, 2, 14}).PhysicalLocation, Message: &sarifText{"the provider's issuer"}}}},
		{7, "warning", loc("casc/jenkins.yaml", sarifRegion{9, 19, 9, 26}), map[string]string{"jenkinsOidcLint/v1": "5f60718293a4b5c6"},
			[]sarifLocation{
				{ID: &one, PhysicalLocation: loc("discovery/okta.json", sarifRegion{3, 23, 3, 24}).PhysicalLocation, Message: &sarifText{"scopes_supported"}},
				{ID: &two, PhysicalLocation: loc("elsewhere.json", sarifRegion{StartLine: 1}).PhysicalLocation, Message: &sarifText{"another metadata file"}},
			}},
		{9, "note", loc("casc/jenkins.yaml", sarifRegion{11, 24, 11, 30}), map[string]string{"jenkinsOidcLint/v1": "718293a4b5c6d7e8"}, nil},
		{10, "error", loc("conf%20d/prod,eu.yaml", sarifRegion{4, 7, 5, 1}), map[string]string{"jenkinsOidcLint/v1": "8293a4b5c6d7e8f9"}, nil},
		{11, "note", loc("discovery/okta.json", sarifRegion{StartLine: 1}), map[string]string{"jenkinsOidcLint/v1": "93a4b5c6d7e8f90a"}, nil},
	}
	for _, tt := range tests {
		res := run.Results[tt.i]
		if res.Level != tt.level || !reflect.DeepEqual(res.Locations, []sarifLocation{tt.loc}) || !reflect.DeepEqual(res.PartialFingerprints, tt.fp) || !reflect.DeepEqual(res.RelatedLocations, tt.rel) {
			got, _ := json.Marshal(res)
			t.Errorf("result %d: %s", tt.i, got)
		}
	}
	if run.Results[10].Message.Text != nastyShown {
		t.Errorf("message changed: %q", run.Results[10].Message.Text)
	}
	inv := run.Invocations
	if len(inv) != 1 || inv[0].ExecutionSuccessful || len(inv[0].ToolExecutionNotifications) != 4 {
		t.Fatalf("invocations = %+v", inv)
	}
	n := inv[0].ToolExecutionNotifications[1]
	if n.Level != "error" || n.Message.Text != "invalid JSON: unexpected end of input" || n.AssociatedRule == nil || *n.AssociatedRule != (sarifRuleRef{"parse-error", 7}) ||
		!reflect.DeepEqual(n.Locations, []sarifLocation{loc("secrets.json", sarifRegion{1, 1, 1, 2})}) {
		t.Errorf("notification = %+v", n)
	}
	// inputs left alone on purpose are notes with their place and no rule
	if n := inv[0].ToolExecutionNotifications[3]; n.Level != "note" || n.AssociatedRule != nil ||
		!reflect.DeepEqual(n.Locations, []sarifLocation{loc("values.yaml", sarifRegion{4, 13, 4, 14})}) {
		t.Errorf("note = %+v", n)
	}

	_, log = sarifOf(t, empty())
	if run := log.Runs[0]; !run.Invocations[0].ExecutionSuccessful || run.Invocations[0].ToolExecutionNotifications != nil || len(run.Results) != 0 || run.Results == nil {
		t.Errorf("empty run = %+v", run)
	}
}

func TestSARIFLocations(t *testing.T) {
	const root = "file:///home/ci/work/repo/"
	tests := []struct {
		path, root string
		want       sarifArtifactLocation
	}{
		{"casc/jenkins.yaml", root, sarifArtifactLocation{"casc/jenkins.yaml", "%SRCROOT%"}},
		{"./casc/../jenkins.yaml", root, sarifArtifactLocation{"jenkins.yaml", "%SRCROOT%"}},
		{"../other/jenkins.yaml", root, sarifArtifactLocation{"../other/jenkins.yaml", "%SRCROOT%"}},
		{"my dir/a#b?c%.yaml", root, sarifArtifactLocation{"my%20dir/a%23b%3Fc%25.yaml", "%SRCROOT%"}},
		{"a:b/c.yaml", root, sarifArtifactLocation{"./a:b/c.yaml", "%SRCROOT%"}},
		{"東京/jenkins.yaml", root, sarifArtifactLocation{"%E6%9D%B1%E4%BA%AC/jenkins.yaml", "%SRCROOT%"}},
		{"casc/jenkins.yaml", "", sarifArtifactLocation{"casc/jenkins.yaml", "%SRCROOT%"}},
		{"/home/ci/work/repo/casc/j.yaml", root, sarifArtifactLocation{"casc/j.yaml", "%SRCROOT%"}},
		{"/home/ci/work/repository/j.yaml", root, sarifArtifactLocation{"file:///home/ci/work/repository/j.yaml", ""}},
		{"/etc/jenkins/j.yaml", "", sarifArtifactLocation{"file:///etc/jenkins/j.yaml", ""}},
		{`C:\work\j.yaml`, "", sarifArtifactLocation{"file:///C:/work/j.yaml", ""}},
		// Hostile names: percent-encoded per RFC 3986, byte for byte, so the
		// URI is ASCII and still names the file.
		{"evil\x1b]0;x\x07/a\r\n.yaml", root, sarifArtifactLocation{"evil%1B%5D0;x%07/a%0D%0A.yaml", "%SRCROOT%"}},
		{"trojan\u202eyaml.exe", root, sarifArtifactLocation{"trojan%E2%80%AEyaml.exe", "%SRCROOT%"}},
		{"bad\xff\xfe.yaml", root, sarifArtifactLocation{"bad%FF%FE.yaml", "%SRCROOT%"}},
		{"/tmp/x\x1b\u2066.yaml", "", sarifArtifactLocation{"file:///tmp/x%1B%E2%81%A6.yaml", ""}},
	}
	for _, tt := range tests {
		if got := sarifLocationOf(Position{Path: tt.path}, tt.root).PhysicalLocation.ArtifactLocation; got != tt.want {
			t.Errorf("%q under %q: %+v, want %+v", tt.path, tt.root, got, tt.want)
		}
	}
}

func TestRootURI(t *testing.T) {
	for root, want := range map[string]string{
		"":                    "",
		"relative/dir":        "",
		"/":                   "file:///",
		"/home/ci/work/repo":  "file:///home/ci/work/repo/",
		"/home/ci/work/repo/": "file:///home/ci/work/repo/",
		"/home/my dir":        "file:///home/my%20dir/",
		`C:\work\repo`:        "file:///C:/work/repo/",
	} {
		if got := rootURI(root); got != want {
			t.Errorf("rootURI(%q) = %q, want %q", root, got, want)
		}
	}
}

func TestSemverAndPascal(t *testing.T) {
	for v, want := range map[string]string{
		"1.2.3": "1.2.3", "v1.2.3": "1.2.3", "1.2.3-rc.1+abc": "1.2.3-rc.1+abc",
		"dev": "", "(devel)": "", "1.2": "", "01.2.3": "", "": "",
	} {
		if got := semver(v); got != want {
			t.Errorf("semver(%q) = %q, want %q", v, got, want)
		}
	}
	for id, want := range map[string]string{
		"issuer-mismatch": "IssuerMismatch", "parse-error": "ParseError", "x": "X", "a--b": "AB", "tls-verification-disabled": "TlsVerificationDisabled",
	} {
		if got := pascal(id); got != want {
			t.Errorf("pascal(%q) = %q, want %q", id, got, want)
		}
	}
}
