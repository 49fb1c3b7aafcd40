package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/suggest"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

func init() {
	register("groups-claim-unmapped", checkGroupsClaimUnmapped)
	register("groups-scope-missing", checkGroupsScopeMissing)
	register("role-user-format-mismatch", checkRoleUserFormat)
	register("admin-granted-broadly", checkAdminBroadly)
	register("jcasc-schema", checkPermissionNames)
}

// authzDoc pairs an authorization strategy with the file it is in and the
// oic realm of the same controller (nil when none, or when it cannot be
// told which).
type authzDoc struct {
	doc   *jcasc.Doc
	a     *jcasc.Authorization
	realm *jcasc.Realm
}

func authorizations(p *Pass) []authzDoc {
	var out []authzDoc
	for _, d := range p.WS.JCasC {
		if d.Authorization != nil {
			out = append(out, authzDoc{d, d.Authorization, realmFor(p, d)})
		}
	}
	return out
}

// realmFor is the oic realm of the controller doc configures. JCasC merges
// the files of one controller, but a repository may hold several
// controllers: the realm of the same document, else the one realm in the
// same directory, else the workspace's only realm; nil when ambiguous.
func realmFor(p *Pass, doc *jcasc.Doc) *jcasc.Realm {
	if doc.Realm != nil {
		return doc.Realm
	}
	realms := p.WS.Realms()
	if len(realms) == 1 {
		return realms[0]
	}
	var near *jcasc.Realm
	for _, r := range realms {
		if r.Doc != nil && r.Doc.Controller == doc.Controller {
			if near != nil {
				return nil
			}
			near = r
		}
	}
	return near
}

// oidcRealm returns the one oic realm of the workspace (JCasC merges all its
// files into one configuration), or nil.
func oidcRealm(p *Pass) *jcasc.Realm {
	realms := p.WS.Realms()
	if len(realms) == 0 {
		return nil
	}
	return realms[0]
}

func checkGroupsClaimUnmapped(p *Pass) {
	for _, ad := range authorizations(p) {
		r := ad.realm
		if r == nil || r.GroupsField.NonEmpty() {
			continue
		}
		for _, g := range ad.a.Grants {
			if g.Kind != jcasc.SIDGroup || len(g.Permissions) == 0 {
				continue
			}
			if sid := grantSID(ad, g); sid.builtin != "" || sid.kind != sidOK {
				continue // a built-in (in any case the realm folds), or builtin-sid-typo's finding
			}
			f := p.ReportNode(ad.doc.File, g.Node, fmt.Sprintf(
				"group %q is granted permissions, but the oic realm reads no groups claim (groupsFieldName is unset), so no OIDC user is ever in this group: set groupsFieldName to the claim that carries groups (e.g. groups, roles, realm_access.roles)",
				g.Name))
			f.Related = []report.Related{{Pos: tree.Pos(r.File, r.Key), Message: "the oic realm"}}
		}
	}
}

func checkGroupsScopeMissing(p *Pass) {
	for _, r := range p.WS.Realms() {
		if !r.GroupsField.NonEmpty() || scopesVariable(r) {
			continue
		}
		m := p.WS.MetadataFor(r)
		if m == nil || !m.ScopesSupported.Has("groups") || r.HasScope("groups") {
			continue
		}
		if r.Mode == jcasc.ModeWellKnown && !r.ScopesField.Set() {
			continue // wellKnown without an override requests every listed scope
		}
		at := r.ScopesField.At()
		msg := fmt.Sprintf("the realm reads groups from %q and the provider offers a `groups` scope (%s), but the realm does not request it: many providers then leave the claim out; add groups to the scopes",
			r.GroupsField.Value, m.Name())
		if at == nil {
			at = r.GroupsField.At()
			msg = fmt.Sprintf("the realm reads groups from %q and the provider offers a `groups` scope (%s), but the realm requests the default scopes (openid email): set scopes to include groups",
				r.GroupsField.Value, m.Name())
		}
		f := p.ReportNode(r.File, at, msg)
		f.Related = []report.Related{{Pos: m.Pos(m.ScopesSupported.Key), Message: "scopes_supported"}}
		if r.ScopesField.NonEmpty() {
			f.Fix = replaceScalar(r.File, r.ScopesField.Node, strings.TrimSpace(r.ScopesField.Value)+" groups", "request the groups scope")
		}
	}
}

var (
	uuidRE      = regexp.MustCompile(`^(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	plainNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z._-]*$`)
)

