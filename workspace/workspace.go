// Package workspace is the cross-file index the rules read: every parsed
// JCasC document, provider metadata document and pipeline of one run, and
// the links between them (realms to provider metadata by issuer).
package workspace

import (
	"net/url"
	"sort"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/loopback"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/discovery"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jenkinsfile"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/plugins"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/trust"
)

// Workspace holds the parsed inputs of one run, each list sorted by path.
type Workspace struct {
	Files    []*source.File
	JCasC    []*jcasc.Doc
	Metadata []*discovery.Metadata
	// Pipelines are the parsed Jenkinsfiles and shared-library steps.
	Pipelines []*jenkinsfile.File
	// Pinned maps an issuer string to a metadata document chosen by
	// configuration; it wins over matching by issuer.
	Pinned map[string]*discovery.Metadata
	// Plugins maps a controller (jcasc.Doc.Controller) to the plugin
	// versions it pins; absent when no plugin list belongs to it.
	Plugins map[string]*plugins.Set
	// Trusts are the trust policies, OIDC providers and Vault backends read
	// (IAM JSON, CloudFormation, Terraform), linked across files.
	Trusts []*trust.Doc
	// Share, when set, marks a workspace that holds the JCasC documents of
	// only some of the run's controllers (see Share).
	Share *Share

	// cache holds what is worked out from the lists (see derived).
	cache *derived
}

// derived is what the workspace works out from its lists on first use, as
// rules ask once per realm or document and working it out each time was
// quadratic: the controller index (Realms, ControllerDocs,
// ControllerRealms), the provider metadata's issuers and each realm's
// metadata (MetadataFor). It belongs to the lists it was made from, told
// by their backing arrays and lengths and the number of pins: a list
// replaced or appended to, or a pin added, makes a new one; Sort and
// DropViews, which change the lists in place, drop it.
type derived struct {
	key     derivedKey
	index   *controllerIndex
	issuers []issuerForm
	pairs   map[*jcasc.Realm]*discovery.Metadata
}

type derivedKey struct {
	jcasc  **jcasc.Doc          // the JCasC list's backing array (nil when empty)
	meta   **discovery.Metadata // the Metadata list's
	nJCasC int
	nMeta  int
	nPins  int
}

// derived returns the cache of the current lists.
func (w *Workspace) derived() *derived {
	k := derivedKey{nJCasC: len(w.JCasC), nMeta: len(w.Metadata), nPins: len(w.Pinned)}
	if len(w.JCasC) > 0 {
		k.jcasc = &w.JCasC[0]
	}
	if len(w.Metadata) > 0 {
		k.meta = &w.Metadata[0]
	}
	if w.cache == nil || w.cache.key != k {
		w.cache = &derived{key: k}
	}
	return w.cache
}

// Share is one part of a run checked a few whole controllers at a time:
// on a large tree the engine keeps no document's views past its own file's
// checks, and reads each share's files again for the workspace rules, so
// that the views of the whole tree are never held at once. Every share
// holds all the provider metadata, pins and plugin sets; only the primary
// one holds the trusts and is given the pipelines' facts, and only it
// holds the controllers that define credentials (and, when the run has
// trusts, those that issue id tokens), so that whatever pairs across
// controllers lies in one share. The engine shares a run only when it has
// other than one realm and no audit trail outside a realm's controller:
// the two facts that reach every controller.
type Share struct {
	// Primary marks the share that reports what belongs to no controller:
	// provider metadata, plugin pins, trusts and pipelines.
	Primary bool
}

// Whole reports whether w holds every controller's JCasC documents (it is
// not a Share).
func (w *Workspace) Whole() bool { return w.Share == nil }

// OwnsShared reports whether the rules report on w what belongs to no
// controller (provider metadata, plugin pins): on a whole workspace, and
// on the primary share of a shared run.
func (w *Workspace) OwnsShared() bool { return w.Share == nil || w.Share.Primary }

