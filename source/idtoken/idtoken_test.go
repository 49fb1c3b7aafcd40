package idtoken

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/trust"
)

func read(t *testing.T, name string) *Controller {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	f := source.NewFile(name, data)
	docs, ferr := tree.ParseYAML(f)
	if ferr != nil {
		t.Fatal(ferr)
	}
	return Read(f, docs[0])
}

func sp(s trust.Span) string {
	if !s.IsValid() {
		return "-"
	}
	return fmt.Sprintf("%d:%d-%d:%d", s.Pos.Line, s.Pos.Col, s.End.Line, s.End.Col)
}

func val(v trust.Value) string {
	if !v.IsSet() {
		return "-"
	}
	q := ""
	if !v.Known {
		q = "?"
	}
	return fmt.Sprintf("%s%q@%s", q, v.Text, sp(v.Span))
}

func TestReadCredentials(t *testing.T) {
	c := read(t, "testdata/jenkins.yaml")
	var b strings.Builder
	fmt.Fprintf(&b, "root %s issuer %s\n", val(c.RootURL), val(c.Issuer))
	for _, cr := range c.Credentials {
		fmt.Fprintf(&b, "%s %s folder=%q domain=%q served=%v id=%s aud=%s override=%s iss=%s\n", cr.Kind, sp(cr.KindAt), cr.Folder, cr.Domain, !cr.NotServed(), val(cr.ID), val(cr.Audience), val(cr.Override), val(cr.Issuer))
	}
	for _, f := range c.Folders {
		fmt.Fprintf(&b, "folder %q %s issuer %s\n", f.FullName, sp(f.Where), val(f.Issuer))
	}
	want := `root "https://jenkins.acme.com"@3:10-3:34 issuer "https://jenkins.acme.com/oidc"@3:10-3:34
idToken 8:9-8:16 folder="" domain="" served=true id="aws"@9:15-9:18 aud="sts.amazonaws.com"@11:21-11:38 override=- iss="https://jenkins.acme.com/oidc"@3:10-3:34
idTokenFile 12:9-12:20 folder="" domain="" served=true id="gcp"@13:15-13:18 aud="//iam.googleapis.com/projects/12345678/locations/global/workloadIdentityPools/jenkins/providers/static"@15:21-15:123 override=- iss="https://jenkins.acme.com/oidc"@3:10-3:34
idToken 16:9-16:16 folder="" domain="" served=true id="external"@17:15-17:23 aud=- override="https://issuer.acme.com/jenkins"@18:19-18:50 iss="https://issuer.acme.com/jenkins"@18:19-18:50
idToken 25:9-25:16 folder="" domain="deploy" served=false id="in-a-domain"@26:15-26:26 aud=- override=- iss="https://jenkins.acme.com/oidc"@3:10-3:34
idToken 36:19-36:26 folder="oidc-folder" domain="" served=true id="id-token"@37:24-37:34 aud="vault"@39:30-39:37 override=- iss="https://jenkins.acme.com/oidc/job/oidc-folder"@3:10-3:34
idTokenFile 54:19-54:30 folder="oidc-folder/team a" domain="" served=true id="deep"@54:36-54:42 aud=- override=- iss="https://jenkins.acme.com/oidc/job/oidc-folder/job/team%20a"@3:10-3:34
folder "oidc-folder" 29:15-29:26 issuer "https://jenkins.acme.com/oidc/job/oidc-folder"@29:15-29:26
folder "oidc-folder/team a" 47:15-47:33 issuer "https://jenkins.acme.com/oidc/job/oidc-folder/job/team%20a"@47:15-47:33
`
	if got := b.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if len(c.Config.Problems) != 0 {
		t.Errorf("problems: %v", c.Config.Problems)
	}
	// default templates: sub is the job URL, ending in /
	tok := c.Claims(c.Credentials[0], ParseJob("https://jenkins.acme.com/job/app/", "", "42"))
	if got := fmt.Sprint(tok.Iss.Value, " ", tok.Aud.Value, " ", tok.Claims); !strings.Contains(got, `https://jenkins.acme.com/oidc sts.amazonaws.com [{sub https://jenkins.acme.com/job/app/job/PR-42/ true [] true string`) {
		t.Errorf("claims: %s", got)
	}
	if n, _ := tok.Claim("build_number"); n.Known || n.Vars[0] != "BUILD_NUMBER" || n.Value != "${BUILD_NUMBER}" {
		t.Errorf("build_number: %+v", n)
	}
	if tok.Fails != "" {
		t.Errorf("fails: %s", tok.Fails)
	}
	deep := c.Claims(c.Credentials[5], ParseJob("oidc-folder/team a/app", "main", ""))
	if s, _ := deep.Claim("sub"); s.Value != "https://jenkins.acme.com/job/oidc-folder/job/team%20a/job/app/job/main/" || deep.Aud.Present {
		t.Errorf("deep: %+v", deep)
	}
}

func TestTemplates(t *testing.T) {
	c := read(t, "testdata/templates.yaml")
	if c.Issuer.Text != "https://ci.example.com/jenkins/oidc" {
		t.Errorf("issuer %q", c.Issuer.Text)
	}
	var got []string
	for _, p := range c.Config.Problems {
		got = append(got, p.String())
	}
	want := []string{
		`testdata/templates.yaml:23:15: buildClaimTemplates: ${BRANCH_NAME} in a claim template's format is resolved by JCasC when it loads, not by the plugin per build; write ^${BRANCH_NAME}`,
		`testdata/templates.yaml:24:13: buildClaimTemplates: claim aud is set by the plugin; a template for it makes every token fail ("An id token claim template must not specify aud")`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	tok := c.Claims(&Credential{Issuer: c.Issuer}, Job{FullName: []string{"a", "b"}, BuildNumber: "7", Branch: "b"})
	var cl []string
	for _, x := range tok.Claims {
		cl = append(cl, fmt.Sprintf("%s=%s(%s,%v)", x.Name, x.Value, x.Type, x.Known))
	}
	if got, want := strings.Join(cl, " "), "sub=a/b(string,true) ok=true(boolean,true) num=7(integer,true) branch=${BRANCH_NAME}(string,false) aud=x(string,true) node=${NODE_NAME}(integer,false)"; got != want {
		t.Errorf("claims %s\nwant   %s", got, want)
	}
	if tok.Fails != "a claim template sets aud" {
		t.Errorf("fails %q", tok.Fails)
	}
}

func TestRootIssuer(t *testing.T) {
	for _, tc := range []struct{ url, want string }{
		{"https://ci.example.com", "https://ci.example.com/oidc"},
		{"https://ci.example.com/", "https://ci.example.com/oidc"},
		{"https://ci.example.com/jenkins", "https://ci.example.com/jenkins/oidc"},
	} {
		if got := RootIssuer(trust.Value{Text: tc.url, Known: true}).Text; got != tc.want {
			t.Errorf("RootIssuer(%q) = %q, want %q", tc.url, got, tc.want)
		}
	}
	if v := RootIssuer(trust.Value{}); v.Known {
		t.Errorf("no root URL: %+v", v)
	}
	if got := FolderURI("a b/ü/x%y"); got != "/job/a%20b/job/%C3%BC/job/x%25y" {
		t.Errorf("FolderURI = %q", got)
	}
	if j := ParseJob("https://ci/job/a%20b/job/c/", "", ""); strings.Join(j.FullName, "|") != "a b|c" || j.URL() != "job/a%20b/job/c/" {
		t.Errorf("ParseJob: %+v", j)
	}
}
