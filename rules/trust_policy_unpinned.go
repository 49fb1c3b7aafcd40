package rules

import (
	"fmt"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/trust"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/trustcheck"
)

// TrustPolicyUnpinned: see docs/trust-policy-unpinned.md.
var TrustPolicyUnpinned = &Rule{ID: "trust-policy-unpinned", Workspace: checkTrustPolicyUnpinned}

// checkTrustPolicyUnpinned reports trusts of a Jenkins controller's issuer
// that no condition ties to a job: no condition on sub (or on a claim the
// templates fill from the job), patterns that admit every job or start with
// a wildcard, conditions only on claims a build can choose.
func checkTrustPolicyUnpinned(p *Pass) {
	for _, tp := range pairedTrusts(p) {
		checkUnpinned(p, tp)
	}
}

// wideValue is a value of a job condition that admits every job.
type wideValue struct {
	c       trust.Condition
	v       trust.Value
	example string
	leading bool
}

func checkUnpinned(p *Pass, tp trustPair) {
	t, pr := tp.t, tp.pair
	idt := pr.Controller.IDT
	cred := probeCred(pr)
	pinned := false
	var wide []wideValue
	var others []string
	conds := append(append([]trust.Condition(nil), t.Subject...), t.Claims...)
	for _, c := range conds {
		if c.Claim == "" || c.Operator == trust.OpUnknown {
			pinned = true // a condition the tool cannot read: it may pin the job
			continue
		}
		kind, tmpl := claimKindOf(idt, c.Claim)
		switch kind {
		case claimUnknown:
			pinned = true
			continue
		case claimAbsent:
			if !c.IfExists && !c.Operator.Negated() {
				pinned = true // no token carries the claim: no job passes
			}
			continue
		case claimFixed:
			if c.Claim == "iss" || c.Claim == "aud" {
				continue
			}
			same := false
			for _, v := range c.Values {
				if ex, ok := admitsAnyJob(idt, cred, c, v); ok && v.Known && !c.Operator.Negated() {
					wide, same = append(wide, wideValue{c: c, v: v, example: ex}), true
				}
			}
			if !same {
				others = append(others, fmt.Sprintf("%s (made from %q, which names no job)", c.Claim, tmpl.Format.Text))
			}
			continue
		case claimChoosable:
			if !c.Operator.Negated() {
				others = append(others, fmt.Sprintf("%s (made from %q, which a build can choose: a parameter or an environment variable)", c.Claim, tmpl.Format.Text))
			}
			continue
		}
		if c.Operator.Negated() {
			others = append(others, fmt.Sprintf("%s %s, which only excludes jobs", c.Claim, c.Op.Text))
			continue
		}
		pins := true
		for _, v := range c.Values {
			if !v.Known {
				continue // a value the tool cannot know may pin the job
			}
			if ex, ok := admitsAnyJob(idt, cred, c, v); ok || matchesAll(c, v) {
				wide, pins = append(wide, wideValue{c: c, v: v, example: ex}), false
			} else if leadingWildcard(c, v) {
				wide, pins = append(wide, wideValue{c: c, v: v, leading: true}), false
			}
		}
		if pins {
			pinned = true
		}
	}
	if pinned {
		return
	}
	who, rel := tokenUsers(pr.Controller, pr, t)
	pin := pinAdvice(t, pr)
	if len(wide) > 0 {
		for _, w := range wide {
			what := "subject pattern"
			if w.c.Claim != "sub" {
				what = w.c.Claim + " pattern"
			}
			var msg string
			switch {
			case w.leading:
				msg = fmt.Sprintf("%s %q of %s starts with a wildcard, so it admits a job of that name in any folder: %s can assume it once anyone allowed to create folders or jobs makes one that matches; %s",
					what, w.v.Text, trustName(t), who, pin)
			case w.example == "":
				msg = fmt.Sprintf("%s %q of %s admits every value: %s can assume it; %s", what, w.v.Text, trustName(t), who, pin)
			case sameForEveryJob(pr, w.c.Claim):
				msg = fmt.Sprintf("%s %q of %s admits every job: the claim templates give every build the same %s (%q), so %s can assume it; %s",
					what, w.v.Text, trustName(t), w.c.Claim, w.example, who, pin)
			default:
				msg = fmt.Sprintf("%s %q of %s admits every job (e.g. %s): %s can assume it; %s", what, w.v.Text, trustName(t), w.example, who, pin)
			}
			pos, end := valueSpanOf(w.v)
			p.Report(report.Finding{Pos: pos, End: end, Message: msg, Related: rel})
		}
		return
	}
	pos, end := anchor(p, t)
	var msg string
	switch {
	case t.Unconditional:
		msg = fmt.Sprintf("%s has no attribute_condition, so it accepts every token of the Jenkins issuer %q: %s can use it; %s",
			trustName(t), t.Issuer.Text, who, pin)
	case len(others) > 0:
		msg = fmt.Sprintf("%s trusts the Jenkins issuer %q with no condition that names the job (its conditions: %s): %s can assume it; %s",
			trustName(t), t.Issuer.Text, strings.Join(others, "; "), who, pin)
	default:
		msg = fmt.Sprintf("%s trusts the Jenkins issuer %q with no condition on sub: %s can assume it; %s",
			trustName(t), t.Issuer.Text, who, pin)
	}
	p.Report(report.Finding{Pos: pos, End: end, Message: msg, Related: rel})
}

// sameForEveryJob reports whether the templates give two unlike jobs the
// same claim.
func sameForEveryJob(pr trustcheck.Pairing, claim string) bool {
	idt := pr.Controller.IDT
	cred := probeCred(pr)
	a, ok1 := probe(idt, cred, claim, []string{anyNames[0]}, false)
	b, ok2 := probe(idt, cred, claim, []string{anyNames[1], anyNames[1]}, false)
	return ok1 && ok2 && a == b
}
