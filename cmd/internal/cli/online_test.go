package cli

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdIDP starts a loopback TLS identity provider for the rest of the script
// and writes a JCasC realm that uses it. The provider's certificate goes to
// $WORK/idp-ca.pem and SSL_CERT_FILE points at it, so the tool trusts it the
// way it trusts any system CA (there is no flag to skip verification).
//
//	idp good|wrong-issuer|broken-jwks FILE
func cmdIDP(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: idp good|wrong-issuer|broken-jwks FILE")
	}
	mode, file := args[0], args[1]
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	ts.Check(err)
	var srv *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("/realms/ci/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		issuer := srv.URL + "/realms/ci"
		if mode == "wrong-issuer" {
			issuer = srv.URL + "/realms/CI"
		}
		doc := map[string]any{
			"issuer":                                issuer,
			"authorization_endpoint":                srv.URL + "/realms/ci/auth",
			"token_endpoint":                        srv.URL + "/realms/ci/token",
			"jwks_uri":                              srv.URL + "/realms/ci/certs",
			"response_types_supported":              []string{"code"},
			"subject_types_supported":               []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256"},
			"scopes_supported":                      []string{"openid", "email"},
			"code_challenge_methods_supported":      []string{"S256"},
		}
		w.Header().Set("Content-Type", "application/json")
		ts.Check(json.NewEncoder(w).Encode(doc))
	})
	mux.HandleFunc("/realms/ci/certs", func(w http.ResponseWriter, r *http.Request) {
		k := map[string]any{"kty": "RSA", "kid": "k1", "use": "sig", "alg": "RS256",
			"n": base64.RawURLEncoding.EncodeToString(key.N.Bytes()),
			"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(key.E)).Bytes())}
		if mode == "broken-jwks" {
			k["d"] = base64.RawURLEncoding.EncodeToString(key.D.Bytes())
		}
		ts.Check(json.NewEncoder(w).Encode(map[string]any{"keys": []any{k}}))
	})
	srv = httptest.NewTLSServer(mux)
	ts.Defer(srv.Close)
	ca := filepath.Join(ts.Getenv("WORK"), "idp-ca.pem")
	ts.Check(os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o644))
	ts.Setenv("SSL_CERT_FILE", ca)
	ts.Setenv("IDP", srv.URL)
	realm := fmt.Sprintf(`jenkins:
  securityRealm:
    oic:
      clientId: "jenkins"
      serverConfiguration:
        wellKnown:
          wellKnownOpenIDConfigurationUrl: "%s/realms/ci/.well-known/openid-configuration"
          scopesOverride: "openid email"
      pkceEnabled: true
unclassified:
  audit-trail:
    loggers:
      - logFile:
          log: "/var/log/jenkins/audit.log"
`, srv.URL)
	ts.Check(os.MkdirAll(filepath.Dir(ts.MkAbs(file)), 0o755))
	ts.Check(os.WriteFile(ts.MkAbs(file), []byte(realm), 0o644))
}
