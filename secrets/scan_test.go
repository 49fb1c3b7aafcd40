package secrets

import (
	"encoding/base64"
	"strings"
	"testing"
)

// Markers in test texts: the secret is what sits between open and close.
const (
	openMark  = "⟦"
	closeMark = "⟧"
)

type span struct {
	s, e int
	kind string
}

// unmark removes the markers from text and returns the spans they enclosed,
// each with the kind written after the closing marker's "|kind" suffix... or
// the default kind.
func unmark(t *testing.T, text, kind string) ([]byte, []span) {
	t.Helper()
	var out strings.Builder
	var spans []span
	for {
		i := strings.Index(text, openMark)
		if i < 0 {
			out.WriteString(text)
			break
		}
		out.WriteString(text[:i])
		text = text[i+len(openMark):]
		j := strings.Index(text, closeMark)
		if j < 0 {
			t.Fatalf("unbalanced marker in %q", text)
		}
		s := out.Len()
		inner := text[:j]
		k := kind
		if p := strings.LastIndex(inner, "|"); p >= 0 && strings.HasPrefix(inner[p:], "|kind=") {
			k = inner[p+len("|kind="):]
			inner = inner[:p]
		}
		out.WriteString(inner)
		spans = append(spans, span{s, out.Len(), k})
		text = text[j+len(closeMark):]
	}
	return []byte(out.String()), spans
}

