package schema

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// TestCheckSettings: the settings file's schema, compiled like the others,
// and checked against CUE's verdict on the same documents.
func TestCheckSettings(t *testing.T) {
	c := Default()
	for _, tc := range []struct {
		src  string
		want []string // "line:col message"
	}{
		{"", nil},
		{"rules:\n  pkce-disabled: off\n  issuer-mismatch: {severity: note, threshold: 2}\nexclude: [vendor/**]\nfail-on: note\npolicy-memory: 512MiB\n", nil},
		{"policy-memory: 1048576\npolicy-timeout: 2s\nmetadata: {\"https://idp\": idp.json}\npolicies: [p]\nplaceholders: [x]\n", nil},
		{"rules:\n  pkce-disabled: on\n", []string{"2:18 `rules.pkce-disabled` must be one of `error`, `warning`, `note` or `off`, or a mapping, not the string \"on\""}},
		{"rules:\n  x: {threshold: 0}\n", []string{"2:18 `rules.x.threshold` must be a whole number from 1, not the number 0"}},
		{"rules:\n  x: {severity: high, level: 1}\n", []string{
			"2:17 `rules.x.severity` must be one of `error`, `warning`, `note` or `off`, not the string \"high\"",
			"2:23 unknown key `level` in rules.x; expected `severity` or `threshold`"}},
		{"rule:\n  x: off\n", []string{"1:1 unknown key `rule` in the settings (did you mean `rules`?)"}},
		{"- rules\n", []string{"1:1 the settings must be a mapping, not a list"}},
		{"fail-on: off\nexclude: vendor\n", []string{
			"1:10 `fail-on` must be one of `error`, `warning` or `note`, not the string \"off\"",
			"2:10 `exclude` must be a list, not the string \"vendor\""}},
		{"policy-memory: [1]\n", []string{"1:16 `policy-memory` must be a string or a whole number, not a list"}},
	} {
		f := source.NewFile(".jenkins-oidc-lint.yaml", []byte(tc.src))
		docs, ferr := tree.ParseYAML(f)
		if ferr != nil {
			t.Fatalf("%q: %v", tc.src, ferr)
		}
		if len(docs) == 0 {
			continue
		}
		var got []string
		for _, fi := range c.CheckSettings(f, docs[0]) {
			if fi.Rule != RuleSettings {
				t.Errorf("rule %q", fi.Rule)
			}
			got = append(got, fmt.Sprintf("%d:%d %s", fi.Pos.Line, fi.Pos.Col, fi.Message))
		}
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%q:\ngot  %q\nwant %q", tc.src, got, tc.want)
		}
		if !tree.IsNull(docs[0]) {
			referenceCheckDef(t, c, f, docs[0], settingsDef, c.s.settings, settingsWords)
		}
	}
}
