package plugins

import (
	"bytes"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// Dockerfile is what a controller image's Dockerfile says about plugins
// and JCasC: the instructions of its final stage (and of the stages it is
// built FROM), in order.
type Dockerfile struct {
	Path string
	// Image is the base image of the final stage, followed through stages
	// built FROM earlier stages.
	Image Image
	// Installs are the plugin installations its RUN lines run, in order.
	Installs []Install
	// Copies are its COPY and ADD instructions from the build context (not
	// --from another stage or image), in order.
	Copies []Copy
	// CascConfig are the entries of the JCasC location the image sets: the
	// last -Dcasc.jenkins.config in an ENV value (the property wins), else
	// the last ENV CASC_JENKINS_CONFIG, split on ','.
	CascConfig []Ref
}

// Install is one run of the plugin installation manager
// (jenkins-plugin-cli, or java -jar jenkins-plugin-manager*.jar) or of the
// old install-plugins.sh in a RUN line.
type Install struct {
	Tool string // "jenkins-plugin-cli" or "install-plugins.sh"
	// Pins are the plugins named on the command line (--plugins, -p, or
	// install-plugins.sh's arguments), in order.
	Pins []Pin
	// Files are the plugin files it reads (--plugin-file, -f, or the
	// standard input of install-plugins.sh): paths in the image.
	Files []Ref
	Pos   report.Position // the command's name
}

// Ref is a path written in a Dockerfile, and where.
type Ref struct {
	Path     string
	Pos, End report.Position
}

// Copy is one COPY or ADD from the build context.
type Copy struct {
	// Sources are relative to the build context (cleaned; "." is the
	// context itself); they may be glob patterns.
	Sources []string
	// Dest is the absolute destination in the image; DestDir is set when
	// it names a directory (a trailing '/', or several sources).
	Dest    string
	DestDir bool
	Pos     report.Position
}

// stage is one build stage while the Dockerfile is read.
type stage struct {
	name      string
	image     Image
	env       map[string]word // ENV, inherited by stages built FROM this one
	args      map[string]word // ARG declared in the stage (value or unset)
	workdir   string
	installs  []Install
	copies    []Copy
	cascEnv   []Ref
	cascProp  []Ref
	cascSet   bool
	cascPropS bool
}

func (s *stage) clone(name string) *stage {
	c := *s
	c.name = name
	c.env = make(map[string]word, len(s.env))
	for k, v := range s.env {
		c.env[k] = v
	}
	c.args = map[string]word{}
	c.installs = append([]Install(nil), s.installs...)
	c.copies = append([]Copy(nil), s.copies...)
	return &c
}

// dockerfileReader holds the state of one ParseDockerfile call.
type dockerfileReader struct {
	f       *source.File
	esc     byte
	global  map[string]*word // ARGs before the first FROM (nil value: no default)
	stages  []*stage
	cur     *stage
	errs    []report.FileError
	maxErrs int
}

// ParseDockerfile reads the plugin installations, COPY/ADD instructions,
// JCasC location and base image of a Dockerfile (BuildKit syntax: the
// `# escape=` directive, line continuations, comment lines inside them,
// heredocs, JSON and shell forms, ARG and ENV substitution with ${VAR},
// ${VAR:-default} and ${VAR:+alt}, multi-stage builds).
//
// In RUN lines it finds, in every simple command of the shell script (and
// of `sh -c '…'` scripts within, after `sudo`, `env`, `exec`, `xargs` and
// assignments):
//
//   - jenkins-plugin-cli (or java -jar …jenkins-plugin-manager….jar): the
//     values of --plugins/-p (up to the next option, and --plugins=…), and
//     the file of --plugin-file/-f (and --plugin-file=…);
//   - install-plugins.sh: its id[:version] arguments, and the file on its
//     standard input (`< file`, `cat file | xargs install-plugins.sh`).
//
// A plugin spec or path holding a variable with no known value (an ARG
// without default, a $(command)) is skipped: its value is not known. An
// ARG's default counts (a --build-arg may change it). Errors are plugin
// specs the installation manager fails on.
func ParseDockerfile(f *source.File) (*Dockerfile, []report.FileError) {
	r := &dockerfileReader{f: f, esc: '\\', global: map[string]*word{}, maxErrs: 100}
	r.read()
	d := &Dockerfile{Path: f.Path}
	if last := r.cur; last != nil {
		d.Image = last.image
		d.Installs = last.installs
		d.Copies = last.copies
		d.CascConfig = last.cascEnv
		if last.cascPropS {
			d.CascConfig = last.cascProp
		}
	}
	return d, r.errs
}

// line is a logical instruction (or a heredoc body): its text with the
// file offset of each byte.
type line struct {
	text []byte
	offs []int
}

func (r *dockerfileReader) read() {
	f := r.f
	n := f.LineCount()
	directives := true
	for ln := 1; ln <= n; ln++ {
		raw := f.Line(ln)
		start := f.Offset(ln, 1)
		trimmed := bytes.TrimLeft(raw, " \t")
		if directives {
			if d, ok := directive(trimmed); ok {
				if d[0] == "escape" && (d[1] == "`" || d[1] == "\\") {
					r.esc = d[1][0]
				}
				continue
			}
			directives = false
		}
		if len(trimmed) == 0 || trimmed[0] == '#' {
			continue
		}
		// gather the logical line; comment lines and empty lines inside a
		// continuation are skipped
		var l line
		for {
			body, cont := r.continuation(raw)
			for i := range body {
				l.text = append(l.text, body[i])
				l.offs = append(l.offs, start+i)
			}
			if !cont {
				break
			}
			next := 0
			for ln < n {
				ln++
				if t := bytes.TrimLeft(f.Line(ln), " \t"); len(t) > 0 && t[0] != '#' {
					next = ln
					break
				}
			}
			if next == 0 {
				break
			}
			raw, start = f.Line(ln), f.Offset(ln, 1)
		}
		ln = r.instruction(l, ln)
	}
}

// directive reads a parser directive line (`# name=value`).
func directive(t []byte) ([2]string, bool) {
	if len(t) == 0 || t[0] != '#' {
		return [2]string{}, false
	}
	name, value, ok := strings.Cut(strings.TrimSpace(string(t[1:])), "=")
	if !ok {
		return [2]string{}, false
	}
	name = strings.ToLower(strings.TrimSpace(name))
	if name != "escape" && name != "syntax" && name != "check" {
		return [2]string{}, false
	}
	return [2]string{name, strings.TrimSpace(value)}, true
}

// continuation strips a line-continuation escape (the escape character
// followed only by blanks at the end of the line).
func (r *dockerfileReader) continuation(raw []byte) ([]byte, bool) {
	t := bytes.TrimRight(raw, " \t")
	if len(t) > 0 && t[len(t)-1] == r.esc {
		return t[:len(t)-1], true
	}
	return raw, false
}

// instruction handles one logical line and returns the last physical line
// it used (heredoc bodies follow their instruction).
func (r *dockerfileReader) instruction(l line, ln int) int {
	text := l.text
	i := 0
	for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
		i++
	}
	j := i
	for j < len(text) && text[j] != ' ' && text[j] != '\t' {
		j++
	}
	name := strings.ToUpper(string(text[i:j]))
	for j < len(text) && (text[j] == ' ' || text[j] == '\t') {
		j++
	}
	args, offs := text[j:], l.offs[j:]
	var heredocs []line
	if bytes.Contains(args, []byte("<<")) && (name == "RUN" || name == "COPY" || name == "ADD") {
		heredocs, ln = r.heredocs(args, ln)
	}
	switch name {
	case "ARG":
		r.arg(args, offs)
	case "FROM":
		r.from(args, offs)
	case "ENV":
		r.env(args, offs)
	case "WORKDIR":
		r.workdir(args, offs)
	case "COPY", "ADD":
		r.copy(name, args, offs, l.offs[i])
	case "RUN":
		r.run(args, offs, heredocs)
	}
	return ln
}

