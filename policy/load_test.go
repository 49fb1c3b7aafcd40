package policy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
)

// builtinIDs stands in for the rule registry.
func builtinIDs(id string) bool { return id == "pkce-disabled" || id == "jcasc-schema" }

// writeDir writes files (name → content) into a new directory.
func writeDir(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// relErrors shows errors as "file:line:col: message" with the directory
// left out of paths (DIR where it is the whole path).
func relErrors(dir string, errs []report.FileError) []string {
	var out []string
	for _, e := range errs {
		s := strings.ReplaceAll(e.Error(), filepath.ToSlash(dir)+"/", "")
		out = append(out, strings.ReplaceAll(s, filepath.ToSlash(dir), "DIR"))
	}
	return out
}

const okRule = "jcasc: ok: {jenkins?: systemMessage?: string} @rule(ok-rule)\n"

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  []string
		rules []string // the rules that still load
	}{
		{
			name:  "syntax error",
			files: map[string]string{"a.cue": "jcasc: r: {\n  jenkins?: {\n}\n", "b.cue": okRule},
			want:  []string{`a.cue:4:1: invalid CUE: expected '}', found 'EOF'`},
			rules: []string{"ok-rule"},
		},
		{
			name:  "no id",
			files: map[string]string{"a.cue": "jcasc: r: {} @rule(severity=warning)\n" + okRule},
			want:  []string{`a.cue:1:14: invalid policy: @rule needs the rule ID as its first argument, e.g. @rule(my-rule, severity=warning, message="…")`},
			rules: []string{"ok-rule"},
		},
		{
			name:  "empty attribute",
			files: map[string]string{"a.cue": "// doc\njcasc: {\n\tr: {} @rule()\n}\n"},
			want:  []string{`a.cue:3:8: invalid policy: @rule needs the rule ID as its first argument, e.g. @rule(my-rule, severity=warning, message="…")`},
		},
		{
			name:  "bad severity",
			files: map[string]string{"a.cue": "jcasc: r: {} @rule(my-rule,  severity=fatal)\n"},
			want:  []string{`a.cue:1:30: invalid policy: bad severity "fatal" in @rule: want error, warning or note`},
		},
		{
			name:  "unknown key",
			files: map[string]string{"a.cue": "jcasc: r: {} @rule(my-rule, sevrity=note)\n"},
			want:  []string{`a.cue:1:29: invalid policy: unknown @rule key "sevrity": the keys are severity and message`},
		},
		{
			name:  "second positional argument",
			files: map[string]string{"a.cue": "jcasc: r: {} @rule(my-rule, warning)\n"},
			want:  []string{`a.cue:1:29: invalid policy: unexpected @rule argument "warning": after the ID come severity=… and message="…"`},
		},
		{
			name:  "key twice",
			files: map[string]string{"a.cue": "jcasc: r: {} @rule(my-rule, message=\"a, b\", message='c')\n"},
			want:  []string{`a.cue:1:45: invalid policy: @rule sets message twice`},
		},
		{
			name:  "bad id",
			files: map[string]string{"a.cue": "jcasc: r: {} @rule(My_Rule!)\n"},
			want:  []string{`a.cue:1:20: invalid policy: bad rule ID "My_Rule!": use lower-case letters and digits in words joined by '-', e.g. require-credential-description`},
		},
		{
			name:  "id of a built-in rule",
			files: map[string]string{"a.cue": "// Mine.\njcasc: r: {} @rule(pkce-disabled)\n" + okRule},
			want:  []string{`a.cue:2:20: invalid policy: rule ID "pkce-disabled" is a built-in rule; choose another ID`},
			rules: []string{"ok-rule"},
		},
		{
			name: "id used twice across files",
			files: map[string]string{
				"a.cue": okRule,
				"b.cue": "discovery: other: {} @rule(ok-rule)\n",
			},
			want:  []string{`b.cue:1:28: invalid policy: rule ID "ok-rule" is already used by the policy at a.cue:1:53`},
			rules: []string{"ok-rule"},
		},
		{
			name:  "two rule attributes",
			files: map[string]string{"a.cue": "jcasc: r: {} @rule(a) @rule(b)\n"},
			want:  []string{`a.cue:1:23: invalid policy: jcasc.r has more than one @rule attribute`},
		},
		{
			name:  "field without rule",
			files: map[string]string{"a.cue": okRule + "jcasc: helper: {x: 1}\njcasc: #Helper: {x: 1}\n_h: 2\n"},
			want:  []string{`a.cue:2:8: invalid policy: jcasc.helper has no @rule attribute: every field under ` + "`jcasc:`" + ` is a rule, e.g. jcasc: helper: {…} @rule(my-rule); put helpers in definitions such as #helper`},
			rules: []string{"ok-rule"},
		},
		{
			name:  "misplaced attribute",
			files: map[string]string{"a.cue": "jcasc: r: {\n\tjenkins?: {} @rule(deep)\n} @rule(top)\n#D: {} @rule(def)\n"},
			want: []string{
				"a.cue:2:15: invalid policy: @rule must follow the value of a field directly under `jcasc:` or `discovery:`, e.g. jcasc: myRule: {…} @rule(my-rule)",
				"a.cue:4:8: invalid policy: @rule must follow the value of a field directly under `jcasc:` or `discovery:`, e.g. jcasc: myRule: {…} @rule(my-rule)",
			},
			rules: []string{"top"},
		},
		{
			name:  "declaration attribute",
			files: map[string]string{"a.cue": "jcasc: {\n\t@rule(x)\n}\n"},
			want:  []string{"a.cue:2:2: invalid policy: @rule belongs after a rule's value, e.g. jcasc: myRule: {…} @rule(my-rule)"},
		},
		{
			name:  "unknown top-level field",
			files: map[string]string{"a.cue": okRule + "jcsac: r: {} @rule(typo)\n"},
			want: []string{
				"a.cue:2:1: invalid policy: unknown top-level field \"jcsac\": rules are fields under `jcasc:` (JCasC documents) or `discovery:` (provider metadata); put helpers in definitions such as #jcsac",
				"a.cue:2:14: invalid policy: @rule must follow the value of a field directly under `jcasc:` or `discovery:`, e.g. jcasc: myRule: {…} @rule(my-rule)",
			},
			rules: []string{"ok-rule"},
		},
		{
			name:  "rule not a struct",
			files: map[string]string{"a.cue": "jcasc: r: string @rule(str)\n"},
			want:  []string{"a.cue:1:8: invalid policy: rule str: jcasc.r must be a struct: a rule constrains the whole document, e.g. jcasc: r: {jenkins?: …}"},
		},
		{
			name:  "optional rule field",
			files: map[string]string{"a.cue": "jcasc: r?: {} @rule(opt)\n"},
			want:  []string{"a.cue:1:8: invalid policy: rule jcasc.r must be a regular field (no ? or !)"},
		},
		{
			name:  "rule declared twice",
			files: map[string]string{"a.cue": "jcasc: r: {a?: int} @rule(one)\n", "b.cue": "jcasc: r: {b?: int} @rule(two)\n"},
			want:  []string{"b.cue:1:8: invalid policy: jcasc.r is declared twice (first at a.cue:1:8); a rule is one field"},
			rules: []string{"one"},
		},
		{
			name:  "conflict in a policy",
			files: map[string]string{"a.cue": "jcasc: r: {\n\tjenkins?: systemMessage?: string & 1\n} @rule(bad)\n", "b.cue": okRule},
			want:  []string{"a.cue:2:28: invalid policy: jcasc.r.jenkins.systemMessage: conflicting values string and 1 (mismatched types string and int)"},
			rules: []string{"ok-rule"},
		},
		{
			name: "conflict in a pattern and a list element",
			files: map[string]string{"a.cue": "jcasc: r: {\n\tunclassified?: [string]: >5 & <2\n} @rule(bad)\n" +
				"jcasc: s: {\n\tcredentials?: system?: domainCredentials?: [...{credentials?: [...\"x\" & \"y\"]}]\n} @rule(bad2)\n" +
				"jcasc: t: {\n\tjenkins?: {a?: string, b?: a, c?: [...{d?: a}]}\n} @rule(good)\n"},
			want: []string{
				"a.cue:2:32: invalid policy: jcasc.r.unclassified._: incompatible number bounds <2 and >5",
				"a.cue:5:74: invalid policy: jcasc.s.credentials.system.domainCredentials._.credentials._: conflicting values \"y\" and \"x\"",
			},
			rules: []string{"good"},
		},
		{
			name:  "a broken pattern in a definition: an error for each rule that uses it",
			files: map[string]string{"a.cue": "#D: {[string]: \"SYSTEM\" & \"GLOBAL\"}\njcasc: a: {x?: #D} @rule(a)\njcasc: b: {x?: #D} @rule(b)\n" + okRule},
			want:  []string{`a.cue:1:27: invalid policy: jcasc.a.x._: conflicting values "GLOBAL" and "SYSTEM"`, `a.cue:1:27: invalid policy: jcasc.b.x._: conflicting values "GLOBAL" and "SYSTEM"`},
			rules: []string{"ok-rule"},
		},
		{
			name:  "undefined reference",
			files: map[string]string{"a.cue": "jcasc: r: {\n\tjenkins?: systemMessage?: #Msg\n} @rule(bad)\n"},
			want:  []string{`a.cue:2:28: invalid policy: jcasc.r.jenkins.systemMessage: reference "#Msg" not found`},
		},
		{
			name:  "unknown import",
			files: map[string]string{"a.cue": "import \"example.com/lib\"\njcasc: r: {x?: lib.#X} @rule(bad)\n"},
			want:  []string{`a.cue:1:8: invalid policy: package "example.com/lib" imported but not defined in `, `a.cue:2:16: invalid policy: jcasc.r.x: import "example.com/lib" not found`},
		},
		{
			name:  "package clauses disagree",
			files: map[string]string{"a.cue": "package one\n" + okRule, "b.cue": "package two\njcasc: r: {} @rule(two)\n"},
			want:  []string{`b.cue:1:9: invalid policy: package two differs from package one of a.cue:1:9: the files of a policy directory are one package`},
			rules: []string{"ok-rule"},
		},
		{
			name:  "no files",
			files: map[string]string{"README.md": "policies"},
			want:  []string{"DIR: no *.cue policy files in this directory"},
		},
		{
			name:  "not UTF-8",
			files: map[string]string{"a.cue": "jcasc: r: {} @rule(x, message=\"\xff\")\n"},
			want:  []string{"a.cue:1:32: invalid UTF-8 (byte 0xff at offset 31)"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeDir(t, tc.files)
			s, errs := Load([]string{dir}, builtinIDs)
			got := relErrors(dir, errs)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			var ids []string
			for _, m := range s.Rules() {
				ids = append(ids, m.ID)
			}
			if strings.Join(ids, ",") != strings.Join(tc.rules, ",") {
				t.Errorf("rules %v, want %v", ids, tc.rules)
			}
		})
	}
}
