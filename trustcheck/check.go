package trustcheck

import (
	"fmt"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/idtoken"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/trust"
)

// Request is what the trust command asks: the build of one job (a
// multibranch project's branch or pull request), and optionally one
// credential.
type Request struct {
	// Job is the job's URL (https://ci.example.com/job/a/job/b/) or full
	// name (a/b).
	Job string
	// Branch and PR name a branch or pull-request job of the multibranch
	// project Job (PR: 42 or PR-42).
	Branch, PR string
	// Credential is the ID of the id-token credential to use; empty: every
	// credential the job can use.
	Credential string
}

// Verdicts.
const (
	VerdictAccepted  = "accepted"  // a trust accepts a token of the build, and no check was left undecided
	VerdictUndecided = "undecided" // a check could not be made (a value the tool cannot know)
	VerdictRejected  = "rejected"  // no trust accepts any token of the build
)

// Result is the answer. Its JSON form is the --format json output (field
// order is the struct order; lists are never null):
//
//	{
//	  "controller": {"position": "jenkins.yaml:3:10", "rootUrl": "https://ci/", "issuer": "https://ci/oidc"},
//	  "job": {"fullName": "app/PR-42", "url": "https://ci/job/app/job/PR-42/", "branch": "PR-42", "pullRequest": "42"},
//	  "tokens": [{
//	    "credential": "aws", "kind": "idTokenFile", "position": "jenkins.yaml:9:15", "folder": "",
//	    "claims": [{"name": "iss", "value": "https://ci/oidc", "known": true}, …],
//	    "fails": "",
//	    "trusts": [{
//	      "kind": "aws-iam-role", "name": "aws_iam_role.deploy", "position": "main.tf:8:1",
//	      "result": "accepts" | "rejects" | "unknown",
//	      "checks": [{"claim": "sub", "test": "StringLike", "result": "holds" | "fails" | "unknown",
//	                  "message": "…", "position": "main.tf:23:50"}]
//	    }]
//	  }],
//	  "verdict": "accepted" | "undecided" | "rejected",
//	  "summary": "…"
//	}
type Result struct {
	Controller ControllerInfo `json:"controller"`
	Job        JobInfo        `json:"job"`
	Tokens     []TokenResult  `json:"tokens"`
	Verdict    string         `json:"verdict"`
	Summary    string         `json:"summary"`
}

// ControllerInfo names the controller whose tokens were checked.
type ControllerInfo struct {
	// Position is where unclassified.location.url is written (else the
	// first JCasC file of the controller).
	Position string `json:"position"`
	RootURL  string `json:"rootUrl"`
	Issuer   string `json:"issuer"`
}

// JobInfo is the job the build runs in.
type JobInfo struct {
	FullName    string `json:"fullName"`
	URL         string `json:"url"`
	Branch      string `json:"branch,omitempty"`
	PullRequest string `json:"pullRequest,omitempty"`
}

// TokenResult is one token of the build (one credential) and every
// trust's answer to it.
type TokenResult struct {
	Credential string        `json:"credential"`
	Kind       string        `json:"kind"`
	Position   string        `json:"position"`
	Folder     string        `json:"folder,omitempty"`
	Claims     []ClaimInfo   `json:"claims"`
	Fails      string        `json:"fails,omitempty"`
	Trusts     []TrustResult `json:"trusts"`
}

// ClaimInfo is one claim of a token. A value that is not known before the
// build runs keeps its ${…} and Known is false.
type ClaimInfo struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	Known bool   `json:"known"`
}

// TrustResult is one trust's answer.
type TrustResult struct {
	Kind     string      `json:"kind"`
	Name     string      `json:"name"`
	Position string      `json:"position"`
	Result   string      `json:"result"`
	Checks   []CheckInfo `json:"checks"`
}

// CheckInfo is one check of a trust.
type CheckInfo struct {
	Claim    string `json:"claim"`
	Test     string `json:"test"`
	Result   string `json:"result"`
	Message  string `json:"message"`
	Position string `json:"position,omitempty"`
}

// Trust results.
const (
	Accepts = "accepts"
	Rejects = "rejects"
	Unknown = "unknown"
)

// UsageError is a request the inputs cannot answer (no controller, an
// unknown credential): the command's exit code 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usage(format string, a ...any) error { return &UsageError{fmt.Sprintf(format, a...)} }

