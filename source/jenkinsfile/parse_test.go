package jenkinsfile

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

func parse(t *testing.T, src string) *File {
	t.Helper()
	f, ferr := Parse(source.NewFile("Jenkinsfile", []byte(src)))
	if ferr != nil {
		t.Fatalf("Parse: %v", ferr)
	}
	return f
}

// stepInfo renders a step: name@pos text-with-scope.
func stepInfo(f *File, s *Step) string {
	var vars []string
	for _, v := range s.InScope() {
		vars = append(vars, v.Name)
	}
	text := ""
	if s.Text != nil {
		text = s.Text.S
	}
	return fmt.Sprintf("%s@%s %q [%s]", s.Name, pos(s.Pos), text, strings.Join(vars, ","))
}

func TestShellSteps(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"command", `sh 'ls'`, []string{`sh@1:1 "ls" []`}},
		{"parens", `sh('ls')`, []string{`sh@1:1 "ls" []`}},
		{"named script", `sh(script: 'ls', returnStdout: true)`, []string{`sh@1:1 "ls" []`}},
		{"named script second", `sh returnStatus: true, script: "ls"`, []string{`sh@1:1 "ls" []`}},
		{"assigned command", `def out = sh script: 'ls', returnStdout: true`, []string{`sh@1:11 "ls" []`}},
		{"assigned parens", `String out = sh(script: 'ls', returnStdout: true).trim()`, []string{`sh@1:14 "ls" []`}},
		{"concatenation", `sh 'a ' + x + " b ${y}"`, []string{`sh@1:1 "a ${x} b ${y}" []`}},
		{"strip indent", "sh \"\"\"\n  ls\n\"\"\".stripIndent()", []string{`sh@1:1 "\n  ls\n" []`}},
		{"every shell", "bat 'a'\npowershell 'b'\npwsh 'c'\nsh 'd'", []string{`bat@1:1 "a" []`, `powershell@2:1 "b" []`, `pwsh@3:1 "c" []`, `sh@4:1 "d" []`}},
		{"library receiver", `steps.sh "x"`, []string{`sh@1:7 "x" []`}},
		{"not a step", `foo.bar.sh 'x'`, nil},
		{"variable script", "def cmd = 'curl -k x'\nsh cmd", []string{`sh@2:1 "curl -k x" []`}},
		{"continued command", "sh label: 'x',\n   script: 'ls'", []string{`sh@1:1 "ls" []`}},
		{"in closure arg", `parallel(a: { sh 'x' }, b: { sh 'y' })`, []string{`sh@1:15 "x" []`, `sh@1:30 "y" []`}},
		{"in if else", "if (a) { sh 'x' } else if (b) sh 'y' else { sh 'z' }", []string{`sh@1:10 "x" []`, `sh@1:31 "y" []`, `sh@1:45 "z" []`}},
		{"in try", "try { sh 'x' } catch (Exception e) { sh 'y' } finally { sh 'z' }", []string{`sh@1:7 "x" []`, `sh@1:38 "y" []`, `sh@1:57 "z" []`}},
		{"in class method", "class A { def run(s) { s.sh 'x' } }", []string{`sh@1:26 "x" []`}},
		{"in method def", "void call(body) {\n  sh 'x'\n}", []string{`sh@2:3 "x" []`}},
		{"in ternary", "x ? sh('a') : sh('b')", []string{`sh@1:5 "a" []`, `sh@1:15 "b" []`}},
		{"after label", "retry(3) {\n  sh 'x'\n}", []string{`sh@2:3 "x" []`}},
		{"inside interpolation", `env.V = "v${sh(script: 'git describe', returnStdout: true).trim()}"`, []string{`sh@1:13 "git describe" []`}},
		{"comment mentions sh", "// sh 'curl -k'\n/* sh 'x' */ echo 'sh y'", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := parse(t, tt.src)
			var got []string
			for _, s := range f.Steps {
				got = append(got, stepInfo(f, s))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("steps of %q\n got  %q\n want %q", tt.src, got, tt.want)
			}
		})
	}
}

