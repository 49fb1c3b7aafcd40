package idtoken

import (
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/trust"
)

// StandardClaims may not be set by a claim template
// (IdTokenCredentials.STANDARD_CLAIMS): a token with one fails.
var StandardClaims = []string{"iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "nbf", "jti"}

// Template is one claim template: {name, format, type}.
type Template struct {
	Name   trust.Value
	Format trust.Value // after JCasC: ^${X} is ${X}; Unknown when JCasC resolves a ${X} itself
	// Type is "string", "boolean" or "integer" (zero: string, the default).
	Type  trust.Value
	Where trust.Span
	// Default is set for the plugin's built-in templates (no place).
	Default bool
}

// TypeName is the template's type, "string" when unset.
func (t Template) TypeName() string {
	if t.Type.Known && t.Type.Text != "" {
		return t.Type.Text
	}
	return "string"
}

// Templates is one list of templates. A list written in JCasC replaces the
// plugin's default for that list, even when empty.
type Templates struct {
	List []Template
	// Set is set when JCasC writes the list; Key spans its key.
	Set bool
	Key trust.Span
}

// The plugin's defaults (IdTokenConfiguration).
var (
	DefaultClaimTemplates       = []Template{}
	DefaultBuildClaimTemplates  = []Template{defTemplate("sub", "${JOB_URL}", "string"), defTemplate("build_number", "${BUILD_NUMBER}", "integer")}
	DefaultGlobalClaimTemplates = []Template{defTemplate("sub", "${JENKINS_URL}", "string")}
)

func defTemplate(name, format, typ string) Template {
	return Template{Name: trust.Value{Text: name, Known: true}, Format: trust.Value{Text: format, Known: true},
		Type: trust.Value{Text: typ, Known: true}, Default: true}
}

// Config is security.idToken with the plugin's defaults filled in.
type Config struct {
	// Key spans security.idToken (zero when absent).
	Key           trust.Span
	TokenLifetime trust.Value // seconds; zero: 3600
	// ClaimTemplates apply to every token; BuildClaimTemplates to tokens
	// of builds, GlobalClaimTemplates to tokens outside builds.
	ClaimTemplates, BuildClaimTemplates, GlobalClaimTemplates Templates
	// Problems are templates that make tokens fail or read what the
	// writer did not mean: a sub missing from a list that was set, a
	// standard claim's name, a format JCasC resolves itself (${X} where
	// ^${X} was meant), an unknown type, an integer that is not one.
	Problems []Problem
}

// defaultConfig is the Config of every document that does not write
// security.idToken: the plugin's defaults. Shared: never modified.
var defaultConfig = &Config{
	ClaimTemplates:       Templates{List: DefaultClaimTemplates},
	BuildClaimTemplates:  Templates{List: DefaultBuildClaimTemplates},
	GlobalClaimTemplates: Templates{List: DefaultGlobalClaimTemplates},
}

func readConfig(f *source.File, root *yaml.Node) *Config {
	var c Config
	k, it := tree.Get(tree.Lookup(root, "security"), "idToken")
	if k == nil {
		// it is nil: every list is the default, and no problem is found
		return defaultConfig
	}
	c.Key = span(f, k)
	c.TokenLifetime = field(f, it, "tokenLifetime")
	read := func(key string, def []Template) Templates {
		kk, list := tree.Get(it, key)
		if kk == nil || tree.IsNull(list) {
			return Templates{List: def}
		}
		ts := Templates{Set: true, Key: span(f, kk), List: []Template{}}
		for _, item := range tree.Items(list) {
			t := Template{Name: field(f, item, "name"), Format: field(f, item, "format"), Where: span(f, item)}
			if _, tn := tree.Get(item, "type"); tn != nil {
				t.Type = typeValue(f, tn)
			}
			ts.List = append(ts.List, t)
			c.Problems = append(c.Problems, checkTemplate(key, t)...)
		}
		return ts
	}
	c.ClaimTemplates = read("claimTemplates", DefaultClaimTemplates)
	c.BuildClaimTemplates = read("buildClaimTemplates", DefaultBuildClaimTemplates)
	c.GlobalClaimTemplates = read("globalClaimTemplates", DefaultGlobalClaimTemplates)
	for _, l := range []struct {
		key  string
		list Templates
	}{{"buildClaimTemplates", c.BuildClaimTemplates}, {"globalClaimTemplates", c.GlobalClaimTemplates}} {
		if !c.ClaimTemplates.Set && !l.list.Set {
			continue
		}
		if !hasSub(c.ClaimTemplates.List) && !hasSub(l.list.List) {
			sp := l.list.Key
			if !l.list.Set {
				sp = c.ClaimTemplates.Key
			}
			what := "build tokens"
			if l.key == "globalClaimTemplates" {
				what = "tokens outside builds"
			}
			c.Problems = append(c.Problems, Problem{Span: sp, Message: "no claim template sets sub for " + what + " (claimTemplates or " + l.key + "): the plugin refuses to issue them (\"An id token claim template must specify sub\")"})
		}
	}
	return &c
}

// typeValue reads a template's type: a string ("integer"), or a
// describable written as a mapping ({integer: {}}) or with the class name.
func typeValue(f *source.File, n *yaml.Node) trust.Value {
	if tree.IsScalar(n) {
		v := cascValue(f, n)
		v.Text = normalizeType(v.Text)
		return v
	}
	for _, p := range tree.Pairs(n) {
		v := cascValue(f, p.Key)
		v.Text = normalizeType(v.Text)
		return v
	}
	return trust.Value{Span: span(f, n)}
}

func normalizeType(s string) string {
	l := strings.ToLower(s)
	l = strings.TrimSuffix(l, "claimtype")
	switch l {
	case "string", "boolean", "integer":
		return l
	}
	return s
}

func hasSub(ts []Template) bool {
	for _, t := range ts {
		if t.Name.Known && t.Name.Text == "sub" {
			return true
		}
	}
	return false
}

func checkTemplate(list string, t Template) []Problem {
	var out []Problem
	at := t.Where
	if t.Name.IsSet() {
		at = t.Name.Span
	}
	switch {
	case !t.Name.IsSet() || t.Name.Known && t.Name.Text == "":
		out = append(out, Problem{Span: at, Message: list + ": a claim template needs a name"})
	case t.Name.Known:
		for _, s := range StandardClaims {
			if t.Name.Text == s {
				out = append(out, Problem{Span: at, Message: list + ": claim " + s + " is set by the plugin; a template for it makes every token fail (\"An id token claim template must not specify " + s + "\")"})
			}
		}
	}
	if !t.Format.Known {
		for _, p := range t.Format.Parts {
			if !p.Known {
				out = append(out, Problem{Span: t.Format.Span, Message: list + ": " + p.Text + " in a claim template's format is resolved by JCasC when it loads, not by the plugin per build; write ^" + p.Text})
				break
			}
		}
		if t.Format.Parts == nil && t.Format.Ref != "" {
			out = append(out, Problem{Span: t.Format.Span, Message: list + ": " + t.Format.Text + " in a claim template's format is resolved by JCasC when it loads, not by the plugin per build; write ^" + t.Format.Text})
		}
	}
	if t.Type.IsSet() && t.Type.Known {
		switch t.Type.Text {
		case "string", "boolean", "integer":
		default:
			out = append(out, Problem{Span: t.Type.Span, Message: list + ": unknown claim type " + strconv.Quote(t.Type.Text) + " (string, boolean or integer)"})
		}
	}
	if t.TypeName() == "integer" && t.Format.Known && !strings.Contains(t.Format.Text, "$") {
		if _, err := strconv.ParseInt(t.Format.Text, 10, 32); err != nil {
			out = append(out, Problem{Span: t.Format.Span, Message: list + ": format " + strconv.Quote(t.Format.Text) + " is not an integer: every token fails"})
		}
	}
	return out
}

// Job is a job a build runs in.
type Job struct {
	// FullName is the job's full name, folders and the multibranch project
	// included: ["team", "app", "PR-42"].
	FullName []string
	// Branch is set for a branch or pull-request job of a multibranch
	// project (the last name): BRANCH_NAME. ChangeID is the pull request's
	// number (PR-42 → 42): CHANGE_ID.
	Branch, ChangeID string
	// BuildNumber is "" when not known.
	BuildNumber string
}

// ParseJob reads a job from a URL (https://ci/job/a/job/b/, with or without
// the root URL) or a full name ("a/b"). branch or pr (a number, or PR-42)
// add a multibranch project's branch or pull-request job.
func ParseJob(s, branch, pr string) Job {
	var names []string
	if strings.Contains(s, "/job/") || strings.HasPrefix(s, "job/") {
		rest := s
		if i := strings.Index(rest, "/job/"); i >= 0 && !strings.HasPrefix(rest, "job/") {
			rest = rest[i+1:]
		}
		segs := strings.Split(strings.Trim(rest, "/"), "/")
		for i := 0; i+1 < len(segs); i += 2 {
			if segs[i] != "job" {
				break
			}
			names = append(names, rawDecode(segs[i+1]))
		}
	} else {
		for _, n := range strings.Split(strings.Trim(s, "/"), "/") {
			if n != "" {
				names = append(names, n)
			}
		}
	}
	j := Job{FullName: names}
	switch {
	case pr != "":
		id := strings.TrimPrefix(pr, "PR-")
		j.FullName = append(j.FullName, "PR-"+id)
		j.Branch, j.ChangeID = "PR-"+id, id
	case branch != "":
		j.FullName = append(j.FullName, branch)
		j.Branch = branch
	}
	return j
}

func rawDecode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// URL is the job's path under the root URL: job/a/job/b/.
func (j Job) URL() string {
	var b strings.Builder
	for _, n := range j.FullName {
		b.WriteString("job/")
		b.WriteString(RawEncode(n))
		b.WriteString("/")
	}
	return b.String()
}

// Env is the environment a build of j has for claim templates, as far as
// this controller tells it: JENKINS_URL, JOB_URL, JOB_NAME,
// JOB_BASE_NAME, BUILD_URL, BUILD_TAG, BUILD_NUMBER, BUILD_ID, BRANCH_NAME,
// CHANGE_ID. A variable whose value is not known is absent.
func (c *Controller) Env(j Job) map[string]string {
	env := map[string]string{}
	root := ""
	if c.RootURL.Known && c.RootURL.Text != "" {
		root = c.RootURL.Text
		if !strings.HasSuffix(root, "/") {
			root += "/"
		}
		env["JENKINS_URL"] = root
		env["JOB_URL"] = root + j.URL()
	}
	if len(j.FullName) > 0 {
		env["JOB_NAME"] = strings.Join(j.FullName, "/")
		env["JOB_BASE_NAME"] = j.FullName[len(j.FullName)-1]
	}
	if j.BuildNumber != "" {
		env["BUILD_NUMBER"] = j.BuildNumber
		env["BUILD_ID"] = j.BuildNumber
		if root != "" {
			env["BUILD_URL"] = root + j.URL() + j.BuildNumber + "/"
		}
		if name, ok := env["JOB_NAME"]; ok {
			env["BUILD_TAG"] = "jenkins-" + strings.ReplaceAll(name, "/", "-") + "-" + j.BuildNumber
		}
	}
	if j.Branch != "" {
		env["BRANCH_NAME"] = j.Branch
	}
	if j.ChangeID != "" {
		env["CHANGE_ID"] = j.ChangeID
	}
	return env
}

// Claim is one claim of a token.
type Claim struct {
	Name string
	// Value is the claim's text (a boolean or integer claim's too). Known
	// is false when it depends on what the tool cannot know (a variable of
	// the build's environment, a JCasC variable): Value then holds the
	// format with the unknown ${…} left in, and Vars names them.
	Value string
	Known bool
	Vars  []string
	// Present is false for an aud the credential does not set.
	Present bool
	Type    string // "string", "boolean", "integer"
	// From is where it comes from: the credential's field, the root URL,
	// the template (zero for a default template).
	From trust.Span
}

// Token is what a build's token from one credential carries.
type Token struct {
	Credential *Credential
	Iss, Aud   Claim
	// Claims are the template claims (sub first), in the order the plugin
	// adds them: claimTemplates, then buildClaimTemplates (a later
	// template of the same name wins).
	Claims []Claim
	// Fails says why the plugin would refuse to issue it ("" when it
	// issues it, as far as the tool knows).
	Fails string
}

// Claim returns the named template claim (sub, build_number, …).
func (t Token) Claim(name string) (Claim, bool) {
	for _, c := range t.Claims {
		if c.Name == name {
			return c, true
		}
	}
	return Claim{}, false
}

// Claims computes the token a build of j gets from cred, as
// IdTokenCredentials.token does: iss is the credential's issuer (its
// override, else its folder's or the root issuer), aud its audience
// (absent when unset), and each template's format with the build's
// variables replaced (Util.replaceMacro: $X and ${X}).
func (c *Controller) Claims(cred *Credential, j Job) Token {
	env := c.Env(j)
	tok := Token{Credential: cred}
	tok.Iss = Claim{Name: "iss", Value: cred.Issuer.Text, Known: cred.Issuer.Known, Present: true, Type: "string", From: cred.Issuer.Span}
	if !cred.Issuer.Known {
		tok.Iss.Vars = unknownVars(cred.Issuer)
	}
	if cred.Audience.IsSet() && !(cred.Audience.Known && cred.Audience.Text == "") {
		tok.Aud = Claim{Name: "aud", Value: cred.Audience.Text, Known: cred.Audience.Known, Present: true, Type: "string", From: cred.Audience.Span}
	}
	lists := [][]Template{c.Config.ClaimTemplates.List, c.Config.BuildClaimTemplates.List}
	sub := false
	for _, l := range lists {
		for _, t := range l {
			if !t.Name.Known {
				continue
			}
			for _, s := range StandardClaims {
				if t.Name.Text == s && tok.Fails == "" {
					tok.Fails = "a claim template sets " + s
				}
			}
			sub = sub || t.Name.Text == "sub"
			cl := Claim{Name: t.Name.Text, Present: true, Type: t.TypeName(), From: t.Where}
			if t.Format.Known {
				cl.Value, cl.Vars = replaceMacro(t.Format.Text, env)
				cl.Known = len(cl.Vars) == 0
			} else {
				// JCasC resolves it when it loads: not the build's value
				cl.Value, cl.Vars = t.Format.Text, unknownVars(t.Format)
			}
			if cl.Known && cl.Type == "integer" {
				if _, err := strconv.ParseInt(cl.Value, 10, 32); err != nil && tok.Fails == "" {
					tok.Fails = "claim " + cl.Name + " is not an integer: " + strconv.Quote(cl.Value)
				}
			}
			if cl.Known && cl.Type == "boolean" {
				cl.Value = strconv.FormatBool(strings.EqualFold(cl.Value, "true"))
			}
			replaced := false
			for i := range tok.Claims {
				if tok.Claims[i].Name == cl.Name {
					tok.Claims[i], replaced = cl, true
				}
			}
			if !replaced {
				tok.Claims = append(tok.Claims, cl)
			}
		}
	}
	if !sub && tok.Fails == "" {
		tok.Fails = "no claim template sets sub"
	}
	sort.SliceStable(tok.Claims, func(a, b int) bool { return tok.Claims[a].Name == "sub" && tok.Claims[b].Name != "sub" })
	return tok
}

func unknownVars(v trust.Value) []string {
	if v.Ref != "" {
		return []string{v.Ref}
	}
	var out []string
	for _, p := range v.Parts {
		if !p.Known {
			out = append(out, p.Ref)
		}
	}
	if out == nil {
		out = []string{v.Text}
	}
	return out
}

// replaceMacro replaces $NAME and ${NAME} with env's values as Jenkins'
// Util.replaceMacro does; a variable env lacks is left as written and
// named in missing.
func replaceMacro(s string, env map[string]string) (string, []string) {
	var b strings.Builder
	var missing []string
	for i := 0; i < len(s); {
		if s[i] != '$' || i+1 == len(s) {
			b.WriteByte(s[i])
			i++
			continue
		}
		var name string
		end := i + 1
		if s[i+1] == '{' {
			j := strings.IndexByte(s[i:], '}')
			if j < 0 {
				b.WriteByte(s[i])
				i++
				continue
			}
			name, end = s[i+2:i+j], i+j+1
			if !macroName(name, true) {
				b.WriteByte(s[i])
				i++
				continue
			}
		} else {
			for end < len(s) && macroByte(s[end]) {
				end++
			}
			name = s[i+1 : end]
			if name == "" {
				b.WriteByte(s[i])
				i++
				continue
			}
		}
		if v, ok := env[name]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(s[i:end])
			missing = append(missing, name)
		}
		i = end
	}
	return b.String(), missing
}

func macroByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func macroName(s string, dots bool) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !macroByte(s[i]) && !(dots && s[i] == '.') {
			return false
		}
	}
	return true
}
