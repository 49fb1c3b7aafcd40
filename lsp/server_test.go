package lsp

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/lint"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/rules"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/settings"
)

// cliDiagnostics lints dir as the command line run in it does (with the
// settings file it finds and the baseline given) and writes each finding,
// file error and note as the diagnostic the server must publish, with
// positions converted here by other code than the server's (unicode/utf16).
// Without related information (a client that does not take it) the related
// places go into the message.
func cliDiagnostics(t *testing.T, dir, baseline, enc string, related bool) map[string][]string {
	t.Helper()
	opts := lint.Options{Paths: []string{"."}, Root: dir}
	if p := settings.Find("."); p != "" {
		cfg, errs := settings.Load(p)
		if len(errs) > 0 {
			t.Fatalf("settings: %v", errs)
		}
		opts.File = cfg
	}
	if baseline != "" {
		b, err := lint.LoadBaseline(baseline)
		if err != nil {
			t.Fatal(err)
		}
		opts.Baseline = b
	}
	rep, err := lint.Run(opts)
	if err != nil {
		t.Fatal(err)
	}
	pos := func(p report.Position) string {
		if p.Line == 0 {
			return "0:0"
		}
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p.Path)))
		if err != nil {
			t.Fatal(err)
		}
		line := strings.TrimSuffix(strings.Split(string(data), "\n")[p.Line-1], "\r")
		runes := []rune(line)
		before := runes[:min(p.Col-1, len(runes))]
		n := len(before)
		switch enc {
		case encUTF16:
			n = len(utf16.Encode(before))
		case encUTF8:
			n = len(string(before))
		}
		return fmt.Sprintf("%d:%d", p.Line-1, n)
	}
	out := map[string][]string{}
	add := func(path, s string) {
		uri := pathToURI(filepath.Join(dir, filepath.FromSlash(path)))
		out[uri] = append(out[uri], s)
	}
	for _, f := range rep.Findings {
		end := pos(f.Pos)
		if f.End.Line > 0 {
			end = pos(f.End)
		}
		msg := f.Message
		for _, r := range f.Related {
			if !related {
				msg += "\n" + r.Pos.String() + ": " + r.Message
			}
		}
		add(f.Pos.Path, fmt.Sprintf("%s %d %s-%s %s", f.Rule, severities[f.Severity], pos(f.Pos), end, msg))
	}
	for _, e := range rep.Errors {
		add(e.Pos.Path, fmt.Sprintf("parse-error 1 %s-%s %s", pos(e.Pos), pos(e.Pos), e.Message))
	}
	for _, n := range rep.Notes {
		add(n.Pos.Path, fmt.Sprintf(" 3 %s-%s %s", pos(n.Pos), pos(n.Pos), n.Message))
	}
	for _, l := range out {
		sort.Strings(l)
	}
	return out
}

func describe(ds []diagnostic) []string {
	var out []string
	for _, d := range ds {
		out = append(out, fmt.Sprintf("%s %d %d:%d-%d:%d %s", d.Code, d.Severity, d.Range.Start.Line, d.Range.Start.Character, d.Range.End.Line, d.Range.End.Character, d.Message))
	}
	sort.Strings(out)
	return out
}

// sameAsCLI checks that the client holds, for every file, exactly the
// diagnostics the command line's findings make, and nothing for the others.
func sameAsCLI(t *testing.T, c *client, dir, baseline, enc string, related bool) {
	t.Helper()
	want := cliDiagnostics(t, dir, baseline, enc, related)
	c.mu.Lock()
	defer c.mu.Unlock()
	for uri, ds := range c.diags {
		if len(ds) > 0 && want[uri] == nil {
			t.Errorf("%s: published %q, the command line finds nothing", uri, describe(ds))
		}
	}
	for uri, w := range want {
		got := describe(c.diags[uri])
		if strings.Join(got, "\n") != strings.Join(w, "\n") {
			t.Errorf("%s:\n got %q\nwant %q", uri, got, w)
		}
	}
}

