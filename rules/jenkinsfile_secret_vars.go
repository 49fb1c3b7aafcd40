package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jenkinsfile"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/shell"
)

// SecretInterpolation: see docs/secret-interpolation.md.
var SecretInterpolation = &Rule{ID: "secret-interpolation", Pipeline: checkSecretInterpolation}

// scopeMap indexes the credential variables around a step by name.
func scopeMap(st *jenkinsfile.Step) map[string]jenkinsfile.ScopedVar {
	vars := st.InScope()
	if len(vars) == 0 {
		return nil
	}
	m := make(map[string]jenkinsfile.ScopedVar, len(vars))
	for _, v := range vars {
		if v.Name != "" {
			m[v.Name] = v
		}
	}
	if len(m) == 0 { // bindings without a variable name bind nothing
		return nil
	}
	return m
}

// bindingDesc names a binding for messages: string(credentialsId: 'x'),
// credentials('x'). IDs are never secrets.
func bindingDesc(b *jenkinsfile.Binding) string {
	id := b.ID.Text
	if !b.ID.Valid() {
		id = "?"
	}
	switch b.Kind {
	case "credentials":
		return fmt.Sprintf("credentials('%s') in an environment block", id)
	case "vault":
		return fmt.Sprintf("withVault (vaultCredentialId '%s')", id)
	}
	return fmt.Sprintf("%s(credentialsId: '%s')", b.Kind, id)
}

func boundHere(pf *jenkinsfile.File, v jenkinsfile.ScopedVar) []report.Related {
	return []report.Related{{Pos: v.Binding.Pos, Message: v.Name + " is bound here"}}
}

// shellFix says how the step's shell should read variable name instead.
func shellFix(step, name string) string {
	switch shell.DialectOf(step) {
	case shell.Bat:
		return "write %" + name + "% (Groovy leaves it alone, cmd expands it)"
	case shell.PowerShell:
		return "write $env:" + name + " in a single-quoted string, or escape the dollar (\\$env:" + name + ")"
	}
	return "write $" + name + " in a single-quoted string, or escape the dollar (\\$" + name + ")"
}

// partVar returns the credential variable an interpolation part reads
// ("" when none): ${TOKEN}, $TOKEN, ${env.TOKEN}, ${TOKEN.trim()}, and
// any expression that mentions one (${"Bearer " + TOKEN}) unless it only
// tests or measures it.
func partVar(part *jenkinsfile.StringPart, vars map[string]jenkinsfile.ScopedVar) (jenkinsfile.ScopedVar, bool) {
	if name, _, ok := shell.GroovyChain(strings.TrimSpace(part.Text)); ok {
		v, found := vars[name]
		return v, found
	}
	if part.Kind != jenkinsfile.ExprPart || strings.ContainsAny(part.Text, "?<>=!") ||
		strings.Contains(part.Text, ".length") || strings.Contains(part.Text, ".size") || strings.Contains(part.Text, "isEmpty") {
		return jenkinsfile.ScopedVar{}, false
	}
	for _, r := range part.Refs() {
		name := strings.TrimPrefix(r.Name, "env.")
		if k := strings.IndexByte(name, '.'); k >= 0 {
			name = name[:k]
		}
		if v, ok := vars[name]; ok {
			return v, true
		}
	}
	return jenkinsfile.ScopedVar{}, false
}

// partSpan is the file span of an interpolation: ${…} or $name.
func partSpan(part *jenkinsfile.StringPart) (int, int) {
	if part.Kind == jenkinsfile.ExprPart {
		return part.Off - 2, part.End + 1
	}
	return part.Off - 1, part.End
}

func checkSecretInterpolation(p *Pass, pf *jenkinsfile.File) {
	seen := seenAt{}
	for _, st := range pf.Steps {
		vars := scopeMap(st)
		if vars == nil {
			continue
		}
		for _, t := range st.Strings {
			if !t.Quote.GString() {
				continue
			}
			for k := range t.Parts {
				part := &t.Parts[k]
				if part.Kind == jenkinsfile.LitPart {
					continue
				}
				v, ok := partVar(part, vars)
				if !ok {
					continue
				}
				s, e := partSpan(part)
				if !seen.first(pf.Src.Path, s) {
					continue
				}
				p.Report(report.Finding{
					Pos: pf.PosAt(s), End: pf.PosAt(e),
					Message: fmt.Sprintf("Groovy interpolates the credential variable %s (bound by %s) into the %s script: the secret becomes part of the script text, visible in the agent's process list, the script file and thread dumps, and its shell metacharacters are interpreted; let the shell expand it instead: %s",
						v.Name, bindingDesc(v.Binding), st.Name, shellFix(st.Name, v.Name)),
					Related: boundHere(pf, v),
				})
			}
		}
	}
}