// heredocs reads the bodies of the heredocs an instruction opens (`<<EOF`,
// `<<-EOF`, `<<"EOF"`), from the lines after ln.
func (r *dockerfileReader) heredocs(args []byte, ln int) ([]line, int) {
	var out []line
	f := r.f
	s := string(args)
	for {
		k := strings.Index(s, "<<")
		if k < 0 {
			break
		}
		s = s[k+2:]
		strip := false
		if strings.HasPrefix(s, "-") {
			strip, s = true, s[1:]
		}
		s = strings.TrimLeft(s, " \t")
		quote := byte(0)
		if len(s) > 0 && (s[0] == '"' || s[0] == '\'') {
			quote, s = s[0], s[1:]
		}
		e := 0
		for e < len(s) && isNameByte(s[e]) {
			e++
		}
		delim := s[:e]
		s = s[e:]
		if quote != 0 && len(s) > 0 && s[0] == quote {
			s = s[1:]
		}
		if delim == "" {
			continue
		}
		var body line
		for ln < f.LineCount() {
			ln++
			raw := f.Line(ln)
			start := f.Offset(ln, 1)
			t := raw
			if strip {
				t = bytes.TrimLeft(raw, "\t")
				start += len(raw) - len(t)
			}
			if string(t) == delim {
				break
			}
			for i := range t {
				body.text = append(body.text, t[i])
				body.offs = append(body.offs, start+i)
			}
			body.text = append(body.text, '\n')
			body.offs = append(body.offs, start+len(t))
		}
		out = append(out, body)
	}
	return out, ln
}

