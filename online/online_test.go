package online

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// The realm URL node sits at these positions in the templates below.
const (
	wellKnownYAML = `jenkins:
  securityRealm:
    oic:
      clientId: "jenkins"
      serverConfiguration:
        wellKnown:
          wellKnownOpenIDConfigurationUrl: "%s"
`
	manualYAML = `jenkins:
  securityRealm:
    oic:
      clientId: "jenkins"
      serverConfiguration:
        manual:
          issuer: "%s"
          tokenServerUrl: "%[1]s/token"
          jwksServerUrl: "%s"
`
	flatYAML = `jenkins:
  securityRealm:
    oic:
      clientId: jenkins
      wellKnownOpenIDConfigurationUrl: %s
`
)

var (
	wkPos     = pos{7, 44} // wellKnownOpenIDConfigurationUrl value
	issuerPos = pos{7, 19} // manual issuer value
	jwksPos   = pos{9, 26} // manual jwksServerUrl value
	// jwks_uri value in the metadata documents the test server writes.
	metaJWKSPos = pos{5, 15}
)

type pos struct{ line, col int }

// wantFinding is what a test expects; $BASE and friends are replaced.
type wantFinding struct {
	rule    string
	sev     report.Severity
	at      pos
	msg     string
	related *pos // position in the metadata document at $META
}

// realmOf parses one JCasC file and returns its realm.
func realmOf(t *testing.T, path, text string) *jcasc.Realm {
	t.Helper()
	f := source.NewFile(path, []byte(text))
	docs, ferr := tree.ParseYAML(f)
	if ferr != nil {
		t.Fatalf("%s: %v", path, ferr)
	}
	d := jcasc.Read(f, docs[0])
	if d.Realm == nil {
		t.Fatalf("%s: no realm", path)
	}
	return d.Realm
}

func wellKnownRealm(t *testing.T, path, u string) *jcasc.Realm {
	return realmOf(t, path, fmt.Sprintf(wellKnownYAML, u))
}

func manualRealm(t *testing.T, path, issuer, jwks string) *jcasc.Realm {
	return realmOf(t, path, fmt.Sprintf(manualYAML, issuer, jwks))
}

// rsaJWK is a public RSA JWK of a freshly generated key.
var rsaJWK = sync.OnceValue(func() string {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	b64 := base64.RawURLEncoding.EncodeToString
	return fmt.Sprintf(`{"kty": "RSA", "kid": "rsa-1", "use": "sig", "alg": "RS256", "n": %q, "e": %q}`,
		b64(k.N.Bytes()), b64(big.NewInt(int64(k.E)).Bytes()))
})

var ecJWK = sync.OnceValue(func() string {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	b64 := base64.RawURLEncoding.EncodeToString
	pub, err := k.PublicKey.Bytes() // 0x04 || X || Y
	if err != nil {
		panic(err)
	}
	return fmt.Sprintf(`{"kty": "EC", "kid": "ec-1", "use": "sig", "crv": "P-256", "x": %q, "y": %q}`,
		b64(pub[1:33]), b64(pub[33:]))
})

// metadataJSON is a discovery document; jwks_uri sits at metaJWKSPos.
func metadataJSON(issuer, prefix, algs string) string {
	return fmt.Sprintf(`{
  "issuer": %q,
  "authorization_endpoint": "%[2]s/auth",
  "token_endpoint": "%[2]s/token",
  "jwks_uri": "%[2]s/jwks",
  "response_types_supported": ["code"],
  "subject_types_supported": ["public"],
  "id_token_signing_alg_values_supported": [%s]
}
`, issuer, prefix, algs)
}

// provider is one test provider under /<name>/ on the test server.
type provider struct {
	issuer string // path of the issuer the document names; "" = its own
	algs   string
	jwks   func() string
	// handle, when set, answers every request of the provider.
	handle func(w http.ResponseWriter, r *http.Request, base string)
}

func keys(ks ...string) func() string {
	return func() string { return `{"keys": [` + strings.Join(ks, ", ") + `]}` }
}

