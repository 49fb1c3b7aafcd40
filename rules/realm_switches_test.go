package rules

import (
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/plugins"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/workspace"
)

const manualNoJWKS = `jenkins:
  securityRealm:
    oic:
      clientId: "jenkins"
      serverConfiguration:
        manual:
          issuer: "https://sso.example.com"
          authorizationServerUrl: "https://sso.example.com/authorize"
          tokenServerUrl: "https://sso.example.com/token"
`

const flatManualNoJWKS = `jenkins:
  securityRealm:
    oic:
      clientId: "jenkins"
      automanualconfigure: manual
      authorizationServerUrl: "https://sso.example.com/authorize"
      tokenServerUrl: "https://sso.example.com/token"
`

const emptyWellKnownURL = `jenkins:
  securityRealm:
    oic:
      clientId: "jenkins"
      serverConfiguration:
        wellKnown:
          wellKnownOpenIDConfigurationUrl: ""
`

// pinPos is where the hand-built plugin list pins oic-auth.
var pinPos = report.Position{Path: "ctl/plugins.txt", Line: 3, Col: 10}

// pinnedWorkspace builds the workspace the engine will build once plugin
// lists are wired in: one JCasC file of controller ctl, and a plugin set
// pinning oic-auth to version ("" for no plugin list, "latest" for an
// unpinned entry).
func pinnedWorkspace(t *testing.T, src, version string) *workspace.Workspace {
	t.Helper()
	f := source.NewFile("ctl/jenkins.yaml", []byte(src))
	docs, ferr := tree.ParseYAML(f)
	if ferr != nil || len(docs) != 1 {
		t.Fatalf("parse: %v", ferr)
	}
	d := jcasc.Read(f, docs[0])
	ws := &workspace.Workspace{Files: []*source.File{f}, JCasC: []*jcasc.Doc{d}}
	if version != "" {
		ws.Plugins = map[string]*plugins.Set{d.Controller: {
			Sources: []string{"ctl/plugins.txt"},
			Pins:    map[string]plugins.Pin{"oic-auth": {ID: "oic-auth", Version: version, Pos: pinPos, End: pinPos}},
		}}
	}
	return ws
}

func runRealmRules(ws *workspace.Workspace) []report.Finding {
	fs, _ := Run(ws, Config{}, func(id string) bool { return id == "token-validation-disabled" || id == "jcasc-schema" })
	return fs
}

