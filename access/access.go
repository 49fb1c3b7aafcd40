// Package access answers "who gets what": given the claims of an ID token
// (or the token itself) and a Jenkins oic realm with its authorization
// strategy, it derives the Jenkins user name and groups the realm would
// build, lists every role-strategy role and matrix-auth entry that applies
// (with the entry's position), the permissions that result, and the reasons a
// signed-in user might see nothing. It works on the typed JCasC views of
// source/jcasc and knows nothing of the lint engine.
package access

import (
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// Request is what to evaluate.
type Request struct {
	Realm *jcasc.Realm
	// Authorization is the authorization strategy in effect (nil: the
	// configuration sets none) and AuthorizationFile the file it is in.
	Authorization     *jcasc.Authorization
	AuthorizationFile *source.File
	Claims            *Claims
	// ClaimsFrom names the input in words: `claims file "c.json"`.
	ClaimsFrom string
	// Token is the decoded token when the claims came from one (nil for a
	// claims file) and Checks the outcome of its verification (nil: not
	// verified).
	Token  *Token
	Checks []Check
	// KeysFrom names the key set the token was verified with.
	KeysFrom string
	// Items and Agents are item full names and agent names to test the
	// item and agent role patterns against.
	Items, Agents []string
}

// Verdicts, from worst to best.
const (
	VerdictSignInFails   = "sign-in-fails"  // the realm cannot build a user from these claims
	VerdictNoPermissions = "no-permissions" // signs in and sees nothing
	VerdictNoRead        = "no-overall-read"
	VerdictUnknown       = "unknown" // no authorization strategy, or one not modelled
	VerdictGranted       = "granted"
	VerdictAdministrator = "administrator"
)

// Result is the answer. Its JSON form is the --format json output: field
// order is the struct order.
type Result struct {
	Realm         RealmInfo     `json:"realm"`
	Input         InputInfo     `json:"input"`
	Identity      Identity      `json:"identity"`
	Authorization Authorization `json:"authorization"`
	Verdict       string        `json:"verdict"`
	Summary       string        `json:"summary"`
	Messages      []Message     `json:"messages"`
	Claims        []Claim       `json:"claims"`
}

// RealmInfo describes the realm the claims were evaluated against.
type RealmInfo struct {
	Position        string      `json:"position"`
	ClientID        string      `json:"clientId,omitempty"`
	Issuer          string      `json:"issuer,omitempty"`
	UserIDStrategy  IDStrategy  `json:"userIdStrategy"`
	GroupIDStrategy IDStrategy  `json:"groupIdStrategy"`
	Fields          []FieldInfo `json:"fields"`
}

// FieldInfo is one claim field of the realm and what it found.
type FieldInfo struct {
	Field      string `json:"field"`
	Expression string `json:"expression"`
	Default    bool   `json:"default,omitempty"`
	Position   string `json:"position,omitempty"`
	Found      bool   `json:"found"`
	Error      string `json:"error,omitempty"`
}

// InputInfo says where the claims came from and, for a token, how its checks
// went.
type InputInfo struct {
	From     string     `json:"from"`
	Token    *TokenInfo `json:"token,omitempty"`
	Failures int        `json:"failedChecks"`
}

// TokenInfo is a token's header and checks; never the token itself.
type TokenInfo struct {
	Algorithm string  `json:"algorithm"`
	KeyID     string  `json:"keyId,omitempty"`
	Verified  bool    `json:"verified"`
	Checks    []Check `json:"checks"`
}

// Identity is the Jenkins identity the realm derives.
type Identity struct {
	UserName      string   `json:"userName"`
	Groups        []string `json:"groups"`
	BuiltinGroups []string `json:"builtinGroups"`
	Email         string   `json:"email,omitempty"`
	FullName      string   `json:"fullName,omitempty"`
}

// Authorization is what the authorization strategy gives the identity.
type Authorization struct {
	Strategy      string       `json:"strategy"`
	Position      string       `json:"position,omitempty"`
	Administrator bool         `json:"administrator"`
	Matches       []Match      `json:"matches"`
	Global        []string     `json:"global"`
	Items         []ScopedRole `json:"items"`
	Agents        []ScopedRole `json:"agents"`
}

// Match is one role assignment or matrix entry that applies.
type Match struct {
	Source      string   `json:"source"`             // roleBased | globalMatrix | projectMatrix
	RoleType    string   `json:"roleType,omitempty"` // global | items | agents
	Role        string   `json:"role,omitempty"`
	Pattern     string   `json:"pattern,omitempty"`
	Entry       string   `json:"entry"` // user | group | either
	Name        string   `json:"name"`  // as written
	MatchedAs   string   `json:"matchedAs"`
	Position    string   `json:"position"`
	Permissions []string `json:"permissions"`
}

// ScopedRole is an item or agent role that applies, with the names it
// covers.
type ScopedRole struct {
	Role        string     `json:"role"`
	Pattern     string     `json:"pattern"`
	Position    string     `json:"position"`
	Permissions []string   `json:"permissions"`
	Covers      []Coverage `json:"covers,omitempty"`
	Error       string     `json:"error,omitempty"`
}

// Coverage says whether a role's pattern covers a name given with --item or
// --agent.
type Coverage struct {
	Name    string `json:"name"`
	Covered bool   `json:"covered"`
}

// Message is a warning or a note about the identity.
type Message struct {
	Severity string `json:"severity"` // error | warning | note
	Text     string `json:"text"`
	Position string `json:"position,omitempty"`
}

// Failed reports whether the run should exit 1: the identity gets nothing
// usable, cannot sign in, or a token check failed.
func (r *Result) Failed() bool {
	switch r.Verdict {
	case VerdictSignInFails, VerdictNoPermissions, VerdictNoRead:
		return true
	}
	return r.Input.Failures > 0
}

type evaluator struct {
	req Request
	res *Result
	// unknownUser and unknownGroups are set when the realm's field cannot be
	// evaluated here (a variable, or JMESPath beyond the subset).
	unknownUser, unknownGroups bool
	// oic is the realm's mapping, read again from its file (the realm's
	// view keeps no tree): for the fields the view does not read.
	oic *yaml.Node
}

func (e *evaluator) unknown(field string) {
	switch field {
	case "userNameField":
		e.unknownUser = true
	case "groupsFieldName":
		e.unknownGroups = true
	}
}

func (e *evaluator) pos(f *source.File, m tree.Mark) string {
	if f == nil || m.IsZero() {
		return ""
	}
	return f.Shown(m.Pos(f)).String()
}

func (e *evaluator) add(sev, pos, format string, a ...any) {
	e.res.Messages = append(e.res.Messages, Message{Severity: sev, Text: fmt.Sprintf(format, a...), Position: pos})
}

// Evaluate answers the request.
func Evaluate(req Request) *Result {
	r := req.Realm
	res := &Result{
		Verdict:  VerdictUnknown,
		Messages: []Message{},
		Claims:   redactClaims(req.Claims.values()),
	}
	e := &evaluator{req: req, res: res}
	_, e.oic = r.Reread()
	res.Realm.Position = e.pos(r.File, r.Key)
	if r.ClientID.NonEmpty() {
		res.Realm.ClientID = r.ClientID.Value
	}
	if iss, _, ok := r.IssuerValue(); ok {
		res.Realm.Issuer = iss
	}
	var note string
	var users, groups IDStrategy
	users, _, note = readIDStrategy(e.oic, "userIdStrategy")
	if note != "" {
		e.add("note", e.pos(r.File, tree.ScalarOf(r.File, e.oic, "userIdStrategy").At()), "%s", note)
	}
	groups, _, note = readIDStrategy(e.oic, "groupIdStrategy")
	if note != "" {
		e.add("note", e.pos(r.File, tree.ScalarOf(r.File, e.oic, "groupIdStrategy").At()), "%s", note)
	}
	res.Realm.UserIDStrategy, res.Realm.GroupIDStrategy = users, groups

	res.Input.From = req.ClaimsFrom
	if t := req.Token; t != nil {
		ti := &TokenInfo{Algorithm: t.Algorithm, KeyID: t.KeyID, Checks: req.Checks}
		if ti.Checks == nil {
			ti.Checks = []Check{}
		}
		ti.Verified = len(req.Checks) > 0
		for _, c := range req.Checks {
			if c.Status == StatusFailed {
				res.Input.Failures++
			}
		}
		res.Input.Token = ti
	}

	signIn := e.identity()
	e.authorize(users, groups)
	e.verdict(signIn)
	return res
}

// identity derives the user name, groups, email and full name.
func (e *evaluator) identity() (signInProblem string) {
	r, res := e.req.Realm, e.res
	res.Identity.Groups = []string{}
	res.Identity.BuiltinGroups = []string{"authenticated"}
	fromToken := e.req.Token != nil
	for _, f := range realmFields(r, e.oic) {
		f.eval(e.req.Claims)
		at := e.pos(r.File, f.Str.At())
		info := FieldInfo{Field: f.Field, Expression: f.Expr, Default: f.Default, Position: at, Found: f.Found}
		if f.Compile != nil {
			info.Error = f.Compile.Error()
		}
		res.Realm.Fields = append(res.Realm.Fields, info)
		where := fmt.Sprintf("%s %q", f.Field, f.Expr)
		if f.Default {
			where = fmt.Sprintf("userNameField (unset: the plugin reads %q)", f.Expr)
		}
		if f.Compile != nil {
			var se *SyntaxError
			switch {
			case asSyntax(f.Compile, &se):
				hint := ""
				if se.Function == "" {
					hint = quoteHint(f.Expr)
				}
				e.add("error", at, "%s is %v: the plugin cannot compile it and reads nothing from the token%s", where, se, hint)
				if f.Field == "userNameField" {
					signInProblem = "the realm derives no user name"
				}
			case tree.IsVariable(f.Expr):
				e.add("note", at, "%s %v", where, f.Compile)
				e.unknown(f.Field)
			default:
				e.add("note", at, "%s %v: it is not evaluated here", where, ErrUnsupported)
				e.unknown(f.Field)
			}
			continue
		}
		if !f.Found {
			missing := fmt.Sprintf("claim %q", f.Expr)
			if name, simple := f.expr.Simple(); simple {
				missing = fmt.Sprintf("claim %q", name)
			} else if root := f.expr.Root(); root != "" {
				if _, ok := e.req.Claims.values()[root]; ok {
					missing = fmt.Sprintf("claim path %q (the token has %q, but not the rest of the path)", f.Expr, root)
				} else {
					missing = fmt.Sprintf("claim path %q (the token has no %q claim)", f.Expr, root)
				}
			}
			also := ""
			if fromToken {
				also = "; Jenkins also reads the provider's userinfo response, which may carry it"
			}
			switch f.Field {
			case "userNameField":
				e.add("error", at, "%s reads %s, which is absent from the token: Jenkins gets no user name and the sign-in fails%s", where, missing, also)
				signInProblem = "the token has no user name claim"
			case "groupsFieldName":
				e.add("warning", at, "%s reads %s, which is absent from the token: Jenkins sees no groups but %q%s%s%s", where, missing, "authenticated", also, e.overageHint(), e.groupsClaimHint(f.expr.Root()))
			default:
				e.add("warning", at, "%s reads %s, which is absent from the token%s", where, missing, also)
			}
			continue
		}
		switch f.Field {
		case "userNameField":
			name, ok := stringValue(f.Value)
			if !ok {
				what := "a " + typeName(f.Value) + ", not a string"
				if _, isString := f.Value.(string); isString {
					what = "an empty string"
				}
				e.add("error", at, "%s finds %s: Jenkins gets no user name and the sign-in fails", where, what)
				signInProblem = "the user name claim is not a usable string"
				continue
			}
			res.Identity.UserName = name
		case "groupsFieldName":
			names, dropped, ok := groupNames(f.Value)
			if !ok {
				e.add("warning", at, "%s finds a %s, not a string or a list of strings: Jenkins reads no groups from it", where, typeName(f.Value))
				continue
			}
			if len(dropped) > 0 {
				e.add("warning", at, "%s finds a list with %d item(s) that are not strings (%s): Jenkins ignores them%s", where, len(dropped), strings.Join(uniq(dropped), ", "), objectHint(dropped, f.Expr))
			}
			if s, isString := f.Value.(string); isString && len(names) > 1 {
				e.add("note", at, "%s finds the string %q, which Jenkins splits on blanks, commas and brackets into %d groups", where, s, len(names))
			}
			for _, n := range names {
				if strings.TrimSpace(n) == "" {
					e.add("warning", at, "%s finds an empty group name: Spring Security refuses empty authorities, so the sign-in fails", where)
					signInProblem = "the groups claim holds an empty group name"
					break
				}
			}
			if len(names) == 0 && ok {
				e.add("warning", at, "%s finds no group names: Jenkins sees no groups but %q", where, "authenticated")
			}
			res.Identity.Groups = append(res.Identity.Groups, names...)
		case "emailFieldName":
			if s, ok := stringValue(f.Value); ok {
				res.Identity.Email = s
			}
		case "fullNameFieldName":
			if s, ok := stringValue(f.Value); ok {
				res.Identity.FullName = s
			}
		case "tokenFieldToCheckKey":
			want := tree.ScalarOf(r.File, e.oic, "tokenFieldToCheckValue")
			if !want.NonEmpty() || tree.IsVariable(want.Value) {
				continue
			}
			got, _ := stringValue(f.Value)
			if got != strings.TrimSpace(want.Value) {
				e.add("error", e.pos(r.File, want.At()), "tokenFieldToCheckKey %q is %q, not the required tokenFieldToCheckValue %q: Jenkins refuses the sign-in", f.Expr, got, strings.TrimSpace(want.Value))
				signInProblem = "the token fails the realm's tokenFieldToCheckKey test"
			}
		}
	}
	if !r.GroupsField.NonEmpty() {
		e.add("note", e.pos(r.File, r.Key), "the realm sets no groupsFieldName: Jenkins reads no groups from the token, only %q applies%s", "authenticated", e.groupsClaimHint(""))
	}
	return signInProblem
}

// groupsClaimHint names a claim of the token that looks like the groups the
// realm misses.
func (e *evaluator) groupsClaimHint(reading string) string {
	for _, c := range []string{"groups", "roles", "cognito:groups", "realm_access"} {
		v, ok := e.req.Claims.values()[c]
		if !ok || c == reading {
			continue
		}
		expr := quoteForYAML(quoteIfNeeded(c))
		if c == "realm_access" {
			m, _ := v.(map[string]any) // null or not an object: no roles
			if _, ok := m["roles"]; !ok {
				continue
			}
			expr = "realm_access.roles"
		}
		return fmt.Sprintf(" (the token has a %q claim: groupsFieldName: %s?)", c, expr)
	}
	return ""
}

func asSyntax(err error, target **SyntaxError) bool {
	se, ok := err.(*SyntaxError)
	if ok {
		*target = se
	}
	return ok
}

func quoteHint(expr string) string {
	if strings.HasPrefix(strings.TrimSpace(expr), `"`) {
		return ""
	}
	return fmt.Sprintf(" (quote names with such characters: %s)", quoteForYAML(quoteIfNeeded(expr)))
}

// quoteForYAML writes a JMESPath quoted name the way a YAML value needs it.
func quoteForYAML(s string) string {
	if strings.HasPrefix(s, `"`) {
		return "'" + s + "'"
	}
	return s
}

func objectHint(dropped []string, expr string) string {
	for _, d := range dropped {
		if d == "object" {
			return fmt.Sprintf("; to read a name out of each object use a projection such as %s[].name", expr)
		}
	}
	return ""
}

// overageHint explains Entra ID's group overage: with too many groups the
// token names a claim source instead of carrying the groups.
func (e *evaluator) overageHint() string {
	names, _ := e.req.Claims.values()["_claim_names"].(map[string]any)
	if _, ok := names["groups"]; ok {
		return " (the token's _claim_names.groups is Entra ID's group overage: the user is in too many groups for the token; emit app roles or only the groups assigned to the application)"
	}
	if _, ok := e.req.Claims.values()["hasgroups"]; ok {
		return " (the token's hasgroups claim is Entra ID's group overage for implicit flows: the groups are not in the token)"
	}
	return ""
}

func uniq(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// authorize evaluates the authorization strategy for the identity.
func (e *evaluator) authorize(users, groups IDStrategy) {
	res, a := e.res, e.req.Authorization
	res.Authorization.Matches = []Match{}
	res.Authorization.Global = []string{}
	res.Authorization.Items = []ScopedRole{}
	res.Authorization.Agents = []ScopedRole{}
	if a == nil {
		res.Authorization.Strategy = "none"
		return
	}
	f := e.req.AuthorizationFile
	res.Authorization.Strategy = a.Strategy
	res.Authorization.Position = e.pos(f, a.StrategyKey)
	switch a.Strategy {
	case "roleBased", "globalMatrix", "projectMatrix":
	default:
		return
	}
	ids := sids(res.Identity.UserName, res.Identity.Groups)
	matches, misses := matchGrants(a.Grants, ids, users, groups)
	global := map[string]bool{}
	scoped := map[*jcasc.Role]bool{}
	for _, m := range matches {
		g := m.grant
		mt := Match{
			Source:      g.Source,
			Entry:       string(g.Kind),
			Name:        g.Name,
			MatchedAs:   matchedAs(m.sid),
			Position:    e.pos(f, g.Node),
			Permissions: permissionNames(g.Permissions),
		}
		if g.Role != nil {
			mt.RoleType, mt.Role = string(g.Role.Type), g.Role.Name.Value
			mt.Pattern = g.Role.Pattern.Value
		}
		res.Authorization.Matches = append(res.Authorization.Matches, mt)
		if g.Role != nil && g.Role.Type != jcasc.GlobalRole {
			if !scoped[g.Role] {
				scoped[g.Role] = true
				sr := e.scopedRole(g.Role)
				if g.Role.Type == jcasc.ItemRole {
					res.Authorization.Items = append(res.Authorization.Items, sr)
				} else {
					res.Authorization.Agents = append(res.Authorization.Agents, sr)
				}
			}
			continue
		}
		for _, p := range mt.Permissions {
			global[p] = true
		}
	}
	for p := range global {
		res.Authorization.Global = append(res.Authorization.Global, p)
		if isAdminister(p) {
			res.Authorization.Administrator = true
		}
	}
	sort.Strings(res.Authorization.Global)
	for _, m := range misses {
		e.add("note", e.pos(f, m.grant.Node), "%s %s", entryLabel(m.grant), m.text)
	}
	e.guidHint(a, users, groups)
}

func matchedAs(s sid) string {
	switch {
	case s.automatic:
		return "user \"anonymous\" (Jenkins grants its permissions to everyone)"
	case s.principal:
		return fmt.Sprintf("user %q", s.name)
	case s.name == "authenticated":
		return "group \"authenticated\" (every signed-in user)"
	}
	return fmt.Sprintf("group %q", s.name)
}

func entryLabel(g *jcasc.Grant) string {
	if g.Role != nil {
		return fmt.Sprintf("the %s role %q entry", g.Role.Type, g.Role.Name.Value)
	}
	return fmt.Sprintf("the %s entry", g.Source)
}

func (e *evaluator) scopedRole(role *jcasc.Role) ScopedRole {
	sr := ScopedRole{
		Role:        role.Name.Value,
		Pattern:     role.Pattern.Value,
		Position:    e.pos(e.req.AuthorizationFile, role.Node),
		Permissions: permissionNames(role.Permissions),
	}
	names := e.req.Items
	if role.Type == jcasc.AgentRole {
		names = e.req.Agents
	}
	if len(names) == 0 {
		return sr
	}
	p := CompilePattern(role.Pattern.Value)
	if p.Err() != nil {
		sr.Error = p.Err().Error()
		return sr
	}
	for _, n := range names {
		ok, _ := p.Matches(n)
		sr.Covers = append(sr.Covers, Coverage{Name: n, Covered: ok})
	}
	return sr
}

// guidHint notes tokens whose groups are all object IDs while the
// authorization names groups by name (Entra ID's default).
func (e *evaluator) guidHint(a *jcasc.Authorization, users, groups IDStrategy) {
	gs := e.res.Identity.Groups
	if len(gs) == 0 {
		return
	}
	for _, g := range gs {
		if !looksLikeGUID(g) {
			return
		}
	}
	for _, m := range e.res.Authorization.Matches {
		if looksLikeGUID(m.Name) {
			return
		}
	}
	var named []string
	for _, g := range a.Grants {
		if g.Kind != jcasc.SIDUser && !looksLikeGUID(g.Name) && !jcasc.BuiltinGroup(g.Name) {
			named = append(named, fmt.Sprintf("%q", g.Name))
		}
	}
	if len(named) == 0 {
		return
	}
	e.add("note", "", "the token's groups are object IDs (GUIDs), as Entra ID sends them, while the authorization names groups %s: write the group object IDs in the entries, or have the provider emit group names (Entra ID: \"cloud_displayname\" / sAMAccountName group claims) or app roles", strings.Join(uniq(named), ", "))
}

// verdict sums up.
func (e *evaluator) verdict(signInProblem string) {
	res := e.res
	a := e.req.Authorization
	user := res.Identity.UserName
	who := fmt.Sprintf("%q", user)
	switch {
	case signInProblem != "":
		res.Verdict = VerdictSignInFails
		res.Summary = "the sign-in fails: " + signInProblem
		return
	case a == nil:
		res.Verdict = VerdictUnknown
		res.Summary = "the configuration sets no authorizationStrategy: the permissions are whatever the controller already has"
		return
	}
	switch a.Strategy {
	case "unsecured":
		res.Verdict, res.Authorization.Administrator = VerdictAdministrator, true
		res.Summary = "the authorization strategy is unsecured: everyone, even anonymous visitors, is an administrator"
		e.add("warning", res.Authorization.Position, "authorizationStrategy unsecured gives every visitor Overall/Administer")
		return
	case "loggedInUsersCanDoAnything":
		res.Verdict, res.Authorization.Administrator = VerdictAdministrator, true
		res.Summary = fmt.Sprintf("loggedInUsersCanDoAnything: every signed-in user is an administrator, %s included", who)
		if a.AllowAnonymousRead.On() {
			res.Summary += "; anonymous visitors can read"
		}
		return
	case "roleBased", "globalMatrix", "projectMatrix":
	default:
		res.Verdict = VerdictUnknown
		res.Summary = fmt.Sprintf("the authorization strategy %q is not modelled by this command", a.Strategy)
		return
	}
	az := &res.Authorization
	hasRead := false
	for _, p := range az.Global {
		if isOverallRead(p) {
			hasRead = true
		}
	}
	scoped := len(az.Items) + len(az.Agents)
	switch {
	case az.Administrator:
		res.Verdict = VerdictAdministrator
		res.Summary = fmt.Sprintf("%s is an administrator (Overall/Administer implies every permission)", who)
	case hasRead:
		res.Verdict = VerdictGranted
		res.Summary = fmt.Sprintf("%s signs in with %d global permission(s)", who, len(az.Global))
		if scoped > 0 {
			res.Summary += fmt.Sprintf(" and %d item/agent role(s)", scoped)
		}
	case e.unknownUser || e.unknownGroups:
		what := "user name"
		if e.unknownGroups {
			what = "groups"
			if e.unknownUser {
				what = "user name and groups"
			}
		}
		res.Verdict = VerdictUnknown
		res.Summary = fmt.Sprintf("cannot tell: the realm's %s could not be evaluated here, and what is known gives no usable permissions", what)
	case len(az.Global) > 0 || scoped > 0:
		res.Verdict = VerdictNoRead
		res.Summary = fmt.Sprintf("%s has permissions but not Overall/Read: Jenkins shows \"%s is missing the Overall/Read permission\" on every page", who, user)
		e.add("warning", az.Position, "no entry gives %s Overall/Read: the other permissions are unusable without it; grant Overall/Read (e.g. to the group %q)", who, "authenticated")
	default:
		res.Verdict = VerdictNoPermissions
		res.Summary = fmt.Sprintf("%s signs in and sees nothing: no role or entry applies to the user or any of the groups %s", who, listSome(quoteAll(append([]string{"authenticated"}, res.Identity.Groups...)), 10))
		e.add("warning", az.Position, "signs in and sees nothing: %s gets no permissions", who)
	}
}

// listSome joins at most n items and counts the rest.
func listSome(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}

func quoteAll(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
