package jcasc

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// Authorization is the typed view of jenkins.authorizationStrategy for the
// strategies that map identities to permissions: role-strategy's roleBased,
// matrix-auth's globalMatrix/projectMatrix, loggedInUsersCanDoAnything and
// unsecured.
type Authorization struct {
	Key         *yaml.Node // the authorizationStrategy key
	Strategy    string     // roleBased | globalMatrix | projectMatrix | loggedInUsersCanDoAnything | unsecured | other
	StrategyKey *yaml.Node
	Roles       []*Role
	// Grants lists every identity that receives permissions, with the
	// permissions it receives.
	Grants []*Grant
	// AllowAnonymousRead is loggedInUsersCanDoAnything's switch.
	AllowAnonymousRead tree.Flag
}

// RoleType is the role-strategy role family.
type RoleType string

// Role families of role-strategy.
const (
	GlobalRole RoleType = "global"
	ItemRole   RoleType = "items"
	AgentRole  RoleType = "agents"
)

// Role is one role-strategy role.
type Role struct {
	Type        RoleType
	Name        tree.Str
	Pattern     tree.Str // items and agents roles
	Permissions []Permission
	// Node is the role's mapping for its place only: a copy without its
	// content (the fields are read into the view), so the role's tree is
	// not held for the run.
	Node *yaml.Node
}

// Permission is one permission name as Jenkins writes it (Overall/Administer).
type Permission struct {
	Name string
	Node *yaml.Node
}

// SIDKind says whether a grant names a user, a group, or (legacy matrix
// strings without a prefix) either.
type SIDKind string

// SID kinds.
const (
	SIDUser   SIDKind = "user"
	SIDGroup  SIDKind = "group"
	SIDEither SIDKind = "either"
)

// Grant is one identity (user or group) that receives permissions, directly
// (matrix) or through a role.
type Grant struct {
	Kind SIDKind
	Name string
	Node *yaml.Node // the name's node (or the legacy string)
	// SIDKey is the key of role-strategy's entry (`- user: name`: the
	// user, group or either key), nil for other grants.
	SIDKey      *yaml.Node
	Role        *Role // nil for matrix entries
	Permissions []Permission
	Source      string // roleBased | globalMatrix | projectMatrix
}

// BuiltinGroup reports whether name is one of Jenkins' built-in groups,
// which need no groups claim.
func BuiltinGroup(name string) bool {
	return name == "authenticated" || name == "anonymous"
}

// AuthorizationStrategy returns the key and value of the strategy under
// jenkins.authorizationStrategy of a JCasC root mapping: the mapping's one
// key (JCasC allows exactly one); nil when there is none.
func AuthorizationStrategy(root *yaml.Node) (key, value *yaml.Node) {
	if pairs := tree.Pairs(tree.Lookup(root, "jenkins", "authorizationStrategy")); len(pairs) > 0 {
		return pairs[0].Key, pairs[0].Value
	}
	return nil, nil
}

func readAuthorization(root *yaml.Node) *Authorization {
	_, jenkins := tree.Get(root, "jenkins")
	k, as := tree.Get(jenkins, "authorizationStrategy")
	if k == nil {
		return nil
	}
	a := &Authorization{Key: k, Strategy: "other"}
	if sk, sv := AuthorizationStrategy(root); sk != nil {
		a.StrategyKey, a.Strategy = sk, sk.Value
		switch sk.Value {
		case "roleBased":
			a.readRoleBased(sv)
		case "globalMatrix", "projectMatrix":
			a.readMatrix(sk.Value, sv)
		case "loggedInUsersCanDoAnything":
			a.AllowAnonymousRead = tree.FlagOf(sv, "allowAnonymousRead")
		}
	}
	if a.StrategyKey == nil && as != nil && as.Kind == yaml.ScalarNode {
		// authorizationStrategy: unsecured
		a.Strategy, a.StrategyKey = as.Value, as
	}
	return a
}

func permissions(n *yaml.Node) []Permission {
	var out []Permission
	for _, it := range tree.Items(n) {
		if it.Kind == yaml.ScalarNode {
			out = append(out, Permission{Name: strings.TrimSpace(it.Value), Node: it})
		}
	}
	return out
}

