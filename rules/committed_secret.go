package rules

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/suggest"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/secrets"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// CommittedSecret: see docs/committed-secret.md.
var CommittedSecret = &Rule{ID: "committed-secret", File: checkCommittedSecrets, Pipeline: checkPipelineSecrets}

// checkCommittedSecrets finds secrets written in a file: plain-text values
// of secret-named fields in YAML/JSON documents (JCasC clientSecret,
// escape-hatch secret, credential passwords and keys, plugin tokens), and
// known token formats anywhere in the text (comments included).
func checkCommittedSecrets(in FileInput, out *FileResult) {
	f := in.File
	var taken [][2]int
	overlaps := func(s, e int) bool {
		for _, t := range taken {
			if s < t[1] && t[0] < e {
				return true
			}
		}
		return false
	}
	for _, root := range in.Docs {
		for _, kv := range kubernetesSecretData(root) {
			start, end, ok := scalarSpan(f, kv[1])
			if !ok || overlaps(start, end) {
				continue
			}
			what, found := encodedSecret(kv[0].Value, kv[1].Value)
			out.Secrets = append(out.Secrets, [2]int{start, end}) // encoded or not, masked
			if !found {
				continue
			}
			taken = append(taken, [2]int{start, end})
			out.Findings = append(out.Findings, report.Finding{
				Pos: f.PosAt(start), End: f.PosAt(end),
				Message: fmt.Sprintf("data.%s of a Kubernetes Secret holds %s, only base64-encoded (REDACTED): base64 is not encryption; revoke it, and keep the Secret out of the repository (External Secrets, Sealed Secrets, SOPS)",
					kv[0].Value, what),
			})
		}
	}
	for _, root := range in.Docs {
		walkSecretFields(root, func(sv secretScalar) {
			val, key := sv.val, sv.key
			if !masked(sv) {
				return
			}
			start, end, ok := scalarSpan(f, val)
			if !ok {
				return
			}
			// Every scalar a secret field holds is masked, whatever it is
			// judged to be: masking a placeholder costs nothing, missing a
			// secret that looks like one would leak it. Only a value that
			// is nothing but references (${OIDC_CLIENT_SECRET}) holds no
			// secret: masking it would keep --diff from showing the line.
			if !onlyReferences(val.Value) {
				out.Secrets = append(out.Secrets, [2]int{start, end})
			}
			if sv.maskOnly || !secretValue(val) || overlaps(start, end) {
				return // a Kubernetes Secret's data is judged above
			}
			class := secrets.ClassifyField(val.Value, in.Config.Placeholders)
			if class == secrets.Plain && (f.Kind != source.JCasC || sv.mapKey) && (!secrets.Plausible(val.Value) || sv.encrypted) {
				// In other programs' configuration a secret-named field
				// often names a secret (existingSecret: app-db-credentials)
				// or holds an encrypted one (SealedSecret encryptedData):
				// only a value shaped like a secret counts (and so for a
				// key of a map a secret field holds). An encrypted value
				// is left alone by the text scan below too; others still
				// meet its known token formats.
				if sv.encrypted || strings.HasPrefix(val.Value, "ENC[") {
					taken = append(taken, [2]int{start, end})
				}
				return
			}
			what := key.Value
			if sv.alias != "" {
				what += " (through the alias *" + sv.alias + ")"
			}
			switch class {
			case secrets.Plain:
				taken = append(taken, [2]int{start, end})
				name := envName(sv.parent, key.Value)
				fd := report.Finding{
					Pos: f.PosAt(start), End: f.PosAt(end),
					Message: fmt.Sprintf("%s holds a plain-text secret (%s) committed with the file: revoke it, and load it from a JCasC secret source such as ${%s} (environment, Docker/Kubernetes secret file, Vault)",
						what, secrets.Redact(val.Value), name),
				}
				if f.Kind == source.JCasC {
					// only JCasC resolves ${NAME}: in another program's
					// configuration the fix would break it; a value in a
					// list, an anchored or a tagged one has no fix of its own
					if !sv.nested && sv.alias == "" && start == plainStart(f, val) {
						fd.Fix = replaceScalar(f, tree.MarkOf(f, val), "${"+name+"}", "load the secret from ${"+name+"}")
					}
				} else {
					fd.Message = fmt.Sprintf("%s holds a plain-text secret (%s) committed with the file: revoke it, and have the program read it from the environment or a secret store",
						what, secrets.Redact(val.Value))
				}
				out.Findings = append(out.Findings, fd)
			case secrets.LiteralInReference:
				ls, le, ok := secrets.FieldLiteral(val.Value, in.Config.Placeholders)
				if !ok || val.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
					return
				}
				lit := val.Value[ls:le]
				weak := secrets.IsWeakPassword(lit)
				if f.Kind != source.JCasC && !secrets.Plausible(lit) {
					// ${POSTGRES_PASSWORD:-postgres} of a compose file: in
					// other programs' configuration only a default shaped
					// like a secret counts
					return
				}
				s, e := start+ls, start+le
				exact := string(f.Data[start:end]) == val.Value
				if !exact {
					s, e = start, end // escapes: point at the whole value
				}
				taken = append(taken, [2]int{s, e})
				fd := report.Finding{Pos: f.PosAt(s), End: f.PosAt(e),
					Message: fmt.Sprintf("%s commits a literal (%s) inside a reference: a ${VAR:-default} default or a ${base64:…} argument is written in the file, not looked up; drop the literal",
						what, secrets.Redact(lit))}
				if v := defaultOf(val.Value, ls); v != "" {
					if weak {
						fd.Message = fmt.Sprintf("%s falls back to a well-known weak password (%s) whenever %s is unset: the controller then runs with a password anyone can read in the repository, and the first one an attacker tries; drop the default so that a missing secret fails loudly",
							what, secrets.Redact(lit), v)
					}
					if exact && f.Kind == source.JCasC && sv.alias == "" {
						// ${VAR:-default} → ${VAR}
						fd.Fix = &report.Fix{Path: f.Path, Offset: s - 2, Length: e - s + 2, Description: "drop the default: ${" + v + "}"}
					}
				}
				out.Findings = append(out.Findings, fd)
			case secrets.Encrypted:
				taken = append(taken, [2]int{start, end})
				out.Findings = append(out.Findings, report.Finding{
					Severity: report.Note,
					Pos:      f.PosAt(start), End: f.PosAt(end),
					Message: fmt.Sprintf("%s holds a Jenkins-encrypted secret: it decrypts with this controller's key (anyone with the key or a copy of JENKINS_HOME reads it); prefer a secret source such as ${%s}",
						what, envName(sv.parent, key.Value)),
				})
			}
		})
	}
	for _, m := range secrets.Scan(f.Data) {
		if overlaps(m.Start, m.End) {
			continue
		}
		taken = append(taken, [2]int{m.Start, m.End})
		out.Secrets = append(out.Secrets, [2]int{m.Start, m.End})
		out.Findings = append(out.Findings, report.Finding{
			Pos: f.PosAt(m.Start), End: f.PosAt(m.End),
			Message: fmt.Sprintf("%s (%s) committed in the file: revoke it, then load it from a credential or secret store",
				m.Description, secrets.Redact(string(f.Data[m.Start:m.End]))),
		})
	}
	if len(in.Docs) == 0 && yamlPath(f.Path) {
		// A YAML file that does not parse has no tree to walk, and its
		// parse error shows the broken line: mask the values of secret
		// keys line by line, weak ones included.
		out.Secrets = append(out.Secrets, lineSecretValues(f.Data)...)
	}
}

