package rules

import (
	"regexp"
	"strings"
	"sync"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/shell"
)

// What the shell-step rules know of commands, as tables: each row names
// the commands it is about, what it looks for, and sample script lines
// that must fire (Fire) and must stay quiet (Quiet). shell_tables_test.go
// runs every sample through the rule that reads the table. Adding a
// command is adding a row, with its samples.
//
// Command names are compared as shell.BaseName gives them: without a
// directory, and lower-cased without .exe for bat and PowerShell.

// sample is a script line of a table row's samples (Dialect: sh unless
// said otherwise).
type sample struct {
	Line    string
	Dialect shell.Dialect
}

func sh(lines ...string) []sample {
	out := make([]sample, len(lines))
	for i, l := range lines {
		out[i] = sample{l, shell.Sh}
	}
	return out
}

// ---- tls-verification-disabled ----------------------------------------

// tlsSwitch is a command-line switch (or setting) that turns TLS
// certificate verification off.
type tlsSwitch struct {
	ID string
	// Cmds are the commands, spelt as messages show them (Invoke-WebRequest);
	// matched lower-cased for bat and PowerShell.
	Cmds []string
	// Args are the arguments that turn verification off, compared exactly
	// (a trailing * compares a prefix), ignoring case when Fold is set.
	// Rows with Match read the arguments with code instead.
	Args []string
	Fold bool
	// Match finds the sites in args when the switch needs more than a word
	// compare (option groups, key=value settings, subcommands).
	Match func(row *tlsSwitch, args []*shell.Word) []tlsSite
	// Msg is the finding's message: {cmd} is the command as spelt in Cmds,
	// {arg} the argument (or what Match puts there).
	Msg         string
	Fire, Quiet []sample
}

