package policy

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

func TestRules(t *testing.T) {
	s := loadOK(t, examples)
	type row struct {
		ID, Summary, Description string
		Severity                 report.Severity
	}
	var got []row
	for _, m := range s.Rules() {
		got = append(got, row{m.ID, m.Summary, m.Description, m.Severity})
		if !reflect.DeepEqual(m.Tags, []string{"policy"}) || m.HelpURI != "" {
			t.Errorf("%s: tags %v, help URI %q", m.ID, m.Tags, m.HelpURI)
		}
	}
	want := []row{
		{"no-global-credentials", "no credential may be scoped GLOBAL: use SYSTEM, or a folder's credentials for jobs",
			"No credential may be scoped GLOBAL. A GLOBAL credential of the system domain is available to every job on the controller, so any pipeline can read it; SYSTEM credentials are only for Jenkins itself (the security realm, agents, the SCM of the controller). Credentials that jobs need belong to the folders of those jobs.",
			report.Error},
		{"oic-requests-groups-scope", "the oic realm must request the groups scope",
			"The oic realm must request the `groups` scope. Jenkins grants permissions to groups, and providers such as Keycloak and Okta put the groups claim in the ID token only when the scope is requested.",
			report.Warning},
		{"require-credential-description", "every credential needs a description",
			"Every credential needs a description. The credentials page lists credentials by ID and description, and nobody dares rotate or delete a credential whose purpose is unknown.",
			report.Warning},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rules:\n%+v\nwant:\n%+v", got, want)
	}
	// The help page of each rule: its doc comment and its source.
	for _, m := range s.Rules() {
		golden(t, filepath.Join("testdata", "help", m.ID+".md"), m.Help)
	}
	// Rules returns copies.
	s.Rules()[0].Tags[0] = "x"
	if s.Rules()[0].Tags[0] != "policy" {
		t.Error("Rules shares its slices")
	}
}