func yamlPath(p string) bool {
	l := strings.ToLower(p)
	return strings.HasSuffix(l, ".yaml") || strings.HasSuffix(l, ".yml") || strings.HasSuffix(l, ".json")
}

// lineSecretValues finds, line by line, the values of secret-named keys
// (or near misses of them) of YAML or JSON text that does not parse: "key:
// value" and "- key: value", quoted, unterminated or plain (up to a
// comment), after any anchor and tag; the lines of a block scalar; the
// more-indented lines under a key that is one secret (password: and a list
// below); and the values anchored (&name) where a secret key reads an alias
// (*name).
func lineSecretValues(data []byte) [][2]int {
	aliases := map[string]bool{}
	out := lineValues(data, func(line []byte, i, le int) (int, bool) {
		ks, ke := i, i
		switch {
		case i < le && (data[i] == '"' || data[i] == '\''):
			q := data[i]
			ks = i + 1
			ke = ks
			for ke < le && data[ke] != q {
				ke++
			}
			i = ke + 1
		default:
			for ke < le && data[ke] != ':' && data[ke] != '#' {
				ke++
			}
			i = ke
		}
		if i >= le || data[i] != ':' || (i+1 < le && data[i+1] != ' ' && data[i+1] != '\t' && data[i+1] != '\r') {
			return -1, false
		}
		key := strings.TrimSpace(string(data[ks:ke]))
		_, near := nearSecretField(key)
		if key == "" || !secrets.IsSecretName(key) && !near {
			return -1, false
		}
		v := i + 1
		for v < le && (data[v] == ' ' || data[v] == '\t') {
			v++
		}
		if v < le && data[v] == '*' {
			e := v + 1
			for e < le && !isYAMLSpace(data[e]) && !strings.ContainsRune(",[]{}", rune(data[e])) {
				e++
			}
			aliases[string(data[v+1:e])] = true
		}
		return v, holdsOneSecret(key)
	})
	if len(aliases) > 0 {
		out = append(out, lineValues(data, func(line []byte, i, le int) (int, bool) {
			for k := i; k < le; k++ {
				if data[k] != '&' || k > i && !isYAMLSpace(data[k-1]) && !strings.ContainsRune(":-[{,", rune(data[k-1])) {
					continue
				}
				e := k + 1
				for e < le && !isYAMLSpace(data[e]) && !strings.ContainsRune(",[]{}", rune(data[e])) {
					e++
				}
				if aliases[string(data[k+1:e])] {
					return k, true
				}
			}
			return -1, false
		})...)
	}
	return out
}

