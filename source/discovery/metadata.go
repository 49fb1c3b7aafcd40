package discovery

import (
	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// Metadata is a typed view of one discovery document. Each field keeps the
// node it was read from; a missing field has a nil Node.
type Metadata struct {
	File *source.File
	Root *yaml.Node
	// URL is where the document was fetched from (--online), empty for files.
	URL string

	Issuer                 tree.Str
	AuthorizationEndpoint  tree.Str
	TokenEndpoint          tree.Str
	UserinfoEndpoint       tree.Str
	JWKSURI                tree.Str
	EndSessionEndpoint     tree.Str
	ScopesSupported        tree.List
	ClaimsSupported        tree.List
	CodeChallengeMethods   tree.List
	IDTokenSigningAlgs     tree.List
	ResponseTypesSupported tree.List
	GrantTypesSupported    tree.List
}

// Endpoint names a metadata endpoint field and its value.
type Endpoint struct {
	Field string // e.g. "token_endpoint"
	Value tree.Str
}

// Endpoints lists the metadata's URL fields in a fixed order.
func (m *Metadata) Endpoints() []Endpoint {
	return []Endpoint{
		{"authorization_endpoint", m.AuthorizationEndpoint},
		{"token_endpoint", m.TokenEndpoint},
		{"userinfo_endpoint", m.UserinfoEndpoint},
		{"jwks_uri", m.JWKSURI},
		{"end_session_endpoint", m.EndSessionEndpoint},
	}
}

// Looks reports whether a JSON root looks like provider metadata: an object
// with issuer and either jwks_uri or authorization_endpoint.
func Looks(root *yaml.Node) bool {
	if root == nil || root.Kind != yaml.MappingNode {
		return false
	}
	k, _ := tree.Get(root, "issuer")
	if k == nil {
		return false
	}
	j, _ := tree.Get(root, "jwks_uri")
	a, _ := tree.Get(root, "authorization_endpoint")
	return j != nil || a != nil
}

// Read builds the typed view of a parsed document.
func Read(f *source.File, root *yaml.Node) *Metadata {
	m := &Metadata{File: f, Root: root}
	s := func(key string) tree.Str { return tree.StrOf(root, key) }
	l := func(key string) tree.List { return tree.ListOf(root, key) }
	m.Issuer = s("issuer")
	m.AuthorizationEndpoint = s("authorization_endpoint")
	m.TokenEndpoint = s("token_endpoint")
	m.UserinfoEndpoint = s("userinfo_endpoint")
	m.JWKSURI = s("jwks_uri")
	m.EndSessionEndpoint = s("end_session_endpoint")
	m.ScopesSupported = l("scopes_supported")
	m.ClaimsSupported = l("claims_supported")
	m.CodeChallengeMethods = l("code_challenge_methods_supported")
	m.IDTokenSigningAlgs = l("id_token_signing_alg_values_supported")
	m.ResponseTypesSupported = l("response_types_supported")
	m.GrantTypesSupported = l("grant_types_supported")
	return m
}

// Pos is the position of a node of this document.
func (m *Metadata) Pos(n *yaml.Node) report.Position { return tree.Pos(m.File, n) }

// Name is how findings refer to the document: its URL when fetched, else its path.
func (m *Metadata) Name() string {
	if m.URL != "" {
		return m.URL
	}
	return m.File.Path
}
