// Package trustcheck checks Jenkins id tokens against the trusts that accept
// them: AWS IAM role trust policies, GCP workload identity pool providers,
// Vault JWT roles and Azure federated identity credentials (source/trust),
// and the tokens a controller's builds get (source/idtoken). It pairs each
// trust with the controller whose issuer it names, evaluates a token against
// a trust condition by condition, and answers the `trust` command: for the
// build of one job, which trusts accept its token and, for the others, which
// condition fails and where. The trust-* rules read the same pairing and
// evaluation. It knows nothing of the lint engine: the caller loads the
// workspace.
package trustcheck

import (
	"net/url"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/idtoken"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/trust"
)

// Controller is one Jenkins controller's id-token side: the merged view of
// the JCasC documents that configure it (jcasc.Doc.Controller).
type Controller struct {
	// Key is the controller's key (jcasc.Doc.Controller).
	Key string
	// IDT is the merged id-token view (idtoken.Merge).
	IDT  *idtoken.Controller
	Docs []*jcasc.Doc
}

// Controllers groups JCasC documents by controller, in the order of their
// first document.
func Controllers(docs []*jcasc.Doc) []*Controller {
	var out []*Controller
	at := map[string]*Controller{}
	views := map[string][]*idtoken.Controller{}
	for _, d := range docs {
		if d == nil || d.IDTokens == nil {
			continue
		}
		c := at[d.Controller]
		if c == nil {
			c = &Controller{Key: d.Controller}
			at[d.Controller] = c
			out = append(out, c)
		}
		c.Docs = append(c.Docs, d)
		views[d.Controller] = append(views[d.Controller], d.IDTokens)
	}
	for _, c := range out {
		c.IDT = idtoken.Merge(views[c.Key])
	}
	return out
}

// File returns the JCasC file at path among the controller's documents (an
// embedded document's own file), or nil.
func (c *Controller) File(path string) *source.File {
	for _, d := range c.Docs {
		if d.File != nil && d.File.Path == path {
			return d.File
		}
	}
	return nil
}

// Issuer is one issuer a controller's tokens carry.
type Issuer struct {
	Value trust.Value
	// Source is where it comes from: "root" (unclassified.location.url +
	// oidc), "folder" (a folder's credentials), "override" (a credential's
	// issuer field).
	Source string
	// Folder is the folder's full name for a folder issuer.
	Folder string
	// Creds are the credentials whose tokens carry it (in the global
	// domain: the plugin serves no other).
	Creds []*idtoken.Credential
}

// Describe says where the issuer comes from, for messages.
func (i Issuer) Describe() string {
	switch i.Source {
	case "folder":
		return "the issuer of folder '" + i.Folder + "', which its credentials' tokens carry"
	case "override":
		return "the issuer override of credential '" + credIDs(i.Creds) + "'"
	}
	return "unclassified.location.url + oidc"
}

func credIDs(cs []*idtoken.Credential) string {
	var ids []string
	for _, c := range cs {
		ids = append(ids, c.ID.Text)
	}
	return strings.Join(ids, "', '")
}

// Issuers lists the known issuers of the controller's tokens: the root
// issuer, each folder's, and each credential's override, once each, with
// the credentials that issue tokens under them.
func (c *Controller) Issuers() []Issuer {
	if c.IDT == nil {
		return nil
	}
	var out []Issuer
	index := map[string]int{}
	add := func(v trust.Value, source, folder string) int {
		if !v.Known || v.Text == "" {
			return -1
		}
		if i, ok := index[v.Text]; ok {
			return i
		}
		index[v.Text] = len(out)
		out = append(out, Issuer{Value: v, Source: source, Folder: folder})
		return len(out) - 1
	}
	add(c.IDT.Issuer, "root", "")
	for _, f := range c.IDT.Folders {
		add(f.Issuer, "folder", f.FullName)
	}
	for _, cr := range c.IDT.Credentials {
		if cr.NotServed() {
			continue
		}
		src := "root"
		switch {
		case cr.Override.IsSet() && !(cr.Override.Known && cr.Override.Text == ""):
			src = "override"
		case cr.Folder != "":
			src = "folder"
		}
		if i := add(cr.Issuer, src, cr.Folder); i >= 0 {
			out[i].Creds = append(out[i].Creds, cr)
		}
	}
	return out
}

// Pairing is the controller issuer a trust names: the same string (Exact),
// or the closest one on the same host (a near miss: trailing slash, scheme,
// missing /oidc, another folder's issuer).
type Pairing struct {
	Controller *Controller
	Issuer     Issuer
	Exact      bool
}

// Pair finds the controller issuer a trust names. Trusts whose issuer is
// not known (a variable, a reference the tool could not follow) pair with
// nothing: the tool does not guess.
func Pair(t *trust.Trust, ctls []*Controller) (Pairing, bool) {
	if !t.Issuer.Known || t.Issuer.Text == "" {
		return Pairing{}, false
	}
	want := t.Issuer.Text
	var best Pairing
	bestScore := 0
	for _, c := range ctls {
		for _, is := range c.Issuers() {
			if is.Value.Text == want {
				return Pairing{Controller: c, Issuer: is, Exact: true}, true
			}
			if s := closeness(want, is.Value.Text); s > bestScore {
				best, bestScore = Pairing{Controller: c, Issuer: is}, s
			}
		}
	}
	return best, bestScore > 0
}

// closeness scores two issuers on the same host (0: another host): the
// length of their common prefix once the scheme, case and trailing slashes
// are set aside, plus one.
func closeness(a, b string) int {
	ua, ea := url.Parse(strings.TrimSpace(a))
	ub, eb := url.Parse(strings.TrimSpace(b))
	if ea != nil || eb != nil || ua.Hostname() == "" || !strings.EqualFold(ua.Hostname(), ub.Hostname()) {
		return 0
	}
	na := strings.ToLower(strings.TrimRight(ua.Host+ua.Path, "/"))
	nb := strings.ToLower(strings.TrimRight(ub.Host+ub.Path, "/"))
	n := 0
	for n < len(na) && n < len(nb) && na[n] == nb[n] {
		n++
	}
	return n + 1
}

// Trusts lists every trust of the documents, in document and file order.
func Trusts(docs []*trust.Doc) []*trust.Trust {
	var out []*trust.Trust
	for _, d := range docs {
		if d != nil {
			out = append(out, d.Trusts...)
		}
	}
	return out
}

// KindID is a trust kind's name in the JSON output.
func KindID(k trust.Kind) string {
	switch k {
	case trust.AWSRole:
		return "aws-iam-role"
	case trust.GCPPoolProvider:
		return "gcp-workload-identity-pool-provider"
	case trust.VaultJWTRole:
		return "vault-jwt-role"
	case trust.AzureFIC:
		return "azure-federated-identity-credential"
	}
	return "trust"
}
