package main

import (
	"fmt"
	"strings"
)

// Kinds of planted secrets. kAWS plants a key id and its secret access key
// on two consecutive lines (two entries in the planted list).
const (
	kGitHub       = "github-pat"
	kGitLab       = "gitlab-pat"
	kSlack        = "slack-bot-token"
	kAWS          = "aws-key-pair"
	kAWSID        = "aws-access-key-id"
	kAWSSecret    = "aws-secret-access-key"
	kPEM          = "private-key"
	kJWT          = "jwt"
	kPassword     = "generic-password"
	kClientSecret = "jcasc-client-secret"
	kCredPassword = "jcasc-credential-password"
)

// Bait categories (false-positive bait, never a secret).
const (
	bCredID      = "credentials-id"
	bPassVar     = "password-variable"
	bRef         = "variable-reference"
	bEncrypted   = "jenkins-encrypted" // our tool reports these as notes
	bUUID        = "uuid"
	bSHA         = "git-sha"
	bImage       = "base64-image"
	bAWSExample  = "aws-example-key"
	bPlaceholder = "placeholder"
	bPublic      = "public-key-or-cert"
	bElided      = "elided-private-key"
	bDigest      = "digest-or-integrity"
	bSecretNames = "secret-named-metadata"
)

// writer produces one kind of file: a header, filler blocks (with bait), and
// blocks that plant one secret of a kind it supports.
type writer interface {
	// header writes the file's start; it may plant some of kinds (a JCasC
	// realm's clientSecret) and returns the kinds left for the body.
	header(d *doc, kinds []string) []string
	filler(d *doc)
	secret(d *doc, kind string)
	footer(d *doc)
}

// without returns kinds less every k, and whether there was one.
func without(kinds []string, k string) ([]string, bool) {
	var out []string
	for _, x := range kinds {
		if x != k {
			out = append(out, x)
		}
	}
	return out, len(out) < len(kinds)
}

// --- JCasC YAML -----------------------------------------------------------

type jcascWriter struct {
	g    *rng
	n    int
	jobs bool // past the credentials list
}

var jcascKinds = []string{kClientSecret, kCredPassword, kGitHub, kGitLab, kSlack, kAWS, kPEM}

func (w *jcascWriter) header(d *doc, kinds []string) []string {
	g := w.g
	d.add("# Jenkins configuration as code: "+g.word()+" controller", "jenkins:",
		fmt.Sprintf(`  systemMessage: "Jenkins %s controller (managed by JCasC, revision %s)"`, g.word(), g.sha()[:12]),
		fmt.Sprintf("  numExecutors: %d", g.n(4)))
	rest, plain := without(kinds, kClientSecret)
	if plain || g.chance(0.6) {
		host := g.word()
		d.add("  securityRealm:", "    oic:", fmt.Sprintf(`      clientId: "jenkins-%s"`, g.word()))
		switch {
		case plain:
			d.secret(kClientSecret, `      clientSecret: "`, g.clientSecret(), `"`)
		case g.chance(0.4):
			d.baitLine(bEncrypted, `      clientSecret: "`+g.jenkinsEncrypted()+`"`)
		case g.chance(0.2):
			d.baitLine(bPlaceholder, `      clientSecret: "`+g.pick("changeme", "<client-secret>", "REPLACE_ME")+`"`)
		default:
			d.baitLine(bRef, `      clientSecret: "${`+g.pick("OIDC_CLIENT_SECRET", "readFile:/run/secrets/oidc-client-secret", "env:OIDC_SECRET")+`}"`)
		}
		d.add("      serverConfiguration:", "        wellKnown:",
			fmt.Sprintf(`          wellKnownOpenIDConfigurationUrl: "https://login.%s.test/.well-known/openid-configuration"`, host),
			`          scopesOverride: "openid email profile groups"`,
			`      userNameField: "preferred_username"`, `      groupsFieldName: "groups"`,
			`      pkceEnabled: true`, `      logoutFromOpenidProvider: true`)
		d.baitLine(bSecretNames, fmt.Sprintf(`      tokenServerUrl: "https://login.%s.test/oauth2/token"`, host))
		d.baitLine(bSecretNames, `      tokenAuthMethod: "client_secret_post"`)
	}
	d.add("  authorizationStrategy:", "    loggedInUsersCanDoAnything:", "      allowAnonymousRead: false",
		"credentials:", "  system:", "    domainCredentials:", "      - credentials:")
	return rest
}

