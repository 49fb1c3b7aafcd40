package rules

import (
	"regexp"
	"strings"
	"sync"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
)

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
// same directory, else the workspace's only realm; nil when ambiguous, and
// when doc sets a realm of another kind (its strategy goes with that one).
func realmFor(p *Pass, doc *jcasc.Doc) *jcasc.Realm {
	if doc.Realm != nil {
		return doc.Realm
	}
	if doc.OtherRealm() {
		return nil
	}
	// (not in a share: its only realm is not the run's, as the engine
	// shares only runs with other than one realm)
	realms := p.WS.Realms()
	if len(realms) == 1 && p.WS.Whole() {
		return realms[0]
	}
	if near := p.WS.ControllerRealms(doc.Controller); len(near) == 1 {
		return near[0]
	}
	return nil
}

var (
	uuidRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	})
	plainNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z][A-Za-z._-]*$`) })
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
