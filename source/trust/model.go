// Package trust reads the other end of a Jenkins id token: the places that
// accept it. AWS IAM role trust policies (policy JSON files, CloudFormation
// AssumeRolePolicyDocument, Terraform aws_iam_role and
// aws_iam_policy_document), AWS OIDC providers, GCP workload identity pool
// providers, Vault JWT auth roles and Azure federated identity credentials
// become one model, Trust: the issuer it expects, the audiences it accepts
// and the conditions a token's claims must meet, every value with its exact
// place in the file.
//
// Values the tool cannot evaluate (Terraform variables, locals, resource
// attributes and function calls; CloudFormation Ref, GetAtt, Sub with
// parameters) are Unknown: kept with the text they were written as and the
// literal pieces around them, never guessed. Link resolves the references
// it can (a role's Federated principal to the OIDC provider resource of the
// same module, a role's policy to its aws_iam_policy_document, a Vault role
// to its backend).
package trust

import (
	"strings"
	"unicode/utf8"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
)

// Kind is what accepts the token.
type Kind int

// Kinds of trust.
const (
	// AWSRole is a statement of an IAM role's trust policy that allows
	// sts:AssumeRoleWithWebIdentity to a Federated (OIDC provider)
	// principal.
	AWSRole Kind = iota + 1
	// GCPPoolProvider is a workload identity pool's OIDC provider.
	GCPPoolProvider
	// VaultJWTRole is a role of Vault's JWT/OIDC auth method.
	VaultJWTRole
	// AzureFIC is an Entra ID (Azure AD) federated identity credential of
	// an application or a user-assigned managed identity.
	AzureFIC
)

// String names the kind for people.
func (k Kind) String() string {
	switch k {
	case AWSRole:
		return "AWS IAM role"
	case GCPPoolProvider:
		return "GCP workload identity pool provider"
	case VaultJWTRole:
		return "Vault JWT role"
	case AzureFIC:
		return "Azure federated identity credential"
	}
	return "trust"
}

// Format is the language a file is written in.
type Format int

// Formats.
const (
	PolicyJSON     Format = iota + 1 // an IAM policy document on its own (JSON)
	CloudFormation                   // a CloudFormation template (YAML or JSON)
	Terraform                        // Terraform HCL (*.tf)
)

// String names the format.
func (f Format) String() string {
	switch f {
	case PolicyJSON:
		return "iam-policy"
	case CloudFormation:
		return "cloudformation"
	case Terraform:
		return "terraform"
	}
	return "unknown"
}

// Span is a range of a file: Pos is its first character, End is just past
// its last (both line and character column, as report.Position). Off and
// EndOff are the same in bytes.
type Span struct {
	Pos, End    report.Position
	Off, EndOff int
}

// IsValid reports whether the span names a place.
func (s Span) IsValid() bool { return s.Pos.IsValid() }

// Value is one value as written: a literal the tool knows (Known), or an
// expression it cannot evaluate (a variable, a resource attribute, a
// function call, a CloudFormation Ref). Its Span covers the whole value in
// its file, quotes included.
type Value struct {
	// Text is the value for a Known value. For an Unknown one it is the
	// value as written, each unknown piece as ${…} ("arn:aws:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/ci.example.com/oidc",
	// "${var.issuer}", "${AWS::AccountId}").
	Text  string
	Known bool
	Span
	// Verbatim is set when Text is written as is in the file, on one line,
	// from TextAt (after an opening quote): PosIn gives the place of any
	// character of it, so a rule may point at the "*" of a pattern.
	Verbatim bool
	TextAt   report.Position
	// Parts are the literal and unknown pieces of an Unknown value built from
	// a template (a Terraform "…${…}…" string, a CloudFormation !Sub or
	// !Join), in order; nil for a Known value and for an expression that is
	// not a template (then the whole value is one unknown piece: Ref).
	Parts []Part
	// Ref is the reference an Unknown value is, or is built from, when it is
	// one plain reference: "var.issuer", "aws_iam_openid_connect_provider.jenkins.arn",
	// "AWS::AccountId", "JenkinsProvider.Arn". Empty otherwise.
	Ref string
	// From is where a value came from when it was found through a
	// reference (Link): the reference as written. Its Span is then the place
	// the value is written (the resource it was read from, possibly in
	// another file of the module), and From the place that refers to it.
	From *Value
}