func (a *Authorization) readRoleBased(rb *yaml.Node) {
	_, roles := tree.Get(rb, "roles")
	for _, typ := range []RoleType{GlobalRole, ItemRole, AgentRole} {
		_, list := tree.Get(roles, string(typ))
		for _, rn := range tree.Items(list) {
			role := &Role{Type: typ, Node: placeOnly(rn), Name: tree.StrOf(rn, "name"), Pattern: tree.StrOf(rn, "pattern")}
			_, perms := tree.Get(rn, "permissions")
			role.Permissions = permissions(perms)
			a.Roles = append(a.Roles, role)
			// role-strategy 3.x+: entries: [{user: x} | {group: y} | {either: z}]
			_, entries := tree.Get(rn, "entries")
			for _, e := range tree.Items(entries) {
				for _, p := range tree.Pairs(e) {
					kind := SIDKind(p.Key.Value)
					if kind != SIDUser && kind != SIDGroup && kind != SIDEither {
						continue
					}
					if p.Value != nil && p.Value.Kind == yaml.ScalarNode {
						a.Grants = append(a.Grants, &Grant{Kind: kind, Name: p.Value.Value, Node: p.Value, SIDKey: p.Key, Role: role, Permissions: role.Permissions, Source: "roleBased"})
					}
				}
			}
			// older role-strategy: assignments: ["alice", "admins"] (user or group)
			_, assigns := tree.Get(rn, "assignments")
			for _, it := range tree.Items(assigns) {
				if it.Kind == yaml.ScalarNode {
					a.Grants = append(a.Grants, &Grant{Kind: SIDEither, Name: it.Value, Node: it, Role: role, Permissions: role.Permissions, Source: "roleBased"})
				}
			}
		}
	}
}

// placeOnly is a copy of n without its content: its kind, style, tag and
// place, for positions.
func placeOnly(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	return &yaml.Node{Kind: n.Kind, Style: n.Style, Tag: n.Tag, Anchor: n.Anchor, Line: n.Line, Column: n.Column}
}

func (a *Authorization) readMatrix(source string, m *yaml.Node) {
	// matrix-auth 3.x: entries: [{user: {name, permissions}} | {group: …} | {userOrGroup: …}]
	_, entries := tree.Get(m, "entries")
	for _, e := range tree.Items(entries) {
		for _, p := range tree.Pairs(e) {
			var kind SIDKind
			switch p.Key.Value {
			case "user":
				kind = SIDUser
			case "group":
				kind = SIDGroup
			case "userOrGroup":
				kind = SIDEither
			default:
				continue
			}
			name := tree.StrOf(p.Value, "name")
			_, perms := tree.Get(p.Value, "permissions")
			if name.NonEmpty() {
				a.Grants = append(a.Grants, &Grant{Kind: kind, Name: name.Value, Node: name.Node, Permissions: permissions(perms), Source: source})
			}
		}
	}
	// legacy: permissions: ["GROUP:Overall/Administer:admins", "Overall/Read:authenticated"]
	_, legacy := tree.Get(m, "permissions")
	for _, it := range tree.Items(legacy) {
		if it.Kind != yaml.ScalarNode {
			continue
		}
		kind, perm, name, ok := ParseLegacyPermission(it.Value)
		if !ok {
			continue
		}
		a.Grants = append(a.Grants, &Grant{Kind: kind, Name: name, Node: it, Permissions: []Permission{{Name: perm, Node: it}}, Source: source})
	}
}

// ParseLegacyPermission reads matrix-auth's "[TYPE:]Permission/Name:sid".
func ParseLegacyPermission(s string) (kind SIDKind, perm, name string, ok bool) {
	kind = SIDEither
	switch {
	case strings.HasPrefix(s, "USER:"):
		kind, s = SIDUser, s[len("USER:"):]
	case strings.HasPrefix(s, "GROUP:"):
		kind, s = SIDGroup, s[len("GROUP:"):]
	}
	perm, name, ok = strings.Cut(s, ":")
	if !ok || perm == "" || name == "" {
		return "", "", "", false
	}
	return kind, perm, name, true
}