var providers = map[string]provider{
	"good":    {algs: `"RS256"`, jwks: keys(rsaJWK())},
	"shared":  {algs: `"RS256"`, jwks: keys(rsaJWK())},
	"wrong":   {issuer: "/other", algs: `"RS256"`, jwks: keys(rsaJWK())},
	"slash":   {algs: `"RS256"`, jwks: keys(rsaJWK())},
	"empty":   {algs: `"RS256"`, jwks: keys()},
	"hsonly":  {algs: `"HS256"`, jwks: keys()},
	"dup":     {algs: `"RS256"`, jwks: keys(rsaJWK(), strings.Replace(rsaJWK(), `"alg": "RS256"`, `"alg": "RS384"`, 1))},
	"private": {algs: `"RS256"`, jwks: keys(strings.Replace(rsaJWK(), `"e":`, `"d": "c2VjcmV0", "p": "c2VjcmV0", "e":`, 1))},
	"econly":  {algs: `"RS256"`, jwks: keys(ecJWK())},
	"ecmixed": {algs: `"RS256", "ES256"`, jwks: keys(ecJWK())},
	// Keycloak advertises every algorithm it can sign with.
	"keycloak": {algs: `"PS384", "RS384", "EdDSA", "ES384", "HS256", "RS256", "ES256", "PS256"`, jwks: keys(rsaJWK(),
		`{"kty": "RSA", "kid": "enc-1", "use": "enc", "alg": "RSA-OAEP", "n": "AQAB", "e": "AQAB"}`)},
	"jwks404": {algs: `"RS256"`, handle: func(w http.ResponseWriter, r *http.Request, base string) {
		if strings.HasSuffix(r.URL.Path, "/jwks") {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, metadataJSON(base+"/jwks404", base+"/jwks404", `"RS256"`))
	}},
	"notfound": {handle: func(w http.ResponseWriter, r *http.Request, _ string) { http.NotFound(w, r) }},
	"error": {handle: func(w http.ResponseWriter, _ *http.Request, _ string) {
		http.Error(w, "boom", http.StatusInternalServerError)
	}},
	"html": {handle: func(w http.ResponseWriter, _ *http.Request, _ string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<html><body>Sign in</body></html>")
	}},
	"binary": {handle: func(w http.ResponseWriter, _ *http.Request, _ string) {
		w.Header().Set("Content-Type", "application/octet-stream")
		fmt.Fprint(w, "{\"a\x00")
	}},
	"array": {handle: func(w http.ResponseWriter, _ *http.Request, _ string) { fmt.Fprint(w, `["issuer"]`) }},
	"huge": {handle: func(w http.ResponseWriter, _ *http.Request, _ string) {
		fmt.Fprintf(w, `{"issuer": "x", "pad": %q}`, strings.Repeat("a", 20000))
	}},
	"hugechunked": {handle: func(w http.ResponseWriter, _ *http.Request, _ string) {
		for range 40 {
			fmt.Fprint(w, strings.Repeat(" ", 1000))
			w.(http.Flusher).Flush()
		}
	}},
	"slow": {handle: func(w http.ResponseWriter, r *http.Request, _ string) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}},
	"slowbody": {handle: func(w http.ResponseWriter, r *http.Request, _ string) {
		fmt.Fprint(w, `{"issuer": `)
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}},
	"redirhttp": {handle: func(w http.ResponseWriter, r *http.Request, _ string) {
		http.Redirect(w, r, "http://127.0.0.1:1/good/.well-known/openid-configuration", http.StatusFound)
	}},
	"redirok": {handle: func(w http.ResponseWriter, r *http.Request, _ string) {
		http.Redirect(w, r, "/good/.well-known/openid-configuration", http.StatusMovedPermanently)
	}},
	"loop": {handle: func(w http.ResponseWriter, r *http.Request, _ string) {
		http.Redirect(w, r, r.URL.Path, http.StatusFound)
	}},
}

// testServer serves the providers and counts requests by path.
type testServer struct {
	*httptest.Server
	mu    sync.Mutex
	count map[string]int
}

func (s *testServer) requests(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count[path]
}

