package expiry

import (
	"crypto/x509"
	"errors"

	"software.sslmate.com/src/go-pkcs12"
)

// decodePKCS12 reads the certificates of a keystore whose password is empty
// (software.sslmate.com/src/go-pkcs12: PBES2 with AES and the legacy RC2 and
// 3DES schemes that keytool and OpenSSL write). The private key is dropped at
// once. A keystore that an empty password does not open is
// ErrPasswordProtected.
func decodePKCS12(der []byte) ([]*x509.Certificate, error) {
	_, leaf, chain, err := pkcs12.DecodeChain(der, "")
	if err != nil {
		if errors.Is(err, pkcs12.ErrIncorrectPassword) {
			return nil, ErrPasswordProtected
		}
		// A keystore with certificates only (a trust store) has no key.
		certs, err2 := pkcs12.DecodeTrustStore(der, "")
		if err2 == nil {
			return certs, nil
		}
		if errors.Is(err2, pkcs12.ErrIncorrectPassword) {
			return nil, ErrPasswordProtected
		}
		return nil, err
	}
	return append([]*x509.Certificate{leaf}, chain...), nil
}
