// Package engine compiles and evaluates user policies with CUE: the
// worker side of package policy. Package policy (linked into
// jenkins-oidc-lint, without CUE) snapshots the policy files and sends
// them, and each document to check, to a worker process,
// jenkins-oidc-lint-policy, whose main is Main; the worker compiles the
// policies (load.go, with the cost judgement of cost.go and the @rule
// scan of scan.go), unifies each rule with each document (check.go) and
// answers with the rules and the violations, JSON lines
// (policy/internal/wire). The rules and semantics are documented in
// package policy.
package engine
