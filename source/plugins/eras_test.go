package plugins

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/parser"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/plugins/internal/erasgen"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

func eraByPath(t *testing.T, p string) *Era {
	t.Helper()
	eras, err := Eras()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range eras {
		if e.Path == p {
			return e
		}
	}
	t.Fatalf("no era %s", p)
	return nil
}

func TestEraTable(t *testing.T) {
	eras, err := Eras()
	if err != nil {
		t.Fatal(err)
	}
	per := map[string]int{}
	paths := map[string]bool{}
	for _, e := range eras {
		per[e.Plugin]++
		if paths[e.Path] {
			t.Errorf("era %s listed twice", e.Path)
		}
		paths[e.Path] = true
		if (e.Since != "" || e.AbsentThrough != "") && e.Before == "" && e.Plugin != "oic-auth" {
			t.Errorf("%s: an era with since needs `before` (what to write for older releases)", e.Path)
		}
		if (e.Until != "" || e.Deprecated != "") && e.After == "" {
			t.Errorf("%s: an era with until or deprecated needs `after`", e.Path)
		}
		for _, s := range e.Source {
			if !strings.HasPrefix(s, "jenkinsci/") {
				t.Errorf("%s: source %q does not name a repository", e.Path, s)
			}
		}
	}
	for _, id := range []string{"oic-auth", "role-strategy", "matrix-auth", "credentials", "oidc-provider"} {
		if per[id] == 0 {
			t.Errorf("no era for %s", id)
		}
		if PluginName(id) == "" {
			t.Errorf("no name for %s", id)
		}
	}
	if got := strings.Join(Judged(), ","); got != "credentials,matrix-auth,oic-auth,oidc-provider,role-strategy" {
		t.Errorf("Judged() = %s", got)
	}
}

func TestJudge(t *testing.T) {
	for _, tc := range []struct {
		path, version string
		want          Verdict
	}{
		{"jenkins.authorizationStrategy.globalMatrix|projectMatrix.entries", "3.1.10", NotYet},
		{"jenkins.authorizationStrategy.globalMatrix|projectMatrix.entries", "3.2", Accepted},
		{"jenkins.authorizationStrategy.globalMatrix|projectMatrix.entries", "3.2.8", Accepted},
		{"jenkins.authorizationStrategy.globalMatrix|projectMatrix.permissions[]", "2.6.11", NotYet},
		{"jenkins.authorizationStrategy.globalMatrix|projectMatrix.permissions[]", "3.0", Accepted},
		{"jenkins.authorizationStrategy.roleBased.roles.*[].entries", "587.588.v850a_20a_30162", NotYet},
		{"jenkins.authorizationStrategy.roleBased.roles.*[].entries", "657.v398b_8a_279c49", Accepted},
		{"jenkins.authorizationStrategy.roleBased.roles.*[].assignments", "3.2.0", Accepted},
		{"jenkins.authorizationStrategy.roleBased.roles.*[].assignments", "657.v398b_8a_279c49", Deprecated},
		{"jenkins.authorizationStrategy.roleBased.roles.*[].assignments", "898.vc050ed2424ca_", Deprecated},
		{"jenkins.securityRealm.oic.tokenServerUrl", "4.346.v10401f543622", Accepted},
		{"jenkins.securityRealm.oic.tokenServerUrl", "4.350.v347c3b_8b_9d95", Removed},
		{"jenkins.securityRealm.oic.serverConfiguration", "4.346.v10401f543622", NotYet},
		{"jenkins.securityRealm.oic.serverConfiguration", "4.350.v347c3b_8b_9d95", Accepted},
		{"jenkins.securityRealm.oic.disableTokenVerification", "4.524.v38858a_b_1c6a_4", Accepted},
		{"jenkins.securityRealm.oic.disableTokenVerification", "4.600.vd5a_61e076596", Deprecated},
		{"jenkins.securityRealm.oic.disableTokenVerification", "4.609.v9de140f63d01", Removed},
		{"jenkins.securityRealm.oic.pkceEnabled", "2.4", NotYet},
		{"jenkins.securityRealm.oic.pkceEnabled", "4.600.vd5a_61e076596", Removed},
		{"jenkins.securityRealm.oic.clientAuthentication", "4.715.vf202e4229f61", Absent},
		{"jenkins.securityRealm.oic.clientAuthentication", "4.600.vd5a_61e076596", Absent},
		{"jenkins.securityRealm.oic.clientAuthentication", "4.716.vabc", Accepted},
		{"jenkins.securityRealm.oic.userIdStrategy", "4.438.440.v3f5f201de5dc", NotYet},
		{"jenkins.securityRealm.oic.userIdStrategy", "4.453.v4d7765c854f4", Accepted},
		{"security.idToken", "18.v80b_cda_0cca_83", NotYet},
		{"security.idToken.tokenLifetime", "41.v3ea_ce9dfd6d2", NotYet},
		{"security.idToken.tokenLifetime", "47.v182a_02f5b_771", Accepted},
		{"credentials.system.domainCredentials[].credentials[].usernamePassword.usernameSecret", "2.4.1", NotYet},
		{"credentials.system.domainCredentials[].credentials[].usernamePassword.usernameSecret", "1087.v16065d268466", Accepted},
	} {
		if got := eraByPath(t, tc.path).Judge(tc.version); got != tc.want {
			t.Errorf("%s at %s: %v, want %v", tc.path, tc.version, got, tc.want)
		}
	}
}