func (w *jcascWriter) item(d *doc, typ, id string) {
	d.add("          - "+typ+":", "              scope: "+w.g.pick("GLOBAL", "SYSTEM"))
	if strings.Count(id, "-") == 4 && len(id) == 36 {
		d.baitLine(bUUID, `              id: "`+id+`"`)
	} else {
		d.add(`              id: "` + id + `"`)
	}
}

func (w *jcascWriter) filler(d *doc) {
	g := w.g
	w.n++
	if w.jobs {
		w.job(d)
		return
	}
	id := fmt.Sprintf("%s-%d", g.word(), w.n)
	if g.chance(0.3) {
		id = g.uuid()
	}
	switch g.n(5) {
	case 0, 1:
		w.item(d, "usernamePassword", id)
		d.add(`              username: "svc-` + g.word() + `"`)
		w.passwordBait(d, "password")
		d.add(fmt.Sprintf(`              description: "Deploy user for %s (rotated with %s)"`, g.word(), g.word()))
	case 2:
		w.item(d, "string", id)
		w.passwordBait(d, "secret")
		d.add(`              description: "API token for ` + g.word() + `"`)
	case 3:
		w.item(d, "basicSSHUserPrivateKey", id)
		d.add("              username: git", "              privateKeySource:", "                directEntry:")
		if g.chance(0.15) {
			d.baitLine(bElided, "                  privateKey: |")
			d.baitBlock(bElided, "                    ", []string{"-----BEGIN RSA PRIVATE KEY-----", "...", "-----END RSA PRIVATE KEY-----"})
		} else {
			d.baitLine(bRef, `                  privateKey: "${readFile:${SECRETS}/`+g.word()+`-id_rsa}"`)
		}
	default:
		w.item(d, "certificate", id)
		d.add("              keyStoreSource:", "                uploaded:")
		d.baitLine(bRef, `                  uploadedKeystore: "${readFileBase64:/run/secrets/`+g.word()+`.p12}"`)
		d.baitLine(bRef, `              password: "${KEYSTORE_PASSWORD}"`)
	}
}

// passwordBait writes a secret-named field whose value is not a secret.
func (w *jcascWriter) passwordBait(d *doc, key string) {
	g := w.g
	pre := "              " + key + ": "
	switch g.n(6) {
	case 0:
		d.baitLine(bEncrypted, pre+`"`+g.jenkinsEncrypted()+`"`)
	case 1:
		d.baitLine(bPlaceholder, pre+`"`+g.pick("changeme", "<password>", "REPLACE_ME", "********", "TODO")+`"`)
	case 2:
		d.baitLine(bRef, pre+`"${readFile:/run/secrets/`+g.word()+`_`+key+`}"`)
	default:
		d.baitLine(bRef, pre+`"${`+strings.ToUpper(g.word())+`_`+strings.ToUpper(key)+`}"`)
	}
}

func (w *jcascWriter) job(d *doc) {
	g := w.g
	name := fmt.Sprintf("%s-%d", g.word(), w.n)
	d.add("  - script: |",
		"      pipelineJob('"+name+"') {",
		"        description('Built from "+g.word()+" by the seed job')",
		"        definition {", "          cpsScm {", "            scm {", "              git {", "                remote {",
		"                  url('https://github.com/acme/"+g.word()+".git')")
	d.baitLine(bCredID, "                  credentials('github-token')")
	d.add("                }")
	d.baitLine(bSHA, "                branch('"+g.sha()+"')")
	d.add("              }", "            }", "            scriptPath('Jenkinsfile')", "          }", "        }",
		"        triggers { scm('H/15 * * * *') }", "      }")
}