// lookup resolves a variable in the current scope: the stage's ARGs and
// ENV, or the global ARGs before the first FROM.
func (r *dockerfileReader) lookup(name string) (word, bool) {
	if r.cur == nil {
		if v, ok := r.global[name]; ok && v != nil {
			return *v, true
		}
		return word{}, false
	}
	if v, ok := r.cur.env[name]; ok {
		return v, true
	}
	if v, ok := r.cur.args[name]; ok && v.offs != nil {
		return v, true
	}
	return word{}, false
}

func (r *dockerfileReader) words(args []byte, offs []int) []word {
	return lexWords(args, offs, r.esc, r.lookup)
}

func (r *dockerfileReader) arg(args []byte, offs []int) {
	for _, w := range r.words(args, offs) {
		s := w.String()
		name, _, hasValue := strings.Cut(s, "=")
		var v *word
		if hasValue {
			k := len(name) + 1
			v = &word{b: w.b[k:], offs: w.offs[k:], unresolved: w.unresolved, quotedAt: -1}
			if v.offs == nil {
				v.offs = []int{} // set, empty
			}
		}
		if r.cur == nil {
			r.global[name] = v
			continue
		}
		switch {
		case v != nil:
			r.cur.args[name] = *v
		case r.global[name] != nil:
			r.cur.args[name] = *r.global[name]
		default:
			r.cur.args[name] = word{} // declared, no value
		}
	}
}

func (r *dockerfileReader) from(args []byte, offs []int) {
	saved := r.cur
	r.cur = nil // FROM sees only the global ARGs
	ws := r.words(args, offs)
	r.cur = saved
	for len(ws) > 0 && strings.HasPrefix(ws[0].String(), "--") {
		ws = ws[1:]
	}
	if len(ws) == 0 {
		return
	}
	ref := ws[0]
	name := ""
	if len(ws) >= 3 && strings.EqualFold(ws[1].String(), "as") {
		name = strings.ToLower(ws[2].String())
	}
	for k := len(r.stages) - 1; k >= 0; k-- {
		if st := r.stages[k]; st.name != "" && st.name == strings.ToLower(ref.String()) {
			r.cur = st.clone(name)
			r.stages = append(r.stages, r.cur)
			return
		}
	}
	r.cur = &stage{name: name, env: map[string]word{}, args: map[string]word{}, workdir: "/", image: r.image(ref)}
	if isJenkinsImage(r.cur.image.Repository) && len(ref.offs) > 0 {
		// what the Jenkins image sets (its image config's Env): a value
		// from there points at the FROM reference
		for k, v := range jenkinsImageEnv {
			w := word{b: []byte(v), quotedAt: -1}
			for range v {
				w.offs = append(w.offs, ref.offs[0])
			}
			r.cur.env[k] = w
		}
	}
	r.stages = append(r.stages, r.cur)
}

// jenkinsImageEnv is the environment of the jenkins/jenkins image that
// Dockerfiles built on it use in paths (jenkinsci/docker's Dockerfiles:
// ENV JENKINS_HOME, ENV REF).
var jenkinsImageEnv = map[string]string{
	"JENKINS_HOME": "/var/jenkins_home",
	"REF":          "/usr/share/jenkins/ref",
}