func TestScopes(t *testing.T) {
	src := `pipeline {
  agent any
  environment { GH = credentials('gh') }
  stages {
    stage('A') {
      environment { A_ONLY = 'x'; NX = credentials('nexus') }
      steps {
        sh 'a'
        withCredentials([string(credentialsId: 'tok', variable: 'TOKEN')]) {
          sh "b ${TOKEN}"
          withCredentials([usernamePassword(credentialsId: 'up', usernameVariable: 'U', passwordVariable: 'TOKEN')]) {
            sh 'c'
          }
        }
        sh 'd'
      }
    }
    stage('B') {
      steps {
        withEnv(['B_ONLY=1']) { sh 'e' }
      }
    }
  }
}
`
	f := parse(t, src)
	want := []string{
		`sh@8:9 "a" [NX,NX_USR,NX_PSW,GH,GH_USR,GH_PSW]`,
		`sh@10:11 "b ${TOKEN}" [TOKEN,NX,NX_USR,NX_PSW,GH,GH_USR,GH_PSW]`,
		`sh@12:13 "c" [U,TOKEN,NX,NX_USR,NX_PSW,GH,GH_USR,GH_PSW]`,
		`sh@15:9 "d" [NX,NX_USR,NX_PSW,GH,GH_USR,GH_PSW]`,
		`sh@20:33 "e" [GH,GH_USR,GH_PSW]`,
	}
	for i, s := range f.Steps {
		if got := stepInfo(f, s); i >= len(want) || got != want[i] {
			t.Errorf("step %d: %s", i, got)
		}
	}
	if len(f.Steps) != len(want) {
		t.Fatalf("%d steps, want %d", len(f.Steps), len(want))
	}
	// the innermost TOKEN is the password of 'up'
	v, ok := f.Steps[2].Credential("TOKEN")
	if !ok || v.Role != "passwordVariable" || v.Binding.ID.Text != "up" {
		t.Errorf("TOKEN in step c = %+v", v)
	}
	v, ok = f.Steps[1].Credential("TOKEN")
	if !ok || v.Role != "variable" || v.Binding.Kind != "string" || pos(v.Binding.ID.Pos) != "9:48" {
		t.Errorf("TOKEN in step b = %+v", v)
	}
	if _, ok := f.Steps[0].Credential("TOKEN"); ok {
		t.Error("TOKEN in scope outside withCredentials")
	}
	envNames := func(s *Step) string {
		var names []string
		for _, e := range s.Env() {
			names = append(names, e.Name)
		}
		return strings.Join(names, ",")
	}
	if got := envNames(f.Steps[0]); got != "NX,A_ONLY,GH" {
		t.Errorf("env of a: %s", got)
	}
	if got := envNames(f.Steps[4]); got != "B_ONLY,GH" {
		t.Errorf("env of e: %s", got)
	}
	if got := len(f.Steps[2].Bindings()); got != 4 {
		t.Errorf("step c has %d bindings, want 4", got)
	}
	if f.Steps[4].Stage == nil || f.Steps[4].Stage.Name.Text != "B" {
		t.Errorf("stage of e: %+v", f.Steps[4].Stage)
	}
}

func TestEnvAssignmentOrder(t *testing.T) {
	f := parse(t, "node {\n  sh 'a'\n  env.X = 'x'\n  sh 'b'\n}")
	if len(f.Steps[0].Env()) != 0 {
		t.Errorf("env.X visible before its assignment")
	}
	if e := f.Steps[1].Env(); len(e) != 1 || e[0].Name != "X" || e[0].Source != "env" || pos(e[0].Pos) != "3:3" || pos(e[0].Value.Pos) != "3:11" {
		t.Errorf("env of b: %+v", e)
	}
}

