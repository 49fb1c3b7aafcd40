package rules

import (
	"fmt"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/idtoken"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/trust"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/trustcheck"
)

// TrustSubjectFormat: see docs/trust-subject-format.md.
var TrustSubjectFormat = &Rule{ID: "trust-subject-format", Workspace: checkTrustSubjectFormat}

// checkTrustSubjectFormat reports subject conditions that no build's sub
// can pass, given the controller's claim templates: a job URL pinned while
// sub is jenkins:${JOB_NAME}, a URL without its trailing slash or its /job/
// segments, another host, a GitHub Actions subject (repo:org/x:*).
func checkTrustSubjectFormat(p *Pass) {
	for _, tp := range pairedTrusts(p) {
		t, pr := tp.t, tp.pair
		idt := pr.Controller.IDT
		kind, tmpl := claimKindOf(idt, "sub")
		if kind == claimUnknown || kind == claimAbsent {
			continue
		}
		sh, ok := subShapeOf(idt, probeCred(pr), tmpl)
		if !ok {
			continue
		}
		for _, c := range t.Subject {
			if c.Operator.Negated() || c.Operator == trust.OpUnknown {
				continue
			}
			for _, v := range c.Values {
				if !v.Known {
					continue
				}
				why, fixed := sh.problem(c, v)
				if why == "" {
					continue
				}
				msg := fmt.Sprintf("subject %q of %s cannot match the sub of any build: %s make it %s; %s",
					v.Text, trustName(t), sh.source, sh.words, why)
				var rel []report.Related
				if tmpl.Where.IsValid() {
					rel = append(rel, report.Related{Pos: tmpl.Where.Pos, Message: "the claim template that makes sub"})
				}
				if r := idt.RootURL; r.Pos.IsValid() && sh.url {
					rel = append(rel, report.Related{Pos: r.Pos, Message: fmt.Sprintf("job URLs start with the root URL %q", r.Text)})
				}
				pos, end := valueSpanOf(v)
				f := report.Finding{Pos: pos, End: end, Message: msg, Related: rel}
				if fixed != "" {
					f.Fix = replaceValue(p, v, fixed, "write the job URL as the plugin does")
				}
				p.Report(f)
			}
		}
	}
}

// subShape is what the claim templates make of sub: every build's sub
// starts with prefix and ends with suffix (exact, when it is the same for
// every job).
type subShape struct {
	prefix, suffix string
	exact          string
	url            bool   // sub is the job's URL (…/job/a/job/b/)
	words          string // the shape in words, for messages
	source         string // where the template comes from
	// forURL is the sub of the job a job URL names ("" when the URL names
	// none or the sub is not known).
	forURL func(jobURL string) string
}

func subShapeOf(idt *idtoken.Controller, cred *idtoken.Credential, tmpl idtoken.Template) (subShape, bool) {
	sh := subShape{source: "the claim templates (buildClaimTemplates sub " + fmt.Sprintf("%q", tmpl.Format.Text) + ")"}
	if tmpl.Default {
		sh.source = "the plugin's default claim templates (sub = ${JOB_URL})"
	}
	sh.forURL = func(u string) string {
		if !strings.Contains(u, "/job/") || strings.ContainsAny(u, "*?") {
			return ""
		}
		j := idtoken.ParseJob(u, "", "")
		if len(j.FullName) == 0 {
			return ""
		}
		v, _ := probe(idt, cred, "sub", j.FullName, false)
		return v
	}
	a, ok1 := probe(idt, cred, "sub", []string{anyNames[0]}, false)
	b, ok2 := probe(idt, cred, "sub", []string{anyNames[1], anyNames[1]}, false)
	if ok1 && ok2 {
		if a == b {
			sh.exact, sh.words = a, fmt.Sprintf("%q for every job", a)
			return sh, true
		}
		n := 0
		for n < len(a) && n < len(b) && a[n] == b[n] {
			n++
		}
		m := 0
		for m < len(a)-n && m < len(b)-n && a[len(a)-1-m] == b[len(b)-1-m] {
			m++
		}
		sh.prefix, sh.suffix = a[:n], a[len(a)-m:]
		root := ""
		if r := idt.RootURL; r.Known {
			root = strings.TrimSuffix(r.Text, "/") + "/"
		}
		sh.url = root != "" && a == root+"job/"+anyNames[0]+"/"
		if ex := jobExample(idt, cred, "sub"); ex != "" {
			sh.words = fmt.Sprintf("%q", ex)
		} else {
			sh.words = fmt.Sprintf("%q…%q", sh.prefix, sh.suffix)
		}
		if sh.url {
			sh.words = "the job's URL, " + sh.words + " (" + root + "job/<folder>/job/<job>/ in a folder)"
		}
		return sh, true
	}
	// a variable the tool cannot know: read the format itself
	if !tmpl.Format.Known {
		return sh, false
	}
	f := tmpl.Format.Text
	vars := macroVars(f)
	if len(vars) == 0 {
		return sh, false
	}
	i := strings.IndexByte(f, '$')
	sh.prefix = f[:i]
	switch vars[0] {
	case "JOB_URL", "JENKINS_URL", "BUILD_URL", "JOB_DISPLAY_URL", "RUN_DISPLAY_URL":
		sh.prefix += "http"
	}
	sh.words = fmt.Sprintf("%q…", sh.prefix)
	return sh, sh.prefix != ""
}