// image reads an image reference: [registry/]repository[:tag][@digest].
func (r *dockerfileReader) image(ref word) Image {
	s := ref.String()
	if k := strings.IndexByte(s, '@'); k >= 0 {
		s = s[:k]
	}
	img := Image{Repository: s}
	tagAt := -1
	if k := strings.LastIndexByte(s, ':'); k > strings.LastIndexByte(s, '/') {
		img.Repository, img.Tag = s[:k], s[k+1:]
		tagAt = k + 1
	}
	if len(ref.offs) > 0 {
		if tagAt >= 0 && tagAt < len(s) {
			img.Pos, img.End = span(r.f, ref.offs, tagAt, len(s))
		} else {
			img.Pos, img.End = span(r.f, ref.offs, 0, len(ref.offs))
		}
	}
	if isJenkinsImage(img.Repository) && !ref.unresolved {
		img.Core = CoreFromTag(img.Tag)
	}
	return img
}

func (r *dockerfileReader) env(args []byte, offs []int) {
	if r.cur == nil {
		return
	}
	ws := r.words(args, offs)
	if len(ws) == 0 {
		return
	}
	var pairs [][2]word
	if k := bytes.IndexByte(ws[0].b, '='); k > 0 && (ws[0].quotedAt < 0 || ws[0].quotedAt > k) {
		for _, w := range ws {
			k := bytes.IndexByte(w.b, '=')
			if k <= 0 {
				continue
			}
			pairs = append(pairs, [2]word{
				{b: w.b[:k], offs: w.offs[:k], quotedAt: -1},
				{b: w.b[k+1:], offs: w.offs[k+1:], unresolved: w.unresolved, quotedAt: -1},
			})
		}
	} else {
		// legacy `ENV NAME value with spaces`
		var v word
		v.quotedAt = -1
		for n, w := range ws[1:] {
			if n > 0 {
				// the space between two words, at the next one's first
				// byte; an empty word ("") has none: just after the value
				off := 0
				switch {
				case len(w.offs) > 0:
					off = w.offs[0]
				case len(v.offs) > 0:
					off = v.offs[len(v.offs)-1] + 1
				}
				v.add(' ', off)
			}
			v.addWord(w)
		}
		pairs = append(pairs, [2]word{ws[0], v})
	}
	for _, p := range pairs {
		name, val := p[0].String(), p[1]
		if val.offs == nil {
			val.offs = []int{}
		}
		r.cur.env[name] = val
		if name == "CASC_JENKINS_CONFIG" {
			r.cur.cascEnv, r.cur.cascSet = r.cascRefs(val, 0, len(val.b)), true
		}
		if k := bytes.Index(val.b, []byte("-Dcasc.jenkins.config=")); k >= 0 {
			k += len("-Dcasc.jenkins.config=")
			e := k
			for e < len(val.b) && val.b[e] != ' ' && val.b[e] != '\t' {
				e++
			}
			r.cur.cascProp, r.cur.cascPropS = r.cascRefs(val, k, e), true
		}
	}
}

// cascRefs splits a JCasC location value on ',' (entries are trimmed).
func (r *dockerfileReader) cascRefs(v word, from, to int) []Ref {
	if v.unresolved {
		return nil
	}
	var out []Ref
	for i := from; i <= to; {
		j := i
		for j < to && v.b[j] != ',' {
			j++
		}
		a, b := i, j
		for a < b && (v.b[a] == ' ' || v.b[a] == '\t') {
			a++
		}
		for b > a && (v.b[b-1] == ' ' || v.b[b-1] == '\t') {
			b--
		}
		if b > a {
			ref := Ref{Path: string(v.b[a:b])}
			ref.Pos, ref.End = span(r.f, v.offs, a, b)
			out = append(out, ref)
		}
		i = j + 1
	}
	return out
}

func (r *dockerfileReader) workdir(args []byte, offs []int) {
	if r.cur == nil {
		return
	}
	ws := r.words(args, offs)
	if len(ws) == 0 || ws[0].unresolved {
		return
	}
	r.cur.workdir = r.imagePath(ws[0].String())
}

// imagePath makes a path in the image absolute against the WORKDIR.
func (r *dockerfileReader) imagePath(p string) string {
	if strings.HasPrefix(p, "/") {
		return path.Clean(p)
	}
	wd := "/"
	if r.cur != nil {
		wd = r.cur.workdir
	}
	return path.Join(wd, p)
}

