package online

import (
	"context"
	"crypto/x509"
	"fmt"
	"mime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/discovery"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// Rule IDs of the findings Check returns.
const (
	RuleUnreachable = "provider-unreachable"
	RuleJWKSInvalid = "jwks-invalid"
	RuleExpiring    = "secret-expiring" // with Options.Expiry
)

// Defaults of Options.
const (
	DefaultConnectTimeout = 5 * time.Second
	DefaultTimeout        = 15 * time.Second
	DefaultMaxBytes       = 1 << 20
	DefaultUserAgent      = "jenkins-oidc-lint"
)

// Options configure the fetches. The zero value means the defaults.
type Options struct {
	ConnectTimeout time.Duration  // TCP connect and TLS handshake; default 5s
	Timeout        time.Duration  // total per request, body included; default 15s
	MaxBytes       int64          // response size limit; default 1 MiB
	RootCAs        *x509.CertPool // nil = the system pool
	UserAgent      string         // default "jenkins-oidc-lint"
	// Expiry, when set, has each realm's provider TLS certificate and its
	// JWKS x5c certificates judged against its clock and window: expiring
	// within it is a secret-expiring warning at the realm's URL.
	Expiry *expiry.Settings
}

func (o Options) withDefaults() Options {
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = DefaultConnectTimeout
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	return o
}

// Check fetches, for each realm, its discovery document (the well-known URL,
// or the manual issuer + "/.well-known/openid-configuration") and the JWKS
// the realm verifies tokens with, each URL at most once per run, a few at a
// time. It returns the discovery documents that were fetched and parsed as
// JSON objects (File.Path and URL are the URL, a password in it masked),
// sorted by URL, and the provider-unreachable and jwks-invalid findings,
// sorted by position. It never panics on what a server sends.
func Check(ctx context.Context, realms []*jcasc.Realm, opts Options) ([]*discovery.Metadata, []report.Finding) {
	r := check(ctx, realms, opts)
	metas := make([]*discovery.Metadata, 0, len(r.metas))
	for _, m := range r.metas {
		metas = append(metas, m)
	}
	sort.Slice(metas, func(i, j int) bool { return metas[i].URL < metas[j].URL })
	report.Sort(r.findings)
	return metas, r.findings
}

func check(ctx context.Context, realms []*jcasc.Realm, opts Options) *run {
	opts = opts.withDefaults()
	r := &run{ctx: ctx, f: newFetcher(ctx, opts), opts: opts, docs: map[string]*doc{},
		metas: map[string]*discovery.Metadata{}, oidcErrs: map[string]error{}}
	defer r.f.close()
	var wg sync.WaitGroup
	for _, realm := range realms {
		if realm == nil || realm.File == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if v := recover(); v != nil {
					r.report(finding(realm, RuleUnreachable, report.Warning, realm.Key, fmt.Sprintf(
						"internal error while checking this realm online: %v (please report this)", v)))
				}
			}()
			r.realm(realm)
		}()
	}
	wg.Wait()
	return r
}

// run is the state of one Check.
type run struct {
	ctx  context.Context
	f    *fetcher
	opts Options

	mu       sync.Mutex
	docs     map[string]*doc
	metas    map[string]*discovery.Metadata
	findings []report.Finding
	oidcErrs map[string]error // go-oidc's verdict by issuer
}

// doc is a fetched URL parsed as a JSON object, or why it is not one.
type doc struct {
	once   sync.Once
	file   *source.File
	root   *yaml.Node
	reason string
}

// load fetches raw (once) and parses it as a JSON object.
func (r *run) load(raw string) *doc {
	r.mu.Lock()
	d, ok := r.docs[raw]
	if !ok {
		d = &doc{}
		r.docs[raw] = d
	}
	r.mu.Unlock()
	d.once.Do(func() { d.file, d.root, d.reason = r.parse(raw) })
	return d
}

