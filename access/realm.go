package access

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// DefaultClockSkew is the oic realm's allowedTokenExpirationClockSkewSeconds
// default.
const DefaultClockSkew = 60 * time.Second

// PickRealm finds the JCasC document whose oic realm to use among docs: the
// one in file want (as given to --realm, compared with the file's name: the
// Helm values or manifest file for embedded JCasC) when want is set, else the
// only one. paths are the paths searched, for the messages.
func PickRealm(docs []*jcasc.Doc, want string, paths []string) (*jcasc.Doc, error) {
	var found []*jcasc.Doc
	for _, d := range docs {
		if d.Realm != nil {
			found = append(found, d)
		}
	}
	where := strings.Join(paths, " ")
	if where == "" {
		where = "."
	}
	if want != "" {
		w := filepath.ToSlash(filepath.Clean(want))
		var in []*jcasc.Doc
		for _, d := range found {
			if filepath.ToSlash(filepath.Clean(d.File.Name())) == w {
				in = append(in, d)
			}
		}
		switch len(in) {
		case 0:
			return nil, fmt.Errorf("--realm %s: no oic realm in that file (among %s)", want, where)
		case 1:
			return in[0], nil
		}
		return nil, fmt.Errorf("--realm %s: %d oic realms in that file (%s): keep one per file to pick it", want, len(in), strings.Join(realmNames(in), ", "))
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("no oic security realm (jenkins.securityRealm.oic) found in %s", where)
	case 1:
		return found[0], nil
	}
	return nil, fmt.Errorf("%d oic realms found (%s): pick one with --realm FILE", len(found), strings.Join(realmNames(found), ", "))
}

// realmNames names each document by its file, or by its realm's place where
// one file holds several (JCasC embedded twice in one Helm values file).
func realmNames(docs []*jcasc.Doc) []string {
	count := map[string]int{}
	for _, d := range docs {
		count[d.File.Name()]++
	}
	names := make([]string, len(docs))
	for i, d := range docs {
		names[i] = d.File.Name()
		if count[names[i]] > 1 && !d.Realm.Key.IsZero() {
			names[i] = d.File.Shown(d.Realm.Key.Pos(d.File)).String()
		}
	}
	return names
}

// UseRealm sets the request's realm to doc's and the authorization strategy
// to the one in effect for it: doc's own, else (JCasC merges the files of a
// controller) that of another document of the same controller, else the
// first other document's.
func (r *Request) UseRealm(doc *jcasc.Doc, docs []*jcasc.Doc) {
	r.Realm = doc.Realm
	r.Authorization, r.AuthorizationFile = doc.Authorization, doc.File
	if doc.Authorization != nil {
		return
	}
	var other *jcasc.Doc
	for _, d := range docs {
		if d.Authorization == nil {
			continue
		}
		if d.Controller == doc.Controller {
			other = d
			break
		}
		if other == nil {
			other = d
		}
	}
	if other != nil {
		r.Authorization, r.AuthorizationFile = other.Authorization, other.File
	}
}

// RealmExpectations are the realm's requirements on a token: its issuer, its
// client ID as the audience, its clock skew. keysFrom names the key set, for
// the messages.
func RealmExpectations(r *jcasc.Realm, keysFrom string) Expectations {
	e := Expectations{ClockSkew: DefaultClockSkew, KeysFrom: keysFrom}
	if s, ok := r.ClockSkew(); ok && s >= 0 {
		e.ClockSkew = time.Duration(s) * time.Second
	}
	if iss, _, ok := r.IssuerValue(); ok {
		e.Issuer = iss
	} else {
		e.WhyNoIssuer = "not checked: the realm's issuer (issuer or wellKnownOpenIDConfigurationUrl) is unset or a variable"
	}
	switch {
	case r.ClientID.NonEmpty() && !tree.IsVariable(r.ClientID.Value):
		e.ClientID = r.ClientID.Value
	default:
		e.WhyNoClientID = "not checked: the realm's clientId is unset or a variable"
	}
	return e
}