// tlsSwitches is the table of switches that disable TLS verification.
var tlsSwitches = []*tlsSwitch{
	{
		ID: "curl-insecure", Cmds: []string{"curl"}, Match: curlInsecure,
		Msg:  "TLS certificate verification is off (curl {arg}): whoever answers for the host gets the request and any credential in it; trust the right CA instead (curl --cacert ca.pem)",
		Fire: sh("curl -k https://x", "curl -sSfk https://x", "curl --insecure -o out https://x", "curl --proxy-insecure https://x", "/usr/bin/curl -kfsSL https://x | sh"),
		Quiet: sh("curl -o -k https://x", "curl -H 'X-k: 1' -ok https://x", "curl --cacert ca.pem https://x",
			"curl --header -k https://x", "curl -d$K https://x", "echo curl -k"),
	},
	{
		ID: "wget-no-check-certificate", Cmds: []string{"wget"}, Args: []string{"--no-check-certificate"},
		Msg:   "wget --no-check-certificate skips TLS certificate verification: anyone on the network path can serve the download; trust the CA instead (wget --ca-certificate=ca.pem)",
		Fire:  sh("wget --no-check-certificate -q https://x"),
		Quiet: sh("wget --ca-certificate=ca.pem https://x", "curl --no-check-certificate x"),
	},
	{
		ID: "git-sslverify", Cmds: []string{"git"}, Match: gitInsecure,
		Msg: "git is told not to verify TLS certificates ({arg}): anyone on the network path can serve the repository and read the credentials sent to it; trust the server's CA instead (git -c http.sslCAInfo=ca.pem)",
		Fire: sh("git -c http.sslVerify=false clone https://x", "git -c http.https://x.sslverify=0 fetch", "git --config=http.sslVerify=no fetch",
			"git -chttp.sslVerify=off fetch", "git config --global http.sslVerify false", "git config set http.sslVerify false"),
		Quiet: sh("git -c http.sslVerify=true clone https://x", "git -c http.sslVerify clone x", "git config --global --unset http.sslVerify",
			"git commit -c HEAD", "git config --get http.sslVerify", "git -C http.sslVerify=false status"),
	},
	{
		ID: "kube-insecure-skip-tls-verify", Cmds: []string{"kubectl", "oc", "helm"},
		Args: []string{"--insecure-skip-tls-verify", "--insecure-skip-tls-verify=true"},
		Msg:  "{cmd} --insecure-skip-tls-verify skips verification of the API server's certificate: anyone on the network path can pose as the cluster and receive its credentials; use --certificate-authority=ca.pem or the kubeconfig's certificate-authority-data",
		Fire: sh("kubectl --insecure-skip-tls-verify apply -f k8s/", "sudo -u ci helm upgrade --install x . --insecure-skip-tls-verify",
			"oc login --insecure-skip-tls-verify=true https://api"),
		Quiet: sh("kubectl --insecure-skip-tls-verify=false get pods", "kubectl --certificate-authority=ca.pem get pods"),
	},
	{
		ID: "aws-no-verify-ssl", Cmds: []string{"aws"}, Args: []string{"--no-verify-ssl"},
		Msg:   "aws --no-verify-ssl skips TLS certificate verification of AWS endpoints: signed requests and their responses go to whoever answers; point AWS_CA_BUNDLE (or --ca-bundle) at the CA instead",
		Fire:  sh("aws s3 cp a s3://b/ --no-verify-ssl"),
		Quiet: sh("aws s3 cp a s3://b/ --ca-bundle ca.pem"),
	},
	{
		ID: "maven-ssl-insecure", Cmds: []string{"mvn", "mvnw", "mvn.cmd", "mvnw.cmd"},
		Args:  []string{"-Dmaven.wagon.http.ssl.insecure=true", "-Dmaven.wagon.http.ssl.allowall=true"},
		Msg:   "Maven is told to accept any certificate ({arg}): anyone on the network path can serve artifacts and plugins to the build; import the repository's CA into the JDK truststore (or -Djavax.net.ssl.trustStore=…) instead",
		Fire:  append(sh("./mvnw -B -Dmaven.wagon.http.ssl.insecure=true deploy", "mvn -Dmaven.wagon.http.ssl.allowall=true verify"), sample{"mvn.cmd -Dmaven.wagon.http.ssl.insecure=true deploy", shell.Bat}),
		Quiet: sh("mvn -Dmaven.wagon.http.ssl.insecure=false deploy"),
	},
	{
		ID: "npm-strict-ssl", Cmds: []string{"npm", "yarn", "pnpm"}, Match: npmStrictSSL,
		Msg:   "{cmd} is told to accept any certificate (strict-ssl false): anyone on the network path can serve packages to the build; point cafile (or NODE_EXTRA_CA_CERTS) at the registry's CA instead",
		Fire:  sh("npm config set strict-ssl false", "npm ci --strict-ssl=false", "yarn config set strict-ssl false"),
		Quiet: sh("npm config set strict-ssl true", "npm install strict-ssl false"),
	},
	{
		ID: "pip-trusted-host", Cmds: []string{"pip", "pip3"}, Args: []string{"--trusted-host", "--trusted-host=*"},
		Msg:   "pip --trusted-host skips TLS certificate verification for that host: anyone on the network path can serve packages to the build; use --cert ca.pem (or PIP_CERT) instead",
		Fire:  sh("pip3 install --trusted-host pypi.corp.internal -r requirements.txt", "pip install --trusted-host=pypi.corp.internal x"),
		Quiet: sh("pip install --cert ca.pem -r req.txt"),
	},
	{
		ID: "powershell-skip-certificate-check", Cmds: []string{"Invoke-WebRequest", "Invoke-RestMethod", "iwr", "irm"},
		Args: []string{"-SkipCertificateCheck"}, Fold: true,
		Msg: "{cmd} -SkipCertificateCheck skips TLS certificate verification: anyone on the network path can answer the request; trust the CA on the agent instead",
		Fire: []sample{{"Invoke-WebRequest -Uri $u -SkipCertificateCheck # curl -k", shell.PowerShell}, {"irm $u -skipcertificatecheck", shell.PowerShell},
			{"invoke-restmethod.exe $u -SkipCertificateCheck", shell.PowerShell}},
		Quiet: []sample{{"Invoke-WebRequest -Uri $u", shell.PowerShell}, {"<# iwr -SkipCertificateCheck #>", shell.PowerShell}},
	},
}

// tlsSwitchesByCmd indexes tlsSwitches by lower-case command name.
var tlsSwitchesByCmd = sync.OnceValue(func() map[string]*tlsSwitch {
	m := map[string]*tlsSwitch{}
	for _, r := range tlsSwitches {
		for _, c := range r.Cmds {
			m[strings.ToLower(c)] = r
		}
	}
	return m
})

