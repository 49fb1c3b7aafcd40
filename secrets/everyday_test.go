package secrets

import (
	"encoding/base64"
	"math/rand/v2"
	"strings"
	"testing"
)

// longRandom is 900 bytes of seeded random base64 with mid in its middle.
func longRandom(seed uint64, mid string) string {
	r := rand.New(rand.NewPCG(seed, 7))
	b := make([]byte, 900)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	s := base64.StdEncoding.EncodeToString(b)
	return s[:len(s)/2] + mid + s[len(s)/2:]
}

// A value holding a typed sequence (12345678, abcdef) or a format verb is
// a placeholder only when nothing random is left around it.
func TestPlaceholderFillers(t *testing.T) {
	for _, tt := range []struct {
		v    string
		want ValueClass
	}{
		{"Qw7Rt9Zx12345678Mn3Bv5Lk", Plain},
		{"Hy6Ju8abcdefKi9Lo0Pq2Ws", Plain},
		{"x9Kq%s2mZ7pL4vR8", Plain},
		{"abcdef12345678", Placeholder},
		{"12345678", Placeholder},
		{"test-secret-12345678", Placeholder},
		{"secret-abcdef-123", Placeholder},
		{"my-abcdef-token", Placeholder},
		{"%s", Placeholder},
		{"token-%s", Placeholder},
		{"abcdef12345", Placeholder},
		// deliberate markers stay placeholders whatever surrounds them
		{"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", Placeholder},
		{"Wm4Tq...sL9d", Placeholder},
		{"ghp_xxxxRt9Zx1Mn3Bv5Lk", Placeholder},
		{"ghp_" + strings.Repeat("x", 36), Placeholder},
		{"sk-proj-xxxx-xxxx-xxxx-xxxx-xxxx-xxxx-xxxx-xxxx-xxxx-xxxx-xxxx-xxxx", Placeholder},
		{"replace-this-with-the-real-keystore-xxxx-then-remove-this-line-xxxx", Placeholder},
		// ...but a long random value that spells xxxx by chance is a secret,
		// whatever words chance spells around it (a base64 keystore).
		// (the stop word within the first 512 bytes, which hasStopWord reads)
		{longRandom(1, "")[:100] + "testpass" + longRandom(0, "xxXx"), Plain},
		{"ghp_Qw7Rt9Zx12Mn3Bv5Lk8xXxxHy6Ju8Ki9Lo0Pq2W", Plain},
		{"ghp_Ab3dE5gH7jK9xxxxxxxxxxxxxxxxxxxxxxxx", Placeholder},
	} {
		if got := Classify(tt.v, nil); got != tt.want {
			t.Errorf("Classify(%q) = %v, want %v", tt.v, got, tt.want)
		}
	}
}

// Password hashes are what a password should be stored as: Hashed, never
// Plain, and never shaped like a secret for the text scan.
func TestPasswordHashes(t *testing.T) {
	hashes := []string{
		"$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"$2y$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
		"#jbcrypt:$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
		"pbkdf2_sha256$260000$Qx7mVb2NcR4t$N1tb9x6Wq0wR3kGmVd2pH8Lc5YzTa7Fs=",
		"$6$rounds=5000$usesomesillystri$D4IrlXatmP7rx3P3InaxBeoomnAihCKRVQP22JZ6EY47Wc6BkroIuUUBOov1i.S5KPgErtP/EN5mcO.ChWQW21",
		"$apr1$71850310$gh9m4xcAn3MGxogwX/ztb.",
		"{SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g8TBkqquzi",
		"{bcrypt}$2a$10$dXJ3SW6G7P50lGmMkkmwe.20cQQubK3.HZWzG3YB1tlRy.fqvM/BG",
		"pbkdf2:sha256:600000$Qx7mVb2N$0a1b2c3d4e5f60718293a4b5c6d7e8f9",
	}
	for _, h := range hashes {
		if got := Classify(h, nil); got != Hashed {
			t.Errorf("Classify(%q) = %v, want hashed", h, got)
		}
		if got := ClassifyField(h, nil); got != Hashed {
			t.Errorf("ClassifyField(%q) = %v, want hashed", h, got)
		}
		if Plausible(h) {
			t.Errorf("Plausible(%q) = true", h)
		}
		if ms := Scan([]byte("password: " + h + "\n")); len(ms) != 0 {
			t.Errorf("Scan finds %s in password: %s", ms[0].Kind, h)
		}
	}
	for _, v := range []string{"$2a$10$", "$HOME/secret/token", "$notahash$abcdefgh12345678", "pbkdf2_sha256"} {
		if isPasswordHash(v) {
			t.Errorf("isPasswordHash(%q) = true", v)
		}
	}
}