// Run answers a request from the JCasC documents and trust documents of a
// workspace (trust.Link already applied).
func Run(docs []*jcasc.Doc, trusts []*trust.Doc, paths []string, req Request) (*Result, error) {
	ctls := Controllers(docs)
	ctl, err := pickController(ctls, req.Job, paths)
	if err != nil {
		return nil, err
	}
	job := idtoken.ParseJob(req.Job, req.Branch, req.PR)
	if strings.Contains(req.Job, "://") && !strings.Contains(req.Job, "/job/") || len(job.FullName) == 0 || req.Branch != "" && len(job.FullName) == 1 || req.PR != "" && len(job.FullName) == 1 {
		return nil, usage("--job %q names no job: give its URL (https://ci.example.com/job/team/job/app/) or full name (team/app)", req.Job)
	}
	idt := ctl.IDT
	res := &Result{Tokens: []TokenResult{}}
	res.Controller = controllerInfo(ctl)
	env := idt.Env(job)
	res.Job = JobInfo{FullName: strings.Join(job.FullName, "/"), URL: env["JOB_URL"], Branch: job.Branch, PullRequest: job.ChangeID}
	if res.Job.URL == "" {
		res.Job.URL = "${JENKINS_URL}" + job.URL()
	}
	if job.ChangeID != "" {
		res.Job.Branch = ""
	}
	creds, err := pickCredentials(idt, job, req.Credential)
	if err != nil {
		return nil, err
	}
	all := Trusts(trusts)
	accepted, undecided := 0, 0
	var acceptedNames []string
	for _, cr := range creds {
		tok := idt.Claims(cr, job)
		tr := TokenResult{Credential: cr.ID.Text, Kind: cr.Kind, Position: ctl.shown(cr.ID.Pos), Folder: cr.Folder,
			Claims: claimInfos(tok), Fails: tok.Fails, Trusts: []TrustResult{}}
		if !cr.ID.IsSet() {
			tr.Position = ctl.shown(cr.KindAt.Pos)
		}
		if cr.NotServed() {
			tr.Fails = "the credential is in domain '" + cr.Domain + "': the oidc-provider plugin serves credentials of the global domain only, so no token is issued"
		} else if cr.Folder != "" && !inFolder(job, cr.Folder) {
			tr.Fails = "the credential belongs to folder '" + cr.Folder + "': jobs outside it cannot use it"
		}
		for _, t := range all {
			o := Evaluate(t, tok)
			r := TrustResult{Kind: KindID(t.Kind), Name: t.Name, Position: t.Where.Pos.String(), Checks: []CheckInfo{}}
			switch {
			case tr.Fails != "":
				r.Result = Rejects
			case o.Result == trust.Holds:
				r.Result = Accepts
			case o.Result == trust.Fails:
				r.Result = Rejects
			default:
				r.Result = Unknown
			}
			for _, c := range o.Checks {
				ci := CheckInfo{Claim: c.Claim, Test: c.Test, Result: c.Result.String(), Message: c.Message}
				if c.Where.IsValid() {
					ci.Position = c.Where.Pos.String()
				}
				r.Checks = append(r.Checks, ci)
			}
			switch r.Result {
			case Accepts:
				accepted++
				acceptedNames = append(acceptedNames, t.Kind.String()+" "+t.Name+" (token of '"+cr.ID.Text+"')")
			case Unknown:
				undecided++
			}
			tr.Trusts = append(tr.Trusts, r)
		}
		res.Tokens = append(res.Tokens, tr)
	}
	switch {
	case len(creds) == 0:
		res.Verdict = VerdictRejected
		res.Summary = "no id-token credential of the controller can be used by " + res.Job.FullName + ": define an idToken or idTokenFile credential (in the global domain, at the root or in a folder above the job)"
	case len(all) == 0:
		res.Verdict = VerdictRejected
		res.Summary = "no trust policy, pool provider, Vault role or federated credential in PATH"
	case accepted > 0 && undecided == 0:
		res.Verdict = VerdictAccepted
		res.Summary = fmt.Sprintf("%s can assume %d: %s", res.Job.FullName, accepted, strings.Join(acceptedNames, ", "))
	case accepted > 0:
		res.Verdict = VerdictUndecided
		res.Summary = fmt.Sprintf("%s can assume %d (%s); %d cannot be decided", res.Job.FullName, accepted, strings.Join(acceptedNames, ", "), undecided)
	case undecided > 0:
		res.Verdict = VerdictUndecided
		res.Summary = fmt.Sprintf("no trust is known to accept a token of %s; %d cannot be decided", res.Job.FullName, undecided)
	default:
		res.Verdict = VerdictRejected
		res.Summary = fmt.Sprintf("no trust accepts a token of %s", res.Job.FullName)
	}
	return res, nil
}

