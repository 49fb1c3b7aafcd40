package online

import (
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/discovery"
)

const (
	rsaKey  = `{"kty": "RSA", "kid": "r1", "use": "sig", "alg": "RS256", "n": "AQAB", "e": "AQAB"}`
	rsaBare = `{"kty": "RSA", "n": "AQAB", "e": "AQAB"}`
	ecKey   = `{"kty": "EC", "kid": "e1", "crv": "P-256", "x": "AQAB", "y": "AQAB"}`
	okpKey  = `{"kty": "OKP", "kid": "o1", "crv": "Ed25519", "x": "AQAB"}`
)

var jwksCases = []struct {
	name string
	json string
	algs []string
	want []string // $U is the JWKS URL
}{
	{"good", `{"keys": [` + rsaKey + `]}`, []string{"RS256"}, nil},
	{"good without kid, use or alg", `{"keys": [` + rsaBare + `]}`, []string{"RS256", "PS256"}, nil},
	{"no algorithms known", `{"keys": [` + ecKey + `]}`, nil, nil},
	{"not an object", `[]`, nil, []string{`the JWKS at $U is not a JSON object with a "keys" array: Jenkins cannot verify any id token`}},
	{"no keys member", `{"key": []}`, nil, []string{`the JWKS at $U is not a JSON object with a "keys" array: Jenkins cannot verify any id token`}},
	{"keys not an array", `{"keys": {}}`, nil, []string{`the JWKS at $U is not a JSON object with a "keys" array: Jenkins cannot verify any id token`}},
	{"empty", `{"keys": []}`, nil, []string{`the JWKS at $U publishes no keys ("keys" is empty): Jenkins cannot verify any id token`}},
	{"empty, HMAC and none only", `{"keys": []}`, []string{"HS256", "HS512", "none"}, nil},
	{"empty, HMAC and RSA", `{"keys": []}`, []string{"HS256", "RS256"}, []string{`the JWKS at $U publishes no keys ("keys" is empty): Jenkins cannot verify any id token`}},
	{"duplicate kid", `{"keys": [` + rsaKey + `, ` + rsaBare[:1] + `"kid": "r1", ` + rsaBare[1:] + `, ` + rsaKey + `]}`, []string{"RS256"}, []string{
		`keys[0] and keys[1] of the JWKS at $U share the kid "r1": choosing the key by kid is ambiguous; give every key its own kid`,
		`keys[0] and keys[2] of the JWKS at $U share the kid "r1": choosing the key by kid is ambiguous; give every key its own kid`}},
	{"one kid for keys of different types", `{"keys": [` + rsaKey + `, {"kty": "EC", "kid": "r1", "crv": "P-256", "x": "A", "y": "A"}]}`, []string{"RS256", "ES256"}, nil},
	{"private RSA members", `{"keys": [{"kty": "RSA", "n": "A", "e": "A", "d": "A", "p": "A", "q": "A", "dp": "A", "dq": "A", "qi": "A", "oth": []}]}`, []string{"RS256"}, []string{
		`keys[0] of the JWKS at $U publishes private key material ("d", "p", "q", "dp", "dq", "qi", "oth"): anyone can sign tokens with it; remove it, rotate the signing key and revoke what it signed`}},
	{"private EC key", `{"keys": [` + rsaKey + `, {"kty": "EC", "kid": "e1", "crv": "P-256", "x": "A", "y": "A", "d": "A"}]}`, []string{"RS256"}, []string{
		`keys[1] (kid "e1") of the JWKS at $U publishes private key material ("d"): anyone can sign tokens with it; remove it, rotate the signing key and revoke what it signed`}},
	{"symmetric key", `{"keys": [` + rsaKey + `, {"kty": "oct", "kid": "h1", "k": "c2VjcmV0"}]}`, []string{"RS256", "HS256"}, []string{
		`keys[1] (kid "h1") of the JWKS at $U publishes private key material ("k"): anyone can sign tokens with it; remove it, rotate the signing key and revoke what it signed`}},
	{"only an encryption key", `{"keys": [{"kty": "RSA", "use": "enc", "n": "A", "e": "A"}]}`, []string{"RS256"}, []string{
		`the JWKS at $U has no key for any signing algorithm the provider advertises in id_token_signing_alg_values_supported (RS256 needs an RSA key): Jenkins cannot verify its id tokens`}},
	{"key_ops without verify", `{"keys": [{"kty": "RSA", "key_ops": ["encrypt"], "n": "A", "e": "A"}]}`, []string{"RS256"}, []string{
		`the JWKS at $U has no key for any signing algorithm the provider advertises in id_token_signing_alg_values_supported (RS256 needs an RSA key): Jenkins cannot verify its id tokens`}},
	{"key_ops with verify", `{"keys": [{"kty": "RSA", "key_ops": ["verify"], "n": "A", "e": "A"}]}`, []string{"RS256"}, nil},
	{"RSA key for another algorithm", `{"keys": [{"kty": "RSA", "alg": "RS512", "n": "A", "e": "A"}]}`, []string{"RS256"}, []string{
		`the JWKS at $U has no key for any signing algorithm the provider advertises in id_token_signing_alg_values_supported (RS256 needs an RSA key): Jenkins cannot verify its id tokens`}},
	{"wrong curve", `{"keys": [` + ecKey + `]}`, []string{"ES384"}, []string{
		`the JWKS at $U has no key for any signing algorithm the provider advertises in id_token_signing_alg_values_supported (ES384 needs an EC P-384 key): Jenkins cannot verify its id tokens`}},
	{"grouped by key", `{"keys": [` + okpKey + `]}`, []string{"RS256", "PS256", "ES256", "ES512", "HS256"}, []string{
		`the JWKS at $U has no key for any signing algorithm the provider advertises in id_token_signing_alg_values_supported (RS256, PS256 need an RSA key; ES256 needs an EC P-256 key; ES512 needs an EC P-521 key): Jenkins cannot verify its id tokens`}},
	{"EdDSA", `{"keys": [` + okpKey + `]}`, []string{"EdDSA"}, nil},
	{"RS256 missing, others usable", `{"keys": [` + ecKey + `, ` + okpKey + `]}`, []string{"RS256", "ES256", "EdDSA"}, []string{
		`the JWKS at $U has no key for RS256 (it needs an RSA signing key), the default id-token algorithm the provider advertises; it only has keys for ES256, EdDSA: Jenkins cannot verify RS256-signed id tokens`}},
	{"advertises more than it publishes", `{"keys": [` + rsaKey + `]}`, []string{"RS256", "ES256", "EdDSA", "PS512"}, nil},
	{"unknown algorithms only", `{"keys": [` + ecKey + `]}`, []string{"XYZ", "HS256"}, nil},
	{"keys that are not objects", `{"keys": [1, "x", null]}`, []string{"RS256"}, []string{
		`the JWKS at $U has no key for any signing algorithm the provider advertises in id_token_signing_alg_values_supported (RS256 needs an RSA key): Jenkins cannot verify its id tokens`}},
}