// problem says why value v of condition c cannot match any sub of this
// shape ("" when it can), and the value it should be when that is
// mechanical.
func (sh subShape) problem(c trust.Condition, v trust.Value) (string, string) {
	s := v.Text
	why := func() string {
		switch {
		case strings.HasPrefix(s, "repo:"):
			return "it is a GitHub Actions subject (repo:<owner>/<repo>:…), and Jenkins tokens are not GitHub's: pin the Jenkins job instead"
		case strings.HasPrefix(sh.prefix, "http") && !strings.HasPrefix(strings.ToLower(s), "http") && !strings.HasPrefix(s, "*"):
			return "it is not a URL, while the templates make sub one"
		case !strings.HasPrefix(sh.prefix, "http") && sh.exact == "" && strings.HasPrefix(strings.ToLower(s), "http"):
			if sh.forURL != nil {
				if v := sh.forURL(s); v != "" {
					return fmt.Sprintf("it is a job URL, which is not what sub holds here: write %q", v)
				}
			}
			return "it is a job URL, which is not what sub holds here"
		case sh.prefix != "" && strings.EqualFold(prefixOf(s, len(sh.prefix)), sh.prefix):
			return "only letter case differs, and " + trustcheck.TestName(c) + " compares character for character"
		}
		return "it does not start with " + fmt.Sprintf("%q", sh.prefix) + " and end with " + fmt.Sprintf("%q", sh.suffix)
	}
	fold := c.Operator == trust.OpEqualsIgnoreCase
	if fold {
		s = strings.ToLower(s)
		sh.prefix, sh.suffix, sh.exact = strings.ToLower(sh.prefix), strings.ToLower(sh.suffix), strings.ToLower(sh.exact)
	}
	if sh.exact != "" {
		if !holdsFor(c, trust.Value{Text: v.Text, Known: true}, sh.exact) && !(fold && s == sh.exact) {
			return fmt.Sprintf("it is not %q", sh.exact), ""
		}
		return "", ""
	}
	wild := "*"
	switch c.Operator {
	case trust.OpEquals, trust.OpEqualsIgnoreCase:
		wild = ""
	case trust.OpLike:
		wild = "*?"
	case trust.OpGlob:
	case trust.OpPrefix:
		if !compatPrefix(s, sh.prefix) {
			return why(), ""
		}
		return "", ""
	case trust.OpSuffix:
		if !compatSuffix(s, sh.suffix) {
			return why(), ""
		}
		return "", ""
	default:
		return "", ""
	}
	i, j := len(s), len(s)
	if wild != "" {
		if k := strings.IndexAny(s, wild); k >= 0 {
			i = k
			j = strings.LastIndexAny(s, wild) + 1
		}
	}
	if i == len(s) { // no wildcard: the whole value
		if strings.HasPrefix(s, sh.prefix) && strings.HasSuffix(s, sh.suffix) && len(s) > len(sh.prefix)+len(sh.suffix) {
			if sh.url && !fold {
				if w := jobURLProblem(s[len(sh.prefix) : len(s)-len(sh.suffix)]); w != "" {
					return w, ""
				}
			}
			return "", ""
		}
		if sh.url && !fold && strings.HasPrefix(s, sh.prefix) && !strings.HasSuffix(s, "/") && jobURLProblem(s[len(sh.prefix):]) == "" {
			return "a job's URL always ends in /", v.Text + "/"
		}
		return why(), ""
	}
	if !compatPrefix(s[:i], sh.prefix) || !compatSuffix(s[j:], sh.suffix) {
		return why(), ""
	}
	if lit := s[:i]; sh.url && !fold && strings.HasPrefix(lit, sh.prefix) {
		// the names the pattern writes out in full must be a job URL's
		rest := lit[len(sh.prefix):]
		if k := strings.LastIndexByte(rest, '/'); k > 0 {
			if w := jobURLProblem(strings.TrimSuffix(rest[:k], "/job")); w != "" {
				return w, ""
			}
		}
	}
	return "", ""
}

// jobURLProblem checks the part of a job URL after root/job/: names joined
// by /job/ ("a", "a/job/b").
func jobURLProblem(rest string) string {
	for _, piece := range strings.Split(rest, "/job/") {
		if piece == "" || strings.Contains(piece, "/") {
			return "every name in a job URL follows /job/ (a job in folder team is …/job/team/job/<job>/)"
		}
	}
	return ""
}

// compatPrefix reports whether a literal prefix and the shape's prefix can
// both start one string.
func compatPrefix(lit, prefix string) bool {
	return strings.HasPrefix(lit, prefix) || strings.HasPrefix(prefix, lit)
}

func compatSuffix(lit, suffix string) bool {
	return strings.HasSuffix(lit, suffix) || strings.HasSuffix(suffix, lit)
}

func prefixOf(s string, n int) string {
	if n > len(s) {
		return s
	}
	return s[:n]
}