func TestCredentialUses(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // kind id@pos url
	}{
		{"git named", `git url: 'https://g/r.git', credentialsId: 'gc', branch: 'main'`, []string{`git "gc"@1:44 url="https://g/r.git"`}},
		{"git parens", `git(credentialsId: 'gc', url: 'u')`, []string{`git "gc"@1:20 url="u"`}},
		{"git no credentials", `git 'https://g/r.git'`, nil},
		{"checkout list", `checkout([$class: 'GitSCM', userRemoteConfigs: [[credentialsId: 'c1', url: 'u1'], [url: 'u2', credentialsId: 'c2']]])`,
			[]string{`git "c1"@1:65 url="u1"`, `git "c2"@1:110 url="u2"`}},
		{"checkout scm named", `checkout scm: [$class: 'GitSCM', userRemoteConfigs: [[credentialsId: 'c1']]]`, []string{`git "c1"@1:70 url=-`}},
		{"checkout scmGit", `checkout scmGit(branches: [[name: 'main']], userRemoteConfigs: [[credentialsId: 'c', url: 'u']])`, []string{`git "c"@1:81 url="u"`}},
		{"checkout svn", `checkout([$class: 'SubversionSCM', locations: [[credentialsId: 's', remote: 'r']]])`, []string{`scm "s"@1:64 url=-`}},
		{"sshagent list", `sshagent(['k1', 'k2']) { sh 'x' }`, []string{`sshagent "k1"@1:11 url=-`, `sshagent "k2"@1:17 url=-`}},
		{"sshagent named", `sshagent(credentials: ['k1']) { }`, []string{`sshagent "k1"@1:24 url=-`}},
		{"docker registry", `docker.withRegistry('https://r', 'rc') { }`, []string{`registry "rc"@1:34 url="https://r"`}},
		{"withDockerRegistry", `withDockerRegistry([credentialsId: 'h', url: 'u']) { }`, []string{`registry "h"@1:36 url="u"`}},
		{"agent docker", "agent { docker { image 'x'\n registryCredentialsId 'rc' } }", []string{`registry "rc"@2:24 url=-`}},
		{"withAWS credentials", `withAWS(credentials: 'aws', region: 'r') { }`, []string{`aws "aws"@1:22 url=- opts=region`}},
		{"withAWS role", `withAWS(role: 'arn', webIdentityTokenFile: '/t') { }`, []string{`aws -@1:1 url=- opts=role,webIdentityTokenFile`}},
		{"binding", `withCredentials([string(credentialsId: 's', variable: 'V')]) { }`, []string{`string "s"@1:40 url=- vars=V`}},
		{"binding class", `withCredentials([[$class: 'FileBinding', credentialsId: 'f', variable: 'F']]) { }`, []string{`file "f"@1:57 url=- vars=F`}},
		{"binding gstring id", `withCredentials([file(credentialsId: "${ID}", variable: 'F')]) { }`, []string{`file "${ID}"@1:38(var) url=- vars=F`}},
		{"binding variable id", `withCredentials([file(credentialsId: id, variable: 'F')]) { }`, []string{`file "id"@1:38(var) url=- vars=F`}},
		{"environment", "environment {\n  X = credentials('xc')\n}", []string{`credentials "xc"@2:19 url=- vars=X,X_USR,X_PSW`}},
		{"other step", `withKubeConfig(credentialsId: 'kc', serverUrl: 'https://k') { }`, []string{`withKubeConfig "kc"@1:31 url=-`}},
		{"map elsewhere", `def scmCfg = [$class: 'GitSCM', credentialsId: 'm']`, []string{`GitSCM "m"@1:48 url=-`}},
		{"parameter", `parameters { credentials(name: 'C', defaultValue: 'dc') }`, []string{`parameter "dc"@1:51 url=-`}},
		{"comment", "// git credentialsId: 'x'", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := parse(t, tt.src)
			var got []string
			for _, u := range f.Uses {
				id := "-"
				if u.ID.Valid() {
					id = fmt.Sprintf("%q", u.ID.Text)
				}
				s := fmt.Sprintf("%s %s@%s", u.Kind, id, pos(u.Pos))
				if u.ID.Valid() && !u.ID.Literal {
					s += "(var)"
				}
				url := "-"
				if u.URL.Valid() {
					url = fmt.Sprintf("%q", u.URL.Text)
				}
				s += " url=" + url
				if len(u.Vars) > 0 {
					s += " vars=" + strings.Join(u.Vars, ",")
				}
				if len(u.Options) > 0 {
					var names []string
					for _, o := range u.Options {
						names = append(names, o.Name)
					}
					s += " opts=" + strings.Join(names, ",")
				}
				got = append(got, s)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("uses of %q\n got  %q\n want %q", tt.src, got, tt.want)
			}
		})
	}
}