// site is a finding of the row at the script span [s, e).
func (r *tlsSwitch) site(s, e int, cmd, arg string) tlsSite {
	msg := strings.ReplaceAll(r.Msg, "{cmd}", cmd)
	return tlsSite{s, e, strings.ReplaceAll(msg, "{arg}", arg)}
}

// find returns the row's sites in the arguments of command name.
func (r *tlsSwitch) find(name string, args []*shell.Word) []tlsSite {
	cmd := name
	for _, c := range r.Cmds {
		if strings.ToLower(c) == name {
			cmd = c
		}
	}
	if r.Match != nil {
		out := r.Match(r, args)
		for i := range out {
			out[i].msg = strings.ReplaceAll(out[i].msg, "{cmd}", cmd)
		}
		return out
	}
	var out []tlsSite
	for _, a := range args {
		for _, want := range r.Args {
			if argIs(a.Text, want, r.Fold) {
				out = append(out, r.site(a.Start, a.End, cmd, a.Text))
				break
			}
		}
	}
	return out
}

// argIs compares an argument with a table's word: exactly, or as a prefix
// when the word ends in *, ignoring case when fold is set.
func argIs(arg, want string, fold bool) bool {
	if p, ok := strings.CutSuffix(want, "*"); ok {
		if fold {
			return len(arg) >= len(p) && strings.EqualFold(arg[:len(p)], p)
		}
		return strings.HasPrefix(arg, p)
	}
	if fold {
		return strings.EqualFold(arg, want)
	}
	return arg == want
}

// curlOptions are curl's options that take an argument: in a group such
// as -sko, the rest of the group (or the next word) is that argument, and
// the word after a long one is its value, not an option.
var curlOptions = struct {
	short string
	long  map[string]bool
}{
	short: "AbcCdDeEFHKmoPQrtTuUwxXyYz",
	long: map[string]bool{
		"--header": true, "--data": true, "--data-raw": true, "--data-binary": true, "--data-urlencode": true,
		"--user": true, "--output": true, "--request": true, "--url": true, "--write-out": true, "--form": true,
		"--cacert": true, "--cert": true, "--key": true, "--config": true, "--proxy": true, "--referer": true,
		"--user-agent": true, "--cookie": true, "--max-time": true, "--retry": true, "--connect-timeout": true,
		"--upload-file": true, "--resolve": true, "--json": true, "--oauth2-bearer": true,
	},
}

