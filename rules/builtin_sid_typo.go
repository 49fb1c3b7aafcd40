package rules

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/suggest"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// BuiltinSIDTypo: see docs/builtin-sid-typo.md.
var BuiltinSIDTypo = &Rule{ID: "builtin-sid-typo", Workspace: checkBuiltinSIDTypo}

// How Jenkins matches a SID (jenkins core SidACL; role-strategy RoleMap;
// matrix-auth AuthorizationContainer.hasPermission): a user's own ID is a
// principal SID, each of its authorities a group SID. Every signed-in user
// has the authority "authenticated"; the anonymous visitor is the principal
// "anonymous" with the authority "anonymous", and permissions of the
// principal "anonymous" go to everyone (ACL.AUTOMATIC_SIDS). Entries are
// compared exactly, then with the realm's IdStrategy: userIdStrategy for
// principals, groupIdStrategy for authorities. The oic realm returns
// CASE_INSENSITIVE for a strategy JCasC leaves unset (getUserIdStrategy,
// getGroupIdStrategy); new realms made in the UI from 4.453 default to
// case-sensitive.

const (
	sidAuthenticated = "authenticated"
	sidAnonymous     = "anonymous"
)

var builtinSIDs = []string{sidAnonymous, sidAuthenticated}

// pseudoBuiltins are SIDs written in the belief that Jenkins knows them (it
// does not: each names a user or group of that name), normalised to lower
// case without - _ . and spaces, with the built-ins they were likely meant
// as.
var pseudoBuiltins = sync.OnceValue(func() map[string][]string {
	return map[string][]string{
		"everyone": {sidAuthenticated, sidAnonymous}, "everybody": {sidAuthenticated, sidAnonymous},
		"all": {sidAuthenticated, sidAnonymous}, "anyone": {sidAuthenticated, sidAnonymous},
		"anybody": {sidAuthenticated, sidAnonymous}, "allusers": {sidAuthenticated, sidAnonymous},
		"*":        {sidAuthenticated, sidAnonymous},
		"loggedin": {sidAuthenticated}, "loggedinusers": {sidAuthenticated}, "loggedinuser": {sidAuthenticated},
		"signedin": {sidAuthenticated}, "signedinusers": {sidAuthenticated},
		"authenticatedusers": {sidAuthenticated}, "authenticateduser": {sidAuthenticated},
		"allauthenticatedusers": {sidAuthenticated}, "authusers": {sidAuthenticated},
		"unauthenticated": {sidAnonymous}, "unauthenticatedusers": {sidAnonymous},
		"anonymoususers": {sidAnonymous}, "anonymoususer": {sidAnonymous}, "notloggedin": {sidAnonymous},
	}
})

// notTypos are words within two edits of a built-in that are names of
// their own.
func notTypos(s string) bool {
	switch s {
	case "authenticator", "synonymous":
		return true
	}
	return false
}

// sidKind is what is wrong with a SID.
type sidKind int

const (
	sidOK        sidKind = iota
	sidWrongKind         // `user: authenticated`: the group as a user
	sidCase              // `Authenticated` under a case-sensitive strategy
	sidTypo              // `authenticaed`: one or two edits from a built-in
	sidPseudo            // `everyone`: a built-in Jenkins does not have
)

// sidInfo says what a grant's SID is: the built-in it is (builtin, also for
// a case variant the realm's strategy folds), or the problem to report.
type sidInfo struct {
	builtin string
	kind    sidKind
	meant   []string // the built-ins it was likely meant as
}

// idStrategy is the realm's user or group IdStrategy: true when case
// matters. Unset, a variable, or no oic realm: case-insensitive (the oic
// realm's and Jenkins core's default).
func idStrategy(r *jcasc.Realm, key string) (caseSensitive bool, written string) {
	if r == nil {
		return false, ""
	}
	s := r.UserIDStrategy()
	if key == "groupIdStrategy" {
		s = r.GroupIDStrategy()
	}
	if s.Key.IsZero() || !s.Valued {
		return false, ""
	}
	name := s.Name
	switch name {
	case "caseSensitive", "caseSensitiveEmailAddress":
		return true, key + ": " + name
	}
	return false, ""
}

