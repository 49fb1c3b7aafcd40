package expiry_test

import (
	"encoding/base64"
	"errors"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry/expirytest"
)

func TestKeystore(t *testing.T) {
	c := expirytest.SelfSigned("client.example.com", day("2025-07-01"), day("2026-07-10"))
	for name, der := range map[string][]byte{
		"modern":       expirytest.Keystore(c, "", false),
		"legacy RC2":   expirytest.Keystore(c, "", true),
		"passwordless": expirytest.Passwordless(c),
	} {
		ms, err := expiry.Value(base64.StdEncoding.EncodeToString(der), true)
		if err != nil || len(ms) != 1 || !ms[0].NotAfter.Equal(day("2026-07-10")) ||
			ms[0].Describe() != `certificate "CN=client.example.com" (PKCS#12 keystore)` {
			t.Errorf("%s: %+v, %v", name, ms, err)
		}
		if ms, _ := expiry.Value(base64.StdEncoding.EncodeToString(der), false); len(ms) != 0 {
			t.Errorf("%s: read as a keystore where none is expected", name)
		}
	}
	for name, der := range map[string][]byte{
		"modern":     expirytest.Keystore(c, "s3cret-pw", false),
		"legacy RC2": expirytest.Keystore(c, "s3cret-pw", true),
	} {
		if _, err := expiry.Keystore(der); !errors.Is(err, expiry.ErrPasswordProtected) {
			t.Errorf("%s with a password: %v, want ErrPasswordProtected", name, err)
		}
	}
}
