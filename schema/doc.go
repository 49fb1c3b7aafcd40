// Package schema validates documents against the CUE schemas of this
// directory, compiled to Go at build time, and reports every violation at
// the YAML/JSON position of the offending node. It does not import CUE:
// schema/cuecheck is CUE's own check, for users' policies.
//
// # What lives in CUE
//
// The schemas are plain CUE files, the source of truth:
//
//   - realm.cue: #OicRealm, the value of jenkins.securityRealm.oic in JCasC,
//     the union of every key the oic-auth plugin has accepted in its three
//     layouts (flat ≤ 4.34x, serverConfiguration 4.350+, properties 4.600+).
//     Each era-bound key carries its dates and what to do instead as field
//     attributes (@era(since=…, until=…, deprecated=…, flat), @hint(…)), so
//     the era facts are data in one place, next to the type of the key.
//   - discovery.cue: #ProviderMetadata, OpenID Connect Discovery 1.0 §3
//     provider metadata (open: providers add fields of their own).
//   - credentials.cue: #Credential, one item of a JCasC credentials list:
//     the kinds of the credentials, plain-credentials, ssh-credentials and
//     oidc-provider plugins, closed; other plugins' kinds left open.
//   - authorization.cue: #RoleBased (role-strategy) and #Matrix (matrix-auth
//     globalMatrix and projectMatrix); permission names are checked in Go.
//   - settings.cue: #Settings, the settings file (.jenkins-oidc-lint.yaml):
//     CheckSettings.
//   - common.cue: the scalar vocabulary (#text, #bool, #seconds, #var …).
//     Every JCasC scalar type also accepts a string containing "${": a JCasC
//     variable is not a value to judge.
//
// CUE says what is valid: types, enums, bounds, required (!) and optional
// (?) fields, closed definitions (unknown keys), "exactly one of" written as
// a disjunction of single-field structs, non-empty lists ([x, ...x]).
// Attributes name what CUE cannot say: @secret() (never show the value),
// @check(name) and @requiredUnless(cond) (Go functions in discovery.go:
// URL syntax, https issuer, RS256, the implicit-flow exception), @alias and
// @excludes.
//
// # How the check runs
//
// Unifying each document with the schema (tree.ToValue, Encode, Unify,
// Validate) costs 0.2 to 1.3 ms and 140 to 360 kB per document
// (BenchmarkCUEUnify: realm 0.8 to 1.3 ms, Google metadata 0.2 ms, Keycloak
// metadata 0.6 ms), and CUE's error list is not complete: a closedness error
// is dropped when the struct has other errors, and inside a disjunction (a
// property item, serverConfiguration) CUE reports the mismatch of the other
// branches, not the error in the branch the user meant. So the CUE
// definitions are compiled into an immutable Go tree (schema/internal/shape):
// objects with their fields and attributes, lists with their minimum
// length, and scalar constraints in disjunctive normal form (kinds,
// literals, regular expressions, bounds). The compiler
// (schema/internal/cuecompile) accepts only that vocabulary and fails on
// anything else, so a schema edit cannot silently weaken the checker.
//
// The compilation happens at build time: go generate ./schema compiles the
// *.cue files and writes the tree as Go composite literals, shapes_gen.go,
// built once on first use (microseconds, no CUE: neither CUE's package
// initialisation, about half of the command's start-up, nor compiling the
// schemas, 25 million instructions, happens in a run). TestGeneratedShapes
// fails with "run go generate ./schema" when the file differs from what
// compiling the CUE gives. Checking a document is then a walk over its
// yaml.Node tree (check.go) in step with the compiled tree; it visits every
// node, so
// every error is found, and it writes its own messages, which never contain
// the value of a secret. It costs 6 to 30 µs and 4 to 14 kB per document
// (BenchmarkCheckRealm, BenchmarkCheckDiscovery), and stops after 200
// findings a document (aliases can repeat one wrong mapping thousands of
// times).
//
// The tests keep the two in agreement: reference_test.go unifies every test
// document, and every fuzz input, with the real CUE definition, walks each
// CUE error path (errors.Errors, Error.Path) back to its yaml.Node, and
// requires the Go walk to report a finding at that node (or next to it) and
// CUE to reject exactly the documents the walk rejects for their shape.
//
// # Positions
//
// A finding points at the offending value; at the key for an unknown key or
// a key of another era; at the parent's key for a missing field (at the
// opening brace when the parent is the root of a JSON document). End is the
// end of the scalar, or one character for a flow collection.
//
// # Concurrency
//
// Default builds the compiled tree once (sync.Once). The tree is never
// written after New, and checking touches no CUE value, so a Checker is safe
// for concurrent use without a lock. (CUE v0.17 documents cue.Value as
// immutable and safe for concurrent use as well; the reference tests rely
// on that and run under -race.)
//
// Checking a document against any other CUE value with CUE itself (users'
// policies) is schema/cuecheck's job; only the types of its result,
// Violation, live here.
package schema
