// Package jcasc reads Jenkins Configuration-as-Code YAML into typed views
// whose every value keeps its place (line, column, end) and what a fix needs
// of its node, but not the node: the views are kept to the end of a run and
// the syntax trees are not. The oic security realm is read in all three
// layouts the oic-auth plugin has used.
package jcasc

import (
	"path"
	"strconv"
	"strings"
	"unique"

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
	// SecurityRealmKey is the jenkins.securityRealm key (zero when absent).
	SecurityRealmKey tree.Mark
	// otherRealm: securityRealm names a realm other than oic (OtherRealm).
	otherRealm bool
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

// OtherRealm reports whether the document sets jenkins.securityRealm to
// another realm than oic (local, ldap, saml…): its authorization strategy
// goes with that realm, never with another document's oic realm (JCasC
// cannot merge two realms into one controller: such documents are
// alternatives, as Terraform and Helm keep them).
// A null or empty securityRealm, or one a variable fills in, names none.
func (d *Doc) OtherRealm() bool { return d.otherRealm }

// namesRealm reports whether the securityRealm value v configures a realm:
// a mapping with a key (local:, ldap:, saml:) or a symbol (legacy), not
// null, empty or a variable.
func namesRealm(v *yaml.Node) bool {
	v = tree.Resolve(v)
	if v == nil {
		return false
	}
	switch v.Kind {
	case yaml.MappingNode:
		return len(v.Content) > 0
	case yaml.ScalarNode:
		t := strings.TrimSpace(v.Value)
		return v.Tag != "!!null" && t != "" && !strings.Contains(t, "${")
	}
	return false
}

// Compact drops the document's tree: the views hold marks and values, not
// nodes, so a workspace of many large JCasC files keeps only what the rules
// read (a credential's ID and kind, not its private key block; a realm's
// fields, not its mapping). Root is nil after.
func (d *Doc) Compact() { d.Root = nil }

// Read builds the typed views of a JCasC root mapping.
func Read(f *source.File, root *yaml.Node) *Doc {
	d := &Doc{File: f, Root: root, Controller: path.Dir(f.Path), Eras: plugins.ReadEras(f, root)}
	_, jenkins := tree.Get(root, "jenkins")
	k, sr := tree.Get(jenkins, "securityRealm")
	d.SecurityRealmKey = tree.MarkOf(f, k)
	d.Authorization = readAuthorization(f, root)
	d.AuditTrail = readAuditTrail(f, root)
	d.Credentials = readCredentials(f, root)
	d.IDToken = readIDTokenConfig(f, root)
	d.IDTokens = idtoken.Read(f, root)
	if ok, oic := tree.Get(sr, "oic"); ok != nil {
		d.Realm = readRealm(f, ok, oic)
		d.Realm.Doc = d
	} else {
		d.otherRealm = namesRealm(sr)
	}
	return d
}

// Mode is how the realm learns the provider's endpoints.
type Mode uint8

// Realm configuration modes.
const (
	ModeUnknown   Mode = iota
	ModeWellKnown      // discovery document
	ModeManual         // endpoints written by hand
)

// Layout is the era of the oic realm's JCasC shape.
type Layout uint8

// The three layouts of RULES.md.
const (
	LayoutFlat                Layout = iota + 1 // oic-auth ≤ 4.34x: endpoints directly on oic
	LayoutServerConfiguration                   // 4.350+: serverConfiguration.wellKnown|manual
)

// Realm is the typed view of jenkins.securityRealm.oic. It holds no node:
// a reader that needs more of the realm's tree than the view reads it again
// (Reread).
//
// The fields are ordered so that the struct packs into 640 bytes: a run
// keeps one for every JCasC file.
type Realm struct {
	File *source.File
	Doc  *Doc // the document it is in
	// keys are the keys the oic mapping sets (tree.Keys: merged mappings'
	// keys included), one handle each (HasKey).
	keys []unique.Handle[string]
	Key  tree.Mark // the `oic` key
	// Mapping is true when the oic value is a mapping.
	Mapping       bool
	HasProperties bool // the 4.600+ `properties:` list is present
	Layout        Layout
	Mode          Mode
	// ModeNode is what decided the mode: serverConfiguration.wellKnown /
	// manual key, or the flat automanualconfigure value.
	ModeNode tree.Mark

	ClientID     tree.Scalar
	ClientSecret tree.Scalar

	WellKnownURL     tree.Scalar
	Issuer           tree.Scalar
	AuthorizationURL tree.Scalar
	TokenURL         tree.Scalar
	UserInfoURL      tree.Scalar
	JWKSURL          tree.Scalar
	EndSessionURL    tree.Scalar
	// AutoManual is the flat layout's automanualconfigure (read in every
	// layout).
	AutoManual tree.Scalar

	// Scopes are the requested scopes (space-separated in JCasC); ScopesField
	// is the field they were read from. Unset means the plugin default
	// ("openid email" in manual mode; every scope the provider lists with
	// wellKnown).
	Scopes      []ScopeWord
	ScopesField tree.Scalar

	UserNameField tree.Scalar
	GroupsField   tree.Scalar
	EmailField    tree.Scalar
	FullNameField tree.Scalar

	// ids are userIdStrategy and groupIdStrategy as written, nil when
	// the realm sets neither (most do not).
	ids *[2]IDStrategy

	PKCE                         tree.Switch
	DisableTokenVerification     tree.Switch
	NonceDisabled                tree.Switch
	TokenExpirationCheckDisabled tree.Switch
	DisableSSLVerification       tree.Switch
	EscapeHatch                  tree.Switch
	EscapeHatchSecret            tree.Scalar
	ClockSkewSeconds             tree.Scalar
}

// IDStrategy is the realm's userIdStrategy or groupIdStrategy as written.
type IDStrategy struct {
	// Name is the value, or the one key of a mapping value
	// (caseSensitive: {}); "" otherwise.
	Name string
	Key  tree.Mark // zero when absent
	// Valued is true when the key has a value node (even null).
	Valued bool
}

func readIDStrategy(f *source.File, oic *yaml.Node, key string) IDStrategy {
	k, v := tree.Get(oic, key)
	if k == nil {
		return IDStrategy{}
	}
	s := IDStrategy{Key: tree.MarkOf(f, k), Valued: v != nil}
	if v != nil {
		s.Name = v.Value
		if v.Kind == yaml.MappingNode {
			if ps := tree.Pairs(v); len(ps) == 1 {
				s.Name = ps[0].Key.Value
			}
		}
	}
	return s
}

// UserIDStrategy is userIdStrategy as written (zero when unset).
func (r *Realm) UserIDStrategy() IDStrategy {
	if r.ids == nil {
		return IDStrategy{}
	}
	return r.ids[0]
}

// GroupIDStrategy is groupIdStrategy as written (zero when unset).
func (r *Realm) GroupIDStrategy() IDStrategy {
	if r.ids == nil {
		return IDStrategy{}
	}
	return r.ids[1]
}

// HasKey reports whether the realm's mapping sets one of keys.
func (r *Realm) HasKey(keys ...string) bool {
	for _, k := range keys {
		h := unique.Make(k)
		for _, x := range r.keys {
			if x == h {
				return true
			}
		}
	}
	return false
}

// Reread parses the realm's file again and returns its oic key and value
// nodes, nil when they are no longer there: for the few readers that need
// more of the realm's tree than the view keeps (a fix that inserts a key,
// the access command). The file's text is kept to the end of a run.
func (r *Realm) Reread() (key, oic *yaml.Node) {
	if r.File == nil || r.Key.IsZero() {
		return nil, nil
	}
	docs, ferr := tree.ParseYAML(r.File)
	if ferr != nil {
		return nil, nil
	}
	for _, root := range docs {
		k, v := tree.Get(tree.Lookup(root, "jenkins", "securityRealm"), "oic")
		if k != nil && k.Line == int(r.Key.Line) && k.Column == int(r.Key.Col) {
			return k, v
		}
	}
	return nil, nil
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
	Value          tree.Scalar
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
			if e.Value.Set() {
				e.Field = e.Value.Name()
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
func (r *Realm) IssuerValue() (issuer string, at tree.Scalar, ok bool) {
	if r.Issuer.NonEmpty() && !tree.IsVariable(r.Issuer.Value) {
		return r.Issuer.Value, r.Issuer, true
	}
	if r.WellKnownURL.NonEmpty() && !tree.IsVariable(r.WellKnownURL.Value) {
		return strings.TrimSuffix(r.WellKnownURL.Value, WellKnownSuffix), r.WellKnownURL, true
	}
	return "", tree.Scalar{}, false
}

func readRealm(f *source.File, key, oic *yaml.Node) *Realm {
	r := &Realm{File: f, Key: tree.MarkOf(f, key), Layout: LayoutFlat}
	if n := tree.Resolve(oic); n != nil && n.Kind == yaml.MappingNode {
		r.Mapping = true
		keys := tree.Keys(n)
		r.keys = make([]unique.Handle[string], len(keys))
		for i, k := range keys {
			r.keys[i] = unique.Make(k)
		}
	}
	get := func(m *yaml.Node, k string) tree.Scalar { return tree.ScalarOf(f, m, k) }
	r.ClientID = get(oic, "clientId")
	r.ClientSecret = get(oic, "clientSecret")
	r.UserNameField = get(oic, "userNameField")
	r.GroupsField = get(oic, "groupsFieldName")
	r.EmailField = get(oic, "emailFieldName")
	r.FullNameField = get(oic, "fullNameFieldName")
	r.ClockSkewSeconds = get(oic, "allowedTokenExpirationClockSkewSeconds")

	if ids := [2]IDStrategy{readIDStrategy(f, oic, "userIdStrategy"), readIDStrategy(f, oic, "groupIdStrategy")}; ids != [2]IDStrategy{} {
		r.ids = &ids
	}
	r.AutoManual = get(oic, "automanualconfigure")

	r.PKCE = tree.SwitchOf(f, oic, "pkceEnabled")
	r.DisableTokenVerification = tree.SwitchOf(f, oic, "disableTokenVerification")
	r.NonceDisabled = tree.SwitchOf(f, oic, "nonceDisabled")
	r.TokenExpirationCheckDisabled = tree.SwitchOf(f, oic, "tokenExpirationCheckDisabled")
	r.DisableSSLVerification = tree.SwitchOf(f, oic, "disableSslVerification")
	r.EscapeHatch = tree.SwitchOf(f, oic, "escapeHatchEnabled")
	r.EscapeHatchSecret = get(oic, "escapeHatchSecret")

	if sk, sc := tree.Get(oic, "serverConfiguration"); sk != nil {
		r.Layout = LayoutServerConfiguration
		if wk, w := tree.Get(sc, "wellKnown"); wk != nil {
			r.Mode, r.ModeNode = ModeWellKnown, tree.MarkOf(f, wk)
			r.WellKnownURL = get(w, "wellKnownOpenIDConfigurationUrl")
			r.ScopesField = get(w, "scopesOverride")
		} else if mk, m := tree.Get(sc, "manual"); mk != nil {
			r.Mode, r.ModeNode = ModeManual, tree.MarkOf(f, mk)
			r.readManual(f, m)
			r.ScopesField = get(m, "scopes")
		}
	} else {
		r.WellKnownURL = get(oic, "wellKnownOpenIDConfigurationUrl")
		r.readManual(f, oic)
		amc := r.AutoManual
		switch {
		case strings.EqualFold(amc.Value, "manual"):
			r.Mode, r.ModeNode = ModeManual, amc.At()
		case strings.EqualFold(amc.Value, "auto"):
			r.Mode, r.ModeNode = ModeWellKnown, amc.At()
		case r.WellKnownURL.Set():
			r.Mode, r.ModeNode = ModeWellKnown, r.WellKnownURL.Key()
		case r.TokenURL.Set() || r.AuthorizationURL.Set():
			r.Mode, r.ModeNode = ModeManual, r.TokenURL.Key()
			if r.ModeNode.IsZero() {
				r.ModeNode = r.AuthorizationURL.Key()
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
	r.readProperties(f, oic)
	return r
}

func (r *Realm) readManual(f *source.File, m *yaml.Node) {
	get := func(k string) tree.Scalar { return tree.ScalarOf(f, m, k) }
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
func (r *Realm) readProperties(f *source.File, oic *yaml.Node) {
	pk, props := tree.Get(oic, "properties")
	if pk == nil {
		return
	}
	r.HasProperties = true
	on := func(n *yaml.Node) tree.Switch { return tree.SwitchItem(f, n) }
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
					r.EscapeHatchSecret = tree.ScalarOf(f, p.Value, "secret")
				case "allowedTokenExpirationClockSkew":
					r.ClockSkewSeconds = tree.ScalarOf(f, p.Value, "valueSeconds")
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
func splitScopes(s tree.Scalar) []ScopeWord {
	if !s.NonEmpty() {
		return nil
	}
	n := s.Node()
	line, col := int(n.Line), int(n.Col)
	if st := yaml.Style(n.Style); st == yaml.DoubleQuotedStyle || st == yaml.SingleQuotedStyle {
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
	Key                 tree.Mark
	Loggers             int // configured loggers (console, logFile, syslog, elastic…)
	LogAuthEvents       tree.Switch
	LogCredentialsUsage tree.Switch
}

func readAuditTrail(f *source.File, root *yaml.Node) *AuditTrail {
	_, u := tree.Get(root, "unclassified")
	k, at := tree.Get(u, "audit-trail")
	if k == nil {
		return nil
	}
	a := &AuditTrail{Key: tree.MarkOf(f, k)}
	_, loggers := tree.Get(at, "loggers")
	a.Loggers = len(tree.Items(loggers))
	a.LogAuthEvents = tree.SwitchOf(f, at, "logAuthEvents")
	a.LogCredentialsUsage = tree.SwitchOf(f, at, "logCredentialsUsage")
	return a
}
