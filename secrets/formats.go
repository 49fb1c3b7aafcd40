package secrets

import "bytes"

// A format is one known token format: a row of the formats table. The scan
// finds it at its fixed prefix, with no regular expression: the prefix's
// first anchor byte (one of A - _ ~ J : = >) is where the one-pass scan
// stops; there the bytes around the anchor pick the few prefixes that can
// match, and the longest that does reads the token.
//
// A token is Head (a few bytes of given classes, rarely), one of Prefixes,
// then a body of Min to Max bytes of Alphabet. The byte before the token must
// be in Before and the byte after it in After (or the text starts or ends
// there). The body must then pass the gate: Shannon entropy of at least
// Entropy bits per byte (of the body, or with Whole of the whole token), no
// deliberate marker (xxxx, example), and Check when there is one.
type format struct {
	// Kind is the Match.Kind reported; several rows may share one.
	Kind string
	// Description describes a kind that no other row or detector has
	// (match.go lists the others); such a kind ranks with the other token
	// formats where matches overlap.
	Description string
	// Name says what the row is (tests and errors name rows by it).
	Name string
	// Prefixes are the fixed text a token starts with. Where a prefix holds
	// another (xoxe.xoxb- and xoxb-), the longer decides.
	Prefixes []string
	// Public are the prefixes Redact may show the first four characters of,
	// and that make a value assigned to a secret-named field this row's to
	// judge (a value with the prefix that the row refuses is no secret).
	Public []string
	// Head are the classes of the bytes before the prefix, one per byte
	// (Entra ID secrets: three characters and a digit before "Q~").
	Head []string
	// Alphabet is the class of the body's bytes, written as inside a regular
	// expression's brackets: "A-Za-z0-9_-"; "^…" for every byte not listed.
	Alphabet string
	// Min and Max bound the body's length (Max 0: no bound but Read).
	Min, Max int
	// Read bounds how many bytes of the body are read (default: Max+1, or
	// the whole run, memoised, when Trim is set or Max is 0).
	Read int
	// Trim are bytes a token cannot end in, dropped from the end of the run.
	Trim string
	// Before and After are the classes of the bytes allowed right before and
	// after the token; by default anything but a word character.
	Before, After string
	// Entropy is the minimal Shannon entropy in bits per byte of the body
	// (of the whole token with Whole).
	Entropy float64
	Whole   bool
	// Check is a further test of the body: a checksum, an id segment.
	Check func(body []byte) bool
	// In says where the format is looked for: anywhere (at its prefix), in
	// URLs (the prefix is the host and path after scheme://, and the match
	// is the whole URL), or only in values that a detector of context hands
	// it (a secret-named assignment, user:token, a URL's password).
	In where
	// Paired tokens count only with an AWS secret access key within 1 KiB
	// (pairAWS, hand-written): an AWS access key id alone is an identifier.
	Paired bool
	// True are texts holding a token of this row, False texts that must
	// give no match of its kind; TestFormats runs them. {N CLASS} stands
	// for N random bytes of CLASS (real-looking tokens are never
	// committed), ⟦ and ⟧ enclose the expected match (the whole text when
	// there are none) and ⟦…|kind=K⟧ one of another kind.
	True, False []string

	// compiled by compileFormats
	head                 []*byteSet
	alpha, before, after *byteSet
	trim                 byteSet
	read                 int
}

// where tells where a format is looked for.
type where uint8

const (
	anywhere where = iota // at its prefix, by the scan
	inURL                 // after scheme:// in a URL without userinfo
	inValue               // only in values that context detectors judge
)

