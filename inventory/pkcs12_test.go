package inventory_test

import (
	"testing"
	"time"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/inventory/inventorytest"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry/expirytest"
)

// TestKeystoreExpiry: a certificate credential's keystore without a
// password gives its expiry; with one, a note.
func TestKeystoreExpiry(t *testing.T) {
	c := expirytest.SelfSigned("client.example.com", inventorytest.Now.Add(-400*24*time.Hour), inventorytest.Now.Add(5*24*time.Hour))
	_, inv := collect(t, expirytest.Keystore(c, "", false), expiry.Settings{})
	r := inv.Rows[12]
	if r.ID != "client-cert" || r.Expires == nil || r.Expires.From != "certificate" ||
		r.Expires.What != `certificate "CN=client.example.com" (PKCS#12 keystore) in keyStoreSource.uploaded.uploadedKeystore` {
		t.Errorf("client-cert: %+v %+v", r, r.Expires)
	}
	_, inv = collect(t, expirytest.Keystore(c, "pw", false), expiry.Settings{})
	if r := inv.Rows[12]; r.Expires != nil || len(r.Notes) != 1 || r.Notes[0] != "expiry of keyStoreSource.uploaded.uploadedKeystore: the keystore is password-protected" {
		t.Errorf("password-protected: %+v", r)
	}
}
