package secrets

import (
	"strings"
	"testing"
)

// FuzzScan: Scan never panics, and its matches are in bounds, sorted,
// non-overlapping and of known kinds. Classify, Redact and IsSecretName never
// panic on the same input.
func FuzzScan(f *testing.F) {
	g := newGen(99)
	seeds := []string{
		"",
		"password: " + g.password(),
		"GITHUB_TOKEN=" + g.githubPAT(),
		"aws_access_key_id=" + g.awsID() + "\naws_secret_access_key=" + g.awsSecret(),
		g.pemBlock("RSA PRIVATE KEY"),
		"-----BEGIN PRIVATE KEY-----",
		"-----BEGIN ",
		"id_token: " + g.jwt(),
		"eyJ", "eyJ.eyJ.", "ey", "J",
		"https://bob:" + g.password() + "@h.test/",
		"://", "a://", "a://b:c@", "a://b:${c@",
		"${X:-" + g.password() + "}", "${", "${:-}", "^${x}", "${base64:${",
		`{"type": "service_account", "private_key": "` + strings.ReplaceAll(g.pemBlock("PRIVATE KEY"), "\n", `\n`) + `"}`,
		`"service_account"`, "_", "ghp_", "npm_", "github_pat_",
		g.slackBot(), g.slackHook(), "xoxb-", "xoxe.xoxb-", "https://hooks.slack.com/services/",
		g.azure(), "Q~", "1Q~", "~",
		"curl -u admin:" + g.jenkins(), ":11", "-u ", "docker login -p ",
		"<password>" + g.password() + "</password>", "<password>", ">", "<a>",
		"--password " + g.password(), "--", "--p",
		"Authorization: Bearer " + g.mixed(30, alnum), "Authorization: ",
		"'secret' => '" + g.password() + "'", "=>", "=", ":=", "a=", "a:",
		`"{\"password\": \"` + g.password() + `\"}"`, `password: \"`, `password: \`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ms := Scan(data)
		checkInvariants(t, data, ms)
		for _, m := range ms {
			if m.Description == "" {
				t.Fatalf("match without description: %+v", m)
			}
			_ = Redact(string(data[m.Start:m.End]))
		}
		s := string(data)
		_ = Classify(s, []string{"x"})
		if st, e, ok := CommittedLiteral(s); ok && (st < 0 || e > len(s) || st > e) {
			t.Fatalf("CommittedLiteral out of range: [%d,%d) of %d", st, e, len(s))
		}
		_ = IsSecretName(s)
		_ = Redact(s)
	})
}
