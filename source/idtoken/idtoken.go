// Package idtoken reads the Jenkins side of id tokens from JCasC, as the
// oidc-provider plugin builds them: the controller's root issuer
// (unclassified.location.url with a trailing slash ensured, plus "oidc"),
// the issuers of folders that hold id-token credentials (job-dsl folder
// properties under the jobs: root key), each idToken / idTokenFile
// credential with its audience and issuer override, and the claim
// templates (security.idToken). Claims computes what a build's token would
// carry, marking what cannot be known.
//
// Facts are from jenkinsci/oidc-provider-plugin (IdTokenCredentials.token
// and findIssuer, Issuer.url, FolderIssuer.uri, RootIssuer,
// config/IdTokenConfiguration, config/ClaimTemplate). Values are
// trust.Value, so the rules compare both sides with one type and one Match.
package idtoken

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/embed"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/trust"
)

// URLName is the path under the root URL where the plugin serves issuers.
const URLName = "oidc"

// Controller is what one JCasC document says about id tokens. Places are
// in the document's own file (File.Shown maps an embedded one).
type Controller struct {
	File *source.File
	// RootURL is unclassified.location.url as written, after JCasC's
	// variable handling (Unknown when it holds ${…}); zero when unset.
	RootURL trust.Value
	// Issuer is the root issuer, RootURL with a trailing "/" ensured plus
	// "oidc" (Unknown when RootURL is unset: Jenkins then takes the URL of
	// the HTTP request, and outside one it has none).
	Issuer trust.Value
	// Credentials are the idToken and idTokenFile credentials: the
	// system's (credentials.system.domainCredentials) and the folders'
	// (job-dsl scripts under jobs:).
	Credentials []*Credential
	// Folders are the folders job-dsl scripts define with id-token
	// credentials, with their issuers.
	Folders []*Folder
	// Config is security.idToken, defaults filled in. Documents that do not
	// write security.idToken share one (read-only) Config: most documents,
	// and 632 bytes each.
	Config *Config
}

// Credential is one idToken / idTokenFile credential.
type Credential struct {
	Kind string // "idToken" or "idTokenFile"
	// KindAt spans the kind key (or the job-dsl block's name).
	KindAt      trust.Span
	ID          trust.Value
	Audience    trust.Value // zero: the token has no aud
	Override    trust.Value // the issuer field: the iss its tokens carry instead
	Scope       trust.Value
	Description trust.Value
	// Domain is the credentials domain's name, "" for the global domain.
	// The plugin reads credentials of the global domain only: one in
	// another domain issues no token (NotServed).
	Domain string
	// Folder is the full name of the folder that holds it ("a/b"), "" for
	// the system's credentials.
	Folder string
	// Issuer is the iss of its tokens: Override when set, else the folder's
	// or the root issuer. Its From is the value it was derived from.
	Issuer trust.Value
}

// NotServed reports whether the plugin never finds the credential's issuer
// (it is in a domain other than the global one).
func (c *Credential) NotServed() bool { return c.Domain != "" }

// Folder is a folder with id-token credentials of its own.
type Folder struct {
	FullName string
	// Where spans the folder's name in the job-dsl script.
	Where  trust.Span
	Issuer trust.Value
}

// Read reads the id-token view of a JCasC root mapping.
func Read(f *source.File, root *yaml.Node) *Controller {
	c := &Controller{File: f}
	if _, url := tree.Get(tree.Lookup(root, "unclassified", "location"), "url"); url != nil && tree.IsScalar(url) {
		c.RootURL = cascValue(f, url)
	}
	c.Issuer = RootIssuer(c.RootURL)
	for _, dc := range tree.Items(tree.Lookup(root, "credentials", "system", "domainCredentials")) {
		domain := tree.StrOf(tree.Lookup(dc, "domain"), "name").Value
		_, list := tree.Get(dc, "credentials")
		for _, item := range tree.Items(list) {
			for _, p := range tree.Pairs(item) {
				if p.Key.Value != "idToken" && p.Key.Value != "idTokenFile" {
					continue
				}
				cr := &Credential{Kind: p.Key.Value, KindAt: span(f, p.Key), Domain: domain}
				cr.ID = field(f, p.Value, "id")
				cr.Audience = field(f, p.Value, "audience")
				cr.Override = field(f, p.Value, "issuer")
				cr.Scope = field(f, p.Value, "scope")
				cr.Description = field(f, p.Value, "description")
				cr.Issuer = c.issuerFor(cr)
				c.Credentials = append(c.Credentials, cr)
			}
		}
	}
	c.readJobDSL(root)
	c.Config = readConfig(f, root)
	if !c.RootURL.IsSet() && c.Credentials == nil && c.Folders == nil && c.Config == defaultConfig {
		return empty
	}
	return c
}

