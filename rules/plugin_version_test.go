package rules

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/rulecase"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/plugins"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/workspace"
)

// pluginWorkspace builds, by hand, the workspace the engine builds for the
// files under dir (until the engine reads plugin lists): JCasC documents
// (jcasc.Read, trees kept), plugin lists, Dockerfiles and Helm values,
// and their plugin sets (plugins.Assign). Paths are dir-joined, as the
// engine's walk gives them.
func pluginWorkspace(t *testing.T, dir string) *workspace.Workspace {
	t.Helper()
	ws := &workspace.Workspace{}
	var lists []*plugins.List
	var dfs []*plugins.Dockerfile
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "want.txt" {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		f := source.NewFile(filepath.ToSlash(p), data)
		var errs []report.FileError
		switch {
		case plugins.IsDockerfileName(f.Path):
			var df *plugins.Dockerfile
			df, errs = plugins.ParseDockerfile(f)
			dfs = append(dfs, df)
		case plugins.IsPluginListName(f.Path) && plugins.IsPluginTxtName(f.Path):
			var l *plugins.List
			l, errs = plugins.ParseTxt(f)
			lists = append(lists, l)
		case strings.HasSuffix(f.Path, ".yaml") || strings.HasSuffix(f.Path, ".yml"):
			docs, ferr := tree.ParseYAML(f)
			if ferr != nil {
				return fmt.Errorf("%v", ferr)
			}
			for _, root := range docs {
				switch {
				case plugins.LooksYAML(root):
					var l *plugins.List
					l, errs = plugins.ParseYAML(f, root)
					lists = append(lists, l)
				case jcasc.Looks(root):
					ws.JCasC = append(ws.JCasC, jcasc.Read(f, root))
				default:
					if _, ctrl := tree.Get(root, "controller"); ctrl != nil {
						var l *plugins.List
						l, errs = plugins.FromHelmValues(f, ctrl)
						lists = append(lists, l)
					}
				}
			}
		}
		if len(errs) > 0 {
			return fmt.Errorf("%v", errs)
		}
		ws.Files = append(ws.Files, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ctrls := map[string][]string{}
	for _, d := range ws.JCasC {
		ctrls[d.Controller] = append(ctrls[d.Controller], d.File.Path)
	}
	var cs []plugins.Controller
	for k, files := range ctrls {
		cs = append(cs, plugins.Controller{Key: k, Files: files})
	}
	ws.Plugins = plugins.Assign(lists, dfs, cs)
	ws.Sort()
	return ws
}

// runPluginRule runs one rule on a hand-built workspace and prints its
// findings as TestRules does (want.txt's format).
func runPluginRule(t *testing.T, id string, ws *workspace.Workspace, prefix string) string {
	t.Helper()
	findings, _ := Run(ws, Config{}, func(r string) bool { return r == id })
	report.Sort(findings)
	var b strings.Builder
	for _, f := range findings {
		if f.Rule != id {
			continue
		}
		fmt.Fprintf(&b, "%s:%d:%d-%d:%d: %s: %s [%s]\n", strings.TrimPrefix(f.Pos.Path, prefix), f.Pos.Line, f.Pos.Col, f.End.Line, f.End.Col, f.Severity, strings.ReplaceAll(f.Message, prefix, ""), f.Rule)
		for _, r := range f.Related {
			fmt.Fprintf(&b, "\trelated %s:%d:%d: %s\n", strings.TrimPrefix(r.Pos.Path, prefix), r.Pos.Line, r.Pos.Col, r.Message)
		}
	}
	return b.String()
}

// runPluginCases checks the cases of testdata/rules/<id>/ on hand-built
// workspaces against their want section, which TestRules checks through
// the engine once it reads plugin lists: both must agree.
func runPluginCases(t *testing.T, id string) {
	paths, err := filepath.Glob(filepath.Join("..", "testdata", "rules", id, "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	var fire, quiet int
	for _, path := range paths {
		c, err := rulecase.Read(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(c.Name(), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), c.Name())
			if err := c.WriteTree(dir); err != nil {
				t.Fatal(err)
			}
			got := runPluginRule(t, id, pluginWorkspace(t, dir), filepath.ToSlash(dir)+"/")
			if got != c.Want {
				t.Errorf("findings differ from the want section of %s (go test ./rules -run TestRules -update writes it)\n--- got\n%s--- want\n%s", path, got, c.Want)
			}
			switch {
			case strings.HasPrefix(c.Name(), "fire-") && got == "":
				t.Error("a fire-* case must produce findings")
			case strings.HasPrefix(c.Name(), "quiet-") && got != "":
				t.Error("a quiet-* case must produce none")
			}
		})
		switch {
		case strings.HasPrefix(c.Name(), "fire-"):
			fire++
		case strings.HasPrefix(c.Name(), "quiet-"):
			quiet++
		}
	}
	if fire == 0 || quiet == 0 {
		t.Errorf("%s needs fire-* and quiet-* cases", id)
	}
}

func TestPluginVersionCases(t *testing.T) { runPluginCases(t, "plugin-version-mismatch") }

// TestPluginVersionMismatchPerPlugin: a fire case for each plugin the era
// table knows.
func TestPluginVersionMismatchPerPlugin(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("..", "testdata", "rules", "plugin-version-mismatch", "fire-*.txtar"))
	seen := map[string]bool{}
	for _, path := range paths {
		c, err := rulecase.Read(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range plugins.Judged() {
			if strings.Contains(c.Want, " "+id+" ") {
				seen[id] = true
			}
		}
	}
	for _, id := range plugins.Judged() {
		if !seen[id] {
			t.Errorf("no fire case of plugin-version-mismatch names %s", id)
		}
	}
}

func pluginTestDoc(t *testing.T, p, src string) *jcasc.Doc {
	t.Helper()
	f := source.NewFile(p, []byte(src))
	docs, ferr := tree.ParseYAML(f)
	if ferr != nil {
		t.Fatal(ferr)
	}
	return jcasc.Read(f, docs[0])
}

func pluginPinAt(id, version, path string, line int) plugins.Pin {
	return plugins.Pin{ID: id, Version: version, Pos: report.Position{Path: path, Line: line, Col: len(id) + 2}}
}

func TestPluginVersionMismatch(t *testing.T) {
	realm := "jenkins:\n  securityRealm:\n    oic:\n      clientId: x\n      pkceEnabled: true\n      serverConfiguration:\n        wellKnown:\n          wellKnownOpenIDConfigurationUrl: https://sso.example.com/.well-known/openid-configuration\n"
	for _, tc := range []struct {
		name    string
		docs    map[string]string
		pins    map[string][]plugins.Pin // controller → pins
		want    string
		related string
	}{
		{"removed key", map[string]string{"ci/jenkins.yaml": realm},
			map[string][]plugins.Pin{"ci": {pluginPinAt("oic-auth", "4.600.vd5a_61e076596", "ci/plugins.txt", 3)}},
			"ci/jenkins.yaml:5:7-5:18: `pkceEnabled` was removed in oic-auth 4.600.vd5a_61e076596, and this controller pins oic-auth 4.600.vd5a_61e076596: JCasC refuses attributes a release does not have, so the controller does not boot; write `- pkce` in `properties`\n",
			"ci/plugins.txt:3:10: this controller's oic-auth is pinned to 4.600.vd5a_61e076596 here"},
		{"key of a later release", map[string]string{"ci/jenkins.yaml": realm},
			map[string][]plugins.Pin{"ci": {pluginPinAt("oic-auth", "4.346.v10401f543622", "ci/plugins.txt", 1)}},
			"ci/jenkins.yaml:6:7-6:26: `serverConfiguration` came in oic-auth 4.350.v347c3b_8b_9d95, and this controller pins oic-auth 4.346.v10401f543622: JCasC refuses attributes a release does not have, so the controller does not boot; for 4.346.v10401f543622 write the flat keys on `oic` instead: `automanualconfigure: auto` with `wellKnownOpenIDConfigurationUrl`, or `automanualconfigure: manual` with `tokenServerUrl`, `authorizationServerUrl`, `jwksServerUrl`, `userInfoServerUrl`, `scopes`, or upgrade oic-auth to 4.350.v347c3b_8b_9d95 or later\n",
			"ci/plugins.txt:1:10: this controller's oic-auth is pinned to 4.346.v10401f543622 here"},
		{"accepted by the pinned release", map[string]string{"ci/jenkins.yaml": realm},
			map[string][]plugins.Pin{"ci": {pluginPinAt("oic-auth", "4.524.v38858a_b_1c6a_4", "ci/plugins.txt", 1)}}, "", ""},
		{"unpinned", map[string]string{"ci/jenkins.yaml": realm},
			map[string][]plugins.Pin{"ci": {pluginPinAt("oic-auth", "latest", "ci/plugins.txt", 1)}}, "", ""},
		{"another controller's pins", map[string]string{"ci/jenkins.yaml": realm},
			map[string][]plugins.Pin{"other": {pluginPinAt("oic-auth", "4.600.vd5a_61e076596", "other/plugins.txt", 1)}}, "", ""},
		{"unknown: warn makes it a skipped key", map[string]string{"ci/jenkins.yaml": realm, "ci/casc.yaml": "configuration-as-code:\n  unknown: warn\n"},
			map[string][]plugins.Pin{"ci": {pluginPinAt("oic-auth", "4.600.vd5a_61e076596", "ci/plugins.txt", 1)}},
			"ci/jenkins.yaml:5:7-5:18: `pkceEnabled` was removed in oic-auth 4.600.vd5a_61e076596, and this controller pins oic-auth 4.600.vd5a_61e076596: JCasC skips it (configuration-as-code.unknown is warn), so the setting does not apply; write `- pkce` in `properties`\n",
			"ci/plugins.txt:1:10: this controller's oic-auth is pinned to 4.600.vd5a_61e076596 here"},
		{"a key no release has", map[string]string{"ci/jenkins.yaml": "jenkins:\n  securityRealm:\n    oic:\n      clientAuthentication:\n        secret: {clientSecret: x}\n"},
			map[string][]plugins.Pin{"ci": {pluginPinAt("oic-auth", "4.715.vf202e4229f61", "ci/plugins.txt", 1)}},
			"ci/jenkins.yaml:4:7-4:27: no oic-auth release up to 4.715.vf202e4229f61 has `clientAuthentication`, and this controller pins oic-auth 4.715.vf202e4229f61: JCasC refuses attributes a release does not have, so the controller does not boot; write the secret as `clientSecret` on `oic`\n",
			"ci/plugins.txt:1:10: this controller's oic-auth is pinned to 4.715.vf202e4229f61 here"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ws := &workspace.Workspace{Plugins: map[string]*plugins.Set{}}
			var paths []string
			for p := range tc.docs {
				paths = append(paths, p)
			}
			sort.Strings(paths)
			for _, p := range paths {
				ws.JCasC = append(ws.JCasC, pluginTestDoc(t, p, tc.docs[p]))
			}
			for k, pins := range tc.pins {
				s := &plugins.Set{Pins: map[string]plugins.Pin{}}
				for _, pin := range pins {
					s.Pins[pin.ID] = pin
				}
				ws.Plugins[k] = s
			}
			findings, _ := Run(ws, Config{}, func(id string) bool { return id == "plugin-version-mismatch" })
			var b strings.Builder
			var rel []string
			for _, f := range findings {
				fmt.Fprintf(&b, "%s:%d:%d-%d:%d: %s\n", f.Pos.Path, f.Pos.Line, f.Pos.Col, f.End.Line, f.End.Col, f.Message)
				if f.Severity != report.Error {
					t.Errorf("severity %v", f.Severity)
				}
				for _, r := range f.Related {
					rel = append(rel, r.Pos.String()+": "+r.Message)
				}
			}
			if b.String() != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", b.String(), tc.want)
			}
			if got := strings.Join(rel, "\n"); got != tc.related {
				t.Errorf("related:\n%s\nwant:\n%s", got, tc.related)
			}
		})
	}
}

