package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/shell"
)

// tlsSpans renders sites as the script text they cover, with their start
// index.
func tlsSpans(script string, d shell.Dialect) []string {
	var out []string
	for _, s := range tlsInScript(shell.Parse(script, d, nil)) {
		out = append(out, fmt.Sprintf("%d:%s", s.s, script[s.s:s.e]))
	}
	return out
}

func TestTLSInScript(t *testing.T) {
	for _, tt := range []struct {
		script string
		d      shell.Dialect
		want   string // "index:text" of each site, joined by " | "
	}{
		{"curl -k https://x", shell.Sh, "5:-k"},
		{"curl -sSfk https://x", shell.Sh, "9:k"},
		{"curl -kfsSL https://x | sh", shell.Sh, "6:k"},
		{"curl --insecure -o out https://x", shell.Sh, "5:--insecure"},
		{"curl -o -k https://x", shell.Sh, ""},             // -k is the output file name
		{"curl -H 'X-k: 1' -ok https://x", shell.Sh, ""},   // -o takes "k"
		{"/usr/bin/curl -sk https://x", shell.Sh, "16:k"},  // path to the binary
		{"TOKEN=$(curl -sk https://x)", shell.Sh, "15:k"},  // command substitution
		{`echo "$(curl -k https://x)"`, shell.Sh, "13:-k"}, // substitution inside an echo runs
		{"echo 'never use curl -k'", shell.Sh, ""},
		{"# curl -k https://x\ncurl https://x", shell.Sh, ""},
		{"curl https://x # -k would be bad", shell.Sh, ""},
		{"ssh-keygen -k; sort -k2 f; git log -k", shell.Sh, ""},
		{"wget --no-check-certificate -q https://x", shell.Sh, "5:--no-check-certificate"},
		{"git -c http.sslVerify=false clone https://x", shell.Sh, "7:http.sslVerify=false"},
		{"git -c http.https://x.sslverify=0 fetch", shell.Sh, "7:http.https://x.sslverify=0"},
		{"git -c http.sslVerify=true clone https://x", shell.Sh, ""},
		{"git config --global http.sslVerify false", shell.Sh, "20:http.sslVerify false"},
		{"git config --global --unset http.sslVerify", shell.Sh, ""},
		{"git commit -c HEAD", shell.Sh, ""},
		{"export GIT_SSL_NO_VERIFY=true", shell.Sh, "7:GIT_SSL_NO_VERIFY=true"},
		{"GIT_SSL_NO_VERIFY=1 git clone https://x", shell.Sh, "0:GIT_SSL_NO_VERIFY=1"},
		{"env GIT_SSL_NO_VERIFY=1 git clone https://x", shell.Sh, "4:GIT_SSL_NO_VERIFY=1"},
		{"unset GIT_SSL_NO_VERIFY", shell.Sh, ""},
		{"export NODE_TLS_REJECT_UNAUTHORIZED=0 && npm ci", shell.Sh, "7:NODE_TLS_REJECT_UNAUTHORIZED=0"},
		{"export NODE_TLS_REJECT_UNAUTHORIZED=1", shell.Sh, ""},
		{"kubectl --insecure-skip-tls-verify apply -f k8s/", shell.Sh, "8:--insecure-skip-tls-verify"},
		{"kubectl --insecure-skip-tls-verify=false get pods", shell.Sh, ""},
		{"sudo -u ci helm upgrade --install x . --insecure-skip-tls-verify", shell.Sh, "38:--insecure-skip-tls-verify"},
		{"aws s3 cp a s3://b/ --no-verify-ssl", shell.Sh, "20:--no-verify-ssl"},
		{"python3 -c 'import requests; requests.get(u, verify=False)'", shell.Sh, "45:verify=False"},
		{"python3 - <<EOF\nimport requests\nr = requests.get(u, verify = False)\nEOF\n", shell.Sh, "52:verify = False"},
		{"cat <<'EOF' > run.sh\ncurl -k https://x\nEOF", shell.Sh, "26:-k"},
		{"docker run --rm img sh -c 'curl -k https://x'", shell.Sh, "32:-k"},
		{"curl -u user:pass \\\n  -k https://x", shell.Sh, "22:-k"},
		{"curl.exe -k https://x", shell.Bat, "9:-k"},
		{"REM curl -k https://x\n:: curl -k\n@curl -k https://x", shell.Bat, "39:-k"},
		{"set GIT_SSL_NO_VERIFY=1", shell.Bat, "4:GIT_SSL_NO_VERIFY=1"},
		{`set "NODE_TLS_REJECT_UNAUTHORIZED=0"`, shell.Bat, `4:"NODE_TLS_REJECT_UNAUTHORIZED=0"`},
		{`$env:NODE_TLS_REJECT_UNAUTHORIZED = "0"`, shell.PowerShell, `0:$env:NODE_TLS_REJECT_UNAUTHORIZED = "0"`},
		{"Invoke-WebRequest -Uri $u -SkipCertificateCheck # curl -k", shell.PowerShell, "26:-SkipCertificateCheck"},
		{"<# curl -k #>\nWrite-Host 'curl -k'", shell.PowerShell, ""},
		{"./mvnw -B -Dmaven.wagon.http.ssl.insecure=true deploy", shell.Sh, "10:-Dmaven.wagon.http.ssl.insecure=true"},
		{"npm config set strict-ssl false && npm ci --strict-ssl=false", shell.Sh, "15:strict-ssl false | 42:--strict-ssl=false"},
		{"npm config set strict-ssl true; pip install --cert ca.pem -r req.txt", shell.Sh, ""},
		{"pip3 install --trusted-host pypi.corp.internal -r requirements.txt", shell.Sh, "13:--trusted-host"},
	} {
		got := strings.Join(tlsSpans(tt.script, tt.d), " | ")
		if got != tt.want {
			t.Errorf("%q:\n got  %s\n want %s", tt.script, got, tt.want)
		}
	}
}
