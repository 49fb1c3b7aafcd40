package access

import (
	"bytes"
	"context"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
)

// Token is a decoded (not yet verified) JWT: its header and its claims. The
// compact form stays inside the package and is never printed.
type Token struct {
	Algorithm string
	KeyID     string
	Type      string
	Claims    *Claims
	raw       string
}

// ParseToken decodes a JWT without verifying it. data is the compact token,
// optionally prefixed with "Bearer ", or a token endpoint response (JSON with
// an id_token member). Errors never quote the token.
func ParseToken(data []byte) (*Token, error) {
	s := strings.TrimSpace(string(data))
	if strings.HasPrefix(s, "{") {
		var resp struct {
			IDToken string `json:"id_token"`
		}
		if err := json.Unmarshal([]byte(s), &resp); err != nil || resp.IDToken == "" {
			return nil, errors.New("the file is JSON but holds no id_token member (for a claims object use --claims)")
		}
		s = resp.IDToken
	}
	if len(s) > 7 && strings.EqualFold(s[:7], "bearer ") {
		s = strings.TrimSpace(s[7:])
	}
	parts := strings.Split(s, ".")
	switch len(parts) {
	case 3:
	case 5:
		return nil, errors.New("the token is encrypted (JWE, five parts): only the provider's private key can decode it")
	default:
		return nil, fmt.Errorf("not a JWT: a signed token has three dot-separated parts, this has %d", len(parts))
	}
	hb, err := b64(parts[0])
	if err != nil {
		return nil, errors.New("not a JWT: the header is not base64url")
	}
	var hdr struct {
		Alg string `json:"alg"`
		Kid string `json:"kid"`
		Typ string `json:"typ"`
	}
	if err := json.Unmarshal(hb, &hdr); err != nil {
		return nil, errors.New("not a JWT: the header is not a JSON object")
	}
	pb, err := b64(parts[1])
	if err != nil {
		return nil, errors.New("not a JWT: the payload is not base64url")
	}
	claims, err := DecodeClaims(pb)
	if err != nil {
		return nil, fmt.Errorf("not a JWT: the payload %v", err)
	}
	return &Token{Algorithm: hdr.Alg, KeyID: hdr.Kid, Type: hdr.Typ, Claims: claims, raw: s}, nil
}

func b64(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

// Claims is a JSON object of claims: Values to read and print (numbers as
// written), and the same object as the claim fields' JMESPath evaluates it,
// with every object's keys in document order.
type Claims struct {
	Values map[string]any
	doc    *document
}

// values returns the claims' values; none for nil.
func (c *Claims) values() map[string]any {
	if c == nil {
		return nil
	}
	return c.Values
}

// DecodeClaims reads a JSON object of claims, keeping numbers as written and
// the order of every object's keys.
func DecodeClaims(data []byte) (*Claims, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("is not valid JSON: %v", err)
	}
	if dec.More() {
		return nil, errors.New("holds more than one JSON value")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("is a JSON %s, not an object of claims", typeName(v))
	}
	doc, err := decodeDocument(data)
	if err != nil {
		return nil, fmt.Errorf("is not valid JSON: %v", err)
	}
	return &Claims{Values: m, doc: doc}, nil
}