func TestWorkspace(t *testing.T) {
	dir := copyTree(t, "workspace")
	c := startClient(t, dir, Options{}, nil)
	c.settle()
	sameAsCLI(t, c, dir, "", encUTF16, true)

	jcasc := filepath.Join(dir, "casc", "jenkins.yaml")
	meta := filepath.Join(dir, "idp.openid-configuration.json")
	jf := filepath.Join(dir, "Jenkinsfile")
	jcascURI, jfURI := pathToURI(jcasc), pathToURI(jf)
	for _, uri := range []string{jcascURI, jfURI, pathToURI(filepath.Join(dir, "helm", "values.yaml"))} {
		if len(c.diagnostics(uri)) == 0 {
			t.Fatalf("%s: no diagnostics", uri)
		}
	}
	// the emoji before `-k` is one code point and two UTF-16 code units
	if d := withRule(c.diagnostics(jfURI), "tls-verification-disabled"); len(d) != 1 || d[0].Range.Start != (position{9, 49}) || d[0].Range.End != (position{9, 51}) {
		t.Errorf("Jenkinsfile curl -k: %+v", d)
	}

	// Editing the provider's issuer makes issuer-mismatch appear in the
	// JCasC file, and undoing it makes it go.
	metaText := readFile(t, meta)
	c.open(meta, "json", 1, metaText)
	c.open(jcasc, "yaml", 7, readFile(t, jcasc))
	c.settle()
	if hasRule(c.diagnostics(jcascURI), "issuer-mismatch") {
		t.Fatal("issuer-mismatch before the edit")
	}
	slash := strings.Replace(metaText, `"issuer": "https://idp.example.com/realms/ci"`, `"issuer": "https://idp.example.com/realms/ci/"`, 1)
	c.change(meta, 2, slash)
	ds := c.waitDiagnostics(jcascURI, "issuer-mismatch in the JCasC file", func(ds []diagnostic) bool { return hasRule(ds, "issuer-mismatch") })
	mm := withRule(ds, "issuer-mismatch")[0]
	if mm.Range.Start != (position{9, 18}) || mm.Range.End != (position{9, 53}) || mm.Severity != severityError {
		t.Errorf("issuer-mismatch at %+v severity %d", mm.Range, mm.Severity)
	}
	if len(mm.RelatedInformation) == 0 || mm.RelatedInformation[0].Location.URI != pathToURI(meta) || mm.RelatedInformation[0].Location.Range.Start != (position{1, 12}) {
		t.Errorf("issuer-mismatch related information %+v", mm.RelatedInformation)
	}
	if mm.CodeDescription == nil || !strings.HasSuffix(mm.CodeDescription.Href, "/issuer-mismatch.md") {
		t.Errorf("code description %+v", mm.CodeDescription)
	}
	c.change(meta, 3, metaText)
	c.waitDiagnostics(jcascURI, "issuer-mismatch to go", func(ds []diagnostic) bool { return !hasRule(ds, "issuer-mismatch") })
	c.settle()

	// hover on a finding shows its rule's page
	tls := withRule(c.diagnostics(jcascURI), "tls-verification-disabled")
	if len(tls) != 1 {
		t.Fatalf("tls-verification-disabled in the JCasC file: %+v", tls)
	}
	var h hover
	if err := json.Unmarshal(c.request("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": jcascURI}, "position": tls[0].Range.Start}), &h); err != nil {
		t.Fatal(err)
	}
	page, _ := rules.Doc("tls-verification-disabled")
	if h.Contents.Kind != "markdown" || !strings.Contains(h.Contents.Value, page) || !strings.Contains(h.Contents.Value, tls[0].Message) || h.Range == nil || *h.Range != tls[0].Range {
		t.Errorf("hover %+v", h)
	}
	if res := c.request("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": jcascURI}, "position": position{0, 0}}); string(res) != "null" {
		t.Errorf("hover off any finding: %s", res)
	}

	// the quick fix is the edit --fix makes
	actions := codeActionsAt(t, c, jcascURI, tls[0].Range)
	fix := actionTitled(actions, "quickfix", "")
	if fix == nil || fix.Edit == nil || len(fix.Edit.DocumentChanges) != 1 {
		t.Fatalf("no quick fix in %+v", actions)
	}
	dc := fix.Edit.DocumentChanges[0]
	if dc.TextDocument.URI != jcascURI || dc.TextDocument.Version == nil || *dc.TextDocument.Version != 7 {
		t.Errorf("the fix edits %+v", dc.TextDocument)
	}
	jcascText := readFile(t, jcasc)
	fixed := applyEdits(t, jcascText, dc.Edits, encUTF16)
	if want := cliFixed(t, dir, "casc/jenkins.yaml", "tls-verification-disabled"); fixed != want {
		t.Errorf("the quick fix gives\n%s\nwant\n%s", fixed, want)
	}
	c.change(jcasc, 8, fixed)
	c.waitDiagnostics(jcascURI, "the fixed finding to go", func(ds []diagnostic) bool { return !hasRule(ds, "tls-verification-disabled") })

	// the ignore action writes a comment the engine honours, indented like
	// the line, and the file with no finding left is cleared
	c.open(jf, "groovy", 1, readFile(t, jf))
	c.settle()
	jtls := withRule(c.diagnostics(jfURI), "tls-verification-disabled")
	ignore := actionTitled(codeActionsAt(t, c, jfURI, jtls[0].Range), "quickfix", "Ignore tls-verification-disabled")
	if ignore == nil {
		t.Fatal("no ignore action")
	}
	jfText := readFile(t, jf)
	ignored := applyEdits(t, jfText, ignore.Edit.DocumentChanges[0].Edits, encUTF16)
	wantLine := "                // jenkins-oidc-lint: ignore[tls-verification-disabled] " + ignoreReason + "\n                sh 'echo \"🚀"
	if !strings.Contains(ignored, wantLine) {
		t.Errorf("ignore comment:\n%s", ignored)
	}
	before := c.pubs[jfURI]
	c.change(jf, 2, ignored)
	c.settle()
	if ds := c.diagnostics(jfURI); len(ds) != 0 || c.pubs[jfURI] == before {
		t.Errorf("Jenkinsfile after the ignore comment: %+v", ds)
	}

	// closing a buffer brings the disk's text back
	c.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": jfURI}})
	c.waitDiagnostics(jfURI, "the disk's finding after close", func(ds []diagnostic) bool { return hasRule(ds, "tls-verification-disabled") })

	if code := c.shutdown(); code != 0 {
		t.Errorf("exit code %d after shutdown", code)
	}
}