// exposureMaybe is a cheap test that a script may print a credential
// variable: it names one, or holds a command that dumps the environment.
func exposureMaybe(s string, st *jenkinsfile.Step) bool {
	if containsFold(s, "env") || containsFold(s, "set") || containsFold(s, "export") {
		return true
	}
	for _, v := range st.InScope() {
		if v.Name != "" && strings.Contains(s, v.Name) {
			return true
		}
	}
	return false
}

// groovyHit is a credential variable printed by echo/print/println.
type groovyHit struct {
	s, e   int
	v      jenkinsfile.ScopedVar
	sliced bool
}

// groovyPrinted finds the credential variables an echo prints: ${TOKEN}
// in its message, or TOKEN, env.TOKEN, TOKEN.take(4) as an operand.
func groovyPrinted(st *jenkinsfile.Step, vars map[string]jenkinsfile.ScopedVar) []groovyHit {
	var out []groovyHit
	for _, t := range st.Strings {
		if !t.Quote.GString() {
			continue
		}
		for k := range t.Parts {
			part := &t.Parts[k]
			if part.Kind == jenkinsfile.LitPart {
				continue
			}
			name, sliced, ok := shell.GroovyChain(strings.TrimSpace(part.Text))
			if !ok {
				continue
			}
			if v, found := vars[name]; found && !usernameVar(v) {
				s, e := partSpan(part)
				out = append(out, groovyHit{s, e, v, sliced})
			}
		}
	}
	script := st.Script
	if st.From != nil && st.From.Node != nil {
		script = st.From.Node.RHS
	}
	stack := []jenkinsfile.Node{script}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		var src string
		switch x := n.(type) {
		case *jenkinsfile.Binary:
			if x.Op == "+" {
				stack = append(stack, x.Y, x.X)
			}
			continue
		case *jenkinsfile.Name:
			src = x.Name
		case *jenkinsfile.Prop:
			d, ok := jenkinsfile.DottedName(x)
			if !ok {
				continue
			}
			src = d
		case *jenkinsfile.Call:
			if x.Recv == nil {
				continue
			}
			d, ok := jenkinsfile.DottedName(x.Recv)
			if !ok {
				continue
			}
			src = d + "." + x.Name + "()"
		default:
			continue
		}
		name, sliced, ok := shell.GroovyChain(src)
		if !ok {
			continue
		}
		if v, found := vars[name]; found && !usernameVar(v) {
			s, e := n.Span()
			out = append(out, groovyHit{s, e, v, sliced})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].s < out[j].s })
	return out
}

// exposure is a place a script prints a credential variable.
type exposure struct {
	s, e int
	v    jenkinsfile.ScopedVar
	msg  string
}

// usernameVar: a binding's user name is not the secret part.
func usernameVar(v jenkinsfile.ScopedVar) bool {
	return v.Role == "usernameVariable" || v.Role == "env" && strings.HasSuffix(v.Name, "_USR")
}

// fileRoles are the binding variables that hold the path of a secret file.
func fileVar(v jenkinsfile.ScopedVar) bool {
	switch v.Role {
	case "keyFileVariable", "keystoreVariable":
		return true
	case "variable":
		return v.Binding.Kind == "file"
	}
	return false
}

const logNote = "Jenkins masks only the exact bound value in the console, not encoded, sliced or split forms, and logs travel further than the credential"

