package expiry

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// MaterialKind is what kind of material carries an expiry.
type MaterialKind int

// Material kinds.
const (
	Certificate MaterialKind = iota + 1 // an X.509 certificate (PEM, DER in a keystore, JWKS x5c, a TLS peer)
	Token                               // a JWT with an exp claim
)

// Material is a certificate or a token found in a value, described by what
// is public about it.
type Material struct {
	Kind MaterialKind
	// NotAfter is when it expires (a certificate's notAfter, a JWT's exp).
	NotAfter time.Time
	// Subject names it: a certificate's subject common name (or the whole
	// subject), a JWT's issuer.
	Subject string
	// In says where it was found inside the value: "PEM", "PKCS#12
	// keystore", "base64 PEM", "JWT", "x5c".
	In string
	// Start and End are its byte offsets in the scanned text (PEM blocks
	// and JWTs found in raw text); zero for decoded material.
	Start, End int
}

// Describe words the material for a message: `certificate "CN=ci.example.com"`,
// `JWT issued by "https://idp"`.
func (m Material) Describe() string {
	switch m.Kind {
	case Certificate:
		s := "certificate"
		if m.Subject != "" {
			s += fmt.Sprintf(" %q", m.Subject)
		}
		if m.In != "" && m.In != "PEM" {
			s += " (" + m.In + ")"
		}
		return s
	case Token:
		if m.Subject != "" {
			return fmt.Sprintf("JWT issued by %q", m.Subject)
		}
		return "JWT"
	}
	return "material"
}

// FromCertificate describes a parsed certificate.
func FromCertificate(c *x509.Certificate, in string) Material {
	return Material{Kind: Certificate, NotAfter: c.NotAfter.UTC(), Subject: subjectName(c), In: in}
}

func subjectName(c *x509.Certificate) string {
	if c.Subject.CommonName != "" {
		return "CN=" + c.Subject.CommonName
	}
	if s := c.Subject.String(); s != "" {
		return s
	}
	if len(c.DNSNames) > 0 {
		return "DNS:" + c.DNSNames[0]
	}
	return ""
}

var (
	pemBegin = []byte("-----BEGIN ")
	pemCert  = []byte("-----BEGIN CERTIFICATE-----")
	pemEnd   = []byte("-----END CERTIFICATE-----")
)

// Certificates finds the PEM certificates in text (a file's bytes or a
// decoded value), with their offsets. Lines may be indented (a YAML block
// scalar read as raw text) or end in CRLF. Blocks that do not parse are
// skipped; private keys and other PEM blocks are never decoded.
func Certificates(text []byte) []Material {
	var out []Material
	for from := 0; ; {
		i := bytes.Index(text[from:], pemCert)
		if i < 0 {
			return out
		}
		start := from + i
		bodyStart := start + len(pemCert) // the END marker is looked for after BEGIN's own dashes
		j := bytes.Index(text[bodyStart:], pemEnd)
		if j < 0 {
			return out
		}
		end := bodyStart + j + len(pemEnd)
		from = end
		body := text[bodyStart : bodyStart+j]
		if bytes.Contains(body, pemBegin) {
			from = start + len(pemCert) // a BEGIN without its END: look again inside
			continue
		}
		der, err := base64.StdEncoding.DecodeString(stripSpace(string(body)))
		if err != nil {
			continue
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			continue
		}
		m := FromCertificate(c, "PEM")
		m.Start, m.End = start, end
		out = append(out, m)
	}
}

func stripSpace(s string) string {
	s = strings.NewReplacer(`\r`, "", `\n`, "").Replace(s) // escapes of a double-quoted YAML string read raw
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r':
			return -1
		}
		return r
	}, s)
}