// cliFixed is the file as --fix's first round leaves it with the fixes of
// one rule.
func cliFixed(t *testing.T, dir, path, rule string) string {
	t.Helper()
	rep, err := lint.Run(lint.Options{Paths: []string{"."}, Root: dir, Enable: []string{rule}})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(path)))
	if err != nil {
		t.Fatal(err)
	}
	out, err := lint.ApplyFixes(data, lint.Fixes(rep)[path])
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func codeActionsAt(t *testing.T, c *client, uri string, r lspRange) []codeAction {
	t.Helper()
	var out []codeAction
	res := c.request("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": uri}, "range": r, "context": map[string]any{"diagnostics": []any{}}})
	if err := json.Unmarshal(res, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func actionTitled(actions []codeAction, kind, prefix string) *codeAction {
	for i := range actions {
		a := &actions[i]
		if a.Kind == kind && strings.HasPrefix(a.Title, prefix) && (prefix != "" || !strings.HasPrefix(a.Title, "Ignore")) {
			return a
		}
	}
	return nil
}

// TestPositionEncodings: offered UTF-32, the server takes it and counts
// columns in code points; offered only UTF-8, it counts bytes.
func TestPositionEncodings(t *testing.T) {
	for _, tc := range []struct {
		offered []string
		enc     string
		char    int
	}{{[]string{"utf-8", "utf-32", "utf-16"}, encUTF32, 48}, {[]string{"utf-8"}, encUTF8, 51}, {nil, encUTF16, 49}} {
		t.Run(tc.enc, func(t *testing.T) {
			dir := copyTree(t, "workspace")
			c := startClient(t, dir, Options{}, map[string]any{"general": map[string]any{"positionEncodings": tc.offered}})
			c.settle()
			sameAsCLI(t, c, dir, "", tc.enc, false)
			jfURI := pathToURI(filepath.Join(dir, "Jenkinsfile"))
			if d := withRule(c.diagnostics(jfURI), "tls-verification-disabled"); len(d) != 1 || d[0].Range.Start != (position{9, tc.char}) {
				t.Errorf("curl -k at %+v", d)
			}
			// a client without documentChanges gets a map of changes, in
			// the negotiated encoding
			jf := filepath.Join(dir, "Jenkinsfile")
			c.open(jf, "groovy", 1, readFile(t, jf))
			c.settle()
			d := withRule(c.diagnostics(jfURI), "tls-verification-disabled")
			a := actionTitled(codeActionsAt(t, c, jfURI, d[0].Range), "quickfix", "Ignore")
			if a == nil || a.Edit.Changes == nil || len(a.Edit.DocumentChanges) != 0 {
				t.Fatalf("ignore action %+v", a)
			}
			// no related information: the places go into the message
			if hasRelated(c) {
				t.Error("related information sent to a client that did not ask for it")
			}
			c.shutdown()
		})
	}
}

func hasRelated(c *client) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, ds := range c.diags {
		for _, d := range ds {
			if len(d.RelatedInformation) > 0 {
				return true
			}
		}
	}
	return false
}

