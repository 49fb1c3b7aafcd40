package trust

import (
	"bytes"
	"path"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/discovery"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/embed"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// IsTerraform reports whether a file is Terraform by its name (*.tf).
func IsTerraform(name string) bool {
	return strings.HasSuffix(strings.ToLower(name), ".tf")
}

// terraformTypes are the resource and data source types ReadTerraform
// reads.
var terraformTypes = [][]byte{
	[]byte("aws_iam_role"), []byte("aws_iam_policy_document"), []byte("aws_iam_openid_connect_provider"),
	[]byte("google_iam_workload_identity_pool_provider"), []byte("vault_jwt_auth_backend"),
	[]byte("federated_identity_credential"), []byte("helm_release"),
	// JCasC root keys: a JCasC document written in a local or a variable
	// default (HCL itself writes name = value, never name:)
	[]byte("jenkins:"), []byte("credentials:"), []byte("unclassified:"), []byte("security:"), []byte("tool:"),
}

// MaybeTerraform reports whether Terraform text names a resource type
// ReadTerraform reads or holds a JCasC root key: the cheap test (gigabytes a second) that spares
// parsing the .tf files that hold none, most of a Terraform repository.
func MaybeTerraform(data []byte) bool {
	for _, t := range terraformTypes {
		if bytes.Contains(data, t) {
			return true
		}
	}
	return false
}

// LooksPolicy reports whether a parsed JSON (or YAML) root is an IAM policy
// document that trusts an OIDC provider: a Statement (one or a list) with a
// Federated principal and an Action that covers
// sts:AssumeRoleWithWebIdentity.
func LooksPolicy(root *yaml.Node) bool {
	_, st := tree.Get(root, "Statement")
	if st == nil {
		return false
	}
	stmts := []*yaml.Node{st}
	if st.Kind == yaml.SequenceNode {
		stmts = tree.Items(st)
	}
	for _, s := range stmts {
		if tree.Lookup(s, "Principal", "Federated") == nil {
			continue
		}
		_, act := tree.Get(s, "Action")
		for _, a := range append(tree.Items(act), act) {
			if a != nil && a.Kind == yaml.ScalarNode && Match(OpLike, strings.ToLower(a.Value), strings.ToLower(WebIdentityAction)) {
				return true
			}
		}
	}
	return false
}

// LooksCloudFormation reports whether a parsed YAML or JSON root is a
// CloudFormation template with an IAM role or OIDC provider: a Resources
// mapping with an entry of Type AWS::IAM::Role or AWS::IAM::OIDCProvider.
func LooksCloudFormation(root *yaml.Node) bool {
	_, res := tree.Get(root, "Resources")
	for _, p := range tree.Pairs(res) {
		switch tree.StrOf(p.Value, "Type").Value {
		case "AWS::IAM::Role", "AWS::IAM::OIDCProvider":
			return true
		}
	}
	return false
}

// ReadJSON parses f as JSON and reads it when it is an IAM policy document
// or a CloudFormation template: nil, nil when it is neither.
func ReadJSON(f *source.File) (*Doc, *report.FileError) {
	root, ferr := discovery.ParseJSON(f)
	if ferr != nil {
		return nil, ferr
	}
	return ReadRoot(f, root), nil
}

// ReadYAML parses f as YAML (CloudFormation's short tags included) and
// reads its CloudFormation templates: nil, nil when it holds none.
func ReadYAML(f *source.File) (*Doc, *report.FileError) {
	docs, ferr := tree.ParseYAML(f)
	if ferr != nil {
		return nil, ferr
	}
	var out *Doc
	for _, root := range docs {
		if d := ReadRoot(f, root); d != nil {
			if out == nil {
				out = d
			} else {
				out.Trusts = append(out.Trusts, d.Trusts...)
				out.Providers = append(out.Providers, d.Providers...)
				out.Notes = append(out.Notes, d.Notes...)
			}
		}
	}
	return out, nil
}

// ReadRoot reads a parsed root (JSON or YAML) that is an IAM policy
// document (LooksPolicy) or a CloudFormation template
// (LooksCloudFormation); nil when it is neither.
func ReadRoot(f *source.File, root *yaml.Node) *Doc {
	switch {
	case LooksCloudFormation(root):
		return ReadCloudFormation(f, root)
	case LooksPolicy(root):
		d := &Doc{Path: f.Path, Format: PolicyJSON, Module: path.Dir(f.Path)}
		c := &yconv{f: f}
		d.Trusts = d.readPolicy("", c.node(root))
		d.own()
		return d
	}
	return nil
}

// own sets the back pointers of what d holds.
func (d *Doc) own() {
	for _, t := range d.Trusts {
		t.Doc = d
	}
	for _, p := range d.Providers {
		p.Doc = d
	}
	for _, b := range d.VaultBackends {
		b.Doc = d
	}
}

// ReadCloudFormation reads the IAM roles (AssumeRolePolicyDocument, as a
// mapping or a JSON string) and OIDC providers of a CloudFormation
// template, and links each role's Federated principal to the template's
// provider it names (!Ref P, !GetAtt P.Arn).
func ReadCloudFormation(f *source.File, root *yaml.Node) *Doc {
	d := &Doc{Path: f.Path, Format: CloudFormation, Module: path.Dir(f.Path)}
	c := &yconv{f: f, cfn: true}
	_, res := tree.Get(root, "Resources")
	for _, p := range tree.Pairs(res) {
		typ := tree.StrOf(p.Value, "Type").Value
		props := tree.Lookup(p.Value, "Properties")
		name := "Resources." + p.Key.Value
		where := spanJoin(c.span(p.Key), c.span(p.Value))
		switch typ {
		case "AWS::IAM::Role":
			k, pol := tree.Get(props, "AssumeRolePolicyDocument")
			if pol == nil {
				continue
			}
			var pn *node
			if pol.Kind == yaml.ScalarNode {
				pn = d.policyString(f, k, pol)
				if pn == nil {
					continue
				}
			} else {
				pn = c.node(pol)
			}
			ts := d.readPolicy(name, pn)
			for _, t := range ts {
				if len(ts) == 1 {
					t.Where = where
				}
			}
			d.Trusts = append(d.Trusts, ts...)
		case "AWS::IAM::OIDCProvider":
			pr := &Provider{Name: name, Where: where}
			if _, u := tree.Get(props, "Url"); u != nil {
				pr.URL = c.node(u).scalar()
				pr.Issuer = issuerOfURL(pr.URL)
			}
			_, ids := tree.Get(props, "ClientIdList")
			pr.ClientIDs = c.node(ids).list()
			_, th := tree.Get(props, "ThumbprintList")
			pr.Thumbprints = c.node(th).list()
			d.Providers = append(d.Providers, pr)
		}
	}
	// Federated: !Ref Provider / !GetAtt Provider.Arn
	for _, t := range d.Trusts {
		ref := strings.TrimSuffix(t.Principal.Ref, ".Arn")
		if ref == "" || t.Principal.Known {
			continue
		}
		for _, pr := range d.Providers {
			if pr.Name == "Resources."+ref {
				t.linkProvider(pr)
			}
		}
	}
	d.own()
	return d
}

// policyString reads a policy document written as a JSON string (a block
// scalar, possibly under !Sub): positions inside it are mapped to f when
// the string can be mapped byte for byte.
func (d *Doc) policyString(f *source.File, key, n *yaml.Node) *node {
	text := n.Value
	if strings.TrimSpace(text) == "" || strings.TrimSpace(text)[0] != '{' {
		return nil
	}
	inner := source.NewFile(f.Path, []byte(text))
	offs := embed.Offsets(f, n, key.Column-1)
	start := f.Offset(n.Line, n.Column)
	inner.Embed = &source.Embedding{Outer: f, Offsets: offs, Start: start, End: start + 1, Where: "AssumeRolePolicyDocument"}
	root, ferr := discovery.ParseJSON(inner)
	if ferr != nil {
		d.note(spanOf(inner, 0, 0), "policy document not read: "+ferr.Message)
		return nil
	}
	c := &yconv{f: inner}
	if n.Tag == "!Sub" {
		c.sub, c.interps = true, subInterps(inner.Data)
	}
	return c.node(root)
}

// subInterps finds the ${Name} pieces of a Fn::Sub template (not ${!…}).
func subInterps(b []byte) [][2]int {
	var out [][2]int
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte("${"))
		if j < 0 {
			return out
		}
		s := i + j
		e := bytes.IndexByte(b[s:], '}')
		if e < 0 {
			return out
		}
		if s+2 < len(b) && b[s+2] != '!' {
			out = append(out, [2]int{s, s + e + 1})
		}
		i = s + e + 1
	}
}

