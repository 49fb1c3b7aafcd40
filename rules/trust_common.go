package rules

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/idtoken"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/trust"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/trustcheck"
)

// What the trust-* rules share: the trusts of the workspace paired with the
// controller whose issuer they name (trustcheck.Pair), and what a
// controller's claim templates make of a job (probes).

// trustPair is a trust and the controller issuer it names.
type trustPair struct {
	t    *trust.Trust
	pair trustcheck.Pairing
}

// pairedTrusts pairs every trust whose issuer is known with the closest
// controller issuer on the same host. Trusts whose issuer is a variable or
// a reference the tool could not follow are left out: the rules do not
// guess which controller they are for.
func pairedTrusts(p *Pass) []trustPair {
	if !p.trustsDone {
		p.trusts, p.trustsDone = pairTrusts(p), true
	}
	return p.trusts
}

func pairTrusts(p *Pass) []trustPair {
	if len(p.WS.Trusts) == 0 {
		return nil
	}
	ctls := trustcheck.Controllers(p.WS.JCasC)
	if len(ctls) == 0 {
		return nil
	}
	var out []trustPair
	for _, t := range trustcheck.Trusts(p.WS.Trusts) {
		if pr, ok := trustcheck.Pair(t, ctls); ok {
			out = append(out, trustPair{t, pr})
		}
	}
	return out
}

// trustName names a trust for messages: `AWS IAM role aws_iam_role.deploy`;
// a policy document on its own by its file's name.
func trustName(t *trust.Trust) string {
	if t.Doc != nil && t.Doc.Format == trust.PolicyJSON {
		return fmt.Sprintf("the AWS IAM role trust policy %s (%s)", path.Base(t.Doc.Path), t.Name)
	}
	return t.Kind.String() + " " + t.Name
}

// controllerName names a controller for messages by its root URL (never a
// file path: the same JCasC may be stand-alone or embedded).
func controllerName(c *trustcheck.Controller) string {
	if u := c.IDT.RootURL; u.Known && u.Text != "" {
		return "the controller " + u.Text
	}
	return "the controller"
}

// spanEnd is a trust span's end, or its start when it has none.
func spanEnd(s trust.Span) report.Position {
	if s.End.IsValid() {
		return s.End
	}
	return s.Pos
}

// fileAt is the workspace file at path (nil when not loaded).
func fileAt(p *Pass, path string) *source.File {
	for _, f := range p.WS.Files {
		if f.Path == path {
			return f
		}
	}
	return nil
}

// headSpan is the first line of a span (the resource's `resource "…" "…" {`
// line, a CloudFormation resource's key), trailing space and an opening
// brace left out.
func headSpan(p *Pass, s trust.Span) (report.Position, report.Position) {
	f := fileAt(p, s.Pos.Path)
	if f == nil || s.Off < 0 || s.Off >= len(f.Data) {
		return s.Pos, spanEnd(s)
	}
	end := s.Off + bytes.IndexByte(f.Data[s.Off:], '\n')
	if end < s.Off {
		end = len(f.Data)
	}
	if s.EndOff > s.Off && end > s.EndOff {
		end = s.EndOff
	}
	line := bytes.TrimRight(f.Data[s.Off:end], " \t\r{")
	if len(line) == 0 {
		return s.Pos, spanEnd(s)
	}
	return s.Pos, f.PosAt(s.Off + len(line))
}

// anchor is where a finding about a whole trust points: an AWS role's
// Federated principal, a Vault role's role_name, else the trust's first
// line.
func anchor(p *Pass, t *trust.Trust) (report.Position, report.Position) {
	switch {
	case t.Kind == trust.AWSRole && t.Principal.Pos.IsValid():
		return t.Principal.Pos, spanEnd(t.Principal.Span)
	case t.Vault != nil && t.Vault.RoleName.Pos.IsValid():
		return t.Vault.RoleName.Pos, spanEnd(t.Vault.RoleName.Span)
	}
	return headSpan(p, t.Where)
}

// valueSpanOf is where a trust value points: the value itself.
func valueSpanOf(v trust.Value) (report.Position, report.Position) {
	return v.Pos, spanEnd(v.Span)
}