// userFormat says what user names a claim yields: "email", "opaque" (sub,
// oid: UUIDs and provider IDs), or "" when anything goes.
func userFormat(claim string) string {
	switch strings.ToLower(claimRoot(claim)) {
	case "email", "upn", "mail", "unique_name":
		return "email"
	case "sub", "oid":
		return "opaque"
	}
	return ""
}

func checkRoleUserFormat(p *Pass) {
	for _, ad := range authorizations(p) {
		checkRoleUserFormatIn(p, ad)
	}
}

func checkRoleUserFormatIn(p *Pass, ad authzDoc) {
	r := ad.realm
	if r == nil || tree.IsVariable(r.UserNameField.Value) {
		return
	}
	claim := "sub" // the plugin's default userNameField
	if r.UserNameField.NonEmpty() {
		claim = r.UserNameField.Value
	}
	want := userFormat(claim)
	if want == "" {
		return
	}
	hatch := ""
	for _, g := range ad.a.Grants {
		if g.Kind != jcasc.SIDUser && g.Kind != jcasc.SIDEither {
			continue
		}
		name := g.Name
		if name == hatch || tree.IsVariable(name) {
			continue
		}
		if sid := grantSID(ad, g); sid.builtin != "" || sid.kind != sidOK {
			continue // a built-in, or builtin-sid-typo's finding
		}
		var problem string
		switch want {
		case "email":
			if !strings.Contains(name, "@") && g.Kind == jcasc.SIDUser {
				problem = fmt.Sprintf("user %q is not an e-mail address, but the realm names users by the %q claim (an e-mail address)", name, claim)
			}
		case "opaque":
			if strings.Contains(name, "@") {
				problem = fmt.Sprintf("user %q is an e-mail address, but the realm names users by the %q claim (an opaque ID such as a UUID)", name, claim)
			} else if plainNameRE.MatchString(name) && !uuidRE.MatchString(name) && g.Kind == jcasc.SIDUser {
				problem = fmt.Sprintf("user %q looks like a login name, but the realm names users by the %q claim (an opaque ID such as a UUID)", name, claim)
			}
		}
		if problem == "" {
			continue
		}
		how := "set userNameField to the claim that holds names in this format (e.g. email or preferred_username), or write the users as the realm will name them"
		if !r.UserNameField.NonEmpty() {
			problem += " — userNameField is unset, so the plugin uses `sub`"
		}
		f := p.ReportNode(ad.doc.File, g.Node, problem+"; the entry never matches anyone: "+how)
		at := r.UserNameField.At()
		if at == nil {
			at = r.Key
		}
		f.Related = []report.Related{{Pos: tree.Pos(r.File, at), Message: "the realm's user name claim"}}
	}
}

// broadSID reports a SID that everyone (or every signed-in user) has: a
// built-in, in any case the realm's IdStrategy folds, or Okta's built-in
// Everyone group. Other names (`everyone` elsewhere, `*`) grant nobody:
// builtin-sid-typo reports them.
func broadSID(ad authzDoc, g *jcasc.Grant) bool {
	if grantSID(ad, g).builtin != "" {
		return true
	}
	return strings.EqualFold(strings.TrimSpace(g.Name), "everyone") && g.Kind != jcasc.SIDUser && oktaRealm(ad.realm)
}

func hasAdmin(perms []jcasc.Permission) (jcasc.Permission, bool) {
	for _, p := range perms {
		if p.Name == "Overall/Administer" || p.Name == "hudson.model.Hudson.Administer" {
			return p, true
		}
	}
	return jcasc.Permission{}, false
}

// jobPermissions are the permissions an items role needs to own every job.
var jobPermissions = []string{"Job/Build", "Job/Configure", "Job/Delete", "Job/Read", "Job/Workspace"}

