package rules

import (
	"fmt"
	"strings"
	"testing"
)

// spans renders sites as the script text they cover, with their start index.
func tlsSpans(script string, d dialect) []string {
	var out []string
	for _, s := range tlsInScript(lexScript(script, d, nil), 0) {
		out = append(out, fmt.Sprintf("%d:%s", s.s, script[s.s:s.e]))
	}
	return out
}

func TestTLSInScript(t *testing.T) {
	for _, tt := range []struct {
		script string
		d      dialect
		want   string // "index:text" of each site, joined by " | "
	}{
		{"curl -k https://x", dialectSh, "5:-k"},
		{"curl -sSfk https://x", dialectSh, "9:k"},
		{"curl -kfsSL https://x | sh", dialectSh, "6:k"},
		{"curl --insecure -o out https://x", dialectSh, "5:--insecure"},
		{"curl -o -k https://x", dialectSh, ""},             // -k is the output file name
		{"curl -H 'X-k: 1' -ok https://x", dialectSh, ""},   // -o takes "k"
		{"/usr/bin/curl -sk https://x", dialectSh, "16:k"},  // path to the binary
		{"TOKEN=$(curl -sk https://x)", dialectSh, "15:k"},  // command substitution
		{`echo "$(curl -k https://x)"`, dialectSh, "13:-k"}, // substitution inside an echo runs
		{"echo 'never use curl -k'", dialectSh, ""},
		{"# curl -k https://x\ncurl https://x", dialectSh, ""},
		{"curl https://x # -k would be bad", dialectSh, ""},
		{"ssh-keygen -k; sort -k2 f; git log -k", dialectSh, ""},
		{"wget --no-check-certificate -q https://x", dialectSh, "5:--no-check-certificate"},
		{"git -c http.sslVerify=false clone https://x", dialectSh, "7:http.sslVerify=false"},
		{"git -c http.https://x.sslverify=0 fetch", dialectSh, "7:http.https://x.sslverify=0"},
		{"git -c http.sslVerify=true clone https://x", dialectSh, ""},
		{"git config --global http.sslVerify false", dialectSh, "20:http.sslVerify false"},
		{"git config --global --unset http.sslVerify", dialectSh, ""},
		{"git commit -c HEAD", dialectSh, ""},
		{"export GIT_SSL_NO_VERIFY=true", dialectSh, "7:GIT_SSL_NO_VERIFY=true"},
		{"GIT_SSL_NO_VERIFY=1 git clone https://x", dialectSh, "0:GIT_SSL_NO_VERIFY=1"},
		{"env GIT_SSL_NO_VERIFY=1 git clone https://x", dialectSh, "4:GIT_SSL_NO_VERIFY=1"},
		{"unset GIT_SSL_NO_VERIFY", dialectSh, ""},
		{"export NODE_TLS_REJECT_UNAUTHORIZED=0 && npm ci", dialectSh, "7:NODE_TLS_REJECT_UNAUTHORIZED=0"},
		{"export NODE_TLS_REJECT_UNAUTHORIZED=1", dialectSh, ""},
		{"kubectl --insecure-skip-tls-verify apply -f k8s/", dialectSh, "8:--insecure-skip-tls-verify"},
		{"kubectl --insecure-skip-tls-verify=false get pods", dialectSh, ""},
		{"sudo -u ci helm upgrade --install x . --insecure-skip-tls-verify", dialectSh, "38:--insecure-skip-tls-verify"},
		{"aws s3 cp a s3://b/ --no-verify-ssl", dialectSh, "20:--no-verify-ssl"},
		{"python3 -c 'import requests; requests.get(u, verify=False)'", dialectSh, "45:verify=False"},
		{"python3 - <<EOF\nimport requests\nr = requests.get(u, verify = False)\nEOF\n", dialectSh, "52:verify = False"},
		{"cat <<'EOF' > run.sh\ncurl -k https://x\nEOF", dialectSh, "26:-k"},
		{"docker run --rm img sh -c 'curl -k https://x'", dialectSh, "32:-k"},
		{"curl -u user:pass \\\n  -k https://x", dialectSh, "22:-k"},
		{"curl.exe -k https://x", dialectBat, "9:-k"},
		{"REM curl -k https://x\n:: curl -k\n@curl -k https://x", dialectBat, "39:-k"},
		{"set GIT_SSL_NO_VERIFY=1", dialectBat, "4:GIT_SSL_NO_VERIFY=1"},
		{`set "NODE_TLS_REJECT_UNAUTHORIZED=0"`, dialectBat, `4:"NODE_TLS_REJECT_UNAUTHORIZED=0"`},
		{`$env:NODE_TLS_REJECT_UNAUTHORIZED = "0"`, dialectPS, `0:$env:NODE_TLS_REJECT_UNAUTHORIZED = "0"`},
		{"Invoke-WebRequest -Uri $u -SkipCertificateCheck # curl -k", dialectPS, "26:-SkipCertificateCheck"},
		{"<# curl -k #>\nWrite-Host 'curl -k'", dialectPS, ""},
		{"./mvnw -B -Dmaven.wagon.http.ssl.insecure=true deploy", dialectSh, "10:-Dmaven.wagon.http.ssl.insecure=true"},
		{"npm config set strict-ssl false && npm ci --strict-ssl=false", dialectSh, "15:strict-ssl false | 42:--strict-ssl=false"},
		{"npm config set strict-ssl true; pip install --cert ca.pem -r req.txt", dialectSh, ""},
		{"pip3 install --trusted-host pypi.corp.internal -r requirements.txt", dialectSh, "13:--trusted-host"},
	} {
		got := strings.Join(tlsSpans(tt.script, tt.d), " | ")
		if got != tt.want {
			t.Errorf("%q:\n got  %s\n want %s", tt.script, got, tt.want)
		}
	}
}

