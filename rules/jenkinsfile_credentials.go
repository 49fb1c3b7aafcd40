package rules

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jenkinsfile"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// UnknownCredential: see docs/unknown-credential.md.
var UnknownCredential = &Rule{ID: "unknown-credential", Pipeline: checkUnknownCredential}

// credDef is a credential defined in a JCasC file.
type credDef struct {
	doc *jcasc.Doc
	c   *jcasc.Credential
}

func (d credDef) pos() report.Position {
	if d.c.ID.Set() {
		return d.c.ID.At.Pos(d.doc.File)
	}
	return d.c.KindAt.Pos(d.doc.File)
}

// literalID returns a use's credential ID when it is a literal.
func literalID(v jenkinsfile.Value) (string, bool) {
	if !v.Valid() || !v.Literal || strings.TrimSpace(v.Text) == "" {
		return "", false
	}
	if _, ok := v.Node.(*jenkinsfile.Str); !ok {
		return "", false
	}
	return v.Text, true
}

// valueSpan is the span of a string value's text (inside its quotes).
func valueSpan(pf *jenkinsfile.File, v jenkinsfile.Value) (report.Position, report.Position) {
	return pf.PosAt(v.OffsetAt(0)), pf.PosAt(v.OffsetAt(len(v.Text)))
}

// maxSuggestCandidates bounds the "did you mean" search of
// unknown-credential: beyond it (machine-generated credential lists) the
// search would cost more than the whole run.
const maxSuggestCandidates = 1000

func checkUnknownCredential(p *Pass, pf *jenkinsfile.File) {
	idx := p.index()
	if len(idx.creds) == 0 {
		return
	}
	files := idx.credFiles
	for _, u := range pf.Uses {
		id, ok := literalID(u.ID)
		if !ok || idx.creds[id] != nil {
			continue
		}
		pos, end := valueSpan(pf, u.ID)
		msg := fmt.Sprintf("credentials ID '%s' is not defined in the loaded JCasC (%d %s credentials): the step fails when it runs", id, files, plural(files, "file defines", "files define"))
		fd := report.Finding{Pos: pos, End: end}
		if s := idx.suggestion(id); s != "" {
			msg += fmt.Sprintf("; did you mean '%s'?", s)
			fd.Related = []report.Related{{Pos: idx.creds[s][0].pos(), Message: fmt.Sprintf("'%s' is defined here", s)}}
		} else {
			msg += "; define it in JCasC, or correct the ID"
		}
		fd.Message = msg
		p.Report(fd)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// bindingNeeds lists the credential types (jcasc.Credential.BindingType)
// a binding or step can read; nil when the tool does not know.
func bindingNeeds(kind string) []string {
	switch kind {
	case "string":
		return []string{"string"}
	case "usernamePassword", "usernameColonPassword":
		return []string{"usernamePassword"}
	case "file", "zip":
		return []string{"file"}
	case "sshUserPrivateKey":
		return []string{"sshUserPrivateKey"}
	case "certificate":
		return []string{"certificate"}
	case "aws":
		return []string{"aws"}
	case "dockerCert":
		return []string{"dockerCert"}
	case "credentials": // environment { X = credentials('id') }
		return []string{"string", "usernamePassword", "file", "sshUserPrivateKey"}
	case "sshagent":
		return []string{"sshUserPrivateKey"}
	case "git":
		return []string{"usernamePassword", "sshUserPrivateKey"}
	case "registry":
		return []string{"usernamePassword"}
	}
	return nil
}

// fittingBindings says how to read a credential of a binding type.
var fittingBindings = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"string":            "string(credentialsId:, variable:)",
		"usernamePassword":  "usernamePassword(credentialsId:, usernameVariable:, passwordVariable:) or usernameColonPassword(credentialsId:, variable:)",
		"file":              "file(credentialsId:, variable:)",
		"sshUserPrivateKey": "sshUserPrivateKey(credentialsId:, keyFileVariable:) or sshagent([…])",
		"certificate":       "certificate(credentialsId:, keystoreVariable:, passwordVariable:)",
		"aws":               "aws(credentialsId:, accessKeyVariable:, secretKeyVariable:) or withAWS(credentials:)",
		"dockerCert":        "dockerCert(credentialsId:, variable:)",
	}
})

