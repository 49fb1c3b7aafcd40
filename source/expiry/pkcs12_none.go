//go:build !pkcs12

package expiry

import "crypto/x509"

// decodePKCS12 is not available in this build: reading keystores needs
// software.sslmate.com/src/go-pkcs12 in go.mod (build with -tags pkcs12
// until it is; see pkcs12.go).
func decodePKCS12([]byte) ([]*x509.Certificate, error) { return nil, ErrNoPKCS12 }
