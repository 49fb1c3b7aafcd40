package rules

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/secrets"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jenkinsfile"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/shell"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// The per-file check of committed-secret (committed_secret.go) scans every
// file's raw text for token formats and for plausible (random-looking)
// values of secret-named assignments. This workspace check adds what only
// the parsed Jenkinsfile shows, and only where the raw scan found nothing:
// weak or word-like literals (hunter2, Welcome1, MyPassword2024!) assigned
// to password variables and parameters, which the scan's entropy test lets
// through, other short secrets of secret-named variables, and credentials
// in URLs of shell scripts and git/checkout steps after Groovy decoding.

// fileScan runs secrets.Scan on a pipeline once, on demand.
type fileScan struct {
	data    []byte
	matches []secrets.Match
	done    bool
}

// covered reports whether the raw scan already reports bytes of [s, e).
func (fs *fileScan) covered(s, e int) bool {
	if !fs.done {
		fs.matches, fs.done = secrets.Scan(fs.data), true
	}
	for _, m := range fs.matches {
		if m.Start < e && s < m.End {
			return true
		}
	}
	return false
}

func checkPipelineSecrets(p *Pass, pf *jenkinsfile.File) {
	checkPipelineFileSecrets(p, pf, p.index().anyID)
}

func checkPipelineFileSecrets(p *Pass, pf *jenkinsfile.File, jcascIDs map[string]bool) {
	fs := &fileScan{data: pf.Src.Data}
	isID := func(v string) bool {
		if jcascIDs[v] {
			return true
		}
		for _, u := range pf.Uses {
			if u.ID.Literal && u.ID.Text == v {
				return true
			}
		}
		return false
	}
	seen := map[int]bool{}
	report1 := func(s, e int, msg string) {
		if seen[s] || fs.covered(s, e) {
			return
		}
		seen[s] = true
		p.Secret(pf.Src.Path, s, e)
		p.Report(report.Finding{Pos: pf.PosAt(s), End: pf.PosAt(e), Message: msg})
	}
	judge := func(name string, v jenkinsfile.Value, password bool, what string) {
		if _, ok := v.Node.(*jenkinsfile.Str); !ok || !v.Literal || v.Text == "" {
			return
		}
		if !password && (!secrets.IsSecretName(name) || credOnlyName(name)) {
			return
		}
		if !password {
			password = passwordName(name)
		}
		if !secretLiteral(v.Text, password, p.Config.Placeholders) || isID(v.Text) {
			return
		}
		s, e := v.OffsetAt(0), v.OffsetAt(len(v.Text))
		report1(s, e, fmt.Sprintf("%s holds a plain-text secret (%s) committed with the %s: revoke it, store it as a Jenkins credential and bind it with credentials('id') or withCredentials",
			what, secrets.Redact(v.Text), fileNoun(pf)))
	}
	for _, a := range pf.Assignments {
		judge(a.Name, a.Value, false, a.Name)
	}
	for _, ev := range pf.Env {
		if ev.Source == "withEnv" {
			judge(ev.Name, ev.Value, false, ev.Name+" (withEnv)")
		}
	}
	for _, prm := range pf.Params {
		switch prm.Kind {
		case "password":
			judge(prm.Name.Text, prm.Default, true, "the default value of password parameter "+prm.Name.Text)
		case "string", "text":
			judge(prm.Name.Text, prm.Default, false, "the default value of parameter "+prm.Name.Text)
		}
	}
	// credentials in URLs
	urlFinding := func(s, e int, pw string) {
		report1(s, e, fmt.Sprintf("a password (%s) is written inside a URL committed with the %s: revoke it, and let the tool read it from a credential (withCredentials, or gitUsernamePassword for git)",
			secrets.Redact(pw), fileNoun(pf)))
	}
	// registry logins in shell steps: docker login -p <literal>
	for _, st := range pf.Steps {
		if st.Text == nil || !strings.Contains(st.Text.S, "login") {
			continue
		}
		sc := scriptOf(p, pf, st)
		if sc == nil {
			continue
		}
		for _, lp := range loginPasswords(sc) {
			if !secretLiteral(lp.v, true, p.Config.Placeholders) || isID(lp.v) {
				continue
			}
			report1(sc.Offset(lp.s), sc.EndOffset(lp.e), fmt.Sprintf("%s is given a plain-text password (%s) committed with the %s, also visible in the agent's process list: revoke it, store it as a Jenkins credential and pipe it in (echo \"$PASS\" | %s -u \"$USER\" --password-stdin, inside withCredentials)",
				lp.cmd, secrets.Redact(lp.v), fileNoun(pf), lp.cmd))
		}
	}
	// every string literal: sh scripts, git url:, checkout maps, variables
	for i := range pf.Tokens {
		t := &pf.Tokens[i]
		if t.Kind != jenkinsfile.String || !strings.Contains(t.Text, "@") {
			continue
		}
		dec := t.Decoded()
		for _, r := range urlPasswords(dec.S, p.Config.Placeholders) {
			urlFinding(dec.Offset(r[0]), dec.Offset(r[1]), dec.S[r[0]:r[1]])
		}
	}
}

