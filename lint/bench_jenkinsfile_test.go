package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// genJenkinsfileTree writes n pipelines (declarative, scripted and
// shared-library steps, in rotation) that use credentials from a pool of
// 40 IDs, some with the mistakes the Jenkinsfile rules look for, and one
// JCasC file that defines most of the pool, so that the cross-file rules
// run too. The tree is the same for every n and every run.
func genJenkinsfileTree(tb testing.TB, n int) string {
	tb.Helper()
	dir := tb.TempDir()
	var jcasc strings.Builder
	jcasc.WriteString("credentials:\n  system:\n    domainCredentials:\n      - credentials:\n")
	for i := 0; i < 36; i++ { // creds 36..39 stay undefined: unknown-credential
		switch i % 4 {
		case 0:
			fmt.Fprintf(&jcasc, "          - usernamePassword:\n              scope: GLOBAL\n              id: \"nexus-%02d\"\n              username: \"svc-nexus-%02d\"\n              password: \"${NEXUS_%02d}\"\n", i, i, i)
		case 1:
			fmt.Fprintf(&jcasc, "          - string:\n              scope: GLOBAL\n              id: \"token-%02d\"\n              secret: \"${TOKEN_%02d}\"\n", i, i)
		case 2:
			fmt.Fprintf(&jcasc, "          - idTokenFile:\n              scope: GLOBAL\n              id: \"oidc-%02d\"\n              audience: \"sts.amazonaws.com\"\n", i)
		default:
			fmt.Fprintf(&jcasc, "          - basicSSHUserPrivateKey:\n              scope: GLOBAL\n              id: \"ssh-%02d\"\n              username: \"deploy\"\n              privateKeySource:\n                directEntry:\n                  privateKey: \"${SSH_%02d}\"\n", i, i)
		}
	}
	write := func(rel, body string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	write("jenkins.yaml", jcasc.String())
	cred := func(i, kind int) string {
		k := (i*7 + kind) % 40
		k -= k % 4
		k += kind
		if k >= 40 {
			k -= 4
		}
		return map[int]string{0: "nexus", 1: "token", 2: "oidc", 3: "ssh"}[kind] + fmt.Sprintf("-%02d", k)
	}
	for i := 0; i < n; i++ {
		insecure := ""
		if i%5 == 0 {
			insecure = " -k"
		}
		interp := "\\$API_TOKEN"
		if i%7 == 0 {
			interp = "${API_TOKEN}"
		}
		var body, rel string
		switch i % 3 {
		case 0:
			rel = fmt.Sprintf("team-%03d/app-%04d/Jenkinsfile", i/50, i)
			body = fmt.Sprintf(`// Service %[1]d — pipeline déclaratif
pipeline {
    agent { label 'linux' }
    options { timeout(time: 30, unit: 'MINUTES') }
    parameters {
        string(name: 'TARGET', defaultValue: 'staging', description: 'where to deploy')
    }
    environment {
        NEXUS = credentials('%[2]s')
        REGISTRY = 'registry.example.com'
    }
    stages {
        stage('Build') {
            steps {
                sh '''
                    set -eu
                    ./mvnw -B -ntp verify -Drevision=1.%[1]d.0
                    curl%[3]s -fsSL -u "$NEXUS_USR:$NEXUS_PSW" -T target/app.jar https://nexus.internal.example/repository/releases/app-%[1]d.jar
                '''
            }
        }
        stage('Analyse') {
            steps {
                withCredentials([string(credentialsId: '%[4]s', variable: 'API_TOKEN')]) {
                    sh "curl -fsS -H 'Authorization: Bearer %[5]s' https://api.internal.example/v1/builds/${env.BUILD_NUMBER}"
                }
            }
        }
        stage('Deploy') {
            when { branch 'main' }
            steps {
                withCredentials([file(credentialsId: '%[6]s', variable: 'AWS_WEB_IDENTITY_TOKEN_FILE')]) {
                    withEnv(['AWS_ROLE_ARN=arn:aws:iam::123456789012:role/deploy-%[1]d']) {
                        sh 'aws sts get-caller-identity && aws s3 cp target/app.jar s3://artifacts/app-%[1]d/'
                    }
                }
            }
        }
    }
    post {
        always { echo "Finished ${currentBuild.fullDisplayName}" }
    }
}
`, i, cred(i, 0), insecure, cred(i, 1), interp, cred(i, 2))
		case 1:
			rel = fmt.Sprintf("team-%03d/app-%04d/Jenkinsfile", i/50, i)
			body = fmt.Sprintf(`def image = "acme/app-%[1]d"

node('docker') {
    stage('Checkout') {
        checkout([$class: 'GitSCM', branches: [[name: '*/main']],
                  userRemoteConfigs: [[credentialsId: '%[2]s', url: 'git@git.internal.example:acme/app-%[1]d.git']]])
    }
    stage('Build') {
        withCredentials([usernamePassword(credentialsId: '%[3]s', usernameVariable: 'REG_USER', passwordVariable: 'REG_PASS')]) {
            sh """
                echo "\$REG_PASS" | docker login -u "\$REG_USER" --password-stdin registry.example.com
                docker build -t ${image}:${env.BUILD_ID} .
                docker push ${image}:${env.BUILD_ID}
            """
        }
    }
    stage('Deploy') {
        sshagent(['%[2]s']) {
            sh "ssh -o StrictHostKeyChecking=no deploy@app-%[1]d.internal.example ./release.sh ${env.BUILD_ID}"
        }
    }
}
`, i, cred(i, 3), cred(i, 0))
		default:
			rel = fmt.Sprintf("lib-%03d/vars/step%04d.groovy", i/50, i)
			body = fmt.Sprintf(`// Shared-library step %[1]d
def call(Map config = [:]) {
    def cluster = config.cluster ?: 'https://k8s.internal.example'
    withCredentials([string(credentialsId: '%[2]s', variable: 'KUBE_TOKEN')]) {
        sh '''
            kubectl --server="$KUBE_API" --token="$KUBE_TOKEN" apply -f k8s/
            kubectl rollout status deployment/app-%[1]d --timeout=120s
        '''
        if (config.debug) {
            echo "token: ${KUBE_TOKEN}"
        }
    }
}
`, i, cred(i, 1))
		}
		write(rel, body)
	}
	return dir
}

// BenchmarkJenkinsfiles5000 lints a generated tree of 5,000 pipelines and
// the JCasC file that defines their credentials: walking, lexing and
// parsing every Jenkinsfile, the raw secret scan, every rule (the
// cross-file ones included) and the report. ns/file is per pipeline.
func BenchmarkJenkinsfiles5000(b *testing.B) {
	const n = 5000
	benchLint(b, genJenkinsfileTree(b, n), n)
}

// TestGeneratedJenkinsfileTree keeps the benchmark's input honest: a small
// tree yields findings of every Jenkinsfile rule it was written to trigger.
func TestGeneratedJenkinsfileTree(t *testing.T) {
	dir := genJenkinsfileTree(t, 60)
	rep, err := Run(Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range rep.Errors {
		t.Errorf("file error: %v", e)
	}
	got := map[string]int{}
	for _, f := range rep.Findings {
		got[f.Rule]++
	}
	for _, id := range []string{"tls-verification-disabled", "secret-interpolation", "secret-exposed-in-log", "unknown-credential", "shared-service-account"} {
		if got[id] == 0 {
			t.Errorf("no %s finding in the generated tree (got %v)", id, got)
		}
	}
	for _, id := range []string{"credential-binding-mismatch", "id-token-audience", "committed-secret"} {
		if got[id] != 0 {
			t.Errorf("%d unexpected %s findings in the generated tree", got[id], id)
		}
	}
}
