package expirytest

import (
	"software.sslmate.com/src/go-pkcs12"
)

// Keystore packs c and its key into a PKCS#12 keystore as Jenkins'
// certificate credential uploads it, with password ("" for none), by the
// modern scheme (PBES2, AES) or, when legacy is set, OpenSSL 1.x's RC2 one.
func Keystore(c Cert, password string, legacy bool) []byte {
	enc := pkcs12.Modern
	if legacy {
		enc = pkcs12.LegacyRC2
	}
	der, err := enc.Encode(c.Key, c.X, nil, password)
	if err != nil {
		panic(err)
	}
	return der
}

// Passwordless packs c and its key without any encryption
// (openssl pkcs12 -export -keypbe NONE -certpbe NONE -nomac).
func Passwordless(c Cert) []byte {
	der, err := pkcs12.Passwordless.Encode(c.Key, c.X, nil, "")
	if err != nil {
		panic(err)
	}
	return der
}