// TestSummaryFallback: without message=, the first sentence of the doc
// comment; without either, "policy <id>". The default severity is error.
func TestSummaryFallback(t *testing.T) {
	s := loadSrc(t, "// Keep it short. More words here.\n// And here.\njcasc: a: {} @rule(a)\njcasc: {\n\t// Inner doc.\n\tb: {\n\t\tjenkins?: _\n\t} @rule(b)\n\tc: {} @rule(c, severity=note)\n}\n")
	var got []string
	for _, m := range s.Rules() {
		got = append(got, m.ID+"|"+m.Severity.String()+"|"+m.Summary+"|"+m.Description)
	}
	want := []string{
		"a|error|Keep it short|Keep it short. More words here. And here.",
		"b|error|Inner doc|Inner doc.",
		"c|note|policy c|policy c",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// A rule inside a block: its own field's source, dedented.
	help := s.Rules()[1].Help
	if !strings.HasPrefix(help, "Inner doc.\n\nA user policy from `") || !strings.HasSuffix(help, "/p.cue` (line 6): the constraint `jcasc.b` below is unified with every JCasC document; each place the document breaks it is a finding.\n\n```cue\nb: {\n\tjenkins?: _\n} @rule(b)\n```\n") {
		t.Errorf("help:\n%s", help)
	}
}

// TestDocExample keeps the example of doc.go loadable and in step with
// testdata/doc-example/policies.cue.
func TestDocExample(t *testing.T) {
	ex, err := os.ReadFile("testdata/doc-example/policies.cue")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, ln := range strings.Split(strings.TrimRight(string(ex), "\n"), "\n") {
		if ln == "" {
			b.WriteString("//\n")
		} else {
			b.WriteString("//\t" + ln + "\n")
		}
	}
	if !strings.Contains(string(doc), b.String()) {
		t.Errorf("doc.go does not hold testdata/doc-example/policies.cue as its example")
	}
	s := loadOK(t, "testdata/doc-example")
	var ids []string
	for _, m := range s.Rules() {
		ids = append(ids, m.ID)
	}
	if got := strings.Join(ids, ","); got != "oic-requests-groups-scope,provider-offers-pkce,require-credential-description" {
		t.Errorf("rules %s", got)
	}
	got := short(checkFile(t, s, "testdata/discovery-fire.json"))
	want := []string{"6:3-6:37 Provider metadata must offer PKCE with S256: `code_challenge_methods_supported`: invalid value […] (does not satisfy list.MatchN)"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got %q", got)
	}
}

func TestLoadDirs(t *testing.T) {
	// No directories: an empty set that checks nothing.
	s, errs := Load(nil, builtinIDs)
	if len(errs) != 0 || s.Len() != 0 || len(s.Rules()) != 0 {
		t.Fatalf("Load(nil) = %d rules, %v", s.Len(), errs)
	}
	f := source.NewFile("j.yaml", []byte("jenkins: {}\n"))
	docs, _ := tree.ParseYAML(f)
	if got := s.Check(f, source.JCasC, docs[0]); got != nil {
		t.Errorf("empty set found %v", got)
	}
	var nilSet *Set
	if nilSet.Check(f, source.JCasC, docs[0]) != nil || nilSet.Rules() != nil || nilSet.Len() != 0 {
		t.Error("a nil Set must check nothing")
	}

	// Two directories, one file path (already loaded with its directory:
	// not twice), one missing directory; an ID used in two directories is
	// reported at the second.
	a := writeDir(t, map[string]string{"a.cue": okRule, "skip.txt": "x", "sub.cue.bak": "x"})
	if err := os.Mkdir(filepath.Join(a, "nested.cue"), 0o755); err != nil {
		t.Fatal(err)
	}
	b := writeDir(t, map[string]string{"b.cue": "discovery: x: {} @rule(ok-rule)\n", "c.cue": "discovery: y: {} @rule(other)\n"})
	single := filepath.Join(b, "c.cue")
	missing := filepath.Join(a, "missing")
	s, errs = Load([]string{a, b, single, missing, filepath.Join(a, "skip.txt")}, builtinIDs)
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	slash := filepath.ToSlash
	want := []string{
		slash(missing) + ": cannot read policies: stat " + missing + ": no such file or directory",
		slash(a) + "/skip.txt: cannot read policies: " + slash(filepath.Join(a, "skip.txt")) + " is neither a directory nor a .cue file",
		slash(b) + "/b.cue:1:24: invalid policy: rule ID \"ok-rule\" is already used by the policy at " + slash(a) + "/a.cue:1:53",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var ids []string
	for _, m := range s.Rules() {
		ids = append(ids, m.ID)
	}
	if strings.Join(ids, ",") != "ok-rule,other" {
		t.Errorf("rules %v", ids)
	}
}

// TestKinds: jcasc: rules see JCasC documents only, discovery: rules
// provider metadata only; other kinds and roots that are not mappings are
// not checked.
func TestKinds(t *testing.T) {
	s := loadSrc(t, "jcasc: j: {jenkins!: _} @rule(j)\ndiscovery: d: {issuer!: _} @rule(d)\n")
	f := source.NewFile("x.yaml", []byte("a: 1\n---\n- 1\n"))
	docs, _ := tree.ParseYAML(f)
	for _, tc := range []struct {
		kind source.Kind
		doc  int
		want string
	}{
		{source.JCasC, 0, "j"},
		{source.Discovery, 0, "d"},
		{source.Jenkinsfile, 0, ""},
		{source.Unknown, 0, ""},
		{source.JCasC, 1, ""},
	} {
		var ids []string
		for _, fi := range s.Check(f, tc.kind, docs[tc.doc]) {
			ids = append(ids, fi.Rule)
		}
		if strings.Join(ids, ",") != tc.want {
			t.Errorf("%v doc %d: %v, want %q", tc.kind, tc.doc, ids, tc.want)
		}
	}
	if s.Check(f, source.JCasC, nil) != nil {
		t.Error("nil root")
	}
}

// TestMaxFindings: a rule reports at most maxFindings places a document,
// then says that it stopped.
func TestMaxFindings(t *testing.T) {
	s := loadOK(t, examples)
	var b strings.Builder
	b.WriteString("credentials:\n  system:\n    domainCredentials:\n      - credentials:\n")
	for i := 0; i < maxFindings+20; i++ {
		b.WriteString("          - string: {scope: SYSTEM, id: c, secret: \"${S}\"}\n")
	}
	fs := checkYAML(t, s, b.String())
	if len(fs) != maxFindings+1 {
		t.Fatalf("%d findings, want %d", len(fs), maxFindings+1)
	}
	first := fs[0]
	if first.Pos.Line != 1 || first.Pos.Col != 1 || first.End.Col != 2 ||
		first.Message != "every credential needs a description: the document breaks this policy in more places than shown: the check stops after 100" {
		t.Errorf("first finding %v-%v %q", first.Pos, first.End, first.Message)
	}
	if last := fs[len(fs)-1]; last.Pos.Line != 5+maxFindings-1 || last.Pos.Col != 13 {
		t.Errorf("last finding at %v", last.Pos)
	}
}

// TestConcurrent checks documents from many goroutines at once (run it
// with -race) and requires the same findings as one at a time.
func TestConcurrent(t *testing.T) {
	s := loadOK(t, examples)
	files := []string{"testdata/fire-wellknown.yaml", "testdata/fire-manual.yaml", "testdata/quiet.yaml"}
	want := map[string]string{}
	for _, p := range files {
		want[p] = formatFindings(checkFile(t, s, p))
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				p := files[(g+i)%len(files)]
				if got := formatFindings(checkFile(t, s, p)); got != want[p] {
					t.Errorf("%s: concurrent check differs:\n%s", p, got)
				}
			}
		}(g)
	}
	wg.Wait()
}
