// Package secrets finds committed secrets in text and judges the values of
// secret-named fields. The committed-secret rule uses it on every file the
// linter reads (JCasC YAML, Jenkinsfiles, discovery JSON, and with --all-files
// whole trees).
//
// # What Scan detects
//
// Known token formats, anywhere in the text — each a row of the formats
// table (formats.go), see "Adding a token format" below:
//   - AWS access key ids (AKIA, ASIA, ABIA, ACCA, A3T + 16) — only when a
//     40-character secret access key sits within 1 KiB, because a key id
//     alone is an identifier — and AWS secret access keys (40 base64
//     characters assigned to an aws…secret… name, or next to a key id; such
//     a key may start with / or +, which the key's own test accepts);
//   - GitHub ghp_, gho_, ghs_, ghu_, ghr_ (36 base62) and github_pat_ tokens;
//   - GitLab glpat- personal access tokens and gldt-, glrt-, glptt-, glcbt- tokens;
//   - Slack xoxb-/xoxp-/xoxa-/xoxr-/xoxo-/xoxs-/xoxc-/xapp- tokens (with the
//     8+ digit id segment real ones carry), xoxe- configuration tokens, and
//     hooks.slack.com webhooks;
//   - -----BEGIN … PRIVATE KEY----- blocks (RSA, EC, DSA, OPENSSH, ENCRYPTED,
//     PGP PRIVATE KEY BLOCK), the whole block from BEGIN to END;
//   - JWTs: three base64url parts whose header decodes to JSON with "alg";
//   - Okta API tokens (00 + 40) when the name, the line or an SSWS header
//     says Okta; Microsoft Entra ID client secrets (…\dQ~…, 37-40 chars);
//   - GCP service-account JSON ("type": "service_account" and a
//     "private_key"), Google API keys (AIza + 35) and Google OAuth client
//     secrets (GOCSPX- + 28); npm tokens (npm_ + 36);
//   - Jenkins API tokens ("11" + 32 hex) as the value of a secret-named
//     variable, after user: (curl -u admin:11…), or as a URL password.
//
// Credentials in context:
//   - passwords inside URLs, scheme://user:secret@host (not user@host, not
//     git@host:org/repo, not ${VAR}/$VAR passwords, not placeholders, not a
//     password equal to the user name, not on a host reserved for examples
//     by RFC 2606/6761: example.com/.net/.org and their subdomains, names
//     under .example, .test, .invalid, .localhost, and localhost; a host
//     that merely contains "example", such as examples.com, is real);
//   - --password/--token/--secret value flags, docker login -p, curl -u user:pass;
//   - literal values assigned to secret-named variables and fields:
//     password = "…", token: …, "apiKey": "…", export DB_PASS=…,
//     'secret' => '…', <password>…</password>, withEnv(["API_KEY=…"]),
//     Authorization: Bearer …, a Docker config "auth", Spring {noop}…, and the
//     defaultValue of a Jenkins password(…) parameter or of a parameter with a
//     secret name (not of a credentials(…) parameter: that is an id). The name must pass
//     IsSecretName; the value must be a plain literal (Classify), at least 8
//     characters, one word with at least one letter and not only letters and
//     _.- (identifiers, words, credential ids), not a path, URL, ARN or code
//     expression, and have a Shannon entropy of at least 3 bits per byte.
//     An unquoted value must end its line (or be followed by a comment or a
//     delimiter), so prose such as "password: must be set" is not a value.
//     A quote not closed on its line (a YAML file that does not parse)
//     gives the word after it.
//     The match covers the value only; for ${VAR:-literal} and
//     ${base64:literal} it covers the committed literal.
//
// Matches are sorted by Start and never overlap: where detectors claim the
// same bytes, the more specific kind wins (a GitHub token assigned to TOKEN is
// a github-pat, a private key inside a service-account JSON is a
// gcp-service-account).
//
// # How the prefilter works
//
// Scan makes one pass over the bytes and stops only at eight anchor bytes:
// 'A' (AKIA, AIza), '-' (-----BEGIN, glpat-, xoxb-, GOCSPX-, --flags), '_' (ghp_, npm_,
// github_pat_, service_account), '~' (Entra Q~), 'J' (the J of eyJ), ':' (URLs,
// name: value, user:token), '=' (name = value) and '>' (<name>value).
//
// At an anchor byte the token formats come first. Each prefix of the table is
// filed at compile time under its first anchor byte and the byte next to it
// ("ghp_" under '_' after 'p', "AKIA" under 'A' before 'K'), so a stop
// costs two table lookups and, rarely, a comparison of a few bytes; the
// longest prefix that matches reads the bounded token and applies the row's
// tests. Then the hand-written detectors run: PEM blocks, JWTs, service-account
// JSON, URLs (which hand hooks.slack.com/… to the table's URL rows),
// flags, and assignments, which first find the name left of the operator and
// run a three-byte stem test (pas, pwd, sec, tok, key, cre, aut, bea, pat)
// before the full name test and before any value is read; a value is then
// tested against the table's rows for values (Jenkins, Okta, AWS secret
// keys) and refused when it starts with a public prefix whose row refused it.
// No regular expression runs over the text.
//
// # Adding a token format
//
// A token format with a fixed prefix is one row of formats (formats.go):
// its prefixes, the body's alphabet and length, the byte classes allowed
// around it, the gate (entropy, no xxxx or example, an optional Check such
// as a checksum), the prefixes Redact may show, and samples. TestFormats
// runs every row's samples: each true sample must give exactly its marked
// matches with the row's kind and redaction, no false sample a match of the
// row's kind; compileFormats refuses two rows that claim the same prefix, or
// prefixes that can match the same text with different spans. Hugging Face
// access tokens ("hf_" and 34 letters) would be this row:
//
//	{
//		Name: "Hugging Face access token", Kind: "huggingface-token",
//		Description: "Hugging Face access token",
//		Prefixes: []string{"hf_"}, Public: []string{"hf_"},
//		Alphabet: "A-Za-z", Min: 34, Max: 34, Entropy: 3,
//		True:  []string{"HF_TOKEN=⟦hf_{34 A-Za-z}⟧\n"},
//		False: []string{"hf_{33 A-Za-z}", "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
//	},
//
// {34 A-Za-z} stands for 34 random letters, so that no live-looking token
// is committed; ⟦…⟧ marks the expected match. Nothing else changes: "hf_"
// holds the anchor '_', so the scan already stops there, and Redact shows
// "hf_…" of such a token. The kind is new, so the row describes it (Kinds
// and Describe list it; it ranks with the other token formats where
// matches overlap); a kind several rows share, or hand code names, gets a
// Kind constant and a line in match.go instead. TestAddingAFormat compiles
// this very row with the table and scans with it. A prefix without an
// anchor byte ("SG." of SendGrid) makes the scan stop at its last byte too,
// which costs speed on text full of that byte: prefer an anchored prefix.
// Formats that need context stay hand-written, and a format without a
// prefix of its own (Jenkins API tokens, "11" and 32 hex digits) is a row
// with In: inValue that the context detectors test values against.
//
// # False-positive policy
//
// A credential id is never a secret (credentialsId, passwordVariable,
// withCredentials, secretName, tokenServerUrl are names of other things).
// References are not secrets: ${VAR}, ${env:X}, ${readFile:…},
// ${decodeBase64:${…}}, {{ … }}, $VAR, Groovy "${env.PASSWORD}", and
// JCasC's escaped ^${…}. Nor are Jenkins-encrypted {AQAAABAAAA…} blobs
// (Classify says Encrypted; the rule makes that a note), password hashes
// (bcrypt $2a$…, argon2 $argon2id$…, PBKDF2 pbkdf2_sha256$…, SHA-crypt $6$…,
// Jenkins' #jbcrypt:, {SSHA}…: Classify says Hashed; a hash is what a
// password should be stored as), placeholders (changeme, <secret>, xxx, ****,
// example, TODO, REPLACE_ME, none, …), values containing the deliberate
// markers EXAMPLE, xxxx, ****, ... or …, values that are typed sequences
// (12345678, abcdef) or format verbs (%s) and words around them — but not a
// random value that happens to contain one (Qw7Rt9Zx12345678Mn3Bv5Lk) —,
// the jwt.io sample token, or private key blocks
// whose body is elided ("...") or shorter than 64 base64 characters. UUIDs,
// git SHAs and base64 data are only reported when a secret name points at
// them. A generic value is also dropped when it is code rather than a literal
// (map[string]…, f(x), T{}, a + b, params.x, an identifier before a comma, a
// camelCase member assigned a bare identifier, a string concatenation such as
// `clientSecret: "`+g.secret()+`"` where a quote meets a '+'), JSON text, a query string, a
// date, an artifact version (jjwt-0.11.2), a version number (a Jenkins
// plugin's 4.494.v6b_f419104767 in plugins.txt, ^10.0.0-beta.12), lower-case
// words and digits (client-token-1), NAMES_IN_CAPS and names made of words
// (MY-K8S-PATH, AWS_S3_BUCKET), a value holding a stop word (password,
// secret, token, test, sample, dummy, fake…), user:placeholder, or base64 of
// user:placeholder; and when it starts with a known token prefix that the
// token's own detector refused (an AWS key id without its secret).
package secrets
