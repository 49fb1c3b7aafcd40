// Package online is the network side of --online: for each oic realm it
// fetches the provider's discovery document and the JSON Web Key Set the
// realm verifies id tokens with, and returns the documents (as
// discovery.Metadata, so every metadata rule runs on them as if they were on
// disk) together with the findings only a fetch can produce:
// provider-unreachable and jwks-invalid.
//
// Nothing here runs unless the user asks for --online. Each URL is fetched
// at most once per run, a few at a time, and never over an unverified
// connection:
//
//   - https only (TLS 1.2 or later, the system roots or Options.RootCAs,
//     no way to turn verification off); plain http:// is fetched from
//     loopback hosts (a local test provider) and refused elsewhere, with a
//     provider-unreachable finding that says why;
//   - redirects are followed to https:// URLs only, at most five;
//   - a connect timeout, a total timeout per request and a response size
//     limit (applied after decompression);
//   - the proxy comes from the environment (HTTPS_PROXY, NO_PROXY).
//
// The discovery document is fetched through go-oidc's oidc.NewProvider (with
// this package's client in the context), so a document go-oidc would refuse
// for an issuer mismatch is still returned: the issuer-mismatch rule compares
// it with the realm, with positions.
//
// Which URLs a realm names:
//   - discovery: the well-known URL (wellKnown mode), or the manual issuer,
//     less a trailing slash, plus /.well-known/openid-configuration;
//   - JWKS: the realm's jwksServerUrl in manual mode, else the fetched
//     metadata's jwks_uri.
//
// A URL written as a ${VAR} variable is not fetched. Findings point at the
// realm's URL node (well-known URL or issuer; jwksServerUrl for a manual
// JWKS); a JWKS named by the metadata is related to the metadata's jwks_uri.
//
// jwks-invalid reports a key set that is empty (unless every advertised
// algorithm is HS* or none), two keys of one kty sharing a kid, published
// private key members (d, p, q, dp, dq, qi, oth, k), and a set that cannot
// verify the provider's id tokens: no key for any advertised asymmetric
// algorithm, or none for RS256 when the provider advertises it (the default
// every client gets). A provider that merely advertises more algorithms than
// it publishes keys for (Keycloak lists ES*, PS* and EdDSA with only an RSA
// key) is not reported: it signs with the algorithm a client asks for.
package online