func (r *dockerfileReader) copy(name string, args []byte, offs []int, at int) {
	if r.cur == nil {
		return
	}
	var ws []word
	if jw, ok := jsonArray(args, offs); ok {
		ws = jw
	} else {
		ws = r.words(args, offs)
	}
	for len(ws) > 0 && strings.HasPrefix(ws[0].String(), "--") {
		if strings.HasPrefix(ws[0].String(), "--from") {
			return // from another stage or image, not the build context
		}
		ws = ws[1:]
	}
	if len(ws) < 2 {
		return
	}
	dst := ws[len(ws)-1]
	if dst.unresolved {
		return
	}
	c := Copy{Pos: r.f.PosAt(at)}
	ds := dst.String()
	c.DestDir = strings.HasSuffix(ds, "/") || len(ws) > 2
	c.Dest = r.imagePath(ds)
	for _, w := range ws[:len(ws)-1] {
		s := w.String()
		if w.unresolved || strings.HasPrefix(s, "<<") || (name == "ADD" && (strings.Contains(s, "://") || strings.HasPrefix(s, "git@"))) {
			continue
		}
		c.Sources = append(c.Sources, contextPath(s))
	}
	if len(c.Sources) > 0 {
		r.cur.copies = append(r.cur.copies, c)
	}
}

// contextPath cleans a COPY source: relative to the build context, where a
// leading '/' is the context's root too.
func contextPath(s string) string {
	return path.Clean(strings.TrimLeft(s, "/"))
}

// jsonArray reads the JSON form of an instruction (["a", "b"]): its
// strings with the file offset of each decoded byte.
func jsonArray(b []byte, offs []int) ([]word, bool) {
	i := 0
	skip := func() {
		for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
			i++
		}
	}
	skip()
	if i >= len(b) || b[i] != '[' {
		return nil, false
	}
	i++
	var out []word
	skip()
	if i < len(b) && b[i] == ']' {
		i++
		skip()
		return out, i == len(b)
	}
	for {
		skip()
		if i >= len(b) || b[i] != '"' {
			return nil, false
		}
		i++
		w := word{quotedAt: 0}
		for {
			if i >= len(b) {
				return nil, false
			}
			c := b[i]
			if c == '"' {
				i++
				break
			}
			if c < 0x20 {
				return nil, false
			}
			if c != '\\' {
				w.add(c, offs[i])
				i++
				continue
			}
			if i+1 >= len(b) {
				return nil, false
			}
			at := offs[i]
			switch e := b[i+1]; e {
			case '"', '\\', '/':
				w.add(e, at)
				i += 2
			case 'b', 'f', 'n', 'r', 't':
				w.add(map[byte]byte{'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}[e], at)
				i += 2
			case 'u':
				if i+6 > len(b) {
					return nil, false
				}
				n, err := strconv.ParseUint(string(b[i+2:i+6]), 16, 32)
				if err != nil {
					return nil, false
				}
				var buf [utf8.UTFMax]byte
				k := utf8.EncodeRune(buf[:], rune(n))
				for _, c := range buf[:k] {
					w.add(c, at)
				}
				i += 6
			default:
				return nil, false
			}
		}
		out = append(out, w)
		skip()
		if i < len(b) && b[i] == ',' {
			i++
			continue
		}
		if i < len(b) && b[i] == ']' {
			i++
			skip()
			return out, i == len(b)
		}
		return nil, false
	}
}

func (r *dockerfileReader) run(args []byte, offs []int, heredocs []line) {
	if r.cur == nil {
		return
	}
	if jw, ok := jsonArray(args, offs); ok {
		r.execForm(jw, 0)
		return
	}
	toks := lexShell(args, offs, r.lookup, 0)
	// RUN flags (--mount=…, --network=…) come before the command
	for len(toks) > 0 && toks[0].op == "" && strings.HasPrefix(toks[0].w.String(), "--") {
		toks = toks[1:]
	}
	r.shell(toks, 0)
	// a heredoc is the script when the command is only a shell (or none)
	if len(heredocs) > 0 && isShellOnly(toks) {
		for _, h := range heredocs {
			r.shell(lexShell(h.text, h.offs, r.lookup, 0), 0)
		}
	}
}

// isShellOnly reports whether a RUN line with heredocs runs them as its
// script: `RUN <<EOF`, or `RUN bash <<EOF` with options.
func isShellOnly(toks []token) bool {
	for k := 0; k < len(toks); k++ {
		t := toks[k]
		if t.op != "" {
			if t.op == "<<" || t.op == "<<-" {
				k++ // the delimiter
				continue
			}
			return false
		}
		s := t.w.String()
		switch path.Base(s) {
		case "sh", "bash", "ash", "dash":
			continue
		}
		if strings.HasPrefix(s, "-") {
			continue
		}
		return false
	}
	return true
}

// maxShellDepth bounds `sh -c '…'` nesting.
const maxShellDepth = 8

// command is one simple command of a shell script.
type command struct {
	words []word
	stdin *word // the file of a `<` redirection
}

// shell analyses a lexed shell script.
func (r *dockerfileReader) shell(toks []token, depth int) {
	var cmds [][]command // pipelines
	var pipe []command
	var cur command
	endCmd := func() {
		if len(cur.words) > 0 || cur.stdin != nil {
			pipe = append(pipe, cur)
		}
		cur = command{}
	}
	endPipe := func() {
		endCmd()
		if len(pipe) > 0 {
			cmds = append(cmds, pipe)
		}
		pipe = nil
	}
	for k := 0; k < len(toks); k++ {
		t := toks[k]
		switch t.op {
		case "":
			cur.words = append(cur.words, t.w)
		case "|":
			endCmd()
		case "<":
			if k+1 < len(toks) && toks[k+1].op == "" {
				w := toks[k+1].w
				cur.stdin = &w
				k++
			}
		case ">", ">>", "&>", ">&", "<&", "<>", ">|", "<<<":
			if k+1 < len(toks) && toks[k+1].op == "" {
				k++ // the redirection's target is not an argument
			}
		case "<<", "<<-":
			if k+1 < len(toks) && toks[k+1].op == "" {
				k++ // a heredoc delimiter
			}
		default: // && || ; & ( ) ;;
			endPipe()
		}
	}
	endPipe()
	for _, p := range cmds {
		for n, c := range p {
			var piped *word
			if n > 0 {
				piped = catFile(p[n-1])
			}
			r.command(c, piped, depth)
		}
	}
}

// catFile is the file a `cat FILE` command writes to a pipe, or nil.
func catFile(c command) *word {
	ws := unwrap(c.words)
	if len(ws) == 2 && path.Base(ws[0].String()) == "cat" {
		return &ws[1]
	}
	if len(ws) == 1 && path.Base(ws[0].String()) == "cat" {
		return c.stdin
	}
	return nil
}

// unwrap drops leading assignments and command wrappers (sudo, env, exec,
// xargs with their options) from a simple command.
func unwrap(ws []word) []word {
	for len(ws) > 0 {
		s := ws[0].String()
		if k := strings.IndexByte(s, '='); k > 0 && isName(s[:k]) && (ws[0].quotedAt < 0 || ws[0].quotedAt > k) {
			ws = ws[1:] // NAME=value
			continue
		}
		switch path.Base(s) {
		case "sudo", "env", "exec", "time", "nice", "nohup", "command":
			ws = ws[1:]
			for len(ws) > 0 && strings.HasPrefix(ws[0].String(), "-") {
				ws = ws[1:]
			}
			continue
		}
		return ws
	}
	return ws
}

func isName(s string) bool {
	if s == "" || !isNameStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isNameByte(s[i]) {
			return false
		}
	}
	return true
}

