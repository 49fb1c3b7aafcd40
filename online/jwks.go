package online

import (
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// privateMembers are the JWK members that only a private or symmetric key
// has (RFC 7518 §6.2.2, §6.3.2, §6.4.1; OKP in RFC 8037).
var privateMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

// need is the key an algorithm verifies with.
type need struct {
	kty  string
	crvs []string // acceptable curves, nil for any
	desc string   // for messages: "an RSA key"
}

// algNeeds maps JWS algorithms to the public key that verifies them.
// HS* and none are absent: they need no published key.
var algNeeds = func() map[string]need {
	rsa := need{kty: "RSA", desc: "an RSA key"}
	m := map[string]need{
		"ES256":   {kty: "EC", crvs: []string{"P-256"}, desc: "an EC P-256 key"},
		"ES384":   {kty: "EC", crvs: []string{"P-384"}, desc: "an EC P-384 key"},
		"ES512":   {kty: "EC", crvs: []string{"P-521"}, desc: "an EC P-521 key"},
		"ES256K":  {kty: "EC", crvs: []string{"secp256k1"}, desc: "an EC secp256k1 key"},
		"EdDSA":   {kty: "OKP", crvs: []string{"Ed25519", "Ed448"}, desc: "an OKP Ed25519 or Ed448 key"},
		"Ed25519": {kty: "OKP", crvs: []string{"Ed25519"}, desc: "an OKP Ed25519 key"},
		"Ed448":   {kty: "OKP", crvs: []string{"Ed448"}, desc: "an OKP Ed448 key"},
	}
	for _, a := range []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"} {
		m[a] = rsa
	}
	return m
}()

// keyless reports whether alg is verified without a published key.
func keyless(alg string) bool {
	return alg == "none" || alg == "HS256" || alg == "HS384" || alg == "HS512"
}

// jwk is the part of one key the checks read.
type jwk struct {
	index   int
	kty     string
	kid     string
	crv     string
	use     string
	alg     string
	keyOps  []string
	hasOps  bool
	private []string
}

func (k jwk) name() string {
	if k.kid != "" {
		return fmt.Sprintf("keys[%d] (kid %q)", k.index, k.kid)
	}
	return fmt.Sprintf("keys[%d]", k.index)
}

// verifies reports whether k can verify signatures made with alg.
func (k jwk) verifies(alg string, n need) bool {
	if k.kty != n.kty || (k.use != "" && k.use != "sig") || (k.alg != "" && k.alg != alg) {
		return false
	}
	if k.hasOps && !contains(k.keyOps, "verify") {
		return false
	}
	return n.crvs == nil || contains(n.crvs, k.crv)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkJWKS returns what is wrong with a parsed key set, in messages that name
// it by where. algs are the metadata's id_token_signing_alg_values_supported
// (nil when unknown: no algorithm check then).
func checkJWKS(root *yaml.Node, where string, algs []string) []string {
	kk, keysNode := tree.Get(root, "keys")
	if root == nil || root.Kind != yaml.MappingNode || kk == nil || keysNode == nil || keysNode.Kind != yaml.SequenceNode {
		return []string{fmt.Sprintf("the JWKS at %s is not a JSON object with a \"keys\" array: Jenkins cannot verify any id token", where)}
	}
	var keys []jwk
	for i, it := range tree.Items(keysNode) {
		k := jwk{index: i}
		if it.Kind == yaml.MappingNode {
			k.kty = tree.StrOf(it, "kty").Value
			k.kid = tree.StrOf(it, "kid").Value
			k.crv = tree.StrOf(it, "crv").Value
			k.use = tree.StrOf(it, "use").Value
			k.alg = tree.StrOf(it, "alg").Value
			if ok, ops := tree.Get(it, "key_ops"); ok != nil {
				k.hasOps = true
				for _, o := range tree.Items(ops) {
					k.keyOps = append(k.keyOps, o.Value)
				}
			}
			for _, m := range privateMembers {
				if mk, _ := tree.Get(it, m); mk != nil {
					k.private = append(k.private, m)
				}
			}
		}
		keys = append(keys, k)
	}

	var out []string
	if len(keys) == 0 {
		allKeyless := len(algs) > 0
		for _, a := range algs {
			allKeyless = allKeyless && keyless(a)
		}
		if !allKeyless {
			out = append(out, fmt.Sprintf("the JWKS at %s publishes no keys (\"keys\" is empty): Jenkins cannot verify any id token", where))
		}
		return out
	}

	// Duplicate kids among keys of one kty (RFC 7517 §4.5 allows one kid for
	// equivalent keys of different types).
	type kidKey struct{ kty, kid string }
	first := map[kidKey]jwk{}
	for _, k := range keys {
		if k.kid == "" {
			continue
		}
		id := kidKey{k.kty, k.kid}
		if f, ok := first[id]; ok {
			out = append(out, fmt.Sprintf("keys[%d] and keys[%d] of the JWKS at %s share the kid %q: choosing the key by kid is ambiguous; give every key its own kid", f.index, k.index, where, k.kid))
			continue
		}
		first[id] = k
	}

	for _, k := range keys {
		if len(k.private) == 0 {
			continue
		}
		q := make([]string, len(k.private))
		for i, m := range k.private {
			q[i] = fmt.Sprintf("%q", m)
		}
		out = append(out, fmt.Sprintf("%s of the JWKS at %s publishes private key material (%s): anyone can sign tokens with it; remove it, rotate the signing key and revoke what it signed", k.name(), where, strings.Join(q, ", ")))
	}

	out = append(out, checkAlgs(keys, where, algs)...)
	return out
}

// checkAlgs reports a key set that cannot verify the provider's id tokens: no
// key for any advertised asymmetric algorithm, or none for RS256 when it is
// advertised (the algorithm a client gets unless it asks for another).
// Algorithms a provider merely can sign with are not reported one by one.
func checkAlgs(keys []jwk, where string, algs []string) []string {
	var asym []string
	usable := map[string]bool{}
	seen := map[string]bool{}
	for _, a := range algs {
		n, ok := algNeeds[a]
		if !ok || seen[a] {
			continue
		}
		seen[a] = true
		asym = append(asym, a)
		for _, k := range keys {
			if k.verifies(a, n) {
				usable[a] = true
				break
			}
		}
	}
	if len(asym) == 0 {
		return nil
	}
	if len(usable) == 0 {
		// Group the algorithms by the key they need, in advertised order.
		var descs []string
		byDesc := map[string][]string{}
		for _, a := range asym {
			d := algNeeds[a].desc
			if byDesc[d] == nil {
				descs = append(descs, d)
			}
			byDesc[d] = append(byDesc[d], a)
		}
		parts := make([]string, len(descs))
		for i, d := range descs {
			verb := "needs"
			if len(byDesc[d]) > 1 {
				verb = "need"
			}
			parts[i] = fmt.Sprintf("%s %s %s", strings.Join(byDesc[d], ", "), verb, d)
		}
		return []string{fmt.Sprintf("the JWKS at %s has no key for any signing algorithm the provider advertises in id_token_signing_alg_values_supported (%s): Jenkins cannot verify its id tokens", where, strings.Join(parts, "; "))}
	}
	if seen["RS256"] && !usable["RS256"] {
		var have []string
		for a := range usable {
			have = append(have, a)
		}
		sort.Strings(have)
		return []string{fmt.Sprintf("the JWKS at %s has no key for RS256 (it needs an RSA signing key), the default id-token algorithm the provider advertises; it only has keys for %s: Jenkins cannot verify RS256-signed id tokens", where, strings.Join(have, ", "))}
	}
	return nil
}