// Part is a piece of a template value: literal text, or an unknown piece
// (Known false, Text as written with its ${…}, Ref the reference it names
// when it is one).
type Part struct {
	Text  string
	Known bool
	Ref   string
}

// PosIn is the place of Text's byte i: exact for a Verbatim value, the
// value's start otherwise.
func (v Value) PosIn(i int) report.Position {
	if !v.Verbatim || i < 0 || i > len(v.Text) {
		return v.Pos
	}
	p := v.TextAt
	p.Col += utf8.RuneCountInString(v.Text[:i])
	return p
}

// IsSet reports whether the value was written (a zero Value is absent).
func (v Value) IsSet() bool { return v.Known || v.Text != "" || v.Pos.IsValid() }

// Prefix is the literal text an Unknown value starts with (the whole Text
// of a Known value): what every value it can take begins with.
func (v Value) Prefix() string {
	if v.Known {
		return v.Text
	}
	var b strings.Builder
	for _, p := range v.Parts {
		if !p.Known {
			break
		}
		b.WriteString(p.Text)
	}
	return b.String()
}

// Suffix is the literal text an Unknown value ends with (the whole Text of
// a Known value).
func (v Value) Suffix() string {
	if v.Known {
		return v.Text
	}
	s := ""
	for i := len(v.Parts) - 1; i >= 0 && v.Parts[i].Known; i-- {
		s = v.Parts[i].Text + s
	}
	return s
}

// Operator is how a condition compares a claim with its values.
type Operator int

// Operators. Values of a condition are alternatives (any one may match);
// the conditions of a trust must all hold.
const (
	// OpEquals: the claim equals a value, character for character (AWS
	// StringEquals, Vault bound_subject and string bound_claims, Azure
	// subject, CEL ==, in).
	OpEquals Operator = iota + 1
	// OpEqualsIgnoreCase: AWS StringEqualsIgnoreCase.
	OpEqualsIgnoreCase
	// OpLike: AWS StringLike: * matches any run of characters (none
	// included), ? any one character; nothing else is special.
	OpLike
	// OpGlob: Vault bound_claims with bound_claims_type "glob": * matches any
	// run of characters; nothing else is special.
	OpGlob
	// OpPrefix: CEL startsWith.
	OpPrefix
	// OpSuffix: CEL endsWith.
	OpSuffix
	// OpContains: CEL contains (a substring), or 'x' in a list claim.
	OpContains
	// OpRegex: CEL matches: an RE2 expression found anywhere in the claim
	// (unanchored, as cel-go's matches).
	OpRegex
	// OpNotEquals: AWS StringNotEquals, CEL !=: the claim differs from
	// every value.
	OpNotEquals
	// OpNotLike: AWS StringNotLike.
	OpNotLike
	// OpUnknown: a condition the tool cannot read (a CEL expression beyond
	// simple comparisons, an AWS operator that is not a string operator):
	// Values holds its text, Unknown.
	OpUnknown
)

// String names the operator.
func (o Operator) String() string {
	switch o {
	case OpEquals:
		return "equals"
	case OpEqualsIgnoreCase:
		return "equals-ignore-case"
	case OpLike:
		return "like"
	case OpGlob:
		return "glob"
	case OpPrefix:
		return "prefix"
	case OpSuffix:
		return "suffix"
	case OpContains:
		return "contains"
	case OpRegex:
		return "regex"
	case OpNotEquals:
		return "not-equals"
	case OpNotLike:
		return "not-like"
	case OpUnknown:
		return "unknown"
	}
	return "operator"
}

// Negated reports whether the operator holds when the claim does not match.
func (o Operator) Negated() bool { return o == OpNotEquals || o == OpNotLike }