func serveProviders(base func() string, count func(string)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		count(r.URL.Path)
		name, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		p, ok := providers[name]
		switch {
		case !ok:
			http.NotFound(w, r)
		case p.handle != nil:
			p.handle(w, r, base())
		case rest == ".well-known/openid-configuration":
			issuer := "/" + name
			if p.issuer != "" {
				issuer = p.issuer
			}
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, metadataJSON(base()+issuer, base()+"/"+name, p.algs))
		case rest == "jwks":
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, p.jwks())
		default:
			http.NotFound(w, r)
		}
	})
}

func newTestServer(t *testing.T, tlsOn bool) *testServer {
	t.Helper()
	s := &testServer{count: map[string]int{}}
	h := serveProviders(func() string { return s.URL }, func(p string) {
		s.mu.Lock()
		s.count[p]++
		s.mu.Unlock()
	})
	s.Server = httptest.NewUnstartedServer(h)
	// Connections the client drops mid-handshake at the end of a run are
	// not worth a log line.
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	if tlsOn {
		s.StartTLS()
	} else {
		s.Start()
	}
	t.Cleanup(s.Close)
	return s
}

// selfSigned makes a certificate for 127.0.0.1 (or the DNS names given).
func selfSigned(t *testing.T, notBefore, notAfter time.Time, dnsNames ...string) (tls.Certificate, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "online test"},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              dnsNames,
	}
	if len(dnsNames) == 0 {
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: c}, c
}

// certServer is a TLS server presenting cert.
func certServer(t *testing.T, cert tls.Certificate) *httptest.Server {
	t.Helper()
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, metadataJSON("https://"+r.Host, "https://"+r.Host, `"RS256"`))
	}))
	s.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake errors are the point
	s.StartTLS()
	t.Cleanup(s.Close)
	return s
}

// closedAddr is a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

const wk = "/.well-known/openid-configuration"

const metaSkipped = "; the rules that need provider metadata did not run for this realm"

