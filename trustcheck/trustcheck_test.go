package trustcheck_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/golden"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/lint"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/idtoken"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/trust"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/trustcheck"
)

func load(t *testing.T, paths ...string) *lint.Loaded {
	t.Helper()
	l := lint.Load(lint.Options{Paths: paths, Jobs: 2})
	for _, e := range l.Errors {
		t.Fatalf("load: %v", e)
	}
	return l
}

// The acme tree: a root credential for AWS and one for Vault, one without
// audience, a folder credential for GCP, and trusts of each kind (one with
// an issuer the tool cannot know).
func TestRunGolden(t *testing.T) {
	l := load(t, "testdata/acme")
	for _, tc := range []struct {
		name string
		req  trustcheck.Request
	}{
		{"app-main", trustcheck.Request{Job: "https://jenkins.acme.com/job/app/", Branch: "main"}},
		{"app-pr", trustcheck.Request{Job: "app", PR: "42", Credential: "aws"}},
		{"team-deploy", trustcheck.Request{Job: "https://jenkins.acme.com/job/team/job/deploy/"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := trustcheck.Run(l.WS.JCasC, l.WS.Trusts, []string{"testdata/acme"}, tc.req)
			if err != nil {
				t.Fatal(err)
			}
			var text, js bytes.Buffer
			if err := trustcheck.WriteText(&text, res); err != nil {
				t.Fatal(err)
			}
			if err := trustcheck.WriteJSON(&js, res); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, "testdata/golden/"+tc.name+".txt", text.Bytes())
			golden.Check(t, "testdata/golden/"+tc.name+".json", js.Bytes())
			var back map[string]any
			if err := json.Unmarshal(js.Bytes(), &back); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"controller", "job", "tokens", "verdict", "summary"} {
				if _, ok := back[k]; !ok {
					t.Errorf("JSON lacks %q", k)
				}
			}
		})
	}
}

