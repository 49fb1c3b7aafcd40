package policy

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// loadSrc loads one policy file given as text.
func loadSrc(t testing.TB, src string) *Set {
	t.Helper()
	dir := writeDir(t, map[string]string{"p.cue": src})
	s, errs := Load([]string{dir}, builtinIDs)
	if len(errs) > 0 {
		t.Fatalf("Load: %v", errs)
	}
	return s
}

// checkYAML checks every document of a YAML text.
func checkYAML(t testing.TB, s *Set, text string) []report.Finding {
	t.Helper()
	f := source.NewFile("jenkins.yaml", []byte(text))
	docs, ferr := tree.ParseYAML(f)
	if ferr != nil {
		t.Fatal(ferr)
	}
	var out []report.Finding
	for _, d := range docs {
		out = append(out, s.Check(f, source.JCasC, d)...)
	}
	return out
}

func short(fs []report.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%d:%d-%d:%d %s", f.Pos.Line, f.Pos.Col, f.End.Line, f.End.Col, f.Message))
	}
	return out
}

// TestPositions pins where each kind of violation is reported and what its
// message says.
func TestPositions(t *testing.T) {
	for _, tc := range []struct {
		name   string
		policy string // the value of jcasc: r:
		doc    string
		want   []string
		absent string // must not appear in any message
	}{
		{
			name:   "required field missing at the root",
			policy: `{jenkins!: _}`,
			doc:    "unclassified:\n  location: {url: x}\n",
			want:   []string{"1:1-1:14 m: `jenkins` is missing"},
		},
		{
			name:   "regular field without a concrete value",
			policy: `{jenkins: systemMessage: string}`,
			doc:    "jenkins:\n  numExecutors: 0\n",
			want:   []string{"1:1-1:8 m: `jenkins.systemMessage` is missing"},
		},
		{
			name:   "field not allowed in a closed struct",
			policy: `{unclassified?: close({location?: _})}`,
			doc:    "unclassified:\n  location:\n    url: x\n  slackNotifier:\n    room: y\n",
			want:   []string{"4:3-4:16 m: `unclassified.slackNotifier` is not allowed"},
		},
		{
			name:   "list of the wrong length points at its key",
			policy: `{jenkins?: labels?: [string]}`,
			doc:    "jenkins:\n  labels: [a, b]\n",
			want:   []string{"2:3-2:9 m: `jenkins.labels`: incompatible list lengths (1 and 2)"},
		},
		{
			name:   "a mapping where a string belongs: its key, no content",
			policy: `{credentials?: string}`,
			doc:    "credentials:\n  system: {password: hunter2hunter2}\n",
			want:   []string{"1:1-1:12 m: `credentials`: conflicting values string and {…} (mismatched types string and struct)"},
			absent: "hunter2",
		},
		{
			name:   "a flow mapping as a list item: its opening brace",
			policy: `{jenkins?: labels?: [...string]}`,
			doc:    "jenkins:\n  labels:\n    - linux\n    - {os: linux}\n",
			want:   []string{"4:7-4:8 m: `jenkins.labels[1]`: conflicting values {…} and string (mismatched types struct and string)"},
		},
		{
			name:   "value of a secret-named key is never shown",
			policy: `{jenkins?: securityRealm?: oic?: clientSecret?: =~"^\\$\\{"}`,
			doc:    "jenkins:\n  securityRealm:\n    oic:\n      clientSecret: 'hunter2-very-secret'\n",
			want:   []string{"4:21-4:42 m: `jenkins.securityRealm.oic.clientSecret` has a value the policy does not accept"},
			absent: "hunter2",
		},
		{
			name:   "disjunction: got, want one of",
			policy: `{jenkins?: mode?: "NORMAL" | "EXCLUSIVE"}`,
			doc:    "jenkins:\n  mode: normal\n",
			want:   []string{"2:9-2:15 m: `jenkins.mode`: got \"normal\", want one of \"EXCLUSIVE\", \"NORMAL\""},
		},
		{
			name:   "quoted key in the path",
			policy: `{unclassified?: [string]: "cognito:groups"?: int}`,
			doc:    "unclassified:\n  x:\n    \"cognito:groups\": many\n",
			want:   []string{"3:23-3:27 m: `unclassified.x.\"cognito:groups\"`: conflicting values int and \"many\" (mismatched types int and string)"},
		},
		{
			name:   "error in a hidden field: the nearest key",
			policy: `{jenkins?: {numExecutors?: int, _few: numExecutors < 3 & true}}`,
			doc:    "jenkins:\n  numExecutors: 5\n",
			want:   []string{"1:1-1:8 m: `jenkins._few`: conflicting values false and true"},
		},
		{
			name:   "two violations at one place make one finding",
			policy: `{credentials?: system?: domainCredentials?: [...{credentials?: [...{[string]: {scope!: _, description!: _}}]}]}`,
			doc:    "credentials:\n  system:\n    domainCredentials:\n      - credentials:\n          - string: {id: a}\n",
			want:   []string{"5:13-5:19 m: `credentials.system.domainCredentials[0].credentials[0].string.description` is missing; `credentials.system.domainCredentials[0].credentials[0].string.scope` is missing"},
		},
		{
			name:   "a missing field and a conflict in one document are both found",
			policy: `{jenkins?: {systemMessage!: string, numExecutors?: <3}}`,
			doc:    "jenkins:\n  numExecutors: 5\n",
			want:   []string{"1:1-1:8 m: `jenkins.systemMessage` is missing", "2:17-2:18 m: `jenkins.numExecutors`: invalid value 5 (out of bound <3)"},
		},
		{
			name:   "aliases: each use is reported at its own key",
			policy: `{credentials?: system?: domainCredentials?: [...{credentials?: [...{[string]: {description!: _}}]}]}`,
			doc:    "credentials:\n  system:\n    domainCredentials:\n      - credentials:\n          - string: &c {id: a}\n          - string: *c\n",
			want: []string{
				"5:13-5:19 m: `credentials.system.domainCredentials[0].credentials[0].string.description` is missing",
				"6:13-6:19 m: `credentials.system.domainCredentials[0].credentials[1].string.description` is missing",
			},
		},
		{
			name:   "block scalar: at its indicator",
			policy: `{jenkins?: systemMessage?: =~"\\S"}`,
			doc:    "jenkins:\n  systemMessage: >\n\n\n  numExecutors: 1\n",
			want:   []string{"2:18-2:19 m: `jenkins.systemMessage`: invalid value \"\" (out of bound =~\"\\\\S\")"},
		},
		{
			name:   "an empty value counts as absent",
			policy: `{credentials?: system?: domainCredentials?: [...{credentials?: [...{[string]: {scope!: "SYSTEM", description?: string}}]}]}`,
			doc:    "credentials:\n  system:\n    domainCredentials:\n      - credentials:\n          - string:\n              scope:\n              description:\n          - null\n",
			want: []string{
				"6:15-6:20 m: `credentials.system.domainCredentials[0].credentials[0].string.scope` is missing",
				"8:13-8:17 m: `credentials.system.domainCredentials[0].credentials[1]`: conflicting values null and {…} (mismatched types null and struct)",
			},
		},
		{
			name:   "an empty section says nothing",
			policy: `{credentials?: system?: domainCredentials?: [...{credentials?: [...{[string]: {scope!: "SYSTEM"}}]}]}`,
			doc:    "credentials:\nunclassified:\n",
		},
		{
			name:   "typed scalars: yes is a string, 1.0 a number",
			policy: `{jenkins?: {a?: string, b?: float, c?: bool, d?: null}}`,
			doc:    "jenkins:\n  a: yes\n  b: 1.0\n  c: true\n  d: ~\n",
		},
		{
			name:   "long values are shortened",
			policy: `{jenkins?: systemMessage?: =~"^short"}`,
			doc:    "jenkins:\n  systemMessage: " + strings.Repeat("x", 100) + "\n",
			want:   []string{"2:18-2:118 m: `jenkins.systemMessage`: invalid value \"" + strings.Repeat("x", 59) + "… (out of bound =~\"^short\")"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := loadSrc(t, "jcasc: r: "+tc.policy+" @rule(r, message=\"m\")\n")
			fs := checkYAML(t, s, tc.doc)
			got := short(fs)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			for _, f := range fs {
				if f.Rule != "r" || f.Severity != report.Error {
					t.Errorf("rule %q severity %v, want r error", f.Rule, f.Severity)
				}
				if f.Pos.Path != "jenkins.yaml" || f.End.Path != "jenkins.yaml" {
					t.Errorf("path %q/%q", f.Pos.Path, f.End.Path)
				}
				if tc.absent != "" && strings.Contains(f.Message, tc.absent) {
					t.Errorf("message shows %q: %s", tc.absent, f.Message)
				}
			}
		})
	}
}