func TestReadEras(t *testing.T) {
	in := `configuration-as-code:
  deprecated: warn
jenkins:
  securityRealm:
    oic:
      ServerConfiguration:
        manual:
          issuer: https://idp.example.com
      pkceEnabled: true
  authorizationStrategy:
    globalMatrix:
      entries: []
      permissions:
        - "USER:Overall/Read:alice"
        - "Overall/Read:authenticated"
        - GROUP:Overall/Administer:admins
    roleBased:
      permissionTemplates: []
      roles:
        global:
          - name: admin
            assignments: [alice]
            entries:
              - user: bob
        items:
          - name: dev
            templateName: t
credentials:
  system:
    domainCredentials:
      - credentials:
          - usernamePassword:
              usernameSecret: true
security:
  idToken:
    tokenLifetime: 60
`
	f := source.NewFile("jenkins.yaml", []byte(in))
	docs, ferr := tree.ParseYAML(f)
	if ferr != nil {
		t.Fatal(ferr)
	}
	d := ReadEras(f, docs[0])
	var b strings.Builder
	for _, k := range d.Keys {
		fmt.Fprintf(&b, "%d:%d-%d:%d %s\n", k.At.Line, k.At.Col, k.At.EndLine, k.At.EndCol, k.Era.Path)
	}
	want := `6:7-6:26 jenkins.securityRealm.oic.serverConfiguration
8:11-8:17 jenkins.securityRealm.oic.serverConfiguration.manual.issuer
9:7-9:18 jenkins.securityRealm.oic.pkceEnabled
12:7-12:14 jenkins.authorizationStrategy.globalMatrix|projectMatrix.entries
14:11-14:36 jenkins.authorizationStrategy.globalMatrix|projectMatrix.permissions[]
16:11-16:42 jenkins.authorizationStrategy.globalMatrix|projectMatrix.permissions[]
18:7-18:26 jenkins.authorizationStrategy.roleBased.permissionTemplates
22:13-22:24 jenkins.authorizationStrategy.roleBased.roles.*[].assignments
23:13-23:20 jenkins.authorizationStrategy.roleBased.roles.*[].entries
27:13-27:25 jenkins.authorizationStrategy.roleBased.roles.*[].templateName
33:15-33:29 credentials.system.domainCredentials[].credentials[].usernamePassword.usernameSecret
35:3-35:10 security.idToken
36:5-36:18 security.idToken.tokenLifetime
`
	if got := b.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if !d.DeprecatedWarn || d.UnknownWarn {
		t.Errorf("configuration-as-code: deprecated=%v unknown=%v", d.DeprecatedWarn, d.UnknownWarn)
	}
}

func TestReadErasBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("jenkins:\n  authorizationStrategy:\n    roleBased:\n      roles:\n        global: &r\n")
	for i := 0; i < 50; i++ {
		b.WriteString("          - {name: x, entries: [], assignments: []}\n")
	}
	b.WriteString("        items: *r\n        agents: *r\n")
	f := source.NewFile("j.yaml", []byte(b.String()))
	docs, ferr := tree.ParseYAML(f)
	if ferr != nil {
		t.Fatal(ferr)
	}
	if d := ReadEras(f, docs[0]); len(d.Keys) != 300 {
		t.Errorf("%d keys, want 300 (aliases repeat places)", len(d.Keys))
	}
	if d := ReadEras(f, nil); len(d.Keys) != 0 {
		t.Error("a nil root has no keys")
	}
}

// schemaEra is the @era attribute of one field of schema/realm.cue.
type schemaEra struct {
	since, until, deprecated string
	later, flat              bool
}

// readSchemaEras reads the @era attributes of #OicRealm and #manual from
// the repository's schema/realm.cue, keyed by their JCasC path.
func readSchemaEras(t *testing.T) map[string]schemaEra {
	t.Helper()
	src, err := os.ReadFile("../../schema/realm.cue")
	if err != nil {
		t.Fatal(err)
	}
	file, err := parser.ParseFile("realm.cue", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	prefix := map[string]string{
		"#OicRealm": "jenkins.securityRealm.oic.",
		"#manual":   "jenkins.securityRealm.oic.serverConfiguration.manual.",
	}
	out := map[string]schemaEra{}
	for _, decl := range file.Decls {
		def, ok := decl.(*ast.Field)
		if !ok {
			continue
		}
		name, _, _ := ast.LabelName(def.Label)
		p, ok := prefix[name]
		if !ok {
			continue
		}
		st, ok := def.Value.(*ast.StructLit)
		if !ok {
			continue
		}
		for _, el := range st.Elts {
			f, ok := el.(*ast.Field)
			if !ok {
				continue
			}
			fname, _, _ := ast.LabelName(f.Label)
			for _, a := range f.Attrs {
				key, body := a.Split()
				if key != "era" {
					continue
				}
				var e schemaEra
				for _, part := range strings.Split(body, ",") {
					k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
					v = strings.Trim(v, `"`)
					switch k {
					case "since":
						e.since = v
					case "until":
						e.until = v
					case "deprecated":
						e.deprecated = v
					case "later":
						e.later = true
					case "flat":
						e.flat = true
					}
				}
				out[p+fname] = e
			}
		}
	}
	if len(out) < 20 {
		t.Fatalf("read only %d @era attributes from schema/realm.cue", len(out))
	}
	return out
}

// TestErasAgreeWithSchema holds eras.json's oic-auth rows to the @era
// attributes of schema/realm.cue, the project's first record of the oic
// realm's eras. Where the release tags say more or otherwise, the row
// differs, and the difference is listed here with what the tags show.
func TestErasAgreeWithSchema(t *testing.T) {
	schema := readSchemaEras(t)
	// Differences verified against jenkinsci/oic-auth-plugin's tags
	// (OicSecurityRealm.java's @DataBoundConstructor and @DataBoundSetter
	// methods of each release). schema/realm.cue should follow them. (The
	// switches the schema dates deprecated=4.600, until=4.609 are refused
	// from 4.600 on in both: eras.json says until=4.600 because their
	// setters lost @DataBoundSetter there; only disableTokenVerification
	// stayed, @Deprecated, until 4.609.)
	differs := map[string]string{
		"escapeHatchSecret":       "still a @DataBoundSetter in every release through 4.715.vf202e4229f61: JCasC accepts it (the schema says until 4.609)",
		"issuerUri":               "no release has a JCasC attribute of that name",
		"clientAuthentication":    "in no release up to 4.715.vf202e4229f61 (the schema says 'after 4.600')",
		"clientAssertionFilePath": "in no release up to 4.715.vf202e4229f61 (the schema says 'after 4.600')",
		"avatarHandler":           "in no release up to 4.715.vf202e4229f61 (the schema says 'after 4.600')",
	}
	// Rows the schema has no @era for: facts of earlier releases, and a
	// key whose span the schema does not know.
	extra := map[string]bool{
		"rootURLFromRequest": true, "sendScopesInTokenRequest": true, "tokenExpirationCheckDisabled": true,
		"allowTokenAccessWithoutOicSession": true, "allowJWTBearerTokenAccess": true,
	}
	eras, err := Eras()
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]*Era{}
	for _, e := range eras {
		if e.Plugin == "oic-auth" {
			rows[e.Path] = e
		}
	}
	num := func(v string) string {
		if v == "" {
			return ""
		}
		return numericPrefix(v)
	}
	for p, s := range schema {
		key := p[strings.LastIndexByte(p, '.')+1:]
		e := rows[p]
		if e == nil {
			if _, ok := differs[key]; !ok {
				t.Errorf("schema/realm.cue has an era for %s, eras.json has none", p)
			}
			continue
		}
		// since: the same release (eras.json may date a key the schema
		// leaves open); the end: the first release that refuses the key
		agree := s.since == "" || !s.later && num(e.Since) == num(s.since)
		end, eEnd := s.until, e.Until
		if s.deprecated != "" {
			end = s.deprecated
		}
		if e.Deprecated != "" {
			eEnd = e.Deprecated
		}
		agree = agree && num(end) == num(eEnd) && e.AbsentThrough == ""
		if _, documented := differs[key]; agree == documented {
			if documented {
				t.Errorf("%s: listed as differing (%s) but agrees with the schema now: drop it from the list", key, differs[key])
			} else {
				t.Errorf("%s: eras.json (since %q, deprecated %q, until %q, absent through %q) and schema/realm.cue (%+v) disagree",
					key, e.Since, e.Deprecated, e.Until, e.AbsentThrough, s)
			}
		}
	}
	for p := range rows {
		key := p[strings.LastIndexByte(p, '.')+1:]
		if _, ok := schema[p]; !ok && !extra[key] {
			t.Errorf("eras.json has %s, which schema/realm.cue does not date: list it as extra", p)
		}
	}
}