// Writes reports whether the document c was read from writes anything
// about id tokens (c is not the shared empty view).
func (c *Controller) Writes() bool { return c != nil && c != empty }

// empty is the view of every document that writes nothing about id tokens
// (no root URL, no id-token credentials or folders, no security.idToken):
// shared, as defaultConfig is, so that a tree of many such documents does
// not hold a Controller (448 bytes) for each. It has no File; never
// modified.
var empty = &Controller{Issuer: RootIssuer(trust.Value{}), Config: defaultConfig}

// RootIssuer is the root issuer for a root URL: getRootUrl() ends with
// "/" (added when missing), and the issuer is that plus "oidc".
func RootIssuer(root trust.Value) trust.Value {
	if !root.IsSet() {
		return trust.Value{Text: "${JENKINS_URL}oidc"}
	}
	out := trust.Value{Span: root.Span, Known: root.Known, From: &root}
	text := root.Text
	if root.Known && text == "" {
		return trust.Value{Text: "${JENKINS_URL}oidc", Span: root.Span, From: &root}
	}
	if !strings.HasSuffix(text, "/") {
		text += "/"
	}
	out.Text = text + URLName
	return out
}

// FolderIssuer is the issuer of a folder (full name "a/b"): the root
// issuer plus /job/a/job/b, each name raw-encoded as Jenkins' Util.rawEncode.
func FolderIssuer(rootIssuer trust.Value, fullName string) trust.Value {
	out := rootIssuer
	out.Verbatim = false
	out.Text = rootIssuer.Text + FolderURI(fullName)
	return out
}

// FolderURI is FolderIssuer.uri(): "/job/a/job/b" for "a/b".
func FolderURI(fullName string) string {
	var b strings.Builder
	for _, seg := range strings.Split(fullName, "/") {
		b.WriteString("/job/")
		b.WriteString(RawEncode(seg))
	}
	return b.String()
}

// RawEncode escapes a path segment as Jenkins' Util.rawEncode: every byte
// but ASCII letters, digits and !$&'()*+,-.=@_ becomes %XX.
func RawEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!$&'()*+,-.=@_", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func (c *Controller) issuerFor(cr *Credential) trust.Value {
	if cr.Override.IsSet() && !(cr.Override.Known && cr.Override.Text == "") {
		return cr.Override
	}
	if cr.Folder == "" {
		return c.Issuer
	}
	return FolderIssuer(c.Issuer, cr.Folder)
}

// span is the place of a node's text in f.
func span(f *source.File, n *yaml.Node) trust.Span {
	if n == nil || n.Line == 0 {
		return trust.Span{}
	}
	off := f.Offset(n.Line, n.Column)
	end := off
	if e := tree.End(f, n); e.IsValid() {
		end = max(off, f.Offset(e.Line, e.Col))
	}
	return trust.Span{Pos: f.PosAt(off), End: f.PosAt(end), Off: off, EndOff: end}
}

// field reads key of mapping m as a JCasC scalar.
func field(f *source.File, m *yaml.Node, key string) trust.Value {
	_, v := tree.Get(m, key)
	if v == nil || !tree.IsScalar(v) {
		return trust.Value{}
	}
	return cascValue(f, v)
}

