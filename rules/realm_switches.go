package rules

import (
	"bytes"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/plugins"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// TokenValidationDisabled: see docs/token-validation-disabled.md.
var TokenValidationDisabled = &Rule{ID: "token-validation-disabled", Workspace: func(p *Pass) { checkTokenValidation(p); checkManualJWKSUnverified(p) }}

// maxClockSkew is the largest allowed token expiration clock skew (seconds)
// that still means "check expiry".
const maxClockSkew = 3600

// reportSwitch reports a switch that is on. For `key: true` the fix sets it
// to false; a bare properties item has no one-token fix.
func reportSwitch(p *Pass, f *source.File, fl tree.Switch, msg string) {
	at := fl.Node()
	if at.IsZero() {
		at = fl.Key()
	}
	fd := p.ReportAt(f, at, msg)
	if !fl.Item {
		fd.Fix = replaceScalar(f, fl.Node(), "false", "switch it off")
	}
}

func checkTokenValidation(p *Pass) {
	for _, r := range p.WS.Realms() {
		switches := []struct {
			flag tree.Switch
			what string
		}{
			{r.DisableTokenVerification, "id token signature verification is disabled: anyone who can reach Jenkins' callback can forge a token and sign in as anyone"},
			{r.TokenExpirationCheckDisabled, "token expiry checks are disabled: a stolen id token stays valid forever"},
			{r.NonceDisabled, "the nonce check is disabled: a captured id token can be replayed"},
		}
		for _, s := range switches {
			if s.flag.On() {
				reportSwitch(p, r.File, s.flag, fmt.Sprintf("%s (%s); never disable token validation to \"test things\"", s.what, switchName(s.flag)))
			}
		}
		if secs, ok := r.ClockSkew(); ok && secs > maxClockSkew {
			p.ReportAt(r.File, r.ClockSkewSeconds.At(), fmt.Sprintf(
				"allowed token expiration clock skew of %d seconds (over %d) effectively turns off token expiry; a few seconds to a minute is enough", secs, maxClockSkew))
		}
	}
}

func switchName(fl tree.Switch) string {
	if !fl.Set() {
		return ""
	}
	if fl.Item {
		return "properties: " + fl.Name()
	}
	return fl.Name() + ": true"
}

// JWKS verdicts of a manual configuration without jwksServerUrl
// (jenkinsci/oic-auth-plugin, OicJsonWebTokenVerifier up to 4.371,
// OicServerManualConfiguration.toProviderMetadataInternal from 4.388).
type jwksVerdict int

const (
	jwksFine       jwksVerdict = iota
	jwksUnverified             // ≤ 4.371: the signature is never checked
	jwksEither                 // the era is not known: one or the other
	jwksFails                  // ≥ 4.388: an empty JWK set, every sign-in fails
)

// Releases that changed what a missing jwksServerUrl does.
const (
	oicFirstJWKS      = "4.250" // 9442607: signatures checked against jwksServerUrl
	oicJWKSOffForGood = "4.257" // e327bf2: a failed fetch switches the check off
	oicPac4j          = "4.388" // 60fc090: manual config without JWKS gets an empty set
	oicServerConfig   = "4.350" // serverConfiguration; flat keys refused by JCasC
	oicWellKnownThrow = "4.409" // "Well known configuration could not be loaded…"
)

// laterEraKeys are realm keys no release before 4.388 accepts, with the
// release that brought them.
var laterEraKeys = []struct{ key, since string }{
	{"properties", "4.600"},
	{"clientAuthentication", "4.600"},
	{"avatarHandler", "4.600"},
	{"clientAssertionFilePath", "4.600"},
	{"userIdStrategy", "4.453"},
	{"groupIdStrategy", "4.453"},
}

// mergedWith lists the other oic realms of r's controller: JCasC merges the
// files of one controller key by key, so a realm split over several files is
// one realm (a provider in one file, claims or switches in another).
func mergedWith(p *Pass, r *jcasc.Realm) []*jcasc.Realm {
	if r.Doc == nil {
		return nil
	}
	var out []*jcasc.Realm
	for _, o := range p.WS.ControllerRealms(r.Doc.Controller) {
		if o != r {
			out = append(out, o)
		}
	}
	return out
}

// jwksCase is a manual configuration without a JWKS URL and what it means.
type jwksCase struct {
	r       *jcasc.Realm
	at      tree.Mark // the manual key, or the flat automanualconfigure value / endpoint key
	flat    bool      // jwksServerUrl belongs in the oic mapping, not in serverConfiguration.manual
	verdict jwksVerdict
	pin     plugins.Pin
	pinned  bool
	era     string // why the era is known without a pin: "`properties:` exists only from oic-auth 4.600"
}

// mapping is the mapping jwksServerUrl belongs in, read again from the
// realm's file (the view keeps no tree): the oic mapping of the flat
// layout, serverConfiguration.manual otherwise; nil when it is not found.
func (c jwksCase) mapping() *yaml.Node {
	_, oic := c.r.Reread()
	if c.flat {
		return oic
	}
	return tree.Lookup(oic, "serverConfiguration", "manual")
}

// manualWithoutJWKS finds the realm's manual configuration without a
// jwksServerUrl (an empty one counts as none: the plugin trims it away; a
// variable or template is not judged) and judges it by the pinned oic-auth
// release, else by the layout's era.
func manualWithoutJWKS(p *Pass, r *jcasc.Realm) (jwksCase, bool) {
	c := jwksCase{r: r}
	if !r.Mapping {
		return c, false
	}
	flat := r.Layout == jcasc.LayoutFlat
	c.flat = flat
	if flat {
		if !flatManual(r) {
			return c, false
		}
		amc := r.AutoManual
		switch {
		case amc.NonEmpty():
			c.at = amc.At()
		case r.TokenURL.Set():
			c.at = r.TokenURL.Key()
		default:
			c.at = r.AuthorizationURL.Key()
		}
	} else {
		if r.Mode != jcasc.ModeManual || r.ModeNode.IsZero() {
			return c, false
		}
		c.at = r.ModeNode
	}
	if c.at.IsZero() || strings.TrimSpace(r.JWKSURL.Value) != "" || r.DisableTokenVerification.On() {
		// A JWKS URL is set (a variable counts), or verification is off
		// and reported as such.
		return c, false
	}
	siblings := mergedWith(p, r)
	for _, o := range siblings {
		if strings.TrimSpace(o.JWKSURL.Value) != "" || o.DisableTokenVerification.On() {
			return c, false // another file of the controller sets it
		}
	}
	set := p.WS.PluginsFor(r.Doc)
	if pin, ok := set.Version("oic-auth"); ok {
		c.pin, c.pinned = pin, true
		switch {
		case flat && plugins.Compare(pin.Version, oicServerConfig) >= 0:
			return c, false // flat keys do not boot there: another rule's finding
		case plugins.Compare(pin.Version, oicPac4j) < 0:
			c.verdict = jwksUnverified
		default:
			c.verdict = jwksFails
		}
		return c, true
	}
	switch {
	case flat:
		c.verdict = jwksUnverified
	default:
		c.verdict = jwksEither
	era:
		for _, k := range laterEraKeys {
			for _, o := range append([]*jcasc.Realm{r}, siblings...) {
				if o.HasKey(k.key) {
					c.verdict = jwksFails
					c.era = fmt.Sprintf("`%s` exists only from oic-auth %s", k.key, k.since)
					break era
				}
			}
		}
	}
	return c, true
}

// flatManual reports whether a flat realm (oic-auth ≤ 4.346) runs in manual
// mode with endpoints: automanualconfigure manual, or unset without a
// well-known URL (OicSecurityRealm's constructor of those releases).
func flatManual(r *jcasc.Realm) bool {
	amc := r.AutoManual
	if tree.IsVariable(amc.Value) {
		return false
	}
	switch strings.ToLower(strings.TrimSpace(amc.Value)) {
	case "manual":
	case "auto":
		return false
	default:
		if r.WellKnownURL.NonEmpty() {
			return false
		}
	}
	return flatEndpoints(r)
}

func flatEndpoints(r *jcasc.Realm) bool {
	return strings.TrimSpace(r.AuthorizationURL.Value) != "" || strings.TrimSpace(r.TokenURL.Value) != ""
}

// jwksAdvice says what to set, with the metadata's jwks_uri when known, and
// adds the metadata as related and a fix that inserts the key.
func jwksAdvice(p *Pass, c jwksCase, fd *report.Finding) string {
	advice := "set jwksServerUrl to the provider's jwks_uri"
	if c.pinned {
		fd.Related = append(fd.Related, report.Related{Pos: c.pin.Pos, Message: fmt.Sprintf("oic-auth %s is pinned here", c.pin.Version)})
	}
	m := p.WS.MetadataFor(c.r)
	if m == nil {
		return advice
	}
	for _, e := range m.Endpoints() {
		if e.Field != "jwks_uri" || !e.Value.NonEmpty() {
			continue
		}
		uri := e.Value.Value
		fd.Related = append(fd.Related, report.Related{Pos: m.Pos(e.Value.Node), Message: "the provider's jwks_uri"})
		fd.Fix = insertKey(c.r.File, c.mapping(), "tokenServerUrl", "jwksServerUrl", uri, "add the provider's jwks_uri")
		return fmt.Sprintf("%s (%q, %s)", advice, uri, m.Name())
	}
	return advice
}

// insertKey returns a fix that adds `key: "value"` to a block mapping on a
// line of its own: after the line of the key named after (when its value is
// a one-line scalar), else before the mapping's first key. It is nil when
// that is not plain: a flow mapping, tabs, a value that needs escaping, JCasC
// embedded in another file.
func insertKey(f *source.File, m *yaml.Node, after, key, value, desc string) *report.Fix {
	m = tree.Resolve(m)
	if m == nil || m.Kind != yaml.MappingNode || m.Style&yaml.FlowStyle != 0 || len(m.Content) < 2 {
		return nil
	}
	if strings.ContainsAny(value, "\"\\\n\r\t") {
		return nil
	}
	k, v := m.Content[0], (*yaml.Node)(nil)
	if ak, av := tree.Get(m, after); ak != nil && av != nil && av.Kind == yaml.ScalarNode && av.Line == ak.Line &&
		(av.Style == 0 || av.Style == yaml.DoubleQuotedStyle || av.Style == yaml.SingleQuotedStyle) && tree.End(f, av).Line == av.Line {
		k, v = ak, av
	}
	start, off := f.Offset(k.Line, 1), f.Offset(k.Line, k.Column)
	if start < 0 || off > len(f.Data) || off < start {
		return nil
	}
	indent := string(f.Data[start:off])
	if strings.Trim(indent, " ") != "" {
		return nil
	}
	nl := "\n"
	eol := bytes.IndexByte(f.Data[off:], '\n')
	if eol > 0 && f.Data[off+eol-1] == '\r' || eol < 0 && bytes.Contains(f.Data, []byte("\r\n")) {
		nl = "\r\n"
	}
	line := indent + key + `: "` + value + `"`
	if v == nil {
		return &report.Fix{Path: f.Path, Offset: start, Replacement: line + nl, Description: desc}
	}
	if eol < 0 {
		return &report.Fix{Path: f.Path, Offset: len(f.Data), Replacement: nl + line, Description: desc}
	}
	return &report.Fix{Path: f.Path, Offset: off + eol + 1, Replacement: line + nl, Description: desc}
}

const forgeAnyone = "anyone who can reach Jenkins' callback can forge a token and sign in as anyone"

func checkManualJWKSUnverified(p *Pass) {
	for _, r := range p.WS.Realms() {
		c, ok := manualWithoutJWKS(p, r)
		if !ok || (c.verdict != jwksUnverified && c.verdict != jwksEither) {
			continue
		}
		fd := p.ReportAt(r.File, c.at, "")
		advice := jwksAdvice(p, c, fd)
		switch {
		case c.verdict == jwksEither:
			fd.Message = fmt.Sprintf("manual configuration without jwksServerUrl: with oic-auth ≤ 4.371 id-token signatures are never verified (%s; 4.257–4.371 also turn the check off for good after one failed JWKS fetch); from 4.388 every sign-in fails (empty JWK set); %s", forgeAnyone, advice)
		case c.pinned && plugins.Compare(c.pin.Version, oicFirstJWKS) < 0:
			fd.Message = fmt.Sprintf("manual configuration without jwksServerUrl, and oic-auth %s checks no id-token signature at all (signatures are checked from 4.250): %s; %s and upgrade oic-auth", c.pin.Version, forgeAnyone, advice)
		case c.pinned && plugins.Compare(c.pin.Version, oicJWKSOffForGood) < 0:
			fd.Message = fmt.Sprintf("manual configuration without jwksServerUrl: oic-auth %s never verifies id-token signatures without it, so %s; %s", c.pin.Version, forgeAnyone, advice)
		case c.pinned:
			fd.Message = fmt.Sprintf("manual configuration without jwksServerUrl: oic-auth %s never verifies id-token signatures without it, so %s; %s (and upgrade: up to 4.371 one failed JWKS fetch turns the check off until restart)", c.pin.Version, forgeAnyone, advice)
		default:
			fd.Message = fmt.Sprintf("manual configuration without jwksServerUrl: the flat layout's releases (oic-auth ≤ 4.346) never verify id-token signatures without it, so %s; %s", forgeAnyone, advice)
		}
	}
}

const discoveryHint = "the provider's issuer plus /.well-known/openid-configuration"

// emptyWellKnown is the message for serverConfiguration.wellKnown with an
// empty URL, by the pinned release when there is one.
func emptyWellKnown(p *Pass, r *jcasc.Realm) string {
	const head = "wellKnownOpenIDConfigurationUrl is empty: oic-auth accepts an empty URL (only a missing one is refused), so the controller boots, but the realm has no provider and "
	const tail = "; set it to " + discoveryHint
	if pin, ok := p.WS.PluginsFor(r.Doc).Version("oic-auth"); ok && plugins.Compare(pin.Version, oicWellKnownThrow) < 0 {
		return head + fmt.Sprintf("no one can sign in (oic-auth %s logs \"Invalid WellKnown OpenID Configuration URL\" and has no endpoints)", pin.Version) + tail
	}
	return head + "every login fails with \"Well known configuration could not be loaded, login can not proceed.\" (oic-auth 4.409+; earlier releases log \"Invalid WellKnown OpenID Configuration URL\")" + tail
}
