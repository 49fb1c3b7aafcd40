package secrets

import "testing"

func TestClassify(t *testing.T) {
	tests := []struct {
		v     string
		extra []string
		want  ValueClass
	}{
		// Plain literals.
		{"s3cr3t-Value-9931", nil, Plain},
		{"Xk9$mQ2!vB", nil, Plain}, // a $ inside a word is not a shell variable
		{"admin", nil, Plain},
		{"{not-base64!}", nil, Plain},
		// Empty.
		{"", nil, Empty},
		{"   ", nil, Empty},
		{`""`, nil, Empty},
		{`''`, nil, Empty},
		// References.
		{"${OIDC_CLIENT_SECRET}", nil, Reference},
		{" ${OIDC_CLIENT_SECRET} ", nil, Reference},
		{"${env:OIDC_SECRET}", nil, Reference}, // not a JCasC lookup, resolves to "": still no committed secret
		{"${readFile:/run/secrets/oidc}", nil, Reference},
		{"${file:/run/secrets/oidc}", nil, Reference},
		{"${fileBase64:/run/secrets/key.p12}", nil, Reference},
		{"${readFileBase64:/run/secrets/key.p12}", nil, Reference},
		{"${sysProp:oidc.secret}", nil, Reference},
		{"${decodeBase64:${OIDC_SECRET_B64}}", nil, Reference},
		{"${base64:${OIDC_SECRET}}", nil, Reference},
		{"${json:secret:${readFile:/run/secrets/oidc.json}}", nil, Reference},
		{"${vault.oidc.client_secret}", nil, Reference},
		{"${/secret/jenkins/oidc}", nil, Reference},
		{"${aws-sm-oidc-secret}", nil, Reference},
		{"${var.oidc.client_secret}", nil, Reference},
		{"${env.PASSWORD}", nil, Reference},
		{"${params.PASSWORD}", nil, Reference},
		{"$OIDC_SECRET", nil, Reference},
		{"{{ .Values.oidc.secret }}", nil, Reference},
		{"${{ secrets.OIDC_SECRET }}", nil, Reference},
		{"Bearer ${TOKEN}", nil, Reference},
		{"^${NOT_EXPANDED}", nil, Reference}, // JCasC escape: the text ${NOT_EXPANDED}
		{"${VAR:-}", nil, Reference},
		{"${VAR:-changeme}", nil, Reference},
		{"${VAR:-${OTHER}}", nil, Reference},
		{"${base64:}", nil, Reference},
		// Literals committed through a reference.
		{"${OIDC_SECRET:-s3cr3t-Value-9931}", nil, LiteralInReference},
		{"${base64:s3cr3t-Value-9931}", nil, LiteralInReference},
		{"${decodeBase64:czNjcjN0LVZhbHVl}", nil, LiteralInReference},
		{"${trim: s3cr3t-Value-9931 }", nil, LiteralInReference},
		{"${decodeBase64:${X:-czNjcjN0LVZhbHVl}}", nil, LiteralInReference},
		{"${json:secret:{\"secret\":\"s3cr3t-Value-9931\"}}", nil, LiteralInReference},
		// Encrypted.
		{"{AQAAABAAAAAQl3uHf1JcP9xq0Xo0V3A1lY8i9y3n7bOmh1P1Z7EoQ8s=}", nil, Encrypted},
		{"  {AQAAABAAAAAgnJk2D8pUq+L8c/5WnM2V0+oeFMd7m+ggq6OjgMjqwCs=}  ", nil, Encrypted},
		// Placeholders.
		{"changeme", nil, Placeholder},
		{"CHANGE-ME", nil, Placeholder},
		{"change_me", nil, Placeholder},
		{"changeit", nil, Placeholder},
		{"<secret>", nil, Placeholder},
		{"<client-secret>", nil, Placeholder},
		{"<your client secret>", nil, Placeholder},
		{"xxx", nil, Placeholder},
		{"XXXXXXXXXXXXXXXX", nil, Placeholder},
		{"****", nil, Placeholder},
		{"********", nil, Placeholder},
		{"...", nil, Placeholder},
		{"example", nil, Placeholder},
		{"my-example-secret", nil, Placeholder},
		{"AKIAIOSFODNN7EXAMPLE", nil, Placeholder},
		{"TODO", nil, Placeholder},
		{"REPLACE_ME", nil, Placeholder},
		{"dummy", nil, Placeholder},
		{"secret", nil, Placeholder},
		{"password", nil, Placeholder},
		{"none", nil, Placeholder}, // clientSecret: none is a public client
		{"null", nil, Placeholder},
		{"your-client-secret", nil, Placeholder},
		{"insert_token_here", nil, Placeholder},
		{"client-secret-goes-here", nil, Placeholder},
		{"[SECRET]", nil, Placeholder},
		{"__CLIENT_SECRET__", nil, Placeholder},
		{"#{ClientSecret}#", nil, Placeholder},
		{"@CLIENT_SECRET@", nil, Placeholder},
		{"%CLIENT_SECRET%", nil, Placeholder},
		{"{client_secret}", nil, Placeholder},
		{"00000000", nil, Placeholder},
		{"%s", nil, Placeholder},
		{"ci-fixture-secret", []string{"CI-Fixture-Secret"}, Placeholder},
		{" ci-fixture-secret ", []string{"ci-fixture-secret"}, Placeholder},
		{"ci-fixture-secret", []string{"other"}, Plain},
	}
	for _, tc := range tests {
		if got := Classify(tc.v, tc.extra); got != tc.want {
			t.Errorf("Classify(%q) = %v, want %v", tc.v, got, tc.want)
		}
	}
}

func TestCommittedLiteral(t *testing.T) {
	tests := []struct {
		v, lit string
		ok     bool
	}{
		{"${OIDC_SECRET:-s3cr3t-Value-9931}", "s3cr3t-Value-9931", true},
		{"${OIDC_SECRET:- s3cr3t-Value-9931 }", "s3cr3t-Value-9931", true},
		{"${base64:s3cr3t-Value-9931}", "s3cr3t-Value-9931", true},
		{"${decodeBase64:${X:-czNjcjN0}}", "czNjcjN0", true},
		{"${OIDC_SECRET}", "", false},
		{"plain-value-123", "", false},
	}
	for _, tc := range tests {
		s, e, ok := CommittedLiteral(tc.v)
		if ok != tc.ok || (ok && tc.v[s:e] != tc.lit) {
			t.Errorf("CommittedLiteral(%q) = [%d,%d) %v, want %q %v", tc.v, s, e, ok, tc.lit, tc.ok)
		}
	}
}

func TestValueClassString(t *testing.T) {
	want := map[ValueClass]string{
		Plain: "plain", Reference: "reference", Placeholder: "placeholder", Encrypted: "encrypted",
		Empty: "empty", LiteralInReference: "literal-in-reference", ValueClass(99): "unknown",
	}
	for c, s := range want {
		if c.String() != s {
			t.Errorf("%d.String() = %q, want %q", int(c), c.String(), s)
		}
	}
}