func TestVerdicts(t *testing.T) {
	l := load(t, "testdata/acme")
	run := func(req trustcheck.Request) *trustcheck.Result {
		t.Helper()
		res, err := trustcheck.Run(l.WS.JCasC, l.WS.Trusts, nil, req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	// main may assume two AWS roles; the role of a branch the tool cannot
	// know leaves a check undecided
	if r := run(trustcheck.Request{Job: "app", Branch: "main"}); r.Verdict != trustcheck.VerdictUndecided || !r.Failed() {
		t.Errorf("app/main: %s %s", r.Verdict, r.Summary)
	}
	// team/deploy may assume the team's pool provider, and that role is
	// decided: its literal start is another job's
	if r := run(trustcheck.Request{Job: "team/deploy"}); r.Verdict != trustcheck.VerdictAccepted || r.Failed() {
		t.Errorf("team/deploy: %s %s", r.Verdict, r.Summary)
	}
	// a credential without audience: nothing accepts its token
	r := run(trustcheck.Request{Job: "app", Branch: "main", Credential: "no-audience"})
	if r.Verdict == trustcheck.VerdictAccepted {
		t.Errorf("no-audience: %s", r.Summary)
	}
	for _, tr := range r.Tokens[0].Trusts {
		if tr.Result == trustcheck.Accepts {
			t.Errorf("%s accepts a token without aud", tr.Name)
		}
	}
	// a folder credential outside its folder issues no token for the job
	r = run(trustcheck.Request{Job: "app", Credential: "team-gcp"})
	if r.Tokens[0].Fails == "" || r.Verdict == trustcheck.VerdictAccepted {
		t.Errorf("team-gcp outside team: %+v", r.Tokens[0])
	}
}

func TestRunErrors(t *testing.T) {
	l := load(t, "testdata/acme")
	for _, tc := range []struct {
		req  trustcheck.Request
		want string
	}{
		{trustcheck.Request{Job: "app", Credential: "nope"}, "--credential nope: no idToken or idTokenFile credential with that ID (defined: aws, vault, no-audience, team-gcp)"},
		{trustcheck.Request{Job: "https://jenkins.acme.com/"}, `--job "https://jenkins.acme.com/" names no job`},
	} {
		_, err := trustcheck.Run(l.WS.JCasC, l.WS.Trusts, nil, tc.req)
		var ue *trustcheck.UsageError
		if !errors.As(err, &ue) || !strings.Contains(ue.Msg, tc.want) {
			t.Errorf("%+v: err %v, want %q", tc.req, err, tc.want)
		}
	}
	if _, err := trustcheck.Run(nil, l.WS.Trusts, []string{"x"}, trustcheck.Request{Job: "app"}); err == nil || !strings.Contains(err.Error(), "no JCasC configuration found in x") {
		t.Errorf("no controller: %v", err)
	}
}

// Evaluate decides each check as the platform does.
func TestEvaluate(t *testing.T) {
	val := func(s string) trust.Value { return trust.Value{Text: s, Known: true} }
	tok := idtoken.Token{
		Iss:    idtoken.Claim{Name: "iss", Value: "https://ci/oidc", Known: true, Present: true},
		Aud:    idtoken.Claim{Name: "aud", Value: "vault", Known: true, Present: true},
		Claims: []idtoken.Claim{{Name: "sub", Value: "https://ci/job/a/", Known: true, Present: true}, {Name: "build_number", Value: "${BUILD_NUMBER}", Vars: []string{"BUILD_NUMBER"}, Present: true}},
	}
	vault := func(mod func(*trust.Trust)) *trust.Trust {
		t := &trust.Trust{Kind: trust.VaultJWTRole, Issuer: val("https://ci/oidc"), Audiences: []trust.Value{val("vault")}, AudienceOp: trust.OpEquals,
			Vault: &trust.VaultRole{RoleType: val("jwt")}}
		mod(t)
		return t
	}
	for name, tc := range map[string]struct {
		t    *trust.Trust
		want trust.Result
	}{
		"accepts": {vault(func(*trust.Trust) {}), trust.Holds},
		"role type default": {vault(func(t *trust.Trust) {
			t.Vault.RoleType, t.Vault.RoleTypeDefault = trust.Value{}, true
		}), trust.Fails},
		"no bound audiences, token has aud": {vault(func(t *trust.Trust) { t.Audiences = nil }), trust.Fails},
		"other issuer":                      {vault(func(t *trust.Trust) { t.Issuer = val("https://ci/oidc/") }), trust.Fails},
		"unknown issuer":                    {vault(func(t *trust.Trust) { t.Issuer = trust.Value{Text: "${var.x}"} }), trust.Unknowable},
		"glob on an unknown build number": {vault(func(t *trust.Trust) {
			t.Claims = []trust.Condition{{Claim: "build_number", Operator: trust.OpGlob, Values: []trust.Value{val("*")}}}
		}), trust.Holds},
		"equals on an unknown build number": {vault(func(t *trust.Trust) {
			t.Claims = []trust.Condition{{Claim: "build_number", Operator: trust.OpEquals, Values: []trust.Value{val("7")}}}
		}), trust.Unknowable},
		"a claim no template makes": {vault(func(t *trust.Trust) {
			t.Claims = []trust.Condition{{Claim: "job", Operator: trust.OpEquals, Values: []trust.Value{val("a")}}}
		}), trust.Fails},
		"IfExists on a claim no template makes": {vault(func(t *trust.Trust) {
			t.Claims = []trust.Condition{{Claim: "job", Operator: trust.OpEquals, IfExists: true, Values: []trust.Value{val("a")}}}
		}), trust.Holds},
		"sub pattern": {vault(func(t *trust.Trust) {
			t.Subject = []trust.Condition{{Claim: "sub", Operator: trust.OpGlob, Values: []trust.Value{val("https://ci/job/b/*"), val("https://ci/job/a/*")}}}
		}), trust.Holds},
		"sub excluded": {vault(func(t *trust.Trust) {
			t.Subject = []trust.Condition{{Claim: "sub", Operator: trust.OpNotLike, Values: []trust.Value{val("https://ci/job/*")}}}
		}), trust.Fails},
		"a condition the tool cannot read": {vault(func(t *trust.Trust) {
			t.Claims = []trust.Condition{{Operator: trust.OpUnknown, Values: []trust.Value{{Text: "a || b"}}}}
		}), trust.Unknowable},
	} {
		o := trustcheck.Evaluate(tc.t, tok)
		if o.Result != tc.want {
			t.Errorf("%s: %s, want %s (%+v)", name, o.Result, tc.want, o.Failed())
		}
	}
	// AWS: the provider's client IDs decide as well as the aud condition
	aws := &trust.Trust{Kind: trust.AWSRole, Issuer: val("https://ci/oidc"), Provider: &trust.Provider{Name: "p", ClientIDs: []trust.Value{val("sts.amazonaws.com")}}}
	if c := trustcheck.AudienceCheck(aws, tok.Aud); c.Result != trust.Fails || !strings.Contains(c.Message, "client IDs of OIDC provider p") {
		t.Errorf("AWS provider check: %+v", c)
	}
	aws.Provider = nil
	if c := trustcheck.AudienceCheck(aws, tok.Aud); c.Result != trust.Unknowable {
		t.Errorf("AWS without provider nor aud condition: %+v", c)
	}
	if c := trustcheck.AudienceCheck(aws, idtoken.Claim{}); c.Result != trust.Fails {
		t.Errorf("AWS, token without aud: %+v", c)
	}
}

func TestPair(t *testing.T) {
	l := load(t, "testdata/acme")
	ctls := trustcheck.Controllers(l.WS.JCasC)
	if len(ctls) != 1 {
		t.Fatalf("%d controllers", len(ctls))
	}
	var issuers []string
	for _, is := range ctls[0].Issuers() {
		issuers = append(issuers, is.Source+"="+is.Value.Text)
	}
	if got := strings.Join(issuers, " "); got != "root=https://jenkins.acme.com/oidc folder=https://jenkins.acme.com/oidc/job/team" {
		t.Errorf("issuers: %s", got)
	}
	for _, tc := range []struct {
		iss, want string
		exact     bool
	}{
		{"https://jenkins.acme.com/oidc", "https://jenkins.acme.com/oidc", true},
		{"https://jenkins.acme.com/oidc/job/team", "https://jenkins.acme.com/oidc/job/team", true},
		{"https://jenkins.acme.com/oidc/", "https://jenkins.acme.com/oidc", false},
		{"http://JENKINS.acme.com/oidc/job/team/", "https://jenkins.acme.com/oidc/job/team", false},
		{"https://jenkins.acme.com", "https://jenkins.acme.com/oidc", false},
		{"https://token.actions.githubusercontent.com", "", false},
	} {
		pr, ok := trustcheck.Pair(&trust.Trust{Issuer: trust.Value{Text: tc.iss, Known: true}}, ctls)
		if ok != (tc.want != "") || ok && (pr.Issuer.Value.Text != tc.want || pr.Exact != tc.exact) {
			t.Errorf("Pair(%s) = %v %q exact=%v", tc.iss, ok, pr.Issuer.Value.Text, pr.Exact)
		}
	}
	if _, ok := trustcheck.Pair(&trust.Trust{Issuer: trust.Value{Text: "${var.issuer}"}}, ctls); ok {
		t.Error("an unknown issuer pairs")
	}
}