func (r *run) parse(raw string) (*source.File, *yaml.Node, string) {
	if why := refuse(raw); why != "" {
		return nil, nil, why
	}
	res := r.f.get(raw)
	if res.err != nil {
		return nil, nil, res.err.reason
	}
	if res.status != 200 {
		return nil, nil, fmt.Sprintf("HTTP status %s (want 200 OK)", strings.TrimSpace(res.statusText))
	}
	f := source.NewFile(redactURL(raw), res.body)
	ct := ""
	if mt, _, err := mime.ParseMediaType(res.header.Get("Content-Type")); err == nil {
		ct = fmt.Sprintf(" (Content-Type %s)", mt)
	}
	if ferr := source.CheckText(f); ferr != nil {
		what := "a NUL byte"
		if !strings.HasPrefix(ferr.Message, "binary") {
			what = ferr.Message
		}
		return nil, nil, fmt.Sprintf("the response is not JSON text: %s at line %d, column %d%s", what, ferr.Pos.Line, ferr.Pos.Col, ct)
	}
	root, ferr := discovery.ParseJSON(f)
	if ferr != nil {
		return nil, nil, fmt.Sprintf("the response is not JSON: %s at line %d, column %d%s", strings.TrimPrefix(ferr.Message, "invalid JSON: "), ferr.Pos.Line, ferr.Pos.Col, ct)
	}
	if root.Kind != yaml.MappingNode {
		return nil, nil, "the response is JSON but not an object"
	}
	return f, root, ""
}

// metadata is the shared typed view of the discovery document at raw.
func (r *run) metadata(raw string, d *doc) *discovery.Metadata {
	r.mu.Lock()
	defer r.mu.Unlock()
	if m, ok := r.metas[raw]; ok {
		return m
	}
	d.file.Kind = source.Discovery
	m := discovery.Read(d.file, d.root)
	m.URL = d.file.Path
	r.metas[raw] = m
	return m
}

func (r *run) report(f report.Finding) {
	r.mu.Lock()
	r.findings = append(r.findings, f)
	r.mu.Unlock()
}

// finding makes a finding at node of the realm's file.
func finding(realm *jcasc.Realm, rule string, sev report.Severity, at tree.Mark, msg string) report.Finding {
	return report.Finding{Rule: rule, Severity: sev, Pos: at.Pos(realm.File), End: at.End(realm.File), Message: msg}
}

// discoveryURL is the realm's discovery URL, the node it was read from, and
// the issuer to hand go-oidc ("" when go-oidc would fetch another URL).
func discoveryURL(realm *jcasc.Realm) (raw string, at tree.Mark, issuer string) {
	wk := realm.WellKnownURL
	useWK := wk.NonEmpty() && (realm.Mode == jcasc.ModeWellKnown || realm.Mode != jcasc.ModeManual && !realm.Issuer.NonEmpty())
	expected, _, ok := realm.IssuerValue()
	switch {
	case useWK:
		if tree.IsVariable(wk.Value) {
			return "", tree.Mark{}, ""
		}
		raw, at = strings.TrimSpace(wk.Value), wk.At()
	case realm.Issuer.NonEmpty() && !tree.IsVariable(realm.Issuer.Value):
		raw, at = strings.TrimSuffix(strings.TrimSpace(realm.Issuer.Value), "/")+jcasc.WellKnownSuffix, realm.Issuer.At()
	default:
		return "", tree.Mark{}, ""
	}
	if ok && strings.TrimSuffix(expected, "/")+jcasc.WellKnownSuffix == raw {
		issuer = expected
	}
	return raw, at, issuer
}

// DiscoveryURL is the URL Check fetches the realm's discovery document from,
// spelled as the Metadata.URL it returns for it (a password masked), or ""
// when the realm names none or names it with a variable. The engine can pin
// the returned metadata to the realm with it, whatever issuer it holds.
func DiscoveryURL(realm *jcasc.Realm) string {
	raw, _, _ := discoveryURL(realm)
	if raw == "" {
		return ""
	}
	return redactURL(raw)
}