func TestVault(t *testing.T) {
	f := parse(t, `def secrets = [[path: 'secret/ci', secretValues: [[envVar: 'VAULT_TOKEN', vaultKey: 'token']]]]
withVault([configuration: [vaultUrl: 'https://vault', vaultCredentialId: 'approle'], vaultSecrets: secrets]) {
  sh 'x'
}`)
	if len(f.Bindings) != 1 {
		t.Fatalf("%d bindings", len(f.Bindings))
	}
	b := f.Bindings[0]
	if b.Kind != "vault" || b.ID.Text != "approle" || pos(b.ID.Pos) != "2:74" || len(b.Vars) != 1 || b.Vars[0].Name != "VAULT_TOKEN" || pos(b.Vars[0].Pos) != "1:60" {
		t.Errorf("vault binding %+v id at %s", b, pos(b.ID.Pos))
	}
	if v, ok := f.Steps[0].Credential("VAULT_TOKEN"); !ok || v.Role != "envVar" {
		t.Errorf("VAULT_TOKEN not in scope")
	}
}

func TestBindingVars(t *testing.T) {
	f := parse(t, `withCredentials([
  sshUserPrivateKey(credentialsId: 'k', keyFileVariable: 'KF', passphraseVariable: 'PP', usernameVariable: 'KU'),
  certificate(credentialsId: 'c', keystoreVariable: 'KS', passwordVariable: 'KP', aliasVariable: 'KA'),
  aws(credentialsId: 'a', accessKeyVariable: 'AK', secretKeyVariable: 'SK'),
  dockerCert(credentialsId: 'd', variable: 'DC'),
  usernameColonPassword(credentialsId: 'ucp', variable: 'UCP'),
  [$class: 'AmazonWebServicesCredentialsBinding', credentialsId: 'a2', accessKeyVariable: 'AK2', secretKeyVariable: 'SK2'],
  [$class: 'SomethingElse', credentialsId: 'x', variable: 'X'],
]) {
  sh 'x'
}`)
	var got []string
	for _, b := range f.Bindings {
		var vars []string
		for _, v := range b.Vars {
			vars = append(vars, v.Role+"="+v.Name+"@"+pos(v.Pos))
		}
		got = append(got, fmt.Sprintf("%s %s@%s %s scope=%s", b.Kind, b.ID.Text, pos(b.Pos), strings.Join(vars, ","), pos(f.PosAt(nodeOff(b.Scope)))))
	}
	want := []string{
		"sshUserPrivateKey k@2:3 keyFileVariable=KF@2:58,passphraseVariable=PP@2:84,usernameVariable=KU@2:108 scope=9:4",
		"certificate c@3:3 keystoreVariable=KS@3:53,passwordVariable=KP@3:77,aliasVariable=KA@3:98 scope=9:4",
		"aws a@4:3 accessKeyVariable=AK@4:46,secretKeyVariable=SK@4:71 scope=9:4",
		"dockerCert d@5:3 variable=DC@5:44 scope=9:4",
		"usernameColonPassword ucp@6:3 variable=UCP@6:57 scope=9:4",
		"aws a2@7:3 accessKeyVariable=AK2@7:91,secretKeyVariable=SK2@7:117 scope=9:4",
		"SomethingElse x@8:3 variable=X@8:59 scope=9:4",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("bindings\n got  %q\n want %q", got, want)
	}
	if n := len(f.Steps[0].InScope()); n != 13 {
		t.Errorf("%d variables in scope, want 13", n)
	}
}

