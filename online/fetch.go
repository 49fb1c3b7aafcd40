package online

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/loopback"
)

// maxRedirects is how many redirects one fetch follows.
const maxRedirects = 5

// maxParallel bounds the fetches in flight at once.
const maxParallel = 4

// fetched is the outcome of one GET: either err (the request failed, in words
// for the user) or a status and the body (at most MaxBytes).
type fetched struct {
	status     int
	statusText string // e.g. "404 Not Found"
	header     http.Header
	body       []byte
	// certs are the certificates the TLS server presented, leaf first (nil
	// over plain HTTP)
	certs []*x509.Certificate
	err   *fetchError
}

// fetchError is a fetch failure worded for a finding.
type fetchError struct {
	reason string
	cause  error
}

func (e *fetchError) Error() string { return e.reason }
func (e *fetchError) Unwrap() error { return e.cause }

// redirectError refuses a redirect.
type redirectError struct{ reason string }

func (e *redirectError) Error() string { return e.reason }

// tooLargeError is a response body over the limit.
type tooLargeError struct{ limit int64 }

func (e *tooLargeError) Error() string {
	return "the response is larger than the " + formatSize(e.limit) + " limit"
}

// fetcher fetches each URL once and lets every caller share the result.
type fetcher struct {
	ctx    context.Context
	opts   Options
	client *http.Client
	sem    chan struct{}

	mu      sync.Mutex
	entries map[string]*entry
}

type entry struct {
	done chan struct{}
	res  *fetched
}

func newFetcher(ctx context.Context, opts Options) *fetcher {
	dialer := &net.Dialer{Timeout: opts.ConnectTimeout, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy:       http.ProxyFromEnvironment,
		DialContext: dialer.DialContext,
		TLSClientConfig: &tls.Config{
			MinVersion: tls.VersionTLS12,
			RootCAs:    opts.RootCAs,
		},
		TLSHandshakeTimeout:   opts.ConnectTimeout,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          16,
		IdleConnTimeout:       30 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	client := &http.Client{Transport: tr, CheckRedirect: checkRedirect}
	return &fetcher{ctx: ctx, opts: opts, client: client, sem: make(chan struct{}, maxParallel), entries: map[string]*entry{}}
}

// close drops the idle connections.
func (f *fetcher) close() { f.client.CloseIdleConnections() }

// checkRedirect follows at most maxRedirects redirects, to https only.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > maxRedirects {
		return &redirectError{reason: fmt.Sprintf("more than %d redirects (the last one to %s)", maxRedirects, req.URL.Redacted())}
	}
	if req.URL.Scheme != "https" {
		return &redirectError{reason: fmt.Sprintf("redirected to %s, which is not https: redirects are followed to https:// URLs only", req.URL.Redacted())}
	}
	return nil
}

// get fetches raw once per run; concurrent callers for the same URL wait for
// the first one's result.
func (f *fetcher) get(raw string) *fetched {
	key := raw
	if u, err := url.Parse(raw); err == nil {
		key = u.String() // as a library's request will spell it
	}
	f.mu.Lock()
	e, ok := f.entries[key]
	if !ok {
		e = &entry{done: make(chan struct{})}
		f.entries[key] = e
	}
	f.mu.Unlock()
	if ok {
		<-e.done
		return e.res
	}
	defer close(e.done)
	select {
	case f.sem <- struct{}{}:
		e.res = f.fetch(raw)
		<-f.sem
	case <-f.ctx.Done():
		e.res = &fetched{err: &fetchError{reason: f.stopped(), cause: f.ctx.Err()}}
	}
	return e.res
}

// fetch performs one GET with the total timeout and the size limit.
func (f *fetcher) fetch(raw string) *fetched {
	ctx, cancel := context.WithTimeout(f.ctx, f.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return &fetched{err: &fetchError{reason: "not a valid URL: " + err.Error(), cause: err}}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", f.opts.UserAgent)
	resp, err := f.client.Do(req)
	if err != nil {
		return &fetched{err: f.describe(err, req.URL)}
	}
	defer resp.Body.Close()
	if resp.ContentLength > f.opts.MaxBytes {
		return &fetched{err: &fetchError{reason: (&tooLargeError{f.opts.MaxBytes}).Error()}}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.opts.MaxBytes+1))
	if err == nil && ctx.Err() != nil {
		// The body may end cleanly as the connection is torn down at the
		// deadline; what arrived is not the whole document.
		err = ctx.Err()
	}
	if err != nil {
		return &fetched{err: f.describe(err, req.URL)}
	}
	if int64(len(body)) > f.opts.MaxBytes {
		return &fetched{err: &fetchError{reason: (&tooLargeError{f.opts.MaxBytes}).Error()}}
	}
	// The reason phrase is the server's text: use the standard one.
	text := strings.TrimSpace(fmt.Sprintf("%d %s", resp.StatusCode, http.StatusText(resp.StatusCode)))
	out := &fetched{status: resp.StatusCode, statusText: text, header: resp.Header, body: body}
	if resp.TLS != nil {
		out.certs = resp.TLS.PeerCertificates
	}
	return out
}

// cachedTransport answers GETs from the fetcher, so that a library given a
// client built on it (go-oidc) sees exactly the bytes this package checks and
// never causes a second request.
type cachedTransport struct{ f *fetcher }

func (t cachedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	if req.Method != http.MethodGet {
		return nil, fmt.Errorf("online: only GET is cached, not %s", req.Method)
	}
	r := t.f.get(req.URL.String())
	if r.err != nil {
		return nil, r.err
	}
	return &http.Response{
		Status:        r.statusText,
		StatusCode:    r.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        r.header.Clone(),
		Body:          io.NopCloser(bytes.NewReader(r.body)),
		ContentLength: int64(len(r.body)),
		Request:       req,
	}, nil
}

// cachedClient is an http.Client that never touches the network itself.
func (f *fetcher) cachedClient() *http.Client {
	return &http.Client{Transport: cachedTransport{f}, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse // the fetcher already followed them
	}}
}

// refuse returns why raw is not fetched at all, or "".
func refuse(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Sprintf("refused: %q is not an absolute https:// URL", redactURL(raw))
	}
	if u.Scheme == "http" && !isLoopback(u) {
		return "refused: only https:// URLs are fetched (http:// from loopback hosts only; insecure-url reports the scheme)"
	}
	return ""
}

// isLoopback reports whether u names localhost or a loopback address.
func isLoopback(u *url.URL) bool { return loopback.Host(u.Hostname()) }

// redactURL hides a password written in a URL.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		if i := strings.LastIndex(raw, "@"); i >= 0 {
			return "…" + raw[i:]
		}
		return raw
	}
	return u.Redacted()
}

// formatSize writes a byte count the way the limit was likely chosen.
func formatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d-byte", n)
}