// JWT reads the exp of a JSON Web Token (three base64url parts, a JSON
// header with alg). The signature is not checked: only the expiry is read.
// ok is false when s is not a JWT or has no numeric exp.
func JWT(s string) (Material, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "Bearer ")
	parts := strings.Split(s, ".")
	if len(parts) != 3 || !strings.HasPrefix(parts[0], "eyJ") || len(s) > 64<<10 {
		return Material{}, false
	}
	head, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[0], "="))
	if err != nil {
		return Material{}, false
	}
	var h struct {
		Alg string `json:"alg"`
	}
	if json.Unmarshal(head, &h) != nil || h.Alg == "" {
		return Material{}, false
	}
	body, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return Material{}, false
	}
	var claims struct {
		Exp json.Number `json:"exp"`
		Iss string      `json:"iss"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if dec.Decode(&claims) != nil || claims.Exp == "" {
		return Material{}, false
	}
	exp, err := claims.Exp.Float64()
	if err != nil || exp <= 0 || exp > 1e11 {
		return Material{}, false
	}
	iss := claims.Iss
	if len(iss) > 200 {
		iss = iss[:200]
	}
	return Material{Kind: Token, NotAfter: time.Unix(int64(exp), 0).UTC(), Subject: iss, In: "JWT"}, true
}

// ErrPasswordProtected is returned for a keystore whose password is not
// empty: its certificates cannot be read without the secret.
var ErrPasswordProtected = errors.New("the keystore is password-protected")

// ErrNoPKCS12 is returned when this build cannot read PKCS#12 keystores.
var ErrNoPKCS12 = errors.New("PKCS#12 keystores are not read by this build")

// Keystore reads the certificates of a PKCS#12 keystore (DER) whose password
// is empty, as Jenkins' certificate credential uploads them. A keystore with
// a password gives ErrPasswordProtected. The private key is never kept.
func Keystore(der []byte) ([]Material, error) {
	certs, err := decodePKCS12(der)
	if err != nil {
		return nil, err
	}
	var out []Material
	for _, c := range certs {
		out = append(out, FromCertificate(c, "PKCS#12 keystore"))
	}
	return out, nil
}

// Value finds the material a configuration value holds: PEM certificates
// (also base64-encoded, as a file credential's secretBytes holds them), a
// JWT, or — when keystore is set — a base64 PKCS#12 keystore. A keystore
// that cannot be read returns its error with no material.
func Value(v string, keystore bool) ([]Material, error) {
	if len(v) > 1<<20 {
		return nil, nil
	}
	if bytes.Contains([]byte(v), pemCert) {
		ms := Certificates([]byte(v))
		for i := range ms {
			ms[i].Start, ms[i].End = 0, 0
		}
		return ms, nil
	}
	if m, ok := JWT(v); ok {
		return []Material{m}, nil
	}
	t := stripSpace(v)
	if len(t) < 64 || !isBase64(t) {
		return nil, nil
	}
	raw, err := base64.StdEncoding.DecodeString(t)
	if err != nil {
		return nil, nil
	}
	if bytes.Contains(raw, pemCert) {
		ms := Certificates(raw)
		for i := range ms {
			ms[i].Start, ms[i].End, ms[i].In = 0, 0, "base64 PEM"
		}
		return ms, nil
	}
	if keystore && len(raw) > 0 && raw[0] == 0x30 {
		return Keystore(raw)
	}
	return nil, nil
}

func isBase64(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=') {
			return false
		}
	}
	return true
}

// JWKSCertificates reads the x5c certificates of a JSON Web Key Set (the
// provider's signing keys, fetched with --online): each key's first x5c
// entry, described with its kid.
func JWKSCertificates(jwks []byte) ([]Material, error) {
	var set struct {
		Keys []struct {
			Kid string   `json:"kid"`
			X5c []string `json:"x5c"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(jwks, &set); err != nil {
		return nil, fmt.Errorf("not a JSON Web Key Set: %v", err)
	}
	var out []Material
	for _, k := range set.Keys {
		if len(k.X5c) == 0 {
			continue
		}
		der, err := base64.StdEncoding.DecodeString(k.X5c[0])
		if err != nil {
			return out, fmt.Errorf("key %q: x5c is not base64", k.Kid)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return out, fmt.Errorf("key %q: x5c: %v", k.Kid, err)
		}
		in := "x5c"
		if k.Kid != "" {
			in = fmt.Sprintf("x5c of key %q", k.Kid)
		}
		out = append(out, FromCertificate(c, in))
	}
	return out, nil
}

// PeerCertificates describes the certificates a TLS server presented (leaf
// first), as --online sees them: the first to expire decides.
func PeerCertificates(certs []*x509.Certificate) []Material {
	var out []Material
	for i, c := range certs {
		in := "TLS certificate"
		if i > 0 {
			in = "TLS chain certificate"
		}
		out = append(out, FromCertificate(c, in))
	}
	return out
}

// Earliest is the material that expires first (ok false for none).
func Earliest(ms []Material) (Material, bool) {
	if len(ms) == 0 {
		return Material{}, false
	}
	best := ms[0]
	for _, m := range ms[1:] {
		if m.NotAfter.Before(best.NotAfter) {
			best = m
		}
	}
	return best, true
}