func TestDeclarativeStructure(t *testing.T) {
	src := `pipeline {
    agent none
    stages {
        stage('Outer') {
            stages {
                stage('Inner') {
                    steps { echo 'x' }
                }
            }
        }
        stage('Par') {
            parallel {
                stage('P1') { steps { sh 'p1' } }
                stage('P2') { steps { sh 'p2' } }
            }
        }
    }
    post { failure { echo 'no' } }
}
`
	f := parse(t, src)
	if !f.Declarative || f.Scripted {
		t.Errorf("declarative=%v scripted=%v", f.Declarative, f.Scripted)
	}
	var secs []string
	for _, s := range f.Sections {
		secs = append(secs, s.Name+"@"+pos(s.Pos))
	}
	if got := strings.Join(secs, " "); got != "agent@2:5 stages@3:5 post@18:5" {
		t.Errorf("sections %s", got)
	}
	var stages []string
	for _, st := range f.Stages {
		parent := ""
		if st.Parent != nil {
			parent = st.Parent.Name.Text + ">"
		}
		stages = append(stages, parent+st.Name.Text+"@"+pos(st.Name.Pos))
	}
	if got := strings.Join(stages, " "); got != "Outer@4:15 Outer>Inner@6:23 Par@11:15 Par>P1@13:23 Par>P2@14:23" {
		t.Errorf("stages %s", got)
	}
	if f.Steps[1].Stage.Name.Text != "P2" {
		t.Errorf("stage of p2: %s", f.Steps[1].Stage.Name.Text)
	}
}

func TestScripted(t *testing.T) {
	f := parse(t, "node('x') {\n  stage('a') { sh 'a' }\n  stage 'legacy'\n}")
	if f.Declarative || !f.Scripted {
		t.Errorf("declarative=%v scripted=%v", f.Declarative, f.Scripted)
	}
	if len(f.Stages) != 2 || f.Stages[1].Name.Text != "legacy" || pos(f.Stages[1].Pos) != "3:3" {
		t.Errorf("stages %+v", f.Stages)
	}
	// node inside a declarative script block is not scripted
	f = parse(t, "pipeline { stages { stage('a') { steps { script { node { sh 'x' } } } } } }")
	if !f.Declarative || f.Scripted {
		t.Errorf("declarative=%v scripted=%v", f.Declarative, f.Scripted)
	}
}

func TestEnvAndParams(t *testing.T) {
	f := parse(t, `pipeline {
  parameters {
    password(name: 'PW', defaultValue: 's3cret')
    string(name: 'S', defaultValue: "v")
    choice(name: 'C', choices: ['a', 'b'])
  }
  environment {
    GIT_SSL_NO_VERIFY = true
    N = 0
    URL = "https://${HOST}"
  }
  stages { stage('x') { steps {
    withEnv(["NODE_TLS_REJECT_UNAUTHORIZED=0", "PATH+X=${tool}/bin"]) { sh 'x' }
  } } }
}`)
	var env []string
	for _, e := range f.Env {
		env = append(env, fmt.Sprintf("%s %s@%s=%q@%s lit=%v", e.Source, e.Name, pos(e.Pos), e.Value.Text, pos(e.Value.Pos), e.Value.Literal))
	}
	want := []string{
		`environment GIT_SSL_NO_VERIFY@8:5="true"@8:25 lit=true`,
		`environment N@9:5="0"@9:9 lit=true`,
		`environment URL@10:5="https://${HOST}"@10:11 lit=false`,
		`withEnv NODE_TLS_REJECT_UNAUTHORIZED@13:15="0"@13:44 lit=true`,
		`withEnv PATH+X@13:49="${tool}/bin"@13:56 lit=false`,
	}
	if strings.Join(env, "\n") != strings.Join(want, "\n") {
		t.Errorf("env\n got  %q\n want %q", env, want)
	}
	var params []string
	for _, p := range f.Params {
		params = append(params, fmt.Sprintf("%s %s=%s@%s", p.Kind, p.Name.Text, p.Default.Text, pos(p.Default.Pos)))
	}
	if got := strings.Join(params, "; "); got != "password PW=s3cret@3:40; string S=v@4:37; choice C=@0:0" {
		t.Errorf("params %s", got)
	}
}