// tokenUsers says who can get a token this trust accepts: the credentials
// of the paired issuer whose audience it accepts (or all of them when it
// accepts none: the audience rule reports that), in words, and the related
// places of those credentials.
func tokenUsers(c *trustcheck.Controller, pr trustcheck.Pairing, t *trust.Trust) (string, []report.Related) {
	var root, folder []*idtoken.Credential
	var fit []*idtoken.Credential
	for _, cr := range pr.Issuer.Creds {
		tok := idtoken.Claim{Present: cr.Audience.IsSet() && !(cr.Audience.Known && cr.Audience.Text == ""), Value: cr.Audience.Text, Known: cr.Audience.Known}
		if trustcheck.AudienceCheck(t, tok).Result != trust.Fails {
			fit = append(fit, cr)
		}
	}
	if len(fit) == 0 {
		fit = pr.Issuer.Creds
	}
	var rel []report.Related
	for _, cr := range fit {
		if cr.Folder == "" {
			root = append(root, cr)
		} else {
			folder = append(folder, cr)
		}
		at := cr.KindAt.Pos
		if cr.ID.IsSet() {
			at = cr.ID.Pos
		}
		rel = append(rel, report.Related{Pos: at, Message: fmt.Sprintf("credential '%s' issues tokens it accepts", cr.ID.Text)})
	}
	where := controllerName(c)
	switch {
	case len(root) > 0:
		return fmt.Sprintf("any job on %s (%s in the global domain, which every job can bind)", where, credList(root)), rel
	case len(folder) > 0:
		names := map[string]bool{}
		var fs []string
		for _, cr := range folder {
			if !names[cr.Folder] {
				names[cr.Folder] = true
				fs = append(fs, "'"+cr.Folder+"'")
			}
		}
		return fmt.Sprintf("any job on %s inside folder %s (%s defined there)", where, strings.Join(fs, ", "), credList(folder)), rel
	}
	return fmt.Sprintf("any job on %s that can bind an id-token credential of this issuer", where), rel
}

func credList(cs []*idtoken.Credential) string {
	var ids []string
	for _, c := range cs {
		ids = append(ids, "'"+c.ID.Text+"'")
	}
	if len(ids) == 1 {
		return "credential " + ids[0] + " is"
	}
	return "credentials " + strings.Join(ids, ", ") + " are"
}

// Claim kinds: what a claim template fills a claim from.
const (
	claimUnknown   = iota // the tool cannot tell (a JCasC variable in the format, no such template for sub)
	claimJob              // the job: JOB_URL, JOB_NAME, BUILD_URL, BUILD_TAG
	claimFixed            // set by Jenkins but naming no job: JENKINS_URL, BUILD_NUMBER, BRANCH_NAME, a constant
	claimChoosable        // a variable a build can choose: a parameter, the environment, the pull request's title
	claimAbsent           // no template makes it: tokens do not carry it
)

// jobVars name the job a build runs in; fixedVars are set by Jenkins (or
// the branch source) and cannot be chosen by a build, but name no job on
// their own. Any other variable is a build parameter or environment
// variable: what triggers or runs the build chooses it.
var (
	jobVars   = map[string]bool{"JOB_URL": true, "JOB_NAME": true, "BUILD_URL": true, "BUILD_TAG": true, "JOB_DISPLAY_URL": true, "RUN_DISPLAY_URL": true}
	fixedVars = map[string]bool{"JENKINS_URL": true, "BUILD_NUMBER": true, "BUILD_ID": true, "BRANCH_NAME": true, "CHANGE_ID": true,
		"CHANGE_TARGET": true, "JOB_BASE_NAME": true, "EXECUTOR_NUMBER": true, "HUDSON_URL": true}
)

// macroVars lists the variables a claim template's format reads ($X, ${X}).
func macroVars(s string) []string {
	var out []string
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 >= len(s) {
			continue
		}
		j := i + 1
		brace := s[j] == '{'
		if brace {
			j++
		}
		k := j
		for k < len(s) && (s[k] == '_' || s[k] >= 'A' && s[k] <= 'Z' || s[k] >= 'a' && s[k] <= 'z' || s[k] >= '0' && s[k] <= '9' || brace && s[k] == '.') {
			k++
		}
		if k > j && (!brace || k < len(s) && s[k] == '}') {
			out = append(out, s[j:k])
		}
		i = k - 1
	}
	return out
}

// claimKindOf tells what the controller's templates fill a claim from, and
// the template.
func claimKindOf(idt *idtoken.Controller, name string) (int, idtoken.Template) {
	switch name {
	case "":
		return claimUnknown, idtoken.Template{}
	case "iss", "aud":
		return claimFixed, idtoken.Template{}
	}
	tmpl, ok := idt.Template(name)
	if !ok {
		if name == "sub" {
			return claimUnknown, tmpl // the plugin issues no token: reported on the Jenkins side
		}
		return claimAbsent, tmpl
	}
	if !tmpl.Format.Known {
		return claimUnknown, tmpl
	}
	kind := claimFixed
	for _, v := range macroVars(tmpl.Format.Text) {
		switch {
		case jobVars[v]:
			return claimJob, tmpl
		case !fixedVars[v]:
			kind = claimChoosable
		}
	}
	return kind, tmpl
}

// probe is what the controller's templates put in a claim for a build of
// the job with full name names (the last a pull request's PR-n when pr).
func probe(idt *idtoken.Controller, cred *idtoken.Credential, claim string, names []string, pr bool) (string, bool) {
	j := idtoken.Job{FullName: names}
	if pr && len(names) > 0 {
		last := names[len(names)-1]
		j.Branch, j.ChangeID = last, strings.TrimPrefix(strings.TrimPrefix(last, "PR-"), "MR-")
	} else if len(names) > 1 {
		j.Branch = names[len(names)-1]
	}
	c, ok := trustcheck.ClaimOf(idt.Claims(cred, j), claim)
	if !ok || !c.Known {
		return "", false
	}
	return c.Value, true
}

