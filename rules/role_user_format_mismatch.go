package rules

import (
	"fmt"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// RoleUserFormatMismatch: see docs/role-user-format-mismatch.md.
var RoleUserFormatMismatch = &Rule{ID: "role-user-format-mismatch", Workspace: checkRoleUserFormat}

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
			} else if plainNameRE().MatchString(name) && !uuidRE().MatchString(name) && g.Kind == jcasc.SIDUser {
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
		f := p.ReportAt(ad.doc.File, g.Node, problem+"; the entry never matches anyone: "+how)
		at := r.UserNameField.At()
		if at.IsZero() {
			at = r.Key
		}
		f.Related = []report.Related{{Pos: at.Pos(r.File), Message: "the realm's user name claim"}}
	}
}
