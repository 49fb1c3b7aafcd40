package rules

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/idtoken"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/trust"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/trustcheck"
)

// TrustIssuerMismatch: see docs/trust-issuer-mismatch.md.
var TrustIssuerMismatch = &Rule{ID: "trust-issuer-mismatch", Workspace: checkTrustIssuerMismatch}

// checkTrustIssuerMismatch reports a trust whose issuer (an AWS OIDC
// provider's url or Federated principal, a GCP issuer_uri, a Vault
// backend's oidc_discovery_url or bound_issuer, an Azure issuer) is a near
// miss of the issuer a controller's tokens carry, or names the root issuer
// while the credentials meant for it live in a folder (or the other way
// round).
func checkTrustIssuerMismatch(p *Pass) {
	seen := map[string]bool{}
	once := func(v trust.Value) bool {
		k := fmt.Sprintf("%s\x00%d\x00%d", v.Pos.Path, v.Off, v.EndOff)
		if seen[k] {
			return false
		}
		seen[k] = true
		return true
	}
	for _, tp := range pairedTrusts(p) {
		t, pr := tp.t, tp.pair
		target, why := pr.Issuer, "" // the issuer the trust's tokens carry
		if !pr.Exact {
			if validIssuerShape(pr, t.Issuer.Text) {
				continue // another folder's issuer: its credentials may be defined outside JCasC
			}
			if once(t.Issuer) {
				reportIssuer(p, t, t.Issuer, issuerWhat(t), target, pr, why)
			}
		} else if other, creds := meantElsewhere(pr, t); other != nil {
			target = *other
			why = fmt.Sprintf("the tokens whose audience it accepts come from %s, and carry that issuer", credWords(creds))
			if once(t.Issuer) {
				reportIssuer(p, t, t.Issuer, issuerWhat(t), target, pr, why)
			}
		}
		// Vault compares bound_issuer with iss as well: reported in the
		// same run as the discovery URL, so that one --fix (and one
		// --diff) mends both
		if v := t.Vault; v != nil && v.Auth != nil && v.Auth.OIDCDiscoveryURL.IsSet() {
			b := v.Auth.BoundIssuer
			if b.Known && b.Text != "" && b.Text != target.Value.Text && once(b) {
				reportIssuer(p, t, b, "the bound_issuer of Vault JWT backend "+v.Auth.Name, target, pr, why)
			}
		}
	}
}

// reportIssuer reports value v (the trust's issuer, or a Vault backend's
// bound_issuer) against the controller issuer want.
func reportIssuer(p *Pass, t *trust.Trust, v trust.Value, what string, want trustcheck.Issuer, pr trustcheck.Pairing, why string) {
	got, exp := v.Text, want.Value.Text
	if why == "" {
		why = issuerHint(got, exp, want)
	}
	accepts := acceptsWords(t)
	if strings.HasPrefix(what, "the bound_issuer") {
		accepts = "Vault accepts a token only when its iss is bound_issuer, character for character"
	}
	msg := fmt.Sprintf("%s is %q, but %s issues tokens with iss %q (%s): %s, so it refuses the controller's tokens; %s; diff: %s",
		what, got, controllerName(pr.Controller), exp, want.Describe(), accepts, why, charDiff(got, exp))
	var rel []report.Related
	if want.Value.Pos.IsValid() {
		rel = append(rel, report.Related{Pos: want.Value.Pos, Message: fmt.Sprintf("the controller's issuer %q comes from here", exp)})
	}
	if v.From != nil && v.From.Pos.IsValid() {
		rel = append(rel, report.Related{Pos: v.From.Pos, Message: fmt.Sprintf("%s refers to it here", trustName(t))})
	}
	pos, end := valueSpanOf(v)
	f := report.Finding{Pos: pos, End: end, Message: msg, Related: rel}
	if isURLValue(t, v) {
		f.Fix = replaceValue(p, v, exp, "use the issuer of the controller's tokens")
	}
	p.Report(f)
}

// isURLValue reports whether v is written as a URL (not derived from an
// AWS principal ARN, which a URL cannot replace).
func isURLValue(t *trust.Trust, v trust.Value) bool {
	return !(t.Kind == trust.AWSRole && v.Span == t.Principal.Span) && strings.Contains(v.Text, "://")
}

// issuerWhat names where a trust's issuer is written.
func issuerWhat(t *trust.Trust) string {
	switch t.Kind {
	case trust.AWSRole:
		if t.Provider != nil && t.Issuer.Span == t.Provider.Issuer.Span {
			return "the url of AWS OIDC provider " + t.Provider.Name
		}
		return "the issuer of the Federated principal of " + trustName(t)
	case trust.GCPPoolProvider:
		return "the issuer_uri of " + trustName(t)
	case trust.VaultJWTRole:
		if a := t.Vault.Auth; a != nil {
			if a.OIDCDiscoveryURL.IsSet() {
				return "the oidc_discovery_url of Vault JWT backend " + a.Name
			}
			return "the bound_issuer of Vault JWT backend " + a.Name
		}
	}
	return "the issuer of " + trustName(t)
}