// issuerOfURL is the issuer an AWS OIDC provider's url stands for
// (https:// added when it is left out).
func issuerOfURL(u Value) Value {
	out := u
	out.Verbatim = u.Verbatim
	if u.Known && u.Text != "" && !strings.Contains(u.Text, "://") {
		out.Text = "https://" + u.Text
		out.Verbatim = false
	}
	return out
}

// linkProvider ties an AWS trust to the provider its principal names: the
// issuer is then the provider's.
func (t *Trust) linkProvider(pr *Provider) {
	t.Provider = pr
	if pr.Issuer.IsSet() && !t.Issuer.Known {
		from := t.Principal
		iss := pr.Issuer
		iss.From = &from
		t.Issuer = iss
	}
}

// Read reads f by its name: Terraform (*.tf), JSON (*.json, and *.template
// or *.yaml/*.yml files that start with "{"), else YAML. It returns nil,
// nil for a file that holds no trust, provider, helm_release or JCasC
// document, and the
// parse error of a file that does not parse.
func Read(f *source.File) (*Doc, *report.FileError) {
	if IsTerraform(f.Path) {
		if !MaybeTerraform(f.Data) {
			return nil, nil
		}
		d, ferr := ReadTerraform(f)
		if d != nil && len(d.Trusts)+len(d.Providers)+len(d.VaultBackends)+len(d.Helm)+len(d.JCasC)+len(d.Notes) == 0 {
			return nil, ferr
		}
		return d, ferr
	}
	if strings.HasSuffix(strings.ToLower(f.Path), ".json") || bytes.HasPrefix(bytes.TrimSpace(f.Data), []byte("{")) {
		return ReadJSON(f)
	}
	return ReadYAML(f)
}

