package secrets

import (
	"strings"
	"testing"
)

func BenchmarkScan(b *testing.B) {
	for _, bc := range []struct {
		name    string
		secrets bool
	}{{"clean", false}, {"with-secrets", true}} {
		data := corpus(1<<20, bc.secrets)
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				Scan(data)
			}
		})
	}
}

// TestCorpus pins what the benchmark corpora hold: nothing in the clean one,
// every sprinkled secret in the other.
func TestCorpus(t *testing.T) {
	if ms := Scan(corpus(1<<18, false)); len(ms) != 0 {
		data := corpus(1<<18, false)
		for _, m := range ms[:min(len(ms), 10)] {
			t.Errorf("clean corpus: %s at %d: %q", m.Kind, m.Start, data[m.Start:m.End])
		}
	}
	data := corpus(1<<18, true)
	got := map[string]int{}
	for _, m := range Scan(data) {
		got[m.Kind]++
	}
	for _, k := range []string{KindGitHubPAT, KindGenericAssignment, KindAWSAccessKeyID, KindAWSSecretAccessKey,
		KindJenkinsAPIToken, KindSlackWebhook, KindPrivateKey, KindJWT, KindURLCredentials} {
		if got[k] == 0 {
			t.Errorf("secrets corpus: no %s found (got %v)", k, got)
		}
	}
}

// BenchmarkScanAdversarial feeds 1 MiB of one repeated anchor pattern: every
// case must stay linear (tens of MB/s at worst), not quadratic.
func BenchmarkScanAdversarial(b *testing.B) {
	g := newGen(1)
	const mb = 1 << 20
	rep := func(s string) []byte { return []byte(strings.Repeat(s, mb/len(s)+1)[:mb]) }
	cases := []struct {
		name string
		data []byte
	}{
		{"begin", rep("-----BEGIN RSA PRIVATE KEY-----\n")},
		{"begin-b64", rep("-----BEGIN RSA PRIVATE KEY-----\n" + g.str(60, b64) + "\n")},
		{"service-account", rep(`"type": "service_account",`)},
		{"akia", rep(" " + g.awsID() + " ")},
		{"akia-secret", rep(" " + g.awsID() + " " + g.awsSecret() + " ")},
		{"eyJ", rep(" eyJhbGciOiJub25lIn0.eyJ")},
		{"colons", rep("password: ")},
		{"equals", rep("a=b=c=password=")},
		{"url", rep("https://a:b")},
		{"url-creds", rep("https://user:" + g.password() + "@h/ ")},
		{"xml", rep("<password>")},
		{"flags", rep("--password --token ")},
		{"tilde", rep("abc1Q~")},
		{"ghp", rep("ghp_")},
		{"slack", rep("xoxb-1234567890-")},
		{"curl", rep("curl -u -u -u ")},
		{"refs", rep("password: ${${${${")},
		{"glpat", rep("glpat-")},
		{"zeros", make([]byte, mb)},
		{"A", rep("A")},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.data)))
			for b.Loop() {
				Scan(bc.data)
			}
		})
	}
}