func TestManualWithoutJWKSByPinnedRelease(t *testing.T) {
	for _, tc := range []struct {
		name, src, version string
		rule               string // "" = no finding
		line, col          int
		msg                []string // substrings of the message
		notMsg             string   // not in the message
		pinRelated         bool
	}{
		{name: "4.371 verifies no signature", src: manualNoJWKS, version: "4.371.vc7c0c06e8a_f5",
			rule: "token-validation-disabled", line: 6, col: 9, pinRelated: true,
			msg: []string{"oic-auth 4.371.vc7c0c06e8a_f5 never verifies id-token signatures without it", "forge a token", "up to 4.371 one failed JWKS fetch"}},
		{name: "4.250 is the first to check", src: manualNoJWKS, version: "4.250.v5a_d993226437",
			rule: "token-validation-disabled", line: 6, col: 9, pinRelated: true,
			msg: []string{"oic-auth 4.250.v5a_d993226437 never verifies"}, notMsg: "one failed JWKS fetch"},
		{name: "4.239 checks none at all", src: manualNoJWKS, version: "4.239.v325750a_96f3b_",
			rule: "token-validation-disabled", line: 6, col: 9, pinRelated: true,
			msg: []string{"oic-auth 4.239.v325750a_96f3b_ checks no id-token signature at all", "upgrade oic-auth"}},
		{name: "4.388 fails every sign-in", src: manualNoJWKS, version: "4.388.v4f73328eb_d2c",
			rule: "jcasc-schema", line: 6, col: 9, pinRelated: true,
			msg: []string{"manual configuration without jwksServerUrl: from oic-auth 4.388 every sign-in fails (empty JWK set; oic-auth 4.388.v4f73328eb_d2c is pinned)"}},
		{name: "4.715 fails every sign-in", src: manualNoJWKS, version: "4.715.vf202e4229f61",
			rule: "jcasc-schema", line: 6, col: 9, pinRelated: true,
			msg: []string{"every sign-in fails"}},
		{name: "latest is no pin: the layout's era", src: manualNoJWKS, version: "latest",
			rule: "token-validation-disabled", line: 6, col: 9,
			msg: []string{"with oic-auth ≤ 4.371 id-token signatures are never verified", "from 4.388 every sign-in fails"}},
		{name: "no plugin list: the layout's era", src: manualNoJWKS,
			rule: "token-validation-disabled", line: 6, col: 9,
			msg: []string{"with oic-auth ≤ 4.371"}},
		{name: "flat on 4.346", src: flatManualNoJWKS, version: "4.346.v10401f543622",
			rule: "token-validation-disabled", line: 5, col: 28, pinRelated: true,
			msg: []string{"oic-auth 4.346.v10401f543622 never verifies"}},
		{name: "flat on 4.350 does not boot: another rule", src: flatManualNoJWKS, version: "4.350.v347c3b_8b_9d95"},
		{name: "empty well-known URL before 4.409", src: emptyWellKnownURL, version: "4.388.v4f73328eb_d2c",
			rule: "jcasc-schema", line: 7, col: 44,
			msg: []string{"oic-auth 4.388.v4f73328eb_d2c logs \"Invalid WellKnown OpenID Configuration URL\" and has no endpoints"}},
		{name: "empty well-known URL from 4.409", src: emptyWellKnownURL, version: "4.409.ve864b_f48b_0f3",
			rule: "jcasc-schema", line: 7, col: 44,
			msg: []string{"every login fails with \"Well known configuration could not be loaded, login can not proceed.\""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := runRealmRules(pinnedWorkspace(t, tc.src, tc.version))
			if tc.rule == "" {
				if len(fs) != 0 {
					t.Fatalf("want no finding, got %+v", fs)
				}
				return
			}
			if len(fs) != 1 {
				t.Fatalf("want one finding, got %d: %+v", len(fs), fs)
			}
			f := fs[0]
			if f.Rule != tc.rule || f.Severity != report.Error || f.Pos.Path != "ctl/jenkins.yaml" || f.Pos.Line != tc.line || f.Pos.Col != tc.col {
				t.Errorf("got %s %s at %s:%d:%d, want %s error at ctl/jenkins.yaml:%d:%d", f.Rule, f.Severity, f.Pos.Path, f.Pos.Line, f.Pos.Col, tc.rule, tc.line, tc.col)
			}
			for _, m := range tc.msg {
				if !strings.Contains(f.Message, m) {
					t.Errorf("message %q lacks %q", f.Message, m)
				}
			}
			if tc.notMsg != "" && strings.Contains(f.Message, tc.notMsg) {
				t.Errorf("message %q has %q", f.Message, tc.notMsg)
			}
			hasPin := len(f.Related) > 0 && f.Related[0].Pos == pinPos && strings.Contains(f.Related[0].Message, "is pinned here")
			if hasPin != tc.pinRelated {
				t.Errorf("related %+v: want the pin: %v", f.Related, tc.pinRelated)
			}
		})
	}
}

func TestManualWithoutJWKSDisabledVerification(t *testing.T) {
	// With verification switched off sign-in works on 4.388+ and nothing is
	// verified anywhere: the switch's own finding says so, once.
	src := strings.Replace(manualNoJWKS, `      clientId: "jenkins"`, "      clientId: \"jenkins\"\n      disableTokenVerification: true", 1)
	for _, v := range []string{"4.371.vc7c0c06e8a_f5", "4.388.v4f73328eb_d2c"} {
		fs := runRealmRules(pinnedWorkspace(t, src, v))
		if len(fs) != 1 || !strings.Contains(fs[0].Message, "disableTokenVerification: true") {
			t.Errorf("%s: want only the switch's finding, got %+v", v, fs)
		}
	}
}

func TestInsertKeyFix(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"after tokenServerUrl", "m:\n  a: 1\n  tokenServerUrl: \"t\" # c\n  b: 2\n", "m:\n  a: 1\n  tokenServerUrl: \"t\" # c\n  k: \"v\"\n  b: 2\n"},
		{"at the end of the file", "m:\n  tokenServerUrl: t", "m:\n  tokenServerUrl: t\n  k: \"v\""},
		{"CRLF", "m:\r\n  tokenServerUrl: t\r\n", "m:\r\n  tokenServerUrl: t\r\n  k: \"v\"\r\n"},
		{"before the first key", "m:\n  tokenServerUrl: |\n    t\n  b: 2\n", "m:\n  k: \"v\"\n  tokenServerUrl: |\n    t\n  b: 2\n"},
		{"flow mapping", "m: {tokenServerUrl: t}\n", ""},
	} {
		f := source.NewFile("x.yaml", []byte(tc.src))
		docs, ferr := tree.ParseYAML(f)
		if ferr != nil {
			t.Fatal(ferr)
		}
		_, m := tree.Get(docs[0], "m")
		fx := insertKey(f, m, "tokenServerUrl", "k", "v", "d")
		got := ""
		if fx != nil {
			got = tc.src[:fx.Offset] + fx.Replacement + tc.src[fx.Offset+fx.Length:]
		}
		if got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}