// realm checks one realm.
func (r *run) realm(realm *jcasc.Realm) {
	var meta *discovery.Metadata
	raw, at, issuer := discoveryURL(realm)
	if raw != "" {
		if issuer != "" && refuse(raw) == "" {
			// go-oidc fetches the document, through the shared cache, so
			// the bytes load parses below are the ones it read. Its verdict
			// is kept for tests only: an IssuerMismatchError is left to
			// issuer-mismatch, which compares the returned document with
			// the realm, with positions; any other error is a fetch or
			// decoding failure that load words from the same response.
			_, err := oidc.NewProvider(oidc.ClientContext(r.ctx, r.f.cachedClient()), issuer)
			r.mu.Lock()
			r.oidcErrs[issuer] = err
			r.mu.Unlock()
		}
		d := r.load(raw)
		if d.reason != "" {
			r.report(finding(realm, RuleUnreachable, report.Warning, at, fmt.Sprintf(
				"cannot fetch the discovery document %s: %s; the rules that need provider metadata did not run for this realm", redactURL(raw), d.reason)))
		} else {
			meta = r.metadata(raw, d)
			r.expiring(realm, at, nil, expiry.PeerCertificates(r.f.get(raw).certs),
				"the provider's TLS certificate at "+redactURL(raw), "the realm's sign-ins fail once it expires unless the provider renews it first")
		}
	}

	// The key set: the realm's own jwksServerUrl in manual mode, else the
	// one the metadata names.
	var (
		jwksRaw string
		jwksAt  tree.Mark
		related []report.Related
	)
	switch {
	case realm.Mode == jcasc.ModeManual && realm.JWKSURL.Set():
		if !realm.JWKSURL.NonEmpty() || tree.IsVariable(realm.JWKSURL.Value) {
			return
		}
		jwksRaw, jwksAt = strings.TrimSpace(realm.JWKSURL.Value), realm.JWKSURL.At()
	case meta != nil && meta.JWKSURI.NonEmpty():
		jwksRaw, jwksAt = strings.TrimSpace(meta.JWKSURI.Value), at
		related = []report.Related{{Pos: meta.Pos(meta.JWKSURI.At()), Message: "the provider metadata names the JWKS here"}}
	default:
		return
	}
	var algs []string
	if meta != nil {
		algs = meta.IDTokenSigningAlgs.Values
	}
	d := r.load(jwksRaw)
	if d.reason != "" {
		f := finding(realm, RuleUnreachable, report.Warning, jwksAt, fmt.Sprintf(
			"cannot fetch the JWKS %s: %s; its keys were not checked", redactURL(jwksRaw), d.reason))
		f.Related = related
		r.report(f)
		return
	}
	for _, msg := range checkJWKS(d.root, d.file.Path, algs) {
		f := finding(realm, RuleJWKSInvalid, report.Error, jwksAt, msg)
		f.Related = related
		r.report(f)
	}
	if r.opts.Expiry != nil {
		ms, _ := expiry.JWKSCertificates(d.file.Data) // a malformed x5c is jwks-invalid's to report
		r.expiring(realm, jwksAt, related, ms, "a signing key's certificate in the JWKS "+redactURL(jwksRaw),
			"a provider that rotates its keys late signs tokens with an expired certificate, which strict verifiers refuse")
	}
}

// expiring reports, when the run judges expiry (Options.Expiry), the
// material of ms that expires first if it expires within the window: a
// warning (an expired certificate fails the TLS handshake, so the fetch
// already said so).
func (r *run) expiring(realm *jcasc.Realm, at tree.Mark, related []report.Related, ms []expiry.Material, what, why string) {
	if r.opts.Expiry == nil {
		return
	}
	m, ok := expiry.Earliest(ms)
	if !ok {
		return
	}
	st, days := expiry.Judge(m.NotAfter, r.opts.Expiry.Clock(), r.opts.Expiry.ExpiryWindow())
	if st == expiry.Valid {
		return
	}
	sev, verb := report.Warning, "expires"
	if st == expiry.Expired {
		sev, verb = report.Error, "expired"
	}
	detail := fmt.Sprintf("%q", m.Subject)
	if m.In != "" && m.In != "TLS certificate" {
		detail = m.In + ", " + detail // a chain certificate, or the key whose x5c it is
	}
	f := finding(realm, RuleExpiring, sev, at, fmt.Sprintf("%s (%s) %s on %s, %s: %s",
		what, detail, verb, expiry.FormatDate(m.NotAfter), expiry.When(st, days), why))
	f.Related = related
	r.report(f)
}

// Check is Check with o: Options is the --online checker of package lint
// (lint.Online).
func (o Options) Check(ctx context.Context, realms []*jcasc.Realm) ([]*discovery.Metadata, []report.Finding) {
	return Check(ctx, realms, o)
}

// DiscoveryURL is DiscoveryURL (for lint.Online).
func (Options) DiscoveryURL(realm *jcasc.Realm) string { return DiscoveryURL(realm) }
