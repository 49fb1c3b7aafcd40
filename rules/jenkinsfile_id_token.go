package rules

import (
	"fmt"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jenkinsfile"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/shell"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// IDTokenAudience: see docs/id-token-audience.md.
var IDTokenAudience = &Rule{ID: "id-token-audience", Workspace: checkIDTokenNoAudience, Pipeline: checkIDTokenTargets}

// tokenTarget is a relying party a pipeline sends an id token to.
type tokenTarget struct {
	name   string // "AWS STS web identity federation"
	expect string // what it expects, completing "which expects …"
	ok     func(aud string) bool
	pos    report.Position // where the pipeline sends the token
}

const (
	awsAudience   = "sts.amazonaws.com"
	azureAudience = "api://AzureADTokenExchange"
)

func awsTarget(pos report.Position) tokenTarget {
	return tokenTarget{"AWS STS web identity federation", "the audience " + awsAudience, func(a string) bool { return a == awsAudience }, pos}
}

func azureTarget(pos report.Position) tokenTarget {
	return tokenTarget{"Azure workload identity federation", "the audience " + azureAudience, func(a string) bool { return a == azureAudience }, pos}
}

func gcpTarget(pos report.Position, provider string) tokenTarget {
	expect := "the audience //iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>"
	if provider != "" {
		expect = "the audience //iam.googleapis.com/" + provider
	}
	return tokenTarget{"Google Cloud workload identity federation", expect, func(a string) bool {
		if !(strings.HasPrefix(a, "//iam.googleapis.com/") || strings.HasPrefix(a, "https://iam.googleapis.com/")) ||
			!strings.Contains(a, "/workloadIdentityPools/") || !strings.Contains(a, "/providers/") {
			return false
		}
		return provider == "" || strings.HasSuffix(a, "/"+provider)
	}, pos}
}

func vaultTarget(pos report.Position) tokenTarget {
	return tokenTarget{"HashiCorp Vault JWT auth", "an audience listed in the role's bound_audiences, never a cloud provider's", func(a string) bool {
		return a != awsAudience && a != azureAudience && !strings.HasPrefix(a, "//iam.googleapis.com/") && !strings.HasPrefix(a, "https://iam.googleapis.com/")
	}, pos}
}

func isIDTokenKind(kind string) bool { return kind == "idToken" || kind == "idTokenFile" }

// checkIDTokenNoAudience reports idToken credentials without an audience,
// naming the pipelines that use them and where they send the token.
func checkIDTokenNoAudience(p *Pass) {
	uses := map[string][]tokenUseFact{}
	for _, pf := range p.facts {
		for _, u := range pf.tokenUses {
			uses[u.id] = append(uses[u.id], u)
		}
	}
	for _, d := range p.WS.JCasC {
		for _, c := range d.Credentials {
			if !isIDTokenKind(c.Kind) || tree.IsVariable(c.Audience.Value) || strings.TrimSpace(c.Audience.Value) != "" {
				continue
			}
			id := c.ID.Value
			msg := fmt.Sprintf("%s credential '%s' has no audience: the oidc-provider plugin then issues tokens without an aud claim, which AWS, Google Cloud and Azure reject and which every relying party that trusts this Jenkins accepts; set audience to the one system the token is for", c.Kind, id)
			var rel []report.Related
			var hints []string
			seen := map[string]bool{}
			for _, u := range uses[id] {
				rel = append(rel, report.Related{Pos: u.pos, Message: "used here"})
				for _, t := range u.targets {
					if !seen[t.name] {
						seen[t.name] = true
						hints = append(hints, fmt.Sprintf("%s, which expects %s", t.name, t.expect))
					}
				}
			}
			if len(hints) > 0 {
				msg += " (a pipeline sends it to " + strings.Join(hints, "; and to ") + ")"
			}
			p.Report(report.Finding{Pos: c.KindAt.Pos(d.File), End: c.KindAt.End(d.File), Message: msg, Related: rel})
		}
	}
}

// checkIDTokenTargets reports a pipeline sending an id token to a relying
// party that expects another audience than the credential's.
func checkIDTokenTargets(p *Pass, _ *jenkinsfile.File) {
	idx := p.index().creds
	for _, u := range p.pipeline.tokenUses {
		def := idTokenDef(idx[u.id])
		aud := def.c.Audience
		if !aud.NonEmpty() || tree.IsVariable(aud.Value) {
			continue
		}
		for _, t := range u.targets {
			if t.ok(aud.Value) {
				continue
			}
			p.Report(report.Finding{Pos: u.pos, End: u.end,
				Message: fmt.Sprintf("this pipeline sends the id token '%s' to %s, which expects %s, but the credential's audience is %q: the token exchange fails at run time, and widening the trust on the other side is not the fix; use one idToken credential per target, with that target's audience", u.id, t.name, t.expect, aud.Value),
				Related: []report.Related{
					{Pos: aud.At.Pos(def.doc.File), Message: "the credential's audience"},
					{Pos: t.pos, Message: "the token goes to " + t.name + " here"},
				}})
		}
	}
}

// idTokenDef returns the idToken/idTokenFile definition among defs.
func idTokenDef(defs []credDef) *credDef {
	for i := range defs {
		if isIDTokenKind(defs[i].c.Kind) {
			return &defs[i]
		}
	}
	return nil
}

// mentions reports whether text reads one of the variables: $X, ${X},
// %X%, $env:X, env.X.
func mentions(text string, vars map[string]bool) bool {
	for v := range vars {
		for _, form := range []string{"$" + v, "${" + v, "%" + v + "%", "$env:" + v, "env." + v} {
			for from := 0; ; {
				k := strings.Index(text[from:], form)
				if k < 0 {
					break
				}
				e := from + k + len(form)
				if e >= len(text) || !shell.IsIdentByte(text[e]) {
					return true
				}
				from = e
			}
		}
	}
	return false
}

// readsAny reports whether one of the words mentions one of the variables.
func readsAny(words []*shell.Word, vars map[string]bool) bool {
	for _, w := range words {
		if mentions(w.Text, vars) {
			return true
		}
	}
	return false
}

// tokenTargets finds where a pipeline sends the token of binding b: its
// variable named as one of tokenEnvVars (AWS_WEB_IDENTITY_TOKEN_FILE,
// AZURE_FEDERATED_TOKEN_FILE), and, in the shell steps inside the binding,
// the commands of tokenExchanges that read the variable (aws sts
// assume-role-with-web-identity, az login --federated-token, gcloud …
// workload identity pools, vault write auth/…/login); exports of those
// variables, withEnv and withAWS.
func tokenTargets(pf *jenkinsfile.File, b *jenkinsfile.Binding, scripts *shell.Cache) []tokenTarget {
	var out []tokenTarget
	seen := map[string]bool{}
	add := func(t tokenTarget) {
		if !seen[t.name] {
			seen[t.name] = true
			out = append(out, t)
		}
	}
	envTarget := func(name string, pos report.Position) {
		if target := tokenEnvVars()[strings.ToUpper(name)]; target != nil {
			add(target(pos))
		}
	}
	vars := map[string]bool{}
	for _, v := range b.Vars {
		vars[v.Name] = true
		envTarget(v.Name, v.Pos)
	}
	for _, st := range pf.Steps {
		inside := false
		for _, v := range st.InScope() {
			if v.Binding == b {
				inside = true
				break
			}
		}
		if !inside {
			continue
		}
		for _, ev := range st.Env() {
			if ev.Cred == nil && mentions(ev.Value.Text, vars) {
				envTarget(ev.Name, ev.Pos)
			}
		}
		var sc *shell.Script
		if scripts != nil {
			sc = scripts.Step(pf, st)
		} else {
			sc = shell.ParseStep(pf, st)
		}
		if sc == nil {
			continue
		}
		for _, c := range sc.Cmds {
			name, args, assigns := c.Name(sc.Dialect)
			if _, ok := printers()[name]; ok {
				continue
			}
			if envSetters(name) {
				assigns = append(assigns, args...)
			}
			for _, a := range assigns {
				if k := strings.IndexByte(a.Text, '='); k > 0 && mentions(a.Text[k:], vars) {
					envTarget(a.Text[:k], sc.Pos(a.Start))
				}
			}
			x := tokenExchangeByCmd()[name]
			if x == nil || !readsAny(c.Words, vars) {
				continue
			}
			for _, a := range args {
				if x.Arg(a.Text) {
					add(x.Target(sc.Pos(a.Start), args))
					break
				}
			}
		}
	}
	for _, u := range pf.Uses {
		if u.Kind != "aws" || b.Scope == nil || u.Node == nil {
			continue
		}
		s, e := b.Scope.Span()
		us, _ := u.Node.Span()
		if us < s || us >= e {
			continue
		}
		for _, o := range u.Options {
			if mentions(o.Value.Text, vars) {
				add(awsTarget(o.Value.Pos))
			}
		}
	}
	return out
}
