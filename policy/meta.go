package policy

import (
	"sync"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/policy/internal/wire"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// DefaultSeverity is the severity of a rule whose @rule attribute names none.
const DefaultSeverity = report.Error

// Tag is the tag of every policy rule.
const Tag = "policy"

// Set is the policies of one run: their rules as Load found them, checked
// in worker processes (see sandbox.go). It is immutable after Load but for
// the record of rules that ran over their budget, and safe for concurrent
// use.
type Set struct {
	rules  []*rule // sorted by ID; no values: those live in the workers
	byKind map[source.Kind][]int
	key    uint64            // names the set to the workers
	load   *wire.LoadRequest // what a worker compiles
	budget Budget
	mu     sync.Mutex
	over   map[int]overrun // rules that ran over their budget
}

// rule is one policy as its worker compiled it (the value lives there).
type rule struct {
	id   string
	kind source.Kind
	pos  report.Position // the rule's field
	meta report.RuleMeta
}

// Len is the number of rules.
func (s *Set) Len() int {
	if s == nil {
		return 0
	}
	return len(s.rules)
}

// Rules describes each policy rule, sorted by ID, for `rules`, `explain`
// and SARIF. Summary is the @rule message (else the first sentence of the
// doc comment); Help is a Markdown page made of the doc comment above the
// rule and the rule's CUE source.
func (s *Set) Rules() []report.RuleMeta {
	if s == nil {
		return nil
	}
	out := make([]report.RuleMeta, len(s.rules))
	for i, r := range s.rules {
		out[i] = r.meta
		out[i].Tags = append([]string(nil), r.meta.Tags...)
	}
	return out
}

// Load compiles the *.cue files of each directory (not recursive, sorted by
// name); a directory is one CUE package, so its files share definitions. A
// path naming a .cue file loads that file alone. Every problem is a
// FileError at its own position: a CUE syntax or evaluation error, a
// misplaced or malformed @rule attribute, an ID that is not unique
// (builtin reports the IDs of the built-in rules), a policy that builds
// more than a policy may, or one whose evaluation runs over DefaultBudget.
// A rule with an error is left out; a directory that does not evaluate
// contributes no rule. Load of no directories returns an empty Set and
// starts nothing. Policies are compiled and evaluated in worker processes,
// jenkins-oidc-lint-policy (see sandbox.go), never in the calling process.
func Load(dirs []string, builtin func(id string) bool) (*Set, []report.FileError) {
	return LoadBudget(dirs, builtin, DefaultBudget)
}