// loginPassword is a literal password given to a registry login: the
// script-text span [s, e) of the value v, and the command (docker login,
// helm registry login).
type loginPassword struct {
	s, e int
	v    string
	cmd  string
}

// loginPasswords finds the literal values of -p, -pVALUE, --password VALUE
// and --password=VALUE in the login subcommands of registry clients
// (registryClients). Values read from variables ($PASS, "${DOCKER_PASS}",
// %PASS%, $env:PASS) and --password-stdin are not literals.
func loginPasswords(sc *shell.Script) []loginPassword {
	var out []loginPassword
	for _, c := range sc.Cmds {
		name, args, _ := c.Name(sc.Dialect)
		if !registryClientSet()[name] {
			continue
		}
		k := 0
		for k < len(args) && k < 4 && args[k].Text != "login" {
			k++
		}
		if k == len(args) || k == 4 {
			continue
		}
		cmd := name
		for _, a := range args[:k+1] {
			cmd += " " + a.Text
		}
		for i := k + 1; i < len(args); i++ {
			a := args[i]
			var w *shell.Word
			off := 0
			switch t := a.Text; {
			case t == "-p" || t == "--password":
				if i+1 < len(args) {
					w = args[i+1]
					i++
				}
			case strings.HasPrefix(t, "--password="):
				w, off = a, len("--password=")
			case strings.HasPrefix(t, "-p") && len(t) > 2 && t[2] != '-':
				w, off = a, 2
			}
			if w == nil || off >= len(w.Text) || len(w.Refs) > 0 || strings.ContainsAny(w.Text[off:], "$%`") {
				continue
			}
			out = append(out, loginPassword{s: w.Index(off), e: w.Index(len(w.Text)-1) + 1, v: w.Text[off:], cmd: cmd})
		}
	}
	return out
}

func fileNoun(pf *jenkinsfile.File) string {
	if strings.HasSuffix(pf.Src.Path, ".groovy") {
		return "shared-library script"
	}
	return "Jenkinsfile"
}

// credOnlyName reports a name whose only secret word is credential(s)/
// cred(s): in Jenkinsfiles such variables hold credential IDs
// (GIT_CREDS = 'github-ssh'), not secrets.
func credOnlyName(name string) bool {
	l := strings.ToLower(name)
	for _, w := range []string{"credentials", "credential", "creds", "cred"} {
		l = strings.ReplaceAll(l, w, "_")
	}
	return !secrets.IsSecretName(l)
}

// passwordName: a password variable holds a password even when it is a
// weak one (hunter2).
func passwordName(name string) bool {
	l := strings.ToLower(name)
	if k := strings.LastIndexByte(l, '.'); k >= 0 {
		l = l[k+1:]
	}
	return strings.Contains(l, "pass") || strings.Contains(l, "pwd")
}