// TestSettingsSuppressionsBaseline: the settings file, ignore comments and
// a baseline give the same diagnostics as the command line; the settings
// are read from the editor's buffer while it is open, and broken settings
// are shown at their place while the rest stays.
func TestSettingsSuppressionsBaseline(t *testing.T) {
	dir := copyTree(t, "workspace")
	writeFiles(t, dir, map[string]string{
		".jenkins-oidc-lint.yaml": "rules:\n  manual-endpoints: off\n  pkce-disabled:\n    severity: error\n",
	})
	jcasc := filepath.Join(dir, "casc", "jenkins.yaml")
	text := readFile(t, jcasc)
	text = strings.Replace(text, "    oic:\n", "    # jenkins-oidc-lint: ignore[audit-log-missing] audited by the proxy\n    oic:\n", 1)
	writeFiles(t, dir, map[string]string{"casc/jenkins.yaml": text})
	// a baseline that records the Helm values' finding
	t.Chdir(dir)
	rep, err := lint.Run(lint.Options{Paths: []string{"."}, Enable: []string{"insecure-url"}})
	if err != nil || len(rep.Findings) != 1 {
		t.Fatalf("%v %+v", err, rep)
	}
	fh, err := os.Create(filepath.Join(dir, "baseline.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := lint.WriteBaseline(fh, rep); err != nil {
		t.Fatal(err)
	}
	fh.Close()

	c := startClient(t, dir, Options{Baseline: "baseline.json"}, nil)
	c.settle()
	sameAsCLI(t, c, dir, "baseline.json", encUTF16, true)
	jcascURI := pathToURI(jcasc)
	ds := c.diagnostics(jcascURI)
	if hasRule(ds, "manual-endpoints") || hasRule(ds, "audit-log-missing") || len(withRule(ds, "pkce-disabled")) != 1 || withRule(ds, "pkce-disabled")[0].Severity != severityError {
		t.Errorf("settings and suppression not applied: %q", describe(ds))
	}
	if ds := c.diagnostics(pathToURI(filepath.Join(dir, "helm", "values.yaml"))); len(ds) != 0 {
		t.Errorf("the baseline's finding is shown: %q", describe(ds))
	}

	// the settings as the editor holds them
	cfg := filepath.Join(dir, ".jenkins-oidc-lint.yaml")
	cfgURI := pathToURI(cfg)
	c.open(cfg, "yaml", 1, "rules:\n  pkce-disabled:\n    severity: error\n")
	c.waitDiagnostics(jcascURI, "manual-endpoints once the settings no longer turn it off", func(ds []diagnostic) bool { return hasRule(ds, "manual-endpoints") })
	// broken settings: shown at their place, the rest stays
	c.change(cfg, 2, "rules:\n  manual-endpoint: off\n")
	cd := c.waitDiagnostics(cfgURI, "the settings' error", func(ds []diagnostic) bool { return len(ds) > 0 })
	if cd[0].Severity != severityError || cd[0].Range.Start != (position{1, 2}) || !strings.Contains(cd[0].Message, `"manual-endpoints"`) {
		t.Errorf("settings error %+v", cd)
	}
	if !hasRule(c.diagnostics(jcascURI), "manual-endpoints") {
		t.Error("the other diagnostics went with the broken settings")
	}
	c.change(cfg, 3, "rules:\n  manual-endpoints: off\n")
	c.waitDiagnostics(cfgURI, "the settings' error to go", func(ds []diagnostic) bool { return len(ds) == 0 })
	c.waitDiagnostics(jcascURI, "manual-endpoints off again", func(ds []diagnostic) bool { return !hasRule(ds, "manual-endpoints") })
	c.shutdown()
}

// TestEmbeddedIgnore: the ignore action on JCasC embedded in Helm values
// writes the comment inside the block scalar, at the finding's indentation,
// and the engine honours it.
func TestEmbeddedIgnore(t *testing.T) {
	dir := copyTree(t, "workspace")
	values := filepath.Join(dir, "helm", "values.yaml")
	uri := pathToURI(values)
	c := startClient(t, dir, Options{}, nil)
	c.open(values, "yaml", 1, readFile(t, values))
	c.settle()
	d := withRule(c.diagnostics(uri), "insecure-url")
	if len(d) != 1 || d[0].Range.Start != (position{11, 51}) {
		t.Fatalf("insecure-url %+v", d)
	}
	actions := codeActionsAt(t, c, uri, d[0].Range)
	ignore := actionTitled(actions, "quickfix", "Ignore insecure-url")
	fix := actionTitled(actions, "quickfix", "")
	if ignore == nil || fix == nil {
		t.Fatalf("actions %+v", actions)
	}
	ignored := applyEdits(t, readFile(t, values), ignore.Edit.DocumentChanges[0].Edits, encUTF16)
	if !strings.Contains(ignored, "\n                  # jenkins-oidc-lint: ignore[insecure-url] "+ignoreReason+"\n                  wellKnownOpenIDConfigurationUrl:") {
		t.Errorf("ignore comment:\n%s", ignored)
	}
	c.change(values, 2, ignored)
	c.settle()
	if ds := c.diagnostics(uri); len(ds) != 0 {
		t.Errorf("after the ignore comment: %q", describe(ds))
	}
	// the fix (http → https) at the container's bytes
	fixed := applyEdits(t, readFile(t, values), fix.Edit.DocumentChanges[0].Edits, encUTF16)
	if want := cliFixed(t, dir, "helm/values.yaml", "insecure-url"); fixed != want {
		t.Errorf("fix:\n%s\nwant\n%s", fixed, want)
	}
	c.shutdown()
}

// TestDebounce: edits in quick succession make one run, of the last text.
func TestDebounce(t *testing.T) {
	dir := copyTree(t, "workspace")
	c := startClient(t, dir, Options{Debounce: 400 * time.Millisecond}, nil)
	c.settle()
	meta := filepath.Join(dir, "idp.openid-configuration.json")
	text := readFile(t, meta)
	c.open(meta, "json", 1, text)
	c.settle()
	c.mu.Lock()
	runs := len(c.runs)
	c.mu.Unlock()
	for v := 2; v <= 6; v++ {
		c.change(meta, v, strings.Replace(text, "realms/ci\"", fmt.Sprintf("realms/ci%d\"", v), 1))
	}
	c.settle()
	c.mu.Lock()
	n := len(c.runs) - runs
	c.mu.Unlock()
	if n != 1 {
		t.Errorf("%d runs for 5 quick edits, want 1", n)
	}
	ds := withRule(c.diagnostics(pathToURI(filepath.Join(dir, "casc", "jenkins.yaml"))), "issuer-mismatch")
	if len(ds) != 1 || !strings.Contains(ds[0].Message, "realms/ci6") {
		t.Errorf("issuer-mismatch after the edits: %+v", ds)
	}
	c.shutdown()
}

// TestDiskAndOutside: a file changed on disk (didChangeWatchedFiles) is
// linted again; the server asks to watch files when the client can register
// watchers; a document outside every workspace folder is linted in its own
// directory (or the nearest above with settings or .git), and its
// diagnostics go when it is closed; the fix-all action makes every fix of a
// file.
func TestDiskAndOutside(t *testing.T) {
	dir := copyTree(t, "workspace")
	outside := t.TempDir()
	writeFiles(t, outside, map[string]string{"lone/jenkins.yaml": "jenkins:\n  securityRealm:\n    oic:\n      clientId: \"\"\n      disableSslVerification: true\n      escapeHatchEnabled: true\n      wellKnownOpenIDConfigurationUrl: \"http://idp.example.com/.well-known/openid-configuration\"\n"})
	c := startClient(t, dir, Options{}, nil)
	c.settle()
	c.mu.Lock()
	registered := len(c.requests) == 1 && c.requests[0].Method == "client/registerCapability"
	c.mu.Unlock()
	if !registered {
		t.Errorf("no watcher registration: %+v", c.requests)
	}
	meta := filepath.Join(dir, "idp.openid-configuration.json")
	writeFiles(t, dir, map[string]string{"idp.openid-configuration.json": strings.Replace(readFile(t, meta), "realms/ci\"", "realms/CI\"", 1)})
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []map[string]any{{"uri": pathToURI(meta), "type": 2}}})
	jcascURI := pathToURI(filepath.Join(dir, "casc", "jenkins.yaml"))
	c.waitDiagnostics(jcascURI, "issuer-mismatch after the disk changed", func(ds []diagnostic) bool { return hasRule(ds, "issuer-mismatch") })

	lone := filepath.Join(outside, "lone", "jenkins.yaml")
	loneURI := pathToURI(lone)
	c.open(lone, "yaml", 1, readFile(t, lone))
	ds := c.waitDiagnostics(loneURI, "the lone file's findings", func(ds []diagnostic) bool { return hasRule(ds, "missing-client-id") })
	var fixable int
	for _, d := range ds {
		if a := actionTitled(codeActionsAt(t, c, loneURI, d.Range), "quickfix", ""); a != nil {
			fixable++
		}
	}
	var all []codeAction
	res := c.request("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": loneURI}, "range": lspRange{}, "context": map[string]any{"diagnostics": []any{}, "only": []string{"source.fixAll"}}})
	if err := json.Unmarshal(res, &all); err != nil || len(all) != 1 || all[0].Kind != "source.fixAll" || fixable < 2 {
		t.Fatalf("fix-all %s (%d quick fixes)", res, fixable)
	}
	fixed := applyEdits(t, readFile(t, lone), all[0].Edit.DocumentChanges[0].Edits, encUTF16)
	t.Chdir(filepath.Dir(lone))
	if want := cliFixedAll(t, "jenkins.yaml"); fixed != want {
		t.Errorf("fix-all:\n%s\nwant\n%s", fixed, want)
	}
	c.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": loneURI}})
	c.waitDiagnostics(loneURI, "the lone file's diagnostics to go", func(ds []diagnostic) bool { return len(ds) == 0 })
	c.shutdown()
}

// cliFixedAll is the file as --fix's first round leaves it.
func cliFixedAll(t *testing.T, path string) string {
	t.Helper()
	rep, err := lint.Run(lint.Options{Paths: []string{"."}})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out, err := lint.ApplyFixes(data, lint.Fixes(rep)[path])
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
