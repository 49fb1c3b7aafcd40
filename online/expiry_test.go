package online

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry/expirytest"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
)

// With Options.Expiry, the provider's TLS certificate and the x5c
// certificates of its JWKS are judged against the run's clock and window:
// within it, a secret-expiring warning at the realm's well-known URL (the
// JWKS one related to where the metadata names it); outside it, or without
// Options.Expiry, nothing.
func TestExpiringProviderCertificates(t *testing.T) {
	now := time.Now().UTC()
	tlsCert, tlsX := selfSigned(t, now.Add(-time.Hour), now.Add(20*24*time.Hour+time.Hour))
	signing := expirytest.SelfSigned("idp signing 2026", now.Add(-300*24*time.Hour), now.Add(5*24*time.Hour+time.Hour))
	jwk := strings.Replace(rsaJWK(), `"kid": "rsa-1"`, fmt.Sprintf(`"kid": "rsa-1", "x5c": [%q]`, base64.StdEncoding.EncodeToString(signing.DER)), 1)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		base := "https://" + r.Host
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/jwks") {
			fmt.Fprint(w, `{"keys": [`+jwk+`]}`)
			return
		}
		fmt.Fprint(w, metadataJSON(base+"/idp", base+"/idp", `"RS256"`))
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{tlsCert}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(tlsX)
	realm := wellKnownRealm(t, "jenkins.yaml", srv.URL+"/idp"+wk)

	run := func(st *expiry.Settings) []string {
		t.Helper()
		_, fs := Check(context.Background(), []*jcasc.Realm{realm}, Options{Timeout: 5 * time.Second, RootCAs: pool, Expiry: st})
		var out []string
		for _, f := range fs {
			line := fmt.Sprintf("%d:%d: %s: %s [%s]", f.Pos.Line, f.Pos.Col, f.Severity, strings.ReplaceAll(f.Message, srv.URL, "$BASE"), f.Rule)
			for _, r := range f.Related {
				line += fmt.Sprintf(" (related %s:%d:%d)", strings.ReplaceAll(r.Pos.Path, srv.URL, "$BASE"), r.Pos.Line, r.Pos.Col)
			}
			out = append(out, line)
		}
		return out
	}
	tlsDate, keyDate := expiry.FormatDate(tlsX.NotAfter), expiry.FormatDate(signing.X.NotAfter)
	want := []string{
		fmt.Sprintf(`7:44: warning: a signing key's certificate in the JWKS $BASE/idp/jwks (x5c of key "rsa-1", "CN=idp signing 2026") expires on %s, in 5 days: a provider that rotates its keys late signs tokens with an expired certificate, which strict verifiers refuse [secret-expiring] (related $BASE/idp/.well-known/openid-configuration:5:15)`, keyDate),
		fmt.Sprintf(`7:44: warning: the provider's TLS certificate at $BASE/idp/.well-known/openid-configuration ("CN=online test") expires on %s, in 20 days: the realm's sign-ins fail once it expires unless the provider renews it first [secret-expiring]`, tlsDate),
	}
	got := run(&expiry.Settings{Window: 30 * expiry.Day})
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("window 30 days:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// a week's window: only the signing key's certificate
	if got := run(&expiry.Settings{Window: 7 * expiry.Day}); len(got) != 1 || !strings.Contains(got[0], "x5c of key") {
		t.Errorf("window 7 days: %q", got)
	}
	// seen from a day after the signing certificate expired: an error
	if got := run(&expiry.Settings{Now: signing.X.NotAfter.Add(24 * time.Hour), Window: time.Hour}); len(got) != 1 || !strings.Contains(got[0], ": error: ") || !strings.Contains(got[0], "expired on") {
		t.Errorf("after the expiry: %q", got)
	}
	// not asked
	if got := run(nil); len(got) != 0 {
		t.Errorf("without Options.Expiry: %q", got)
	}
}
