package rules

import (
	"fmt"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/idtoken"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/trust"
)

// TrustAdmitsPullRequests: see docs/trust-admits-pull-requests.md.
var TrustAdmitsPullRequests = &Rule{ID: "trust-admits-pull-requests", Workspace: checkTrustAdmitsPullRequests}

// checkTrustAdmitsPullRequests reports subject patterns that pin a project
// (or folder) but also admit the pull-request jobs (and every branch job) a
// multibranch project there makes: …/job/app/* matches …/job/app/job/PR-42/.
func checkTrustAdmitsPullRequests(p *Pass) {
	for _, tp := range pairedTrusts(p) {
		t, pr := tp.t, tp.pair
		idt := pr.Controller.IDT
		cred := probeCred(pr)
		for _, c := range append(append([]trust.Condition(nil), t.Subject...), t.Claims...) {
			if c.Claim == "" || c.Operator == trust.OpUnknown || c.Operator.Negated() {
				continue
			}
			if kind, _ := claimKindOf(idt, c.Claim); kind != claimJob {
				continue
			}
			for _, v := range c.Values {
				if !v.Known || matchesAll(c, v) || leadingWildcard(c, v) {
					continue
				}
				if _, wide := admitsAnyJob(idt, cred, c, v); wide {
					continue // every job: trust-policy-unpinned
				}
				reportPullRequests(p, tp, c, v)
			}
		}
	}
}

// reportPullRequests reports one value when a pull-request job below the
// project its literal prefix names passes it.
func reportPullRequests(p *Pass, tp trustPair, c trust.Condition, v trust.Value) {
	t, pr := tp.t, tp.pair
	idt := pr.Controller.IDT
	cred := probeCred(pr)
	var names []string
	prJob, prClaim := "", ""
	for _, cand := range projectOf(idt, cred, c.Claim, v.Text) {
		for _, tail := range [][]string{{"PR-42"}, {"MR-42"}, {anyNames[1], "PR-42"}} {
			job := append(append([]string(nil), cand...), tail...)
			if s, ok := probe(idt, cred, c.Claim, job, true); ok && holdsFor(c, v, s) {
				names, prJob, prClaim = cand, strings.Join(job, "/"), s
				break
			}
		}
		if prJob != "" {
			break
		}
	}
	if prJob == "" {
		return
	}
	branches := true
	for _, n := range anyNames {
		job := append(append([]string(nil), names...), n)
		if s, ok := probe(idt, cred, c.Claim, job, false); !ok || !holdsFor(c, v, s) {
			branches = false
		}
	}
	project := strings.Join(names, "/")
	branchJob := ""
	if s, ok := probe(idt, cred, c.Claim, append(append([]string(nil), names...), "main"), false); ok {
		branchJob = s
	}
	what := "subject pattern"
	if c.Claim != "sub" {
		what = c.Claim + " pattern"
	}
	_, rel := tokenUsers(pr.Controller, pr, t)
	pin := "pin the branch job exactly"
	if branchJob != "" && branchJob != v.Text {
		pin = fmt.Sprintf("pin the branch job exactly (%s)", branchJob)
	}
	var msg string
	if branches {
		msg = fmt.Sprintf("%s %q of %s also admits the pull-request jobs of %s and every branch job (e.g. %s): if %s is a multibranch project (or a folder holding one), anyone who can open a pull request there gets a build with this trust's rights before review; %s, and give pull requests a trust without deploy rights",
			what, v.Text, trustName(t), project, prClaim, project, pin)
	} else {
		msg = fmt.Sprintf("%s %q of %s admits every pull-request job of %s (e.g. %s): anyone who can open a pull request there gets a build with this trust's rights before review; keep this trust to rights an unreviewed change may have (no deploys, no secrets), or %s",
			what, v.Text, trustName(t), project, prClaim, pin)
	}
	pos, end := valueSpanOf(v)
	p.Report(report.Finding{Pos: pos, End: end, Message: msg, Related: rel})
}

// projectOf reads the job a pattern is about from its literal text before
// the first wildcard: the job names after the controller's root URL
// (job/a/job/b/…) when the claim is made from the job's URL, or after the
// template's literal prefix when it is made from JOB_NAME. A name cut short
// by the wildcard makes a second candidate, with and without it.
func projectOf(idt *idtoken.Controller, cred *idtoken.Credential, claim, pattern string) [][]string {
	lit := pattern
	if i := strings.IndexAny(lit, "*?[(^$\\|+{"); i >= 0 {
		lit = lit[:i]
	}
	const mark = "QqJobQq"
	sample, ok := probe(idt, cred, claim, []string{mark}, false)
	if !ok {
		return nil
	}
	k := strings.Index(sample, mark)
	if k < 0 || !strings.HasPrefix(lit, sample[:k]) {
		return nil
	}
	before := sample[:k]
	rest := lit[len(before):]
	url := strings.HasSuffix(before, "job/")
	var names []string
	segs := strings.Split(rest, "/")
	partial := !strings.HasSuffix(rest, "/") && rest != ""
	for i := 0; i < len(segs); i++ {
		s := segs[i]
		if s == "" {
			continue
		}
		if url && len(names) > 0 {
			// job/a/job/b: every other segment is "job"
			if s != "job" {
				return nil
			}
			if i == len(segs)-1 {
				partial = false // "…/job/a/job" stops before a name
				break
			}
			i++
			if segs[i] == "" {
				break
			}
			s = segs[i]
		}
		names = append(names, decodeSegment(s, url))
	}
	if !partial {
		return [][]string{names}
	}
	// "…/job/ap*": the cut name is a witness only when the pattern ends
	// with its wildcard ("…/job/release-*/" names branch jobs of one
	// project, not projects)
	var out [][]string
	if len(names) > 1 {
		out = append(out, names[:len(names)-1])
	}
	if strings.TrimRight(pattern[len(lit):], "*") == "" {
		out = append(out, names)
	}
	return out
}

// decodeSegment undoes the %XX escapes of a job URL segment.
func decodeSegment(s string, url bool) string {
	if !url || !strings.Contains(s, "%") {
		return s
	}
	j := idtoken.ParseJob("job/"+s+"/", "", "")
	if len(j.FullName) == 1 {
		return j.FullName[0]
	}
	return s
}