// In a secret field, the default of ${VAR:-default} is committed when it is
// a weak password, placeholder words included; other placeholders and
// references commit nothing. Outside a field (Classify) nothing changes.
func TestWeakDefaults(t *testing.T) {
	for _, tt := range []struct {
		v, lit string
	}{
		{"${PW:-password123}", "password123"},
		{"${PW:-changeme}", "changeme"},
		{"${PW:-changeit}", "changeit"},
		{"${PW:-secret}", "secret"},
		{"${PW:-admin}", "admin"},
		{"${PW:-P@ssw0rd}", "P@ssw0rd"},
		{" ${PW:- changeme } ", "changeme"},
	} {
		if got := ClassifyField(tt.v, nil); got != LiteralInReference {
			t.Errorf("ClassifyField(%q) = %v, want literal-in-reference", tt.v, got)
		}
		s, e, ok := FieldLiteral(tt.v, nil)
		if !ok || tt.v[s:e] != tt.lit {
			t.Errorf("FieldLiteral(%q) = %q %v, want %q", tt.v, tt.v[s:e], ok, tt.lit)
		}
		if !IsWeakPassword(tt.lit) {
			t.Errorf("IsWeakPassword(%q) = false", tt.lit)
		}
	}
	for _, v := range []string{"${PW:-<password>}", "${PW:-none}", "${PW:-}", "${PW:-xxx}", "${PW:-${OTHER}}", "${PW}"} {
		if got := ClassifyField(v, nil); got != Reference {
			t.Errorf("ClassifyField(%q) = %v, want reference", v, got)
		}
	}
	if got := Classify("${PW:-changeme}", nil); got != Reference {
		t.Errorf("Classify of a placeholder default = %v, want reference", got)
	}
	// a configured placeholder is the user's word: not a weak password
	if got := ClassifyField("${PW:-changeme}", []string{"changeme"}); got != Reference {
		t.Errorf("ClassifyField with changeme configured = %v, want reference", got)
	}
	if IsWeakPassword("Wm4TqZ8pX2rN7vK3") {
		t.Error("a random value is a weak password")
	}
}

// Only the names reserved for examples and tests are example hosts.
func TestIsExampleHost(t *testing.T) {
	for _, h := range []string{"example.com", "EXAMPLE.COM", "sso.example.com", "a.b.example.net", "example.org:8443",
		"@example.org", "jenkins.example", "ci.acme.test", "x.invalid", "localhost", "localhost:8080",
		"api.localhost", "example.com."} {
		if !IsExampleHost(h) {
			t.Errorf("IsExampleHost(%q) = false", h)
		}
	}
	for _, h := range []string{"examples.com", "example.acme.io", "myexample.com", "example.com.evil.io", "testing.io",
		"test", "example", "db", "localhost.evil.io", "", "[::1]", "exampleXcom", "notexample.com"} {
		if IsExampleHost(h) {
			t.Errorf("IsExampleHost(%q) = true", h)
		}
	}
	for _, tt := range []struct {
		text string
		n    int
	}{
		{"url: https://bot:Ol9Ik8Uj7Yh6Tg5R@jenkins.examples.com/\n", 1},
		{"url: https://bot:Ol9Ik8Uj7Yh6Tg5R@example.acme.io/\n", 1},
		{"url: https://bot:Ol9Ik8Uj7Yh6Tg5R@jenkins.example.com/\n", 0},
		{"url: https://bot:Ol9Ik8Uj7Yh6Tg5R@nexus.ci.test:8443/\n", 0},
	} {
		if got := Scan([]byte(tt.text)); len(got) != tt.n {
			t.Errorf("Scan(%q): %d matches, want %d", tt.text, len(got), tt.n)
		}
	}
}