func TestAssignments(t *testing.T) {
	f := parse(t, "def token = 'abc'\nenv.API_KEY = \"k\"\nconfig.password = pw\nString a = 'x', b = 'y'\nx += 'z'")
	var got []string
	for _, a := range f.Assignments {
		got = append(got, fmt.Sprintf("%s decl=%v %q@%s", a.Name, a.Decl, a.Value.Text, pos(a.Value.Pos)))
	}
	want := []string{`token decl=true "abc"@1:13`, `env.API_KEY decl=false "k"@2:15`, `config.password decl=false "pw"@3:19`,
		`a decl=true "x"@4:12`, `b decl=true "y"@4:21`, `x decl=false "z"@5:6`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("assignments\n got  %q\n want %q", got, want)
	}
}

func TestSharedLibrary(t *testing.T) {
	f := parse(t, "def call(Map cfg = [:], Closure body) {\n  node { body() }\n}\n\nstatic String helper(String s) { return s }\n")
	var got []string
	for _, fd := range f.Funcs {
		got = append(got, fd.Name+"("+fd.Params+")@"+pos(f.PosAt(fd.NameOff)))
	}
	if s := strings.Join(got, " "); s != "call(Map cfg = [:], Closure body)@1:5 helper(String s)@5:15" {
		t.Errorf("funcs %s", s)
	}
}

func TestComments(t *testing.T) {
	src := "#!/bin/groovy\nsh 'a' // curl -k\n/* wget\n --no-check-certificate */ sh '// not a comment'"
	f := parse(t, src)
	for _, c := range []struct {
		word    string
		comment bool
	}{{"#!", true}, {"sh 'a'", false}, {"curl", true}, {"wget", true}, {"--no-check", true}, {"// not", false}} {
		off := strings.Index(src, c.word)
		if got := f.InComment(off); got != c.comment {
			t.Errorf("InComment(%q) = %v", c.word, got)
		}
	}
	if tk := f.TokenAt(strings.Index(src, "// not")); tk == nil || tk.Kind != String {
		t.Errorf("TokenAt in string: %+v", tk)
	}
	if n := len(f.Comments()); n != 3 {
		t.Errorf("%d comments", n)
	}
}

