package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jenkinsfile"
)

func init() { registerPipeline("tls-verification-disabled", checkPipelineTLS) }

// tlsSite is one place a pipeline turns TLS verification off.
type tlsSite struct {
	s, e int // script-text span
	msg  string
}

// seenAt deduplicates findings by file offset: one script literal can be run
// by several steps (sh cmd twice).
type seenAt map[string]map[int]bool

func (s seenAt) first(path string, off int) bool {
	m := s[path]
	if m == nil {
		m = map[int]bool{}
		s[path] = m
	}
	if m[off] {
		return false
	}
	m[off] = true
	return true
}

func checkPipelineTLS(p *Pass, pf *jenkinsfile.File) {
	seen := seenAt{}
	for _, st := range pf.Steps {
		if st.Text == nil || !tlsMaybe(st.Text.S) {
			continue
		}
		sc, sp := scriptOf(pf, st)
		if sc == nil {
			continue
		}
		for _, site := range tlsInScript(sc, 0) {
			if seen.first(pf.Src.Path, sp.off(site.s)) {
				p.Report(sp.finding(site.s, site.e, site.msg))
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

// containsFold reports whether s contains the lower-case ASCII word w,
// ignoring case.
func containsFold(s, w string) bool {
	n := len(w)
	for i := 0; i+n <= len(s); i++ {
		if s[i]|0x20 != w[0] {
			continue
		}
		k := 1
		for k < n && (s[i+k]|0x20 == w[k] || s[i+k] == w[k]) {
			k++
		}
		if k == n {
			return true
		}
	}
	return false
}

// tlsEnv judges an environment variable a pipeline or script sets.
func tlsEnv(name, value string, known bool) (string, bool) {
	switch name {
	case "GIT_SSL_NO_VERIFY":
		return "GIT_SSL_NO_VERIFY makes git skip TLS certificate verification (git only checks that the variable is set, so any value counts, even false): anyone on the network path can serve the repository and read the credentials sent to it; trust the server's CA instead (git -c http.sslCAInfo=ca.pem)", true
	case "NODE_TLS_REJECT_UNAUTHORIZED":
		if known && strings.TrimSpace(value) == "0" {
			return "NODE_TLS_REJECT_UNAUTHORIZED=0 makes Node.js (npm, yarn and every Node tool) accept any TLS certificate; add the CA with NODE_EXTRA_CA_CERTS instead", true
		}
	}
	return "", false
}

// printCommands only print their arguments: flags inside them are text.
var printCommands = map[string]bool{
	"echo": true, "printf": true, "print": true, "write-host": true, "write-output": true,
	"write-information": true, "write-verbose": true, "write-warning": true, "write-error": true,
	"write-debug": true, ":": true, "true": true, "logger": true,
}

var psNames = map[string]string{"invoke-webrequest": "Invoke-WebRequest", "invoke-restmethod": "Invoke-RestMethod", "iwr": "iwr", "irm": "irm"}

var shells = map[string]bool{"sh": true, "bash": true, "dash": true, "zsh": true, "ksh": true, "ash": true, "busybox": true}

var pyVerifyFalse = regexp.MustCompile(`(^|[^A-Za-z0-9_.])verify\s*=\s*False\b`)

// tlsInScript finds the commands and settings of a script that turn TLS
// verification off.
func tlsInScript(sc *shScript, depth int) []tlsSite {
	var out []tlsSite
	for _, c := range sc.cmds {
		name, args, assigns := c.name(sc.d)
		for _, a := range assigns {
			out = append(out, tlsAssign(a, sc.d)...)
		}
		if printCommands[name] {
			continue
		}
		switch name {
		case "":
		case "export", "declare", "typeset", "local", "readonly", "set", "setx":
			for _, a := range args {
				out = append(out, tlsAssign(a, sc.d)...)
			}
			if name == "setx" && len(args) >= 2 {
				if msg, ok := tlsEnv(args[0].text, args[1].text, true); ok {
					out = append(out, tlsSite{args[0].start, args[1].end, msg})
				}
			}
		case "curl":
			out = append(out, curlInsecure(args)...)
		case "wget":
			for _, a := range args {
				if a.text == "--no-check-certificate" {
					out = append(out, tlsSite{a.start, a.end, "wget --no-check-certificate skips TLS certificate verification: anyone on the network path can serve the download; trust the CA instead (wget --ca-certificate=ca.pem)"})
				}
			}
		case "git":
			out = append(out, gitInsecure(args)...)
		case "kubectl", "oc", "helm":
			for _, a := range args {
				if a.text == "--insecure-skip-tls-verify" || a.text == "--insecure-skip-tls-verify=true" {
					out = append(out, tlsSite{a.start, a.end, name + " --insecure-skip-tls-verify skips verification of the API server's certificate: anyone on the network path can pose as the cluster and receive its credentials; use --certificate-authority=ca.pem or the kubeconfig's certificate-authority-data"})
				}
			}
		case "aws":
			for _, a := range args {
				if a.text == "--no-verify-ssl" {
					out = append(out, tlsSite{a.start, a.end, "aws --no-verify-ssl skips TLS certificate verification of AWS endpoints: signed requests and their responses go to whoever answers; point AWS_CA_BUNDLE (or --ca-bundle) at the CA instead"})
				}
			}
		case "mvn", "mvnw", "mvn.cmd", "mvnw.cmd":
			for _, a := range args {
				if a.text == "-Dmaven.wagon.http.ssl.insecure=true" || a.text == "-Dmaven.wagon.http.ssl.allowall=true" {
					out = append(out, tlsSite{a.start, a.end, "Maven is told to accept any certificate (" + a.text + "): anyone on the network path can serve artifacts and plugins to the build; import the repository's CA into the JDK truststore (or -Djavax.net.ssl.trustStore=…) instead"})
				}
			}
		case "npm", "yarn", "pnpm":
			for k, a := range args {
				if a.text == "--strict-ssl=false" || a.text == "strict-ssl" && k+1 < len(args) && args[k+1].text == "false" && k > 0 && (args[k-1].text == "set" || args[k-1].text == "config") {
					e := a.end
					if a.text == "strict-ssl" {
						e = args[k+1].end
					}
					out = append(out, tlsSite{a.start, e, name + " is told to accept any certificate (strict-ssl false): anyone on the network path can serve packages to the build; point cafile (or NODE_EXTRA_CA_CERTS) at the registry's CA instead"})
				}
			}
		case "pip", "pip3":
			for _, a := range args {
				if a.text == "--trusted-host" || strings.HasPrefix(a.text, "--trusted-host=") {
					out = append(out, tlsSite{a.start, a.end, "pip --trusted-host skips TLS certificate verification for that host: anyone on the network path can serve packages to the build; use --cert ca.pem (or PIP_CERT) instead"})
				}
			}
		case "invoke-webrequest", "invoke-restmethod", "iwr", "irm":
			for _, a := range args {
				if strings.EqualFold(a.text, "-SkipCertificateCheck") {
					out = append(out, tlsSite{a.start, a.end, psNames[name] + " -SkipCertificateCheck skips TLS certificate verification: anyone on the network path can answer the request; trust the CA on the agent instead"})
				}
			}
		}
		if sc.d == dialectPS && len(c.words) > 0 {
			out = append(out, psEnvAssign(c)...)
		}
		out = append(out, verifyFalse(c)...)
		if depth < 4 {
			out = append(out, nestedShell(sc, c, depth, func(inner *shScript) []tlsSite { return tlsInScript(inner, depth+1) })...)
		}
	}
	return out
}

// tlsAssign judges a NAME=value word.
func tlsAssign(w *shWord, d dialect) []tlsSite {
	eq := strings.IndexByte(w.text, '=')
	if eq <= 0 {
		return nil
	}
	name := w.text[:eq]
	if d != dialectSh {
		name = strings.ToUpper(name)
	}
	val := w.text[eq+1:]
	if msg, ok := tlsEnv(name, val, len(w.refs) == 0); ok {
		return []tlsSite{{w.start, w.end, msg}}
	}
	return nil
}

// psEnvAssign reads $env:NAME = "value" in PowerShell.
func psEnvAssign(c *shCmd) []tlsSite {
	w := c.words[0]
	if len(w.text) < 6 || !strings.EqualFold(w.text[:5], "$env:") {
		return nil
	}
	name, val := w.text[5:], ""
	end := w.end
	if eq := strings.IndexByte(name, '='); eq >= 0 {
		name, val = name[:eq], name[eq+1:]
	} else if len(c.words) >= 3 && c.words[1].text == "=" {
		val, end = c.words[2].text, c.words[2].end
	} else if len(c.words) >= 2 && strings.HasPrefix(c.words[1].text, "=") {
		val, end = c.words[1].text[1:], c.words[1].end
	} else {
		return nil
	}
	if msg, ok := tlsEnv(strings.ToUpper(name), val, true); ok {
		return []tlsSite{{w.start, end, msg}}
	}
	return nil
}

// curlArgOpts are curl's short options that take an argument: in a group
// such as -sko, the rest of the group (or the next word) is that argument.
const curlArgOpts = "AbcCdDeEFHKmoPQrtTuUwxXyYz"

var curlLongArgs = map[string]bool{
	"--header": true, "--data": true, "--data-raw": true, "--data-binary": true, "--data-urlencode": true,
	"--user": true, "--output": true, "--request": true, "--url": true, "--write-out": true, "--form": true,
	"--cacert": true, "--cert": true, "--key": true, "--config": true, "--proxy": true, "--referer": true,
	"--user-agent": true, "--cookie": true, "--max-time": true, "--retry": true, "--connect-timeout": true,
	"--upload-file": true, "--resolve": true, "--json": true, "--oauth2-bearer": true,
}

const curlMsg = "TLS certificate verification is off (curl %s): whoever answers for the host gets the request and any credential in it; trust the right CA instead (curl --cacert ca.pem)"

func curlInsecure(args []*shWord) []tlsSite {
	var out []tlsSite
	for j := 0; j < len(args); j++ {
		a := args[j]
		t := a.text
		switch {
		case t == "--insecure" || t == "--proxy-insecure":
			out = append(out, tlsSite{a.start, a.end, fmt.Sprintf(curlMsg, t)})
		case strings.HasPrefix(t, "--"):
			if curlLongArgs[t] {
				j++
			}
		case len(t) > 1 && t[0] == '-' && len(a.refs) == 0:
			for k := 1; k < len(t); k++ {
				ch := t[k]
				if ch == 'k' {
					if t == "-k" {
						out = append(out, tlsSite{a.start, a.end, fmt.Sprintf(curlMsg, "-k")})
					} else {
						i := a.idx(k)
						out = append(out, tlsSite{i, i + 1, fmt.Sprintf(curlMsg, "-k in "+t)})
					}
				}
				if strings.IndexByte(curlArgOpts, ch) >= 0 {
					if k == len(t)-1 {
						j++
					}
					break
				}
			}
		}
	}
	return out
}

const gitMsg = "git is told not to verify TLS certificates (%s): anyone on the network path can serve the repository and read the credentials sent to it; trust the server's CA instead (git -c http.sslCAInfo=ca.pem)"

// sslVerifyOff reports whether key=value turns http.sslVerify off.
func sslVerifyOff(key, val string, hasVal bool) bool {
	k := strings.ToLower(key)
	if !strings.HasPrefix(k, "http.") || !strings.HasSuffix(k, ".sslverify") {
		return false
	}
	if !hasVal {
		return false // -c http.sslVerify alone means true
	}
	switch strings.ToLower(strings.TrimSpace(val)) {
	case "false", "no", "off", "0", "":
		return true
	}
	return false
}

func gitInsecure(args []*shWord) []tlsSite {
	var out []tlsSite
	kv := func(w *shWord, from int) {
		t := w.text[from:]
		k, v, has := strings.Cut(t, "=")
		if sslVerifyOff(k, v, has) {
			out = append(out, tlsSite{w.idx(from), w.end, fmt.Sprintf(gitMsg, t)})
		}
	}
	sub := -1
	for j := 0; j < len(args); j++ {
		t := args[j].text
		switch {
		case (t == "-c" || t == "--config") && j+1 < len(args):
			kv(args[j+1], 0)
			j++
		case strings.HasPrefix(t, "--config="):
			kv(args[j], len("--config="))
		case strings.HasPrefix(t, "-c") && len(t) > 2 && !strings.HasPrefix(t, "--"):
			kv(args[j], 2)
		case t == "-C" || t == "--git-dir" || t == "--work-tree" || t == "--namespace":
			j++
		case strings.HasPrefix(t, "-"):
		default:
			if sub < 0 {
				sub = j
			}
		}
	}
	if sub < 0 || args[sub].text != "config" {
		return out
	}
	var rest []*shWord
	for j := sub + 1; j < len(args); j++ {
		t := args[j].text
		switch {
		case t == "-f" || t == "--file" || t == "--type" || t == "--blob":
			j++
		case strings.HasPrefix(t, "-"):
			if t == "--unset" || t == "--unset-all" || t == "--get" || t == "--get-all" {
				return out
			}
		case len(rest) == 0 && (t == "set"):
		default:
			rest = append(rest, args[j])
		}
	}
	if len(rest) >= 2 && sslVerifyOff(rest[0].text, rest[1].text, true) {
		out = append(out, tlsSite{rest[0].start, rest[1].end, fmt.Sprintf(gitMsg, "git config "+rest[0].text+" "+rest[1].text)})
	}
	return out
}

// verifyFalse finds Python's requests verify=False in a command's words
// (python -c '…', a here-document fed to python).
func verifyFalse(c *shCmd) []tlsSite {
	var out []tlsSite
	for k, w := range c.words {
		t := w.text
		if !strings.Contains(t, "verify") {
			continue
		}
		// verify = False written as three words
		if t == "verify" && k+2 < len(c.words) && c.words[k+1].text == "=" && strings.HasPrefix(c.words[k+2].text, "False") {
			out = append(out, tlsSite{w.start, c.words[k+2].idx(5), pyMsg})
			continue
		}
		for _, m := range pyVerifyFalse.FindAllStringSubmatchIndex(t, -1) {
			s := m[3]
			out = append(out, tlsSite{w.idx(s), w.idx(m[1]-1) + 1, pyMsg})
		}
	}
	return out
}

const pyMsg = "verify=False makes Python requests skip TLS certificate verification: anyone on the network path can answer; pass verify='/path/to/ca.pem' or set REQUESTS_CA_BUNDLE instead"

// nestedShell lexes the script of sh -c '…' (also inside docker run …
// sh -c '…') when it is one quoted word, and runs fn on it.
func nestedShell[T any](sc *shScript, c *shCmd, depth int, fn func(*shScript) []T) []T {
	var out []T
	for k := 0; k+2 < len(c.words); k++ {
		if !shells[baseName(c.words[k].text, sc.d)] {
			continue
		}
		flag := c.words[k+1].text
		if len(flag) < 2 || flag[0] != '-' || !strings.HasSuffix(flag, "c") {
			continue
		}
		w := c.words[k+2]
		if !w.quoted || w.end-w.start < 2 || len(w.text) != w.end-w.start-2 {
			continue
		}
		lx := &shLexer{s: sc.text, d: sc.d, groovy: sc.groovy, budget: 16}
		lx.run(w.start+1, w.end-1, depth+1)
		out = append(out, fn(&shScript{text: sc.text, d: sc.d, cmds: lx.cmds, groovy: sc.groovy})...)
	}
	return out
}