func TestScanFires(t *testing.T) {
	g := newGen(7)
	pw := g.password()
	aid, asec := g.awsID(), g.awsSecret()
	jt := g.jenkins()
	aid2, asec2, aid3, aid4 := g.awsID(), g.awsSecret(), g.awsID(), g.awsID()
	// 39 characters after the leading / or +, not ending in + (that would
	// read as a concatenation +expr+).
	asecSlash, asecPlus := g.awsSecret()[1:39]+"Q", g.awsSecret()[1:39]+"7"
	plusInside := g.mixed(10, alnum) + "+" + g.mixed(10, alnum)
	pem := g.pemBlock("RSA PRIVATE KEY")
	indented := strings.ReplaceAll(g.pemBlock("OPENSSH PRIVATE KEY"), "\n", "\n  ")
	gcpKey := strings.ReplaceAll(g.pemBlock("PRIVATE KEY"), "\n", `\n`) + `\n`
	tests := []struct {
		name, text, kind string
	}{
		// GitHub
		{"github pat env", "GITHUB_TOKEN=⟦" + g.githubPAT() + "⟧\n", KindGitHubPAT},
		{"github pat in yaml", "token: \"⟦" + g.githubPAT() + "⟧\"\n", KindGitHubPAT},
		{"github pat in clone url", `sh "git clone https://x-access-token:⟦` + g.githubPAT() + `⟧@github.com/o/r.git"`, KindGitHubPAT},
		// a random token spells xxxx by chance (one ghp_ token in about
		// 28,000): nothing is elided from it
		{"github pat spelling xxxx", "GITHUB_TOKEN=⟦ghp_" + g.mixed(16, alnum) + "xXxx" + g.mixed(16, alnum) + "⟧\n", KindGitHubPAT},
		{"github oauth", "x ⟦" + g.githubOAuth() + "⟧ y", KindGitHubOAuth},
		{"github app", "(⟦" + g.githubApp() + "⟧)", KindGitHubAppToken},
		{"github user-to-server", "'⟦ghu_" + g.mixed(36, alnum) + "⟧'", KindGitHubAppToken},
		{"github refresh", "⟦ghr_" + g.mixed(36, alnum) + "⟧", KindGitHubRefreshToken},
		{"github fine-grained", "GH_PAT: ⟦" + g.githubFine() + "⟧\n", KindGitHubFineGrainedPAT},
		// GitLab
		{"gitlab pat", "GITLAB_TOKEN: ⟦" + g.gitlabPAT() + "⟧\n", KindGitLabPAT},
		{"gitlab runner", "runner ⟦glrt-" + g.mixed(20, alnum) + "⟧ ok", KindGitLabToken},
		{"gitlab trigger", "⟦glptt-" + g.str(40, hexLow) + "⟧", KindGitLabToken},
		// Slack
		{"slack bot", "SLACK_BOT_TOKEN=⟦" + g.slackBot() + "⟧\n", KindSlackToken},
		{"slack user", `"⟦` + g.slackUser() + `⟧"`, KindSlackToken},
		{"slack app", "⟦xapp-1-A" + g.str(10, upperD) + "-" + g.str(13, digits) + "-" + g.str(64, hexLow) + "⟧", KindSlackToken},
		{"slack webhook", "webhookUrl: ⟦" + g.slackHook() + "⟧\n", KindSlackWebhook},
		{"slack webhook no scheme-less", "notify(url: '⟦" + g.slackHook() + "⟧')", KindSlackWebhook},
		// Keys and tokens
		{"private key", "⟦" + pem + "⟧\n", KindPrivateKey},
		{"private key in yaml block", "privateKey: |\n  ⟦" + indented + "⟧\n", KindPrivateKey},
		{"pgp private key", "⟦" + g.pemBlock("PGP PRIVATE KEY BLOCK") + "⟧", KindPrivateKey},
		{"ec private key without end", "⟦" + strings.TrimSuffix(g.pemBlock("EC PRIVATE KEY"), "\n-----END EC PRIVATE KEY-----") + "⟧\n", KindPrivateKey},
		{"jwt", "id_token: ⟦" + g.jwt() + "⟧\n", KindJWT},
		{"jwt spelling xxxx", "id_token: ⟦" + g.jwt() + "xxxX" + g.mixed(14, b64url) + "⟧\n", KindJWT},
		{"jwt in header", `-H "Authorization: Bearer ⟦` + g.jwt() + `⟧"`, KindJWT},
		{"okta env", "OKTA_API_TOKEN=⟦" + g.okta() + "⟧\n", KindOktaAPIToken},
		{"okta ssws", `-H "Authorization: SSWS ⟦` + g.okta() + `⟧"`, KindOktaAPIToken},
		{"entra client secret", "clientSecret: ⟦" + g.azure() + "⟧\n", KindAzureClientSecret},
		{"entra in quotes", `AZURE_CLIENT_SECRET="⟦` + g.azure() + `⟧"`, KindAzureClientSecret},
		{"gcp service account", `{"type": "service_account", "project_id": "p", "private_key_id": "` + g.sha() + `", "private_key": "⟦` + gcpKey + `⟧", "client_email": "a@p.iam.gserviceaccount.com"}`, KindGCPServiceAccount},
		{"google oauth client secret", "      clientSecret: \"⟦GOCSPX-" + g.mixed(28, b64url) + "⟧\"\n", KindGoogleOAuthClientSecret},
		{"gcp api key", "key=⟦" + g.gcpAPIKey() + "⟧&q=1", KindGCPAPIKey},
		{"npmrc", "//registry.npmjs.org/:_authToken=⟦" + g.npm() + "⟧\n", KindNPMToken},
		// Jenkins
		{"jenkins curl -u", "sh 'curl -u admin:⟦" + jt + "⟧ https://ci.acme.test/job/x/build'", KindJenkinsAPIToken},
		{"jenkins env", "JENKINS_API_TOKEN=⟦" + g.jenkins() + "⟧\n", KindJenkinsAPIToken},
		{"jenkins url", "https://admin:⟦" + g.jenkins() + "⟧@ci.acme.test/", KindJenkinsAPIToken},
		// URLs
		{"url password", "url: https://deploy:⟦" + pw + "⟧@nexus.acme.corp/repo\n", KindURLCredentials},
		{"postgres url", `DATABASE_URL="postgres://app:⟦` + g.password() + `⟧@db:5432/app"`, KindURLCredentials},
		{"url token as user", "matrix-auth:3.2:https://⟦" + g.str(1, alnum[:52]) + "7" + g.mixed(22, alnum) + "⟧@repo.acme.corp/m.hpi\n", KindURLCredentials},
		// AWS
		{"aws pair ini", "[default]\naws_access_key_id = ⟦" + aid + "|kind=" + KindAWSAccessKeyID + "⟧\naws_secret_access_key = ⟦" + asec + "⟧\n", KindAWSSecretAccessKey},
		{"aws pair terraform", "provider \"aws\" {\n  access_key = \"⟦" + g.awsID() + "|kind=" + KindAWSAccessKeyID + "⟧\"\n  secret_key = \"⟦" + g.awsSecret() + "⟧\"\n}\n", KindAWSSecretAccessKey},
		// Benchmark misses: dotted properties names, keys starting with / or +.
		{"aws pair properties", "aws.access.key.id=⟦" + aid2 + "|kind=" + KindAWSAccessKeyID + "⟧\naws.secret.access.key=⟦" + asec2 + "⟧\n", KindAWSSecretAccessKey},
		{"aws secret slash export", "export AWS_SECRET_ACCESS_KEY=⟦/" + asecSlash + "⟧\nexport AWS_ACCESS_KEY_ID=⟦" + aid3 + "|kind=" + KindAWSAccessKeyID + "⟧\n", KindAWSSecretAccessKey},
		{"aws secret plus withEnv", "withEnv([\"AWS_SECRET_ACCESS_KEY=⟦+" + asecPlus + "⟧\", \"AWS_ACCESS_KEY_ID=⟦" + aid4 + "|kind=" + KindAWSAccessKeyID + "⟧\"]) {\n", KindAWSSecretAccessKey},
		{"aws secret plus yaml", "aws_secret_access_key: \"⟦+" + asecPlus + "⟧\"\n", KindAWSSecretAccessKey},
		{"aws secret slash spaced", "AWS_SECRET_ACCESS_KEY = ⟦/" + asecSlash + "⟧\n", KindAWSSecretAccessKey},
		{"db.password", "db.password=⟦" + g.password() + "⟧\n", KindGenericAssignment},
		{"SYNC_PASSWORD env", "SYNC_PASSWORD=⟦" + g.password() + "⟧\n", KindGenericAssignment},
		{"sync_password conf", "sync_password = \"⟦" + g.password() + "⟧\"\n", KindGenericAssignment},
		{"plus inside quoted value", "token: \"⟦" + plusInside + "⟧\"\n", KindGenericAssignment},
		// Generic assignments
		{"jcasc clientSecret", "      clientSecret: \"⟦" + g.password() + "⟧\"\n", KindGenericAssignment},
		{"jcasc escape hatch", "        escapeHatch:\n          secret: ⟦" + g.password() + "⟧\n", KindGenericAssignment},
		{"groovy def", "def apiKey = '⟦" + g.password() + "⟧'\n", KindGenericAssignment},
		{"groovy concatenation", "def secret = '⟦" + g.password() + "' + \"" + g.password() + "\"+'" + g.password() + "⟧' + x\n", KindGenericAssignment},
		{"groovy environment", "environment {\n    DB_PASSWORD = '⟦" + g.password() + "⟧'\n}\n", KindGenericAssignment},
		{"shell export", "export DB_PASS=⟦" + g.password() + "⟧\n", KindGenericAssignment},
		{"shell export and", "export API_TOKEN=⟦" + g.password() + "⟧ && ./deploy.sh\n", KindGenericAssignment},
		{"json", `{"client_secret": "⟦` + g.password() + `⟧"}`, KindGenericAssignment},
		{"json escaped", `"{\"password\": \"⟦` + g.password() + `⟧\"}"`, KindGenericAssignment},
		{"properties", "spring.datasource.password=⟦" + g.password() + "⟧\n", KindGenericAssignment},
		{"xml", "<server><password>⟦" + g.password() + "⟧</password></server>", KindGenericAssignment},
		{"ruby hash", "'secret' => '⟦" + g.password() + "⟧'", KindGenericAssignment},
		{"groovy map", "[password: '⟦" + g.password() + "⟧']", KindGenericAssignment},
		{"go :=", "token := \"⟦" + g.password() + "⟧\"", KindGenericAssignment},
		{"jcasc default literal", "password: \"${ADMIN_PW:-⟦" + g.password() + "⟧}\"\n", KindGenericAssignment},
		{"jcasc base64 literal", "secret: \"${base64:⟦" + g.password() + "⟧}\"\n", KindGenericAssignment},
		{"vault approle secretId", "secretId: ⟦" + g.uuid() + "⟧\n", KindGenericAssignment},
		{"bearer header", `-H "Authorization: Bearer ⟦` + g.mixed(32, alnum) + `⟧"`, KindGenericAssignment},
		{"docker auth", `{"auths": {"r.acme.test": {"auth": "⟦` + base64.StdEncoding.EncodeToString([]byte("ci:"+g.password())) + `⟧"}}}`, KindGenericAssignment},
		{"withEnv", "withEnv([\"API_KEY=⟦" + g.password() + "⟧\", \"MODE=ci\"]) {\n", KindGenericAssignment},
		{"password parameter", "parameters {\n  password(name: 'DB_PASS', defaultValue: '⟦" + g.password() + "⟧', description: 'db')\n}\n", KindGenericAssignment},
		{"secret string parameter", "string(name: 'API_TOKEN', defaultValue: \"⟦" + g.password() + "⟧\")\n", KindGenericAssignment},
		{"query string", "body := \"client_secret=⟦" + g.mixed(20, alnum) + "⟧&grant_type=client_credentials\"\n", KindGenericAssignment},
		{"spring quoted noop", "password: \"{noop}⟦" + g.password() + "⟧\"\n", KindGenericAssignment},
		{"spring noop", "spring.security.user.password={noop}⟦" + g.password() + "⟧\n", KindGenericAssignment},
		{"yaml comment after", "password: ⟦" + g.password() + "⟧ # rotated\n", KindGenericAssignment},
		{"crlf", "password: ⟦" + g.password() + "⟧\r\nuser: x\r\n", KindGenericAssignment},
		// Command lines
		{"docker login -p", "sh 'docker login -u bob -p ⟦" + g.password() + "⟧ registry.acme.test'", KindCLIPassword},
		{"--password value", "vault write auth/x --password ⟦" + g.password() + "⟧ --verbose", KindCLIPassword},
		{"--token=value", "tool --token=⟦" + g.password() + "⟧ --verbose", KindCLIPassword},
		{"curl -u user:pass", "curl -u bob:⟦" + g.password() + "⟧ https://api.acme.test", KindCLIPassword},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, want := unmark(t, tc.text, tc.kind)
			got := Scan(data)
			if len(got) != len(want) {
				t.Fatalf("got %d matches, want %d in %q: %s", len(got), len(want), data, describe(data, got))
			}
			for i, w := range want {
				m := got[i]
				if m.Start != w.s || m.End != w.e || m.Kind != w.kind {
					t.Errorf("match %d: got %s [%d,%d) %q, want %s [%d,%d) %q", i, m.Kind, m.Start, m.End,
						data[m.Start:m.End], w.kind, w.s, w.e, data[w.s:w.e])
				}
				if m.Description == "" || m.Description != Describe(m.Kind) {
					t.Errorf("match %d: description %q", i, m.Description)
				}
			}
		})
	}
}