// Everyday values under secret-looking names are not secrets: plugin
// versions (oic-auth:4.494.v6b_f419104767 in plugins.txt), names
// (secretKey: MY-K8S-PATH), version ranges of lock files.
func TestEverydayValuesNotPlausible(t *testing.T) {
	for _, v := range []string{
		"4.494.v6b_f419104767", "1.119.v50285141b_7e1", "1405.vb_cda_74a_f8974", "183.va_de8f1dd5a_2b_",
		"349.vb_8b_6b_9709f5b_", "687.v619cb_15e923f", "3355.v388858a_47b_33-17", "2.462.3-lts-jdk17",
		"^10.0.0-beta.12", "v1.2.3-rc1", "MY-K8S-PATH", "AWS_S3_BUCKET_2", "prod-db-k8s1", "JENKINS_ADMIN_PW2",
	} {
		if Plausible(v) {
			t.Errorf("Plausible(%q) = true", v)
		}
	}
	for _, v := range []string{"Wm4TqZ8pX2rN7vK3sL9d", "ABCD-EF12-GH34-IJ56", "Kq9-Zt4-Lm8-Wp2x", "x9k2-q8m4-z7p1"} {
		if !Plausible(v) {
			t.Errorf("Plausible(%q) = false", v)
		}
	}
	for _, line := range []string{
		"oic-auth:4.494.v6b_f419104767\n", "authentication-tokens:1.119.v50285141b_7e1\n",
		"credentials:1405.vb_cda_74a_f8974\n", "RUN jenkins-plugin-cli --plugins a:1.2 b:3.4.v5_6 oic-auth:4.494.v6b_f419104767\n",
		"  #   secretKey: MY-K8S-PATH\n", "keytool -importkeystore -storepass changeit -keypass changeit\n",
		"-Djavax.net.ssl.trustStorePassword=changeit\n",
		`"integrity": "sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQ4ISFU1a4Pb1VnXtDU56DC2SC4HBUaMg51b3ywsVgwaI6SQ=="` + "\n",
		"github.com/spf13/pflag v1.0.5 h1:iy+VFUOCP1a+8yFto/drg2CJ5u0yRoB7fZw3DKv/JXA=\n",
		`"jsonwebtoken": "^9.0.2",` + "\n", `"passport-http-bearer": "^1.0.1-beta.2",` + "\n",
		"admin:$2y$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy\n",
	} {
		if ms := Scan([]byte(line)); len(ms) != 0 {
			t.Errorf("Scan(%q) finds %s %q", line, ms[0].Kind, line[ms[0].Start:ms[0].End])
		}
	}
}

// A quote that is not closed on its line (a file that does not parse) still
// gives its word to be judged.
func TestUnterminatedQuote(t *testing.T) {
	for _, text := range []string{
		"      clientSecret: \"⟦Wm4TqZ8pX2rN7vK3sL9d⟧\n      other: x\n",
		"password: '⟦Wm4TqZ8pX2rN7vK3sL9d⟧",
		"password: \"⟦Wm4TqZ8pX2rN7vK3sL9d⟧\r\n",
	} {
		data, want := unmark(t, text, KindGenericAssignment)
		got := Scan(data)
		if len(got) != 1 || got[0].Start != want[0].s || got[0].End != want[0].e {
			t.Errorf("Scan(%q) = %s, want [%d,%d)", data, describe(data, got), want[0].s, want[0].e)
		}
	}
	for _, text := range []string{"msg = \"password: must be set\n", "password: \"\n", "password: \"hunter2\n"} {
		if got := Scan([]byte(text)); len(got) != 0 {
			t.Errorf("Scan(%q) = %s", text, describe([]byte(text), got))
		}
	}
}