// lineValues walks data line by line; at is called with the line and the
// index after its indentation and "- " marks, and returns where a value to
// mask starts (-1: none), and whether the lines below belong to it when the
// line ends there (whole). It masks the value: a quoted one (to its closing
// quote or the end of the line), a plain one (to a comment), the lines of
// a block scalar or of what a whole value holds below.
func lineValues(data []byte, at func(line []byte, i, le int) (v int, whole bool)) [][2]int {
	var out [][2]int
	blockIndent := -1 // inside a value's lines: the indent of its key's line
	for ls := 0; ls < len(data); {
		le := ls
		for le < len(data) && data[le] != '\n' {
			le++
		}
		next := le + 1
		i := ls
		for i < le && (data[i] == ' ' || data[i] == '\t') {
			i++
		}
		indent := i - ls
		if blockIndent >= 0 {
			if i == le || indent > blockIndent {
				if e := trimEnd(data, i, le); e > i {
					out = append(out, [2]int{i, e})
				}
				ls = next
				continue
			}
			blockIndent = -1
		}
		for i+1 < le && data[i] == '-' && data[i+1] == ' ' {
			i += 2
			for i < le && data[i] == ' ' {
				i++
			}
		}
		v, whole := at(data[ls:le], i, le)
		if v < 0 {
			ls = next
			continue
		}
		v = min(skipProperties(data[:le], v), le)
		switch {
		case v >= le || data[v] == '\r' || data[v] == '#':
			if whole {
				blockIndent = indent
			}
		case data[v] == '|' || data[v] == '>':
			blockIndent = indent
		case data[v] == '"' || data[v] == '\'':
			e := v + 1
			for e < le && data[e] != data[v] {
				if data[e] == '\\' && data[v] == '"' {
					e++
				}
				e++
			}
			e = min(e, le)
			if e == le {
				e = trimEnd(data, v+1, le)
			}
			if e > v+1 {
				out = append(out, [2]int{v + 1, e})
			}
		default:
			e := v
			for e < le && !(data[e] == '#' && (data[e-1] == ' ' || data[e-1] == '\t')) {
				e++
			}
			if e = trimEnd(data, v, e); e > v {
				out = append(out, [2]int{v, e})
			}
		}
		ls = next
	}
	return out
}

