package jenkinsfile

import (
	"sort"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// File is a parsed Jenkinsfile or shared-library script with the typed
// views rules read. Every list is in source order.
type File struct {
	Src    *source.File
	Tokens []Token // the comment and string tokens, in order (the rest lives in the tree)
	Root   *Block  // the top-level statements

	Declarative bool       // a pipeline { } block was found
	Scripted    bool       // a node { } block was found outside pipeline { }
	Pipeline    *Call      // the (first) pipeline { } call
	Sections    []*Section // the pipeline's directives: agent, environment, options, parameters, stages, post…
	Stages      []*Stage   // declarative and scripted stages, nested ones included
	Steps       []*Step    // shell steps: sh, bat, powershell, pwsh
	Echoes      []*Step    // echo, print, println (Groovy-side output)
	Bindings    []*Binding // withCredentials bindings and environment credentials()
	Uses        []*CredentialUse
	Env         []*EnvVar // environment { }, withEnv([…]) and env.X = … assignments
	Params      []*Param  // parameters { } / parameters([…])
	Assignments []*Assignment
	Funcs       []*FuncDecl // method definitions (def call(…) in vars/*.groovy)

	processed map[Node]bool
	global    []*EnvVar // env.X assignments so far during the walk
	text      string    // the source as a string: values are substrings of it
	pos       *posIndex
}

// Value is an argument value with its position. For a string literal Text
// is the decoded text (an interpolated string shows its interpolations as
// written, "${expr}"); for a number or boolean the literal; for any other
// expression its source text.
type Value struct {
	Text    string
	Literal bool // a string without interpolation, a number or a boolean
	Off     int
	End     int
	Pos     report.Position
	Node    Node
	dec     *Decoded
	base    int
}

// Valid reports whether the value was present in the source.
func (v Value) Valid() bool { return v.Node != nil }

// OffsetAt maps index i of Text to its source offset (exact inside string
// literals, escapes included).
func (v Value) OffsetAt(i int) int {
	if v.dec != nil {
		return v.dec.Offset(v.base + i)
	}
	if i > v.End-v.Off {
		i = v.End - v.Off
	}
	return v.Off + i
}

// Section is a directive of a pipeline or stage block.
type Section struct {
	Name string
	Pos  report.Position
	Call *Call
}

// Stage is a stage('name') { … } block, declarative or scripted.
type Stage struct {
	Name     Value
	Pos      report.Position // of the word "stage"
	Call     *Call
	Parent   *Stage
	Sections []*Section // declarative directives: steps, environment, when, post, stages, parallel… (none in scripted pipelines)
}

// Step is a call of a shell step (or of echo for Echoes) with its script.
type Step struct {
	Name   string // sh, bat, powershell, pwsh; echo, print, println
	Pos    report.Position
	Call   *Call
	Script Node // the script argument (positional or script:), nil if none
	// Strings are the string literal tokens the script is made of, in
	// order ('a' + "b" gives two).
	Strings []*Token
	// Text is the script as one text: string pieces decoded, interpolations
	// and non-string operands shown as ${source}. Text.Offset maps back.
	Text *Decoded
	// Literal: the script is only string literals without interpolation.
	Literal bool
	// From is set when the script is a variable (sh cmd): the last
	// assignment of a string to it before the step, whose value then gives
	// Strings and Text.
	From  *Assignment
	Stage *Stage

	scope   *scope
	file    *File
	envSeen int
}

// ScopedVar is a variable a credential binding makes visible to a step.
type ScopedVar struct {
	Name    string
	Role    string // variable, usernameVariable, passwordVariable, keyFileVariable, …; "env" for environment credentials()
	Binding *Binding
}

// InScope lists the credential variables bound around the step by
// enclosing withCredentials blocks and pipeline- and stage-level
// environment credentials(), innermost first; a name bound twice appears
// once, from the innermost binding.
func (s *Step) InScope() []ScopedVar {
	var out []ScopedVar
	seen := map[string]bool{}
	for sc := s.scope; sc != nil; sc = sc.parent {
		for i := len(sc.bindings) - 1; i >= 0; i-- {
			b := sc.bindings[i]
			for _, v := range b.Vars {
				if !seen[v.Name] {
					seen[v.Name] = true
					out = append(out, ScopedVar{Name: v.Name, Role: v.Role, Binding: b})
				}
			}
		}
	}
	return out
}

// Credential returns the binding of credential variable name in scope.
func (s *Step) Credential(name string) (ScopedVar, bool) {
	for _, v := range s.InScope() {
		if v.Name == name {
			return v, true
		}
	}
	return ScopedVar{}, false
}

// Bindings lists the credential bindings around the step, innermost first.
func (s *Step) Bindings() []*Binding {
	var out []*Binding
	for sc := s.scope; sc != nil; sc = sc.parent {
		for i := len(sc.bindings) - 1; i >= 0; i-- {
			out = append(out, sc.bindings[i])
		}
	}
	return out
}

// Env lists the environment variables set around the step: enclosing
// withEnv and environment { } (innermost first), then env.X assignments
// that come before it in the file (last first).
func (s *Step) Env() []*EnvVar {
	var out []*EnvVar
	for sc := s.scope; sc != nil; sc = sc.parent {
		for i := len(sc.env) - 1; i >= 0; i-- {
			out = append(out, sc.env[i])
		}
	}
	for i := s.envSeen - 1; i >= 0; i-- {
		out = append(out, s.file.global[i])
	}
	return out
}

// BoundVar is a variable named by a binding.
type BoundVar struct {
	Name string
	Role string
	Pos  report.Position
}

// Binding is one credential binding: an entry of withCredentials([…]), or
// X = credentials('id') in an environment block (Kind "credentials",
// binding X, X_USR and X_PSW).
type Binding struct {
	Kind  string // string, usernamePassword, usernameColonPassword, file, sshUserPrivateKey, certificate, aws, dockerCert, zip, credentials, vault, or the name as written
	Class string // the $class name for [$class: '…'] bindings
	ID    Value  // credentialsId; not Literal when it is a GString or a variable
	Vars  []BoundVar
	Scope Node // the block the variables are visible in
	Node  Node // the binding's call, map or assignment
	Pos   report.Position
	off   int
}

// CredentialUse is any place a credential ID is used.
type CredentialUse struct {
	Kind    string // the binding kind, "credentials", "git", "scm", "sshagent", "registry", "aws", "parameter", or the call's name
	ID      Value  // not Valid for withAWS(role: …) without credentials
	Pos     report.Position
	Vars    []string
	URL     Value    // git/checkout/registry URL when given
	Options []Option // other named arguments with their values (withAWS role, region…)
	Node    Node
	Binding *Binding // for uses that are bindings
	off     int
}

// Option is a named argument.
type Option struct {
	Name  string
	Value Value
}

// EnvVar is an environment variable a pipeline sets.
type EnvVar struct {
	Name   string
	Pos    report.Position
	Value  Value
	Source string   // "environment", "withEnv" or "env"
	Scope  Node     // the block it applies to (nil for env.X: the rest of the run)
	Cred   *Binding // X = credentials('id')
	off    int
}

// Param is a build parameter declared in parameters { }.
type Param struct {
	Kind    string // string, password, text, booleanParam, choice, credentials, …
	Name    Value
	Default Value
	Pos     report.Position
	Call    *Call
}

// Assignment is name = value, def name = value or env.NAME = value, also
// inside environment { }.
type Assignment struct {
	Name  string // dotted: "env.TOKEN", "password", "config.secret"
	Value Value
	Decl  bool
	Pos   report.Position
	Node  *Assign
}

// scope is what a block sees: bindings and environment of the enclosing
// withCredentials, withEnv, environment and stage.
type scope struct {
	parent   *scope
	bindings []*Binding
	env      []*EnvVar
	stage    *Stage
	pipeline bool
}

func (sc *scope) child() *scope {
	c := &scope{parent: sc}
	if sc != nil {
		c.stage, c.pipeline = sc.stage, sc.pipeline
	}
	return c
}

// PosAt converts a byte offset to a position in the file (the same as
// source.File.PosAt, in logarithmic time).
func (f *File) PosAt(off int) report.Position { return f.pos.pos(off) }

// TokenAt returns the comment or string token containing byte offset off (a
// string's inner tokens are not searched), or nil elsewhere.
func (f *File) TokenAt(off int) *Token {
	i := sort.Search(len(f.Tokens), func(i int) bool { return f.Tokens[i].End > off })
	if i < len(f.Tokens) && f.Tokens[i].Off <= off && off < f.Tokens[i].End {
		return &f.Tokens[i]
	}
	return nil
}

// InComment reports whether byte offset off is inside a comment (or the
// shebang line).
func (f *File) InComment(off int) bool {
	t := f.TokenAt(off)
	return t != nil && t.Kind == Comment
}

// Comments returns the comment tokens.
func (f *File) Comments() []*Token {
	var out []*Token
	for i := range f.Tokens {
		if f.Tokens[i].Kind == Comment {
			out = append(out, &f.Tokens[i])
		}
	}
	return out
}

func (f *File) value(n Node) Value {
	if n == nil {
		return Value{}
	}
	off, end := n.Span()
	v := Value{Off: off, End: end, Pos: f.pos.pos(off), Node: n}
	switch n := n.(type) {
	case *Str:
		v.dec = n.Tok.Decoded()
		v.Text = v.dec.S
		v.Literal = !n.Tok.Interpolated()
		return v
	case *Const:
		v.Text, v.Literal = n.Tok.Text, n.Tok.Text != "null"
		return v
	}
	v.Text = f.text[off:end]
	return v
}

// subValue is the part of string value v from index i of its text on.
func (f *File) subValue(v Value, i int) Value {
	if i > len(v.Text) {
		i = len(v.Text)
	}
	s := v
	s.Text = v.Text[i:]
	s.base = v.base + i
	s.Off = v.OffsetAt(i)
	s.Pos = f.pos.pos(s.Off)
	return s
}

// build fills the views by walking the tree once, in source order.
func (f *File) build() {
	f.processed = map[Node]bool{}
	type item struct {
		n  Node
		sc *scope
	}
	stack := []item{{f.Root, nil}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		kids := f.visit(it.n, it.sc)
		for i := len(kids) - 1; i >= 0; i-- {
			stack = append(stack, item{kids[i].n, kids[i].sc})
		}
	}
	f.processed = nil
	// environment blocks are read before the directives around them
	sort.SliceStable(f.Uses, func(i, j int) bool { return f.Uses[i].off < f.Uses[j].off })
	sort.SliceStable(f.Bindings, func(i, j int) bool { return f.Bindings[i].off < f.Bindings[j].off })
	sort.SliceStable(f.Env, func(i, j int) bool { return f.Env[i].off < f.Env[j].off })
}

func nodeOff(n Node) int {
	off, _ := n.Span()
	return off
}

type child struct {
	n  Node
	sc *scope
}

func kidsIn(n Node, sc *scope) []child {
	kids := Children(n)
	out := make([]child, len(kids))
	for i, k := range kids {
		out[i] = child{k, sc}
	}
	return out
}

func shellSteps(s string) bool {
	switch s {
	case "sh", "bat", "powershell", "pwsh":
		return true
	}
	return false
}
func echoSteps(s string) bool {
	switch s {
	case "echo", "print", "println":
		return true
	}
	return false
}

// stepName is the name a call is known by as a pipeline step: the bare
// name, or the name after a single receiver (steps.sh, script.sh).
func stepName(c *Call) string {
	if c.Recv == nil {
		return c.Name
	}
	if _, ok := c.Recv.(*Name); ok {
		return c.Name
	}
	return ""
}

func (f *File) visit(n Node, sc *scope) []child {
	switch n := n.(type) {
	case *Call:
		return f.visitCall(n, sc)
	case *Assign:
		if e := f.visitAssign(n); e != nil {
			return append(kidsIn(n, sc), child{&envSet{e}, sc})
		}
	case *envSet:
		f.global = append(f.global, n.e)
		return nil
	case *FuncDecl:
		f.Funcs = append(f.Funcs, n)
	case *Map:
		if !f.processed[n] {
			if id := n.Get("credentialsId"); id != nil {
				kind := "map"
				if cls := n.Get("$class"); cls != nil {
					kind = f.value(cls).Text
				}
				f.addUse(&CredentialUse{Kind: kind, ID: f.value(id), URL: f.value(n.Get("url")), Node: n})
			}
		}
	}
	return kidsIn(n, sc)
}

func (f *File) visitAssign(a *Assign) *EnvVar {
	name, ok := DottedName(a.LHS)
	if !ok {
		return nil
	}
	off, _ := a.LHS.Span()
	f.Assignments = append(f.Assignments, &Assignment{Name: name, Value: f.value(a.RHS), Decl: a.Decl, Pos: f.pos.pos(off), Node: a})
	if strings.HasPrefix(name, "env.") && a.Op == "=" {
		e := &EnvVar{Name: strings.TrimPrefix(name, "env."), Pos: f.pos.pos(off), Value: f.value(a.RHS), Source: "env", off: off}
		f.Env = append(f.Env, e)
		return e
	}
	return nil
}

// envSet is visited after an env.X = … assignment's right-hand side: from
// there on, steps see the variable.
type envSet struct{ e *EnvVar }

func (*envSet) Span() (int, int) { return 0, 0 }

func (f *File) visitCall(c *Call, sc *scope) []child {
	name := stepName(c)
	full := c.Func()
	inner := sc
	switch {
	case name == "pipeline" && c.Body != nil:
		f.Declarative = true
		if f.Pipeline == nil {
			f.Pipeline = c
			f.Sections = f.sections(c.Body)
		}
		inner = sc.child()
		inner.pipeline = true
		f.envBlock(c.Body, inner)
	case name == "stage":
		st := &Stage{Name: f.value(firstArg(c, "name")), Pos: f.pos.pos(c.NameOff), Call: c}
		if sc != nil {
			st.Parent = sc.stage
		}
		f.Stages = append(f.Stages, st)
		inner = sc.child()
		inner.stage = st
		if c.Body != nil && sc != nil && sc.pipeline {
			st.Sections = f.sections(c.Body)
			f.envBlock(c.Body, inner)
		}
	case name == "node" && c.Body != nil:
		if sc == nil || !sc.pipeline {
			f.Scripted = true
		}
	case name == "environment" && c.Body != nil:
		if !f.processed[c] {
			inner = sc.child()
			f.envAssignments(c, c.Body, inner)
		}
	case name == "withCredentials":
		inner = sc.child()
		list := firstArg(c, "bindings")
		for _, e := range elems(list) {
			if b := f.binding(e, c.Body); b != nil {
				inner.bindings = append(inner.bindings, b)
			}
		}
	case name == "withVault":
		inner = sc.child()
		if b := f.vault(c); b != nil {
			inner.bindings = append(inner.bindings, b)
		}
	case name == "withEnv":
		inner = sc.child()
		for _, e := range elems(firstArg(c, "overrides")) {
			f.processed[e] = true
			v := f.value(e)
			if _, ok := e.(*Str); !ok {
				continue
			}
			eq := strings.IndexByte(v.Text, '=')
			if eq <= 0 {
				continue
			}
			ev := &EnvVar{Name: v.Text[:eq], Value: f.subValue(v, eq+1), Source: "withEnv", Scope: c.Body, off: v.OffsetAt(0)}
			ev.Pos = f.pos.pos(ev.off)
			f.Env = append(f.Env, ev)
			inner.env = append(inner.env, ev)
		}
	case shellSteps(name):
		f.Steps = append(f.Steps, f.step(c, name, firstArg(c, "script"), sc))
	case echoSteps(name):
		f.Echoes = append(f.Echoes, f.step(c, name, firstArg(c, "message"), sc))
	case name == "git":
		u := &CredentialUse{Kind: "git", Node: c}
		if id := c.Named("credentialsId"); id != nil {
			u.ID = f.value(id)
		}
		u.URL = f.value(c.Named("url"))
		if !u.URL.Valid() {
			if s, ok := c.Positional(0).(*Str); ok {
				u.URL = f.value(s)
			}
		}
		if u.ID.Valid() {
			f.addUse(u)
		}
	case name == "checkout":
		f.checkout(c)
	case name == "sshagent":
		list := firstArg(c, "credentials")
		for _, e := range elems(list) {
			f.addUse(&CredentialUse{Kind: "sshagent", ID: f.value(e), Node: e})
		}
	case full == "docker.withRegistry":
		url, id := c.Named("url"), c.Named("credentialsId")
		if url == nil {
			url = c.Positional(0)
		}
		if id == nil {
			id = c.Positional(1)
		}
		if id != nil {
			f.addUse(&CredentialUse{Kind: "registry", ID: f.value(id), URL: f.value(url), Node: c})
		}
	case name == "withDockerRegistry" || name == "registryCredentialsId" || name == "withDockerServer":
		src := c.Args
		if m, ok := c.Positional(0).(*Map); ok {
			src = m.Entries
			f.processed[m] = true
		}
		var id, url Node
		for _, a := range src {
			switch a.Name {
			case "credentialsId":
				id = a.Value
			case "url", "uri":
				url = a.Value
			}
		}
		if name == "registryCredentialsId" {
			id = c.Positional(0)
		}
		if id != nil {
			f.addUse(&CredentialUse{Kind: "registry", ID: f.value(id), URL: f.value(url), Node: c})
		}
	case name == "withAWS":
		u := &CredentialUse{Kind: "aws", Node: c}
		for _, a := range c.Args {
			if a.Name == "" {
				continue
			}
			if a.Name == "credentials" {
				u.ID = f.value(a.Value)
				continue
			}
			u.Options = append(u.Options, Option{Name: a.Name, Value: f.value(a.Value)})
		}
		if u.ID.Valid() || len(u.Options) > 0 {
			f.addUse(u)
		}
	case name == "parameters":
		f.params(c)
	default:
		if id := c.Named("credentialsId"); id != nil && !f.processed[c] {
			f.addUse(&CredentialUse{Kind: full, ID: f.value(id), URL: f.value(c.Named("url")), Node: c})
		}
	}
	if inner == sc {
		return kidsIn(c, sc)
	}
	// arguments see the outer scope, the closure the inner one
	var out []child
	if c.Recv != nil {
		out = append(out, child{c.Recv, sc})
	}
	for _, a := range c.Args {
		if a.Key != nil {
			out = append(out, child{a.Key, sc})
		}
		if a.Value != nil {
			out = append(out, child{a.Value, sc})
		}
	}
	if c.Body != nil {
		out = append(out, child{c.Body, inner})
	}
	return out
}

// firstArg is the named argument name, else the first positional one.
func firstArg(c *Call, name string) Node {
	if v := c.Named(name); v != nil {
		return v
	}
	return c.Positional(0)
}

// elems is the elements of a list literal, or the node itself.
func elems(n Node) []Node {
	switch n := n.(type) {
	case nil:
		return nil
	case *List:
		return n.Elems
	}
	return []Node{n}
}

func (f *File) addUse(u *CredentialUse) {
	if u.ID.Valid() {
		u.Pos, u.off = u.ID.Pos, u.ID.Off
	} else if u.Node != nil {
		u.off = nodeOff(u.Node)
		u.Pos = f.pos.pos(u.off)
	}
	f.Uses = append(f.Uses, u)
}

func (f *File) sections(body *Block) []*Section {
	var out []*Section
	for _, s := range body.Stmts {
		if c, ok := s.(*Call); ok && c.Recv == nil {
			out = append(out, &Section{Name: c.Name, Pos: f.pos.pos(c.NameOff), Call: c})
		}
	}
	return out
}

// envBlock applies the environment { } directives directly inside body to
// scope sc.
func (f *File) envBlock(body *Block, sc *scope) {
	for _, s := range body.Stmts {
		if c, ok := s.(*Call); ok && c.Recv == nil && c.Name == "environment" && c.Body != nil {
			f.envAssignments(c, body, sc)
		}
	}
}

func (f *File) envAssignments(c *Call, scopeNode Node, sc *scope) {
	f.processed[c] = true
	for _, s := range c.Body.Stmts {
		a, ok := s.(*Assign)
		if !ok || a.Op != "=" {
			continue
		}
		name, ok := DottedName(a.LHS)
		if !ok {
			continue
		}
		off, _ := a.LHS.Span()
		ev := &EnvVar{Name: name, Pos: f.pos.pos(off), Value: f.value(a.RHS), Source: "environment", Scope: scopeNode, off: off}
		if call, ok := a.RHS.(*Call); ok && call.Recv == nil && call.Name == "credentials" {
			f.processed[call] = true
			b := &Binding{Kind: "credentials", ID: f.value(call.Positional(0)), Scope: scopeNode, Node: a, Pos: f.pos.pos(off), off: off}
			for _, suffix := range []string{"", "_USR", "_PSW"} {
				b.Vars = append(b.Vars, BoundVar{Name: name + suffix, Role: "env", Pos: ev.Pos})
			}
			ev.Cred = b
			f.Bindings = append(f.Bindings, b)
			sc.bindings = append(sc.bindings, b)
			f.addUse(&CredentialUse{Kind: "credentials", ID: b.ID, Vars: []string{name, name + "_USR", name + "_PSW"}, Node: a, Binding: b})
		}
		f.Env = append(f.Env, ev)
		sc.env = append(sc.env, ev)
	}
}

// bindingKinds maps credentials-binding $class names to their symbols.
var bindingKinds = map[string]string{
	"StringBinding":                       "string",
	"UsernamePasswordMultiBinding":        "usernamePassword",
	"UsernamePasswordBinding":             "usernameColonPassword",
	"FileBinding":                         "file",
	"ZipFileBinding":                      "zip",
	"SSHUserPrivateKeyBinding":            "sshUserPrivateKey",
	"CertificateMultiBinding":             "certificate",
	"AmazonWebServicesCredentialsBinding": "aws",
	"DockerServerCredentialsBinding":      "dockerCert",
	"VaultTokenCredentialBinding":         "vaultToken",
}

// binding reads one entry of withCredentials([…]).
func (f *File) binding(n Node, scopeNode Node) *Binding {
	var args []*Arg
	b := &Binding{Scope: scopeNode, Node: n, Pos: f.pos.pos(nodeOff(n)), off: nodeOff(n)}
	switch e := n.(type) {
	case *Call:
		if e.Recv != nil {
			return nil
		}
		b.Kind = e.Name
		args = e.Args
	case *Map:
		args = e.Entries
		cls := f.value(e.Get("$class")).Text
		b.Class = cls
		if k, ok := bindingKinds[cls]; ok {
			b.Kind = k
		} else {
			b.Kind = cls
		}
	default:
		return nil
	}
	f.processed[n] = true
	if b.Kind == "AmazonWebServicesCredentialsBinding" {
		b.Kind = "aws"
	}
	for _, a := range args {
		switch {
		case a.Name == "credentialsId":
			b.ID = f.value(a.Value)
		case a.Name == "variable" || strings.HasSuffix(a.Name, "Variable"):
			v := f.value(a.Value)
			b.Vars = append(b.Vars, BoundVar{Name: v.Text, Role: a.Name, Pos: v.Pos})
		}
	}
	f.Bindings = append(f.Bindings, b)
	u := &CredentialUse{Kind: b.Kind, ID: b.ID, Node: n, Binding: b}
	for _, v := range b.Vars {
		u.Vars = append(u.Vars, v.Name)
	}
	f.addUse(u)
	return b
}

// vault reads withVault(configuration: [vaultCredentialId: …],
// vaultSecrets: [[path: …, secretValues: [[envVar: 'X', vaultKey: …]]]]):
// a binding of kind "vault" whose variables are the envVar names, looked
// up also through a variable assigned earlier in the file.
func (f *File) vault(c *Call) *Binding {
	b := &Binding{Kind: "vault", Scope: c.Body, Node: c, Pos: f.pos.pos(c.NameOff), off: c.NameOff}
	var look func(n Node, depth int)
	look = func(n Node, depth int) {
		Inspect(n, func(n Node) bool {
			switch n := n.(type) {
			case *Map:
				if id := n.Get("vaultCredentialId"); id != nil {
					b.ID = f.value(id)
				}
				if v := n.Get("envVar"); v != nil {
					val := f.value(v)
					b.Vars = append(b.Vars, BoundVar{Name: val.Text, Role: "envVar", Pos: val.Pos})
				}
			case *Name:
				if depth > 0 {
					return true
				}
				for i := len(f.Assignments) - 1; i >= 0; i-- {
					if a := f.Assignments[i]; a.Name == n.Name && a.Node.RHS != nil {
						look(a.Node.RHS, depth+1)
						break
					}
				}
			case *Block:
				return false
			}
			return true
		})
	}
	for _, a := range c.Args {
		look(a.Value, 0)
	}
	f.Bindings = append(f.Bindings, b)
	u := &CredentialUse{Kind: "vault", ID: b.ID, Node: c, Binding: b}
	for _, v := range b.Vars {
		u.Vars = append(u.Vars, v.Name)
	}
	f.addUse(u)
	return b
}

// checkout records the credentials of checkout scm: [$class: 'GitSCM',
// userRemoteConfigs: [[credentialsId: …, url: …]]], checkout([…]) and
// checkout scmGit(userRemoteConfigs: […]).
func (f *File) checkout(c *Call) {
	kind := "scm"
	Inspect(c, func(n Node) bool {
		switch n := n.(type) {
		case *Map:
			if cls, ok := n.Get("$class").(*Str); ok {
				if t, _ := cls.Tok.Literal(); t == "GitSCM" {
					kind = "git"
				}
			}
		case *Call:
			if n.Name == "scmGit" || n.Name == "git" || n.Name == "gitSCM" {
				kind = "git"
			}
		}
		return true
	})
	Inspect(c, func(n Node) bool {
		var id, url Node
		switch n := n.(type) {
		case *Map:
			id, url = n.Get("credentialsId"), n.Get("url")
		case *Call:
			if n != c {
				id, url = n.Named("credentialsId"), n.Named("url")
			}
		default:
			return true
		}
		if id != nil {
			f.processed[n] = true
			f.addUse(&CredentialUse{Kind: kind, ID: f.value(id), URL: f.value(url), Node: n})
		}
		return true
	})
}

// params reads parameters { string(name: …) } and parameters([…]).
func (f *File) params(c *Call) {
	var calls []Node
	if c.Body != nil {
		calls = c.Body.Stmts
	} else {
		calls = elems(c.Positional(0))
	}
	for _, s := range calls {
		pc, ok := s.(*Call)
		if !ok || pc.Recv != nil {
			continue
		}
		f.processed[pc] = true
		p := &Param{Kind: pc.Name, Name: f.value(pc.Named("name")), Default: f.value(pc.Named("defaultValue")), Pos: f.pos.pos(pc.NameOff), Call: pc}
		if pc.Name == "password" && !p.Default.Valid() {
			p.Default = f.value(pc.Named("defaultValueAsSecret"))
		}
		f.Params = append(f.Params, p)
		if pc.Name == "credentials" && p.Default.Valid() {
			f.addUse(&CredentialUse{Kind: "parameter", ID: p.Default, Node: pc})
		}
	}
}

// stringMethods do not change where a script comes from:
// sh """…""".stripIndent() is still the literal's script.
func stringMethods(s string) bool {
	switch s {
	case "stripIndent", "stripMargin", "trim", "toString":
		return true
	}
	return false
}

func (f *File) step(c *Call, name string, script Node, sc *scope) *Step {
	s := &Step{Name: name, Pos: f.pos.pos(c.NameOff), Call: c, Script: script, scope: sc, file: f, envSeen: len(f.global)}
	if sc != nil {
		s.Stage = sc.stage
	}
	if name, ok := script.(*Name); ok {
		for i := len(f.Assignments) - 1; i >= 0; i-- {
			a := f.Assignments[i]
			if a.Name == name.Name && a.Node.Op == "=" && a.Value.Valid() {
				if isStringExpr(a.Node.RHS) {
					s.From = a
					script = a.Node.RHS
				}
				break
			}
		}
	}
	if script == nil {
		return s
	}
	var b strings.Builder
	d := &Decoded{}
	s.Literal = true
	// flatten 'a' + b + "c" left to right without recursion
	stack := []Node{script}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for {
			if call, ok := n.(*Call); ok && call.Recv != nil && stringMethods(call.Name) && len(call.Args) == 0 {
				n = call.Recv
				continue
			}
			break
		}
		switch x := n.(type) {
		case *Binary:
			if x.Op == "+" && x.Y != nil {
				stack = append(stack, x.Y, x.X)
				continue
			}
		case *Str:
			s.Strings = append(s.Strings, x.Tok)
			if x.Tok.Interpolated() {
				s.Literal = false
			}
			d.appendToken(&b, x.Tok)
			d.end = x.Tok.End - len(quoteClose[x.Tok.Quote])
			continue
		}
		if n == nil {
			continue
		}
		off, end := n.Span()
		s.Literal = false
		d.appendSource(&b, f.text[off:end], off, end)
		d.end = end
	}
	d.S = b.String()
	s.Text = d
	return s
}

// isStringExpr reports whether n is a string literal, a concatenation
// starting with one, or one with a string method applied.
func isStringExpr(n Node) bool {
	for {
		switch x := n.(type) {
		case *Str:
			return true
		case *Binary:
			if x.Op != "+" {
				return false
			}
			n = x.X
		case *Call:
			if x.Recv == nil || !stringMethods(x.Name) {
				return false
			}
			n = x.Recv
		default:
			return false
		}
	}
}