// kindDisplayNames are the credential descriptors' display names, which
// Jenkins' error messages show.
var kindDisplayNames = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"string":                 "Secret text",
		"usernamePassword":       "Username with password",
		"file":                   "Secret file",
		"basicSSHUserPrivateKey": "SSH Username with private key",
		"certificate":            "Certificate",
		"aws":                    "AWS Credentials",
	}
})

// bindingTypeNames are the credential types withCredentials bindings read;
// they are interfaces without a descriptor, so Jenkins' message names the
// Java type.
var bindingTypeNames = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"string":                "org.jenkinsci.plugins.plaincredentials.StringCredentials",
		"file":                  "org.jenkinsci.plugins.plaincredentials.FileCredentials",
		"zip":                   "org.jenkinsci.plugins.plaincredentials.FileCredentials",
		"usernamePassword":      "com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials",
		"usernameColonPassword": "com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials",
		"sshUserPrivateKey":     "com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey",
		"certificate":           "com.cloudbees.plugins.credentials.common.StandardCertificateCredentials",
	}
})

// kindNote explains a credential kind whose binding type is not its name.
func kindNote(c *jcasc.Credential) string {
	bt := c.BindingType()
	if bt == c.Kind || bt == "" {
		return c.Kind
	}
	return fmt.Sprintf("%s (a %s credential)", c.Kind, bt)
}

// useWord is the span of the word that names a binding: string in
// string(…), the $class value of a [$class: …] map, credentials in
// credentials('id'); for other uses, the ID.
func useWord(pf *jenkinsfile.File, u *jenkinsfile.CredentialUse) (report.Position, report.Position, string) {
	switch n := u.Node.(type) {
	case *jenkinsfile.Call:
		if u.Binding != nil {
			return pf.PosAt(n.NameOff), pf.PosAt(n.NameOff + len(n.Name)), n.Name + "(…)"
		}
	case *jenkinsfile.Map:
		if cls, ok := n.Get("$class").(*jenkinsfile.Str); ok && u.Binding != nil {
			dec := cls.Tok.Decoded()
			return pf.PosAt(dec.Offset(0)), pf.PosAt(dec.Offset(len(dec.S))), "[$class: '" + dec.S + "']"
		}
	case *jenkinsfile.Assign:
		if c, ok := n.RHS.(*jenkinsfile.Call); ok {
			return pf.PosAt(c.NameOff), pf.PosAt(c.NameOff + len(c.Name)), "credentials('…') in an environment block"
		}
	}
	pos, end := valueSpan(pf, u.ID)
	what := map[string]string{"sshagent": "sshagent([…])", "git": "a git checkout (git or GitSCM)", "registry": "a Docker registry login"}[u.Kind]
	if c, ok := u.Node.(*jenkinsfile.Call); ok && u.Kind != "git" {
		what = c.Func() + "(…)"
	}
	if what == "" {
		what = u.Kind
	}
	return pos, end, what
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// pipelineUse is the first use of a credential in one pipeline.
type pipelineUse struct {
	path string
	use  credUseFact
}

// firstUses maps each literal credential ID to its first use in each
// pipeline (pipelines in path order).
func firstUses(p *Pass) (map[string][]pipelineUse, []string) {
	uses := map[string][]pipelineUse{}
	var ids []string
	for _, pf := range p.facts {
		for _, u := range pf.credUses {
			if uses[u.id] == nil {
				ids = append(ids, u.id)
			}
			uses[u.id] = append(uses[u.id], pipelineUse{pf.path, u})
		}
	}
	sort.Strings(ids)
	return uses, ids
}

var (
	personIDRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([a-z]{2,})[._]([a-z]{2,})(-[a-z0-9]+)?$`) })
	emailRE    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([^@\s]+)@([^@\s]+\.[A-Za-z]{2,})$`) })
)