// ParseJWKS reads a JSON Web Key Set (or one JWK) and returns its public
// keys. Symmetric keys are skipped: they cannot verify a provider's
// signature here.
func ParseJWKS(data []byte) ([]crypto.PublicKey, error) {
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(data, &set); err != nil {
		return nil, fmt.Errorf("not a JSON Web Key Set: %v", err)
	}
	if len(set.Keys) == 0 {
		var one jose.JSONWebKey
		if err := json.Unmarshal(data, &one); err == nil && one.Key != nil {
			set.Keys = []jose.JSONWebKey{one}
		}
	}
	var out []crypto.PublicKey
	for _, k := range set.Keys {
		if k.IsPublic() {
			out = append(out, k.Key)
		} else if pub := k.Public(); pub.Key != nil {
			out = append(out, pub.Key)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("the key set holds no public keys (RSA, EC or OKP)")
	}
	return out, nil
}

// Check is one token verification and its outcome.
type Check struct {
	Check   string `json:"check"`  // signature | issuer | audience | expiry
	Status  string `json:"status"` // ok | failed | skipped
	Message string `json:"message"`
}

// Check statuses.
const (
	StatusOK      = "ok"
	StatusFailed  = "failed"
	StatusSkipped = "skipped"
)

// Expectations are what the realm requires of a token.
type Expectations struct {
	Issuer    string // "" skips the issuer check
	ClientID  string // "" skips the audience check
	ClockSkew time.Duration
	Now       func() time.Time
	KeysFrom  string // where the keys came from, for messages
	// Why explains a skipped issuer or audience check.
	WhyNoIssuer, WhyNoClientID string
}

// asymmetric lists the signature algorithms a public key set can verify.
var asymmetric = []string{
	oidc.RS256, oidc.RS384, oidc.RS512, oidc.ES256, oidc.ES384, oidc.ES512,
	oidc.PS256, oidc.PS384, oidc.PS512, oidc.EdDSA,
}

var allAlgorithms = []jose.SignatureAlgorithm{
	jose.RS256, jose.RS384, jose.RS512, jose.ES256, jose.ES384, jose.ES512, jose.PS256, jose.PS384, jose.PS512,
	jose.EdDSA, jose.HS256, jose.HS384, jose.HS512,
}

// Verify runs go-oidc's ID token checks one at a time, each with the others
// switched off, so that every failure is reported on its own.
func (t *Token) Verify(ctx context.Context, keys []crypto.PublicKey, e Expectations) []Check {
	now := e.Now
	if now == nil {
		now = time.Now
	}
	ks := &oidc.StaticKeySet{PublicKeys: keys}
	verify := func(issuer string, cfg oidc.Config) error {
		cfg.SupportedSigningAlgs = asymmetric
		if cfg.InsecureSkipSignatureCheck && t.Algorithm != "" && !contains(asymmetric, t.Algorithm) {
			// Let the claim checks run on tokens the key set cannot verify.
			cfg.SupportedSigningAlgs = append(append([]string(nil), asymmetric...), t.Algorithm)
		}
		_, err := oidc.NewVerifier(issuer, ks, &cfg).Verify(ctx, t.raw)
		return err
	}
	var out []Check
	if _, err := jose.ParseSignedCompact(t.raw, allAlgorithms); err != nil {
		skipped := "not checked: the token could not be parsed"
		return []Check{
			{Check: "signature", Status: StatusFailed, Message: "the token cannot be parsed as a signed JWT: " + err.Error()},
			{Check: "issuer", Status: StatusSkipped, Message: skipped},
			{Check: "audience", Status: StatusSkipped, Message: skipped},
			{Check: "expiry", Status: StatusSkipped, Message: skipped},
		}
	}

	sig := Check{Check: "signature", Status: StatusOK, Message: fmt.Sprintf("verified with a key of %s", e.KeysFrom)}
	if err := verify("", oidc.Config{SkipClientIDCheck: true, SkipExpiryCheck: true, SkipIssuerCheck: true}); err != nil {
		sig.Status = StatusFailed
		switch {
		case !contains(asymmetric, t.Algorithm):
			sig.Message = fmt.Sprintf("algorithm %q cannot be verified with a public key set (the provider should sign ID tokens with RS256 or another asymmetric algorithm)", t.Algorithm)
		default:
			sig.Message = fmt.Sprintf("no key of %s verifies the %s signature (wrong key set, rotated key, or a tampered token)", e.KeysFrom, t.Algorithm)
		}
	}
	out = append(out, sig)

	iss := Check{Check: "issuer", Status: StatusSkipped, Message: e.WhyNoIssuer}
	if e.Issuer != "" {
		iss.Status, iss.Message = StatusOK, fmt.Sprintf("%q is the realm's issuer", e.Issuer)
		if err := verify(e.Issuer, oidc.Config{SkipClientIDCheck: true, SkipExpiryCheck: true, InsecureSkipSignatureCheck: true}); err != nil {
			iss.Status = StatusFailed
			got, _ := t.Claims.Values["iss"].(string)
			if _, has := t.Claims.Values["iss"]; !has {
				iss.Message = fmt.Sprintf("the token has no iss claim; the realm expects %q", e.Issuer)
			} else {
				iss.Message = fmt.Sprintf("the token was issued by %q, not by the realm's issuer %q", got, e.Issuer)
			}
		}
	}
	out = append(out, iss)

	aud := Check{Check: "audience", Status: StatusSkipped, Message: e.WhyNoClientID}
	if e.ClientID != "" {
		aud.Status, aud.Message = StatusOK, fmt.Sprintf("includes the realm's client ID %q", e.ClientID)
		if err := verify("", oidc.Config{ClientID: e.ClientID, SkipIssuerCheck: true, SkipExpiryCheck: true, InsecureSkipSignatureCheck: true}); err != nil {
			aud.Status = StatusFailed
			aud.Message = fmt.Sprintf("the token is for %s, not for the realm's client ID %q", audienceText(t.Claims.Values["aud"]), e.ClientID)
		}
	}
	out = append(out, aud)

	exp := Check{Check: "expiry", Status: StatusOK}
	at := now()
	skewed := func() time.Time { return at.Add(-e.ClockSkew) }
	err := verify("", oidc.Config{SkipClientIDCheck: true, SkipIssuerCheck: true, InsecureSkipSignatureCheck: true, Now: skewed})
	var expired *oidc.TokenExpiredError
	switch {
	case err == nil:
		exp.Message = "not expired"
		if ts, ok := unixClaim(t.Claims.Values["exp"]); ok {
			exp.Message = "valid until " + ts.UTC().Format(time.RFC3339)
		}
	case errors.As(err, &expired):
		exp.Status = StatusFailed
		if _, has := t.Claims.Values["exp"]; !has {
			exp.Message = "the token has no exp claim"
		} else {
			exp.Message = fmt.Sprintf("the token expired at %s (allowing %ds of clock skew)", expired.Expiry.UTC().Format(time.RFC3339), int64(e.ClockSkew/time.Second))
		}
	default:
		exp.Status = StatusFailed
		exp.Message = "the token is not valid yet"
		if ts, ok := unixClaim(t.Claims.Values["nbf"]); ok {
			exp.Message = "the token is not valid before " + ts.UTC().Format(time.RFC3339)
		}
	}
	return append(out, exp)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func audienceText(v any) string {
	switch x := v.(type) {
	case nil:
		return "no audience (the aud claim is absent)"
	case string:
		return fmt.Sprintf("audience %q", x)
	case []any:
		var parts []string
		for _, e := range x {
			parts = append(parts, fmt.Sprintf("%q", fmt.Sprint(e)))
		}
		sort.Strings(parts)
		return "audience " + strings.Join(parts, ", ")
	}
	return fmt.Sprintf("audience %v", v)
}

func unixClaim(v any) (time.Time, bool) {
	switch x := v.(type) {
	case json.Number:
		if f, err := x.Float64(); err == nil {
			return time.Unix(int64(f), 0), true
		}
	case float64:
		return time.Unix(int64(x), 0), true
	}
	return time.Time{}, false
}