func (w *jcascWriter) secret(d *doc, kind string) {
	g := w.g
	w.n++
	id := fmt.Sprintf("%s-%d", g.word(), w.n)
	switch kind {
	case kCredPassword:
		w.item(d, "usernamePassword", id)
		d.add(`              username: "svc-` + g.word() + `"`)
		d.secret(kCredPassword, `              password: "`, g.password(), `"`)
		d.add(`              description: "Nexus deploy user"`)
	case kGitHub:
		w.item(d, "string", id)
		d.secret(kGitHub, `              secret: "`, g.githubPAT(), `"`)
		d.add(`              description: "GitHub API token"`)
	case kGitLab:
		w.item(d, "gitlabPersonalAccessToken", id)
		d.secret(kGitLab, `              token: "`, g.gitlabPAT(), `"`)
	case kSlack:
		w.item(d, "string", "slack-"+id)
		d.secret(kSlack, `              secret: "`, g.slackBot(), `"`)
		d.add(`              description: "Slack bot token for #` + g.word() + `"`)
	case kAWS:
		w.item(d, "aws", "aws-"+id)
		d.secret(kAWSID, `              accessKey: "`, g.awsKeyID(), `"`)
		d.secret(kAWSSecret, `              secretKey: "`, g.awsSecret(), `"`)
	case kPEM:
		w.item(d, "basicSSHUserPrivateKey", id)
		d.add("              username: git", "              privateKeySource:", "                directEntry:",
			"                  privateKey: |")
		d.secretBlock(kPEM, "                    ", g.pemKey())
	default:
		panic("jcasc: no " + kind)
	}
}

func (w *jcascWriter) footer(d *doc) {
	if !w.jobs {
		w.startJobs(d)
	}
}

func (w *jcascWriter) startJobs(d *doc) {
	w.jobs = true
	d.add("unclassified:", "  location:", `    url: "https://jenkins.`+w.g.word()+`.test/"`, "jobs:")
	w.job(d)
}

// --- Jenkinsfile ------------------------------------------------------------

type jenkinsfileWriter struct {
	g *rng
	n int
}

var jenkinsfileKinds = []string{kGitHub, kGitLab, kSlack, kAWS, kJWT, kPassword}

func (w *jenkinsfileWriter) header(d *doc, kinds []string) []string {
	g := w.g
	d.add("// "+g.word()+" pipeline", "")
	if g.chance(0.5) {
		d.baitLine(bSHA, "@Library('pipeline-lib@"+g.sha()+"') _")
	}
	d.add("pipeline {", "    agent { label '"+g.word()+"' }", "    options { timeout(time: 30, unit: 'MINUTES') }",
		"    environment {", "        REGISTRY = 'registry."+g.word()+".test'")
	d.baitLine(bCredID, "        GITHUB_TOKEN = credentials('github-token')")
	d.baitLine(bCredID, "        SONAR_TOKEN = credentials('"+g.uuid()+"')")
	d.add("    }", "    stages {")
	return kinds
}

func (w *jenkinsfileWriter) filler(d *doc) {
	g := w.g
	w.n++
	d.add(fmt.Sprintf("        stage('%s %d') {", g.word(), w.n), "            steps {")
	switch g.n(5) {
	case 0:
		d.baitLine(bPassVar, "                withCredentials([usernamePassword(credentialsId: 'nexus-"+g.word()+"', usernameVariable: 'NEXUS_USER', passwordVariable: 'NEXUS_PASSWORD')]) {")
		d.baitLine(bRef, "                    sh 'mvn -B deploy -Dnexus.user=$NEXUS_USER -Dnexus.password=$NEXUS_PASSWORD'")
		d.add("                }")
	case 1:
		d.baitLine(bCredID, "                git url: 'https://github.com/acme/"+g.word()+".git', branch: 'main', credentialsId: 'github-token'")
		d.baitLine(bSHA, "                sh 'git checkout "+g.sha()+"'")
	case 2:
		d.baitLine(bPassVar, "                withCredentials([string(credentialsId: 'slack-token', variable: 'SLACK_TOKEN')]) {")
		d.baitLine(bRef, "                    sh 'curl -sf -H \"Authorization: Bearer $SLACK_TOKEN\" https://slack.test/api/chat.postMessage'")
		d.add("                }")
	case 3:
		d.baitLine(bRef, "                sh \"docker login -u ${env.REGISTRY_USER} -p ${env.REGISTRY_PASSWORD} ${env.REGISTRY}\"")
		d.baitLine(bDigest, "                sh 'docker pull registry.test/"+g.word()+"@sha256:"+g.sha256()+"'")
	default:
		d.baitLine(bUUID, fmt.Sprintf(`                echo "Deploying build ${env.BUILD_NUMBER} (request %s)"`, g.uuid()))
		d.baitLine(bPlaceholder, "                // export GITHUB_TOKEN=<your-token> to run this stage locally")
	}
	d.add("                sh './gradlew build -x test --no-daemon'", "            }", "        }")
}