// normSID lowers a SID and drops the separators people put in words.
func normSID(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '-', '_', '.', ' ':
			return -1
		}
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// classifySID says what SID name of kind is for realm r.
func classifySID(r *jcasc.Realm, kind jcasc.SIDKind, name string) sidInfo {
	name = strings.TrimSpace(name)
	if name == "" || tree.IsVariable(name) || strings.Contains(name, "{{") || strings.Contains(name, "<%") {
		return sidInfo{}
	}
	lower := strings.ToLower(name)
	if lower == sidAuthenticated && kind == jcasc.SIDUser {
		// "authenticated" is an authority, never a user's ID.
		return sidInfo{kind: sidWrongKind, meant: []string{sidAuthenticated}}
	}
	for _, b := range builtinSIDs {
		if name == b {
			return sidInfo{builtin: b}
		}
		if lower != b {
			continue
		}
		// A case variant matches when the strategy that compares it folds case.
		userCS, _ := idStrategy(r, "userIdStrategy")
		groupCS, _ := idStrategy(r, "groupIdStrategy")
		var folds bool
		switch {
		case b == sidAuthenticated:
			folds = !groupCS
		case kind == jcasc.SIDUser:
			folds = !userCS
		case kind == jcasc.SIDGroup:
			folds = !groupCS
		default:
			folds = !userCS || !groupCS
		}
		if folds {
			return sidInfo{builtin: b}
		}
		return sidInfo{kind: sidCase, meant: []string{b}}
	}
	if meant, ok := pseudoBuiltins()[normSID(name)]; ok {
		if normSID(name) == "everyone" && kind != jcasc.SIDUser && oktaRealm(r) {
			return sidInfo{} // Okta's built-in Everyone group: every Okta user
		}
		return sidInfo{kind: sidPseudo, meant: meant}
	}
	if notTypos(lower) || len(lower) < 6 || strings.Trim(lower, "abcdefghijklmnopqrstuvwxyz") != "" {
		return sidInfo{}
	}
	for _, b := range builtinSIDs {
		d := suggest.Distance(lower, b)
		if d == 1 || d == 2 && lower[0] == b[0] && abs(len(lower)-len(b)) <= 2 {
			return sidInfo{kind: sidTypo, meant: []string{b}}
		}
	}
	return sidInfo{}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// oktaRealm reports a realm whose provider is Okta, which has a built-in
// group named Everyone.
func oktaRealm(r *jcasc.Realm) bool {
	if r == nil {
		return false
	}
	for _, v := range []string{r.WellKnownURL.Value, r.Issuer.Value} {
		h := strings.ToLower(urlHost(v))
		for _, d := range []string{".okta.com", ".oktapreview.com", ".okta-emea.com", ".okta-gov.com"} {
			if strings.HasSuffix(h, d) {
				return true
			}
		}
	}
	return false
}

// grantSID classifies a grant's SID for the realm of its controller.
func grantSID(ad authzDoc, g *jcasc.Grant) sidInfo {
	return classifySID(ad.realm, g.Kind, g.Name)
}

// whatItGrants names what a grant gives: its role, or its permissions.
func whatItGrants(g *jcasc.Grant) string {
	if g.Role != nil && g.Role.Name.Value != "" {
		return fmt.Sprintf("role %q", g.Role.Name.Value)
	}
	var names []string
	for _, p := range g.Permissions {
		names = append(names, p.Name)
	}
	switch {
	case len(names) == 0:
		return "its permissions"
	case len(names) <= 3:
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more permissions", strings.Join(names[:2], ", "), len(names)-2)
}

// builtinWho says who a built-in SID is.
func builtinWho(b string) string {
	if b == sidAnonymous {
		return "`anonymous` (everyone, signed in or not)"
	}
	return "`authenticated` (every signed-in user)"
}

func checkBuiltinSIDTypo(p *Pass) {
	for _, ad := range authorizations(p) {
		for _, g := range ad.a.Grants {
			info := grantSID(ad, g)
			if info.kind == sidOK {
				continue
			}
			reportSIDTypo(p, ad, g, info)
		}
	}
}

func reportSIDTypo(p *Pass, ad authzDoc, g *jcasc.Grant, info sidInfo) {
	f := ad.doc.File
	name := strings.TrimSpace(g.Name)
	grants := whatItGrants(g)
	_, admin := hasAdmin(g.Permissions)
	var msg, strategyKey string
	var fix *report.Fix
	switch info.kind {
	case sidWrongKind:
		msg = fmt.Sprintf("%q is a user entry, but `authenticated` is Jenkins' built-in group of every signed-in user, never a user's ID: this grants %s to nobody (only a user whose ID is %q); make it a group entry", name, grants, name)
		fix = kindFix(f, g)
	case sidCase:
		strategyKey = "groupIdStrategy"
		if info.meant[0] == sidAnonymous && g.Kind == jcasc.SIDUser {
			strategyKey = "userIdStrategy"
		}
		_, strategy := idStrategy(ad.realm, strategyKey)
		msg = fmt.Sprintf("%q is not the built-in %s: the realm's %s compares SIDs with case, so this grants %s to nobody (only a user or group named exactly %q); did you mean `%s`?", name, builtinWho(info.meant[0]), strategy, grants, name, info.meant[0])
		fix = nameFix(f, g, info.meant[0])
	case sidTypo:
		msg = fmt.Sprintf("%q is a near miss of the built-in %s: Jenkins knows no such SID, so this grants %s to nobody (only a user or group named %q); did you mean `%s`?", name, builtinWho(info.meant[0]), grants, name, info.meant[0])
		fix = nameFix(f, g, info.meant[0])
	case sidPseudo:
		var alts []string
		for _, b := range info.meant {
			alts = append(alts, builtinWho(b))
		}
		msg = fmt.Sprintf("%q is not a built-in SID of Jenkins (those are `authenticated` and `anonymous`): this grants %s only to a user or group named %q, likely nobody; did you mean %s?", name, grants, name, strings.Join(alts, " or "))
	}
	if admin {
		msg += " — but not with Overall/Administer: that would make everyone an administrator; grant it to a named group"
		fix = nil
	}
	fd := p.ReportAt(f, g.Node, msg)
	fd.Fix = fix
	if strategyKey != "" && ad.realm != nil {
		s := ad.realm.UserIDStrategy()
		if strategyKey == "groupIdStrategy" {
			s = ad.realm.GroupIDStrategy()
		}
		if !s.Key.IsZero() {
			fd.Related = []report.Related{{Pos: s.Key.Pos(ad.realm.File), Message: "the realm's " + strategyKey}}
		}
	}
}

// nameFix replaces the SID of a grant with want: the whole scalar, or the
// SID at the end of a legacy "[TYPE:]Permission:sid" line.
func nameFix(f *source.File, g *jcasc.Grant, want string) *report.Fix {
	n := g.Node
	if !n.IsScalar() {
		return nil
	}
	if g.Text == g.Name {
		return replaceScalar(f, n, want, "use the built-in "+want)
	}
	if strings.HasSuffix(g.Text, ":"+g.Name) {
		return replaceScalar(f, n, strings.TrimSuffix(g.Text, g.Name)+want, "use the built-in "+want)
	}
	return nil
}

// kindFix turns a user entry into a group entry: the USER: prefix of a
// legacy matrix line, or the `user` key of a role-strategy or matrix-auth
// entry.
func kindFix(f *source.File, g *jcasc.Grant) *report.Fix {
	n := g.Node
	if !n.IsScalar() {
		return nil
	}
	if g.Text != g.Name {
		if strings.HasPrefix(g.Text, "USER:") {
			return replaceScalar(f, n, "GROUP:"+strings.TrimPrefix(g.Text, "USER:"), "make it a group entry")
		}
		return nil
	}
	if k := roleUserKey(g); !k.IsZero() {
		return replaceScalar(f, k, "group", "make it a group entry")
	}
	if g.Role == nil {
		if off := matrixUserKey(f, g.Node); off >= 0 {
			return &report.Fix{Path: f.Path, Offset: off, Length: len("user"), Replacement: "group", Description: "make it a group entry"}
		}
	}
	return nil
}

// roleUserKey finds the `user` key of role-strategy's `- user: name` entry
// that holds g's name node (zero when there is none).
func roleUserKey(g *jcasc.Grant) tree.Mark {
	if g.Role == nil || g.SIDKey.IsZero() || g.Kind != jcasc.SIDUser {
		return tree.Mark{}
	}
	return g.SIDKey
}

// matrixUserKeyRE is a line that is only the key of matrix-auth's
// `- user:` entry.
var matrixUserKeyRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\s*(?:-\s+)?)user\s*:\s*(?:#.*)?$`) })

// matrixUserKey finds, in the text, the `user` key of matrix-auth's block
// entry `- user: {name: …, permissions: …}` whose name is the node n (the
// strategy's tree is not kept after loading): the nearest line above n's
// line with a smaller indent, if that line is exactly `- user:` or `user:`.
// It returns the key's byte offset, or -1.
func matrixUserKey(f *source.File, n tree.Mark) int {
	if n.Line < 2 {
		return -1
	}
	indent := func(l []byte) int { return len(l) - len(bytes.TrimLeft(l, " ")) }
	line := f.Line(int(n.Line))
	i0 := indent(line)
	if !bytes.HasPrefix(bytes.TrimLeft(line, " "), []byte("name")) {
		return -1
	}
	for l := int(n.Line) - 1; l >= 1; l-- {
		text := f.Line(l)
		trimmed := bytes.TrimSpace(text)
		if len(trimmed) == 0 || trimmed[0] == '#' {
			continue
		}
		if indent(text) >= i0 {
			continue
		}
		m := matrixUserKeyRE().FindSubmatchIndex(text)
		if m == nil {
			return -1
		}
		return f.Offset(l, 1) + m[3]
	}
	return -1
}