// formats is the table of known token formats. Hand-written detectors stay
// for what needs context: private key blocks, JWTs, GCP service-account
// JSON, passwords in URLs and on command lines, and secret-named
// assignments, which test values against the inValue rows.
var formats = []format{
	// GitHub: https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/
	{
		Name: "GitHub personal access token (classic)", Kind: KindGitHubPAT,
		Prefixes: []string{"ghp_"}, Public: []string{"ghp_"},
		Alphabet: "A-Za-z0-9", Min: 36, Max: 36, Entropy: 3,
		True: []string{
			"GITHUB_TOKEN=⟦ghp_{36 A-Za-z0-9}⟧\n",
			"token: \"⟦ghp_{36 A-Za-z0-9}⟧\"\n",
			`sh "git clone https://x-access-token:⟦ghp_{36 A-Za-z0-9}⟧@github.com/o/r.git"`,
		},
		False: []string{
			"ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
			"ghp_{40 A-Za-z0-9}", "ghp_{35 A-Za-z0-9}", "my_ghp_{36 A-Za-z0-9}",
			"token: ghp_{36 a}\n",
		},
	},
	{
		Name: "GitHub OAuth access token", Kind: KindGitHubOAuth,
		Prefixes: []string{"gho_"}, Public: []string{"gho_"},
		Alphabet: "A-Za-z0-9", Min: 36, Max: 36, Entropy: 3,
		True:  []string{"x ⟦gho_{36 A-Za-z0-9}⟧ y"},
		False: []string{"gho_{36 A-Za-z0-9}_x", "gho_{37 A-Za-z0-9}", "gho_{35 A-Za-z0-9}"},
	},
	{
		Name: "GitHub App installation and user-to-server tokens", Kind: KindGitHubAppToken,
		Prefixes: []string{"ghs_", "ghu_"}, Public: []string{"ghs_", "ghu_"},
		Alphabet: "A-Za-z0-9", Min: 36, Max: 36, Entropy: 3,
		True:  []string{"(⟦ghs_{36 A-Za-z0-9}⟧)", "'⟦ghu_{36 A-Za-z0-9}⟧'"},
		False: []string{"ghs_{37 A-Za-z0-9}", "ghu_{20 A-Za-z0-9}"},
	},
	{
		Name: "GitHub refresh token", Kind: KindGitHubRefreshToken,
		Prefixes: []string{"ghr_"}, Public: []string{"ghr_"},
		Alphabet: "A-Za-z0-9", Min: 36, Max: 36, Entropy: 3,
		True:  []string{"⟦ghr_{36 A-Za-z0-9}⟧"},
		False: []string{"ghr_{36 a}", "xghr_{36 A-Za-z0-9}", "ghr_{37 A-Za-z0-9}", "ghr_{35 A-Za-z0-9}"},
	},
	{
		Name: "GitHub fine-grained personal access token", Kind: KindGitHubFineGrainedPAT,
		Prefixes: []string{"github_pat_"}, Public: []string{"github_pat_"},
		// 22 characters, "_", 59 characters: 82 after the prefix.
		Alphabet: "A-Za-z0-9_-", Min: 70, Max: 100, Read: 120, Trim: "-", Entropy: 3.5,
		True: []string{"GH_PAT: ⟦github_pat_{22 A-Za-z0-9}_{59 A-Za-z0-9}⟧\n"},
		False: []string{
			"github_pat_{22 A-Za-z0-9}_{40 A-Za-z0-9}", "github_pat_{22 A-Za-z0-9}_{80 A-Za-z0-9}",
			"github_pat_xxxxxxxxxxxxxxxxxxxxxx_{59 x}",
		},
	},

	// GitLab: https://docs.gitlab.com/security/tokens/#token-prefixes
	{
		Name: "GitLab personal access token", Kind: KindGitLabPAT,
		Prefixes: []string{"glpat-"}, Public: []string{"glpat-"},
		Alphabet: "A-Za-z0-9_.-", Min: 20, Max: 400, Trim: ".-", Entropy: 3,
		True:  []string{"GITLAB_TOKEN: ⟦glpat-{20 A-Za-z0-9}⟧\n", "⟦glpat-{12 A-Za-z0-9}.{2 0-9}.{9 a-z0-9}⟧."},
		False: []string{"glpat-XXXXXXXXXXX-XXXXXXXX", "glpat-{19 A-Za-z0-9}", "glpat--{20 A-Za-z0-9}", "glpat-{401 A-Za-z0-9}"},
	},
	{
		Name: "GitLab deploy, runner, pipeline trigger and CI job tokens", Kind: KindGitLabToken,
		Prefixes: []string{"gldt-", "glrt-", "glptt-", "glcbt-"}, Public: []string{"gldt-", "glrt-", "glptt-", "glcbt-"},
		Alphabet: "A-Za-z0-9_.-", Min: 20, Max: 400, Trim: ".-", Entropy: 3,
		True: []string{
			"runner ⟦glrt-{20 A-Za-z0-9}⟧ ok", "⟦glptt-{40 0-9a-f}⟧",
			"⟦gldt-{20 A-Za-z0-9}⟧", "CI_JOB_TOKEN=⟦glcbt-{20 A-Za-z0-9}⟧\n",
		},
		False: []string{"xgldt-{20 A-Za-z0-9}", "glrt-{19 A-Za-z0-9}", "glptt-{40 0}", "glcbt-{401 A-Za-z0-9}"},
	},

	// Slack: https://api.slack.com/concepts/token-types
	{
		Name: "Slack bot, user, app and other tokens", Kind: KindSlackToken,
		Prefixes: []string{"xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxo-", "xoxs-", "xoxc-", "xapp-"},
		// xoxc- is not public: Redact hides all of such a token.
		Public:   []string{"xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxo-", "xoxs-", "xapp-"},
		Alphabet: "A-Za-z0-9_-", Min: 12, Max: 300, Trim: "-", Entropy: 3,
		// Real tokens carry a numeric team or user id of 8+ digits.
		Check: slackID,
		True: []string{
			"SLACK_BOT_TOKEN=⟦xoxb-{12 0-9}-{13 0-9}-{24 A-Za-z0-9}⟧\n",
			`"⟦xoxp-{11 0-9}-{12 0-9}-{12 0-9}-{32 0-9a-f}⟧"`,
			"⟦xapp-1-A{10 A-Z2-7}-{13 0-9}-{64 0-9a-f}⟧",
			"⟦xoxc-{12 0-9}-{13 0-9}-{13 0-9}-{64 0-9a-f}⟧",
		},
		False: []string{
			"xoxb-xxxxxxxxx-xxxxxxxxxx-xxxxxxxxxxxx",
			`"token3": "xoxp-1234-1234-1234-{32 0-9a-f}"`,
			"xoxb-xoxb-my-bot-token",
			"axoxb-{12 0-9}-{13 0-9}-{24 A-Za-z0-9}",
			"xoxb-{11 0-9}", "xoxb-{12 0-9}-{13 0-9}-{290 A-Za-z0-9}",
		},
	},
	{
		Name: "Slack configuration and refresh tokens", Kind: KindSlackToken,
		Prefixes: []string{"xoxe-", "xoxe.xoxb-", "xoxe.xoxp-", "xoxe.xoxa-", "xoxe.xoxr-", "xoxe.xoxo-",
			"xoxe.xoxs-", "xoxe.xoxc-", "xoxe.xoxe-", "xoxe.xapp-"},
		Public:   []string{"xoxe"},
		Alphabet: "A-Za-z0-9_-", Min: 100, Max: 300, Trim: "-", Entropy: 3,
		True:  []string{"⟦xoxe.xoxp-1-{140 A-Za-z0-9}⟧", "SLACK_REFRESH=⟦xoxe-1-{140 A-Za-z0-9}⟧\n"},
		False: []string{"xoxe-1-{60 A-Za-z0-9}", "xoxe.xoxb-{12 0-9}-{13 0-9}-{24 A-Za-z0-9}", "xoxe-1-{300 A-Za-z0-9}"},
	},
	{
		Name: "Slack incoming webhook", Kind: KindSlackWebhook, In: inURL,
		Prefixes: []string{"hooks.slack.com/services/"},
		Alphabet: "A-Za-z0-9+/_-", Min: 40, Read: 200, Trim: "/", Entropy: 3.5,
		// T…/B…/secret: the secret is the last of three or more parts.
		Check: slackServicesPath,
		True: []string{
			"webhookUrl: ⟦https://hooks.slack.com/services/T{8 A-Z2-7}/B{10 A-Z2-7}/{24 A-Za-z0-9}⟧\n",
			"notify(url: '⟦https://hooks.slack.com/services/T{8 A-Z2-7}/B{10 A-Z2-7}/{24 A-Za-z0-9}⟧')",
		},
		False: []string{
			"https://hooks.slack.com/services/T{8 A-Z2-7}/B{10 A-Z2-7}/{19 A-Za-z0-9}",
			"https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
			"https://hooks.slack.com/services/",
		},
	},
	{
		Name: "Slack workflow webhook", Kind: KindSlackWebhook, In: inURL,
		Prefixes: []string{"hooks.slack.com/workflows/", "hooks.slack.com/triggers/"},
		Alphabet: "A-Za-z0-9+/_-", Min: 40, Read: 200, Trim: "/", Entropy: 3.5,
		True: []string{
			"⟦https://hooks.slack.com/workflows/T{8 A-Z2-7}/A{10 A-Z2-7}/{18 0-9}/{24 A-Za-z0-9}⟧",
			"url = \"⟦https://hooks.slack.com/triggers/T{8 A-Z2-7}/{13 0-9}/{32 0-9a-f}⟧\"",
		},
		False: []string{"https://hooks.slack.com/triggers/T{8 A-Z2-7}/{13 0-9}"},
	},

	// AWS: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
	{
		Name: "AWS access key ID", Kind: KindAWSAccessKeyID, Paired: true,
		Prefixes: []string{"AKIA", "ASIA", "ABIA", "ACCA"}, Public: []string{"AKIA", "ASIA", "ABIA", "ACCA"},
		Alphabet: "A-Z0-9", Min: 16, Max: 16, Before: "^A-Za-z0-9+/-", Entropy: 3, Whole: true,
		True: []string{
			"[default]\naws_access_key_id = ⟦AKIA{16 A-Z2-7}⟧\naws_secret_access_key = ⟦{40 A-Za-z0-9}|kind=aws-secret-access-key⟧\n",
			"provider \"aws\" {\n  access_key = \"⟦ASIA{16 A-Z2-7}⟧\"\n  secret_key = \"⟦{40 A-Za-z0-9}|kind=aws-secret-access-key⟧\"\n}\n",
			"aws.access.key.id=⟦ABIA{16 A-Z2-7}⟧\naws.secret.access.key=⟦{40 A-Za-z0-9}|kind=aws-secret-access-key⟧\n",
			"id ⟦ACCA{16 A-Z2-7}⟧ key ⟦{40 A-Za-z0-9}|kind=aws-secret-access-key⟧\n",
		},
		False: []string{
			"accessKey: AKIA{16 A-Z2-7}\nsecretKey: \"${AWS_SECRET_ACCESS_KEY}\"\n",
			"aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
			"aws_access_key_id = xAKIA{16 A-Z2-7}\naws_secret_access_key = {40 A-Za-z0-9}\n",
			"aws_access_key_id = AKIA{15 A-Z2-7}\naws_secret_access_key = {40 A-Za-z0-9}\n",
			"aws_access_key_id = AKIA{17 A-Z2-7}\naws_secret_access_key = {40 A-Za-z0-9}\n",
			"aws_access_key_id = AKIA{16 a}\naws_secret_access_key = {40 A-Za-z0-9}\n",
		},
	},
	{
		Name: "AWS access key ID (A3T)", Kind: KindAWSAccessKeyID, Paired: true,
		Prefixes: []string{"A3T"},
		Alphabet: "A-Z0-9", Min: 17, Max: 17, Before: "^A-Za-z0-9+/-", Entropy: 3, Whole: true,
		True: []string{
			"aws_access_key_id = ⟦A3T{17 A-Z2-7}⟧\naws_secret_access_key = ⟦{40 A-Za-z0-9}|kind=aws-secret-access-key⟧\n",
		},
		False: []string{
			"aws_access_key_id = A3T{17 A-Z2-7}\n", "A3T{17 A-Z2-7}a {40 A-Za-z0-9}",
			"aws_access_key_id = A3T{16 A-Z2-7}\naws_secret_access_key = {40 A-Za-z0-9}\n",
			"aws_access_key_id = A3T{18 A-Z2-7}\naws_secret_access_key = {40 A-Za-z0-9}\n",
		},
	},
	{
		Name: "AWS secret access key", Kind: KindAWSSecretAccessKey, In: inValue,
		// Named aws…secret…, or within 1 KiB of a key id (pairAWS); it is
		// base64 and may start with / or +.
		Alphabet: "A-Za-z0-9+/", Min: 40, Max: 40, Entropy: 4, Whole: true,
		Check: threeClasses,
		True: []string{
			"aws_secret_access_key = ⟦{40 A-Za-z0-9}⟧\n",
			"export AWS_SECRET_ACCESS_KEY=⟦/{38 A-Za-z0-9}Q⟧\n",
			"aws_secret_access_key: \"⟦+{38 A-Za-z0-9}7⟧\"\n",
		},
		False: []string{
			"AWS_SECRET_ACCESS_KEY=/run/{35 A-Za-z0-9}\n",
			"aws_secret_access_key = {40 a-z0-9}\n",
			"aws_secret_access_key = {41 A-Za-z0-9}\n",
		},
	},

	// Google
	{
		Name: "Google Cloud API key", Kind: KindGCPAPIKey,
		Prefixes: []string{"AIza"}, Public: []string{"AIza"},
		Alphabet: "A-Za-z0-9_-", Min: 35, Max: 35, Before: "^A-Za-z0-9+/-", Entropy: 3.5, Whole: true,
		True:  []string{"key=⟦AIza{35 A-Za-z0-9}⟧&q=1"},
		False: []string{"AIza{34 A-Za-z0-9}", "AIza{36 A-Za-z0-9}", "/AIza{35 A-Za-z0-9}"},
	},
	{
		Name: "Google OAuth client secret", Kind: KindGoogleOAuthClientSecret,
		Prefixes: []string{"GOCSPX-"}, Public: []string{"GOCSPX-"},
		Alphabet: "A-Za-z0-9_-", Min: 28, Max: 28, Entropy: 3,
		True:  []string{"      clientSecret: \"⟦GOCSPX-{28 A-Za-z0-9}⟧\"\n"},
		False: []string{"GOCSPX-{27 A-Za-z0-9}", "GOCSPX-{29 A-Za-z0-9}"},
	},

	// npm: https://github.blog/2021-09-23-announcing-npms-new-access-token-format/
	{
		Name: "npm access token", Kind: KindNPMToken,
		Prefixes: []string{"npm_"}, Public: []string{"npm_"},
		Alphabet: "A-Za-z0-9", Min: 36, Max: 36, Entropy: 3,
		True:  []string{"//registry.npmjs.org/:_authToken=⟦npm_{36 A-Za-z0-9}⟧\n"},
		False: []string{"npm_{36 a}", "npm_{30 A-Za-z0-9}", "npm_{37 A-Za-z0-9}"},
	},

	// Microsoft Entra ID (Azure AD) client secrets: three characters, a
	// digit, "Q~", then 31 to 34 characters.
	{
		Name: "Microsoft Entra ID client secret", Kind: KindAzureClientSecret,
		Head:     []string{"A-Za-z0-9_~.", "A-Za-z0-9_~.", "A-Za-z0-9_~.", "0-9"},
		Prefixes: []string{"Q~"},
		Alphabet: "A-Za-z0-9_~.-", Min: 31, Max: 34, Entropy: 3, Whole: true,
		// Quotes, blanks, separators; before it also = : ( and >.
		Before: "\\\\'\"` \t\n\r,)>=:(", After: "\\\\'\"` \t\n\r,)<",
		True: []string{
			"clientSecret: ⟦{3 A-Za-z0-9}{1 0-9}Q~{34 A-Za-z0-9}⟧\n",
			"AZURE_CLIENT_SECRET=\"⟦{3 A-Za-z0-9}{1 0-9}Q~{31 A-Za-z0-9}⟧\"",
		},
		False: []string{
			".ui.visible.right.sidebar~.ui.visible.left.sidebar~.pusher{transform:translate3d(0,0,0)}",
			"{3 A-Za-z0-9}{1 0-9}Q~{30 A-Za-z0-9}",
			"x{3 A-Za-z0-9}{1 0-9}Q~{34 A-Za-z0-9}",
			"{3 A-Za-z0-9}{1 0-9}Q~{35 A-Za-z0-9}", "{3 A-Za-z0-9}{1 0-9}Q~{34 A-Za-z0-9}=",
			"{3 A-Za-z0-9}xQ~{34 A-Za-z0-9}",
		},
	},

	// Formats without a prefix of their own: context detectors hand them
	// values (assignments, user:token, URL passwords).
	{
		Name: "Okta API token", Kind: KindOktaAPIToken, In: inValue,
		// Only when the name, the line or an SSWS header says Okta.
		Prefixes: []string{"00"},
		Alphabet: "A-Za-z0-9_-", Min: 40, Max: 40,
		True: []string{
			"OKTA_API_TOKEN=⟦00{40 A-Za-z0-9}⟧\n",
			`-H "Authorization: SSWS ⟦00{40 A-Za-z0-9}⟧"`,
		},
		False: []string{"API_TOKEN=00{40 A-Za-z0-9}\n", "OKTA_API_TOKEN=00{39 A-Za-z0-9}\n", "OKTA_API_TOKEN=00{41 A-Za-z0-9}\n"},
	},
	{
		Name: "Jenkins API token", Kind: KindJenkinsAPIToken, In: inValue,
		// As the value of a secret-named variable, after user: (curl -u
		// admin:11…), or as a URL's password.
		Prefixes: []string{"11"},
		Alphabet: "0-9a-f", Min: 32, Max: 32, Entropy: 3, Whole: true,
		True: []string{
			"sh 'curl -u admin:⟦11{32 0-9a-f}⟧ https://ci.acme.test/job/x/build'",
			"JENKINS_API_TOKEN=⟦11{32 0-9a-f}⟧\n",
			"https://admin:⟦11{32 0-9a-f}⟧@ci.acme.test/",
		},
		False: []string{
			"JENKINS_API_TOKEN=11{31 0-9a-f}\n",
			"curl -u admin:11{33 0-9a-f} https://ci.acme.test/",
			"sha: 11{32 0-9a-f}\n",
		},
	},
}

// slackID reports a '-'-separated segment of 8 or more digits: the team or
// user id real Slack tokens carry.
func slackID(body []byte) bool {
	for len(body) > 0 {
		seg := body
		if k := bytes.IndexByte(body, '-'); k >= 0 {
			seg, body = body[:k], body[k+1:]
		} else {
			body = nil
		}
		if len(seg) >= 8 && isDigits(seg) {
			return true
		}
	}
	return false
}

func isDigits(b []byte) bool {
	for _, c := range b {
		if !isDigit(c) {
			return false
		}
	}
	return true
}

// slackServicesPath: T…/B…/secret, the secret at least 20 characters.
func slackServicesPath(path []byte) bool {
	k := bytes.LastIndexByte(path, '/')
	return bytes.Count(path, []byte("/")) >= 2 && len(path)-k-1 >= 20
}

// threeClasses: upper-case letters, lower-case letters and digits all occur.
func threeClasses(b []byte) bool { return classes(b) == 3 }
