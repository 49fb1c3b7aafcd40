package secrets

import "testing"

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
