package trust

import (
	"regexp"
	"strings"
)

// Match reports whether claim s passes the comparison op with one
// pattern, as the platform compares it: AWS StringLike's * and ?, Vault's
// glob * (ryanuber/go-glob), CEL's unanchored RE2 matches. A negated
// operator (OpNotEquals, OpNotLike) reports whether s differs from the
// pattern. OpUnknown never matches.
func Match(op Operator, pattern, s string) bool {
	switch op {
	case OpEquals:
		return s == pattern
	case OpEqualsIgnoreCase:
		return strings.EqualFold(s, pattern)
	case OpLike:
		return wildcard(pattern, s, true)
	case OpGlob:
		return wildcard(pattern, s, false)
	case OpPrefix:
		return strings.HasPrefix(s, pattern)
	case OpSuffix:
		return strings.HasSuffix(s, pattern)
	case OpContains:
		return strings.Contains(s, pattern)
	case OpRegex:
		re, err := regexp.Compile(pattern)
		return err == nil && re.MatchString(s)
	case OpNotEquals:
		return s != pattern
	case OpNotLike:
		return !wildcard(pattern, s, true)
	}
	return false
}

// wildcard matches s against a pattern where * is any run of characters
// and, when question is set, ? is any one character. Linear in practice:
// only the last * backtracks.
func wildcard(p, s string, question bool) bool {
	pr, sr := []rune(p), []rune(s)
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(sr) {
		switch {
		case pi < len(pr) && pr[pi] == '*':
			star, mark = pi, si
			pi++
		case pi < len(pr) && (pr[pi] == sr[si] || question && pr[pi] == '?'):
			pi++
			si++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(pr) && pr[pi] == '*' {
		pi++
	}
	return pi == len(pr)
}

// Result is the outcome of testing a condition whose values or claim may
// be unknown.
type Result int

// Results.
const (
	Fails Result = iota + 1
	Holds
	// Unknowable: a value the condition compares with, or the claim, is not
	// known, and the known ones do not decide.
	Unknowable
)

// String names the result.
func (r Result) String() string {
	switch r {
	case Fails:
		return "fails"
	case Holds:
		return "holds"
	case Unknowable:
		return "unknown"
	}
	return "result"
}

// Test tests a condition against a claim's value (present false when the
// token has no such claim). A positive operator holds when one value
// matches; a negated one when none does. Unknown values decide only when
// the known ones do not.
func (c Condition) Test(claim string, present bool) Result {
	if !present {
		switch {
		case c.IfExists, c.Operator.Negated():
			return Holds
		case c.Operator == OpUnknown:
			return Unknowable
		}
		return Fails
	}
	if c.Operator == OpUnknown {
		return Unknowable
	}
	unknown := false
	for _, v := range c.Values {
		if !v.Known {
			unknown = true
			continue
		}
		m := Match(c.Operator, v.Text, claim)
		if c.Operator.Negated() && !m {
			return Fails
		}
		if !c.Operator.Negated() && m {
			return Holds
		}
	}
	if unknown {
		return Unknowable
	}
	if c.Operator.Negated() {
		return Holds
	}
	return Fails
}
