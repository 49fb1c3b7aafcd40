package access

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
)

// sid is one security identity of a signed-in user, as Jenkins' SidACL
// checks them: the user name (a principal), every group authority (the
// built-in "authenticated" included), and "anonymous", whose permissions
// Jenkins grants to everyone.
type sid struct {
	name      string
	principal bool
	automatic bool // anonymous: granted to everyone
}

// sids lists the identities Jenkins checks for a signed-in user.
func sids(user string, groups []string) []sid {
	var out []sid
	if user != "" {
		out = append(out, sid{name: user, principal: true})
	}
	out = append(out, sid{name: "authenticated"})
	for _, g := range groups {
		out = append(out, sid{name: g})
	}
	return append(out, sid{name: "anonymous", principal: true, automatic: true})
}

// applicable reports whether an entry of kind k can name s: user entries
// name principals, group entries name authorities, either entries both.
func applicable(k jcasc.SIDKind, s sid) bool {
	switch k {
	case jcasc.SIDUser:
		return s.principal
	case jcasc.SIDGroup:
		return !s.principal
	}
	return true
}

// grantMatch is how one grant applies to the identity.
type grantMatch struct {
	grant *jcasc.Grant
	sid   sid
}

// nearMiss is a grant that almost applies: the right name with the wrong
// kind, a case difference under a case-sensitive strategy, a Keycloak group
// path, or an Entra group name where the token carries object IDs.
type nearMiss struct {
	grant *jcasc.Grant
	text  string
}

// matchGrants returns the grants that apply to the identity and the near
// misses worth a note.
func matchGrants(grants []*jcasc.Grant, ids []sid, users, groups IDStrategy) ([]grantMatch, []nearMiss) {
	var out []grantMatch
	var misses []nearMiss
	strategy := func(s sid) IDStrategy {
		if s.principal {
			return users
		}
		return groups
	}
	for _, g := range grants {
		matched := false
		for _, s := range ids {
			if applicable(g.Kind, s) && strategy(s).Equal(g.Name, s.name) {
				out = append(out, grantMatch{grant: g, sid: s})
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		if m := nearMissOf(g, ids, strategy); m != "" {
			misses = append(misses, nearMiss{grant: g, text: m})
		}
	}
	return out, misses
}

func nearMissOf(g *jcasc.Grant, ids []sid, strategy func(sid) IDStrategy) string {
	for _, s := range ids {
		if !applicable(g.Kind, s) && strategy(s).Equal(g.Name, s.name) {
			what, want := "the user name", "user"
			switch {
			case s.automatic:
				what = "a user in Jenkins (the anonymous user)"
			case !s.principal && s.name == "authenticated":
				what, want = "a group in Jenkins (every signed-in user)", "group"
			case !s.principal:
				what, want = "one of the identity's groups", "group"
			}
			return fmt.Sprintf("names %s %q, but %q is %s: write it as %s: %q", g.Kind, g.Name, s.name, what, want, g.Name)
		}
	}
	for _, s := range ids {
		if applicable(g.Kind, s) && s.name != "" && strings.EqualFold(g.Name, s.name) {
			field := "userIdStrategy"
			if !s.principal {
				field = "groupIdStrategy"
			}
			return fmt.Sprintf("names %q, which differs from %q only in case, and the realm's %s is %s", g.Name, s.name, field, strategy(s))
		}
	}
	for _, s := range ids {
		if applicable(g.Kind, s) && !s.principal && strings.HasPrefix(s.name, "/") &&
			strategy(s).Equal(g.Name, s.name[strings.LastIndex(s.name, "/")+1:]) {
			return fmt.Sprintf("names %q, but the token carries the group path %q (Keycloak's group mapper sends full paths unless \"Full group path\" is off): write %q", g.Name, s.name, s.name)
		}
	}
	return ""
}

// canonicalPermission turns a permission ID (hudson.model.Hudson.Administer)
// into the name JCasC writes (Overall/Administer); names pass unchanged.
func canonicalPermission(p string) string {
	p = strings.TrimSpace(p)
	for _, m := range []struct{ prefix, group string }{
		{"hudson.model.Hudson.", "Overall"},
		{"jenkins.model.Jenkins.", "Overall"},
		{"hudson.model.Item.", "Job"},
		{"hudson.model.Run.", "Run"},
		{"hudson.model.View.", "View"},
		{"hudson.model.Computer.", "Agent"},
		{"hudson.scm.SCM.", "SCM"},
		{"com.cloudbees.plugins.credentials.CredentialsProvider.", "Credentials"},
		{"hudson.security.Permission.", "Permission"},
	} {
		if strings.HasPrefix(p, m.prefix) && !strings.Contains(p[len(m.prefix):], ".") {
			return m.group + "/" + p[len(m.prefix):]
		}
	}
	return p
}

// isAdminister and isRead compare permissions case-insensitively: JCasC
// configurations write both "Overall/Administer" and "overall/administer".
func isAdminister(p string) bool {
	return strings.EqualFold(canonicalPermission(p), "Overall/Administer")
}

func isOverallRead(p string) bool { return strings.EqualFold(canonicalPermission(p), "Overall/Read") }

// permissionNames canonicalises, de-duplicates and sorts permissions.
func permissionNames(ps []jcasc.Permission) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range ps {
		n := canonicalPermission(p.Name)
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Pattern is a role-strategy item or agent pattern: a Java regular
// expression that must match the whole item full name (folder/job) or agent
// name.
type Pattern struct {
	re  *regexp.Regexp
	err error
}

// CompilePattern compiles a role pattern the way role-strategy applies it
// (Matcher.matches: the whole name). Java-only syntax (look-around,
// possessive quantifiers, back-references) does not compile here.
func CompilePattern(p string) Pattern {
	if _, err := regexp.Compile(p); err != nil {
		return Pattern{err: fmt.Errorf("pattern %q cannot be checked here (Java-only regular expression syntax?): %v", p, err)}
	}
	re, err := regexp.Compile(`^(?:` + p + `)$`)
	if err != nil {
		return Pattern{err: fmt.Errorf("pattern %q cannot be checked here: %v", p, err)}
	}
	return Pattern{re: re}
}

// Matches reports whether name is covered; ok is false when the pattern could
// not be compiled.
func (p Pattern) Matches(name string) (match, ok bool) {
	if p.re == nil {
		return false, false
	}
	return p.re.MatchString(name), true
}

// Err is the compile error, if any.
func (p Pattern) Err() error { return p.err }
