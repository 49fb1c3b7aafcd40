package jcasc

import (
	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// Credential is one entry of credentials.system.domainCredentials[].credentials[]:
// a single-key mapping whose key is the credential kind (string,
// usernamePassword, basicSSHUserPrivateKey, file, aws, certificate, idToken,
// idTokenFile, gitHubApp…). It holds places, not nodes: a workspace keeps
// every credential of every JCasC file to the end of the run.
type Credential struct {
	Kind     string
	KindAt   tree.Place // the kind key
	ID       tree.Field
	Username tree.Field
	Audience tree.Field // idToken / idTokenFile (oidc-provider plugin)
	Domain   string     // the credentials domain name, "" for the global domain
}

// BindingType is the credentials-binding type a pipeline needs to read a
// credential of this kind, or "" when unknown.
func (c *Credential) BindingType() string {
	switch c.Kind {
	case "string", "idToken", "gitlabPersonalAccessToken", "vaultStringCredentialImpl":
		return "string"
	case "usernamePassword", "gitHubApp", "gitlabToken":
		return "usernamePassword"
	case "basicSSHUserPrivateKey", "sshUserPrivateKey":
		return "sshUserPrivateKey"
	case "file", "idTokenFile":
		return "file"
	case "certificate":
		return "certificate"
	case "aws":
		return "aws"
	case "dockerServer":
		return "dockerCert"
	}
	return ""
}

// IDTokenConfig is the oidc-provider plugin's global settings
// (security.idToken).
type IDTokenConfig struct {
	Key           tree.Mark
	TokenLifetime tree.Scalar
}

// CredentialItems returns the items of every credentials list of a JCasC
// root mapping (each a single-key mapping naming the kind), for validation.
func CredentialItems(root *yaml.Node) []*yaml.Node {
	var out []*yaml.Node
	for _, dc := range tree.Items(tree.Lookup(root, "credentials", "system", "domainCredentials")) {
		_, list := tree.Get(dc, "credentials")
		out = append(out, tree.Items(list)...)
	}
	return out
}

func readCredentials(f *source.File, root *yaml.Node) []*Credential {
	var out []*Credential
	dcs := tree.Lookup(root, "credentials", "system", "domainCredentials")
	for _, dc := range tree.Items(dcs) {
		domain := tree.StrOf(tree.Lookup(dc, "domain"), "name").Value
		_, list := tree.Get(dc, "credentials")
		for _, item := range tree.Items(list) {
			for _, p := range tree.Pairs(item) {
				c := &Credential{Kind: p.Key.Value, KindAt: tree.PlaceOf(f, p.Key), Domain: domain}
				c.ID = tree.FieldOf(f, p.Value, "id")
				c.Username = tree.FieldOf(f, p.Value, "username")
				c.Audience = tree.FieldOf(f, p.Value, "audience")
				out = append(out, c)
			}
		}
	}
	return out
}

func readIDTokenConfig(f *source.File, root *yaml.Node) *IDTokenConfig {
	_, sec := tree.Get(root, "security")
	k, it := tree.Get(sec, "idToken")
	if k == nil {
		return nil
	}
	return &IDTokenConfig{Key: tree.MarkOf(f, k), TokenLifetime: tree.ScalarOf(f, it, "tokenLifetime")}
}