// trimEnd is e moved back over trailing white space, not before s.
func trimEnd(data []byte, s, e int) int {
	for e > s && (data[e-1] == ' ' || data[e-1] == '\t' || data[e-1] == '\r') {
		e--
	}
	return e
}

// secretScalar is one scalar that a secret field holds.
type secretScalar struct {
	parent, key *yaml.Node // the mapping and the secret-named key
	val         *yaml.Node // the scalar
	encrypted   bool       // under a key that names encrypted data (a SealedSecret's encryptedData)
	maskOnly    bool       // a near miss of a secret name: masked, not judged
	nested      bool       // inside a list or map the field holds
	mapKey      bool       // a key of such a map
	alias       string     // the alias (*name) the field reaches the value through
}

// walkSecretFields calls fn, in document order, for every scalar a
// secret-named key (or a near miss of one) holds: its value, the scalar an
// alias of it names (reported and masked where the anchor is, once), and,
// when the key names one secret (password, clientSecret: see
// holdsOneSecret), every scalar of a list or map it holds, keys included,
// whatever anchors, tags and quotes precede them. The walk is iterative and
// unbounded over the written tree (it is as large as the file); following
// aliases visits each anchored node once, so an alias bomb costs nothing.
func walkSecretFields(root *yaml.Node, fn func(secretScalar)) {
	if root == nil {
		return
	}
	seen := map[*yaml.Node]bool{} // scalars emitted, collections expanded through aliases
	// collect emits the scalars of n, the value of a secret field (whole:
	// lists and maps too).
	collect := func(base secretScalar, n *yaml.Node, whole bool) {
		type item struct {
			n      *yaml.Node
			nested bool
			mapKey bool
		}
		stack := []item{{n: n}}
		for len(stack) > 0 {
			it := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			n := it.n
			for hops := 0; n != nil && n.Kind == yaml.AliasNode && hops < 100; hops++ {
				if base.alias == "" && !it.nested {
					base.alias = n.Value
				}
				n = n.Alias
			}
			if n == nil || seen[n] {
				continue
			}
			switch n.Kind {
			case yaml.ScalarNode:
				seen[n] = true
				sv := base
				sv.val, sv.nested, sv.mapKey = n, it.nested, it.mapKey
				fn(sv)
			case yaml.SequenceNode, yaml.MappingNode:
				if !whole {
					continue
				}
				seen[n] = true
				for i := len(n.Content) - 1; i >= 0; i-- {
					stack = append(stack, item{n: n.Content[i], nested: true, mapKey: n.Kind == yaml.MappingNode && i%2 == 0})
				}
			}
		}
	}
	type frame struct {
		n         *yaml.Node
		encrypted bool
	}
	stack := []frame{{n: root}}
	for len(stack) > 0 {
		fr := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := fr.n
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if k.Kind != yaml.ScalarNode {
					continue
				}
				report, mask := true, secrets.IsSecretName(k.Value)
				if !mask {
					report, mask = nearSecretField(k.Value)
				}
				if mask {
					base := secretScalar{parent: n, key: k, encrypted: fr.encrypted, maskOnly: !report}
					collect(base, v, holdsOneSecret(k.Value))
				}
			}
		}
		for i := len(n.Content) - 1; i >= 0; i-- {
			c := n.Content[i]
			enc := fr.encrypted
			if n.Kind == yaml.MappingNode && i%2 == 1 {
				enc = enc || strings.Contains(strings.ToLower(n.Content[i-1].Value), "encrypted")
			}
			stack = append(stack, frame{n: c, encrypted: enc})
		}
	}
}

// holdsOneSecret reports whether a key names one secret, so that whatever
// it holds is the secret: one secret word (password, clientSecret,
// apiToken, privateKey), the JCasC secret fields, and slips of them
// (clientSecert);
// not structures that contain a secret (usernamePassword, idToken,
// credentials), whose lists and maps are configuration.
func holdsOneSecret(name string) bool {
	if secrets.IsSecretWord(name) {
		return true
	}
	for _, f := range secretFields {
		if strings.EqualFold(name, f) {
			return true
		}
	}
	return typoOfAny(name, typoWords) || typoOfAny(name, lowerFields())
}