func (w *jenkinsfileWriter) secret(d *doc, kind string) {
	g := w.g
	w.n++
	d.add(fmt.Sprintf("        stage('%s %d') {", g.word(), w.n), "            steps {")
	switch kind {
	case kGitHub:
		d.secret(kGitHub, `                sh "curl -fsSL -H 'Authorization: token `, g.githubPAT(), `' https://api.github.com/repos/acme/`+g.word()+`/releases"`)
	case kGitLab:
		d.secret(kGitLab, `                sh 'curl --header "PRIVATE-TOKEN: `, g.gitlabPAT(), `" https://gitlab.test/api/v4/projects'`)
	case kSlack:
		d.secret(kSlack, "                slackSend channel: '#ci', token: '", g.slackBot(), "', message: \"Build ${env.BUILD_NUMBER} done\"")
	case kAWS:
		d.add("                withEnv([")
		d.secret(kAWSID, `                    "AWS_ACCESS_KEY_ID=`, g.awsKeyID(), `",`)
		d.secret(kAWSSecret, `                    "AWS_SECRET_ACCESS_KEY=`, g.awsSecret(), `",`)
		d.add("                ]) {", "                    sh 'aws s3 sync build/ s3://"+g.word()+"-artifacts/'", "                }")
	case kJWT:
		d.secret(kJWT, `                sh "curl -sf -H 'Authorization: Bearer `, g.jwt(), `' https://deploy.`+g.word()+`.test/api/rollout"`)
	case kPassword:
		d.add("                script {")
		d.secret(kPassword, `                    def dbPassword = "`, g.password(), `"`)
		d.add(`                    sh "psql postgresql://app:${dbPassword}@db.test/app -c 'select 1'"`, "                }")
	default:
		panic("jenkinsfile: no " + kind)
	}
	d.add("            }", "        }")
}

func (w *jenkinsfileWriter) footer(d *doc) {
	d.add("    }", "    post {", "        always { cleanWs() }", "    }", "}")
}

// --- shell scripts --------------------------------------------------------

type shellWriter struct {
	g *rng
	n int
}

var shellKinds = []string{kGitHub, kGitLab, kSlack, kAWS, kPEM, kJWT, kPassword}

func (w *shellWriter) header(d *doc, kinds []string) []string {
	d.add("#!/usr/bin/env bash", "# "+w.g.word()+" helper", "set -euo pipefail", "")
	d.baitLine(bRef, `: "${API_TOKEN:?set API_TOKEN}"`)
	return kinds
}

