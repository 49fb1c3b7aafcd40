package trust

import (
	"flag"
	"path"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/golden"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

var show = flag.Bool("show", false, "print what each case reads")

var fixtureDirs = []string{"policy", "cfn", "tf/aws", "tf/gcp", "tf/vault", "tf/azure", "tf/helm"}

// TestReadTestdata reads each directory of testdata (real-shaped files:
// the oidc-provider plugin's README examples as JSON, CloudFormation and
// Terraform) and compares every fact and place with testdata/golden.
func TestReadTestdata(t *testing.T) {
	for _, dir := range fixtureDirs {
		t.Run(dir, func(t *testing.T) {
			got := dump(readDir(t, "testdata/"+dir))
			if *show {
				t.Log("\n" + got)
			}
			golden.Check(t, "testdata/golden/"+strings.ReplaceAll(dir, "/", "-")+".txt", []byte(got))
		})
	}
}

// TestRead is the table of small cases: each file's dump, exact places
// included.
func TestRead(t *testing.T) {
	for _, tc := range readCases {
		t.Run(tc.name, func(t *testing.T) {
			f := source.NewFile(tc.file, []byte(tc.src))
			d, ferr := Read(f)
			if ferr != nil {
				got := ferr.Pos.String() + ": " + ferr.Message + "\n"
				if got != tc.want {
					t.Errorf("got error\n%s\nwant\n%s", got, tc.want)
				}
				return
			}
			if d != nil {
				checkPlaces(t, f, d)
			}
			Link([]*Doc{d})
			got := dump([]*Doc{d})
			if d != nil {
				got = strings.TrimPrefix(got, d.Path+" ("+d.Format.String()+")\n")
			}
			if *show {
				t.Log("\n" + got)
			}
			if got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

type readCase struct{ name, file, src, want string }

var readCases = []readCase{
	{"hcl-escapes", "main.tf", `resource "azuread_application_federated_identity_credential" "x" {
  issuer    = "https://ci.example.com/oidc"
  subject   = "https://ci.example.com/job/a\"b/"
  audiences = ["api://AzureADTokenExchange"]
}
`, `  azuread_application_federated_identity_credential.x [Azure federated identity credential] 1:1-5:2
    issuer "https://ci.example.com/oidc"!@2:15-2:44
    aud equals ["api://AzureADTokenExchange"!@4:16-4:44]
    sub "subject"!@3:3-3:10 equals ["https://ci.example.com/job/a\"b/"@3:15-3:49]
`},
	{"hcl-unicode-columns", "main.tf", `resource "azurerm_federated_identity_credential" "x" {
  subject  = "https://jénkins.example/job/déploy/"
  issuer   = "https://jénkins.example/oidc"
  audience = ["api://AzureADTokenExchange"]
}
`, `  azurerm_federated_identity_credential.x [Azure federated identity credential] 1:1-5:2
    issuer "https://jénkins.example/oidc"!@3:14-3:44
    aud equals ["api://AzureADTokenExchange"!@4:15-4:43]
    sub "subject"!@2:3-2:10 equals ["https://jénkins.example/job/déploy/"!@2:14-2:51]
`},
	{"hcl-crlf-heredoc", "main.tf", "resource \"aws_iam_role\" \"r\" {\r\n  assume_role_policy = <<EOF\r\n{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRoleWithWebIdentity\",\r\n \"Principal\": {\"Federated\": \"arn:aws:iam::1:oidc-provider/ci.example.com/oidc\"},\r\n \"Condition\": {\"StringEquals\": {\"ci.example.com/oidc:sub\": \"https://ci.example.com/job/x/\"}}}}\r\nEOF\r\n}\r\n", `  aws_iam_role.r [AWS IAM role] 1:1-7:2
    principal "arn:aws:iam::1:oidc-provider/ci.example.com/oidc"!@4:29-4:79
    issuer "https://ci.example.com/oidc"@4:29-4:79
    sub "ci.example.com/oidc:sub"!@5:33-5:58 equals(StringEquals) ["https://ci.example.com/job/x/"!@5:60-5:91]
`},
	{"hcl-tab-flush-heredoc", "main.tf", `resource "aws_iam_role" "r" {
	assume_role_policy = <<-EOF
		{"Statement": {"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
		 "Principal": {"Federated": "arn:aws:iam::1:oidc-provider/ci.example.com/oidc"},
		 "Condition": {"StringEquals": {"ci.example.com/oidc:sub": "https://ci.example.com/job/$${x}/"}}}}
	EOF
}
`, `  aws_iam_role.r [AWS IAM role] 1:1-7:2
    principal "arn:aws:iam::1:oidc-provider/ci.example.com/oidc"!@4:31-4:81
    issuer "https://ci.example.com/oidc"@4:31-4:81
    sub "ci.example.com/oidc:sub"!@5:35-5:60 equals(StringEquals) ["https://ci.example.com/job/${x}/"@5:62-5:97]
`},
	{"hcl-jsonencode-unknowns", "main.tf", `resource "aws_iam_role" "r" {
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Action    = ["sts:AssumeRoleWithWebIdentity"]
      Principal = { Federated = "arn:aws:iam::${var.account}:oidc-provider/${var.host}/oidc" }
      Condition = { StringLike = { "${var.host}/oidc:sub" = var.subjects } }
    }]
  })
}
`, `  aws_iam_role.r [AWS IAM role] 1:1-10:2
    principal ?"arn:aws:iam::${var.account}:oidc-provider/${var.host}/oidc"@6:33-6:93
    issuer ?"https://${var.host}/oidc"@6:33-6:93
    sub ?"${var.host}/oidc:sub"@7:36-7:58 like(StringLike) [?"${var.subjects}"@7:61-7:73 ref=var.subjects]
`},
	{"hcl-policy-expression", "main.tf", `resource "aws_iam_role" "r" {
  assume_role_policy = templatefile("${path.module}/trust.json.tpl", { host = var.host })
}

resource "aws_iam_role" "missing" {
  assume_role_policy = data.aws_iam_policy_document.elsewhere.json
}

data "aws_iam_policy_document" "d" {
  dynamic "statement" {
    for_each = var.jobs
    content {
      actions = ["sts:AssumeRoleWithWebIdentity"]
    }
  }
}
`, `  note 2:24 aws_iam_role.r.assume_role_policy not read: built by an expression the tool does not evaluate
  note 10:3 data.aws_iam_policy_document.d: a dynamic statement block is not read
  note 6:24 aws_iam_role.missing: its trust policy data.aws_iam_policy_document.elsewhere is not in the files read
`},
	{"hcl-invalid", "main.tf", `resource "aws_iam_role" "r" {
  name = "x
}
`, `main.tf:2:12: invalid HCL: Invalid multi-line string: Quoted strings may not be split over multiple lines. To produce a multi-line string, either use the \n escape to represent a newline character or use the "heredoc" multi-line template syntax.
`},
	{"vault-defaults", "main.tf", `resource "vault_jwt_auth_backend" "jwt" {
  oidc_discovery_url = "https://ci.example.com/oidc"
}

resource "vault_jwt_auth_backend_role" "r" {
  role_name       = "deploy"
  bound_audiences = []
  bound_claims    = { job = "deploy,release" }
}
`, `  vault_jwt_auth_backend_role.r [Vault JWT role] 5:1-9:2
    issuer "https://ci.example.com/oidc"!@2:24-2:53
    aud equals []
    claim "job" "job"!@8:23-8:26 equals ["deploy"!@8:30-8:36, "release"!@8:37-8:44]
    vault backend=- role_type=- default=true user_claim=-
      auth vault_jwt_auth_backend.jwt
  vault_jwt_auth_backend.jwt [vault backend] 1:1-3:2
    path - discovery "https://ci.example.com/oidc"!@2:24-2:53 bound_issuer -
`},
	{"gcp-cel-escapes", "main.tf", `resource "google_iam_workload_identity_pool_provider" "p" {
  workload_identity_pool_id          = "jenkins"
  workload_identity_pool_provider_id = "ci"
  attribute_mapping                  = { "google.subject" = "assertion.sub", "attribute.branch" = "assertion.branch + '!'" }
  attribute_condition                = "assertion.sub == \"https://ci.example.com/job/x/\" && attribute.branch != 'main' && 'admins' in assertion.groups && assertion.sub.matches('^https://ci[.]example[.]com/job/x/') && size(assertion.sub) > 3"
  oidc {
    issuer_uri        = "https://ci.example.com/oidc"
    allowed_audiences = var.audiences
  }
}
`, `  google_iam_workload_identity_pool_provider.p [GCP workload identity pool provider] 1:1-10:2
    issuer "https://ci.example.com/oidc"!@7:25-7:54
    aud equals [?"${var.audiences}"@8:25-8:38 ref=var.audiences]
    sub "assertion.sub"@5:41-5:54 equals(==) ["https://ci.example.com/job/x/"@5:58-5:91]
    sub "assertion.sub"@5:157-5:170 regex(matches) ["^https://ci[.]example[.]com/job/x/"!@5:179-5:215]
    claim "" "attribute.branch"@5:95-5:111 not-equals(!=) ["main"!@5:115-5:121]
    claim "groups" "assertion.groups"@5:137-5:153 contains(in) ["admins"!@5:125-5:133]
    claim "" - unknown [?"size(assertion.sub) > 3"@5:220-5:243]
    gcp pool="jenkins"!@2:40-2:49 provider="ci"!@3:40-3:44
      map "google.subject"!@4:42-4:58 = "assertion.sub"!@4:61-4:76 claim="sub"
      map "attribute.branch"!@4:78-4:96 = "assertion.branch + '!'"!@4:99-4:123 claim=""
`},
	{"iam-operators", "trust.json", `{"Statement": [
 {"Effect": "Deny", "Principal": {"Federated": "arn:aws:iam::1:oidc-provider/ci.example.com/oidc"}, "Action": "sts:AssumeRoleWithWebIdentity"},
 {"Effect": "Allow", "Principal": {"Federated": ["arn:aws:iam::1:oidc-provider/ci.example.com/oidc", "arn:aws:iam::1:saml-provider/idp"]},
  "Action": "sts:*",
  "Condition": {
   "ForAnyValue:StringLike": {"ci.example.com/oidc:amr": "x*"},
   "StringLikeIfExists": {"ci.example.com/oidc:sub": "https://ci.example.com/job/*"},
   "StringNotLike": {"ci.example.com/oidc:sub": "*/PR-*"},
   "Null": {"ci.example.com/oidc:aud": "false"},
   "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}
  }}
]}
`, `  Statement[1] [AWS IAM role] 3:2-11:5
    principal "arn:aws:iam::1:oidc-provider/ci.example.com/oidc"!@3:50-3:100
    issuer "https://ci.example.com/oidc"@3:50-3:100
    sub "ci.example.com/oidc:sub"!@7:27-7:52 like(StringLikeIfExists) if-exists ["https://ci.example.com/job/*"!@7:54-7:84]
    sub "ci.example.com/oidc:sub"!@8:22-8:47 not-like(StringNotLike) ["*/PR-*"!@8:49-8:57]
    claim "amr" "ci.example.com/oidc:amr"!@6:31-6:56 like(ForAnyValue:StringLike) ["x*"!@6:58-6:62]
    claim "aud" "ci.example.com/oidc:aud"!@9:13-9:38 unknown(Null) ["false"!@9:40-9:47]
    claim "" "aws:SourceIp"!@10:18-10:32 unknown(IpAddress) ["10.0.0.0/8"!@10:34-10:46]
`},
	{"cfn-sub-json-string", "template.yaml", `Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: !Sub |
        {"Statement": {"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
          "Principal": {"Federated": "arn:aws:iam::${AWS::AccountId}:oidc-provider/${Host}/oidc"},
          "Condition": {"StringEquals": {"${Host}/oidc:sub": "https://${Host}/job/${!literal}/"}}}}
`, `  Resources.Role [AWS IAM role] 2:3-5:39
    principal ?"arn:aws:iam::${AWS::AccountId}:oidc-provider/${Host}/oidc"@7:38-7:97
    issuer ?"https://${Host}/oidc"@7:38-7:97
    sub ?"${Host}/oidc:sub"@8:42-8:60 equals(StringEquals) [?"https://${Host}/job/${literal}/"@8:62-8:96]
`},
	{"cfn-long-forms", "template.json", `{"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": [{
  "Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
  "Principal": {"Federated": {"Fn::Sub": ["arn:aws:iam::${AWS::AccountId}:oidc-provider/${H}", {"H": "ci.example.com/oidc"}]}},
  "Condition": {"StringEquals": {"ci.example.com/oidc:sub": {"Fn::If": ["Prod", "https://ci.example.com/job/prod/", "https://ci.example.com/job/dev/"]}}}
}]}}}}}
`, `  Resources.Role [AWS IAM role] 1:16-5:6
    principal ?"arn:aws:iam::${AWS::AccountId}:oidc-provider/ci.example.com/oidc"@3:30-3:126
    issuer "https://ci.example.com/oidc"@3:30-3:126
    sub "ci.example.com/oidc:sub"!@4:34-4:59 equals(StringEquals) [?"${Fn::If}"@4:61-4:152]
`},
}

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		op      Operator
		pattern string
		s       string
		want    bool
	}{
		{OpLike, "https://ci/job/app/*", "https://ci/job/app/job/PR-42/", true},
		{OpLike, "https://ci/job/app/*", "https://ci/job/app", false},
		{OpLike, "https://ci/job/a?p/", "https://ci/job/app/", true},
		{OpLike, "*", "", true},
		{OpLike, "a*b*c", "axxbyyc", true},
		{OpLike, "a*b*c", "axxbyy", false},
		{OpGlob, "https://ci/job/a?p/", "https://ci/job/app/", false},
		{OpGlob, "https://ci/job/*/", "https://ci/job/x/job/y/", true},
		{OpEquals, "a", "a", true},
		{OpEqualsIgnoreCase, "ABC", "abc", true},
		{OpPrefix, "https://ci/job/", "https://ci/job/x/", true},
		{OpSuffix, "/x/", "https://ci/job/x/", true},
		{OpContains, "job/x", "https://ci/job/x/", true},
		{OpRegex, "job/(a|b)/$", "https://ci/job/b/", true},
		{OpRegex, "^job", "https://ci/job/b/", false},
		{OpRegex, "(", "x", false},
		{OpNotEquals, "a", "b", true},
		{OpNotLike, "a*", "abc", false},
		{OpUnknown, "a", "a", false},
	} {
		if got := Match(tc.op, tc.pattern, tc.s); got != tc.want {
			t.Errorf("Match(%s, %q, %q) = %v, want %v", tc.op, tc.pattern, tc.s, got, tc.want)
		}
	}
}

func TestConditionTest(t *testing.T) {
	known := func(s string) Value { return Value{Text: s, Known: true} }
	unknown := Value{Text: "${var.x}"}
	for _, tc := range []struct {
		c       Condition
		claim   string
		present bool
		want    Result
	}{
		{Condition{Operator: OpEquals, Values: []Value{known("a"), known("b")}}, "b", true, Holds},
		{Condition{Operator: OpEquals, Values: []Value{known("a")}}, "b", true, Fails},
		{Condition{Operator: OpEquals, Values: []Value{known("a"), unknown}}, "b", true, Unknowable},
		{Condition{Operator: OpEquals, Values: []Value{known("b"), unknown}}, "b", true, Holds},
		{Condition{Operator: OpEquals, Values: []Value{known("a")}}, "", false, Fails},
		{Condition{Operator: OpEquals, Values: []Value{known("a")}, IfExists: true}, "", false, Holds},
		{Condition{Operator: OpNotLike, Values: []Value{known("*/PR-*")}}, "https://ci/job/app/job/PR-1/", true, Fails},
		{Condition{Operator: OpNotLike, Values: []Value{known("*/PR-*")}}, "https://ci/job/app/job/main/", true, Holds},
		{Condition{Operator: OpUnknown}, "x", true, Unknowable},
	} {
		if got := tc.c.Test(tc.claim, tc.present); got != tc.want {
			t.Errorf("%s %v on %q: %s, want %s", tc.c.Operator, tc.c.Values, tc.claim, got, tc.want)
		}
	}
}

func TestIssuerOfARN(t *testing.T) {
	for _, tc := range []struct {
		p    Value
		want string
	}{
		{Value{Text: "arn:aws:iam::123:oidc-provider/ci.example.com/oidc", Known: true}, `"https://ci.example.com/oidc"`},
		{Value{Text: "accounts.google.com", Known: true}, `"https://accounts.google.com"`},
		{Value{Text: "arn:aws:iam::${acct}:oidc-provider/ci.example.com/oidc/job/${folder}", Parts: []Part{
			{Text: "arn:aws:iam::", Known: true}, {Text: "${acct}", Ref: "acct"}, {Text: ":oidc-provider/ci.example.com/oidc/job/", Known: true}, {Text: "${folder}", Ref: "folder"}}},
			`?"https://ci.example.com/oidc/job/${folder}" ref=folder`},
		{Value{Text: "${aws_iam_openid_connect_provider.x.arn}", Ref: "aws_iam_openid_connect_provider.x.arn"}, `?"${aws_iam_openid_connect_provider.x.arn}" ref=aws_iam_openid_connect_provider.x.arn`},
	} {
		got := IssuerOfARN(tc.p)
		s := val(got)
		s = strings.Replace(s, "@-", "", 1)
		if s != tc.want {
			t.Errorf("IssuerOfARN(%q) = %s, want %s", tc.p.Text, s, tc.want)
		}
	}
}

func TestNotTrust(t *testing.T) {
	for _, name := range []string{"testdata/policy/permissions.json"} {
		f := source.NewFile(name, []byte(`{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}`))
		if d, ferr := Read(f); d != nil || ferr != nil {
			t.Errorf("%s: read %v, %v", path.Base(name), d, ferr)
		}
	}
}

// TestReadTerraformJCasC: JCasC documents written as strings in locals
// (also inside objects and tuples) and variable defaults are read in file
// order with the name of their place; a string that is not JCasC is not,
// and one with template directives is a note.
func TestReadTerraformJCasC(t *testing.T) {
	src := `locals {
  name = "jenkins"
  jcasc = <<-EOT
    jenkins:
      systemMessage: "${local.name}"
  EOT
  casc = {
    "creds" = ["credentials:\n  system: {}\n", "not: jcasc\n"]
    cond = <<-EOT
      %{ if true }
      jenkins:
        numExecutors: 0
      %{ endif }
    EOT
    escaped = "unclassified:\n  x: 100%%{y}\n"
  }
}
variable "casc" {
  default = "security:\n  apiToken: {}\n"
}
variable "other" {
  default = "jenkins"
}
`
	d, ferr := Read(source.NewFile("main.tf", []byte(src)))
	if ferr != nil {
		t.Fatal(ferr)
	}
	var got []string
	for _, j := range d.JCasC {
		got = append(got, j.Where+"="+strings.ReplaceAll(j.Text, "\n", "|"))
	}
	want := []string{
		`local.jcasc=jenkins:|  systemMessage: "${local.name}"|`,
		`local.casc.creds[0]=credentials:|  system: {}|`,
		`local.casc.escaped=unclassified:|  x: 100%{y}|`,
		`var.casc.default=security:|  apiToken: {}|`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("documents:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(d.Notes) != 1 || d.Notes[0].Pos.Line != 9 || !strings.Contains(d.Notes[0].Message, "local.casc.cond not read: it holds template directives") {
		t.Errorf("notes: %+v", d.Notes)
	}
	for _, j := range d.JCasC {
		if j.Offsets == nil {
			t.Errorf("%s: no byte map", j.Where)
		}
	}
}
