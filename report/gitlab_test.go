package report

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func readGitLab(t *testing.T, r *Report) ([]byte, []gitlabIssue) {
	t.Helper()
	b := out(t, "gitlab", r, Options{})
	var issues []gitlabIssue
	if err := json.Unmarshal(b, &issues); err != nil {
		t.Fatal(err)
	}
	return b, issues
}

// TestGitLabSchema validates reports against a schema written from GitLab's
// documented Code Quality format (testdata/SOURCES.md).
func TestGitLabSchema(t *testing.T) {
	sch := compileSchema(t, "gitlab-codequality.schema.json")
	abs := fixture()
	abs.Findings[0].Pos.Path = "/home/ci/work/repo/Jenkinsfile"
	abs.Findings[1].Pos.Path = "./casc/jenkins.yaml"
	for name, r := range map[string]*Report{"fixture": fixture(), "empty": empty(), "zero": {}, "paths": abs} {
		b, _ := readGitLab(t, r)
		if err := validate(sch, b); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, doc := range map[string]string{
		"no location line": `[{"description":"d","check_name":"c","fingerprint":"f","severity":"major","location":{"path":"a"}}]`,
		"bad severity":     `[{"description":"d","check_name":"c","fingerprint":"f","severity":"error","location":{"path":"a","lines":{"begin":1}}}]`,
		"./ path":          `[{"description":"d","check_name":"c","fingerprint":"f","severity":"major","location":{"path":"./a","lines":{"begin":1}}}]`,
		"line 0":           `[{"description":"d","check_name":"c","fingerprint":"f","severity":"major","location":{"path":"a","positions":{"begin":{"line":0}}}}]`,
		"not an array":     `{"description":"d"}`,
	} {
		if validate(sch, []byte(doc)) == nil {
			t.Errorf("%s: the schema accepts it", name)
		}
	}
}

func TestGitLabIssues(t *testing.T) {
	_, issues := readGitLab(t, fixture())
	if len(issues) != 13 {
		t.Fatalf("%d issues", len(issues))
	}
	at := func(path string, line, col int) gitlabLocation {
		return gitlabLocation{Path: path, Positions: &gitlabPositions{Begin: gitlabPosition{line, col}}}
	}
	want := map[int]gitlabIssue{
		0:  {"invalid YAML: mapping values are not allowed in this context", "parse-error", "", "blocker", at("broken.yaml", 3, 5)},
		2:  {"curl -k turns off TLS certificate verification", "tls-verification-disabled", "0a1b2c3d4e5f6071", "critical", at("Jenkinsfile", 2, 12)},
		3:  {fixture().Findings[1].Message, "pkce-disabled", "1b2c3d4e5f607182", "major", at("casc/jenkins.yaml", 4, 27)},
		9:  {fixture().Findings[7].Message, "claim-not-supported", "718293a4b5c6d7e8", "info", at("casc/jenkins.yaml", 11, 24)},
		10: {nastyShown, "token-validation-disabled", "8293a4b5c6d7e8f9", "critical", at("conf d/prod,eu.yaml", 4, 7)},
		11: {fixture().Findings[9].Message, "claim-not-supported", "93a4b5c6d7e8f90a", "info", gitlabLocation{Path: "discovery/okta.json", Lines: &gitlabLines{1}}},
	}
	for i, w := range want {
		got := issues[i]
		if w.Fingerprint == "" {
			if len(got.Fingerprint) != 16 {
				t.Errorf("issue %d: fingerprint %q, want a 16-hex hash", i, got.Fingerprint)
			}
			w.Fingerprint = got.Fingerprint
		}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("issue %d:\n%+v\nwant\n%+v", i, got, w)
		}
	}
	fps := map[string]bool{}
	for _, is := range issues {
		if fps[is.Fingerprint] {
			t.Errorf("fingerprint %s repeated", is.Fingerprint)
		}
		fps[is.Fingerprint] = true
	}
}

func TestGitLabFingerprintsUnique(t *testing.T) {
	r := &Report{
		Findings: []Finding{
			{Rule: "r", Severity: Error, Pos: pos("a", 1, 1), Message: "m", Fingerprint: "same"},
			{Rule: "r", Severity: Error, Pos: pos("a", 2, 1), Message: "m", Fingerprint: "same"},
			{Rule: "r", Severity: Error, Pos: pos("a", 3, 1), Message: "m"},
			{Rule: "r", Severity: Error, Pos: pos("a", 4, 1), Message: "m"},
		},
	}
	_, issues := readGitLab(t, r)
	var fps []string
	for _, is := range issues {
		fps = append(fps, is.Fingerprint)
	}
	if fps[0] != "same" || fps[1] != "same#2" || fps[2] == fps[3] || !strings.HasPrefix(fps[3], fps[2]) {
		t.Errorf("fingerprints = %q", fps)
	}
}

func TestRepoPath(t *testing.T) {
	for _, tt := range []struct{ path, root, want string }{
		{"casc/j.yaml", "/repo", "casc/j.yaml"},
		{"./casc/j.yaml", "/repo", "casc/j.yaml"},
		{"/repo/casc/j.yaml", "/repo", "casc/j.yaml"},
		{"/repo/casc/j.yaml", "/repo/", "casc/j.yaml"},
		{"/repository/j.yaml", "/repo", "/repository/j.yaml"},
		{"/etc/j.yaml", "", "/etc/j.yaml"},
		{`C:\repo\j.yaml`, `C:\repo`, "j.yaml"},
		{"", "/repo", ""},
	} {
		if got := repoPath(tt.path, tt.root); got != tt.want {
			t.Errorf("repoPath(%q, %q) = %q, want %q", tt.path, tt.root, got, tt.want)
		}
	}
}

func TestGitLabEmpty(t *testing.T) {
	if got := string(out(t, "gitlab", empty(), Options{})); got != "[]\n" {
		t.Errorf("empty = %q", got)
	}
}