// TestUnmodeledGroovy: code the tree does not model never stops the walk.
func TestUnmodeledGroovy(t *testing.T) {
	src := `import groovy.json.JsonSlurper
@NonCPS
def parse(String s) { new JsonSlurper().parseText(s) }
class Helper implements Serializable {
    private static final long serialVersionUID = 1L
    Map<String, List<String>> m = [:]
    def run(script) { script.sh "echo ${m.size()}" }
}
def x = (String) y
def r = a ? b : c ?: d
def l = list*.name.findAll { it ==~ /re/ }.collect { n -> n.size() as Integer }
int[] arr = new int[3]
def y = !x && -z || ~w
outer:
for (def i in 1..<10) { if (i instanceof Number) continue }
switch (x) { case ~/a.*/: sh 'a'; break; case [1, 2]: sh 'b'; default: sh 'c' }
do { sh 'd' } while (false)
assert x : 'message'
def m = [(key): 'v', "k${1}": 2, *: other]
sh 'end'
`
	f := parse(t, src)
	var names []string
	for _, s := range f.Steps {
		names = append(names, s.Text.S)
	}
	if got := strings.Join(names, ","); got != "echo ${m.size()},a,b,c,d,end" {
		t.Errorf("steps: %s", got)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unclosed brace", "pipeline {\n  stages {\n", "Jenkinsfile:2:10: invalid Groovy: '{' is never closed (expected '}')"},
		{"stray brace", "node { }\n}\nsh 'x'", "Jenkinsfile:2:1: invalid Groovy: unexpected '}'"},
		{"mismatch", "foo(a, [b)\n", "Jenkinsfile:1:8: invalid Groovy: '[' is never closed (expected ']')"},
		{"unclosed paren", "sh(\n", "Jenkinsfile:1:3: invalid Groovy: '(' is never closed (expected ')')"},
		{"lex error first", "foo(\n'abc", "Jenkinsfile:2:1: invalid Groovy: unterminated '…' string"},
		{"too deep", strings.Repeat("(", 600), "Jenkinsfile:1:500: invalid Groovy: nesting deeper than 500 levels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, ferr := Parse(source.NewFile("Jenkinsfile", []byte(tt.src)))
			if f == nil {
				t.Fatal("no File")
			}
			if ferr == nil {
				t.Fatalf("no error for %q", tt.src)
			}
			if ferr.Error() != tt.want {
				t.Errorf("error %q\n want %q", ferr.Error(), tt.want)
			}
		})
	}
	// the walk still finds what comes after a stray brace
	f, _ := Parse(source.NewFile("J", []byte("node { }\n}\nsh 'x'")))
	if len(f.Steps) != 1 {
		t.Errorf("%d steps after stray brace", len(f.Steps))
	}
}

// pathological are inputs that could make a parser recurse deeply or do
// quadratic work, as generators of n repetitions.
var pathological = map[string]func(n int) string{
	"parens":       func(n int) string { return strings.Repeat("(", n) },
	"brackets":     func(n int) string { return strings.Repeat("[", n) },
	"braces":       func(n int) string { return strings.Repeat("{", n) },
	"calls":        func(n int) string { return strings.Repeat("a(", n) },
	"closures":     func(n int) string { return strings.Repeat("a{", n) },
	"unary":        func(n int) string { return strings.Repeat("!", n) + "x" },
	"assign chain": func(n int) string { return strings.Repeat("a = ", n) + "1" },
	"prop chain":   func(n int) string { return strings.Repeat("a.", n) + "b" },
	"binary chain": func(n int) string { return strings.Repeat("a + ", n) + "b" },
	"if chain":     func(n int) string { return strings.Repeat("if (a) ", n) + "b" },
	"else if":      func(n int) string { return "if (a) b" + strings.Repeat(" else if (a) b", n) },
	"closure args": func(n int) string { return strings.Repeat("{ (", n) },
	"newlines":     func(n int) string { return strings.Repeat("a\n// c\n", n) },
	"strings":      func(n int) string { return strings.Repeat(`"${'`, n) },
	"gstring":      func(n int) string { return strings.Repeat(`"${x}" + `, n) + "1" },
	"commands":     func(n int) string { return strings.Repeat("sh 'x', ", n) },
	"generic":      func(n int) string { return strings.Repeat("List<", n) },
}

// TestPathological: pathological inputs of 200,000 repetitions parse
// without recursing out of the stack, and the memory parsing takes grows
// linearly (bytes allocated at 4n at most 6 times those at n). Their time is
// BenchmarkPathological's: a unit test does not time.
func TestPathological(t *testing.T) {
	allocated := func(src string) uint64 {
		var a, b runtime.MemStats
		runtime.ReadMemStats(&a)
		if f, _ := Parse(source.NewFile("J", []byte(src))); f == nil {
			t.Fatal("no File")
		}
		runtime.ReadMemStats(&b)
		return b.TotalAlloc - a.TotalAlloc
	}
	for name, g := range pathological {
		allocated(g(200000))
		small, large := allocated(g(12500)), allocated(g(50000))
		if large > 6*small+1<<20 {
			t.Errorf("%s: %d bytes allocated at 12,500 repetitions, %d at 50,000: memory grows faster than the input", name, small, large)
		}
	}
}

// BenchmarkPathological parses each pathological input at 50,000
// repetitions: compare the ns/op of the inputs with each other and across
// changes (benchstat), not with a fixed limit.
func BenchmarkPathological(b *testing.B) {
	for name, g := range pathological {
		src := []byte(g(50000))
		b.Run(strings.ReplaceAll(name, " ", "-"), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				Parse(source.NewFile("J", src))
			}
		})
	}
}
