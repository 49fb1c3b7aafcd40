package access

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

var (
	keyOnce        sync.Once
	testKey, other *rsa.PrivateKey
)

// keys returns two RSA keys generated once per test binary.
func keys(t *testing.T) (*rsa.PrivateKey, *rsa.PrivateKey) {
	t.Helper()
	keyOnce.Do(func() {
		var err error
		if testKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if other, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return testKey, other
}

func sign(t *testing.T, alg jose.SignatureAlgorithm, key any, claims map[string]any) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
	if err != nil {
		t.Fatal(err)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	s, err := obj.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var fixedNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func baseClaims() map[string]any {
	return map[string]any{
		"iss": "https://idp.example.com/realms/ci", "aud": "jenkins", "sub": "alice",
		"iat": fixedNow.Add(-time.Minute).Unix(), "exp": fixedNow.Add(time.Hour).Unix(),
	}
}

func expect() Expectations {
	return Expectations{Issuer: "https://idp.example.com/realms/ci", ClientID: "jenkins", ClockSkew: 60 * time.Second,
		Now: func() time.Time { return fixedNow }, KeysFrom: `"jwks.json"`}
}

func checkLines(cs []Check) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Check+" "+c.Status+": "+c.Message)
	}
	return out
}

func TestVerify(t *testing.T) {
	key, otherKey := keys(t)
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pubs := []crypto.PublicKey{&key.PublicKey, &ec.PublicKey}
	with := func(mod func(map[string]any)) map[string]any {
		c := baseClaims()
		mod(c)
		return c
	}
	ok := func(check, msg string) string { return check + " ok: " + msg }
	okSig := ok("signature", `verified with a key of "jwks.json"`)
	okIss := ok("issuer", `"https://idp.example.com/realms/ci" is the realm's issuer`)
	okAud := ok("audience", `includes the realm's client ID "jenkins"`)
	okExp := ok("expiry", "valid until 2025-06-01T13:00:00Z")
	tests := []struct {
		name  string
		token string
		exp   *Expectations
		want  []string
	}{
		{"good", sign(t, jose.RS256, key, baseClaims()), nil, []string{okSig, okIss, okAud, okExp}},
		{"good ES256", sign(t, jose.ES256, ec, baseClaims()), nil, []string{okSig, okIss, okAud, okExp}},
		{"audience list", sign(t, jose.RS256, key, with(func(c map[string]any) { c["aud"] = []string{"account", "jenkins"} })), nil,
			[]string{okSig, okIss, okAud, okExp}},
		{"wrong audience", sign(t, jose.RS256, key, with(func(c map[string]any) { c["aud"] = []string{"account", "grafana"} })), nil,
			[]string{okSig, okIss, `audience failed: the token is for audience "account", "grafana", not for the realm's client ID "jenkins"`, okExp}},
		{"no audience", sign(t, jose.RS256, key, with(func(c map[string]any) { delete(c, "aud") })), nil,
			[]string{okSig, okIss, `audience failed: the token is for no audience (the aud claim is absent), not for the realm's client ID "jenkins"`, okExp}},
		{"wrong issuer", sign(t, jose.RS256, key, with(func(c map[string]any) { c["iss"] = "https://idp.example.com/realms/CI" })), nil,
			[]string{okSig, `issuer failed: the token was issued by "https://idp.example.com/realms/CI", not by the realm's issuer "https://idp.example.com/realms/ci"`, okAud, okExp}},
		{"expired", sign(t, jose.RS256, key, with(func(c map[string]any) { c["exp"] = fixedNow.Add(-2 * time.Minute).Unix() })), nil,
			[]string{okSig, okIss, okAud, "expiry failed: the token expired at 2025-06-01T11:58:00Z (allowing 60s of clock skew)"}},
		{"expired within the clock skew", sign(t, jose.RS256, key, with(func(c map[string]any) { c["exp"] = fixedNow.Add(-30 * time.Second).Unix() })), nil,
			[]string{okSig, okIss, okAud, "expiry ok: valid until 2025-06-01T11:59:30Z"}},
		{"no exp", sign(t, jose.RS256, key, with(func(c map[string]any) { delete(c, "exp") })), nil,
			[]string{okSig, okIss, okAud, "expiry failed: the token has no exp claim"}},
		{"not yet valid", sign(t, jose.RS256, key, with(func(c map[string]any) { c["nbf"] = fixedNow.Add(time.Hour).Unix() })), nil,
			[]string{okSig, okIss, okAud, "expiry failed: the token is not valid before 2025-06-01T13:00:00Z"}},
		{"bad signature", sign(t, jose.RS256, otherKey, baseClaims()), nil,
			[]string{`signature failed: no key of "jwks.json" verifies the RS256 signature (wrong key set, rotated key, or a tampered token)`, okIss, okAud, okExp}},
		{"wrong issuer and expired", sign(t, jose.RS256, key, with(func(c map[string]any) {
			c["iss"] = "https://evil.example.com"
			c["exp"] = fixedNow.Add(-time.Hour).Unix()
		})), nil, []string{okSig,
			`issuer failed: the token was issued by "https://evil.example.com", not by the realm's issuer "https://idp.example.com/realms/ci"`,
			okAud, "expiry failed: the token expired at 2025-06-01T11:00:00Z (allowing 60s of clock skew)"}},
		{"HMAC-signed", sign(t, jose.HS256, []byte("0123456789abcdef0123456789abcdef"), baseClaims()), nil,
			[]string{`signature failed: algorithm "HS256" cannot be verified with a public key set (the provider should sign ID tokens with RS256 or another asymmetric algorithm)`, okIss, okAud, okExp}},
		{"issuer and client ID unknown", sign(t, jose.RS256, key, baseClaims()),
			&Expectations{ClockSkew: time.Minute, Now: func() time.Time { return fixedNow }, KeysFrom: `"jwks.json"`, WhyNoIssuer: "not checked: x", WhyNoClientID: "not checked: y"},
			[]string{okSig, "issuer skipped: not checked: x", "audience skipped: not checked: y", okExp}},
	}
	for _, tt := range tests {
		tok, err := ParseToken([]byte(tt.token + "\n"))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		e := expect()
		if tt.exp != nil {
			e = *tt.exp
		}
		got := checkLines(tok.Verify(context.Background(), pubs, e))
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%s:\n got  %s\n want %s", tt.name, strings.Join(got, "\n      "), strings.Join(tt.want, "\n      "))
		}
		sigPart := tt.token[strings.LastIndex(tt.token, ".")+1:]
		for _, l := range got {
			if strings.Contains(l, tt.token) || strings.Contains(l, sigPart) {
				t.Errorf("%s: a check message quotes the token: %s", tt.name, l)
			}
		}
	}
}