func TestCheck(t *testing.T) {
	srv := newTestServer(t, true)
	plain := newTestServer(t, false)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())

	now := time.Now()
	untrustedCert, _ := selfSigned(t, now.Add(-time.Hour), now.Add(time.Hour))
	untrusted := certServer(t, untrustedCert)
	hostCert, hostX := selfSigned(t, now.Add(-time.Hour), now.Add(time.Hour), "sso.example.com")
	wrongHost := certServer(t, hostCert)
	pool.AddCert(hostX)
	expiredCert, expiredX := selfSigned(t, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	expired := certServer(t, expiredCert)
	pool.AddCert(expiredX)
	refused := closedAddr(t)
	oldTLS := httptest.NewUnstartedServer(serveProviders(func() string { return "" }, func(string) {}))
	oldTLS.TLS = &tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}
	oldTLS.Config.ErrorLog = log.New(io.Discard, "", 0)
	oldTLS.StartTLS()
	t.Cleanup(oldTLS.Close)

	base := srv.URL
	repl := strings.NewReplacer("$BASE", base, "$PLAIN", plain.URL, "$UNTRUSTED", untrusted.URL,
		"$WRONGHOST", wrongHost.URL, "$EXPIRED", expired.URL, "$OLDTLS", oldTLS.URL, "$REFUSED", refused)

	type tcase struct {
		name    string
		realm   func(t *testing.T) *jcasc.Realm
		meta    []string // URLs of the returned metadata
		want    []wantFinding
		timeout time.Duration
	}
	wkr := func(u string) func(t *testing.T) *jcasc.Realm {
		return func(t *testing.T) *jcasc.Realm { return wellKnownRealm(t, "jenkins.yaml", repl.Replace(u)) }
	}
	unreach := func(at pos, url, reason string) wantFinding {
		return wantFinding{rule: RuleUnreachable, sev: report.Warning, at: at,
			msg: "cannot fetch the discovery document " + url + ": " + reason + metaSkipped}
	}
	jwksBad := func(msg string) wantFinding {
		return wantFinding{rule: RuleJWKSInvalid, sev: report.Error, at: wkPos, msg: msg, related: &metaJWKSPos}
	}
	cases := []tcase{
		{name: "good", realm: wkr("$BASE/good" + wk), meta: []string{"$BASE/good" + wk}},
		{name: "flat layout", realm: func(t *testing.T) *jcasc.Realm {
			return realmOf(t, "jenkins.yaml", fmt.Sprintf(flatYAML, base+"/good"+wk))
		}, meta: []string{"$BASE/good" + wk}},
		// The document's issuer differs: it is returned for issuer-mismatch.
		{name: "wrong issuer", realm: wkr("$BASE/wrong" + wk), meta: []string{"$BASE/wrong" + wk}},
		{name: "trailing slash issuer", realm: func(t *testing.T) *jcasc.Realm {
			return manualRealm(t, "jenkins.yaml", base+"/slash/", base+"/slash/jwks")
		}, meta: []string{"$BASE/slash" + wk}},
		{name: "redirect to https", realm: wkr("$BASE/redirok" + wk), meta: []string{"$BASE/redirok" + wk}},
		{name: "loopback http", realm: wkr("$PLAIN/good" + wk), meta: []string{"$PLAIN/good" + wk}},
		{name: "variable", realm: wkr("${OIDC_WELL_KNOWN_URL}")},
		{name: "keycloak advertises more than it publishes", realm: wkr("$BASE/keycloak" + wk), meta: []string{"$BASE/keycloak" + wk}},
		{name: "hmac only needs no keys", realm: wkr("$BASE/hsonly" + wk), meta: []string{"$BASE/hsonly" + wk}},

		{name: "jwks empty", realm: wkr("$BASE/empty" + wk), meta: []string{"$BASE/empty" + wk}, want: []wantFinding{
			jwksBad(`the JWKS at $BASE/empty/jwks publishes no keys ("keys" is empty): Jenkins cannot verify any id token`)}},
		{name: "jwks duplicate kid", realm: wkr("$BASE/dup" + wk), meta: []string{"$BASE/dup" + wk}, want: []wantFinding{
			jwksBad(`keys[0] and keys[1] of the JWKS at $BASE/dup/jwks share the kid "rsa-1": choosing the key by kid is ambiguous; give every key its own kid`)}},
		{name: "jwks private key", realm: wkr("$BASE/private" + wk), meta: []string{"$BASE/private" + wk}, want: []wantFinding{
			jwksBad(`keys[0] (kid "rsa-1") of the JWKS at $BASE/private/jwks publishes private key material ("d", "p"): anyone can sign tokens with it; remove it, rotate the signing key and revoke what it signed`)}},
		{name: "jwks only EC, RS256 advertised", realm: wkr("$BASE/econly" + wk), meta: []string{"$BASE/econly" + wk}, want: []wantFinding{
			jwksBad(`the JWKS at $BASE/econly/jwks has no key for any signing algorithm the provider advertises in id_token_signing_alg_values_supported (RS256 needs an RSA key): Jenkins cannot verify its id tokens`)}},
		{name: "jwks only EC, RS256 and ES256 advertised", realm: wkr("$BASE/ecmixed" + wk), meta: []string{"$BASE/ecmixed" + wk}, want: []wantFinding{
			jwksBad(`the JWKS at $BASE/ecmixed/jwks has no key for RS256 (it needs an RSA signing key), the default id-token algorithm the provider advertises; it only has keys for ES256: Jenkins cannot verify RS256-signed id tokens`)}},
		{name: "manual jwks broken", realm: func(t *testing.T) *jcasc.Realm {
			return manualRealm(t, "jenkins.yaml", base+"/good", base+"/empty/jwks")
		}, meta: []string{"$BASE/good" + wk}, want: []wantFinding{{rule: RuleJWKSInvalid, sev: report.Error, at: jwksPos,
			msg: `the JWKS at $BASE/empty/jwks publishes no keys ("keys" is empty): Jenkins cannot verify any id token`}}},
		{name: "jwks 404", realm: wkr("$BASE/jwks404" + wk), meta: []string{"$BASE/jwks404" + wk}, want: []wantFinding{{
			rule: RuleUnreachable, sev: report.Warning, at: wkPos, related: &metaJWKSPos,
			msg: "cannot fetch the JWKS $BASE/jwks404/jwks: HTTP status 404 Not Found (want 200 OK); its keys were not checked"}}},
		{name: "manual jwks refused", realm: func(t *testing.T) *jcasc.Realm {
			return manualRealm(t, "jenkins.yaml", base+"/good", "https://"+refused+"/jwks")
		}, meta: []string{"$BASE/good" + wk}, want: []wantFinding{{rule: RuleUnreachable, sev: report.Warning, at: jwksPos,
			msg: "cannot fetch the JWKS https://$REFUSED/jwks: connection refused by $REFUSED (nothing listens there); its keys were not checked"}}},

		{name: "404", realm: wkr("$BASE/notfound" + wk), want: []wantFinding{
			unreach(wkPos, "$BASE/notfound"+wk, "HTTP status 404 Not Found (want 200 OK)")}},
		{name: "500", realm: wkr("$BASE/error" + wk), want: []wantFinding{
			unreach(wkPos, "$BASE/error"+wk, "HTTP status 500 Internal Server Error (want 200 OK)")}},
		{name: "not JSON", realm: wkr("$BASE/html" + wk), want: []wantFinding{
			unreach(wkPos, "$BASE/html"+wk, "the response is not JSON: invalid character '<' looking for beginning of value at line 1, column 1 (Content-Type text/html)")}},
		{name: "binary", realm: wkr("$BASE/binary" + wk), want: []wantFinding{
			unreach(wkPos, "$BASE/binary"+wk, "the response is not JSON text: a NUL byte at line 1, column 4 (Content-Type application/octet-stream)")}},
		{name: "JSON array", realm: wkr("$BASE/array" + wk), want: []wantFinding{
			unreach(wkPos, "$BASE/array"+wk, "the response is JSON but not an object")}},
		{name: "huge", realm: wkr("$BASE/huge" + wk), want: []wantFinding{
			unreach(wkPos, "$BASE/huge"+wk, "the response is larger than the 8 KiB limit")}},
		{name: "huge chunked", realm: wkr("$BASE/hugechunked" + wk), want: []wantFinding{
			unreach(wkPos, "$BASE/hugechunked"+wk, "the response is larger than the 8 KiB limit")}},
		{name: "redirect to http", realm: wkr("$BASE/redirhttp" + wk), want: []wantFinding{
			unreach(wkPos, "$BASE/redirhttp"+wk, "redirected to http://127.0.0.1:1/good/.well-known/openid-configuration, which is not https: redirects are followed to https:// URLs only")}},
		{name: "redirect loop", realm: wkr("$BASE/loop" + wk), want: []wantFinding{
			unreach(wkPos, "$BASE/loop"+wk, "more than 5 redirects (the last one to $BASE/loop/.well-known/openid-configuration)")}},
		{name: "untrusted certificate", realm: wkr("$UNTRUSTED/realms/ci" + wk), want: []wantFinding{
			unreach(wkPos, "$UNTRUSTED/realms/ci"+wk, "TLS: certificate signed by unknown authority (a private CA? trust it where the tool runs, and in the controller's JVM truststore)")}},
		{name: "certificate for another host", realm: wkr("$WRONGHOST/realms/ci" + wk), want: []wantFinding{
			unreach(wkPos, "$WRONGHOST/realms/ci"+wk, "TLS: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs")}},
		{name: "expired certificate", realm: wkr("$EXPIRED/realms/ci" + wk), want: []wantFinding{
			unreach(wkPos, "$EXPIRED/realms/ci"+wk, "TLS: the server's certificate expired on 2021-01-01")}},
		{name: "TLS 1.1 only", realm: wkr("$OLDTLS/good" + wk), want: []wantFinding{
			unreach(wkPos, "$OLDTLS/good"+wk, `TLS handshake failed: the server sent the alert "protocol version not supported" (it speaks no TLS version from 1.2 on, and older ones are refused)`)}},
		{name: "plain http on an https URL", realm: wkr("https://" + strings.TrimPrefix(plain.URL, "http://") + "/good" + wk), want: []wantFinding{
			unreach(wkPos, "https://"+strings.TrimPrefix(plain.URL, "http://")+"/good"+wk, "TLS handshake failed: the server answered in plain HTTP (an http:// server behind an https:// URL?)")}},
		{name: "connection refused", realm: wkr("https://$REFUSED" + wk), want: []wantFinding{
			unreach(wkPos, "https://$REFUSED"+wk, "connection refused by $REFUSED (nothing listens there)")}},
		{name: "http not loopback", realm: wkr("http://sso.example.com/realms/ci" + wk), want: []wantFinding{
			unreach(wkPos, "http://sso.example.com/realms/ci"+wk, "refused: only https:// URLs are fetched (http:// from loopback hosts only; insecure-url reports the scheme)")}},
		{name: "not absolute", realm: wkr("sso.example.com/realms/ci" + wk), want: []wantFinding{
			unreach(wkPos, "sso.example.com/realms/ci"+wk, `refused: "sso.example.com/realms/ci/.well-known/openid-configuration" is not an absolute https:// URL`)}},
		{name: "manual issuer 404", realm: func(t *testing.T) *jcasc.Realm {
			return manualRealm(t, "jenkins.yaml", base+"/notfound", "${JWKS}")
		}, want: []wantFinding{unreach(issuerPos, "$BASE/notfound"+wk, "HTTP status 404 Not Found (want 200 OK)")}},
		{name: "password masked", realm: wkr("https://user:hunter2@" + strings.TrimPrefix(base, "https://") + "/notfound" + wk), want: []wantFinding{
			unreach(wkPos, "https://user:xxxxx@"+strings.TrimPrefix(base, "https://")+"/notfound"+wk, "HTTP status 404 Not Found (want 200 OK)")}},

		{name: "timeout", timeout: 200 * time.Millisecond, realm: wkr("$BASE/slow" + wk), want: []wantFinding{
			unreach(wkPos, "$BASE/slow"+wk, "no complete answer within 200ms (timeout)")}},
		{name: "timeout in the body", timeout: 200 * time.Millisecond, realm: wkr("$BASE/slowbody" + wk), want: []wantFinding{
			unreach(wkPos, "$BASE/slowbody"+wk, "no complete answer within 200ms (timeout)")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			timeout := tc.timeout
			if timeout == 0 {
				timeout = 5 * time.Second
			}
			realm := tc.realm(t)
			metas, got := Check(context.Background(), []*jcasc.Realm{realm}, Options{
				Timeout: timeout, ConnectTimeout: timeout, MaxBytes: 8 << 10, RootCAs: pool})

			var gotURLs []string
			for _, m := range metas {
				gotURLs = append(gotURLs, m.URL)
				if m.File.Path != m.URL || m.Root == nil || m.Issuer.Node == nil || m.Issuer.Node.Line != 2 || m.Issuer.Node.Column != 13 {
					t.Errorf("metadata %s: File.Path %q, issuer node %+v: want the URL and a position (2:13)", m.URL, m.File.Path, m.Issuer.Node)
				}
			}
			var wantURLs []string
			for _, u := range tc.meta {
				wantURLs = append(wantURLs, repl.Replace(u))
			}
			if fmt.Sprint(gotURLs) != fmt.Sprint(wantURLs) {
				t.Errorf("metadata URLs = %v, want %v", gotURLs, wantURLs)
			}

			if len(got) != len(tc.want) {
				t.Fatalf("got %d findings, want %d:\n%s", len(got), len(tc.want), dump(got))
			}
			for i, w := range tc.want {
				g := got[i]
				wantPos := report.Position{Path: "jenkins.yaml", Line: w.at.line, Col: w.at.col}
				if g.Rule != w.rule || g.Severity != w.sev || g.Pos != wantPos {
					t.Errorf("finding %d: %s %s at %s, want %s %s at %s", i, g.Rule, g.Severity, g.Pos, w.rule, w.sev, wantPos)
				}
				if want := repl.Replace(w.msg); g.Message != want {
					t.Errorf("finding %d message:\n got %s\nwant %s", i, g.Message, want)
				}
				if !g.End.IsValid() || g.End.Line != g.Pos.Line || g.End.Col <= g.Pos.Col {
					t.Errorf("finding %d: end %s does not follow %s", i, g.End, g.Pos)
				}
				switch {
				case w.related == nil && len(g.Related) != 0:
					t.Errorf("finding %d: unexpected related %+v", i, g.Related)
				case w.related != nil:
					if len(g.Related) != 1 || len(metas) != 1 {
						t.Fatalf("finding %d: related %+v, metadata %d: want one of each", i, g.Related, len(metas))
					}
					want := report.Position{Path: metas[0].URL, Line: w.related.line, Col: w.related.col}
					if g.Related[0].Pos != want || g.Related[0].Message != "the provider metadata names the JWKS here" {
						t.Errorf("finding %d: related %+v, want at %s", i, g.Related[0], want)
					}
				}
				if strings.Contains(g.Message, "hunter2") {
					t.Errorf("finding %d leaks the URL's password: %s", i, g.Message)
				}
			}
		})
	}
}

