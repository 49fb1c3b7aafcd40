package online

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/url"
	"os"
	"syscall"
	"testing"
	"time"
)

// timeoutErr is a net.Error that timed out.
type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

// Failures the loopback tests cannot provoke, worded from synthetic errors
// shaped like the ones net/http returns.
func TestDescribe(t *testing.T) {
	u, _ := url.Parse("https://sso.example.com/realms/ci/.well-known/openid-configuration")
	addr := &net.TCPAddr{IP: net.IPv4(192, 0, 2, 7), Port: 443}
	wrap := func(err error) error { return &url.Error{Op: "Get", URL: u.String(), Err: err} }
	expiredCert := &x509.Certificate{NotBefore: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2024, 3, 9, 12, 0, 0, 0, time.UTC)}
	futureCert := &x509.Certificate{NotBefore: time.Now().Add(48 * time.Hour), NotAfter: time.Now().Add(96 * time.Hour)}
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"dns not found", wrap(&net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "sso.exmaple.com", IsNotFound: true}}),
			`DNS lookup failed: no such host "sso.exmaple.com"`},
		{"dns timeout", wrap(&net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "i/o timeout", Name: "sso.example.com", IsTimeout: true}}),
			`DNS lookup of "sso.example.com" timed out`},
		{"dns other", wrap(&net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "server misbehaving", Name: "sso.example.com"}}),
			`DNS lookup of "sso.example.com" failed: server misbehaving`},
		{"refused", wrap(&net.OpError{Op: "dial", Net: "tcp", Addr: addr, Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}),
			"connection refused by 192.0.2.7:443 (nothing listens there)"},
		{"connect timeout", wrap(&net.OpError{Op: "dial", Net: "tcp", Addr: addr, Err: timeoutErr{}}),
			"could not connect to 192.0.2.7:443 within 5s (timeout)"},
		{"unreachable network", wrap(&net.OpError{Op: "dial", Net: "tcp", Addr: addr, Err: &os.SyscallError{Syscall: "connect", Err: syscall.ENETUNREACH}}),
			"cannot connect to 192.0.2.7:443: connect: network is unreachable"},
		{"tls handshake timeout", wrap(handshakeTimeout{}), "the TLS handshake with sso.example.com did not finish within 5s (timeout)"},
		{"total timeout", wrap(context.DeadlineExceeded), "no complete answer within 15s (timeout)"},
		{"expired", wrap(&tls.CertificateVerificationError{Err: x509.CertificateInvalidError{Cert: expiredCert, Reason: x509.Expired}}),
			"TLS: the server's certificate expired on 2024-03-09"},
		{"not yet valid", wrap(&tls.CertificateVerificationError{Err: x509.CertificateInvalidError{Cert: futureCert, Reason: x509.Expired}}),
			"TLS: the server's certificate is not valid before " + futureCert.NotBefore.UTC().Format(time.DateOnly)},
		{"other certificate problem", wrap(&tls.CertificateVerificationError{Err: x509.CertificateInvalidError{Reason: x509.CANotAuthorizedForThisName, Detail: "x"}}),
			"TLS: a root or intermediate certificate is not authorized to sign for this name: x"},
		{"alert", wrap(&net.OpError{Op: "remote error", Err: tls.AlertError(70)}),
			`TLS handshake failed: the server sent the alert "protocol version not supported" (it speaks no TLS version from 1.2 on, and older ones are refused)`},
		{"alert error", wrap(tls.AlertError(40)), `TLS handshake failed: the server sent the alert "handshake failure"`},
		{"garbage instead of TLS", wrap(tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}),
			"TLS handshake failed: the server did not answer with TLS"},
		{"old TLS", wrap(errors.New("tls: server selected unsupported protocol version 301")),
			"TLS handshake failed: server selected unsupported protocol version 301"},
		{"anything else", wrap(errors.New("net/http: HTTP/1.x transport connection broken: malformed HTTP response")),
			"request failed: net/http: HTTP/1.x transport connection broken: malformed HTTP response"},
	}
	f := &fetcher{ctx: context.Background(), opts: Options{}.withDefaults()}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := f.describe(tc.err, u)
			if got.reason != tc.want {
				t.Errorf("got  %s\nwant %s", got.reason, tc.want)
			}
			if !errors.Is(got, tc.err) && errors.Unwrap(got) != tc.err {
				t.Errorf("the cause is lost")
			}
		})
	}
}

// handshakeTimeout is shaped like net/http's unexported TLS handshake
// timeout error.
type handshakeTimeout struct{}

func (handshakeTimeout) Error() string   { return "net/http: TLS handshake timeout" }
func (handshakeTimeout) Timeout() bool   { return true }
func (handshakeTimeout) Temporary() bool { return true }

func TestRefuse(t *testing.T) {
	cases := []struct{ url, want string }{
		{"https://sso.example.com/x", ""},
		{"http://localhost:8080/realms/x", ""},
		{"http://keycloak.localhost/realms/x", ""},
		{"http://127.0.0.2/x", ""},
		{"http://[::1]:8080/x", ""},
		{"http://sso.example.com/x", "refused: only https:// URLs are fetched (http:// from loopback hosts only; insecure-url reports the scheme)"},
		{"ftp://sso.example.com/x", `refused: "ftp://sso.example.com/x" is not an absolute https:// URL`},
		{"/realms/x", `refused: "/realms/x" is not an absolute https:// URL`},
		{"https://user:pw@[bad/x", `refused: "…@[bad/x" is not an absolute https:// URL`},
	}
	for _, tc := range cases {
		if got := refuse(tc.url); got != tc.want {
			t.Errorf("refuse(%q) = %q, want %q", tc.url, got, tc.want)
		}
	}
}

func TestCheckRedirect(t *testing.T) {
	req := func(s string) *http.Request {
		r, _ := http.NewRequest(http.MethodGet, s, nil)
		return r
	}
	via := func(n int) []*http.Request { return make([]*http.Request, n) }
	if err := checkRedirect(req("https://b.example/x"), via(5)); err != nil {
		t.Errorf("fifth redirect refused: %v", err)
	}
	if err := checkRedirect(req("https://b.example/x"), via(6)); err == nil || err.Error() != "more than 5 redirects (the last one to https://b.example/x)" {
		t.Errorf("sixth redirect: %v", err)
	}
	if err := checkRedirect(req("http://localhost/x"), via(1)); err == nil || err.Error() != "redirected to http://localhost/x, which is not https: redirects are followed to https:// URLs only" {
		t.Errorf("redirect to http: %v", err)
	}
}