func checkAdminBroadly(p *Pass) {
	for _, ad := range authorizations(p) {
		a, f, realm := ad.a, ad.doc.File, ad.realm
		switch a.Strategy {
		case "loggedInUsersCanDoAnything":
			if realm != nil {
				fd := p.ReportNode(f, a.StrategyKey, "loggedInUsersCanDoAnything makes every user the OIDC provider signs in an administrator (everyone in the directory, contractors included): map OIDC groups to roles with role-strategy or matrix-auth")
				fd.Related = []report.Related{{Pos: tree.Pos(realm.File, realm.Key), Message: "the oic realm"}}
			}
			continue
		case "unsecured":
			p.ReportNode(f, a.StrategyKey, "authorization is `unsecured`: everyone, signed in or not, can do anything; map OIDC groups to roles with role-strategy or matrix-auth")
			continue
		}
		for _, g := range a.Grants {
			if !broadSID(ad, g) {
				continue
			}
			if perm, ok := hasAdmin(g.Permissions); ok {
				via := ""
				if g.Role != nil {
					via = fmt.Sprintf(" through role %q", g.Role.Name.Value)
				}
				fd := p.ReportNode(f, g.Node, fmt.Sprintf("Overall/Administer goes to %q%s: every %s is an administrator; grant it to a named admin group instead",
					g.Name, via, sidWho(g.Name)))
				if g.Role != nil {
					fd.Related = []report.Related{{Pos: tree.Pos(f, perm.Node), Message: "Overall/Administer in role " + g.Role.Name.Value}}
				}
				continue
			}
			if g.Role != nil && g.Role.Type == jcasc.ItemRole && coversAll(g.Role.Pattern.Value) && hasAll(g.Role.Permissions, jobPermissions) {
				p.ReportNode(f, g.Node, fmt.Sprintf("items role %q with pattern %q gives %q every job permission on every job: scope the pattern to a folder, or grant it to a named group",
					g.Role.Name.Value, g.Role.Pattern.Value, g.Name))
			}
		}
	}
}

func sidWho(name string) string {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "anonymous":
		return "visitor, signed in or not,"
	case "everyone":
		return "user of the Okta organization"
	}
	return "signed-in user"
}

func coversAll(pattern string) bool {
	switch strings.TrimSpace(pattern) {
	case ".*", "^.*$", ".+", "^.*", ".*$", "(.*)":
		return true
	}
	return false
}

func hasAll(perms []jcasc.Permission, want []string) bool {
	have := map[string]bool{}
	for _, p := range perms {
		have[p.Name] = true
	}
	for _, w := range want {
		if !have[w] {
			return false
		}
	}
	return true
}

// corePermissions are the permission names of Jenkins core and the plugins
// an OIDC setup uses, as role-strategy and matrix-auth spell them.
var corePermissions = []string{
	"Overall/Administer", "Overall/Read", "Overall/SystemRead", "Overall/Manage", "Overall/RunScripts",
	"Overall/UploadPlugins", "Overall/ConfigureUpdateCenter",
	"Job/Build", "Job/Cancel", "Job/Configure", "Job/Create", "Job/Delete", "Job/Discover", "Job/ExtendedRead",
	"Job/Move", "Job/Read", "Job/ViewStatus", "Job/Workspace",
	"Run/Delete", "Run/Replay", "Run/Update", "Run/Artifacts",
	"View/Configure", "View/Create", "View/Delete", "View/Read",
	"SCM/Tag",
	"Credentials/Create", "Credentials/Delete", "Credentials/ManageDomains", "Credentials/Update", "Credentials/View",
	"Credentials/UseItself", "Credentials/UseOwn",
	"Agent/Build", "Agent/Configure", "Agent/Connect", "Agent/Create", "Agent/Delete", "Agent/Disconnect",
	"Agent/ExtendedRead", "Agent/Provision",
	"Computer/Build", "Computer/Configure", "Computer/Connect", "Computer/Create", "Computer/Delete", "Computer/Disconnect",
	"Computer/ExtendedRead", "Computer/Provision",
}

var coreCategories = map[string]bool{"Overall": true, "Job": true, "Run": true, "View": true, "SCM": true, "Credentials": true, "Agent": true, "Computer": true}

// checkPermissionNames reports permission names of core categories that do
// not exist (plugins add their own categories, which are left alone).
func checkPermissionNames(p *Pass) {
	known := map[string]bool{}
	for _, k := range corePermissions {
		known[k] = true
	}
	check := func(ad authzDoc, perm jcasc.Permission) {
		cat, _, ok := strings.Cut(perm.Name, "/")
		if known[perm.Name] || tree.IsVariable(perm.Name) {
			return
		}
		if ok && !coreCategories[cat] {
			return
		}
		hint := ""
		if best := suggest.Closest(perm.Name, corePermissions); best != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", best)
		}
		p.ReportNode(ad.doc.File, perm.Node, fmt.Sprintf("unknown permission %q%s: Jenkins refuses the configuration at boot", perm.Name, hint))
	}
	for _, ad := range authorizations(p) {
		for _, r := range ad.a.Roles {
			for _, perm := range r.Permissions {
				check(ad, perm)
			}
		}
		for _, g := range ad.a.Grants {
			if g.Role != nil {
				continue // checked with its role
			}
			for _, perm := range g.Permissions {
				check(ad, perm)
			}
		}
	}
}