// Condition is one test a token's claim must pass.
type Condition struct {
	// Claim is the token claim tested ("sub", "aud", "build_number"), or ""
	// when it cannot be told (a GCP attribute mapped by an expression, an
	// AWS key whose claim part is unknown).
	Claim string
	// Key is the condition's key as written: an AWS condition key
	// ("ci.example.com/oidc:sub"), a Terraform attribute ("bound_subject"),
	// a bound_claims key, a CEL attribute ("assertion.sub", "attribute.job").
	Key Value
	// Operator is how Values are compared.
	Operator Operator
	// Op is the operator as written ("StringLike", "ForAnyValue:StringLike",
	// "==", "startsWith", "glob"); its Span is the operator's place when it
	// has one of its own.
	Op Value
	// Values are the alternatives.
	Values []Value
	// IfExists is set for an AWS …IfExists operator: a token without the
	// claim passes.
	IfExists bool
	// Set is the AWS set qualifier ("ForAnyValue", "ForAllValues"), or "".
	Set string
	// Where spans the whole condition.
	Where Span
}

// Trust is one thing that accepts id tokens: what it expects of the
// token's issuer, audience and other claims.
type Trust struct {
	Kind Kind
	// Name is the address people know it by: "aws_iam_role.deploy",
	// "data.aws_iam_policy_document.deploy" (until Link names its role),
	// "Resources.DeployRole" for CloudFormation, "Statement[0]" for a policy
	// file; with "statement[1]" after it when a policy has several
	// statements that trust an OIDC provider.
	Name string
	// Where spans the resource, block or statement.
	Where Span
	// Issuer is the issuer the trust expects, as a URL: for AWS, derived
	// from the Federated principal's ARN
	// (arn:aws:iam::<acct>:oidc-provider/<host>/<path> → https://<host>/<path>),
	// or the url of the provider resource it refers to once linked; for GCP
	// oidc.issuer_uri; for Vault the backend's oidc_discovery_url (or its
	// bound_issuer when it has no discovery URL); for Azure issuer. Unknown
	// when it cannot be told; zero when nothing is written.
	Issuer Value
	// Principal is the AWS Federated principal as written (an ARN or a
	// reference); zero for the other kinds.
	Principal Value
	// Audiences are the audiences accepted (any one of them). For AWS: the
	// values of the statement's aud conditions (the provider's client IDs
	// are Provider.ClientIDs); for GCP allowed_audiences; for Vault
	// bound_audiences; for Azure audiences.
	Audiences []Value
	// AudienceOp is how Audiences are compared (OpEquals but for an AWS
	// StringLike aud condition, or OpGlob for GCP's default audience).
	AudienceOp Operator
	// AudienceDefault is set when no audience is written and the platform's
	// default applies: for GCP the provider's resource name
	// (//iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>,
	// with or without https: in front), written into Audiences as OpGlob
	// patterns with * for what is not known.
	AudienceDefault bool
	// Subject are the conditions on sub (AWS :sub keys, Vault bound_subject
	// and bound_claims.sub, Azure subject, GCP conditions on the attribute
	// google.subject maps from, or on assertion.sub).
	Subject []Condition
	// Claims are the conditions on every other claim (and on aud beyond
	// Audiences, and conditions whose claim is not known).
	Claims []Condition
	// Unconditional is set for GCP when attribute_condition is not written:
	// every valid token of the issuer is accepted.
	Unconditional bool
	// Provider is the AWS OIDC provider resource the principal refers to (by
	// reference or by issuer), set by Link; nil when it is not in the files
	// read.
	Provider *Provider
	// Vault holds a Vault role's own settings; nil for other kinds.
	Vault *VaultRole
	// GCP holds a pool provider's own settings; nil for other kinds.
	GCP *GCPProvider
	// Doc is the file the trust was read from.
	Doc *Doc

	policyRef string // Terraform: the aws_iam_policy_document address a role's policy names
}

// VaultRole is what a Vault JWT role adds to its Trust.
type VaultRole struct {
	// Backend is the role's backend as written (a path or a reference to a
	// vault_jwt_auth_backend's path).
	Backend Value
	// Auth is the vault_jwt_auth_backend resource, set when Link found it.
	Auth *VaultBackend
	// RoleName is role_name.
	RoleName Value
	// RoleType is role_type; RoleTypeDefault is set when it is not written
	// (Vault then takes "oidc", which refuses JWT logins).
	RoleType        Value
	RoleTypeDefault bool
	// UserClaim is user_claim (required by Vault).
	UserClaim Value
	// ClaimsType is bound_claims_type ("string", the default, or "glob").
	ClaimsType Value
}