func BenchmarkReadEras(b *testing.B) {
	src, err := os.ReadFile("../../testdata/examples/google/jenkins.yaml")
	if err != nil {
		b.Skip(err)
	}
	f := source.NewFile("jenkins.yaml", src)
	docs, ferr := tree.ParseYAML(f)
	if ferr != nil {
		b.Fatal(ferr)
	}
	b.ReportAllocs()
	for b.Loop() {
		ReadEras(f, docs[0])
	}
}

// TestErasGenerated: eras_gen.go is what go generate makes of eras.json,
// and holds what decoding eras.json gives (the generator's copy of Era has
// every field).
func TestErasGenerated(t *testing.T) {
	data, err := os.ReadFile("eras.json")
	if err != nil {
		t.Fatal(err)
	}
	want, err := erasgen.Source(data)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(erasgen.File)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs from what eras.json gives: run go generate ./source/plugins", erasgen.File)
	}
	var doc struct {
		Plugins map[string]string `json:"plugins"`
		Eras    []*Era            `json:"eras"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(erasRows, doc.Eras) {
		t.Error("erasRows differs from eras.json's eras")
	}
	plugins := map[string]string{}
	for _, p := range erasPlugins {
		plugins[p[0]] = p[1]
	}
	if !reflect.DeepEqual(plugins, doc.Plugins) {
		t.Errorf("erasPlugins %v, eras.json's plugins %v", plugins, doc.Plugins)
	}
}