// acceptsWords says what refuses the token, for messages.
func acceptsWords(t *trust.Trust) string {
	switch t.Kind {
	case trust.AWSRole:
		return "STS accepts a token only when its iss is the provider's URL, character for character"
	case trust.GCPPoolProvider:
		return "Google's STS accepts a token only when its iss is issuer_uri, character for character"
	case trust.VaultJWTRole:
		return "Vault fetches <url>/.well-known/openid-configuration and accepts a token only when its iss is that issuer, character for character"
	case trust.AzureFIC:
		return "Entra ID accepts a token only when its iss is the credential's issuer, character for character"
	}
	return "the token's iss must be the same string"
}

// issuerHint says how two issuers differ, in words.
func issuerHint(got, want string, is trustcheck.Issuer) string {
	g, w := strings.TrimRight(got, "/"), strings.TrimRight(want, "/")
	scheme := func(s string) (string, string) {
		if i := strings.Index(s, "://"); i >= 0 {
			return strings.ToLower(s[:i]), s[i+3:]
		}
		return "", s
	}
	gs, grest := scheme(g)
	ws, wrest := scheme(w)
	switch {
	case g == w && strings.HasSuffix(got, "/"):
		return "the oidc-provider plugin's issuer never ends in /"
	case grest == wrest && gs != ws:
		return fmt.Sprintf("the scheme differs (%s, not %s): the issuer is unclassified.location.url's, plus oidc", gs, ws)
	case strings.EqualFold(g, w):
		return "only letter case differs, and issuers are compared character for character"
	case g+"/"+idtoken.URLName == w || strings.HasSuffix(w, "/"+idtoken.URLName) && strings.TrimSuffix(w, "/"+idtoken.URLName) == g:
		return "the issuer is the root URL plus " + idtoken.URLName + " (the plugin serves its discovery document at " + want + "/.well-known/openid-configuration)"
	case is.Source == "folder" && strings.HasPrefix(w, g+"/job/"):
		return fmt.Sprintf("tokens of credentials defined in folder '%s' carry the folder's issuer", is.Folder)
	case is.Source != "folder" && strings.HasPrefix(g, w+"/job/"):
		return "this is a folder's issuer, but the controller's credentials are defined at the root"
	}
	return "issuers are compared character for character"
}

// validIssuerShape reports whether an issuer is one the controller serves
// for some folder (root issuer + /job/<name>…): a folder whose id-token
// credentials are defined outside JCasC (in the UI) issues it, so it is no
// mistake the tool can tell.
func validIssuerShape(pr trustcheck.Pairing, iss string) bool {
	root := pr.Controller.IDT.Issuer
	if !root.Known {
		return false
	}
	rest, ok := strings.CutPrefix(iss, root.Text+"/job/")
	if !ok || rest == "" || strings.HasSuffix(rest, "/") {
		return false
	}
	segs := strings.Split(rest, "/")
	for i, s := range segs {
		if s == "" || i%2 == 1 && s != "job" {
			return false
		}
	}
	return len(segs)%2 == 1
}

// meantElsewhere finds, for a trust paired exactly with an issuer none of
// whose credentials it accepts, the other issuer of the same controller
// whose credentials it does accept by audience: the tokens meant for it
// carry that issuer. Nil when the audience does not tell.
func meantElsewhere(pr trustcheck.Pairing, t *trust.Trust) (*trustcheck.Issuer, []*idtoken.Credential) {
	if accepted(t, pr.Issuer.Creds) != nil {
		return nil, nil
	}
	var found *trustcheck.Issuer
	var creds []*idtoken.Credential
	for _, is := range pr.Controller.Issuers() {
		if is.Value.Text == pr.Issuer.Value.Text {
			continue
		}
		if cs := accepted(t, is.Creds); cs != nil {
			if found != nil {
				return nil, nil // two candidates: no guess
			}
			c := is
			found, creds = &c, cs
		}
	}
	return found, creds
}

// accepted lists the credentials whose audience (a known, non-empty one)
// the trust accepts.
func accepted(t *trust.Trust, creds []*idtoken.Credential) []*idtoken.Credential {
	var out []*idtoken.Credential
	for _, cr := range creds {
		if !cr.Audience.Known || cr.Audience.Text == "" {
			continue
		}
		aud := idtoken.Claim{Name: "aud", Value: cr.Audience.Text, Known: true, Present: true}
		if trustcheck.AudienceCheck(t, aud).Result == trust.Holds {
			out = append(out, cr)
		}
	}
	return out
}

func credWords(cs []*idtoken.Credential) string {
	var ids []string
	for _, c := range cs {
		s := "'" + c.ID.Text + "'"
		if c.Folder != "" {
			s += " (in folder '" + c.Folder + "')"
		}
		ids = append(ids, s)
	}
	if len(ids) == 1 {
		return "credential " + ids[0]
	}
	return "credentials " + strings.Join(ids, ", ")
}

// replaceValue is a fix that replaces the text of a Known value written
// verbatim (inside its quotes) with repl; nil when the value is not
// written as is.
func replaceValue(p *Pass, v trust.Value, repl, desc string) *report.Fix {
	if !v.Known || !v.Verbatim || v.Text == "" {
		return nil
	}
	f := fileAt(p, v.Pos.Path)
	if f == nil || v.EndOff > len(f.Data) || v.Off < 0 || v.Off > v.EndOff {
		return nil
	}
	i := bytes.Index(f.Data[v.Off:v.EndOff], []byte(v.Text))
	if i < 0 || strings.ContainsAny(repl, "\"\\\n$") {
		return nil
	}
	return &report.Fix{Path: f.Path, Offset: v.Off + i, Length: len(v.Text), Replacement: repl, Description: desc}
}