func TestOutputKeptInSubstitution(t *testing.T) {
	sc := lexScript("X=$(echo \"$T\" | base64); Y=`printf %s \"$T\"`; echo \"$(date)\"", dialectSh, nil)
	var got []string
	for _, c := range sc.cmds {
		name, _, _ := c.name(sc.d)
		got = append(got, fmt.Sprintf("%s:%v", name, c.outputKept(sc.d)))
	}
	if want := ":false echo:true base64:true :false printf:true echo:false date:true"; strings.Join(got, " ") != want {
		t.Errorf("got %s, want %s", strings.Join(got, " "), want)
	}
}

func TestLexScriptRefsAndPipes(t *testing.T) {
	sc := lexScript(`echo "$PASS" | docker login -u "$USER" --password-stdin; echo '$NOT' ${TOKEN:0:4} ${#LEN}`, dialectSh, nil)
	var got []string
	for _, c := range sc.cmds {
		name, _, _ := c.name(sc.d)
		var refs []string
		for _, w := range c.words {
			for _, r := range w.refs {
				refs = append(refs, fmt.Sprintf("%s@%d sliced=%v", r.name, r.start, r.sliced))
			}
		}
		got = append(got, fmt.Sprintf("%s piped=%v kept=%v refs=%v", name, c.piped, c.outputKept(sc.d), refs))
	}
	want := []string{
		"echo piped=false kept=true refs=[PASS@6 sliced=false]",
		"docker piped=true kept=false refs=[USER@32 sliced=false]",
		"echo piped=false kept=false refs=[TOKEN@69 sliced=true]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// FuzzLexScript: the lexer never panics and every span stays in the text.
func FuzzLexScript(f *testing.F) {
	for _, s := range []string{"curl -k x", "echo \"$(a `b` ${c})\" <<E\nx\nE", "$env:X = '1'", "set \"X=1\" & %Y%", "a <<-'E'\n\tb\n\tE", "((", "$((1+2))", "${", "'", "\"\\", "`"} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, s string, d uint8) {
		sc := lexScript(s, dialect(d%3), nil)
		for _, c := range sc.cmds {
			for _, w := range append(append([]*shWord{}, c.assigns...), c.words...) {
				if w.start < 0 || w.end > len(s) || w.start > w.end {
					t.Fatalf("word span %d-%d outside %d", w.start, w.end, len(s))
				}
				for k := 0; k < len(w.text); k++ {
					if i := w.idx(k); i < 0 || i >= len(s) || s[i] != w.text[k] {
						t.Fatalf("word %q: byte %d maps to %d, not to a %q of the text", w.text, k, i, w.text[k])
					}
				}
			}
		}
		_ = tlsInScript(sc, 0)
	})
}