func describe(data []byte, ms []Match) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(m.Kind + " " + string(data[m.Start:m.End]) + "; ")
	}
	return b.String()
}

func TestScanQuiet(t *testing.T) {
	g := newGen(11)
	enc := base64.RawURLEncoding
	jwtSample := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." +
		enc.EncodeToString([]byte(`{"sub":"1234567890","name":"John Doe","iat":1516239022}`)) + "." + g.mixed(43, b64url)
	publicKey := strings.ReplaceAll(g.pemBlock("PUBLIC KEY"), "PUBLIC", "PUBLIC")
	tests := []struct{ name, text string }{
		{"credentialsId", "git credentialsId: 'github-token', url: 'https://github.com/acme/app.git'\n"},
		{"credentialsId uuid", "credentialsId: '" + g.uuid() + "'\n"},
		{"jobCredentialsId", "jobCredentialsId: '" + g.uuid() + "'\n"},
		{"withCredentials", "withCredentials([usernamePassword(credentialsId: 'deploy', usernameVariable: 'USER', passwordVariable: 'PASS')]) {\n"},
		{"string binding", "withCredentials([string(credentialsId: 'gh', variable: 'GITHUB_TOKEN')]) {"},
		{"tokenServerUrl", "      tokenServerUrl: https://login.acme.test/oauth2/v2.0/token\n"},
		{"shell $TOKEN", `sh 'curl -H "Authorization: token $TOKEN" https://api.github.com'`},
		{"groovy ${TOKEN}", `sh "curl -H 'Authorization: Bearer ${TOKEN}' https://api.acme.test"`},
		{"jcasc reference", "      password: ${JENKINS_ADMIN_PASSWORD}\n"},
		{"jcasc quoted reference", "      clientSecret: \"${OIDC_CLIENT_SECRET}\"\n"},
		{"jcasc readFile", "      secret: \"${readFile:/run/secrets/oidc_secret}\"\n"},
		{"jcasc decodeBase64 ref", "      secret: \"${decodeBase64:${OIDC_SECRET_B64}}\"\n"},
		{"jcasc env lookup", "      clientSecret: \"${env:OIDC_SECRET}\"\n"},
		{"jcasc escaped", "      secret: \"^${NOT_A_SECRET_123}\"\n"},
		{"jcasc default empty", "      password: \"${ADMIN_PW:-}\"\n"},
		{"jcasc default placeholder", "      password: \"${ADMIN_PW:-changeme}\"\n"},
		{"encrypted", "      secret: \"{AQAAABAAAAAQ" + g.str(40, b64) + "=}\"\n"},
		{"encrypted xml", "<password>{AQAAABAAAAAQ" + g.str(40, b64) + "=}</password>"},
		{"groovy env", "def pw = \"${env.PASSWORD}\"\n"},
		{"groovy params", "password: \"${params.DB_PASSWORD}\"\n"},
		{"actions expression", "token: ${{ secrets.GITHUB_TOKEN }}\n"},
		{"helm template", "password: {{ .Values.db.password }}\n"},
		{"git sha", "GIT_COMMIT=" + g.sha() + "\ncommit: " + g.sha() + "\n"},
		{"uuid id", "id: " + g.uuid() + "\nrequestId=" + g.uuid() + "\n"},
		{"base64 image", "icon: data:image/png;base64," + g.str(400, b64) + "==\n"},
		{"placeholders", "password: example\nclientSecret: changeme\ntoken: <token>\nclientSecret: none\npassword: \"********\"\ntoken: xxxxxxxxxxxxxxxxxxxx\npassword: REPLACE_ME\napi_key: TODO\nsecret: your-client-secret-here\n"},
		{"key id alone", "accessKey: " + g.awsID() + "\nsecretKey: \"${AWS_SECRET_ACCESS_KEY}\"\n"},
		{"aws docs example", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"},
		{"url user only", "https://deploy@nexus.acme.test/repo\nhttps://jenkins-deploy-bot-account@nexus.acme.test/\nhttps://first.last2024@host.test/ https://ci-bot-2024-mirror-readonly@host.test/\n"},
		{"git ssh", "git@github.com:acme/app.git\nssh://git@gitlab.acme.test/acme/app.git\n"},
		{"url references", "https://${USER}:${PASS}@github.com/acme/app.git https://$USER:$TOKEN@host.test/ https://oauth2:${env.GITLAB_TOKEN}@gitlab.test/x"},
		{"url placeholder", "https://user:password@host.test/ https://admin:admin@localhost:8080/ https://USER:TOKEN@host.test/"},
		{"url example host", "https://bob:" + g.password() + "@example.com/"},
		{"url port", "https://host.test:8443/path?q=a@b\n"},
		{"prose", "password: must be at least 12 characters long\nThe token: rotate it often.\n"},
		{"discovery json", `"token_endpoint": "https://idp.test/token",
"token_endpoint_auth_methods_supported": ["client_secret_basic", "private_key_jwt"],
"id_token_signing_alg_values_supported": ["RS256"]`},
		{"command substitution", "PASSWORD=$(cat /run/secrets/pw)\nTOKEN=`vault read -field=token x`\n"},
		{"credentials()", "    GITHUB_TOKEN = credentials('github-token')\n"},
		{"code expressions", "password = params.DB_PASSWORD\ntoken = config.secret2\npw = getPassword(user)\n"},
		{"paths", "password: /run/secrets/db_password\ntokenFile: /var/run/token\nkey_file: ./keys/id_rsa\n"},
		{"metadata names", "maxTokens: 4096\npublicKey: " + g.mixed(40, alnum) + "\nsecretName: app-secret-2024x\npasswordLength: 16\ncsrfToken=" + g.mixed(30, alnum) + "\n"},
		{"public key block", publicKey + "\n"},
		{"elided private key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----\n"},
		{"short private key", "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n"},
		{"jwt.io sample", "token: " + jwtSample + "\n"},
		{"fake tokens", "ghp_" + strings.Repeat("x", 36) + " xoxb-xxxxxxxxx-xxxxxxxxxx-xxxxxxxxxxxx glpat-XXXXXXXXXXX-XXXXXXXX\n"},
		{"slack short ids", `"token3": "xoxp-1234-1234-1234-4ddbc191d40ee098cbaae6f3523ada2d"` + "\nxoxb-xoxb-my-bot-token\n"},
		{"github too long", "ghp_" + g.mixed(40, alnum) + "\n"},
		{"empty values", "TOKEN=\npassword:\nsecret: ''\n"},
		{"yaml block scalar value", "password: |\n  " + g.password() + "\n"},
		{"numbers", "password_min_length = 12345678\nport: 8080\n"},
		{"boolean", "useSecret: true\nautomountServiceAccountToken: false\n"},
		{"arn", "secretId: arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbC123\n"},
		{"groovy triple", "def token = '''\nmultiline\n'''\n"},
		{"azure css", `.ui.visible.right.sidebar~.ui.visible.left.sidebar~.pusher{transform:translate3d(0,0,0)}`},
		{"tokenizer", "tokenizer: " + g.mixed(20, alnum) + "\n"},
		{"docker run -u", "sh 'docker run -u 1000:1000 -p 8080:8080 image'\n"},
		{"time", "schedule: '11:30'\nat 12:11 run\n"},
		{"go code", "var secretWords = map[string]bool{\nhashedSecret[n:]\ntoken = yaml_token_t{}\nsecret = +newSecret(x)\n"},
		{"code field", "\tPrivateKey: ecKey256,\n\tdec.privateKey = ed25519Key\n"},
		{"query string value", "api_token = \"grant=" + g.mixed(20, alnum) + "&scope=read\"\n"},
		{"json text", "token := `{\"iss\":\"accounts.google.com\",\"n\":\"" + g.mixed(20, alnum) + "\"}`\n"},
		{"date", "token_created: 2024-01-31T12:00:27Z\napi_key = \"2024-01-31T12:00:27.87+00:20\"\n"},
		{"caps name", "password: DB_PASSWORD_PROD\nsecret = \"CLIENT_SECRET??\"\n"},
		{"stop words", "password: registry1password\ntoken: someRefreshToken1\napi_key: ecTestKey256\n"},
		{"user:placeholder", "tool -auth=username:password\n"},
		{"docker auth placeholder", "{\"auths\": {\"r.test\": {\"auth\": \"" + base64.StdEncoding.EncodeToString([]byte("testuser:password")) + "\"}}}"},
		{"escapes", "token = \"\\x1b[32mPASS\\x00\"\n"},
		{"lower identifier", "secret: client-valid-token-1\ntoken: my-app-key-2\n"},
		{"artifact version", "token = \"jjwt-jackson-0.11.2\"\n"},
		{"sequence", "api_key: abcdef12345\n"},
		{"template braces", "client_secret: \"{AUTH0_CLIENT_SECRET}\"\n"},
		{"cue", "token: common.#SomeConfig\nsecret: \"\\(i)_\\(name)\"\n"},
		{"plain parameter", "string(name: 'BRANCH', defaultValue: 'release-2024x.Q1b')\ncredentials(name: 'DEPLOY_CREDS', defaultValue: 'deploy-key-prod1')\n"},
		{"urn", "token: urn:uuid:150852e2-3847-42d5-8cbe-0f4f296f26cf\n"},
		// Go building YAML/JSON by concatenation (lines of the benchmark's own
		// generator, scripts/benchsecrets/writers.go).
		{"go concat raw string", "d.baitLine(bEncrypted, `      clientSecret: \"`+g.jenkinsEncrypted()+`\"`)\n"},
		{"go concat pick", "d.baitLine(bPlaceholder, `      clientSecret: \"`+g.pick(\"changeme\", \"<client-secret>\", \"REPLACE_ME\")+`\"`)\n"},
		{"go concat ref", "d.baitLine(bRef, `      clientSecret: \"${`+g.pick(\"OIDC_CLIENT_SECRET\", \"env:OIDC_SECRET\")+`}\"`)\n"},
		{"go concat json", "d.baitLine(bEncrypted, `      \"secret\": \"`+g.jenkinsEncrypted()+`\",`)\n"},
		{"java concat", "String y = \"password: '\"+secretValue+\"'\";\nString z = \"token: \\\"\" + tok + \"\\\"\";\n"},
		{"plus expr plus", "secret: \"+" + g.mixed(12, alnum) + "+\"\n"},
		{"sync token", "SYNC_TOKEN=" + g.mixed(30, alnum) + "\nsyncToken: " + g.mixed(30, alnum) + "\ncancellationToken: " + g.mixed(30, alnum) + "\n"},
		{"dotted key id alone", "aws.access.key.id=" + g.awsID() + "\nssh.public.key=" + g.mixed(40, alnum) + "\n"},
		{"aws secret as a path", "AWS_SECRET_ACCESS_KEY=/run/" + g.mixed(35, alnum) + "\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.text)
			if got := Scan(data); len(got) != 0 {
				t.Errorf("want no match, got %s", describe(data, got))
			}
		})
	}
}