func TestCheckJWKS(t *testing.T) {
	const u = "https://sso.example.com/jwks"
	for _, tc := range jwksCases {
		t.Run(tc.name, func(t *testing.T) {
			root, ferr := discovery.ParseJSON(source.NewFile(u, []byte(tc.json)))
			if ferr != nil {
				t.Fatal(ferr)
			}
			got := checkJWKS(root, u, tc.algs)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d problems, want %d:\n%s", len(got), len(tc.want), strings.Join(got, "\n"))
			}
			for i := range got {
				if want := strings.ReplaceAll(tc.want[i], "$U", u); got[i] != want {
					t.Errorf("problem %d:\n got %s\nwant %s", i, got[i], want)
				}
			}
		})
	}
}

// FuzzCheckJWKS: whatever a server sends, the checks do not panic and say
// something about a set that has no usable shape.
func FuzzCheckJWKS(f *testing.F) {
	for _, tc := range jwksCases {
		f.Add([]byte(tc.json), strings.Join(tc.algs, " "))
	}
	f.Fuzz(func(t *testing.T, data []byte, algs string) {
		root, ferr := discovery.ParseJSON(source.NewFile("u", data))
		if ferr != nil {
			return
		}
		got := checkJWKS(root, "u", strings.Fields(algs))
		for _, m := range got {
			if m == "" {
				t.Fatal("empty message")
			}
		}
	})
}