// eachValue calls fn for every value d holds.
func (d *Doc) eachValue(fn func(Value)) {
	conds := func(cs []Condition) {
		for _, c := range cs {
			fn(c.Key)
			fn(c.Op)
			for _, v := range c.Values {
				fn(v)
			}
		}
	}
	for _, t := range d.Trusts {
		fn(t.Issuer)
		fn(t.Principal)
		for _, v := range t.Audiences {
			fn(v)
		}
		conds(t.Subject)
		conds(t.Claims)
		if v := t.Vault; v != nil {
			for _, x := range []Value{v.Backend, v.RoleName, v.RoleType, v.UserClaim, v.ClaimsType} {
				fn(x)
			}
		}
		if g := t.GCP; g != nil {
			for _, x := range []Value{g.PoolID, g.ProviderID, g.Condition, g.JWKSJSON, g.Disabled} {
				fn(x)
			}
			for _, m := range g.Mapping {
				fn(m.Attribute)
				fn(m.Expr)
			}
		}
	}
	for _, p := range d.Providers {
		fn(p.URL)
		fn(p.Issuer)
		for _, v := range append(append([]Value(nil), p.ClientIDs...), p.Thumbprints...) {
			fn(v)
		}
	}
	for _, b := range d.VaultBackends {
		for _, x := range []Value{b.Path, b.Type, b.OIDCDiscoveryURL, b.BoundIssuer, b.JWKSURL, b.JWTValidationPubkeys} {
			fn(x)
		}
	}
	for _, h := range d.Helm {
		fn(h.Chart)
		fn(h.Value)
		fn(h.File)
	}
}
