package inventory_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"time"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/inventory"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/inventory/inventorytest"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/lint"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry"
)

// collect writes the fixture and builds its inventory at the fixture's now.
func collect(t *testing.T, keystore []byte, st expiry.Settings) (*inventorytest.Fixture, *inventory.Inventory) {
	t.Helper()
	fx, err := inventorytest.Write(t.TempDir(), keystore)
	if err != nil {
		t.Fatal(err)
	}
	l := lint.Load(lint.Options{Paths: []string{fx.Dir}, Jobs: 2})
	for _, e := range l.Errors {
		t.Errorf("load: %v", e)
	}
	st.Now = inventorytest.Now
	uses := []inventory.Use{
		{ID: "registry", Path: fx.Dir + "/casc/Jenkinsfile", Line: 4, Col: 32},
		{ID: "slack-token", Path: fx.Dir + "/casc/Jenkinsfile", Line: 9, Col: 55},
	}
	inv, errs := inventory.Collect(l.WS, inventory.Options{Settings: st, Uses: uses})
	for _, e := range errs {
		t.Errorf("collect: %v", e)
	}
	return fx, inv
}

func TestCollect(t *testing.T) {
	fx, inv := collect(t, nil, expiry.Settings{})
	var got []string
	for _, r := range inv.Rows {
		exp := "-"
		if r.Expires != nil {
			st, days := inv.Status(r)
			exp = expiry.FormatDate(r.Expires.Date) + " " + r.Expires.From + " " + st + " " + itoa(days)
		}
		rot := "-"
		if r.Rotated != nil {
			rot = expiry.FormatDate(r.Rotated.Date) + " " + r.Rotated.From
		}
		path := strings.TrimPrefix(r.Path, fx.Dir+"/")
		got = append(got, strings.Join([]string{path + ":" + itoa(r.Line) + ":" + itoa(r.Column), r.ID, r.Kind, string(r.Source), r.Reference,
			map[bool]string{true: "rotatable", false: "commit"}[r.Rotatable], r.Field, exp, rot, itoa(len(r.Pipelines))}, " | "))
	}
	want := []string{
		"casc/jenkins.yaml:6:21 | oic.clientSecret | oic | environment | ${OIDC_CLIENT_SECRET} | rotatable | clientSecret | - | 2026-01-10 annotation | 0",
		"casc/jenkins.yaml:13:21 | oic.escapeHatchSecret | oic | literal |  | commit | properties.escapeHatch.secret | - | - | 0",
		"casc/jenkins.yaml:24:19 | slack-token | string | literal |  | commit | secret | - | - | 1",
		"casc/jenkins.yaml:29:19 | registry | usernamePassword | secret-file | ${readFile:/run/secrets/registry-password} | rotatable | password | 2026-07-01 annotation expiring 11 | - | 1",
		"casc/jenkins.yaml:33:19 | encrypted-token | string | encrypted |  | commit | secret | - | - | 0",
		"casc/jenkins.yaml:36:19 | defaulted | string | literal-default |  | commit | secret | - | - | 0",
		"casc/jenkins.yaml:39:19 | vault-token | vaultStringCredentialImpl | vault | secret/ci/token | rotatable | path | - | - | 0",
		"casc/jenkins.yaml:43:19 | aws-token | string | aws-secrets-manager | ${aws:secretsmanager:ci/token} | rotatable | secret | - | - | 0",
		"casc/jenkins.yaml:46:19 | docker-tls | dockerServer | environment | ${DOCKER_CLIENT_KEY} | rotatable | clientKeySecret | 2026-07-01 13:00 UTC certificate expiring 12 | - | 0",
		"casc/jenkins.yaml:61:19 | deploy-jwt | string | literal |  | commit | secret | 2026-06-01 12:00 UTC jwt expired -18 | - | 0",
		"casc/jenkins.yaml:64:19 | aws-oidc | idToken | id-token |  | rotatable |  | - | - | 0",
		"casc/jenkins.yaml:67:19 | aws-keys | aws | environment | ${AWS_SECRET_ACCESS_KEY} | rotatable | secretKey | - | - | 0",
		"helm/values.yaml:9:29 | oic.clientSecret | oic | literal |  | commit | clientSecret | - | - | 0",
		"helm/values.yaml:18:27 | helm-token | string | secret-file | ${readFile:/run/secrets/additional/helm-token} | rotatable | secret | - | - | 0",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(inv.Controllers) != 2 || inv.Controllers[0].Name != fx.Dir+"/casc" || inv.Controllers[1].Name != fx.Dir+"/helm/values.yaml" {
		t.Errorf("controllers: %+v", inv.Controllers)
	}
	var stores []string
	for _, s := range inv.Controllers[0].Stores {
		stores = append(stores, string(s.Source)+": "+s.Evidence)
	}
	if strings.Join(stores, "\n") != `vault: credential "vault-token" (secret/ci/token)
aws-secrets-manager: credential "aws-token" (${aws:secretsmanager:ci/token})
secret-file: credential "registry" (${readFile:/run/secrets/registry-password})` {
		t.Errorf("stores:\n%s", strings.Join(stores, "\n"))
	}
	if r := inv.Rows[8]; len(r.Notes) != 1 || r.Notes[0] != `its certificate "CN=docker.example.com" (clientCertificate) is written in the file: renewing it needs a commit` {
		t.Errorf("docker-tls notes: %q", r.Notes)
	}
	if r := inv.Rows[10]; r.Lifetime.Minutes() != 15 {
		t.Errorf("id token lifetime: %v", r.Lifetime)
	}
	if !inv.RotationDue(inv.Rows[0]) || inv.RotationDue(inv.Rows[3]) {
		t.Error("rotation due: want the client secret (rotated 2026-01-10, max-age 90 days) only")
	}
}

// TestDeclared: the settings' secrets: entries and --max-secret-age.
func TestDeclared(t *testing.T) {
	st := expiry.Settings{
		MaxAge: 30 * expiry.Day,
		Declared: []expiry.Declared{
			{ID: "slack-token", Expires: day("2026-06-25"), Rotated: day("2026-01-01"), Pos: report.Position{Path: ".jenkins-oidc-lint.yaml", Line: 3}},
			{ID: "registry", Expires: day("2026-12-31"), MaxAge: 365 * expiry.Day},
			{ID: "docker-tls", Expires: day("2027-01-01")},
		},
	}
	_, inv := collect(t, nil, st)
	byID := map[string]*inventory.Row{}
	for _, r := range inv.Rows {
		byID[r.ID] = r
	}
	r := byID["slack-token"]
	if r.Expires == nil || r.Expires.From != "declared" || r.Expires.What != "declared at .jenkins-oidc-lint.yaml:3" ||
		r.Rotated == nil || r.Rotated.From != "declared" || r.MaxAge != 30*expiry.Day || !inv.RotationDue(r) {
		t.Errorf("slack-token: %+v %+v %+v", r, r.Expires, r.Rotated)
	}
	// the annotation (2026-07-01) is earlier than the declared 2026-12-31
	if r := byID["registry"]; r.Expires.From != "annotation" || r.MaxAge != 365*expiry.Day {
		t.Errorf("registry: %+v %+v", r, r.Expires)
	}
	// the certificate expires before the declared date: it decides
	if r := byID["docker-tls"]; r.Expires.From != "certificate" {
		t.Errorf("docker-tls: %+v", r.Expires)
	}
}

func day(s string) time.Time {
	t, err := expiry.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestFormats renders the fixture in every format: JSON validates against
// testdata/inventory.schema.json, CSV parses with a header and one record
// per secret, Markdown has one table row per secret, and no format shows a
// planted secret.
func TestFormats(t *testing.T) {
	fx, inv := collect(t, nil, expiry.Settings{LineChanged: func(path string, line int) (expiry.Change, bool) {
		return expiry.Change{Commit: strings.Repeat("ab", 20), Date: day("2025-11-02")}, true
	}})
	outs := map[string]string{}
	for _, f := range inventory.Formats {
		var b bytes.Buffer
		if err := inventory.Write(&b, f, inv); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		outs[f] = b.String()
		if leaks := fx.Leaks(b.String()); len(leaks) > 0 {
			t.Errorf("%s shows planted secrets: %q", f, leaks)
		}
	}
	if err := inventory.Write(io.Discard, "yaml", inv); err == nil {
		t.Error("unknown format: no error")
	}

	sch := compileSchema(t)
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(outs["json"]))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(v); err != nil {
		t.Errorf("json does not match the schema: %v", err)
	}
	var doc struct {
		Secrets []struct {
			ID         string `json:"id"`
			Source     string `json:"source"`
			LastChange *struct {
				Commit string `json:"commit"`
			} `json:"lastChange"`
			Rotated *struct {
				From string `json:"from"`
			} `json:"rotated"`
		} `json:"secrets"`
		Summary struct {
			Secrets  int            `json:"secrets"`
			BySource map[string]int `json:"bySource"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(outs["json"]), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Summary.Secrets != 14 || len(doc.Secrets) != 14 || doc.Summary.BySource["literal"] != 4 {
		t.Errorf("json summary: %+v", doc.Summary)
	}
	// a value in the file: git's date is its rotation; a reference: not
	if s := doc.Secrets[2]; s.ID != "slack-token" || s.Rotated == nil || s.Rotated.From != "git" || s.LastChange == nil {
		t.Errorf("slack-token: %+v", s)
	}
	if s := doc.Secrets[3]; s.ID != "registry" || s.Rotated != nil || s.LastChange == nil {
		t.Errorf("registry: %+v", s)
	}

	recs, err := csv.NewReader(strings.NewReader(outs["csv"])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 15 || recs[0][0] != "controller" || recs[0][len(recs[0])-1] != "notes" || recs[4][1] != "registry" || recs[4][10] != "secret-file" ||
		recs[4][15] != "expiring" || recs[4][24] != fx.Dir+"/casc/Jenkinsfile:4:32" {
		t.Errorf("csv:\n%s", outs["csv"])
	}

	if n := strings.Count(outs["markdown"], "\n| "); n != 14+2 {
		t.Errorf("markdown has %d table lines, want 16:\n%s", n, outs["markdown"])
	}
	if !strings.Contains(outs["text"], "14 secret(s) in 2 controller(s): 8 rotatable without a commit, 6 in files, 1 expired, 2 expiring within 30 days, 1 due for rotation (as of 2026-06-19)") {
		t.Errorf("text summary:\n%s", outs["text"])
	}
}

// TestHostileNames: control characters, bidi overrides, Markdown and CSV
// formula syntax in IDs and descriptions are escaped or defused.
func TestHostileNames(t *testing.T) {
	inv := &inventory.Inventory{Now: inventorytest.Now, Window: expiry.DefaultWindow,
		Controllers: []*inventory.Controller{{Name: "c\x1b[31m"}},
		Rows: []*inventory.Row{{Controller: "c\x1b[31m", ID: "=HYPERLINK(\"http://x\")|a\u202e", Kind: "string", Description: "<img src=x>",
			Path: "j.yaml", Line: 1, Column: 1, Source: inventory.Literal}}}
	for _, f := range inventory.Formats {
		var b bytes.Buffer
		if err := inventory.Write(&b, f, inv); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if strings.ContainsAny(out, "\x1b\u202e") {
			t.Errorf("%s: a raw control character:\n%q", f, out)
		}
		switch f {
		case "csv":
			if !strings.Contains(out, `'=HYPERLINK`) {
				t.Errorf("csv: formula not defused:\n%s", out)
			}
		case "markdown":
			if strings.Contains(out, `"http://x")|a`) || strings.Contains(out, "<img") {
				t.Errorf("markdown: cell not escaped:\n%s", out)
			}
		}
	}
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "inventory.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("file:///inventory.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("file:///inventory.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}
