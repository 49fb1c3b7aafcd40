package inventory

import (
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/secrets"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// Secret is one secret a JCasC document defines, as read from its YAML:
// where it is, where its value comes from, and what the file says of its
// expiry. It never holds the value.
type Secret struct {
	// ID is the credential ID as written (it may be empty or a variable),
	// or expiry.RealmClientSecret / expiry.RealmEscapeHatchSecret.
	ID string
	// Kind is the credential kind (string, usernamePassword, certificate,
	// idToken…), or "oic" for the realm's own secrets.
	Kind        string
	Scope       string // GLOBAL, SYSTEM…; "" when not written
	Domain      string // the credentials domain, "" for the global one
	Description string
	// File is the document's file (an embedded document's own: use
	// File.Name and File.Shown for what people see).
	File *source.File
	// At is the credential's kind key, or the realm field's key; IDAt is
	// its id value (At when it has none): what findings point at.
	At, IDAt tree.Place
	// Lines are the lines it occupies in File, for annotations.
	Lines expiry.Span
	// Fields are its secret fields, in document order.
	Fields []Field
	// Source is the most exposed source of its fields (None without any).
	Source Source
	// Materials are the certificates and tokens its fields hold.
	Materials []Found
	// MaterialErr says why a material could not be read (a
	// password-protected keystore), "" otherwise.
	MaterialErr string
	// Lifetime is the lifetime of an id token (idToken, idTokenFile).
	Lifetime time.Duration
	// Annotation is the expires=/rotated=/max-age= comment beside it.
	Annotation *expiry.Annotation
}

// Field is one secret field of a credential or the realm.
type Field struct {
	Name   string     // its key (password, secret, privateKey, uploadedKeystore…)
	Path   string     // its path inside the credential (privateKeySource.directEntry.privateKey)
	At     tree.Place // its value
	Source Source
	Ref    string // the reference it names, for Environment, SecretFile…
}

// Found is a material found in a field.
type Found struct {
	expiry.Material
	Field string     // the field's path
	At    tree.Place // the field's value
}

// IsCredential reports whether the secret is a JCasC credential (not one
// of the realm's own secrets).
func (s *Secret) IsCredential() bool { return s.Kind != "oic" }

// materialKeys are the fields that hold certificates or keystores although
// their names do not say "secret".
var materialKeys = map[string]bool{
	"uploadedKeystore": true, "clientCertificate": true, "serverCaCertificate": true,
	"certificate": true, "keyStoreFile": true, "keyStore": true,
}

// certificateKeys hold certificates (public material with an expiry).
var certificateKeys = map[string]bool{"clientCertificate": true, "serverCaCertificate": true, "certificate": true}

// notSecretKeys are secret-sounding fields that name rather than hold a
// secret.
var notSecretKeys = map[string]bool{"accessKey": true, "id": true, "secretName": true, "secretId": false}

// vaultKinds are the hashicorp-vault-plugin's credential kinds: they hold a
// Vault path, and the value lives in Vault.
func isVaultKind(kind string) bool { return strings.HasPrefix(strings.ToLower(kind), "vault") }

// ReadDoc reads the secrets one JCasC root mapping of f defines: the oic
// realm's client secret (or client assertion file) and escape-hatch secret,
// and every credential of credentials.system.domainCredentials, each with
// its annotation. placeholders are the settings' extra placeholders.
func ReadDoc(f *source.File, root *yaml.Node, placeholders []string) []*Secret {
	var out []*Secret
	oic := tree.Lookup(root, "jenkins", "securityRealm", "oic")
	if oic != nil {
		out = append(out, readRealm(f, oic, placeholders)...)
	}
	lifetime := time.Hour
	if lt := tree.StrOf(tree.Lookup(root, "security", "idToken"), "tokenLifetime"); lt.NonEmpty() {
		if n, err := strconv.Atoi(strings.TrimSpace(lt.Value)); err == nil && n > 0 {
			lifetime = time.Duration(n) * time.Second
		}
	}
	for _, dc := range tree.Items(tree.Lookup(root, "credentials", "system", "domainCredentials")) {
		domain := tree.StrOf(tree.Lookup(dc, "domain"), "name").Value
		_, list := tree.Get(dc, "credentials")
		for _, item := range tree.Items(list) {
			for _, p := range tree.Pairs(item) {
				out = append(out, readCredential(f, p.Key, p.Value, domain, lifetime, placeholders))
			}
		}
	}
	annotate(f, out)
	return out
}

func readRealm(f *source.File, oic *yaml.Node, placeholders []string) []*Secret {
	var out []*Secret
	realm := func(id string, key, val *yaml.Node, path string) *Secret {
		s := &Secret{ID: id, Kind: "oic", File: f, At: tree.PlaceOf(f, key), IDAt: tree.PlaceOf(f, val)}
		if val == nil || val.Line == 0 {
			s.IDAt = s.At
		}
		s.Lines = expiry.Span{First: key.Line, Last: lastLine(val, key.Line)}
		if val != nil && val.Kind == yaml.ScalarNode {
			at := tree.PlaceOf(f, val)
			src, ref := ClassifyAt(f, at, val.Value, placeholders)
			s.Fields = []Field{{Name: key.Value, Path: path, At: at, Source: src, Ref: ref}}
			s.Source = src
		} else {
			s.Source = None
		}
		return s
	}
	if k, v := tree.Get(oic, "clientAssertionFilePath"); k != nil {
		s := realm(expiry.RealmClientSecret, k, v, "clientAssertionFilePath")
		// a file the controller reads (a projected service-account token):
		// no shared secret in the configuration
		s.Source = SecretFile
		for i := range s.Fields {
			s.Fields[i].Source, s.Fields[i].Ref = SecretFile, strings.TrimSpace(v.Value)
		}
		out = append(out, s)
	} else if k, v := tree.Get(oic, "clientSecret"); k != nil {
		out = append(out, realm(expiry.RealmClientSecret, k, v, "clientSecret"))
	}
	if k, v := tree.Get(oic, "escapeHatchSecret"); k != nil {
		out = append(out, realm(expiry.RealmEscapeHatchSecret, k, v, "escapeHatchSecret"))
	}
	_, props := tree.Get(oic, "properties")
	for _, it := range tree.Items(props) {
		if k, v := tree.Get(tree.Lookup(it, "escapeHatch"), "secret"); k != nil {
			out = append(out, realm(expiry.RealmEscapeHatchSecret, k, v, "properties.escapeHatch.secret"))
		}
	}
	return out
}

func readCredential(f *source.File, kindKey, body *yaml.Node, domain string, lifetime time.Duration, placeholders []string) *Secret {
	s := &Secret{Kind: kindKey.Value, Domain: domain, File: f, At: tree.PlaceOf(f, kindKey)}
	s.ID = tree.StrOf(body, "id").Value
	s.Scope = tree.StrOf(body, "scope").Value
	s.Description = tree.StrOf(body, "description").Value
	s.IDAt = s.At
	if idv := tree.StrOf(body, "id"); idv.Set() && idv.At() != nil {
		s.IDAt = tree.PlaceOf(f, idv.At())
	}
	s.Lines = expiry.Span{First: kindKey.Line, Last: lastLine(body, kindKey.Line)}
	switch {
	case s.Kind == "idToken" || s.Kind == "idTokenFile":
		s.Source, s.Lifetime = IDToken, lifetime
		return s
	case isVaultKind(s.Kind):
		s.Source = Vault
		path := tree.StrOf(body, "path")
		if path.NonEmpty() {
			s.Fields = []Field{{Name: "path", Path: "path", At: tree.PlaceOf(f, path.At()), Source: Vault, Ref: path.Value}}
		}
		return s
	}
	s.Source = None
	walkFields(body, "", func(path string, key, val *yaml.Node) {
		name := key.Value
		if notSecretKeys[name] || !(secrets.IsSecretName(name) || materialKeys[name]) {
			return
		}
		fd := Field{Name: name, Path: path, At: tree.PlaceOf(f, val)}
		if certificateKeys[name] {
			// a certificate is public: it has an expiry, not a secret
			ms, _ := expiry.Value(val.Value, false)
			for _, m := range ms {
				s.Materials = append(s.Materials, Found{Material: m, Field: path, At: fd.At})
			}
			return
		}
		fd.Source, fd.Ref = ClassifyAt(f, fd.At, val.Value, placeholders)
		if name == "keyStoreFile" && fd.Source == Literal {
			fd.Source, fd.Ref = SecretFile, strings.TrimSpace(val.Value) // a path on the controller
		}
		if fd.Source == None {
			return
		}
		s.Fields = append(s.Fields, fd)
		if len(s.Fields) == 1 || fd.Source.rank() < s.Source.rank() {
			s.Source = fd.Source
		}
		if fd.Source == Literal {
			ms, err := expiry.Value(val.Value, name == "uploadedKeystore" || name == "keyStore" || s.Kind == "certificate")
			if err != nil && s.MaterialErr == "" {
				s.MaterialErr = path + ": " + err.Error()
			}
			for _, m := range ms {
				s.Materials = append(s.Materials, Found{Material: m, Field: path, At: fd.At})
			}
		}
	})
	return s
}

// walkFields calls fn for every scalar field under n (mappings and lists,
// aliases resolved, each node once), with its dotted path.
func walkFields(n *yaml.Node, prefix string, fn func(path string, key, val *yaml.Node)) {
	seen := map[*yaml.Node]bool{}
	var walk func(n *yaml.Node, prefix string, depth int)
	walk = func(n *yaml.Node, prefix string, depth int) {
		n = tree.Resolve(n)
		if n == nil || seen[n] || depth > 32 {
			return
		}
		seen[n] = true
		switch n.Kind {
		case yaml.MappingNode:
			for _, p := range tree.Pairs(n) {
				path := p.Key.Value
				if prefix != "" {
					path = prefix + "." + path
				}
				if p.Value != nil && p.Value.Kind == yaml.ScalarNode && p.Value.Tag != "!!null" {
					fn(path, p.Key, p.Value)
					continue
				}
				walk(p.Value, path, depth+1)
			}
		case yaml.SequenceNode:
			for i, it := range tree.Items(n) {
				walk(it, prefix+"["+strconv.Itoa(i)+"]", depth+1)
			}
		}
	}
	walk(n, prefix, 0)
}

// lastLine is the last line a node's text reaches (def for nil).
func lastLine(n *yaml.Node, def int) int {
	last := def
	seen := 0
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil || seen > tree.MaxNodes {
			return
		}
		seen++
		if n.Line > last {
			last = n.Line
		}
		if n.Kind == yaml.ScalarNode && (n.Style == yaml.LiteralStyle || n.Style == yaml.FoldedStyle) {
			if l := n.Line + strings.Count(strings.TrimRight(n.Value, "\n"), "\n") + 1; l > last {
				last = l
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return last
}

// annotate gives each secret the annotation that belongs to it.
func annotate(f *source.File, ss []*Secret) {
	if len(ss) == 0 {
		return
	}
	as := expiry.Annotations(f)
	if len(as) == 0 {
		return
	}
	spans := make([]expiry.Span, len(ss))
	for i, s := range ss {
		spans[i] = s.Lines
	}
	for i := range as {
		if k := expiry.Owner(spans, as[i]); k >= 0 && ss[k].Annotation == nil {
			a := as[i]
			ss[k].Annotation = &a
		}
	}
}

// OtherCertificates finds the PEM certificates of a JCasC root mapping
// outside its credentials and realm (a Kubernetes cloud's serverCertificate,
// a trusted CA): each with its field's path and place.
func OtherCertificates(f *source.File, root *yaml.Node) []Found {
	if !strings.Contains(string(f.Data), "-----BEGIN CERTIFICATE-----") {
		return nil
	}
	var out []Found
	walkFields(root, "", func(path string, key, val *yaml.Node) {
		if strings.HasPrefix(path, "credentials.system.") || strings.HasPrefix(path, "jenkins.securityRealm.") ||
			!strings.Contains(val.Value, "-----BEGIN CERTIFICATE-----") {
			return
		}
		ms, _ := expiry.Value(val.Value, false)
		for _, m := range ms {
			out = append(out, Found{Material: m, Field: path, At: tree.PlaceOf(f, key)})
		}
	})
	return out
}