// lowerFields are secretFields in lower case.
var lowerFields = sync.OnceValue(func() []string {
	out := make([]string, len(secretFields))
	for i, f := range secretFields {
		out[i] = strings.ToLower(f)
	}
	return out
})

// kubernetesSecretData returns the key and value nodes of data: in a
// Kubernetes Secret manifest (kind: Secret), whose values are base64.
func kubernetesSecretData(root *yaml.Node) [][2]*yaml.Node {
	if root == nil || root.Kind != yaml.MappingNode {
		return nil
	}
	_, kind := tree.Get(root, "kind")
	if kind == nil || kind.Value != "Secret" {
		return nil
	}
	var out [][2]*yaml.Node
	for _, p := range tree.Pairs(tree.Lookup(root, "data")) {
		if p.Value != nil && p.Value.Kind == yaml.ScalarNode && p.Value.Value != "" {
			out = append(out, [2]*yaml.Node{p.Key, p.Value})
		}
	}
	return out
}

// encodedSecret decodes a Secret's base64 value and says what secret it
// holds: a known token format or private key, or, under a secret-named key,
// a value shaped like a secret.
func encodedSecret(key, value string) (string, bool) {
	dec, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(value), ""))
	if err != nil || len(dec) == 0 || bytes.IndexByte(dec, 0) >= 0 {
		return "", false
	}
	if ms := secrets.Scan(dec); len(ms) > 0 {
		return ms[0].Description, true
	}
	v := strings.TrimSpace(string(dec))
	if secrets.IsSecretName(key) && secrets.ClassifyField(v, nil) == secrets.Plain && secrets.Plausible(v) {
		return "a plain-text secret", true
	}
	return "", false
}

// defaultOf names the variable whose ${VAR:-default} default starts at
// v[ls:], or "" when the literal is no such default.
func defaultOf(v string, ls int) string {
	if ls < 2 || v[ls-2:ls] != ":-" {
		return ""
	}
	k := strings.LastIndex(v[:ls-2], "${")
	if k < 0 {
		return ""
	}
	name := v[k+2 : ls-2]
	if name == "" || strings.ContainsAny(name, "${}: ") {
		return ""
	}
	return name
}

// masked tells whether a scalar a secret field holds is masked: all but
// booleans and nulls, and but the keys of a map that are plain words
// (apiToken: {usageStatisticsEnabled: true} is a block of settings).
func masked(sv secretScalar) bool {
	if sv.val.Tag == "!!bool" || sv.val.Tag == "!!null" {
		return false
	}
	if sv.mapKey {
		for i := 0; i < len(sv.val.Value); i++ {
			c := sv.val.Value[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-') {
				return true
			}
		}
		return false
	}
	return true
}

// secretValue reports whether a field's value can hold a secret: a string
// (whatever its tag: !secret, !!binary), or a long number (a numeric
// password or client secret); booleans, nulls and short numbers are
// switches and sizes.
func secretValue(v *yaml.Node) bool {
	if v.Kind != yaml.ScalarNode || v.Value == "" {
		return false
	}
	switch v.Tag {
	case "!!bool", "!!null":
		return false
	case "!!int", "!!float":
		return len(v.Value) >= 8
	}
	return true
}

// secretFields are JCasC's secret field names whose misspellings must still
// be treated as secret (jcasc-schema reports the typo and shows the line).
var secretFields = []string{"clientSecret", "escapeHatchSecret", "secretBytes", "privateKey", "secretKey", "passphrase", "uploadedKeystore", "password"}

// maskedFields are further secret words whose near misses are too short to
// report safely (secure, secrets…) but whose values are masked all the same.
var maskedFields = sync.OnceValue(func() []string { return append([]string{"secret", "passwd", "token"}, secretFields...) })

