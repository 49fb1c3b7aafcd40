// Package policy runs users' own rules, written in CUE, over JCasC documents
// and OpenID provider metadata. A policy rule is reported like a built-in
// one: its own ID and severity, exact positions, every output format, inline
// suppressions and baselines.
//
// # Where policies come from
//
// `--policy DIR` (repeatable) and the configuration key `policies:` name
// directories; Load compiles the *.cue files of each (not recursive, in name
// order). The files of one directory are one CUE package: they may share
// definitions, and their package clauses must agree (or be absent). A path
// to a single .cue file loads that file alone. Standard-library imports
// (strings, list, regexp, net, strconv, time …) work; other imports do not.
//
// # Writing a rule
//
// A rule is a field directly under one of two top-level selectors:
//
//	jcasc:     the value is unified with every JCasC document (the whole
//	           YAML document: jenkins:, credentials:, unclassified: …)
//	discovery: the value is unified with every provider metadata document
//	           (the whole JSON object: issuer, scopes_supported …)
//
// The field carries a @rule attribute after its value:
//
//	@rule(<id>, severity=<error|warning|note>, message="<one line>")
//
// Its arguments:
//
//   - id (required, first, without a key) is the rule's ID: lower-case
//     letters and digits in words joined by '-' (or '_', '.'), unique among
//     the policies and different from every built-in rule. It is what
//     findings, `--enable`/`--disable`, `ignore[…]` comments and baselines
//     use.
//   - severity (optional) defaults to error.
//   - message (optional) is the summary of the rule and starts each finding;
//     without it, the first sentence of the doc comment is used. A quoted
//     string (CUE syntax); it may contain commas.
//
// The comment above the rule is its documentation: `explain <id>` shows it
// with the rule's CUE source. A full example, a file policies/credentials.cue:
//
//	package policies
//
//	import "list"
//
//	// Every credential needs a description: the credentials page lists
//	// credentials by ID and description, and nobody dares rotate or delete
//	// a credential whose purpose is unknown.
//	jcasc: credentialDescription: {
//		credentials?: system?: domainCredentials?: [...{
//			credentials?: [...{[string]: {description!: =~"\\S"}}]
//		}]
//	} @rule(require-credential-description, severity=warning, message="every credential needs a description")
//
//	// #groupsScope matches a scope list that requests groups, or a JCasC
//	// variable (not a value to judge).
//	#groupsScope: =~"(^|\\s)groups(\\s|$)|\\$\\{"
//
//	// The oic realm requests the groups scope.
//	jcasc: oicGroupsScope: {
//		jenkins?: securityRealm?: oic?: serverConfiguration?: {
//			wellKnown?: scopesOverride!: #groupsScope
//			manual?: scopes!:            #groupsScope
//		}
//	} @rule(oic-requests-groups-scope, severity=warning)
//
//	// Provider metadata must offer PKCE with S256.
//	discovery: pkceS256: {
//		code_challenge_methods_supported!: list.MatchN(>=1, "S256")
//	} @rule(provider-offers-pkce)
//
// Rules may be written in one block as well:
// `jcasc: { a: {…} @rule(a-rule), b: {…} @rule(b-rule) }`.
//
// Every regular field under jcasc: and discovery: must be a rule; helpers
// are definitions (#name) or hidden fields (_name), at the top level or
// under the selectors. Any other top-level field is an error (it would
// check nothing), and so is a @rule attribute anywhere else.
//
// # What a rule sees
//
// The document as plain data, the way JSON would carry it: mappings are
// structs, sequences lists, scalars strings, numbers, booleans or null as
// YAML 1.2 types them (`yes` is a string; quote to force a string);
// aliases and merge keys (<<) are expanded; a key with an empty (null)
// value is absent, so `name?: C` ignores it and `name!: C` reports it
// missing (null list items stay null). Comments, key order and positions
// are not visible. Write what must hold, using CUE as usual:
//
//   - name?: C — if the key is present, its value satisfies C;
//   - name!: C — the key must be present, and satisfy C;
//   - name: C (a regular field) — must be present with a concrete value;
//   - close({…}) or a definition — no other keys allowed;
//   - [string]: C — every value of a mapping; [...C] — every item of a list;
//   - builtins such as strings.MinRunes, list.Contains, regexp patterns
//     (=~, !~), bounds (>=, !=), disjunctions (a | b).
//
// A rule evaluates one document on its own: a rule that compares two
// files (the realm with the provider's metadata) is a Go rule's job.
//
// # Positions
//
// CUE reports each violation with the path of the offending value, e.g.
// credentials.system.domainCredentials.0.credentials.1.string.description;
// the path is followed through the YAML/JSON node tree (cuecheck.Violations)
// and the finding points at
//
//   - the offending scalar;
//   - the key of an offending mapping or list, or of a key that a closed
//     struct does not allow;
//   - for a missing field, the key of the mapping that lacks it (that
//     mapping itself, i.e. its first key or its '{', at the document's root).
//
// Violations at one place are joined into one finding; a rule reports at
// most 100 places per document. CUE's own Validate leaves out missing fields
// once a document has another violation; cuecheck.Violations validates the
// subtrees apart so that none is lost.
//
// Messages are "<message>: <where and why>", for example
//
//	every credential needs a description: `credentials.system.domainCredentials[0].credentials[1].string.description` is missing
//
// They never show the content of a mapping or list, nor the value of a
// secret-named key (password, secret, token …); other scalars are quoted,
// shortened.
//
// # Cost and limits
//
// Load compiles the policies once per run; Check encodes each document as
// CUE once and unifies it with each rule of its kind; the cost grows with
// the size of the document and the number of rules.
//
// Policies come from the repository being checked, so they run on a
// budget. What their source shows is judged before anything is evaluated:
// list.Range, list.Repeat and strings.Repeat with literal arguments may
// build at most 10,000 elements, for clauses may nest at most 2 deep, and
// nested for clauses over literal ranges and lists may iterate at most
// 100,000 times; anything over is an error at the call or clause. The rest
// is bounded while it runs: compiling and checking happen in worker
// processes (jenkins-oidc-lint-policy; see sandbox.go), each rule's
// evaluation against one document within Budget.Time (default 2 s), each
// worker's heap within Budget.Memory (default 1 GiB). A worker that runs
// over is killed (time) or exits (memory), so nothing of the evaluation
// goes on; the rule is an error at its own file:line (Load's errors while
// compiling, Set.Errors while checking) and a finding at each document it
// could not check ("this document was not checked"), and is not run again
// in that run. CUE v0.17 cannot stop an evaluation from outside: a process
// is the unit that can be stopped.
//
// BenchmarkCheck, with the three example policies on a 2-core machine:
// about 0.6 ms for a 20-line realm document (0.2 ms of evaluation, the
// rest the round trip to a worker), 15 ms for a 1000-line document of 200
// credentials (7.6 ms of evaluation); Load of the three files about 7 ms
// (each rule is built on its own once, to name the rule that runs over the
// budget). A Set is safe for concurrent use: concurrent Checks run on up to
// GOMAXPROCS workers.
//
// # The worker program
//
// This package does not link CUE: jenkins-oidc-lint starts as fast as a
// process without it can. Compiling and evaluating is package
// policy/engine's, in its own program, cmd/jenkins-oidc-lint-policy, the
// only one of the module that links CUE. Install both (go install
// github.com/jenkins-oidc-lint/jenkins-oidc-lint/cmd/...@latest). A run
// with policies finds the worker through $JENKINS_OIDC_LINT_POLICY (a
// path), else next to its own executable, else on PATH (FindWorker); a
// run without policies never looks for it. Request and results go as
// JSON lines (policy/internal/wire): the worker first greets with the
// protocol's version, and a worker of another version is refused.
//
// Limits: a rule sees one document at a time, not the file's other
// documents nor other files; errors inside hidden fields (_name) of a rule
// point at the nearest node the document has; a rule's value must be a
// struct (it constrains the whole document); policy files are at most 1 MiB.
package policy
