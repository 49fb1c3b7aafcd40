package rules

import (
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/plugins"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/workspace"
)

func TestPluginVulnerableCases(t *testing.T) { runPluginCases(t, "plugin-vulnerable") }

func TestPluginVulnerable(t *testing.T) {
	shared := pluginPinAt("oidc-provider", "96.vee8ed882ec4d", "shared/plugins.txt", 2)
	ws := &workspace.Workspace{Plugins: map[string]*plugins.Set{
		// one pin that two controllers share is reported once
		"a":  {Pins: map[string]plugins.Pin{"oidc-provider": shared}},
		"b":  {Pins: map[string]plugins.Pin{"oidc-provider": shared, "oic-auth": pluginPinAt("oic-auth", "2.6", "b/plugins.txt", 1)}},
		"ok": {Pins: map[string]plugins.Pin{"oic-auth": pluginPinAt("oic-auth", "latest", "ok/plugins.txt", 1), "git": pluginPinAt("git", "1.0", "ok/plugins.txt", 2)}},
	}}
	findings, _ := Run(ws, Config{}, func(id string) bool { return id == "plugin-vulnerable" })
	report.Sort(findings)
	var got []string
	for _, f := range findings {
		if f.Severity != report.Warning {
			t.Errorf("severity %v", f.Severity)
		}
		got = append(got, f.Pos.String()+": "+f.Message)
	}
	want := []string{
		"b/plugins.txt:1:10: oic-auth 2.6 is a release that 6 Jenkins security advisories name as affected: " +
			"SECURITY-2979 (CVE-2023-50771): open redirect vulnerability, fixed in 3.0, https://www.jenkins.io/security/advisory/2023-12-13/#SECURITY-2979; " +
			"SECURITY-3168 (CVE-2023-50770): password stored in a recoverable format, fixed in 4.229.vf736b_fec02f4, https://www.jenkins.io/security/advisory/2023-12-13/#SECURITY-3168; " +
			"SECURITY-3441-1 (CVE-2024-47806): lack of audience claim validation, fixed in 4.355.v3a_fb_fca_b_96d4, https://www.jenkins.io/security/advisory/2024-10-02/#SECURITY-3441%20(1); " +
			"SECURITY-3441-2 (CVE-2024-47807): lack of issuer claim validation, fixed in 4.355.v3a_fb_fca_b_96d4, https://www.jenkins.io/security/advisory/2024-10-02/#SECURITY-3441%20(2); " +
			"SECURITY-3473 (CVE-2024-52553): session fixation vulnerability, fixed in 4.421.v5422614eb_e0a_, https://www.jenkins.io/security/advisory/2024-11-13/#SECURITY-3473; " +
			"SECURITY-3461 (CVE-2025-24399): improper handling of case sensitivity, fixed in 4.453.v4d7765c854f4, https://www.jenkins.io/security/advisory/2025-01-22/#SECURITY-3461; " +
			"upgrade oic-auth to 4.453.v4d7765c854f4 or later",
		"shared/plugins.txt:2:15: oidc-provider 96.vee8ed882ec4d is a release that a Jenkins security advisory names as affected: " +
			"SECURITY-3574 (CVE-2025-47884): insufficient validation of claims, fixed in 111.v29fd614b_3617, https://www.jenkins.io/security/advisory/2025-05-14/#SECURITY-3574; " +
			"upgrade oidc-provider to 111.v29fd614b_3617 or later",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestUpgradeTarget(t *testing.T) {
	// the highest fix of 2.6's advisories, 4.453, is affected by none
	if got := upgradeTarget("oic-auth", plugins.Affecting("oic-auth", "2.6")); got != "4.453.v4d7765c854f4" {
		t.Errorf("upgradeTarget = %s", got)
	}
	if got := upgradeTarget("oic-auth", nil); got != "" {
		t.Errorf("no advisories: %q", got)
	}
}