// nearSecretField tells whether name is a near miss of a secret field name
// (clientSecert, passwrod): report when its value is to be judged as a
// secret, mask when it is only to be kept out of every output. Every string
// field of every YAML and JSON document asks, and key names repeat, so the
// answers are remembered (up to a bound: keys may be generated).
func nearSecretField(name string) (report, mask bool) {
	if len(name) < 6 {
		return false, false
	}
	nearMu.Lock()
	v, ok := nearMemo[name]
	nearMu.Unlock()
	if ok {
		return v[0], v[1]
	}
	if len(name) >= 8 && suggest.Closest(name, secretFields) != "" || typoOfAny(name, typoWords) {
		report, mask = true, true
	} else {
		mask = suggest.Closest(name, maskedFields()) != ""
	}
	nearMu.Lock()
	if len(nearMemo) < 10000 {
		nearMemo[name] = [2]bool{report, mask}
	}
	nearMu.Unlock()
	return report, mask
}

var (
	nearMu   sync.Mutex
	nearMemo = map[string][2]bool{}
)

// typoWords are the short secret field names whose typing slips
// (pasword, secert) are reported like the names themselves: edit distance
// is too loose for them (secure, secrets), one slip of a finger is not.
var typoWords = []string{"password", "passwd", "secret", "passphrase"}

// typoOfAny reports whether name is one slip away from one of words (see
// typoOf), ignoring case.
func typoOfAny(name string, words []string) bool {
	l := strings.ToLower(name)
	for _, w := range words {
		if typoOf(l, w) {
			return true
		}
	}
	return false
}

// typoOf reports whether name is word with one slip of a finger: two
// neighbouring letters swapped (secert), one letter left out (pasword), or
// one letter typed twice (passsword). A plural (secrets) is a word of its
// own, not a slip.
func typoOf(name, word string) bool {
	switch len(name) - len(word) {
	case 0:
		i := 0
		for i < len(name) && name[i] == word[i] {
			i++
		}
		return i+1 < len(name) && name[i] == word[i+1] && name[i+1] == word[i] && name[i+2:] == word[i+2:]
	case -1:
		for i := 0; i < len(word); i++ {
			if name == word[:i]+word[i+1:] {
				return i > 0
			}
		}
	case 1:
		for i := 0; i+1 < len(name); i++ {
			if name[i] == name[i+1] && name[:i]+name[i+1:] == word {
				return true
			}
		}
	}
	return false
}

// scalarSpan is the byte range of a scalar's text: inside its quotes, from
// the first to the last character of a plain or block scalar, after any
// anchor (&a), tag (!!str, !secret) and line break that precede it (yaml.v3
// places a node at its first property).
func scalarSpan(f *source.File, n *yaml.Node) (start, end int, ok bool) {
	if n.Line == 0 {
		return 0, 0, false
	}
	data := f.Data
	p := skipProperties(data, f.Offset(n.Line, n.Column))
	if p >= len(data) {
		return 0, 0, false
	}
	switch data[p] {
	case '"':
		for i := p + 1; i < len(data); i++ {
			switch data[i] {
			case '\\':
				i++
			case '"':
				return p + 1, i, i > p+1
			}
		}
		return p + 1, len(data), len(data) > p+1
	case '\'':
		for i := p + 1; i < len(data); i++ {
			if data[i] == '\'' {
				if i+1 < len(data) && data[i+1] == '\'' {
					i++
					continue
				}
				return p + 1, i, i > p+1
			}
		}
		return p + 1, len(data), len(data) > p+1
	case '|', '>':
		if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
			break
		}
		from := p
		for from < len(data) && data[from] != '\n' {
			from++
		}
		if s, e, ok := matchValue(data, from, n.Value); ok {
			return s, e, true
		}
		return blockSpan(f, from)
	default:
		if s, e, ok := matchValue(data, p, n.Value); ok && s == p {
			return s, e, true
		}
	}
	// Fall back to the rest of the line (a trailing comment excluded).
	e := p
	for e < len(data) && data[e] != '\n' && data[e] != '\r' && !(data[e] == '#' && e > p && (data[e-1] == ' ' || data[e-1] == '\t')) {
		e++
	}
	for e > p && (data[e-1] == ' ' || data[e-1] == '\t') {
		e--
	}
	return p, e, e > p
}

// plainStart is where a scalar's text starts when nothing precedes it: its
// node's offset, after the opening quote of a quoted scalar.
func plainStart(f *source.File, n *yaml.Node) int {
	off := f.Offset(n.Line, n.Column)
	if off < len(f.Data) && (f.Data[off] == '"' || f.Data[off] == '\'') {
		off++
	}
	return off
}