// cascValue reads a JCasC scalar as the configuration-as-code plugin
// resolves it: ^${X} is the literal ${X}; ${X} and ${X:-default} are
// variables resolved when JCasC loads (Unknown here).
func cascValue(f *source.File, n *yaml.Node) trust.Value {
	v := trust.Value{Text: n.Value, Known: true, Span: span(f, n)}
	if !strings.Contains(n.Value, "${") {
		p := f.Offset(n.Line, n.Column)
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
			p++
		}
		if p+len(n.Value) <= len(f.Data) && string(f.Data[p:p+len(n.Value)]) == n.Value && !strings.ContainsAny(n.Value, "\r\n") {
			v.Verbatim, v.TextAt = true, f.PosAt(p)
		}
		return v
	}
	text, parts, known := cascDecode(n.Value)
	v.Text, v.Known = text, known
	if !known {
		v.Parts = parts
		if len(parts) == 1 {
			v.Ref, v.Parts = parts[0].Ref, nil
		}
	}
	return v
}

// cascDecode resolves JCasC's escapes in s: ^${X} → ${X} (literal),
// ${X} → an unknown piece.
func cascDecode(s string) (string, []trust.Part, bool) {
	var parts []trust.Part
	var lit strings.Builder
	known := true
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], "^${") {
			lit.WriteString("${")
			i += 3
			continue
		}
		if strings.HasPrefix(s[i:], "${") {
			if j := strings.IndexByte(s[i:], '}'); j > 0 {
				if lit.Len() > 0 {
					parts = append(parts, trust.Part{Text: lit.String(), Known: true})
					lit.Reset()
				}
				name := s[i+2 : i+j]
				ref := name
				if k := strings.Index(name, ":-"); k >= 0 {
					ref = name[:k]
				}
				parts = append(parts, trust.Part{Text: s[i : i+j+1], Ref: ref})
				known = false
				i += j + 1
				continue
			}
		}
		lit.WriteByte(s[i])
		i++
	}
	if lit.Len() > 0 {
		parts = append(parts, trust.Part{Text: lit.String(), Known: true})
	}
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.Text)
	}
	return b.String(), parts, known
}

// readJobDSL finds, in the job-dsl scripts of the jobs: root key (inline
// script: entries), folders whose properties define idToken / idTokenFile
// credentials (folderCredentialsProperty). It reads the common shape
// written by hand: folder('a/b') { … idToken { id('x'); audience('y') } … }.
func (c *Controller) readJobDSL(root *yaml.Node) {
	k, jobs := tree.Get(root, "jobs")
	if k == nil {
		return
	}
	for _, it := range tree.Items(jobs) {
		kk, script := tree.Get(it, "script")
		if script == nil || script.Kind != yaml.ScalarNode {
			continue
		}
		offs := embed.Offsets(c.File, script, kk.Column-1)
		at := func(i, j int) trust.Span {
			if offs == nil || i < 0 || j >= len(offs) || i > j {
				return span(c.File, script)
			}
			o, e := int(offs[i]), int(offs[j])
			if j > i {
				e = int(offs[j-1]) + 1
			}
			return trust.Span{Pos: c.File.PosAt(o), End: c.File.PosAt(e), Off: o, EndOff: e}
		}
		for _, fd := range scanFolders(script.Value) {
			folder := &Folder{FullName: fd.name, Where: at(fd.nameAt, fd.nameAt+len(fd.name))}
			folder.Issuer = FolderIssuer(c.Issuer, fd.name)
			folder.Issuer.Span = folder.Where
			c.Folders = append(c.Folders, folder)
			for _, cd := range fd.creds {
				cr := &Credential{Kind: cd.kind, KindAt: at(cd.at, cd.at+len(cd.kind)), Folder: fd.name}
				lit := func(a dslArg) trust.Value {
					if a.at < 0 {
						return trust.Value{}
					}
					v := trust.Value{Text: a.text, Known: true, Span: at(a.at-1, a.at+len(a.text)+1)}
					if offs != nil {
						v.Verbatim, v.TextAt = true, at(a.at, a.at).Pos
					}
					return v
				}
				cr.ID = lit(cd.args["id"])
				cr.Audience = lit(cd.args["audience"])
				cr.Override = lit(cd.args["issuer"])
				cr.Scope = lit(cd.args["scope"])
				cr.Description = lit(cd.args["description"])
				cr.Issuer = c.issuerFor(cr)
				c.Credentials = append(c.Credentials, cr)
			}
		}
	}
}

// Problem is something in the id-token setup that makes tokens fail or
// differ from what is written, with its place.
type Problem struct {
	trust.Span
	Message string
}

func (p Problem) String() string {
	return report.Position(p.Pos).String() + ": " + p.Message
}