func (w *shellWriter) filler(d *doc) {
	g := w.g
	w.n++
	d.add(fmt.Sprintf("%s_%d() {", g.word(), w.n), `  local dir="${1:-build}"`)
	switch g.n(6) {
	case 0:
		d.baitLine(bRef, `  echo "$REGISTRY_PASSWORD" | docker login -u "$REGISTRY_USER" --password-stdin registry.`+g.word()+".test")
		d.baitLine(bRef, `  export PASSWORD="${DB_PASSWORD}"`)
	case 1:
		d.baitLine(bSHA, "  git fetch origin && git checkout "+g.sha())
		d.baitLine(bSHA, "  GIT_COMMIT="+g.sha())
	case 2:
		d.baitLine(bUUID, `  curl -fsS -H "X-Request-Id: `+g.uuid()+`" -H "Authorization: Bearer ${TOKEN}" "https://api.`+g.word()+`.test/v1/status"`)
	case 3:
		d.baitLine(bPlaceholder, "  # export GITHUB_TOKEN=ghp_"+strings.Repeat("x", 36))
		d.baitLine(bPlaceholder, `  SECRET="${SECRET:-changeme}"`)
	case 4:
		d.baitLine(bAWSExample, "  export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE")
		d.baitLine(bAWSExample, "  export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	default:
		if g.chance(0.5) {
			d.baitLine(bPublic, `  echo "`+g.sshPublicKey()+`" >> ~/.ssh/authorized_keys`)
		} else {
			d.add(`  cat > "$dir/ca.pem" <<'EOF'`)
			d.baitBlock(bPublic, "", g.certificate())
			d.add("EOF")
		}
	}
	d.add(`  for f in "$dir"/*.tar.gz; do`, `    [ -e "$f" ] || continue`,
		`    sha256sum "$f" >> "$dir/SHA256SUMS"`, "  done", `  echo "done: $dir" >&2`, "}", "")
}

func (w *shellWriter) secret(d *doc, kind string) {
	g := w.g
	switch kind {
	case kGitHub:
		d.secret(kGitHub, `curl -fsSL -H "Authorization: token `, g.githubPAT(), `" https://api.github.com/repos/acme/`+g.word())
	case kGitLab:
		d.secret(kGitLab, "GITLAB_TOKEN=", g.gitlabPAT(), "")
	case kSlack:
		d.secret(kSlack, "export SLACK_BOT_TOKEN='", g.slackBot(), "'")
	case kAWS:
		d.secret(kAWSID, "export AWS_ACCESS_KEY_ID=", g.awsKeyID(), "")
		d.secret(kAWSSecret, "export AWS_SECRET_ACCESS_KEY=", g.awsSecret(), "")
	case kPEM:
		d.add(`mkdir -p "$HOME/.ssh"`, `cat > "$HOME/.ssh/id_deploy" <<'EOF'`)
		d.secretBlock(kPEM, "", g.pemKey())
		d.add("EOF", `chmod 600 "$HOME/.ssh/id_deploy"`)
	case kJWT:
		d.secret(kJWT, "DEPLOY_TOKEN=", g.jwt(), "")
	case kPassword:
		d.secret(kPassword, `DB_PASSWORD="`, g.password(), `"`)
	default:
		panic("shell: no " + kind)
	}
	d.add("")
}

func (w *shellWriter) footer(d *doc) { d.add(`main() { build_1 "$@"; }`, `main "$@"`) }

// --- JSON -------------------------------------------------------------------

type jsonWriter struct {
	g     *rng
	n     int
	items int
}

var jsonKinds = []string{kGitHub, kGitLab, kSlack, kAWS, kPEM, kJWT, kPassword}

func (w *jsonWriter) header(d *doc, kinds []string) []string {
	g := w.g
	d.add("{", `  "name": "`+g.word()+`",`, `  "version": "1.`+itoa(g.n(40))+`.`+itoa(g.n(10))+`",`)
	d.baitLine(bSHA, `  "commit": "`+g.sha()+`",`)
	d.add(`  "items": [`)
	return kinds
}

// next starts an item: a comma after the previous one.
func (w *jsonWriter) next(d *doc) {
	if w.items > 0 {
		d.appendLast(",")
	}
	w.items++
	w.n++
}

func (w *jsonWriter) filler(d *doc) {
	g := w.g
	w.next(d)
	d.add("    {")
	d.baitLine(bUUID, `      "id": "`+g.uuid()+`",`)
	d.add(`      "name": "`+g.word()+`-`+itoa(w.n)+`",`, `      "enabled": true,`)
	switch g.n(7) {
	case 0:
		d.baitLine(bCredID, `      "credentialsId": "github-token",`)
		d.baitLine(bSecretNames, `      "passwordFile": "/run/secrets/`+g.word()+`",`)
	case 1:
		d.baitLine(bRef, `      "password": "${DB_PASSWORD}",`)
		d.baitLine(bRef, `      "apiToken": "${`+strings.ToUpper(g.word())+`_API_TOKEN}",`)
	case 2:
		d.baitLine(bImage, `      "icon": "`+g.pngData(300+g.n(3000))+`",`)
	case 3:
		d.baitLine(bDigest, `      "integrity": "`+g.integrity()+`",`)
		d.baitLine(bDigest, `      "sha256": "`+g.sha256()+`",`)
	case 4:
		d.baitLine(bPlaceholder, `      "token": "`+g.pick("<your-token>", "REPLACE_ME", "changeme", "xxxxxxxxxxxxxxxxxxxx", "TODO")+`",`)
	case 5:
		d.baitLine(bEncrypted, `      "secret": "`+g.jenkinsEncrypted()+`",`)
	default:
		d.baitLine(bSHA, `      "revision": "`+g.sha()+`",`)
	}
	d.add(`      "url": "https://`+g.word()+`.test/`+g.word()+`",`, `      "retries": `+itoa(g.n(5)))
	d.add("    }")
}

func (w *jsonWriter) secret(d *doc, kind string) {
	g := w.g
	w.next(d)
	d.add("    {", `      "name": "`+g.word()+`-`+itoa(w.n)+`",`)
	switch kind {
	case kGitHub:
		d.secret(kGitHub, `      "githubToken": "`, g.githubPAT(), `",`)
	case kGitLab:
		d.secret(kGitLab, `      "gitlabToken": "`, g.gitlabPAT(), `",`)
	case kSlack:
		d.secret(kSlack, `      "slackBotToken": "`, g.slackBot(), `",`)
	case kAWS:
		d.add(`      "AccessKey": {`, `        "UserName": "ci-`+g.word()+`",`)
		d.secret(kAWSID, `        "AccessKeyId": "`, g.awsKeyID(), `",`)
		d.add(`        "Status": "Active",`)
		d.secret(kAWSSecret, `        "SecretAccessKey": "`, g.awsSecret(), `",`)
		d.add(`        "CreateDate": "2024-0`+itoa(1+g.n(9))+`-1`+itoa(g.n(10))+`T10:00:00Z"`, `      },`)
	case kPEM:
		d.secret(kPEM, `      "sshPrivateKey": "`, strings.Join(g.pemKey(), `\n`)+`\n`, `",`)
	case kJWT:
		d.secret(kJWT, `      "accessToken": "`, g.jwt(), `",`)
	case kPassword:
		d.add(`      "username": "app",`)
		d.secret(kPassword, `      "password": "`, g.password(), `",`)
	default:
		panic("json: no " + kind)
	}
	d.add(`      "enabled": true`, "    }")
}

func (w *jsonWriter) footer(d *doc) { d.add("  ]", "}") }

// --- plain config (properties, .env, .conf, AWS credentials) ----------------

type configWriter struct {
	g      *rng
	n      int
	flavor string // properties, env, conf, aws
}

var configKinds = []string{kGitHub, kGitLab, kSlack, kAWS, kJWT, kPassword}

func (w *configWriter) header(d *doc, kinds []string) []string {
	switch w.flavor {
	case "conf":
		d.add("# "+w.g.word()+" service configuration", "")
	case "aws":
		// the aws flavor plants only key pairs (and passwords as a
		// source_profile's neighbour would be odd): map every kind to a pair
		for i := range kinds {
			kinds[i] = kAWS
		}
		d.add("# AWS CLI credentials for the " + w.g.word() + " agents")
	default:
		d.add("# " + w.g.word() + " settings")
	}
	return kinds
}

func (w *configWriter) kv(k, v string) string {
	switch w.flavor {
	case "env":
		return strings.ToUpper(strings.ReplaceAll(k, ".", "_")) + "=" + v
	case "conf":
		return "  " + strings.ReplaceAll(k, ".", "_") + ` = "` + v + `"`
	}
	return k + "=" + v
}

func (w *configWriter) filler(d *doc) {
	g := w.g
	w.n++
	name := g.word()
	if w.flavor == "aws" {
		d.add("", "["+name+"-"+itoa(w.n)+"]")
		if g.chance(0.3) {
			d.baitLine(bAWSExample, "aws_access_key_id = AKIAIOSFODNN7EXAMPLE")
			d.baitLine(bAWSExample, "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
		} else {
			d.add("credential_process = /usr/local/bin/vault-aws-creds " + name)
		}
		d.add("region = "+g.pick("eu-west-1", "us-east-1", "ap-south-1"), "output = json")
		return
	}
	if w.flavor == "conf" {
		d.add(name + "_" + itoa(w.n) + " {")
	}
	d.add(w.kv(name+".url", "jdbc:postgresql://db."+name+".test:5432/"+name), w.kv(name+".user", "svc_"+name))
	switch g.n(6) {
	case 0:
		d.baitLine(bRef, w.kv(name+".password", "${"+strings.ToUpper(name)+"_DB_PASSWORD}"))
	case 1:
		d.baitLine(bPlaceholder, w.kv(name+".token", g.pick("changeme", "<token>", "REPLACE_ME", "TODO", "xxxxxxxxxxxx")))
	case 2:
		d.baitLine(bSHA, w.kv(name+".build.commit", g.sha()))
		d.baitLine(bUUID, w.kv(name+".instance.id", g.uuid()))
	case 3:
		d.baitLine(bSecretNames, w.kv(name+".password.file", "/run/secrets/"+name))
		d.baitLine(bCredID, w.kv(name+".credentialsId", name+"-token"))
	case 4:
		d.baitLine(bImage, w.kv(name+".logo", g.pngData(200+g.n(1500))))
	default:
		d.baitLine(bDigest, w.kv(name+".image", "registry.test/"+name+"@sha256:"+g.sha256()))
	}
	d.add(w.kv(name+".pool.size", itoa(4+g.n(60))), w.kv(name+".timeout", itoa(g.n(120))+"s"))
	if w.flavor == "conf" {
		d.add("}")
	}
	d.add("")
}

func (w *configWriter) secret(d *doc, kind string) {
	g := w.g
	w.n++
	if w.flavor == "aws" {
		d.add("", "["+g.word()+"-"+itoa(w.n)+"]")
		d.secret(kAWSID, "aws_access_key_id = ", g.awsKeyID(), "")
		d.secret(kAWSSecret, "aws_secret_access_key = ", g.awsSecret(), "")
		d.add("region = eu-west-1")
		return
	}
	name := g.word()
	pre := func(k string) string {
		kv := w.kv(k, "")
		if w.flavor == "conf" {
			return kv[:len(kv)-1]
		}
		return kv
	}
	suf := ""
	if w.flavor == "conf" {
		suf = `"`
		d.add(name + "_" + itoa(w.n) + " {")
	}
	switch kind {
	case kGitHub:
		d.secret(kGitHub, pre("github.token"), g.githubPAT(), suf)
	case kGitLab:
		d.secret(kGitLab, pre("gitlab.token"), g.gitlabPAT(), suf)
	case kSlack:
		d.secret(kSlack, pre("slack.bot.token"), g.slackBot(), suf)
	case kAWS:
		d.secret(kAWSID, pre("aws.access.key.id"), g.awsKeyID(), suf)
		d.secret(kAWSSecret, pre("aws.secret.access.key"), g.awsSecret(), suf)
	case kJWT:
		d.secret(kJWT, pre("api.jwt"), g.jwt(), suf)
	case kPassword:
		d.secret(kPassword, pre(name+".password"), g.password(), suf)
	default:
		panic("config: no " + kind)
	}
	if w.flavor == "conf" {
		d.add("}")
	}
	d.add("")
}

func (w *configWriter) footer(d *doc) {}