// VaultBackend is a vault_jwt_auth_backend resource.
type VaultBackend struct {
	Name             string // "vault_jwt_auth_backend.jenkins"
	Where            Span
	Path             Value // path (default "jwt")
	Type             Value // type ("jwt" or "oidc")
	OIDCDiscoveryURL Value
	BoundIssuer      Value
	JWKSURL          Value
	// JWTValidationPubkeys is set when keys are given inline.
	JWTValidationPubkeys Value
	Doc                  *Doc
}

// GCPProvider is what a workload identity pool provider adds to its Trust.
type GCPProvider struct {
	PoolID     Value // workload_identity_pool_id
	ProviderID Value // workload_identity_pool_provider_id
	// Mapping is attribute_mapping: target attribute → CEL expression.
	Mapping []Mapping
	// Condition is attribute_condition as written (zero when unset).
	Condition Value
	// JWKSJSON is set when oidc.jwks_json gives the keys inline (GCP then
	// never fetches them from the issuer).
	JWKSJSON Value
	Disabled Value
}

// Mapping is one entry of a GCP attribute_mapping.
type Mapping struct {
	Attribute Value // "google.subject", "attribute.job"
	Expr      Value // "assertion.sub"
	// Claim is the claim the attribute is mapped from when Expr is
	// assertion.<claim> (or assertion['<claim>']); "" otherwise.
	Claim string
}

// Provider is an AWS IAM OIDC identity provider (Terraform
// aws_iam_openid_connect_provider, CloudFormation AWS::IAM::OIDCProvider):
// STS accepts a token for a role that trusts it only when its aud is one of
// ClientIDs.
type Provider struct {
	Name string // "aws_iam_openid_connect_provider.jenkins", "Resources.JenkinsProvider"
	// Where spans the resource.
	Where Span
	// URL is url as written ("https://ci.example.com/oidc"); Issuer is the
	// issuer it stands for (https:// added when missing).
	URL         Value
	Issuer      Value
	ClientIDs   []Value
	Thumbprints []Value
	Doc         *Doc
}

// HelmValues is a helm_release's values document (Terraform): a values
// YAML written in the .tf file, whose embedded JCasC is checked like any
// other, or a values file it names.
type HelmValues struct {
	// Release is "helm_release.jenkins"; Chart the chart as written.
	Release string
	Chart   Value
	// Index is the document's place in the values list.
	Index int
	// Text is the values document (a heredoc or string, decoded; a piece
	// built by interpolation is kept as written, ${…} included, which JCasC
	// reads as a variable). Offsets map each byte of Text to the .tf file's
	// byte it came from, plus one entry past the end, as
	// source.Embedding.Offsets; nil when they could not be told (escapes
	// decoded differently than expected).
	Text    string
	Offsets []int32
	// Interps are the byte ranges of Text that Terraform fills in (its
	// ${…} interpolations), as source.Embedding.Rendered.
	Interps [][2]int
	// Value spans the expression in the .tf file.
	Value Value
	// File is set instead of Text for values = [file("…")]: the named path,
	// relative to the .tf file's directory (path.module stripped), Unknown
	// when it is built from variables.
	File Value
}

// JCasCText is a JCasC document written as a Terraform string.
type JCasCText struct {
	// Where names it: "local.jcasc_security" or "var.casc.default".
	Where string
	// Text and Offsets as HelmValues': the decoded document, ${…}
	// interpolations kept as written (JCasC reads them as variables).
	Text    string
	Offsets []int32
	Interps [][2]int
	// Value spans the expression in the .tf file.
	Value Value
}

// Doc is what one file holds.
type Doc struct {
	Path   string
	Format Format
	// Trusts, Providers and VaultBackends in file order.
	Trusts        []*Trust
	Providers     []*Provider
	VaultBackends []*VaultBackend
	// Helm lists helm_release values documents and values files.
	Helm []*HelmValues
	// JCasC lists the JCasC documents written as strings in locals and in
	// variable defaults (jcasc = <<-EOT … EOT, handed to a helm_release
	// or a ConfigMap elsewhere), in file order.
	JCasC []*JCasCText
	// Notes are things left unread on purpose (a dynamic block, a policy
	// built by interpolation that is not JSON), for the report's info lines.
	Notes []report.FileError
	// Module is the Terraform module (the file's directory): Link resolves
	// references among the files of one module.
	Module string
}
