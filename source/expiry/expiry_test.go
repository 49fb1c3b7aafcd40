package expiry_test

import (
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry/expirytest"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

var now = time.Date(2026, 6, 19, 12, 0, 0, 0, time.UTC)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseDateAndAge(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Time
	}{
		{"2027-03-01", day("2027-03-01")},
		{" 2027-03-01 ", day("2027-03-01")},
		{"2027-03-01T12:00:00Z", day("2027-03-01").Add(12 * time.Hour)},
		{"2027-03-01T14:00:00+02:00", day("2027-03-01").Add(12 * time.Hour)},
	} {
		got, err := expiry.ParseDate(c.in)
		if err != nil || !got.Equal(c.want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "2027-13-01", "03/01/2027", "tomorrow"} {
		if _, err := expiry.ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q): no error", bad)
		}
	}
	for in, want := range map[string]time.Duration{
		"90d": 90 * expiry.Day, "90": 90 * expiry.Day, "12w": 84 * expiry.Day, "1y": 365 * expiry.Day, "36h": 36 * time.Hour,
	} {
		got, err := expiry.ParseAge(in)
		if err != nil || got != want {
			t.Errorf("ParseAge(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "0d", "-3d", "3mo", "d", "1.5d", "-1h"} {
		if _, err := expiry.ParseAge(bad); err == nil {
			t.Errorf("ParseAge(%q): no error", bad)
		}
	}
}

func TestJudge(t *testing.T) {
	w := expiry.DefaultWindow
	for _, c := range []struct {
		at   time.Time
		st   expiry.Status
		days int
		when string
	}{
		{now.Add(40 * expiry.Day), expiry.Valid, 40, "in 40 days"},
		{now.Add(12*expiry.Day + time.Hour), expiry.Expiring, 12, "in 12 days"},
		{now.Add(time.Hour), expiry.Expiring, 0, "in less than a day"},
		{now, expiry.Expired, 0, "today"},
		{now.Add(-48 * expiry.Day), expiry.Expired, -48, "48 days ago"},
		{now.Add(-expiry.Day), expiry.Expired, -1, "1 day ago"},
	} {
		st, days := expiry.Judge(c.at, now, w)
		if st != c.st || days != c.days || expiry.When(st, days) != c.when {
			t.Errorf("Judge(%v) = %v, %d (%s); want %v, %d (%s)", c.at, st, days, expiry.When(st, days), c.st, c.days, c.when)
		}
	}
	var s expiry.Settings
	if s.ExpiryWindow() != expiry.DefaultWindow || s.Clock().IsZero() {
		t.Error("zero Settings: want the default window and the wall clock")
	}
	s.Now = now
	if !s.Clock().Equal(now) {
		t.Error("Settings.Now is not the clock")
	}
}

func TestParseSettings(t *testing.T) {
	text := `secrets:
  - id: github-token
    expires: 2027-03-01
    rotated: "2026-03-01"
    max-age: 180d
  - id: oic.clientSecret
    max-age: 1y
  - id: github-token
    expires: 2027-01-01
  - id: typo
    expire: 2027-01-01
  - id: bad-dates
    expires: next week
    max-age: 3 months
  - expires: 2027-01-01
  - just a string
  - id: empty
  - id: backwards
    expires: 2026-01-01
    rotated: 2026-02-01
  - id:
    expires: 2027-01-01
`
	f := source.NewFile(".jenkins-oidc-lint.yaml", []byte(text))
	docs, ferr := tree.ParseYAML(f)
	if ferr != nil {
		t.Fatal(ferr)
	}
	_, n := tree.Get(docs[0], "secrets")
	got, errs := expiry.ParseSettings(f, n)
	if len(got) != 2 || got[0].ID != "github-token" || !got[0].Expires.Equal(day("2027-03-01")) ||
		!got[0].Rotated.Equal(day("2026-03-01")) || got[0].MaxAge != 180*expiry.Day || got[0].Pos.Line != 2 ||
		got[1].ID != "oic.clientSecret" || got[1].MaxAge != 365*expiry.Day {
		t.Errorf("entries: %+v", got)
	}
	var lines []string
	for _, e := range errs {
		lines = append(lines, e.Error())
	}
	want := []string{
		`.jenkins-oidc-lint.yaml:8:9: secrets: id "github-token" is declared twice (first at line 2)`,
		`.jenkins-oidc-lint.yaml:11:5: secrets: unknown key "expire" (did you mean "expires"?): an entry has id, expires, rotated, max-age`,
		`.jenkins-oidc-lint.yaml:13:14: secrets: expires: "next week" is not a date: write YYYY-MM-DD or an RFC 3339 time (2027-03-01T12:00:00Z)`,
		`.jenkins-oidc-lint.yaml:14:14: secrets: max-age: "3 months" is not an age: write days, weeks or years (90d, 12w, 1y) or hours (36h)`,
		`.jenkins-oidc-lint.yaml:15:5: secrets: entry without id: name the credential ID (or oic.clientSecret, oic.escapeHatchSecret)`,
		`.jenkins-oidc-lint.yaml:16:5: secrets: each entry is a mapping with id and at least one of expires, rotated, max-age`,
		`.jenkins-oidc-lint.yaml:17:5: secrets: entry "empty" declares nothing: give expires, rotated or max-age`,
		`.jenkins-oidc-lint.yaml:20:14: secrets: "backwards" was rotated (2026-02-01) after it expires (2026-01-01)`,
		`.jenkins-oidc-lint.yaml:21:5: secrets: id: want a value`,
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}

	for _, c := range []struct{ text, want string }{
		{"secrets:\n", ""},
		{"secrets: {id: x}\n", "x.yaml:1:10: secrets: want a list of entries (- id: …, expires: …, rotated: …, max-age: …)"},
	} {
		f := source.NewFile("x.yaml", []byte(c.text))
		docs, _ := tree.ParseYAML(f)
		_, n := tree.Get(docs[0], "secrets")
		_, errs := expiry.ParseSettings(f, n)
		got := ""
		if len(errs) > 0 {
			got = errs[0].Error()
		}
		if got != c.want {
			t.Errorf("%q: %q, want %q", c.text, got, c.want)
		}
	}
}

func TestAnnotations(t *testing.T) {
	text := `credentials:
  system:
    domainCredentials:
      - credentials:
          # jenkins-oidc-lint: expires=2027-03-01 rotated=2026-03-01 the vendor's limit
          - string:
              id: a
              secret: "${A}"   # jenkins-oidc-lint: max-age=90d
          - string:
              id: b  # jenkins-oidc-lint: ignore[committed-secret] not an annotation
              description: "url#jenkins-oidc-lint: expires=2020-01-01"
              secret: "${B}"
          # jenkins-oidc-lint: expires=soon max-age=3 colour=blue
          - string:
              id: c
`
	f := source.NewFile("c.yaml", []byte(text))
	as := expiry.Annotations(f)
	if len(as) != 3 {
		t.Fatalf("annotations: %+v", as)
	}
	if as[0].Line != 5 || !as[0].Expires.Equal(day("2027-03-01")) || !as[0].Rotated.Equal(day("2026-03-01")) || as[0].Err != "" ||
		as[0].Pos.Col != 11 || as[0].End.Col != 88 {
		t.Errorf("first: %+v", as[0])
	}
	if as[1].Line != 8 || as[1].MaxAge != 90*expiry.Day || as[1].Pos.Col != 32 || as[1].Alone || !as[0].Alone {
		t.Errorf("second: %+v", as[1])
	}
	if as[2].Line != 13 || as[2].MaxAge != 3*expiry.Day ||
		as[2].Err != `expires: "soon" is not a date: write YYYY-MM-DD or an RFC 3339 time (2027-03-01T12:00:00Z); unknown key "colour" (an annotation has expires=, rotated=, max-age=)` {
		t.Errorf("third: %+v", as[2])
	}
	spans := []expiry.Span{{6, 8}, {9, 12}, {14, 15}}
	for line, want := range map[int]int{5: 0, 6: 0, 8: 0, 10: 1, 13: 2, 15: 2, 1: -1, 3: -1, 16: -1} {
		lead := map[int]bool{5: true, 13: true, 1: true, 3: true, 16: true}
		if got := expiry.Owner(spans, expiry.Annotation{Line: line, Alone: lead[line]}); got != want {
			t.Errorf("Owner(line %d) = %d, want %d", line, got, want)
		}
	}
	g := source.NewFile("Jenkinsfile", []byte("// jenkins-oidc-lint: expires=2027-01-01\nnode {}\n"))
	if as := expiry.Annotations(g); len(as) != 1 || !as[0].Expires.Equal(day("2027-01-01")) {
		t.Errorf("groovy: %+v", as)
	}
}

func TestMaterial(t *testing.T) {
	c := expirytest.SelfSigned("registry.example.com", day("2025-07-01"), day("2026-07-01"))
	indented := "ca: |\n  " + strings.ReplaceAll(strings.TrimSpace(string(c.PEM)), "\n", "\n  ") + "\n"
	ms := expiry.Certificates([]byte(indented))
	if len(ms) != 1 || !ms[0].NotAfter.Equal(day("2026-07-01")) || ms[0].Subject != "CN=registry.example.com" ||
		indented[ms[0].Start:ms[0].Start+11] != "-----BEGIN " || !strings.HasSuffix(indented[:ms[0].End], "-----END CERTIFICATE-----") {
		t.Errorf("indented PEM: %+v", ms)
	}
	quoted := `ca: "` + strings.ReplaceAll(string(c.PEM), "\n", `\n`) + `"`
	if ms := expiry.Certificates([]byte(quoted)); len(ms) != 1 {
		t.Errorf("double-quoted PEM read raw: %+v", ms)
	}
	crlf := strings.ReplaceAll(string(c.PEM), "\n", "\r\n")
	if ms := expiry.Certificates([]byte(crlf + crlf)); len(ms) != 2 {
		t.Errorf("two CRLF PEM blocks: %+v", ms)
	}
	if ms := expiry.Certificates([]byte("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n")); len(ms) != 0 {
		t.Errorf("garbage: %+v", ms)
	}

	ms, err := expiry.Value(string(c.PEM), false)
	if err != nil || len(ms) != 1 || ms[0].In != "PEM" || ms[0].Describe() != `certificate "CN=registry.example.com"` {
		t.Errorf("Value(PEM) = %+v, %v", ms, err)
	}
	ms, err = expiry.Value(base64.StdEncoding.EncodeToString(c.PEM), false)
	if err != nil || len(ms) != 1 || ms[0].In != "base64 PEM" || ms[0].Describe() != `certificate "CN=registry.example.com" (base64 PEM)` {
		t.Errorf("Value(base64 PEM) = %+v, %v", ms, err)
	}
	tok := expirytest.Token(map[string]any{"iss": "https://idp.example.com", "exp": day("2026-07-01").Unix(), "sub": "ci"})
	ms, err = expiry.Value(tok, false)
	if err != nil || len(ms) != 1 || ms[0].Kind != expiry.Token || !ms[0].NotAfter.Equal(day("2026-07-01")) ||
		ms[0].Describe() != `JWT issued by "https://idp.example.com"` {
		t.Errorf("Value(JWT) = %+v, %v", ms, err)
	}
	if _, ok := expiry.JWT(expirytest.Token(map[string]any{"sub": "no exp"})); ok {
		t.Error("a JWT without exp has an expiry")
	}
	for _, v := range []string{"${SECRET}", "hunter2", "{AQAAABAAAAAQ}", strings.Repeat("A", 100)} {
		if ms, err := expiry.Value(v, true); len(ms) != 0 {
			t.Errorf("Value(%q) = %+v, %v", v, ms, err)
		}
	}
	if ms, ok := expiry.Earliest([]expiry.Material{{NotAfter: day("2027-01-01")}, {NotAfter: day("2026-01-01")}}); !ok || !ms.NotAfter.Equal(day("2026-01-01")) {
		t.Errorf("Earliest = %+v", ms)
	}
}

func TestJWKSAndPeers(t *testing.T) {
	a := expirytest.SelfSigned("signing-1", day("2025-01-01"), day("2026-07-01"))
	b := expirytest.SelfSigned("signing-2", day("2025-01-01"), day("2027-07-01"))
	jwks := fmt.Sprintf(`{"keys":[{"kid":"k1","kty":"EC","x5c":[%q]},{"kid":"k2","kty":"EC"},{"kid":"k3","kty":"EC","x5c":[%q]}]}`,
		base64.StdEncoding.EncodeToString(a.DER), base64.StdEncoding.EncodeToString(b.DER))
	ms, err := expiry.JWKSCertificates([]byte(jwks))
	if err != nil || len(ms) != 2 || ms[0].Describe() != `certificate "CN=signing-1" (x5c of key "k1")` || !ms[1].NotAfter.Equal(day("2027-07-01")) {
		t.Errorf("JWKS: %+v, %v", ms, err)
	}
	if _, err := expiry.JWKSCertificates([]byte(`{"keys":[{"kid":"k","x5c":["!!"]}]}`)); err == nil {
		t.Error("bad x5c: no error")
	}
	ps := expiry.PeerCertificates([]*x509.Certificate{a.X, b.X})
	if len(ps) != 2 || ps[0].In != "TLS certificate" || ps[1].In != "TLS chain certificate" {
		t.Errorf("peers: %+v", ps)
	}
}