// TestPluginVersionCompacted: after Compact the rule reads what the engine
// recorded (the recordedEras hook).
func TestPluginVersionCompacted(t *testing.T) {
	d := pluginTestDoc(t, "ci/jenkins.yaml", "jenkins:\n  authorizationStrategy:\n    globalMatrix:\n      entries: []\n")
	recorded := plugins.ReadEras(d.File, d.Root)
	d.Compact()
	saved := recordedEras
	defer func() { recordedEras = saved }()
	recordedEras = func(doc *jcasc.Doc) plugins.DocEras {
		if doc == d {
			return recorded
		}
		return plugins.DocEras{}
	}
	ws := &workspace.Workspace{JCasC: []*jcasc.Doc{d}, Plugins: map[string]*plugins.Set{
		"ci": {Pins: map[string]plugins.Pin{"matrix-auth": pluginPinAt("matrix-auth", "3.1.5", "ci/plugins.txt", 1)}},
	}}
	findings, _ := Run(ws, Config{}, func(id string) bool { return id == "plugin-version-mismatch" })
	if len(findings) != 1 || findings[0].Pos.Line != 4 || findings[0].Pos.Col != 7 {
		t.Fatalf("findings: %+v", findings)
	}
}

// FuzzPluginRules: on any plugins.txt and JCasC document the parsers
// accept, the two plugin rules never panic and point inside their files.
func FuzzPluginRules(f *testing.F) {
	f.Add("oic-auth:4.346.v10401f543622\nmatrix-auth:3.1.5\nrole-strategy:587.v2872c41fa_e51\n", "jenkins:\n  securityRealm:\n    oic:\n      serverConfiguration: {}\n  authorizationStrategy:\n    globalMatrix: {entries: [], permissions: [\"USER:a:b\"]}\n")
	f.Add("oidc-provider:18.v80b_cda_0cca_83\ncredentials:2.4\n", "security: {idToken: {tokenLifetime: 1}}\ncredentials: {system: {domainCredentials: [{credentials: [{usernamePassword: {usernameSecret: true}}]}]}}\n")
	f.Fuzz(func(t *testing.T, txt, yml string) {
		lf := source.NewFile("c/plugins.txt", []byte(txt))
		l, _ := plugins.ParseTxt(lf)
		yf := source.NewFile("c/jenkins.yaml", []byte(yml))
		docs, ferr := tree.ParseYAML(yf)
		if ferr != nil || len(docs) == 0 || !jcasc.Looks(docs[0]) {
			return
		}
		d := jcasc.Read(yf, docs[0])
		ws := &workspace.Workspace{JCasC: []*jcasc.Doc{d}}
		ws.Plugins = plugins.Assign([]*plugins.List{l}, nil, []plugins.Controller{{Key: "c", Files: []string{yf.Path}}})
		findings, _ := Run(ws, Config{}, func(id string) bool { return id == "plugin-version-mismatch" || id == "plugin-vulnerable" })
		for _, fd := range findings {
			if strings.Contains(fd.Message, "internal error") {
				t.Fatal(fd.Message)
			}
			file := yf
			if fd.Pos.Path == lf.Path {
				file = lf
			}
			if fd.Pos.Path != file.Path || fd.Pos.Line < 1 || fd.Pos.Line > file.LineCount() {
				t.Fatalf("%s: %v outside %s", fd.Rule, fd.Pos, file.Path)
			}
		}
	})
}