func dump(fs []report.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s %s %s: %s\n", f.Pos, f.Rule, f.Severity, f.Message)
	}
	return b.String()
}

// Realms that share a provider share its fetches; go-oidc's fetch is one of
// them, and its verdict on a wrong issuer does not stop the document.
func TestCheckFetchesEachURLOnce(t *testing.T) {
	srv := newTestServer(t, true)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	base := srv.URL
	realms := []*jcasc.Realm{
		wellKnownRealm(t, "a.yaml", base+"/shared"+wk),
		wellKnownRealm(t, "b.yaml", base+"/shared"+wk),
		manualRealm(t, "c.yaml", base+"/shared/", base+"/shared/jwks"),
		manualRealm(t, "d.yaml", base+"/shared", base+"/shared/jwks"),
		wellKnownRealm(t, "e.yaml", base+"/wrong"+wk),
		wellKnownRealm(t, "f.yaml", base+"/notfound"+wk),
		wellKnownRealm(t, "g.yaml", base+"/notfound"+wk),
	}
	r := check(context.Background(), realms, Options{Timeout: 5 * time.Second, RootCAs: pool})
	for _, p := range []string{"/shared" + wk, "/shared/jwks", "/wrong" + wk, "/wrong/jwks", "/notfound" + wk} {
		if n := srv.requests(p); n != 1 {
			t.Errorf("%s fetched %d times, want 1", p, n)
		}
	}
	if len(r.metas) != 2 {
		t.Errorf("got %d metadata documents, want 2 (shared, wrong)", len(r.metas))
	}
	// Each realm with the failing provider gets its own finding.
	var at []string
	for _, f := range r.findings {
		at = append(at, f.Pos.String())
	}
	report.Sort(r.findings)
	if len(r.findings) != 2 || r.findings[0].Pos != (report.Position{Path: "f.yaml", Line: 7, Col: 44}) ||
		r.findings[1].Pos != (report.Position{Path: "g.yaml", Line: 7, Col: 44}) {
		t.Errorf("findings at %v, want f.yaml:7:44 and g.yaml:7:44:\n%s", at, dump(r.findings))
	}

	var mismatch *oidc.IssuerMismatchError
	if err := r.oidcErrs[base+"/wrong"]; !errors.As(err, &mismatch) || mismatch.Discovered != base+"/other" {
		t.Errorf("go-oidc on the wrong issuer: %v, want an IssuerMismatchError", err)
	}
	if err := r.oidcErrs[base+"/shared"]; err != nil {
		t.Errorf("go-oidc on the shared provider: %v", err)
	}
	if err, ok := r.oidcErrs[base+"/shared/"]; !ok || !errors.As(err, &mismatch) {
		t.Errorf("go-oidc on the trailing-slash issuer: %v, want an IssuerMismatchError", err)
	}

	// Findings and metadata come back sorted.
	metas, findings := Check(context.Background(), []*jcasc.Realm{realms[6], realms[4], realms[5], realms[0]}, Options{Timeout: 5 * time.Second, RootCAs: pool})
	if len(metas) != 2 || metas[0].URL != base+"/shared"+wk || metas[1].URL != base+"/wrong"+wk {
		t.Errorf("metadata not sorted by URL: %v", metas)
	}
	if len(findings) != 2 || findings[0].Pos.Path != "f.yaml" || findings[1].Pos.Path != "g.yaml" {
		t.Errorf("findings not sorted:\n%s", dump(findings))
	}
}

