package rules

import (
	"regexp"
	"strings"
	"sync"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jenkinsfile"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/shell"
)

// TLSVerificationDisabled: see docs/tls-verification-disabled.md.
var TLSVerificationDisabled = &Rule{ID: "tls-verification-disabled", Workspace: checkRealmTLS, Pipeline: checkPipelineTLS}

// tlsSite is one place a pipeline turns TLS verification off.
type tlsSite struct {
	s, e int // script-text span
	msg  string
}

func checkPipelineTLS(p *Pass, pf *jenkinsfile.File) {
	seen := seenAt{}
	for _, st := range pf.Steps {
		if st.Text == nil || !tlsMaybe(st.Text.S) {
			continue
		}
		sc := scriptOf(p, pf, st)
		if sc == nil {
			continue
		}
		for _, site := range tlsInScript(sc) {
			if seen.first(pf.Src.Path, sc.Offset(site.s)) {
				p.Report(scriptFinding(sc, site.s, site.e, site.msg))
			}
		}
	}
	for _, ev := range pf.Env {
		msg, ok := tlsEnv(ev.Name, ev.Value.Text, ev.Value.Literal || isNumberValue(ev.Value))
		if !ok || (ev.Value.Text == "null" && !ev.Value.Literal) {
			continue
		}
		start := pf.Src.Offset(ev.Pos.Line, ev.Pos.Col)
		if !seen.first(pf.Src.Path, start) {
			continue
		}
		end := ev.Value.OffsetAt(len(ev.Value.Text))
		where := map[string]string{"environment": "the environment block", "withEnv": "withEnv", "env": "env." + ev.Name}[ev.Source]
		p.Report(report.Finding{Pos: ev.Pos, End: pf.PosAt(end), Message: msg + " (set by " + where + ")"})
	}
}

func isNumberValue(v jenkinsfile.Value) bool {
	_, ok := v.Node.(*jenkinsfile.Const)
	return ok
}

// tlsMaybe is a cheap test that a script may hold one of the settings
// tlsInScript looks for, so that most scripts are not lexed.
func tlsMaybe(s string) bool {
	for _, w := range []string{"curl", "insecure", "verify", "no-check-certificate", "node_tls_reject", "skipcertificatecheck", "strict-ssl", "trusted-host", "ssl.allowall"} {
		if containsFold(s, w) {
			return true
		}
	}
	return false
}

var pyVerifyFalse = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(^|[^A-Za-z0-9_.])verify\s*=\s*False\b`) })

// tlsInScript finds the commands and settings of a script that turn TLS
// verification off: the switches of tlsSwitches, the variables of
// tlsEnvVars, Python's verify=False, in the script and in its sh -c
// scripts.
func tlsInScript(sc *shell.Script) []tlsSite {
	var out []tlsSite
	for _, c := range sc.Cmds {
		name, args, assigns := c.Name(sc.Dialect)
		for _, a := range assigns {
			out = append(out, tlsAssign(a, sc.Dialect)...)
		}
		if _, ok := printers()[name]; ok {
			continue
		}
		if envSetters(name) {
			for _, a := range args {
				out = append(out, tlsAssign(a, sc.Dialect)...)
			}
			if name == "setx" && len(args) >= 2 {
				if msg, ok := tlsEnv(args[0].Text, args[1].Text, true); ok {
					out = append(out, tlsSite{args[0].Start, args[1].End, msg})
				}
			}
		} else if row := tlsSwitchesByCmd()[name]; row != nil {
			out = append(out, row.find(name, args)...)
		}
		if sc.Dialect == shell.PowerShell && len(c.Words) > 0 {
			out = append(out, psEnvAssign(c)...)
		}
		out = append(out, verifyFalse(c)...)
		for _, inner := range sc.Inner(c) {
			out = append(out, tlsInScript(inner)...)
		}
	}
	return out
}

// tlsAssign judges a NAME=value word.
func tlsAssign(w *shell.Word, d shell.Dialect) []tlsSite {
	eq := strings.IndexByte(w.Text, '=')
	if eq <= 0 {
		return nil
	}
	name := w.Text[:eq]
	if d != shell.Sh {
		name = strings.ToUpper(name)
	}
	val := w.Text[eq+1:]
	if msg, ok := tlsEnv(name, val, len(w.Refs) == 0); ok {
		return []tlsSite{{w.Start, w.End, msg}}
	}
	return nil
}

// psEnvAssign reads $env:NAME = "value" in PowerShell.
func psEnvAssign(c *shell.Cmd) []tlsSite {
	w := c.Words[0]
	if len(w.Text) < 6 || !strings.EqualFold(w.Text[:5], "$env:") {
		return nil
	}
	name, val := w.Text[5:], ""
	end := w.End
	if eq := strings.IndexByte(name, '='); eq >= 0 {
		name, val = name[:eq], name[eq+1:]
	} else if len(c.Words) >= 3 && c.Words[1].Text == "=" {
		val, end = c.Words[2].Text, c.Words[2].End
	} else if len(c.Words) >= 2 && strings.HasPrefix(c.Words[1].Text, "=") {
		val, end = c.Words[1].Text[1:], c.Words[1].End
	} else {
		return nil
	}
	if msg, ok := tlsEnv(strings.ToUpper(name), val, true); ok {
		return []tlsSite{{w.Start, end, msg}}
	}
	return nil
}

// verifyFalse finds Python's requests verify=False in a command's words
// (python -c '…', a here-document fed to python).
func verifyFalse(c *shell.Cmd) []tlsSite {
	var out []tlsSite
	for k, w := range c.Words {
		t := w.Text
		if !strings.Contains(t, "verify") {
			continue
		}
		// verify = False written as three words
		if t == "verify" && k+2 < len(c.Words) && c.Words[k+1].Text == "=" && strings.HasPrefix(c.Words[k+2].Text, "False") {
			out = append(out, tlsSite{w.Start, c.Words[k+2].Index(5), pyMsg})
			continue
		}
		for _, m := range pyVerifyFalse().FindAllStringSubmatchIndex(t, -1) {
			s := m[3]
			out = append(out, tlsSite{w.Index(s), w.Index(m[1]-1) + 1, pyMsg})
		}
	}
	return out
}

const pyMsg = "verify=False makes Python requests skip TLS certificate verification: anyone on the network path can answer; pass verify='/path/to/ca.pem' or set REQUESTS_CA_BUNDLE instead"

func checkRealmTLS(p *Pass) {
	for _, r := range p.WS.Realms() {
		if r.DisableSSLVerification.On() {
			reportSwitch(p, r.File, r.DisableSSLVerification,
				"TLS certificate verification is disabled for calls to the provider (disableSslVerification: true): anyone on the network path can impersonate the provider; trust the provider's CA in the JVM truststore instead")
		}
	}
}