func TestVerifyUnparsable(t *testing.T) {
	key, _ := keys(t)
	good := sign(t, jose.RS256, key, baseClaims())
	parts := strings.Split(good, ".")
	tok, err := ParseToken([]byte(parts[0] + "." + parts[1] + ".!!!"))
	if err != nil {
		t.Fatal(err)
	}
	got := checkLines(tok.Verify(context.Background(), []crypto.PublicKey{&key.PublicKey}, expect()))
	if len(got) != 4 || !strings.HasPrefix(got[0], "signature failed: the token cannot be parsed as a signed JWT: ") ||
		got[1] != "issuer skipped: not checked: the token could not be parsed" {
		t.Errorf("got %q", got)
	}
}

func TestParseToken(t *testing.T) {
	key, _ := keys(t)
	good := sign(t, jose.RS256, key, baseClaims())
	hdr := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256"}`))
	tests := []struct {
		name, in, err string
	}{
		{"compact", good, ""},
		{"bearer", "Bearer " + good, ""},
		{"token response", `{"access_token": "x", "id_token": "` + good + `"}`, ""},
		{"JSON without id_token", `{"sub": "alice"}`, "the file is JSON but holds no id_token member (for a claims object use --claims)"},
		{"JWE", "a.b.c.d.e", "the token is encrypted (JWE, five parts): only the provider's private key can decode it"},
		{"two parts", "abc.def", "not a JWT: a signed token has three dot-separated parts, this has 2"},
		{"bad header", "***." + hdr + ".x", "not a JWT: the header is not base64url"},
		{"header not JSON", base64.RawURLEncoding.EncodeToString([]byte("nope")) + "." + hdr + ".x", "not a JWT: the header is not a JSON object"},
		{"payload not JSON", hdr + "." + base64.RawURLEncoding.EncodeToString([]byte("[1,2]")) + ".x", "not a JWT: the payload is a JSON list, not an object of claims"},
	}
	for _, tt := range tests {
		tok, err := ParseToken([]byte(tt.in))
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.err != "" && (err == nil || err.Error() != tt.err):
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.err)
		case tt.err == "":
			if tok.Algorithm != "RS256" || tok.KeyID != "k1" || tok.Type != "JWT" || tok.Claims.Values["sub"] != "alice" {
				t.Errorf("%s: decoded %+v", tt.name, tok)
			}
		}
		if err != nil && strings.Contains(err.Error(), good) {
			t.Errorf("%s: error quotes the token", tt.name)
		}
	}
}