// skipProperties skips the anchor and tag at p (&a !!str, !<tag:x>), and the
// spaces, line breaks and comments after them, to the scalar's own text.
func skipProperties(data []byte, p int) int {
	for p < len(data) && (data[p] == '&' || data[p] == '!') {
		if data[p] == '!' && p+1 < len(data) && data[p+1] == '<' {
			for p < len(data) && data[p] != '>' && data[p] != '\n' {
				p++
			}
		}
		for p < len(data) && !isYAMLSpace(data[p]) && data[p] != ',' && data[p] != '[' && data[p] != ']' && data[p] != '{' && data[p] != '}' {
			p++
		}
		for p < len(data) {
			switch c := data[p]; {
			case isYAMLSpace(c):
				p++
				continue
			case c == '#' && isYAMLSpace(data[p-1]):
				for p < len(data) && data[p] != '\n' {
					p++
				}
				continue
			}
			break
		}
	}
	return p
}

func isYAMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// matchValue finds the text of value in data from `from` on, character by
// character with white space skipped on both sides (plain and block scalars
// have no escapes; folding and indentation change only white space): the
// span from its first to its last character.
func matchValue(data []byte, from int, value string) (start, end int, ok bool) {
	i, start := from, -1
	for k := 0; k < len(value); k++ {
		c := value[k]
		if isYAMLSpace(c) {
			continue
		}
		for i < len(data) && isYAMLSpace(data[i]) {
			i++
		}
		if i >= len(data) || data[i] != c {
			return 0, 0, false
		}
		if start < 0 {
			start = i
		}
		i++
	}
	return start, i, start >= 0
}

// blockSpan is the content of the block scalar whose header line ends at
// from, when its value could not be matched: the more-indented lines below.
func blockSpan(f *source.File, from int) (start, end int, ok bool) {
	data := f.Data
	start = from
	for start < len(data) && isYAMLSpace(data[start]) {
		start++
	}
	end = start
	indent := -1
	for l := f.PosAt(min(from+1, len(data))).Line; l <= f.LineCount(); l++ {
		line := f.Line(l)
		t := strings.TrimLeft(string(line), " ")
		if strings.TrimSpace(t) == "" {
			continue
		}
		ind := len(line) - len(t)
		if indent < 0 {
			indent = ind
		}
		if ind < indent {
			break
		}
		end = f.Offset(l, 1) + len(strings.TrimRight(string(line), " \t\r"))
	}
	return start, end, end > start
}

var nonWord = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^A-Za-z0-9]+`) })

// envName suggests a variable name for a secret: OIDC_CLIENT_SECRET for the
// realm's client secret, <ID>_<FIELD> for a credential with an id.
func envName(parent *yaml.Node, key string) string {
	switch key {
	case "clientSecret":
		return "OIDC_CLIENT_SECRET"
	case "escapeHatchSecret":
		return "OIDC_ESCAPE_HATCH_SECRET"
	}
	prefix := ""
	if id := tree.StrOf(parent, "id"); id.NonEmpty() && !tree.IsVariable(id.Value) {
		prefix = id.Value + "_"
	}
	return strings.ToUpper(strings.Trim(nonWord().ReplaceAllString(prefix+snake(key), "_"), "_"))
}

// snake turns camelCase into snake_case.
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' && i > 0 {
			b.WriteByte('_')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// onlyReferences reports whether v is nothing but JCasC references, each
// ${…} (nested ones included) resolved at run time: no text outside them,
// no default or literal argument inside (secrets.Reference).
func onlyReferences(v string) bool {
	t := strings.TrimSpace(v)
	if t == "" || secrets.ClassifyField(t, nil) != secrets.Reference {
		return false
	}
	for len(t) > 0 {
		if !strings.HasPrefix(t, "${") {
			return false
		}
		depth, i := 0, 0
		for ; i < len(t); i++ {
			if strings.HasPrefix(t[i:], "${") {
				depth++
				i++
				continue
			}
			if t[i] == '}' {
				depth--
				if depth == 0 {
					break
				}
			}
		}
		if depth != 0 {
			return false
		}
		t = t[i+1:]
	}
	return true
}