// serviceWords mark names of machines, tools and teams rather than people.
func serviceWords(s string) bool {
	switch s {
	case "ci", "cd", "bot", "bots", "svc", "service", "services", "sa",
		"deploy", "deployer", "deployment", "build", "builder", "builds", "jenkins", "release",
		"releases", "admin", "administrator", "root", "git", "github", "gitlab", "bitbucket",
		"gitea", "nexus", "artifactory", "docker", "registry", "aws", "gcp", "gke",
		"gcr", "azure", "acr", "ecr", "k8s", "kube", "kubernetes", "prod",
		"production", "prd", "dev", "develop", "development", "staging", "stage", "stg",
		"test", "tests", "qa", "uat", "read", "write", "ro", "rw",
		"readonly", "api", "app", "apps", "token", "tokens", "key", "keys",
		"ssh", "npm", "pypi", "maven", "gradle", "sonar", "sonarqube", "slack",
		"vault", "jira", "confluence", "helm", "chart", "charts", "mirror", "backup",
		"system", "automation", "auto", "robot", "noreply", "no", "reply", "team",
		"cluster", "web", "db", "s3", "tf", "terraform", "ansible", "pipeline",
		"pipelines", "job", "jobs", "pass", "password", "secret", "cred", "creds",
		"credential", "credentials", "iam", "oidc", "id", "ops", "devops", "infra",
		"platform", "monitor", "monitoring", "scan", "scanner", "sign", "signing", "gpg",
		"pgp", "publish", "publisher", "upload", "sync", "bucket", "storage", "cache",
		"cloud", "server", "host", "int", "ext", "internal", "external", "global",
		"shared", "common", "default", "main", "master", "cert", "certs", "tls",
		"user", "users", "account", "accounts", "access", "hook", "hooks", "webhook",
		"notify", "notifications", "mail", "smtp", "teams", "chat", "bitrise", "circle",
		"travis", "argo", "argocd", "flux", "spinnaker":
		return true
	}
	return false
}

func hasServiceWord(s string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z')
	}) {
		if serviceWords(w) {
			return true
		}
	}
	return false
}

// personal tells why a credential looks like a person's: its ID reads
// like a name (jane.doe, jane_doe-github) or an e-mail address, or its
// JCasC username is a personal e-mail address.
func personal(id string, defs []credDef) (string, []report.Related) {
	if m := personIDRE().FindStringSubmatch(id); m != nil && !hasServiceWord(m[1]) && !hasServiceWord(m[2]) {
		return "its ID reads like a person's name", related(defs)
	}
	if m := emailRE().FindStringSubmatch(id); m != nil && !hasServiceWord(m[1]) && !serviceDomain(m[2]) {
		return "its ID is an e-mail address", related(defs)
	}
	for _, d := range defs {
		u := d.c.Username
		if !u.NonEmpty() || tree.IsVariable(u.Value) {
			continue
		}
		if m := emailRE().FindStringSubmatch(u.Value); m != nil && !hasServiceWord(m[1]) && !serviceDomain(m[2]) {
			return fmt.Sprintf("its JCasC username %s is a personal e-mail address", u.Value),
				[]report.Related{{Pos: u.At.Pos(d.doc.File), Message: "the username"}}
		}
	}
	return "", nil
}

func serviceDomain(domain string) bool {
	d := strings.ToLower(domain)
	return strings.Contains(d, "serviceaccount") || strings.HasPrefix(d, "iam.")
}

func related(defs []credDef) []report.Related {
	var out []report.Related
	for _, d := range defs {
		out = append(out, report.Related{Pos: d.pos(), Message: "defined here"})
	}
	return out
}
