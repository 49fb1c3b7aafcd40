// Package jcasc reads Jenkins Configuration-as-Code YAML into typed views
// whose every value keeps its node (and so its line and column): the oic
// security realm in all three layouts the oic-auth plugin has used.
package jcasc

import (
	"path"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/idtoken"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/plugins"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// TopLevelKeys are the root keys that make a YAML file a JCasC file.
var TopLevelKeys = []string{"jenkins", "credentials", "unclassified", "security", "tool"}

// Looks reports whether a YAML root mapping is a JCasC document.
func Looks(root *yaml.Node) bool {
	for _, k := range TopLevelKeys {
		if key, _ := tree.Get(root, k); key != nil {
			return true
		}
	}
	return false
}

// Doc is one parsed JCasC document.
type Doc struct {
	File *source.File
	// Root is the document's root mapping, nil after Compact.
	Root  *yaml.Node
	Realm *Realm // the oic realm, or nil
	// Authorization is jenkins.authorizationStrategy, or nil.
	Authorization *Authorization
	// AuditTrail is unclassified.audit-trail, or nil.
	AuditTrail *AuditTrail
	// Credentials lists credentials.system.domainCredentials[].credentials[].
	Credentials []*Credential
	// IDToken is the oidc-provider plugin's security.idToken, or nil.
	IDToken *IDTokenConfig
	// SecurityRealmKey is the jenkins.securityRealm key (nil when absent).
	SecurityRealmKey *yaml.Node
	// Controller names the Jenkins controller the document configures:
	// JCasC merges every file of one controller, so rules pair a realm with
	// the authorization and plugin versions of the same controller. It is
	// the file's directory for a stand-alone file, and the container file's
	// path for JCasC embedded in a Helm values file or a manifest.
	Controller string
	// Eras are the plugin-era-bound keys the document writes, with their
	// places, kept after Compact for plugin-version-mismatch.
	Eras plugins.DocEras
	// IDTokens is the oidc-provider side of the controller this document
	// configures: its issuer (location.url + oidc), id-token credentials,
	// folder issuers and claim templates, as this document writes them.
	IDTokens *idtoken.Controller
}

// Compact drops the document's tree but for the nodes its views hold, so a
// workspace of many large JCasC files keeps only what the rules read (a
// credential's ID and kind, not its private key block). Root is nil after.
func (d *Doc) Compact() { d.Root = nil }

// Read builds the typed views of a JCasC root mapping.
func Read(f *source.File, root *yaml.Node) *Doc {
	d := &Doc{File: f, Root: root, Controller: path.Dir(f.Path), Eras: plugins.ReadEras(f, root)}
	_, jenkins := tree.Get(root, "jenkins")
	k, sr := tree.Get(jenkins, "securityRealm")
	d.SecurityRealmKey = k
	d.Authorization = readAuthorization(root)
	d.AuditTrail = readAuditTrail(root)
	d.Credentials = readCredentials(f, root)
	d.IDToken = readIDTokenConfig(root)
	d.IDTokens = idtoken.Read(f, root)
	if ok, oic := tree.Get(sr, "oic"); ok != nil {
		d.Realm = readRealm(f, ok, oic)
		d.Realm.Doc = d
	}
	return d
}

// Mode is how the realm learns the provider's endpoints.
type Mode int

// Realm configuration modes.
const (
	ModeUnknown   Mode = iota
	ModeWellKnown      // discovery document
	ModeManual         // endpoints written by hand
)

// Layout is the era of the oic realm's JCasC shape.
type Layout int

// The three layouts of RULES.md.
const (
	LayoutFlat                Layout = iota + 1 // oic-auth ≤ 4.34x: endpoints directly on oic
	LayoutServerConfiguration                   // 4.350+: serverConfiguration.wellKnown|manual
)

// Realm is the typed view of jenkins.securityRealm.oic.
type Realm struct {
	File *source.File
	Doc  *Doc       // the document it is in
	Key  *yaml.Node // the `oic` key
	Node *yaml.Node // its mapping

	Layout        Layout
	HasProperties bool // the 4.600+ `properties:` list is present
	Mode          Mode
	// ModeNode is what decided the mode: serverConfiguration.wellKnown /
	// manual key, or the flat automanualconfigure value.
	ModeNode *yaml.Node

	ClientID     tree.Str
	ClientSecret tree.Str

	WellKnownURL     tree.Str
	Issuer           tree.Str
	AuthorizationURL tree.Str
	TokenURL         tree.Str
	UserInfoURL      tree.Str
	JWKSURL          tree.Str
	EndSessionURL    tree.Str

	// Scopes are the requested scopes (space-separated in JCasC); ScopesField
	// is the field they were read from. Unset means the plugin default
	// ("openid email" in manual mode; every scope the provider lists with
	// wellKnown).
	Scopes      []ScopeWord
	ScopesField tree.Str

	UserNameField tree.Str
	GroupsField   tree.Str
	EmailField    tree.Str
	FullNameField tree.Str

	PKCE                         tree.Flag
	DisableTokenVerification     tree.Flag
	NonceDisabled                tree.Flag
	TokenExpirationCheckDisabled tree.Flag
	DisableSSLVerification       tree.Flag
	EscapeHatch                  tree.Flag
	EscapeHatchSecret            tree.Str
	ClockSkewSeconds             tree.Str
}

// ScopeWord is one scope of a space-separated scopes string with its column.
type ScopeWord struct {
	Value string
	Line  int
	Col   int
}

// Endpoint is a realm URL field and the discovery field it must equal.
type Endpoint struct {
	Field          string // realm field name as written
	MetadataField  string // e.g. "token_endpoint"
	Value          tree.Str
	IsIssuerSource bool
}

// Endpoints lists the realm's hand-written endpoint URLs that are set.
func (r *Realm) Endpoints() []Endpoint {
	all := []Endpoint{
		{Field: "authorizationServerUrl", MetadataField: "authorization_endpoint", Value: r.AuthorizationURL},
		{Field: "tokenServerUrl", MetadataField: "token_endpoint", Value: r.TokenURL},
		{Field: "userInfoServerUrl", MetadataField: "userinfo_endpoint", Value: r.UserInfoURL},
		{Field: "jwksServerUrl", MetadataField: "jwks_uri", Value: r.JWKSURL},
		{Field: "endSessionUrl", MetadataField: "end_session_endpoint", Value: r.EndSessionURL},
	}
	var out []Endpoint
	for _, e := range all {
		if e.Value.NonEmpty() {
			if e.Value.Key != nil {
				e.Field = e.Value.Key.Value
			}
			out = append(out, e)
		}
	}
	return out
}

// WellKnownSuffix ends every discovery URL.
const WellKnownSuffix = "/.well-known/openid-configuration"

// IssuerValue is the issuer the realm expects and the node it comes from:
// the manual issuer, or the well-known URL less its suffix. ok is false when
// the realm names neither or the value is a variable.
func (r *Realm) IssuerValue() (issuer string, at tree.Str, ok bool) {
	if r.Issuer.NonEmpty() && !tree.IsVariable(r.Issuer.Value) {
		return r.Issuer.Value, r.Issuer, true
	}
	if r.WellKnownURL.NonEmpty() && !tree.IsVariable(r.WellKnownURL.Value) {
		return strings.TrimSuffix(r.WellKnownURL.Value, WellKnownSuffix), r.WellKnownURL, true
	}
	return "", tree.Str{}, false
}

func readRealm(f *source.File, key, oic *yaml.Node) *Realm {
	r := &Realm{File: f, Key: key, Node: oic, Layout: LayoutFlat}
	get := func(m *yaml.Node, k string) tree.Str { return tree.StrOf(m, k) }
	r.ClientID = get(oic, "clientId")
	r.ClientSecret = get(oic, "clientSecret")
	r.UserNameField = get(oic, "userNameField")
	r.GroupsField = get(oic, "groupsFieldName")
	r.EmailField = get(oic, "emailFieldName")
	r.FullNameField = get(oic, "fullNameFieldName")
	r.ClockSkewSeconds = get(oic, "allowedTokenExpirationClockSkewSeconds")

	r.PKCE = tree.FlagOf(oic, "pkceEnabled")
	r.DisableTokenVerification = tree.FlagOf(oic, "disableTokenVerification")
	r.NonceDisabled = tree.FlagOf(oic, "nonceDisabled")
	r.TokenExpirationCheckDisabled = tree.FlagOf(oic, "tokenExpirationCheckDisabled")
	r.DisableSSLVerification = tree.FlagOf(oic, "disableSslVerification")
	r.EscapeHatch = tree.FlagOf(oic, "escapeHatchEnabled")
	r.EscapeHatchSecret = get(oic, "escapeHatchSecret")

	if sk, sc := tree.Get(oic, "serverConfiguration"); sk != nil {
		r.Layout = LayoutServerConfiguration
		if wk, w := tree.Get(sc, "wellKnown"); wk != nil {
			r.Mode, r.ModeNode = ModeWellKnown, wk
			r.WellKnownURL = get(w, "wellKnownOpenIDConfigurationUrl")
			r.ScopesField = get(w, "scopesOverride")
		} else if mk, m := tree.Get(sc, "manual"); mk != nil {
			r.Mode, r.ModeNode = ModeManual, mk
			r.readManual(m)
			r.ScopesField = get(m, "scopes")
		}
	} else {
		r.WellKnownURL = get(oic, "wellKnownOpenIDConfigurationUrl")
		r.readManual(oic)
		amc := get(oic, "automanualconfigure")
		switch {
		case strings.EqualFold(amc.Value, "manual"):
			r.Mode, r.ModeNode = ModeManual, amc.At()
		case strings.EqualFold(amc.Value, "auto"):
			r.Mode, r.ModeNode = ModeWellKnown, amc.At()
		case r.WellKnownURL.Set():
			r.Mode, r.ModeNode = ModeWellKnown, r.WellKnownURL.Key
		case r.TokenURL.Set() || r.AuthorizationURL.Set():
			r.Mode, r.ModeNode = ModeManual, r.TokenURL.Key
			if r.ModeNode == nil {
				r.ModeNode = r.AuthorizationURL.Key
			}
		}
		r.ScopesField = get(oic, "scopes")
		if r.Mode == ModeWellKnown {
			if o := get(oic, "overrideScopes"); o.Set() {
				r.ScopesField = o
			}
		}
	}
	r.Scopes = splitScopes(r.ScopesField)
	r.readProperties(oic)
	return r
}

func (r *Realm) readManual(m *yaml.Node) {
	get := func(k string) tree.Str { return tree.StrOf(m, k) }
	r.Issuer = get("issuer")
	r.AuthorizationURL = get("authorizationServerUrl")
	r.TokenURL = get("tokenServerUrl")
	r.UserInfoURL = get("userInfoServerUrl")
	r.JWKSURL = get("jwksServerUrl")
	r.EndSessionURL = get("endSessionUrl")
	if !r.EndSessionURL.Set() {
		r.EndSessionURL = get("endSessionEndpoint")
	}
}

// readProperties reads the 4.600+ `properties:` list: bare strings name
// argument-less switches; single-key mappings carry arguments.
func (r *Realm) readProperties(oic *yaml.Node) {
	pk, props := tree.Get(oic, "properties")
	if pk == nil {
		return
	}
	r.HasProperties = true
	on := func(n *yaml.Node) tree.Flag { return tree.Flag{Value: true, Key: n, Node: n} }
	for _, it := range tree.Items(props) {
		switch it.Kind {
		case yaml.ScalarNode:
			switch it.Value {
			case "pkce":
				r.PKCE = on(it)
			case "disableNonce":
				r.NonceDisabled = on(it)
			case "disableTokenVerification":
				r.DisableTokenVerification = on(it)
			}
		case yaml.MappingNode:
			for _, p := range tree.Pairs(it) {
				switch p.Key.Value {
				case "pkce":
					r.PKCE = on(p.Key)
				case "disableNonce":
					r.NonceDisabled = on(p.Key)
				case "disableTokenVerification":
					r.DisableTokenVerification = on(p.Key)
				case "escapeHatch":
					r.EscapeHatch = on(p.Key)
					r.EscapeHatchSecret = tree.StrOf(p.Value, "secret")
				case "allowedTokenExpirationClockSkew":
					r.ClockSkewSeconds = tree.StrOf(p.Value, "valueSeconds")
				}
			}
		}
	}
}

// ClockSkew returns the allowed token expiration clock skew in seconds, if
// set to a number.
func (r *Realm) ClockSkew() (int64, bool) {
	if !r.ClockSkewSeconds.NonEmpty() {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(r.ClockSkewSeconds.Value), 10, 64)
	return n, err == nil
}

// splitScopes splits a space-separated scopes value into words with their
// positions (exact for plain and single-line quoted scalars).
func splitScopes(s tree.Str) []ScopeWord {
	if !s.NonEmpty() {
		return nil
	}
	n := s.Node
	line, col := n.Line, n.Column
	if n.Style == yaml.DoubleQuotedStyle || n.Style == yaml.SingleQuotedStyle {
		col++
	}
	var out []ScopeWord
	runes := []rune(s.Value)
	for i := 0; i < len(runes); {
		if runes[i] == ' ' || runes[i] == '\t' || runes[i] == ',' || runes[i] == '\n' {
			i++
			continue
		}
		j := i
		for j < len(runes) && runes[j] != ' ' && runes[j] != '\t' && runes[j] != ',' && runes[j] != '\n' {
			j++
		}
		out = append(out, ScopeWord{Value: string(runes[i:j]), Line: line, Col: col + i})
		i = j
	}
	return out
}

// HasScope reports whether the realm requests scope.
func (r *Realm) HasScope(scope string) bool {
	for _, w := range r.Scopes {
		if w.Value == scope {
			return true
		}
	}
	return false
}

// AuditTrail is the audit-trail plugin's configuration
// (unclassified.audit-trail).
type AuditTrail struct {
	Key                 *yaml.Node
	Loggers             int // configured loggers (console, logFile, syslog, elastic…)
	LogAuthEvents       tree.Flag
	LogCredentialsUsage tree.Flag
}

func readAuditTrail(root *yaml.Node) *AuditTrail {
	_, u := tree.Get(root, "unclassified")
	k, at := tree.Get(u, "audit-trail")
	if k == nil {
		return nil
	}
	a := &AuditTrail{Key: k}
	_, loggers := tree.Get(at, "loggers")
	a.Loggers = len(tree.Items(loggers))
	a.LogAuthEvents = tree.FlagOf(at, "logAuthEvents")
	a.LogCredentialsUsage = tree.FlagOf(at, "logCredentialsUsage")
	return a
}