// Failed reports whether the answer is exit code 1: no trust accepts a
// token of the build, or a check could not be made.
func (r *Result) Failed() bool { return r.Verdict != VerdictAccepted }

// shown renders a position of one of the controller's JCasC files where
// people see it (the container of an embedded document).
func (c *Controller) shown(p report.Position) string {
	if !p.IsValid() {
		return p.Path
	}
	if f := c.File(p.Path); f != nil {
		return f.Shown(p).String()
	}
	return p.String()
}

func controllerInfo(c *Controller) ControllerInfo {
	idt := c.IDT
	ci := ControllerInfo{RootURL: idt.RootURL.Text, Issuer: idt.Issuer.Text}
	if idt.RootURL.IsSet() {
		ci.Position = c.shown(idt.RootURL.Pos)
		for _, d := range c.Docs {
			if d.IDTokens != nil && d.IDTokens.RootURL.IsSet() {
				ci.Position = c.shown(d.IDTokens.RootURL.Pos)
				break
			}
		}
	} else if len(c.Docs) > 0 {
		ci.Position = c.Docs[0].File.Name()
	}
	return ci
}

// pickController chooses the controller the job runs on: the only one, or
// the one whose root URL starts the job's URL.
func pickController(ctls []*Controller, job string, paths []string) (*Controller, error) {
	where := strings.Join(paths, " ")
	if where == "" {
		where = "."
	}
	if len(ctls) == 0 {
		return nil, usage("no JCasC configuration found in %s: the controller's unclassified.location.url and id-token credentials tell what its tokens carry", where)
	}
	if len(ctls) == 1 {
		return ctls[0], nil
	}
	var hit []*Controller
	var names []string
	for _, c := range ctls {
		names = append(names, c.Key)
		root := c.IDT.RootURL
		if root.Known && root.Text != "" && strings.HasPrefix(strings.ToLower(job), strings.ToLower(strings.TrimSuffix(root.Text, "/"))+"/") {
			hit = append(hit, c)
		}
	}
	if len(hit) == 1 {
		return hit[0], nil
	}
	return nil, usage("%d Jenkins controllers found (%s): give the job's full URL under one controller's unclassified.location.url, or name only that controller's files", len(ctls), strings.Join(names, ", "))
}

// pickCredentials lists the credentials whose tokens the build can get:
// the one asked for, or every id-token credential of the global domain
// at the root or in a folder above the job.
func pickCredentials(idt *idtoken.Controller, job idtoken.Job, id string) ([]*idtoken.Credential, error) {
	if id != "" {
		var ids []string
		for _, cr := range idt.Credentials {
			if cr.ID.Known && cr.ID.Text == id {
				return []*idtoken.Credential{cr}, nil
			}
			ids = append(ids, cr.ID.Text)
		}
		defined := "none is defined"
		if len(ids) > 0 {
			defined = "defined: " + strings.Join(ids, ", ")
		}
		return nil, usage("--credential %s: no idToken or idTokenFile credential with that ID (%s)", id, defined)
	}
	var out []*idtoken.Credential
	for _, cr := range idt.Credentials {
		if cr.NotServed() || cr.Folder != "" && !inFolder(job, cr.Folder) {
			continue
		}
		out = append(out, cr)
	}
	return out, nil
}

// inFolder reports whether the job lies inside folder (a full name).
func inFolder(job idtoken.Job, folder string) bool {
	segs := strings.Split(folder, "/")
	if len(segs) >= len(job.FullName) {
		return false
	}
	for i, s := range segs {
		if job.FullName[i] != s {
			return false
		}
	}
	return true
}

func claimInfos(tok idtoken.Token) []ClaimInfo {
	out := []ClaimInfo{{Name: "iss", Value: tok.Iss.Value, Known: tok.Iss.Known}}
	if tok.Aud.Present {
		out = append(out, ClaimInfo{Name: "aud", Value: tok.Aud.Value, Known: tok.Aud.Known})
	}
	for _, c := range tok.Claims {
		out = append(out, ClaimInfo{Name: c.Name, Value: c.Value, Known: c.Known})
	}
	return out
}
