package access

import (
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
)

func grant(kind jcasc.SIDKind, name string) *jcasc.Grant {
	return &jcasc.Grant{Kind: kind, Name: name, Source: "globalMatrix"}
}

func TestMatchGrants(t *testing.T) {
	ids := sids("Alice", []string{"Devs", "/platform/admins"})
	tests := []struct {
		name          string
		grant         *jcasc.Grant
		users, groups IDStrategy
		matchedAs     string // "" when it does not apply
		miss          string // near-miss note
	}{
		{"user, case-insensitive", grant(jcasc.SIDUser, "alice"), CaseInsensitive, CaseInsensitive, `user "Alice"`, ""},
		{"user, case-sensitive", grant(jcasc.SIDUser, "alice"), CaseSensitive, CaseInsensitive, "",
			`names "alice", which differs from "Alice" only in case, and the realm's userIdStrategy is caseSensitive`},
		{"group, case-insensitive", grant(jcasc.SIDGroup, "devs"), CaseInsensitive, CaseInsensitive, `group "Devs"`, ""},
		{"group, case-sensitive", grant(jcasc.SIDGroup, "devs"), CaseInsensitive, CaseSensitive, "",
			`names "devs", which differs from "Devs" only in case, and the realm's groupIdStrategy is caseSensitive`},
		{"either names a group", grant(jcasc.SIDEither, "DEVS"), CaseInsensitive, CaseInsensitive, `group "Devs"`, ""},
		{"either names the user", grant(jcasc.SIDEither, "alice"), CaseInsensitive, CaseInsensitive, `user "Alice"`, ""},
		{"user entry names a group", grant(jcasc.SIDUser, "devs"), CaseInsensitive, CaseInsensitive, "",
			`names user "devs", but "Devs" is one of the identity's groups: write it as group: "devs"`},
		{"group entry names the user", grant(jcasc.SIDGroup, "alice"), CaseInsensitive, CaseInsensitive, "",
			`names group "alice", but "Alice" is the user name: write it as user: "alice"`},
		{"group authenticated", grant(jcasc.SIDGroup, "authenticated"), CaseInsensitive, CaseInsensitive, `group "authenticated" (every signed-in user)`, ""},
		{"user authenticated", grant(jcasc.SIDUser, "authenticated"), CaseInsensitive, CaseInsensitive, "",
			`names user "authenticated", but "authenticated" is a group in Jenkins (every signed-in user): write it as group: "authenticated"`},
		{"user anonymous applies to everyone", grant(jcasc.SIDUser, "anonymous"), CaseInsensitive, CaseInsensitive, `user "anonymous" (Jenkins grants its permissions to everyone)`, ""},
		{"group anonymous", grant(jcasc.SIDGroup, "anonymous"), CaseInsensitive, CaseInsensitive, "",
			`names group "anonymous", but "anonymous" is a user in Jenkins (the anonymous user): write it as user: "anonymous"`},
		{"keycloak group path", grant(jcasc.SIDGroup, "admins"), CaseInsensitive, CaseInsensitive, "",
			`names "admins", but the token carries the group path "/platform/admins" (Keycloak's group mapper sends full paths unless "Full group path" is off): write "/platform/admins"`},
		{"group path written out", grant(jcasc.SIDGroup, "/platform/admins"), CaseInsensitive, CaseInsensitive, `group "/platform/admins"`, ""},
		{"unrelated", grant(jcasc.SIDGroup, "ops"), CaseInsensitive, CaseInsensitive, "", ""},
	}
	for _, tt := range tests {
		got, misses := matchGrants([]*jcasc.Grant{tt.grant}, ids, tt.users, tt.groups)
		gotAs := ""
		if len(got) == 1 {
			gotAs = matchedAs(got[0].sid)
		}
		if gotAs != tt.matchedAs {
			t.Errorf("%s: matched as %q, want %q", tt.name, gotAs, tt.matchedAs)
		}
		gotMiss := ""
		if len(misses) == 1 {
			gotMiss = misses[0].text
		}
		if gotMiss != tt.miss {
			t.Errorf("%s: near miss\n got  %q\n want %q", tt.name, gotMiss, tt.miss)
		}
	}
}

func TestSidsWithoutUser(t *testing.T) {
	got := sids("", []string{"g"})
	var names []string
	for _, s := range got {
		names = append(names, s.name)
	}
	if strings.Join(names, ",") != "authenticated,g,anonymous" {
		t.Errorf("sids = %v", names)
	}
}

func TestCanonicalPermission(t *testing.T) {
	for in, want := range map[string]string{
		"Overall/Administer":             "Overall/Administer",
		" Job/Build ":                    "Job/Build",
		"hudson.model.Hudson.Administer": "Overall/Administer",
		"hudson.model.Hudson.Read":       "Overall/Read",
		"jenkins.model.Jenkins.Manage":   "Overall/Manage",
		"hudson.model.Item.Build":        "Job/Build",
		"hudson.model.Run.Delete":        "Run/Delete",
		"hudson.model.View.Read":         "View/Read",
		"hudson.model.Computer.Connect":  "Agent/Connect",
		"hudson.scm.SCM.Tag":             "SCM/Tag",
		"com.cloudbees.plugins.credentials.CredentialsProvider.View": "Credentials/View",
		"org.example.Plugin.Thing":                                   "org.example.Plugin.Thing",
	} {
		if got := canonicalPermission(in); got != want {
			t.Errorf("canonicalPermission(%q) = %q, want %q", in, got, want)
		}
	}
	if !isAdminister("overall/administer") || !isAdminister("hudson.model.Hudson.Administer") || isAdminister("Overall/Read") {
		t.Error("isAdminister")
	}
	if !isOverallRead("Overall/Read") || isOverallRead("Job/Read") {
		t.Error("isOverallRead")
	}
}

func TestPatterns(t *testing.T) {
	tests := []struct {
		pattern, name string
		match, ok     bool
	}{
		{"team-a/.*", "team-a/deploy", true, true},
		{"team-a/.*", "team-a", false, true},
		{"team-a/.*", "xteam-a/deploy", false, true}, // the whole name must match
		{"team-a", "team-a/deploy", false, true},
		{"team-a.*", "team-a/deploy", true, true},
		{"^team-a/.*$", "team-a/x", true, true},
		{"(?i)TEAM-A/.*", "team-a/x", true, true},
		{"team-a|team-b", "team-b", true, true},
		{"team-a|team-b", "team-ab", false, true}, // alternation stays inside the anchors
		{".*", "anything/at/all", true, true},
		{"linux-.*", "linux-agent-1", true, true},
		{"(?<=a)b", "ab", false, false}, // Java look-behind
		{"a++", "aa", false, false},     // Java possessive quantifier
	}
	for _, tt := range tests {
		p := CompilePattern(tt.pattern)
		match, ok := p.Matches(tt.name)
		if match != tt.match || ok != tt.ok {
			t.Errorf("%q on %q: got %v %v, want %v %v", tt.pattern, tt.name, match, ok, tt.match, tt.ok)
		}
		if (p.Err() == nil) != tt.ok {
			t.Errorf("%q: Err() = %v", tt.pattern, p.Err())
		}
	}
	if err := CompilePattern("(?<=a)b").Err(); err == nil || !strings.HasPrefix(err.Error(), `pattern "(?<=a)b" cannot be checked here (Java-only regular expression syntax?)`) {
		t.Errorf("error wording: %v", err)
	}
}