// tokenPrefixes start token formats secrets.Scan knows.
var tokenPrefixes = []string{"github_pat_", "ghp_", "gho_", "ghs_", "ghu_", "ghr_", "glpat-", "gldt-", "glrt-", "glptt-", "glcbt-", "xox", "xapp-", "AKIA", "ASIA", "ABIA", "ACCA", "AIza", "npm_", "eyJ", "GOCSPX-"}

var (
	slugRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9]+([._-][a-z0-9]+)+$`) })
	constRE  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Z0-9_]+$`) })
	dottedRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$`)
	})
	boolValues = map[string]bool{"true": true, "false": true, "yes": true, "no": true, "on": true, "off": true, "enabled": true, "disabled": true}
)

// secretLiteral judges a literal assigned to a secret-named variable: a
// password variable holds a secret unless the value reads like a
// credential ID (lower-case words joined by - _ .); other secret names
// (token, secret, apiKey…) need a value that mixes character classes.
func secretLiteral(v string, password bool, placeholders []string) bool {
	if len(v) < 4 || len(v) > 512 || strings.ContainsAny(v, " \t\r\n") {
		return false
	}
	if secrets.Classify(v, placeholders) != secrets.Plain || boolValues[strings.ToLower(v)] {
		return false
	}
	if v[0] == '/' || strings.HasPrefix(v, "./") || strings.HasPrefix(v, "~/") || strings.Contains(v, "://") ||
		strings.HasPrefix(v, "arn:") || len(v) > 2 && v[1] == ':' && (v[2] == '\\' || v[2] == '/') || tree.IsVariable(v) {
		return false
	}
	if len(v) < 6 && strings.Trim(v, "0123456789") == "" {
		return false
	}
	for _, pre := range tokenPrefixes {
		if strings.HasPrefix(v, pre) {
			return false // the token's own detector decides (it refuses fakes)
		}
	}
	if slugRE().MatchString(v) {
		return false
	}
	if password {
		return true
	}
	if constRE().MatchString(v) || dottedRE().MatchString(v) {
		return false
	}
	classes := 0
	var lower, upper, digit, other bool
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= '0' && c <= '9':
			digit = true
		default:
			other = true
		}
	}
	for _, b := range []bool{lower, upper, digit, other} {
		if b {
			classes++
		}
	}
	return classes >= 2
}

// urlPasswords finds scheme://user:password@host in text and returns the
// spans of literal passwords (not ${VAR}, $VAR or %VAR%, not placeholders,
// not equal to the user name, not on hosts reserved for examples:
// secrets.IsExampleHost).
func urlPasswords(text string, placeholders []string) [][2]int {
	var out [][2]int
	for from := 0; ; {
		k := strings.Index(text[from:], "://")
		if k < 0 {
			return out
		}
		a := from + k + 3
		from = a
		end := a
		at := -1
		for end < len(text) && end-a < 512 {
			c := text[end]
			if c <= ' ' || c == '/' || c == '?' || c == '#' || c == '"' || c == '\'' || c == '`' || c == '<' || c == '>' || c == '\\' || c == ')' || c == ']' {
				break
			}
			if c == '@' {
				at = end
			}
			end++
		}
		if at < 0 {
			continue
		}
		ui := text[a:at]
		p := strings.IndexByte(ui, ':')
		if p <= 0 {
			continue
		}
		user, pw := ui[:p], ui[p+1:]
		if pw == "" || strings.EqualFold(user, pw) || secrets.IsExampleHost(text[at+1:end]) || strings.ContainsAny(pw, "${}%") {
			continue
		}
		if secrets.Classify(pw, placeholders) != secrets.Plain {
			continue
		}
		out = append(out, [2]int{a + p + 1, at})
	}
}