// controllerIndex groups the JCasC documents of one run by controller.
type controllerIndex struct {
	realms []*jcasc.Realm
	docs   map[string][]*jcasc.Doc
	realm  map[string][]*jcasc.Realm
}

// index is the controller index of the current JCasC list, built on first
// use and again when the list was replaced.
func (w *Workspace) index() *controllerIndex {
	c := w.derived()
	if c.index != nil {
		return c.index
	}
	x := &controllerIndex{docs: map[string][]*jcasc.Doc{}, realm: map[string][]*jcasc.Realm{}}
	for _, d := range w.JCasC {
		x.docs[d.Controller] = append(x.docs[d.Controller], d)
		if d.Realm != nil {
			x.realms = append(x.realms, d.Realm)
			x.realm[d.Controller] = append(x.realm[d.Controller], d.Realm)
		}
	}
	c.index = x
	return x
}

// Realms lists the oic realms of every JCasC document. The list is shared
// between calls: callers must not modify it.
func (w *Workspace) Realms() []*jcasc.Realm {
	return w.index().realms
}

// ControllerDocs lists the JCasC documents of controller (jcasc.Doc.Controller),
// which JCasC merges into one configuration, in the order of the JCasC
// list. The list is shared between calls: callers must not modify it.
func (w *Workspace) ControllerDocs(controller string) []*jcasc.Doc {
	return w.index().docs[controller]
}

// ControllerRealms lists the oic realms of controller's documents, in the
// order of the JCasC list. The list is shared: callers must not modify it.
func (w *Workspace) ControllerRealms(controller string) []*jcasc.Realm {
	return w.index().realm[controller]
}

// DropViews lets go of the parsed documents (JCasC views and the syntax
// trees they hold, provider metadata, pipelines, trust documents) once the
// rules that read them ran: Files and Plugins stay, for the report.
func (w *Workspace) DropViews() {
	w.JCasC, w.Metadata, w.Pipelines, w.Trusts, w.Pinned = nil, nil, nil, nil, nil
	w.cache = nil
}

// PluginsFor is the plugin set of the controller doc configures, or nil
// when no plugin list belongs to it (then rules judge by the layout's era).
func (w *Workspace) PluginsFor(d *jcasc.Doc) *plugins.Set {
	if d == nil {
		return nil
	}
	return w.Plugins[d.Controller]
}

// Sort puts every list in path order (inputs are parsed concurrently).
func (w *Workspace) Sort() {
	w.cache = nil
	sort.SliceStable(w.Files, func(i, j int) bool { return w.Files[i].Path < w.Files[j].Path })
	sort.SliceStable(w.JCasC, func(i, j int) bool { return w.JCasC[i].File.Path < w.JCasC[j].File.Path })
	sort.SliceStable(w.Metadata, func(i, j int) bool { return w.Metadata[i].Name() < w.Metadata[j].Name() })
	sort.SliceStable(w.Pipelines, func(i, j int) bool { return w.Pipelines[i].Src.Path < w.Pipelines[j].Src.Path })
	sort.SliceStable(w.Trusts, func(i, j int) bool { return w.Trusts[i].Path < w.Trusts[j].Path })
}

// MetadataFor returns the provider metadata that belongs to realm: a pinned
// document for its issuer, else the document whose issuer is closest to the
// realm's (identical, or a near miss such as a trailing slash, host case or
// port, so that issuer-mismatch can report it). Nil when nothing is close.
func (w *Workspace) MetadataFor(r *jcasc.Realm) *discovery.Metadata {
	c := w.derived()
	if m, ok := c.pairs[r]; ok {
		return m
	}
	m := w.match(r)
	if c.pairs == nil {
		c.pairs = map[*jcasc.Realm]*discovery.Metadata{}
	}
	c.pairs[r] = m
	return m
}