// A canceled run reports, per realm, that it was canceled, and never blocks.
func TestCheckCanceled(t *testing.T) {
	srv := newTestServer(t, true)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, got := Check(ctx, []*jcasc.Realm{wellKnownRealm(t, "a.yaml", srv.URL+"/good"+wk)}, Options{RootCAs: pool})
	want := "cannot fetch the discovery document " + srv.URL + "/good" + wk + ": the check was canceled" + metaSkipped
	if len(got) != 1 || got[0].Message != want {
		t.Errorf("got:\n%s\nwant %s", dump(got), want)
	}
}

func TestOptionsDefaults(t *testing.T) {
	o := Options{}.withDefaults()
	if o.ConnectTimeout != 5*time.Second || o.Timeout != 15*time.Second || o.MaxBytes != 1<<20 || o.UserAgent != "jenkins-oidc-lint" {
		t.Errorf("defaults = %+v", o)
	}
	if s := formatSize(o.MaxBytes); s != "1 MiB" {
		t.Errorf("formatSize(1 MiB) = %q", s)
	}
	if s := formatSize(1000); s != "1000-byte" {
		t.Errorf("formatSize(1000) = %q", s)
	}
}

// The client speaks TLS 1.2 or later and takes the proxy from the
// environment. (That it verifies certificates is what the untrusted,
// wrong-host and expired cases of TestCheck show.)
func TestClientTLSConfig(t *testing.T) {
	f := newFetcher(context.Background(), Options{}.withDefaults())
	tr := f.client.Transport.(*http.Transport)
	if c := tr.TLSClientConfig; c.MinVersion != tls.VersionTLS12 {
		t.Errorf("TLS config: MinVersion %x", c.MinVersion)
	}
	if tr.Proxy == nil {
		t.Error("no proxy from the environment")
	}
}