func TestScanSortedNonOverlapping(t *testing.T) {
	data := corpus(1<<16, true)
	checkInvariants(t, data, Scan(data))
}

func checkInvariants(t *testing.T, data []byte, ms []Match) {
	t.Helper()
	prev := 0
	for i, m := range ms {
		if m.Start < 0 || m.End > len(data) || m.Start >= m.End {
			t.Fatalf("match %d out of bounds: [%d,%d) of %d", i, m.Start, m.End, len(data))
		}
		if m.Start < prev {
			t.Fatalf("match %d [%d,%d) overlaps or precedes the previous end %d", i, m.Start, m.End, prev)
		}
		if _, ok := defaultTable().kinds[m.Kind]; !ok {
			t.Fatalf("match %d: unknown kind %q", i, m.Kind)
		}
		prev = m.End
	}
}

func TestKinds(t *testing.T) {
	ks := Kinds()
	if len(ks) != len(defaultTable().kinds) {
		t.Fatalf("Kinds() has %d entries, want %d", len(ks), len(defaultTable().kinds))
	}
	for i, k := range ks {
		if i > 0 && ks[i-1].Kind >= k.Kind {
			t.Errorf("Kinds() not sorted at %d: %q", i, k.Kind)
		}
		if k.Description == "" || Describe(k.Kind) != k.Description {
			t.Errorf("kind %q: description %q", k.Kind, k.Description)
		}
	}
	if Describe("nope") != "" {
		t.Error("Describe of an unknown kind is not empty")
	}
}
