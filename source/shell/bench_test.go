package shell

import (
	"strings"
	"testing"
)

// benchScripts are the shapes of real steps: a multi-line build script,
// a GString with Groovy interpolations, a here-document, bat and
// PowerShell.
var benchScripts = []struct {
	text string
	d    Dialect
}{
	{`
                    set -eu
                    ./mvnw -B -ntp verify -Drevision=1.42.0
                    curl -k -fsSL -u "$NEXUS_USR:$NEXUS_PSW" -T target/app.jar https://nexus.internal.example/repository/releases/app-42.jar
                `, Sh},
	{`curl -fsS -H 'Authorization: Bearer ${API_TOKEN}' https://api.internal.example/v1/builds/${env.BUILD_NUMBER}`, Sh},
	{`
                echo "$REG_PASS" | docker login -u "$REG_USER" --password-stdin registry.example.com
                docker build -t ${image}:${env.BUILD_ID} .
                docker push ${image}:${env.BUILD_ID}
                cat <<EOF > values.yaml
                image: ${image}
                token: $(vault read -field=token secret/ci)
                EOF
                helm upgrade --install app ./chart -f values.yaml --insecure-skip-tls-verify 2>&1 | tee helm.log
            `, Sh},
	{"@echo off\r\nset \"NODE_TLS_REJECT_UNAUTHORIZED=0\"\r\ncurl.exe -k %URL% > out.txt\r\n", Bat},
	{"$env:GIT_SSL_NO_VERIFY = '1'\nInvoke-WebRequest -Uri $u -SkipCertificateCheck <# why #> | Out-File x.json", PowerShell},
}

// BenchmarkParse lexes the bench scripts; MB/s is of script text.
func BenchmarkParse(b *testing.B) {
	n := 0
	for _, s := range benchScripts {
		n += len(s.text)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range benchScripts {
			Parse(s.text, s.d, groovyDollarBrace(s.text))
		}
	}
}

// groovyDollarBrace marks every ${ as a Groovy interpolation.
func groovyDollarBrace(s string) func(int) bool {
	return func(i int) bool { return strings.HasPrefix(s[i:], "${") }
}