// command analyses one simple command; piped is the file a `cat` before it
// in a pipeline writes to its standard input.
func (r *dockerfileReader) command(c command, piped *word, depth int) {
	ws := unwrap(c.words)
	if len(ws) == 0 {
		return
	}
	stdin := c.stdin
	if stdin == nil {
		stdin = piped
	}
	if path.Base(ws[0].String()) == "xargs" {
		// xargs [options] CMD: CMD's arguments come from standard input
		// or from -a FILE / --arg-file=FILE
		ws = ws[1:]
		for len(ws) > 0 && strings.HasPrefix(ws[0].String(), "-") {
			o := ws[0]
			ws = ws[1:]
			switch s := o.String(); {
			case s == "-a" || s == "--arg-file":
				if len(ws) > 0 {
					stdin = &ws[0]
					ws = ws[1:]
				}
			case strings.HasPrefix(s, "--arg-file="):
				w := suffixWord(o, len("--arg-file="))
				stdin = &w
			case s == "-n" || s == "-L" || s == "-d" || s == "-E" || s == "-I" || s == "-P" || s == "-s":
				if len(ws) > 0 {
					ws = ws[1:]
				}
			}
		}
		ws = unwrap(ws)
		if len(ws) == 0 {
			return
		}
	}
	name := path.Base(ws[0].String())
	switch {
	case (name == "sh" || name == "bash" || name == "ash" || name == "dash") && depth < maxShellDepth:
		for k := 1; k+1 < len(ws); k++ {
			if o := ws[k].String(); strings.HasPrefix(o, "-") && strings.Contains(o, "c") && !strings.HasPrefix(o, "--") {
				script := ws[k+1]
				r.shell(lexShell(script.b, script.offs, r.lookup, depth+1), depth+1)
				return
			}
		}
	case name == "jenkins-plugin-cli":
		r.pluginCLI(ws[0], ws[1:])
	case name == "java":
		for k := 1; k+1 < len(ws); k++ {
			if ws[k].String() == "-jar" {
				if strings.Contains(path.Base(ws[k+1].String()), "jenkins-plugin-manager") {
					r.pluginCLI(ws[0], ws[k+2:])
				}
				return
			}
		}
	case name == "install-plugins.sh":
		in := Install{Tool: "install-plugins.sh", Pos: r.f.PosAt(ws[0].offs[0])}
		for _, w := range ws[1:] {
			if strings.HasPrefix(w.String(), "-") {
				continue
			}
			if p, ok := r.spec(w); ok {
				in.Pins = append(in.Pins, p)
			}
		}
		if stdin != nil && !stdin.unresolved {
			in.Files = append(in.Files, r.ref(*stdin, 0))
		}
		r.cur.installs = append(r.cur.installs, in)
	}
}

