package online

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// describe words a failed request for a user: which step failed and, where
// it helps, what to do.
func (f *fetcher) describe(err error, u *url.URL) *fetchError {
	fe := func(format string, args ...any) *fetchError {
		return &fetchError{reason: fmt.Sprintf(format, args...), cause: err}
	}
	var (
		re  *redirectError
		de  *net.DNSError
		oe  *net.OpError
		ua  x509.UnknownAuthorityError
		he  x509.HostnameError
		ci  x509.CertificateInvalidError
		rh  tls.RecordHeaderError
		ae  tls.AlertError
		cve *tls.CertificateVerificationError
		ne  net.Error
	)
	addr := u.Host
	if errors.As(err, &oe) && oe.Addr != nil {
		addr = oe.Addr.String()
	}
	switch {
	case errors.As(err, &re):
		return fe("%s", re.reason)
	case f.ctx.Err() != nil:
		return fe("%s", f.stopped())
	case errors.As(err, &de):
		switch {
		case de.IsNotFound:
			return fe("DNS lookup failed: no such host %q", de.Name)
		case de.IsTimeout:
			return fe("DNS lookup of %q timed out", de.Name)
		}
		return fe("DNS lookup of %q failed: %s", de.Name, de.Err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fe("connection refused by %s (nothing listens there)", addr)
	case errors.As(err, &ua):
		return fe("TLS: certificate signed by unknown authority (a private CA? trust it where the tool runs, and in the controller's JVM truststore)")
	case errors.As(err, &he):
		return fe("TLS: %s", trimX509(he.Error()))
	case errors.As(err, &ci):
		if ci.Reason == x509.Expired && ci.Cert != nil {
			if time.Now().After(ci.Cert.NotAfter) {
				return fe("TLS: the server's certificate expired on %s", ci.Cert.NotAfter.UTC().Format(time.DateOnly))
			}
			return fe("TLS: the server's certificate is not valid before %s", ci.Cert.NotBefore.UTC().Format(time.DateOnly))
		}
		return fe("TLS: %s", trimX509(ci.Error()))
	case errors.As(err, &cve):
		return fe("TLS: %s", trimX509(cve.Err.Error()))
	case strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return fe("TLS handshake failed: the server answered in plain HTTP (an http:// server behind an https:// URL?)")
	case errors.As(err, &rh):
		return fe("TLS handshake failed: the server did not answer with TLS")
	case errors.As(err, &ae):
		return fe("TLS handshake failed: %s", alert(ae.Error()))
	case oe != nil && oe.Op == "remote error":
		return fe("TLS handshake failed: %s", alert(oe.Err.Error()))
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		switch {
		case oe != nil && oe.Op == "dial":
			return fe("could not connect to %s within %s (timeout)", addr, f.opts.ConnectTimeout)
		case strings.Contains(err.Error(), "TLS handshake timeout"):
			return fe("the TLS handshake with %s did not finish within %s (timeout)", addr, f.opts.ConnectTimeout)
		}
		return fe("no complete answer within %s (timeout)", f.opts.Timeout)
	case oe != nil && oe.Op == "dial":
		return fe("cannot connect to %s: %s", addr, oe.Err)
	}
	msg := innermost(err)
	if strings.HasPrefix(msg, "tls: ") {
		return fe("TLS handshake failed: %s", strings.TrimPrefix(msg, "tls: "))
	}
	return fe("request failed: %s", msg)
}

// alert words a TLS alert the server sent.
func alert(msg string) string {
	msg = strings.TrimPrefix(msg, "tls: ")
	s := fmt.Sprintf("the server sent the alert %q", msg)
	if msg == "protocol version not supported" {
		s += " (it speaks no TLS version from 1.2 on, and older ones are refused)"
	}
	return s
}

// stopped words why the run's own context ended.
func (f *fetcher) stopped() string {
	if errors.Is(f.ctx.Err(), context.DeadlineExceeded) {
		return "the run's time limit ran out"
	}
	return "the check was canceled"
}

// trimX509 drops the package prefix of a crypto/x509 message.
func trimX509(s string) string { return strings.TrimPrefix(s, "x509: ") }

// innermost is the message of err without the url.Error wrapping, which
// repeats the method and URL.
func innermost(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}