func TestDiscoveryURL(t *testing.T) {
	cases := []struct {
		name  string
		realm *jcasc.Realm
		want  string
	}{
		{"well-known", wellKnownRealm(t, "a.yaml", "https://sso.example.com/realms/ci"+wk), "https://sso.example.com/realms/ci" + wk},
		{"well-known with a password", wellKnownRealm(t, "a.yaml", "https://u:pw@sso.example.com/realms/ci"+wk), "https://u:xxxxx@sso.example.com/realms/ci" + wk},
		{"well-known variable", wellKnownRealm(t, "a.yaml", "${WELL_KNOWN}"), ""},
		{"manual issuer", manualRealm(t, "a.yaml", "https://sso.example.com/realms/ci", "${JWKS}"), "https://sso.example.com/realms/ci" + wk},
		{"manual issuer with a trailing slash", manualRealm(t, "a.yaml", "https://sso.example.com/realms/ci/", "${JWKS}"), "https://sso.example.com/realms/ci" + wk},
		{"manual issuer variable", manualRealm(t, "a.yaml", "${ISSUER}", "https://sso.example.com/jwks"), ""},
		{"flat manual without issuer", realmOf(t, "a.yaml", "jenkins:\n  securityRealm:\n    oic:\n      automanualconfigure: manual\n      tokenServerUrl: https://sso.example.com/token\n"), ""},
	}
	for _, tc := range cases {
		if got := DiscoveryURL(tc.realm); got != tc.want {
			t.Errorf("%s: DiscoveryURL = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// A run whose own deadline passes says so rather than blaming the provider.
func TestCheckRunDeadline(t *testing.T) {
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	_, got := Check(ctx, []*jcasc.Realm{wellKnownRealm(t, "a.yaml", "https://127.0.0.1:1/x"+wk)}, Options{})
	want := "cannot fetch the discovery document https://127.0.0.1:1/x" + wk + ": the run's time limit ran out" + metaSkipped
	if len(got) != 1 || got[0].Message != want {
		t.Errorf("got:\n%s\nwant %s", dump(got), want)
	}
}
