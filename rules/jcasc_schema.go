package rules

import (
	"fmt"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/suggest"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// JCasCSchema: see docs/jcasc-schema.md.
var JCasCSchema = &Rule{
	ID:     "jcasc-schema",
	Engine: true,
	// Besides the CUE schemas' findings, which the engine reports, these
	// Go checks (in this order) report what CUE cannot tell.
	Workspace: func(p *Pass) {
		checkPermissionNames(p)
		checkClaimPaths(p)
		checkManualJWKSSignInFails(p)
		checkRealmProvider(p)
	},
}

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
		if ok && !coreCategories(cat) {
			return
		}
		hint := ""
		if best := suggest.Closest(perm.Name, corePermissions); best != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", best)
		}
		p.ReportAt(ad.doc.File, perm.Node, fmt.Sprintf("unknown permission %q%s: Jenkins refuses the configuration at boot", perm.Name, hint))
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

func coreCategories(s string) bool {
	switch s {
	case "Overall", "Job", "Run", "View", "SCM", "Credentials",
		"Agent", "Computer":
		return true
	}
	return false
}

// checkClaimPaths reports claim fields whose names need JMESPath quoting:
// since oic-auth 4.225 the fields are JMESPath expressions, so
// cognito:groups or group-membership must be written "cognito:groups".
func checkClaimPaths(p *Pass) {
	for _, r := range p.WS.Realms() {
		for _, field := range []tree.Scalar{r.UserNameField, r.GroupsField, r.EmailField, r.FullNameField} {
			v := strings.TrimSpace(field.Value)
			if !field.NonEmpty() || tree.IsVariable(v) || strings.HasPrefix(v, `"`) {
				continue
			}
			for _, part := range strings.Split(v, ".") {
				if strings.ContainsAny(part, ":-/ @") {
					p.ReportAt(r.File, field.At(), fmt.Sprintf(
						"%s %q is read as a JMESPath expression (oic-auth 4.225+), where %q is not a plain name: quote it, e.g. %s: '\"%s\"'",
						field.Name(), v, part, field.Name(), v))
					break
				}
			}
		}
	}
}

func checkManualJWKSSignInFails(p *Pass) {
	for _, r := range p.WS.Realms() {
		c, ok := manualWithoutJWKS(p, r)
		if !ok || c.verdict != jwksFails {
			continue
		}
		why := c.era
		if c.pinned {
			why = fmt.Sprintf("oic-auth %s is pinned", c.pin.Version)
		}
		fd := p.ReportAt(r.File, c.at, "")
		fd.Message = fmt.Sprintf("manual configuration without jwksServerUrl: from oic-auth 4.388 every sign-in fails (empty JWK set; %s); %s", why, jwksAdvice(p, c, fd))
	}
}

// providerKeys are the realm keys that name a provider, in any layout.
var providerKeys = []string{"serverConfiguration", "wellKnownOpenIDConfigurationUrl", "automanualconfigure", "tokenServerUrl", "authorizationServerUrl"}

// checkRealmProvider reports a realm that names no usable provider: an
// empty well-known URL, or a flat realm with neither a well-known URL nor
// manual endpoints. (serverConfiguration without wellKnown or manual is the
// CUE schema's finding.)
func checkRealmProvider(p *Pass) {
	for _, r := range p.WS.Realms() {
		if !r.Mapping {
			continue
		}
		if r.Layout == jcasc.LayoutServerConfiguration {
			// serverConfiguration.wellKnown.wellKnownOpenIDConfigurationUrl
			u := r.WellKnownURL
			switch {
			case !u.Set():
			case u.Node().IsNull():
				p.ReportAt(r.File, u.Key(), "wellKnownOpenIDConfigurationUrl has no value: oic-auth refuses a missing well-known URL (Objects.requireNonNull), so JCasC cannot build the realm and the controller stops at boot; set it to "+discoveryHint)
			case u.Node().IsScalar() && strings.TrimSpace(u.Value) == "":
				p.ReportAt(r.File, u.At(), emptyWellKnown(p, r))
			}
			continue
		}
		merged := false
		for _, o := range mergedWith(p, r) {
			merged = merged || o.HasKey(providerKeys...)
		}
		if merged {
			continue // another file of the controller names the provider
		}
		wk := r.WellKnownURL
		hasWK := strings.TrimSpace(wk.Value) != ""
		amc := r.AutoManual
		if tree.IsVariable(amc.Value) || isTemplate(amc.Value) {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(amc.Value)) {
		case "manual":
			if !flatEndpoints(r) {
				p.ReportAt(r.File, amc.At(), "automanualconfigure is manual but neither authorizationServerUrl nor tokenServerUrl is set: the realm has no provider and no one can sign in; set the endpoints, or use automanualconfigure: auto with wellKnownOpenIDConfigurationUrl ("+discoveryHint+")")
			}
		case "auto":
			if !hasWK {
				at := wk.At()
				if at.IsZero() {
					at = amc.At()
				}
				p.ReportAt(r.File, at, "automanualconfigure is auto but wellKnownOpenIDConfigurationUrl is missing or empty: the realm loads no discovery document and has no endpoints, so no one can sign in; set it to "+discoveryHint)
			}
		default:
			switch {
			case hasWK || flatEndpoints(r):
			case wk.Set():
				p.ReportAt(r.File, wk.At(), "wellKnownOpenIDConfigurationUrl is empty and no endpoints are set: with automanualconfigure unset, oic-auth ≤ 4.346 silently falls back to manual configuration, which has no endpoints, so no one can sign in (from 4.350 the key is refused); set it to "+discoveryHint)
			default:
				p.ReportAt(r.File, r.Key, "the oic realm names no provider: no serverConfiguration (oic-auth 4.350+: wellKnown or manual) and no flat wellKnownOpenIDConfigurationUrl or endpoints (≤ 4.346), so the realm has no endpoints and no one can sign in; add serverConfiguration.wellKnown.wellKnownOpenIDConfigurationUrl ("+discoveryHint+")")
			}
		}
	}
}
