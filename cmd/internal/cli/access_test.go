package cli

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/rogpeppe/go-internal/testscript"
)

// Each script gets its own signing key, generated at run time and kept for
// the script's lifetime (keyed by its work directory).
var (
	tokenKeysMu sync.Mutex
	tokenKeys   = map[string]*rsa.PrivateKey{}
)

func scriptKey(ts *testscript.TestScript) *rsa.PrivateKey {
	tokenKeysMu.Lock()
	defer tokenKeysMu.Unlock()
	work := ts.Getenv("WORK")
	if k := tokenKeys[work]; k != nil {
		return k
	}
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	ts.Check(err)
	tokenKeys[work] = k
	ts.Defer(func() {
		tokenKeysMu.Lock()
		delete(tokenKeys, work)
		tokenKeysMu.Unlock()
	})
	return k
}

// cmdToken makes ID tokens for the access scripts.
//
//	token jwks FILE                   write the public JSON Web Key Set of the script's key
//	token sign [-otherkey] CLAIMS OUT sign the claims of JSON file CLAIMS into a JWT in OUT
//
// In CLAIMS, the string values "now", "now+DURATION" and "now-DURATION" (Go
// durations: "now+1h", "now-90m") become Unix times. -otherkey signs with a
// fresh key that is not in the key set (a bad signature), under the same key
// ID.
func cmdToken(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("token does not support !")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: token jwks FILE | token sign [-otherkey] CLAIMS OUT")
	}
	switch args[0] {
	case "jwks":
		if len(args) != 2 {
			ts.Fatalf("usage: token jwks FILE")
		}
		set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &scriptKey(ts).PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}}
		data, err := json.MarshalIndent(set, "", "  ")
		ts.Check(err)
		ts.Check(os.WriteFile(ts.MkAbs(args[1]), append(data, '\n'), 0o644))
	case "sign":
		rest := args[1:]
		key := scriptKey(ts)
		if len(rest) > 0 && rest[0] == "-otherkey" {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			ts.Check(err)
			key, rest = k, rest[1:]
		}
		if len(rest) != 2 {
			ts.Fatalf("usage: token sign [-otherkey] CLAIMS OUT")
		}
		var claims map[string]any
		ts.Check(json.Unmarshal([]byte(ts.ReadFile(rest[0])), &claims))
		now := time.Now()
		for name, v := range claims {
			s, ok := v.(string)
			if !ok || !strings.HasPrefix(s, "now") {
				continue
			}
			var d time.Duration
			if s != "now" {
				var err error
				if d, err = time.ParseDuration(strings.TrimPrefix(s[3:], "+")); err != nil {
					ts.Fatalf("claim %s: %v", name, err)
				}
			}
			claims[name] = now.Add(d).Unix()
		}
		payload, err := json.Marshal(claims)
		ts.Check(err)
		signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
			(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
		ts.Check(err)
		obj, err := signer.Sign(payload)
		ts.Check(err)
		compact, err := obj.CompactSerialize()
		ts.Check(err)
		ts.Check(os.WriteFile(ts.MkAbs(rest[1]), []byte(compact+"\n"), 0o644))
	default:
		ts.Fatalf("token: unknown subcommand %q", args[0])
	}
}