// curlInsecure finds -k (alone or in a group: -sSfk) and --insecure,
// --proxy-insecure, skipping option values.
func curlInsecure(r *tlsSwitch, args []*shell.Word) []tlsSite {
	var out []tlsSite
	for j := 0; j < len(args); j++ {
		a := args[j]
		t := a.Text
		switch {
		case t == "--insecure" || t == "--proxy-insecure":
			out = append(out, r.site(a.Start, a.End, "curl", t))
		case strings.HasPrefix(t, "--"):
			if curlOptions.long[t] {
				j++
			}
		case len(t) > 1 && t[0] == '-' && len(a.Refs) == 0:
			for k := 1; k < len(t); k++ {
				ch := t[k]
				if ch == 'k' {
					if t == "-k" {
						out = append(out, r.site(a.Start, a.End, "curl", "-k"))
					} else {
						i := a.Index(k)
						out = append(out, r.site(i, i+1, "curl", "-k in "+t))
					}
				}
				if strings.IndexByte(curlOptions.short, ch) >= 0 {
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

// sslVerifyOff reports whether key=value turns http.sslVerify (or
// http.<url>.sslVerify) off.
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

// gitInsecure finds http.sslVerify turned off by git -c / --config and by
// git config.
func gitInsecure(r *tlsSwitch, args []*shell.Word) []tlsSite {
	var out []tlsSite
	kv := func(w *shell.Word, from int) {
		t := w.Text[from:]
		k, v, has := strings.Cut(t, "=")
		if sslVerifyOff(k, v, has) {
			out = append(out, r.site(w.Index(from), w.End, "git", t))
		}
	}
	sub := -1
	for j := 0; j < len(args); j++ {
		t := args[j].Text
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
	if sub < 0 || args[sub].Text != "config" {
		return out
	}
	var rest []*shell.Word
	for j := sub + 1; j < len(args); j++ {
		t := args[j].Text
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
	if len(rest) >= 2 && sslVerifyOff(rest[0].Text, rest[1].Text, true) {
		out = append(out, r.site(rest[0].Start, rest[1].End, "git", "git config "+rest[0].Text+" "+rest[1].Text))
	}
	return out
}

// npmStrictSSL finds --strict-ssl=false and "config set strict-ssl false".
func npmStrictSSL(r *tlsSwitch, args []*shell.Word) []tlsSite {
	var out []tlsSite
	for k, a := range args {
		if a.Text == "--strict-ssl=false" || a.Text == "strict-ssl" && k+1 < len(args) && args[k+1].Text == "false" && k > 0 && (args[k-1].Text == "set" || args[k-1].Text == "config") {
			e := a.End
			if a.Text == "strict-ssl" {
				e = args[k+1].End
			}
			out = append(out, r.site(a.Start, e, "{cmd}", a.Text))
		}
	}
	return out
}

// tlsEnvVar is an environment variable that turns TLS verification off.
type tlsEnvVar struct {
	Name string
	// Value is the value that turns it off; "" when any value does.
	Value       string
	Msg         string
	Fire, Quiet []sample
}

// tlsEnvVars is the table of such variables, wherever a pipeline or a
// script sets them (environment blocks, withEnv, env.X =, NAME=value
// before a command, export/set/setx, $env:NAME = …).
var tlsEnvVars = []tlsEnvVar{
	{
		Name: "GIT_SSL_NO_VERIFY",
		Msg:  "GIT_SSL_NO_VERIFY makes git skip TLS certificate verification (git only checks that the variable is set, so any value counts, even false): anyone on the network path can serve the repository and read the credentials sent to it; trust the server's CA instead (git -c http.sslCAInfo=ca.pem)",
		Fire: []sample{{"export GIT_SSL_NO_VERIFY=true", shell.Sh}, {"GIT_SSL_NO_VERIFY=1 git clone https://x", shell.Sh}, {"env GIT_SSL_NO_VERIFY=false git clone x", shell.Sh},
			{"set GIT_SSL_NO_VERIFY=1", shell.Bat}, {"setx GIT_SSL_NO_VERIFY 1", shell.Bat}, {"$env:GIT_SSL_NO_VERIFY='1'", shell.PowerShell}},
		Quiet: []sample{{"unset GIT_SSL_NO_VERIFY", shell.Sh}, {"echo GIT_SSL_NO_VERIFY=1", shell.Sh}},
	},
	{
		Name: "NODE_TLS_REJECT_UNAUTHORIZED", Value: "0",
		Msg: "NODE_TLS_REJECT_UNAUTHORIZED=0 makes Node.js (npm, yarn and every Node tool) accept any TLS certificate; add the CA with NODE_EXTRA_CA_CERTS instead",
		Fire: []sample{{"export NODE_TLS_REJECT_UNAUTHORIZED=0 && npm ci", shell.Sh}, {`set "NODE_TLS_REJECT_UNAUTHORIZED=0"`, shell.Bat},
			{`$env:NODE_TLS_REJECT_UNAUTHORIZED = "0"`, shell.PowerShell}},
		Quiet: []sample{{"export NODE_TLS_REJECT_UNAUTHORIZED=1", shell.Sh}, {"export NODE_TLS_REJECT_UNAUTHORIZED=$V", shell.Sh}},
	},
}

// tlsEnv judges an environment variable a pipeline or script sets; known:
// the value is a literal.
func tlsEnv(name, value string, known bool) (string, bool) {
	for i := range tlsEnvVars {
		v := &tlsEnvVars[i]
		if v.Name != name {
			continue
		}
		if v.Value == "" || known && strings.TrimSpace(value) == v.Value {
			return v.Msg, true
		}
	}
	return "", false
}

// envSetters set the variables given to them as NAME=value arguments
// (setx NAME value for cmd).
func envSetters(s string) bool {
	switch s {
	case "export", "declare", "typeset", "local", "readonly", "set",
		"setx":
		return true
	}
	return false
}

// ---- secret-exposed-in-log ----------------------------------------------

// printer is a command whose arguments are text rather than options.
type printer struct {
	// Logs: it writes its arguments to standard output (the build log);
	// the others (: true logger) do not.
	Logs bool
}

// printers: flags in their arguments are text (echo curl -k), and those
// that log print the variables in their arguments.
var printers = sync.OnceValue(func() map[string]printer {
	return map[string]printer{
		"echo": {true}, "printf": {true}, "print": {true}, "write-host": {true}, "write-output": {true},
		"write-information": {true}, "write-verbose": {true}, "write-warning": {true}, "write-error": {true},
		"write-debug": {true}, ":": {false}, "true": {false}, "logger": {false},
	}
})

// printerSamples print the credential variable T (a string binding) or
// must stay quiet about it.
var printerSamples = struct{ Fire, Quiet []sample }{
	Fire: []sample{{`echo "token: $T"`, shell.Sh}, {`printf '%s\n' "${T}"`, shell.Sh}, {`echo ${T:0:4}`, shell.Sh},
		{`echo "$T" | base64`, shell.Sh}, {`print $T`, shell.Sh}, {`echo %T%`, shell.Bat},
		{`Write-Host $env:T`, shell.PowerShell}, {`Write-Output "${env:T}"`, shell.PowerShell}, {`sh -c 'echo $T'`, shell.Sh}},
	Quiet: []sample{{`echo "$T" > token.txt`, shell.Sh}, {`echo "$T" | docker login --password-stdin`, shell.Sh},
		{`X=$(echo "$T")`, shell.Sh}, {`echo '$T'`, shell.Sh}, {`: "$T"`, shell.Sh}, {`logger "$T"`, shell.Sh},
		{`true $T`, shell.Sh}, {`echo "$T_USER"`, shell.Sh}, {`test -n "$T"`, shell.Sh}},
}

// fileDumpers print the contents of the files named in their arguments:
// a secret file's variable given to one is its contents in the log.
func fileDumpers(s string) bool {
	switch s {
	case "cat", "head", "tail", "less", "more", "base64",
		"xxd", "od", "hexdump", "type", "get-content", "gc",
		"strings", "nl":
		return true
	}
	return false
}

// fileDumperSamples print the secret file F (a file binding) or must stay
// quiet about it.
var fileDumperSamples = struct{ Fire, Quiet []sample }{
	Fire: []sample{{`cat "$F"`, shell.Sh}, {`base64 $F`, shell.Sh}, {`type %F%`, shell.Bat}, {`Get-Content $env:F`, shell.PowerShell}},
	Quiet: []sample{{`cat "$F" > copy.txt`, shell.Sh}, {`cp "$F" ~/.kube/config`, shell.Sh}, {`cat "$F" | kubectl apply -f -`, shell.Sh},
		{`echo "$F"`, shell.Sh}},
}

// envDumper is a command that prints every variable.
type envDumper struct {
	Cmds []string
	// Dialects it applies in (nil: all).
	Dialects []shell.Dialect
	// Args are the argument lists it prints every variable with (nil:
	// none).
	Args [][]string
	// EnvDrive: its one argument names PowerShell's env: drive.
	EnvDrive    bool
	What        string // completes "… to the build log"; {cmd} is the command
	Fire, Quiet []sample
}

// envDumpers is the table of commands that dump the environment.
var envDumpers = []envDumper{
	{Cmds: []string{"set"}, Dialects: []shell.Dialect{shell.Sh}, Args: [][]string{nil}, What: "set prints every shell and environment variable",
		Fire: sh("set"), Quiet: sh("set -eu", "set > vars.txt")},
	{Cmds: []string{"set"}, Dialects: []shell.Dialect{shell.Bat}, Args: [][]string{nil}, What: "set prints every environment variable",
		Fire: []sample{{"set", shell.Bat}}, Quiet: []sample{{"set X=1", shell.Bat}, {"set > vars.txt", shell.Bat}}},
	{Cmds: []string{"printenv"}, Args: [][]string{nil}, What: "printenv prints every environment variable",
		Fire: sh("printenv", "printenv | sort"), Quiet: sh("printenv HOME", "printenv | grep -c X > n.txt")},
	{Cmds: []string{"env"}, Args: [][]string{nil}, What: "env prints every environment variable",
		Fire: sh("env", "sudo env"), Quiet: sh("env A=1 make", "env | wc -l")},
	{Cmds: []string{"export"}, Args: [][]string{nil, {"-p"}}, What: "export -p prints every exported variable",
		Fire: sh("export", "export -p"), Quiet: sh("export A=1", "export -n A", `export ""`)},
	{Cmds: []string{"get-childitem", "gci", "dir", "ls"}, EnvDrive: true, What: "{cmd} env: prints every environment variable",
		Fire:  []sample{{"Get-ChildItem env:", shell.PowerShell}, {`dir env:\`, shell.PowerShell}, {"ls Env:", shell.Sh}},
		Quiet: []sample{{"Get-ChildItem .", shell.PowerShell}, {"ls env", shell.Sh}}},
}

// envDumperOf returns what command name with args prints when it dumps
// every variable.
func envDumperOf(name string, d shell.Dialect, args []*shell.Word) (string, bool) {
	for i := range envDumpers {
		e := &envDumpers[i]
		if !contains(e.Cmds, name) || e.Dialects != nil && !dialectIn(d, e.Dialects) {
			continue
		}
		if e.EnvDrive {
			if len(args) == 1 && strings.EqualFold(strings.TrimRight(args[0].Text, `\/`), "env:") {
				return strings.ReplaceAll(e.What, "{cmd}", name), true
			}
			continue
		}
		for _, list := range e.Args {
			if wordsAre(args, list) {
				return e.What, true
			}
		}
	}
	return "", false
}

// wordsAre reports whether the words' texts are list.
func wordsAre(words []*shell.Word, list []string) bool {
	if len(words) != len(list) {
		return false
	}
	for i, w := range words {
		if w.Text != list[i] {
			return false
		}
	}
	return true
}

func dialectIn(d shell.Dialect, list []shell.Dialect) bool {
	for _, x := range list {
		if x == d {
			return true
		}
	}
	return false
}

// tracingSamples turn shell tracing on (set -x) while the credential
// variable T is used, or must stay quiet.
var tracingSamples = struct{ Fire, Quiet []sample }{
	Fire: sh("set -x\ncurl -H \"Authorization: $T\" x", "set -eux; deploy --token=$T", "set -o xtrace; X=$T make",
		"#!/bin/bash -ex\ncurl -u \"u:$T\" x"),
	Quiet: sh("set -x; set +x; curl -H \"$T\" x", "set +o xtrace\ncurl $T", "set -e; curl $T", "curl $T; set -x"),
}

// ---- committed-secret: registry logins ----------------------------------

// registryClient is a command whose login subcommand takes a password.
type registryClient struct {
	Cmd         string
	Fire, Quiet []sample // with the password s3cr3t-Pa55 where one is given
}

// registryClients: a literal after -p, -pVALUE, --password or --password=
// in "<client> … login" (login among the first four arguments) is a
// committed password.
var registryClients = []registryClient{
	{Cmd: "docker", Fire: sh("docker login -u ci -p s3cr3t-Pa55 registry.example.com", "docker login --password=s3cr3t-Pa55 r", "docker login -ps3cr3t-Pa55 r"),
		Quiet: sh(`docker login -u ci -p "$PASS" r`, "docker login -u ci --password-stdin r", "docker push -p s3cr3t-Pa55", "docker login -p ${P} r")},
	{Cmd: "podman", Fire: sh("podman login -u ci --password s3cr3t-Pa55 quay.io"), Quiet: sh("podman login --password $P quay.io")},
	{Cmd: "buildah", Fire: sh("buildah login -p s3cr3t-Pa55 r")},
	{Cmd: "nerdctl", Fire: sh("nerdctl login -p s3cr3t-Pa55 r")},
	{Cmd: "skopeo", Fire: sh("skopeo login -p s3cr3t-Pa55 r")},
	{Cmd: "helm", Fire: sh("helm registry login r -u ci -p s3cr3t-Pa55"), Quiet: sh("helm install -p s3cr3t-Pa55 x")},
	{Cmd: "oras", Fire: sh("oras login -p s3cr3t-Pa55 r")},
	{Cmd: "crane", Fire: sh("crane auth login r -u ci -p s3cr3t-Pa55")},
	{Cmd: "regctl", Fire: sh("regctl registry login r -p s3cr3t-Pa55")},
	{Cmd: "finch", Fire: sh("finch login -p s3cr3t-Pa55 r"), Quiet: []sample{{"finch login -p %P% r", shell.Bat}, {"finch login -p $env:P r", shell.PowerShell}}},
}

var registryClientSet = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, c := range registryClients {
		m[c.Cmd] = true
	}
	return m
})

// ---- id-token-audience: where a pipeline sends an id token -------------

// tokenExchange is a command that sends an id token to a relying party
// when one of its arguments matches Arg (and a word of it reads the
// token's variable).
type tokenExchange struct {
	Cmd    string
	Arg    func(arg string) bool
	Target func(pos report.Position, args []*shell.Word) tokenTarget
	// Fire and Quiet read the token file's variable TOKEN_FILE.
	Fire, Quiet []sample
}

var tokenExchanges = []tokenExchange{
	{
		Cmd:    "aws",
		Arg:    func(a string) bool { return a == "assume-role-with-web-identity" },
		Target: func(pos report.Position, _ []*shell.Word) tokenTarget { return awsTarget(pos) },
		Fire:   sh(`aws sts assume-role-with-web-identity --role-arn r --web-identity-token "$(cat $TOKEN_FILE)"`),
		Quiet:  sh(`aws sts get-caller-identity --debug $TOKEN_FILE`, `aws sts assume-role-with-web-identity --web-identity-token "$(cat token)"`),
	},
	{
		Cmd:    "az",
		Arg:    func(a string) bool { return a == "--federated-token" || strings.HasPrefix(a, "--federated-token=") },
		Target: func(pos report.Position, _ []*shell.Word) tokenTarget { return azureTarget(pos) },
		Fire:   sh(`az login --service-principal -u id -t tenant --federated-token "$(cat $TOKEN_FILE)"`, `az login --federated-token="$(cat $TOKEN_FILE)"`),
		Quiet:  sh(`az login --identity $TOKEN_FILE`),
	},
	{
		Cmd: "gcloud",
		Arg: func(a string) bool { return strings.Contains(a, "workloadIdentityPools") || a == "create-cred-config" },
		Target: func(pos report.Position, args []*shell.Word) tokenTarget {
			provider := ""
			for _, x := range args {
				if m := gcpProviderRE().FindString(x.Text); m != "" {
					provider = m
				}
			}
			return gcpTarget(pos, provider)
		},
		Fire:  sh(`gcloud iam workload-identity-pools create-cred-config projects/1/locations/global/workloadIdentityPools/p/providers/j --credential-source-file=$TOKEN_FILE`),
		Quiet: sh(`gcloud auth activate-service-account --key-file=$TOKEN_FILE`),
	},
	{
		Cmd: "vault",
		Arg: func(a string) bool {
			return strings.HasPrefix(a, "auth/") && strings.HasSuffix(a, "/login") || a == "-method=jwt"
		},
		Target: func(pos report.Position, _ []*shell.Word) tokenTarget { return vaultTarget(pos) },
		Fire:   sh(`vault write auth/jenkins/login role=ci jwt=@$TOKEN_FILE`, `vault login -method=jwt jwt=@$TOKEN_FILE`),
		Quiet:  sh(`vault kv get -field=x secret/ci $TOKEN_FILE`, `echo vault write auth/jwt/login jwt=@$TOKEN_FILE`),
	},
}

var tokenExchangeByCmd = sync.OnceValue(func() map[string]*tokenExchange {
	m := map[string]*tokenExchange{}
	for i := range tokenExchanges {
		m[tokenExchanges[i].Cmd] = &tokenExchanges[i]
	}
	return m
})

// tokenEnvVars are the variables through which SDKs read an id token, and
// the relying party each sends it to.
var tokenEnvVars = sync.OnceValue(func() map[string]func(report.Position) tokenTarget {
	return map[string]func(report.Position) tokenTarget{
		"AWS_WEB_IDENTITY_TOKEN_FILE": awsTarget,
		"AZURE_FEDERATED_TOKEN_FILE":  azureTarget,
		"AZURE_FEDERATED_TOKEN":       azureTarget,
	}
})

var gcpProviderRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`projects/[0-9]+/locations/global/workloadIdentityPools/[^/\s"']+/providers/[^/\s"']+`)
})
