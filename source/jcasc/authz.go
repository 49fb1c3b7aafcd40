package jcasc

import (
	"strings"
	"unique"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// Authorization is the typed view of jenkins.authorizationStrategy for the
// strategies that map identities to permissions: role-strategy's roleBased,
// matrix-auth's globalMatrix/projectMatrix, loggedInUsersCanDoAnything and
// unsecured.
type Authorization struct {
	Key         tree.Mark // the authorizationStrategy key
	Strategy    string    // roleBased | globalMatrix | projectMatrix | loggedInUsersCanDoAnything | unsecured | other
	StrategyKey tree.Mark // zero when there is none
	Roles       []*Role
	// Grants lists every identity that receives permissions, with the
	// permissions it receives.
	Grants []*Grant
	// AllowAnonymousRead is loggedInUsersCanDoAnything's switch.
	AllowAnonymousRead tree.Switch
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
	Name        tree.Scalar
	Pattern     tree.Scalar // items and agents roles
	Permissions []Permission
	// Node is the role's mapping's mark (the fields are read into the
	// view, so the role's tree is not held for the run).
	Node tree.Mark
}

// Permission is one permission name as Jenkins writes it (Overall/Administer).
type Permission struct {
	Name string
	Node tree.Mark
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
	Node tree.Mark // the name's scalar (or the legacy string)
	// Text is the value of Node: Name, or the legacy string
	// ("USER:Overall/Read:alice").
	Text string
	// SIDKey is the key of role-strategy's entry (`- user: name`: the
	// user, group or either key, as Kind says), zero for other grants.
	SIDKey      tree.Mark
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

func readAuthorization(f *source.File, root *yaml.Node) *Authorization {
	_, jenkins := tree.Get(root, "jenkins")
	k, as := tree.Get(jenkins, "authorizationStrategy")
	if k == nil {
		return nil
	}
	a := &Authorization{Key: tree.MarkOf(f, k), Strategy: "other"}
	if sk, sv := AuthorizationStrategy(root); sk != nil {
		a.StrategyKey, a.Strategy = tree.MarkOf(f, sk), intern(sk.Value)
		switch sk.Value {
		case "roleBased":
			a.readRoleBased(f, sv)
		case "globalMatrix", "projectMatrix":
			a.readMatrix(f, a.Strategy, sv)
		case "loggedInUsersCanDoAnything":
			a.AllowAnonymousRead = tree.SwitchOf(f, sv, "allowAnonymousRead")
		}
	}
	if a.StrategyKey.IsZero() && as != nil && as.Kind == yaml.ScalarNode {
		// authorizationStrategy: unsecured
		a.Strategy, a.StrategyKey = intern(as.Value), tree.MarkOf(f, as)
	}
	return a
}

// intern returns the one copy of s (package unique): permission and
// strategy names repeat across every file of a tree.
func intern(s string) string { return unique.Make(s).Value() }

func permissions(f *source.File, n *yaml.Node) []Permission {
	var out []Permission
	for _, it := range tree.Items(n) {
		if it.Kind == yaml.ScalarNode {
			out = append(out, Permission{Name: intern(strings.TrimSpace(it.Value)), Node: tree.MarkOf(f, it)})
		}
	}
	return out
}

func (a *Authorization) readRoleBased(f *source.File, rb *yaml.Node) {
	_, roles := tree.Get(rb, "roles")
	for _, typ := range []RoleType{GlobalRole, ItemRole, AgentRole} {
		_, list := tree.Get(roles, string(typ))
		for _, rn := range tree.Items(list) {
			role := &Role{Type: typ, Node: tree.MarkOf(f, rn), Name: tree.ScalarOf(f, rn, "name"), Pattern: tree.ScalarOf(f, rn, "pattern")}
			_, perms := tree.Get(rn, "permissions")
			role.Permissions = permissions(f, perms)
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
						a.Grants = append(a.Grants, &Grant{Kind: kind, Name: p.Value.Value, Node: tree.MarkOf(f, p.Value), Text: p.Value.Value, SIDKey: tree.MarkOf(f, p.Key), Role: role, Permissions: role.Permissions, Source: "roleBased"})
					}
				}
			}
			// older role-strategy: assignments: ["alice", "admins"] (user or group)
			_, assigns := tree.Get(rn, "assignments")
			for _, it := range tree.Items(assigns) {
				if it.Kind == yaml.ScalarNode {
					a.Grants = append(a.Grants, &Grant{Kind: SIDEither, Name: it.Value, Node: tree.MarkOf(f, it), Text: it.Value, Role: role, Permissions: role.Permissions, Source: "roleBased"})
				}
			}
		}
	}
}

func (a *Authorization) readMatrix(f *source.File, source string, m *yaml.Node) {
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
				a.Grants = append(a.Grants, &Grant{Kind: kind, Name: name.Value, Node: tree.MarkOf(f, name.Node), Text: name.Node.Value, Permissions: permissions(f, perms), Source: source})
			}
		}
	}
	// legacy: permissions: ["GROUP:Overall/Administer:admins", "Overall/Read:authenticated"],
	// and grantedPermissions, its deprecated name that matrix-auth still reads
	for _, key := range [...]string{"permissions", "grantedPermissions"} {
		_, legacy := tree.Get(m, key)
		for _, it := range tree.Items(legacy) {
			if it.Kind != yaml.ScalarNode {
				continue
			}
			kind, perm, name, ok := ParseLegacyPermission(it.Value)
			if !ok {
				continue
			}
			at := tree.MarkOf(f, it)
			a.Grants = append(a.Grants, &Grant{Kind: kind, Name: name, Node: at, Text: it.Value, Permissions: []Permission{{Name: intern(perm), Node: at}}, Source: source})
		}
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
