package workspace

import (
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/discovery"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

func meta(t *testing.T, name, issuer string) *discovery.Metadata {
	t.Helper()
	f := source.NewFile(name, []byte(`{"issuer": "`+issuer+`", "jwks_uri": "x"}`))
	root, ferr := discovery.ParseJSON(f)
	if ferr != nil {
		t.Fatal(ferr)
	}
	return discovery.Read(f, root)
}

func realm(t *testing.T, issuer string) *jcasc.Realm {
	t.Helper()
	f := source.NewFile("j.yaml", []byte("jenkins:\n  securityRealm:\n    oic:\n      serverConfiguration:\n        manual:\n          issuer: \""+issuer+"\"\n"))
	docs, ferr := tree.ParseYAML(f)
	if ferr != nil {
		t.Fatal(ferr)
	}
	return jcasc.Read(f, docs[0]).Realm
}

func TestMetadataFor(t *testing.T) {
	ws := &Workspace{Metadata: []*discovery.Metadata{
		meta(t, "a.json", "https://sso.example.com/realms/a"),
		meta(t, "b.json", "https://sso.example.com/realms/b"),
		meta(t, "okta.json", "https://example.okta.com"),
		meta(t, "entra.json", "https://login.microsoftonline.com/{tenantid}/v2.0"),
	}}
	for _, tt := range []struct{ issuer, want string }{
		{"https://sso.example.com/realms/a", "a.json"},
		{"https://sso.example.com/realms/a/", "a.json"},          // trailing slash: a near miss still pairs
		{"https://SSO.example.com/realms/b", "b.json"},           // host case
		{"https://sso.example.com:443/realms/b", "b.json"},       // default port
		{"http://example.okta.com", "okta.json"},                 // scheme
		{"https://sso.example.com/realms/c", ""},                 // another realm on the same host
		{"https://other.example.com", ""},                        // unrelated
		{"https://login.microsoftonline.com/1234-5678/v2.0", ""}, // a tenant is not the template
		{"${OIDC_ISSUER}", ""},                                   // a variable is not judged
	} {
		r := realm(t, tt.issuer)
		got := ""
		if m := ws.MetadataFor(r); m != nil {
			got = m.File.Path
		}
		if got != tt.want {
			t.Errorf("MetadataFor(%q) = %q, want %q", tt.issuer, got, tt.want)
		}
	}
	pinned := meta(t, "pinned.json", "https://elsewhere.example.com")
	ws.Pinned = map[string]*discovery.Metadata{"https://sso.example.com/realms/c": pinned}
	if m := ws.MetadataFor(realm(t, "https://sso.example.com/realms/c")); m != pinned {
		t.Error("a pinned document does not win")
	}
	// a document added later (--online adds the fetched ones) is compared too
	added := meta(t, "d.json", "https://sso.example.com/realms/d")
	ws.Metadata = append(ws.Metadata, added)
	if m := ws.MetadataFor(realm(t, "https://sso.example.com/realms/d/")); m != added {
		t.Errorf("a document added to the list: %v", m)
	}
	// a realm paired before a document or a pin was added is paired again
	e := realm(t, "https://sso.example.com/realms/e")
	if m := ws.MetadataFor(e); m != nil {
		t.Errorf("realm e before its document: %v", m)
	}
	eDoc := meta(t, "e.json", "https://sso.example.com/realms/e")
	ws.Metadata = append(ws.Metadata, eDoc)
	if m := ws.MetadataFor(e); m != eDoc {
		t.Errorf("realm e after its document was added: %v", m)
	}
	ePin := meta(t, "e-fetched.json", "https://sso.example.com/realms/e")
	ws.Pinned["https://sso.example.com/realms/e"] = ePin
	if m := ws.MetadataFor(e); m != ePin {
		t.Errorf("realm e after its document was pinned: %v", m)
	}
}

// Near misses that still pair a realm with metadata: Keycloak's old /auth
// prefix and a realm name's case; another realm on the same host does not.
func TestClosenessNearMisses(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		pair bool
	}{
		{"https://sso.example.com/auth/realms/master", "https://sso.example.com/realms/master", true},
		{"https://sso.example.com/realms/Master", "https://sso.example.com/realms/master", true},
		{"https://sso.example.com/realms/ci/", "https://sso.example.com/realms/ci", true},
		{"https://sso.example.com/realms/other", "https://sso.example.com/realms/master", false},
		{"https://sso.example.com/authz/realms/master", "https://sso.example.com/realms/master", false},
		// one machine, two ports: two servers (a test's mock provider and
		// another test's Keycloak), not a near miss; one port still pairs
		{"http://localhost/", "http://localhost:9090/realms/master", false},
		{"http://127.0.0.1:8080/realms/ci", "http://127.0.0.1:9090/realms/ci", false},
		{"http://localhost:9090/auth/realms/master", "http://localhost:9090/realms/master", true},
		{"http://localhost:80/realms/ci", "http://localhost/realms/ci/", true},
		// on a named host a port is part of a near miss to report
		{"https://sso.example.com:8443/realms/ci", "https://sso.example.com/realms/ci", true},
	} {
		if got := closeness(tt.a, tt.b) > 0; got != tt.pair {
			t.Errorf("closeness(%q, %q) pairs: %v, want %v", tt.a, tt.b, got, tt.pair)
		}
	}
}

// TestControllerIndex checks Realms, ControllerDocs and ControllerRealms
// against the JCasC list, and that the index follows a replaced list.
func TestControllerIndex(t *testing.T) {
	doc := func(controller, issuer string) *jcasc.Doc {
		r := realm(t, issuer)
		r.Doc.Controller = controller
		return r.Doc
	}
	a1, a2, b := doc("a", "https://a1.example.com"), doc("a", "https://a2.example.com"), doc("b", "https://b.example.com")
	plain := &jcasc.Doc{Controller: "b"} // no realm
	ws := &Workspace{JCasC: []*jcasc.Doc{a1, plain, b, a2}}
	if got := ws.Realms(); len(got) != 3 || got[0] != a1.Realm || got[1] != b.Realm || got[2] != a2.Realm {
		t.Errorf("Realms() = %v", got)
	}
	if got := ws.ControllerDocs("b"); len(got) != 2 || got[0] != plain || got[1] != b {
		t.Errorf("ControllerDocs(b) = %v", got)
	}
	if got := ws.ControllerRealms("a"); len(got) != 2 || got[0] != a1.Realm || got[1] != a2.Realm {
		t.Errorf("ControllerRealms(a) = %v", got)
	}
	if got := ws.ControllerRealms("none"); got != nil {
		t.Errorf("ControllerRealms(none) = %v", got)
	}
	ws.JCasC = []*jcasc.Doc{b} // a new list: the index is built again
	if got := ws.ControllerRealms("a"); got != nil {
		t.Errorf("after replacing the list, ControllerRealms(a) = %v", got)
	}
	if got := ws.Realms(); len(got) != 1 || got[0] != b.Realm {
		t.Errorf("after replacing the list, Realms() = %v", got)
	}
	ws.JCasC = nil
	if got := ws.Realms(); got != nil {
		t.Errorf("with no JCasC, Realms() = %v", got)
	}
}
