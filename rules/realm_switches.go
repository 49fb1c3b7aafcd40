package rules

import (
	"fmt"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

func init() {
	register("token-validation-disabled", checkTokenValidation)
	register("tls-verification-disabled", checkRealmTLS)
	register("escape-hatch-enabled", checkEscapeHatch)
}

// maxClockSkew is the largest allowed token expiration clock skew (seconds)
// that still means "check expiry".
const maxClockSkew = 3600

// reportSwitch reports a switch that is on. For `key: true` the fix sets it
// to false; a bare properties item has no one-token fix.
func reportSwitch(p *Pass, f *source.File, fl tree.Flag, msg string) {
	at := fl.Node
	if at == nil || at.Line == 0 {
		at = fl.Key
	}
	fd := p.ReportNode(f, at, msg)
	if fl.Node != fl.Key {
		fd.Fix = replaceScalar(f, fl.Node, "false", "switch it off")
	}
}

func checkTokenValidation(p *Pass) {
	for _, r := range p.WS.Realms() {
		switches := []struct {
			flag tree.Flag
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
			p.ReportNode(r.File, r.ClockSkewSeconds.At(), fmt.Sprintf(
				"allowed token expiration clock skew of %d seconds (over %d) effectively turns off token expiry; a few seconds to a minute is enough", secs, maxClockSkew))
		}
	}
}

func switchName(fl tree.Flag) string {
	if fl.Key == nil {
		return ""
	}
	if fl.Key == fl.Node {
		return "properties: " + fl.Key.Value
	}
	return fl.Key.Value + ": true"
}

func checkRealmTLS(p *Pass) {
	for _, r := range p.WS.Realms() {
		if r.DisableSSLVerification.On() {
			reportSwitch(p, r.File, r.DisableSSLVerification,
				"TLS certificate verification is disabled for calls to the provider (disableSslVerification: true): anyone on the network path can impersonate the provider; trust the provider's CA in the JVM truststore instead")
		}
	}
}

func checkEscapeHatch(p *Pass) {
	for _, r := range p.WS.Realms() {
		if r.EscapeHatch.On() {
			reportSwitch(p, r.File, r.EscapeHatch,
				"the escape hatch is enabled: a local username and secret sign in without the provider, bypassing MFA and offboarding; keep it off unless the provider is down, and store its secret outside the file")
		}
	}
}