func (w *Workspace) match(r *jcasc.Realm) *discovery.Metadata {
	issuer, _, ok := r.IssuerValue()
	if !ok {
		return nil
	}
	if m, ok := w.Pinned[issuer]; ok {
		return m
	}
	if r.WellKnownURL.NonEmpty() {
		if m, ok := w.Pinned[r.WellKnownURL.Value]; ok {
			return m
		}
	}
	var best *discovery.Metadata
	bestScore := -1
	ri, forms := issuerOf(issuer), w.metadataIssuers()
	for i, m := range w.Metadata {
		if !m.Issuer.NonEmpty() {
			continue
		}
		s := closer(ri, forms[i])
		if s > bestScore {
			best, bestScore = m, s
		}
	}
	if bestScore <= 0 {
		return nil
	}
	return best
}

// closeness scores how alike two issuers are: 0 means unrelated; identical
// strings score highest.
func closeness(a, b string) int { return closer(issuerOf(a), issuerOf(b)) }

// issuerForm is an issuer string with what closeness compares of it, worked
// out once: its normalised form and that form parsed (nil when it does
// not parse).
type issuerForm struct {
	raw, norm string
	u         *url.URL
}

func issuerOf(s string) issuerForm {
	i := issuerForm{raw: s, norm: normalizeIssuer(s)}
	if u, err := url.Parse(i.norm); err == nil {
		i.u = u
	}
	return i
}

// metadataIssuers are the issuers of w.Metadata, index for index, worked
// out once per list (match compares every realm with every document).
func (w *Workspace) metadataIssuers() []issuerForm {
	c := w.derived()
	if c.issuers == nil {
		c.issuers = make([]issuerForm, len(w.Metadata))
		for i, m := range w.Metadata {
			c.issuers[i] = issuerOf(m.Issuer.Value)
		}
	}
	return c.issuers
}

// closer is closeness of two issuers worked out.
func closer(a, b issuerForm) int {
	if a.raw == b.raw {
		return 1000
	}
	if a.norm == b.norm {
		return 500
	}
	ua, ub := a.u, b.u
	if ua == nil || ub == nil || ua.Hostname() == "" || !strings.EqualFold(ua.Hostname(), ub.Hostname()) {
		return 0
	}
	if ua.Port() != ub.Port() && loopback.Host(ua.Hostname()) {
		// two servers on one machine: test fixtures of unrelated providers
		// (http://localhost/ and http://localhost:9090/realms/master)
		return 0
	}
	// Same host, same path but for Keycloak's /auth prefix (dropped in
	// Keycloak 17) or the case of a realm name: a near miss to report.
	if strings.EqualFold(dropAuthPrefix(ua.Path), dropAuthPrefix(ub.Path)) {
		return 300
	}
	// Same host: prefer the longest common path prefix.
	pa, pb := ua.Path, ub.Path
	n := 0
	for n < len(pa) && n < len(pb) && pa[n] == pb[n] {
		n++
	}
	if n < len(strings.TrimSuffix(pa, "/")) && n < len(strings.TrimSuffix(pb, "/")) {
		// the paths part ways: different tenants or realms on one host
		return 0
	}
	return 100 + n
}

// dropAuthPrefix removes the /auth path prefix Keycloak served its realms
// under before release 17, and a trailing slash.
func dropAuthPrefix(p string) string {
	p = strings.TrimSuffix(p, "/")
	if strings.HasPrefix(p, "/auth/") {
		return p[len("/auth"):]
	}
	return p
}

// normalizeIssuer folds the differences issuer-mismatch reports (scheme and
// host case, default ports, trailing slashes) so near misses still pair.
func normalizeIssuer(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(s, jcasc.WellKnownSuffix)
	u, err := url.Parse(s)
	if err != nil {
		return strings.TrimRight(strings.ToLower(s), "/")
	}
	u.Scheme = "https"
	host := strings.ToLower(u.Hostname())
	if p := u.Port(); p != "" && p != "443" && p != "80" {
		host += ":" + p
	}
	u.Host = host
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u.String()
}
