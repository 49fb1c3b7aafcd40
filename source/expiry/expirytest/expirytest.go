// Package expirytest makes the certificates and tokens that tests of expiry
// need, at dates the test chooses: no fixture holds a committed secret. A
// certificate's private key is thrown away; a token is signed with a key no
// one keeps (its signature is never checked by what reads its expiry).
package expirytest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"time"
)

// Cert is a generated certificate: its DER bytes, its PEM text and the key
// that signed it (for keystores; never written to a fixture).
type Cert struct {
	DER []byte
	PEM []byte
	Key *ecdsa.PrivateKey
	X   *x509.Certificate
}

// SelfSigned makes a self-signed certificate for cn, valid from notBefore to
// notAfter.
func SelfSigned(cn string, notBefore, notAfter time.Time) Cert {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(notAfter.Unix()),
		Subject:      pkix.Name{CommonName: cn, Organization: []string{"jenkins-oidc-lint tests"}},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	x, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	return Cert{DER: der, PEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), Key: key, X: x}
}

// Token makes a JWT with the given claims (exp as a Unix time) and a
// signature of random bytes.
func Token(claims map[string]any) string {
	head := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"ES256","typ":"JWT"}`))
	body, err := json.Marshal(claims)
	if err != nil {
		panic(err)
	}
	sig := make([]byte, 64)
	if _, err := rand.Read(sig); err != nil {
		panic(err)
	}
	return head + "." + base64.RawURLEncoding.EncodeToString(body) + "." + base64.RawURLEncoding.EncodeToString(sig)
}