// exposedInScript finds where a script prints the credential variables
// vars: printers not redirected or piped into a consumer, file dumpers
// given a secret file, printenv NAME, the environment dumpers, and
// tracing (set -x) while a credential is in use (the tables of
// shell_tables.go). captured: the step returns its output (returnStdout:
// true).
func exposedInScript(sc *shell.Script, vars map[string]jenkinsfile.ScopedVar, captured bool) []exposure {
	var out []exposure
	tracing := false // set -x is on; traceS, traceE is its flag
	var traceS, traceE int
	traceReported := false
	if sc.Dialect == shell.Sh && strings.HasPrefix(sc.Text, "#!") {
		line, _, _ := strings.Cut(sc.Text, "\n")
		for _, f := range strings.Fields(line)[1:] {
			if k := xFlag(f); k >= 0 {
				i := strings.Index(line, f) + k
				tracing, traceS, traceE = true, i, i+1
				if f == "-x" {
					traceS, traceE = i-1, i+1
				}
			}
		}
	}
	for _, c := range sc.Cmds {
		name, args, assigns := c.Name(sc.Dialect)
		kept := c.OutputKept(sc.Dialect)
		// tracing on and off
		if name == "set" && sc.Dialect == shell.Sh {
			for k, a := range args {
				t := a.Text
				switch {
				case strings.HasPrefix(t, "-") && xFlag(t) >= 0:
					i := a.Index(xFlag(t))
					tracing, traceS, traceE, traceReported = true, i, i+1, false
					if t == "-x" {
						traceS = a.Start
					}
				case t == "-o" && k+1 < len(args) && args[k+1].Text == "xtrace":
					tracing, traceS, traceE, traceReported = true, a.Start, args[k+1].End, false
				case strings.HasPrefix(t, "+") && strings.IndexByte(t, 'x') >= 0, t == "+o" && k+1 < len(args) && args[k+1].Text == "xtrace":
					tracing = false
				}
			}
			if what, ok := envDumperOf(name, sc.Dialect, args); ok && !kept && !captured {
				out = append(out, envDump(c, sc.Dialect, vars, what))
			}
			continue
		}
		if tracing && !traceReported {
			if v, ok := firstRef(c, assigns, vars); ok {
				traceReported = true
				out = append(out, exposure{traceS, traceE, v, fmt.Sprintf("shell tracing (set -x) is on while the credential variable %s (bound by %s) is used: the shell writes each command to the build log after expansion; %s; turn tracing off (set +x) before using secrets", v.Name, bindingDesc(v.Binding), logNote)})
			}
		}
		if captured || kept {
			continue
		}
		switch {
		case printers()[name].Logs:
			via := ""
			if c.PipeTo != nil {
				pn, _, _ := c.PipeTo.Name(sc.Dialect)
				via = " (through " + pn + ")"
			}
			for _, a := range args {
				for _, r := range a.Refs {
					v, ok := vars[r.Name]
					if !ok || fileVar(v) || usernameVar(v) {
						continue
					}
					what := "the credential variable " + v.Name
					if r.Sliced || via != "" {
						what = "a transformed value of the credential variable " + v.Name
					}
					out = append(out, exposure{r.Start, r.End, v, fmt.Sprintf("%s prints %s (bound by %s) to the build log%s: %s; do not print secrets (test presence instead: test -n \"$%s\")", c.Display(sc.Dialect), what, bindingDesc(v.Binding), via, logNote, v.Name)})
				}
			}
		case fileDumpers(name):
			for _, a := range args {
				for _, r := range a.Refs {
					if v, ok := vars[r.Name]; ok && fileVar(v) {
						out = append(out, exposure{r.Start, r.End, v, fmt.Sprintf("%s prints the secret file %s (bound by %s) to the build log: Jenkins masks the file's path, not its contents; pass the file to the tool that needs it instead", c.Display(sc.Dialect), v.Name, bindingDesc(v.Binding))})
					}
				}
			}
		case name == "printenv" && len(args) > 0:
			for _, a := range args {
				if v, ok := vars[a.Text]; ok && !usernameVar(v) {
					out = append(out, exposure{a.Start, a.End, v, fmt.Sprintf("printenv prints the credential variable %s (bound by %s) to the build log: %s", v.Name, bindingDesc(v.Binding), logNote)})
				}
			}
		default:
			if what, ok := envDumperOf(name, sc.Dialect, args); ok {
				out = append(out, envDump(c, sc.Dialect, vars, what))
			}
		}
		for _, inner := range sc.Inner(c) {
			out = append(out, exposedInScript(inner, vars, captured)...)
		}
	}
	return out
}

// xFlag returns the index of 'x' in a set/shebang option group such as -x,
// -ex or -euxo, or -1.
func xFlag(t string) int {
	if len(t) < 2 || t[0] != '-' || t[1] == '-' {
		return -1
	}
	for k := 1; k < len(t); k++ {
		c := t[k]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return -1
		}
	}
	return strings.IndexByte(t, 'x')
}

// firstRef returns the first credential variable a command reads.
func firstRef(c *shell.Cmd, assigns []*shell.Word, vars map[string]jenkinsfile.ScopedVar) (jenkinsfile.ScopedVar, bool) {
	for _, list := range [][]*shell.Word{assigns, c.Words} {
		for _, w := range list {
			for _, r := range w.Refs {
				if v, ok := vars[r.Name]; ok && !usernameVar(v) {
					return v, true
				}
			}
		}
	}
	return jenkinsfile.ScopedVar{}, false
}

// envDump reports a command that prints every variable, naming the
// credential variables in scope (sorted).
func envDump(c *shell.Cmd, d shell.Dialect, vars map[string]jenkinsfile.ScopedVar, what string) exposure {
	names := make([]string, 0, len(vars))
	for n := range vars {
		names = append(names, n)
	}
	sort.Strings(names)
	w := c.Words[0]
	if i, _ := c.NameIndex(d); i < len(c.Words) {
		w = c.Words[i]
	}
	v := vars[names[0]]
	return exposure{w.Start, w.End, v, fmt.Sprintf("%s, the credential variables bound here (%s) included, to the build log: %s; print only the variables you need", what, strings.Join(names, ", "), logNote)}
}
