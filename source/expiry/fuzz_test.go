package expiry_test

import (
	"encoding/base64"
	"testing"
	"unicode/utf8"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry/expirytest"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// FuzzMaterial reads arbitrary text as every kind of expiry material and
// annotation: nothing panics, spans found in raw text lie inside it and in
// order, a found JWT or certificate has an expiry, and the annotations'
// positions are lines of the file.
func FuzzMaterial(f *testing.F) {
	c := expirytest.SelfSigned("Corp Root CA", now.Add(-400*24*3600e9), now.Add(10*24*3600e9))
	tok := expirytest.Token(map[string]any{"iss": "https://ci.example.com/oidc", "exp": now.Unix()})
	for _, s := range []string{
		string(c.PEM),
		"# corporate CA\n" + string(c.PEM) + "trailing",
		base64.StdEncoding.EncodeToString(c.PEM),
		tok,
		"eyJhbGciOiJub25lIn0.e30.",
		"eyJ.eyJ.x",
		"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
		"key: v # jenkins-oidc-lint: expires=2027-03-01 rotated=2026-01-01 max-age=90d\n",
		"# jenkins-oidc-lint: expires=never\nsecret: x\n",
		"// jenkins-oidc-lint: max-age=1y\n",
		"secrets:\n  - id: a\n    expires: 2027-01-01\n    max-age: 12w\n",
		"secrets: {id: x}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, m := range expiry.Certificates(data) {
			if m.Start < 0 || m.End > len(data) || m.Start > m.End {
				t.Fatalf("certificate span %d-%d in %d bytes", m.Start, m.End, len(data))
			}
			if m.NotAfter.IsZero() {
				t.Fatal("a certificate without notAfter")
			}
		}
		if m, ok := expiry.JWT(string(data)); ok && m.NotAfter.IsZero() {
			t.Fatal("a JWT read without exp")
		}
		for _, keystore := range []bool{false, true} {
			ms, err := expiry.Value(string(data), keystore)
			if err != nil && len(ms) > 0 {
				t.Fatal("material and an error")
			}
		}
		_, _ = expiry.Keystore(data)
		_, _ = expiry.JWKSCertificates(data)
		if !utf8.Valid(data) {
			return
		}
		file := source.NewFile("jenkins.yaml", data)
		for _, a := range expiry.Annotations(file) {
			if a.Line < 1 || a.Line > file.LineCount() || a.Pos.Line != a.Line {
				t.Fatalf("annotation at line %d (pos %v) of %d lines", a.Line, a.Pos, file.LineCount())
			}
		}
		docs, ferr := tree.ParseYAML(file)
		if ferr != nil || len(docs) == 0 {
			return
		}
		_, n := tree.Get(docs[0], "secrets")
		decl, _ := expiry.ParseSettings(file, n)
		for _, d := range decl {
			if d.ID == "" {
				t.Fatal("a declared secret without id")
			}
		}
	})
}