// suffixWord is the part of w after its first k bytes.
func suffixWord(w word, k int) word {
	if k > len(w.b) {
		k = len(w.b)
	}
	return word{b: w.b[k:], offs: w.offs[k:], unresolved: w.unresolved, quotedAt: -1}
}

// pluginCLI reads the options of one jenkins-plugin-cli run.
func (r *dockerfileReader) pluginCLI(cmd word, args []word) {
	in := Install{Tool: "jenkins-plugin-cli", Pos: r.f.PosAt(cmd.offs[0])}
	for k := 0; k < len(args); k++ {
		o := args[k].String()
		switch {
		case o == "--plugins" || o == "-p":
			for k+1 < len(args) && !strings.HasPrefix(args[k+1].String(), "-") {
				k++
				if p, ok := r.spec(args[k]); ok {
					in.Pins = append(in.Pins, p)
				}
			}
		case strings.HasPrefix(o, "--plugins=") || strings.HasPrefix(o, "-p="):
			eq := strings.IndexByte(o, '=') + 1
			if w := suffixWord(args[k], eq); len(w.b) > 0 {
				if p, ok := r.spec(w); ok {
					in.Pins = append(in.Pins, p)
				}
			}
			for k+1 < len(args) && !strings.HasPrefix(args[k+1].String(), "-") {
				k++
				if p, ok := r.spec(args[k]); ok {
					in.Pins = append(in.Pins, p)
				}
			}
		case o == "--plugin-file" || o == "-f":
			if k+1 < len(args) {
				k++
				if !args[k].unresolved {
					in.Files = append(in.Files, r.ref(args[k], 0))
				}
			}
		case strings.HasPrefix(o, "--plugin-file=") || strings.HasPrefix(o, "-f="):
			eq := strings.IndexByte(o, '=') + 1
			if !args[k].unresolved && eq < len(o) {
				in.Files = append(in.Files, r.ref(args[k], eq))
			}
		}
	}
	r.cur.installs = append(r.cur.installs, in)
}

// ref is a path in the image written by word w from byte k on.
func (r *dockerfileReader) ref(w word, k int) Ref {
	ref := Ref{Path: r.imagePath(string(w.b[k:]))}
	if len(w.b) > k {
		ref.Pos, ref.End = span(r.f, w.offs, k, len(w.b))
	}
	return ref
}

// spec reads a plugin spec word (id[:version[:url]], as the installation
// manager reads --plugins values). A word with an unknown variable is not
// read; a spec the installation manager fails on is an error.
func (r *dockerfileReader) spec(w word) (Pin, bool) {
	if w.unresolved || len(w.b) == 0 {
		return Pin{}, false
	}
	p, err := parseSpec(r.f, w.b, w.offs)
	if err != nil {
		if len(r.errs) < r.maxErrs {
			r.errs = append(r.errs, *err)
		}
		return Pin{}, false
	}
	return p, true
}

// execForm analyses a RUN in JSON form: no shell, unless it runs one.
func (r *dockerfileReader) execForm(ws []word, depth int) {
	r.command(command{words: ws}, nil, depth)
}