// probeCred is a credential whose tokens carry the paired issuer.
func probeCred(pr trustcheck.Pairing) *idtoken.Credential {
	if len(pr.Issuer.Creds) > 0 {
		return pr.Issuer.Creds[0]
	}
	return &idtoken.Credential{Issuer: pr.Issuer.Value}
}

// holdsFor reports whether condition c with only value v holds for a claim
// value (false when it does not or cannot be told).
func holdsFor(c trust.Condition, v trust.Value, s string) bool {
	one := c
	one.Values = []trust.Value{v}
	return one.Test(s, true) == trust.Holds
}

// Names that stand for any job a user may create: two, unlike in every
// character, so that a pattern admitting both admits names it cannot know.
var anyNames = [2]string{"a", "Z9_"}

// admitsAnyJob reports whether a condition's value holds for the claim of
// any job (top-level or in a folder), with an example claim value.
func admitsAnyJob(idt *idtoken.Controller, cred *idtoken.Credential, c trust.Condition, v trust.Value) (string, bool) {
	for _, depth := range []int{1, 2} {
		all := true
		for _, n := range anyNames {
			names := make([]string, depth)
			for i := range names {
				names[i] = n
			}
			s, ok := probe(idt, cred, c.Claim, names, false)
			if !ok || !holdsFor(c, v, s) {
				all = false
				break
			}
		}
		if all {
			names := []string{"any-job"}
			if depth == 2 {
				names = []string{"any-folder", "any-job"}
			}
			ex, _ := probe(idt, cred, c.Claim, names, false)
			if !holdsFor(c, v, ex) {
				ex, _ = probe(idt, cred, c.Claim, []string{anyNames[1]}, false)
			}
			return ex, true
		}
	}
	return "", false
}

// leadingWildcard reports a pattern that may match any text before what it
// names: a wildcard first, an unanchored regular expression, endsWith or
// contains.
func leadingWildcard(c trust.Condition, v trust.Value) bool {
	switch c.Operator {
	case trust.OpLike:
		return strings.HasPrefix(v.Text, "*") || strings.HasPrefix(v.Text, "?")
	case trust.OpGlob:
		return strings.HasPrefix(v.Text, "*")
	case trust.OpSuffix, trust.OpContains:
		return true
	case trust.OpRegex:
		return !strings.HasPrefix(v.Text, "^")
	}
	return false
}

// matchesAll reports a value that matches any text at all.
func matchesAll(c trust.Condition, v trust.Value) bool {
	switch c.Operator {
	case trust.OpLike, trust.OpGlob:
		return strings.Trim(v.Text, "*") == ""
	case trust.OpPrefix, trust.OpSuffix, trust.OpContains:
		return v.Text == ""
	case trust.OpRegex:
		t := strings.TrimSuffix(strings.TrimPrefix(v.Text, "^"), "$")
		return t == "" || t == ".*" || t == ".+"
	}
	return false
}

// subjectKey is how to write a sub condition on the trust's platform, for
// advice.
func subjectAdvice(t *trust.Trust, example string) string {
	switch t.Kind {
	case trust.AWSRole:
		key := strings.TrimPrefix(strings.TrimPrefix(t.Issuer.Text, "https://"), "http://") + ":sub"
		return fmt.Sprintf(`a condition "StringEquals": {"%s": "%s"}`, key, example)
	case trust.GCPPoolProvider:
		return fmt.Sprintf(`attribute_condition = "assertion.sub == '%s'"`, example)
	case trust.VaultJWTRole:
		return fmt.Sprintf(`bound_subject = "%s"`, example)
	case trust.AzureFIC:
		return fmt.Sprintf(`subject = "%s"`, example)
	}
	return "a condition on sub"
}

// jobExample is a claim value standing for "the job's", for advice: the
// claim of a job named <job>; "" when the templates do not put the job's
// name in it.
func jobExample(idt *idtoken.Controller, cred *idtoken.Credential, claim string) string {
	const mark = "QqJobQq"
	if s, ok := probe(idt, cred, claim, []string{mark}, false); ok && strings.Contains(s, mark) {
		return strings.Replace(s, mark, "<job>", 1)
	}
	return ""
}

// pinAdvice says how to pin a trust to one job: the condition to write,
// and first, when the claim templates do not put the job in sub, to make
// them do so.
func pinAdvice(t *trust.Trust, pr trustcheck.Pairing) string {
	idt := pr.Controller.IDT
	if ex := jobExample(idt, probeCred(pr), "sub"); ex != "" {
		return "pin the job with " + subjectAdvice(t, ex)
	}
	url := "<the job's URL>"
	if r := idt.RootURL; r.Known && r.Text != "" {
		url = strings.TrimSuffix(r.Text, "/") + "/job/<job>/"
	}
	return "make sub name the job (the plugin's default buildClaimTemplates sub ${JOB_URL}, written ^${JOB_URL} in JCasC) and pin it with " + subjectAdvice(t, url)
}