func TestParseJWKS(t *testing.T) {
	key, _ := keys(t)
	pub, _ := json.Marshal(jose.JSONWebKey{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"})
	priv, _ := json.Marshal(jose.JSONWebKey{Key: key, KeyID: "k1", Algorithm: "RS256", Use: "sig"})
	oct, _ := json.Marshal(jose.JSONWebKey{Key: []byte("0123456789abcdef"), KeyID: "h", Algorithm: "HS256"})
	tests := []struct {
		name, in string
		n        int
		err      string
	}{
		{"set", `{"keys": [` + string(pub) + `]}`, 1, ""},
		{"one key", string(pub), 1, ""},
		{"private key yields its public half", `{"keys": [` + string(priv) + `]}`, 1, ""},
		{"symmetric keys are skipped", `{"keys": [` + string(oct) + `, ` + string(pub) + `]}`, 1, ""},
		{"only symmetric", `{"keys": [` + string(oct) + `]}`, 0, "the key set holds no public keys (RSA, EC or OKP)"},
		{"empty", `{"keys": []}`, 0, "the key set holds no public keys (RSA, EC or OKP)"},
		{"not JSON", `nope`, 0, "not a JSON Web Key Set: invalid character 'o' in literal null (expecting 'u')"},
	}
	for _, tt := range tests {
		got, err := ParseJWKS([]byte(tt.in))
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%s: error %v, want %q", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil || len(got) != tt.n {
			t.Errorf("%s: %d keys, %v", tt.name, len(got), err)
			continue
		}
		if _, ok := got[0].(*rsa.PublicKey); !ok {
			t.Errorf("%s: key is %T", tt.name, got[0])
		}
	}
}

func TestDecodeClaims(t *testing.T) {
	for in, want := range map[string]string{
		`{"a": 1}`:          "",
		`[1]`:               "is a JSON list, not an object of claims",
		`"x"`:               "is a JSON string, not an object of claims",
		`{"a": 1} {"b": 2}`: "holds more than one JSON value",
		`{"a":`:             "is not valid JSON: unexpected EOF",
	} {
		_, err := DecodeClaims([]byte(in))
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("DecodeClaims(%s) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParseToken(f *testing.F) {
	f.Add("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln")
	f.Add(`{"id_token": "a.b.c"}`)
	f.Add("Bearer a.b.c")
	f.Add("a.b.c.d.e")
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := ParseToken([]byte(s))
		if err != nil {
			if len(s) > 20 && strings.Contains(err.Error(), s) {
				t.Fatalf("error quotes the input: %v", err)
			}
			return
		}
		_ = tok.Verify(context.Background(), nil, Expectations{Issuer: "https://x", ClientID: "c"})
	})
}
