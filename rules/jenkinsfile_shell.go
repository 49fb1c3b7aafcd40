package rules

import (
	"strings"
	"unicode/utf8"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jenkinsfile"
)

// This file models the script of a shell step (sh, bat, powershell, pwsh)
// well enough for the Jenkinsfile rules: words with quotes removed and every
// byte mapped back to the script text, commands with their leading
// assignments, redirections and pipes, comments dropped, and the commands of
// $(…), `…` and here-documents lexed as commands of their own. It is not a
// shell parser: it never fails, and what it does not understand becomes
// words of some command, which the rules then do not recognise.

// dialect is the script language of a step.
type dialect uint8

const (
	dialectSh  dialect = iota // sh: POSIX shell
	dialectBat                // bat: cmd.exe
	dialectPS                 // powershell, pwsh
)

func dialectOf(step string) dialect {
	switch step {
	case "bat":
		return dialectBat
	case "powershell", "pwsh":
		return dialectPS
	}
	return dialectSh
}

// varRef is a reference to an environment variable in a script: $X, ${X},
// ${X:-d}, ${X:0:4} (sh), %X% (bat), $env:X (PowerShell), or a Groovy
// interpolation ${X} / ${env.X} / $X of a GString script.
type varRef struct {
	name       string
	start, end int  // span in the script text
	groovy     bool // expanded by Groovy before the step runs
	sliced     bool // a transformation: ${X:0:4}, ${X//a/b}, ${X.take(4)}
}

// shWord is one word: its text with quotes and escapes removed, and for each
// byte of it the index in the script text it came from (at, or base+i when
// the word is a plain run of the text and at is nil).
type shWord struct {
	text       string
	at         []int32
	base       int
	start, end int // span in the script text
	quoted     bool
	refs       []varRef
}

// idx is the script-text index of byte i of the word (len(text) maps to
// the end of the word).
func (w *shWord) idx(i int) int {
	if i >= len(w.text) || i < 0 {
		return w.end
	}
	if w.at == nil {
		return w.base + i
	}
	return int(w.at[i])
}

// redirect is a redirection: op (>, >>, <, <<, &>, >&…), the file
// descriptor written before it ("" when none), and its target.
type redirect struct {
	op     string
	fd     string
	target *shWord
}

// shCmd is one simple command.
type shCmd struct {
	assigns []*shWord // NAME=value words before the command name
	words   []*shWord // the command name and its arguments
	redirs  []redirect
	pipeTo  *shCmd // the command this one's output is piped into
	piped   bool   // input comes from a pipe
	start   int
	heredoc bool // the command reads a here-document
	subst   bool // inside $(…) or `…`: its output is captured, not logged
}

// shScript is a lexed script: every command in text order (those of
// substitutions and here-documents included).
type shScript struct {
	text   string
	d      dialect
	cmds   []*shCmd
	groovy func(i int) bool
}

// shLexer lexes one script.
type shLexer struct {
	s      string
	d      dialect
	groovy func(i int) bool
	cmds   []*shCmd
	budget int
	subst  int // depth of command substitutions being lexed
}

// lexScript lexes script text s. groovy tells whether the '$' at index i is
// a Groovy interpolation (nil: none is).
func lexScript(s string, d dialect, groovy func(i int) bool) *shScript {
	if groovy == nil {
		groovy = func(int) bool { return false }
	}
	lx := &shLexer{s: s, d: d, groovy: groovy, budget: 64}
	lx.run(0, len(s), 0)
	// commands of substitutions were appended when their word was read:
	// put every command in text order
	cmds := lx.cmds
	for i := 1; i < len(cmds); i++ {
		for j := i; j > 0 && cmds[j].start < cmds[j-1].start; j-- {
			cmds[j], cmds[j-1] = cmds[j-1], cmds[j]
		}
	}
	return &shScript{text: s, d: d, cmds: cmds, groovy: groovy}
}

type heredoc struct {
	delim string
	strip bool
}

// shKeywords are reserved words that start a compound command; the command
// proper follows them.
var shKeywords = map[string]bool{
	"if": true, "then": true, "else": true, "elif": true, "fi": true, "do": true, "done": true,
	"while": true, "until": true, "{": true, "}": true, "!": true, "time": true, "esac": true,
}

// run lexes s[lo:hi] into commands.
func (lx *shLexer) run(lo, hi, depth int) {
	s := lx.s
	cur := &shCmd{start: -1}
	var pendingRedir string
	var pendingFD string
	var heredocs []heredoc
	var prev *shCmd // the command piped into the current one
	finish := func(pipe bool) {
		if len(cur.words) > 0 || len(cur.assigns) > 0 || len(cur.redirs) > 0 {
			if prev != nil {
				prev.pipeTo = cur
				cur.piped = true
			}
			cur.subst = lx.subst > 0
			lx.cmds = append(lx.cmds, cur)
			if pipe {
				prev = cur
			} else {
				prev = nil
			}
		} else if !pipe {
			prev = nil
		}
		cur = &shCmd{start: -1}
		pendingRedir, pendingFD = "", ""
	}
	addWord := func(w *shWord) {
		if cur.start < 0 {
			cur.start = w.start
		}
		if pendingRedir != "" {
			cur.redirs = append(cur.redirs, redirect{op: pendingRedir, fd: pendingFD, target: w})
			if strings.HasPrefix(pendingRedir, "<<") && pendingRedir != "<<<" {
				cur.heredoc = true
				heredocs = append(heredocs, heredoc{delim: w.text, strip: pendingRedir == "<<-"})
			}
			pendingRedir, pendingFD = "", ""
			return
		}
		if len(cur.words) == 0 {
			if lx.d == dialectSh && !w.quoted && shKeywords[w.text] {
				return
			}
			if lx.d == dialectSh && isAssignment(w.text) {
				cur.assigns = append(cur.assigns, w)
				return
			}
		}
		cur.words = append(cur.words, w)
	}
	i := lo
	for i < hi {
		if lx.budget <= 0 && depth > 0 {
			return
		}
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			i++
			continue
		case c == '\r':
			i++
			continue
		case c == '\n':
			finish(false)
			i++
			if len(heredocs) > 0 {
				i = lx.heredocBodies(heredocs, i, hi, depth)
				heredocs = nil
			}
			continue
		case lx.continuation(i, hi):
			i += 2
			if i < hi && s[i-1] == '\r' && s[i] == '\n' {
				i++
			}
			continue
		}
		// comments
		if c == '#' && lx.d != dialectBat {
			i = lineEnd(s, i, hi)
			continue
		}
		if lx.d == dialectPS && c == '<' && i+1 < hi && s[i+1] == '#' {
			if e := strings.Index(s[i+2:hi], "#>"); e >= 0 {
				i = i + 2 + e + 2
			} else {
				i = hi
			}
			continue
		}
		if lx.d == dialectBat && len(cur.words) == 0 && pendingRedir == "" {
			if c == '@' {
				i++
				continue
			}
			if strings.HasPrefix(s[i:hi], "::") || isBatRem(s[i:hi]) {
				i = lineEnd(s, i, hi)
				continue
			}
		}
		// operators
		if op := lx.operator(i, hi); op != "" {
			switch op {
			case "|":
				finish(true)
			case ";", "&", "&&", "||", "(", ")", ";;", "{", "}":
				finish(false)
			default: // redirections
				pendingRedir = op
			}
			i += len(op)
			continue
		}
		w, next := lx.word(i, hi, depth)
		if next <= i {
			next = i + 1
		}
		i = next
		// a word of digits right before a redirection is its descriptor: 2>&1
		if i < hi && (s[i] == '>' || s[i] == '<') && isDigits(w.text) && !w.quoted {
			pendingFD = w.text
			op := lx.operator(i, hi)
			if op == "" {
				op = s[i : i+1]
			}
			pendingRedir = op
			i += len(op)
			continue
		}
		addWord(w)
	}
	finish(false)
}

// continuation reports a line continuation at s[i]: backslash-newline (sh),
// backtick-newline (PowerShell), caret-newline (bat).
func (lx *shLexer) continuation(i, hi int) bool {
	s := lx.s
	if i+1 >= hi {
		return false
	}
	var esc byte = '\\'
	switch lx.d {
	case dialectPS:
		esc = '`'
	case dialectBat:
		esc = '^'
	}
	return s[i] == esc && (s[i+1] == '\n' || (s[i+1] == '\r' && i+2 < hi && s[i+2] == '\n'))
}

// operator returns the operator at s[i], or "".
func (lx *shLexer) operator(i, hi int) string {
	s := lx.s[i:hi]
	var ops []string
	switch lx.d {
	case dialectSh:
		ops = []string{"&&", "||", ";;", "<<<", "<<-", "<<", ">>", ">&", "&>", ">|", "<&", "<>", "|", "&", ";", "(", ")", ">", "<"}
	case dialectPS:
		ops = []string{"&&", "||", "*>>", "*>", ">>", "2>&1", ">", "<", "|", ";", "(", ")", "{", "}"}
	default:
		ops = []string{"&&", "||", ">>", ">&", "<&", "|", "&", "(", ")", ">", "<"}
	}
	for _, op := range ops {
		if strings.HasPrefix(s, op) {
			if lx.d == dialectSh && op == "(" && i > 0 && lx.s[i-1] == '$' {
				return ""
			}
			return op
		}
	}
	return ""
}

// heredocBodies skips the bodies of the here-documents that start at line
// i, lexing each as a script of its own (a here-document often feeds a
// shell or an interpreter), and returns the index after the last one.
func (lx *shLexer) heredocBodies(hs []heredoc, i, hi, depth int) int {
	s := lx.s
	for _, h := range hs {
		start, end := i, hi
		for i < hi {
			e := lineEnd(s, i, hi)
			// the delimiter is matched with any indentation: Jenkinsfiles
			// indent ''' scripts (and strip the indent with .stripIndent())
			if h.delim != "" && strings.TrimSpace(s[i:e]) == h.delim {
				end = i
				i = e
				if i < hi {
					i++
				}
				break
			}
			i = e
			if i < hi {
				i++
			}
		}
		if depth < 8 && end > start {
			lx.budget--
			lx.run(start, end, depth+1)
		}
	}
	return i
}

func lineEnd(s string, i, hi int) int {
	if e := strings.IndexByte(s[i:hi], '\n'); e >= 0 {
		return i + e
	}
	return hi
}

func isBatRem(s string) bool {
	return len(s) >= 3 && strings.EqualFold(s[:3], "rem") && (len(s) == 3 || s[3] == ' ' || s[3] == '\t' || s[3] == '\r' || s[3] == '\n')
}

// isAssignment reports NAME=value.
func isAssignment(w string) bool {
	eq := strings.IndexByte(w, '=')
	if eq <= 0 {
		return false
	}
	return isEnvName(w[:eq])
}

func isEnvName(n string) bool {
	if n == "" {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if !(c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// wordBuilder accumulates a word. Most words are a plain run of the
// script text: those stay a substring with no index table until a quote
// or an escape breaks the run.
type wordBuilder struct {
	s     string
	start int // the run s[start:start+n] while b is nil
	n     int
	b     []byte
	at    []int32
}

func (wb *wordBuilder) add(c byte, i int) {
	if wb.b == nil {
		if wb.n == 0 {
			wb.start = i
		}
		if i == wb.start+wb.n && wb.s[i] == c {
			wb.n++
			return
		}
		wb.b = make([]byte, 0, wb.n+16)
		wb.at = make([]int32, 0, wb.n+16)
		for k := wb.start; k < wb.start+wb.n; k++ {
			wb.b = append(wb.b, wb.s[k])
			wb.at = append(wb.at, int32(k))
		}
	}
	wb.b = append(wb.b, c)
	wb.at = append(wb.at, int32(i))
}

func (wb *wordBuilder) addRange(s string, from, to int) {
	for k := from; k < to; k++ {
		wb.add(s[k], k)
	}
}

// finish stores the text and index table in w.
func (wb *wordBuilder) finish(w *shWord) {
	if wb.b == nil {
		w.text, w.base = wb.s[wb.start:wb.start+wb.n], wb.start
		return
	}
	w.text, w.at = string(wb.b), wb.at
}

// wordEnd reports whether s[i] ends an unquoted word.
func (lx *shLexer) wordEnd(i, hi int) bool {
	c := lx.s[i]
	switch c {
	case ' ', '\t', '\n', '\r':
		return true
	case ';', '|', '&', '<', '>', '(', ')':
		if c == '(' && lx.d == dialectSh {
			return false // f(x) in here-documents of other languages; $( is read in word
		}
		if lx.d == dialectPS && (c == '(' || c == ')') {
			return i == 0 || lx.s[i-1] != '$'
		}
		return true
	case '{', '}':
		return lx.d == dialectPS
	}
	return lx.continuation(i, hi)
}

// word reads one word starting at s[i].
func (lx *shLexer) word(i, hi, depth int) (*shWord, int) {
	s := lx.s
	w := &shWord{start: i}
	wb := wordBuilder{s: s}
	quote := byte(0) // inside '…' or "…"
	for i < hi {
		c := s[i]
		if quote == 0 && lx.wordEnd(i, hi) {
			break
		}
		// Groovy interpolations and operands are values, whatever the quoting
		if c == '$' && lx.groovy(i) {
			e, ref := lx.groovyRef(i, hi)
			wb.addRange(s, i, e)
			w.refs = append(w.refs, ref)
			i = e
			continue
		}
		switch lx.d {
		case dialectSh:
			switch {
			case quote == '\'':
				if c == '\'' {
					quote = 0
					i++
					continue
				}
			case c == '\'' && quote == 0:
				quote, w.quoted = '\'', true
				i++
				continue
			case c == '"':
				if quote == '"' {
					quote = 0
				} else {
					quote, w.quoted = '"', true
				}
				i++
				continue
			case c == '\\' && i+1 < hi:
				n := s[i+1]
				if n == '\n' {
					i += 2
					continue
				}
				if quote == 0 || n == '$' || n == '`' || n == '"' || n == '\\' {
					wb.add(n, i+1)
					i += 2
					continue
				}
			case c == '$':
				if e, ok := lx.dollar(i, hi, depth, &wb, w); ok {
					i = e
					continue
				}
			case c == '`':
				e := closingBacktick(s, i+1, hi)
				lx.sub(i+1, e, depth)
				if e < hi {
					e++
				}
				wb.addRange(s, i, e)
				i = e
				continue
			}
		case dialectPS:
			switch {
			case quote == '\'':
				if c == '\'' {
					if i+1 < hi && s[i+1] == '\'' {
						wb.add('\'', i)
						i += 2
						continue
					}
					quote = 0
					i++
					continue
				}
			case c == '\'' && quote == 0:
				quote, w.quoted = '\'', true
				i++
				continue
			case c == '"':
				if quote == '"' {
					quote = 0
				} else {
					quote, w.quoted = '"', true
				}
				i++
				continue
			case c == '`' && i+1 < hi:
				wb.add(s[i+1], i+1)
				i += 2
				continue
			case c == '$':
				if e, ok := lx.psDollar(i, hi, depth, &wb, w); ok {
					i = e
					continue
				}
			}
		case dialectBat:
			switch {
			case c == '"':
				if quote == '"' {
					quote = 0
				} else {
					quote, w.quoted = '"', true
				}
				i++
				continue
			case c == '^' && quote == 0 && i+1 < hi:
				wb.add(s[i+1], i+1)
				i += 2
				continue
			case c == '%':
				if i+1 < hi && s[i+1] == '%' {
					wb.add('%', i)
					i += 2
					continue
				}
				if e := strings.IndexByte(s[i+1:hi], '%'); e > 0 && isEnvName(s[i+1:i+1+e]) {
					end := i + 1 + e + 1
					w.refs = append(w.refs, varRef{name: s[i+1 : i+1+e], start: i, end: end})
					wb.addRange(s, i, end)
					i = end
					continue
				}
			}
		}
		wb.add(c, i)
		i++
	}
	wb.finish(w)
	w.end = i
	return w, i
}

// groovyRef reads the Groovy interpolation at s[i] ('$'): ${expr} or
// $name.path, or an operand of a concatenation shown as ${source}.
func (lx *shLexer) groovyRef(i, hi int) (int, varRef) {
	s := lx.s
	if i+1 < hi && s[i+1] == '{' {
		e := matchBrace(s, i+1, hi)
		expr := strings.TrimSpace(s[i+2 : e-1])
		name, sliced, ok := groovyChain(expr)
		r := varRef{start: i, end: e, groovy: true, sliced: sliced}
		if ok {
			r.name = name
		}
		return e, r
	}
	e := i + 1
	for e < hi && (isIdentByte(s[e]) || s[e] == '.' && e+1 < hi && isIdentByte(s[e+1])) {
		e++
	}
	name, _, _ := groovyChain(s[i+1 : e])
	return e, varRef{name: name, start: i, end: e, groovy: true}
}

// groovyChain reads a Groovy expression that names a variable: X, env.X,
// X.method(…) (sliced: the value is transformed before it is used).
// Methods that only measure the value (length, size, isEmpty) make it no
// reference at all.
func groovyChain(expr string) (name string, sliced, ok bool) {
	expr = strings.TrimPrefix(expr, "env.")
	k := 0
	for k < len(expr) && isIdentByte(expr[k]) {
		k++
	}
	if k == 0 {
		return "", false, false
	}
	name, rest := expr[:k], expr[k:]
	if rest == "" {
		return name, false, true
	}
	if strings.HasPrefix(rest, ".") || strings.HasPrefix(rest, "?.") {
		m := strings.TrimLeft(rest, "?.")
		j := 0
		for j < len(m) && isIdentByte(m[j]) {
			j++
		}
		switch m[:j] {
		case "length", "size", "isEmpty", "empty", "hashCode", "isBlank":
			return "", false, false
		}
		return name, true, true
	}
	return "", false, false
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// matchBrace returns the index after the bracket closing s[open] ('{' or
// '('), skipping quoted text; hi when unclosed.
func matchBrace(s string, open, hi int) int {
	oc := s[open]
	cc := byte('}')
	if oc == '(' {
		cc = ')'
	}
	depth := 0
	for i := open; i < hi; i++ {
		switch c := s[i]; c {
		case '\\':
			i++
		case '\'', '"':
			if oc == '(' {
				if e := strings.IndexByte(s[i+1:hi], c); e >= 0 {
					i += e + 1
				}
			}
		case oc:
			depth++
		case cc:
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return hi
}

func closingBacktick(s string, i, hi int) int {
	for i < hi {
		if s[i] == '\\' {
			i += 2
			continue
		}
		if s[i] == '`' {
			return i
		}
		i++
	}
	return hi
}

// sub lexes the commands of a substitution s[lo:hi].
func (lx *shLexer) sub(lo, hi, depth int) {
	if depth >= 8 || lx.budget <= 0 || lo >= hi {
		return
	}
	lx.budget--
	lx.subst++
	lx.run(lo, hi, depth+1)
	lx.subst--
}

// dollar reads a shell expansion at s[i] == '$': $(…), $((…)), ${…}, $NAME.
func (lx *shLexer) dollar(i, hi, depth int, wb *wordBuilder, w *shWord) (int, bool) {
	s := lx.s
	if i+1 >= hi {
		return i, false
	}
	switch n := s[i+1]; {
	case n == '(':
		e := matchBrace(s, i+1, hi)
		if !(i+2 < hi && s[i+2] == '(') {
			lx.sub(i+2, max(i+2, e-1), depth)
		}
		wb.addRange(s, i, e)
		return e, true
	case n == '{':
		e := matchBrace(s, i+1, hi)
		body := s[i+2 : max(i+2, e-1)]
		k := 0
		for k < len(body) && isIdentByte(body[k]) {
			k++
		}
		if k > 0 && isEnvName(body[:k]) {
			w.refs = append(w.refs, varRef{name: body[:k], start: i, end: e, sliced: k < len(body) && body[k] != '}' && !strings.HasPrefix(body[k:], ":-") && !strings.HasPrefix(body[k:], ":+") && !strings.HasPrefix(body[k:], ":?") && !strings.HasPrefix(body[k:], ":=")})
		}
		wb.addRange(s, i, e)
		return e, true
	case n == '_' || n >= 'A' && n <= 'Z' || n >= 'a' && n <= 'z':
		e := i + 1
		for e < hi && isIdentByte(s[e]) {
			e++
		}
		w.refs = append(w.refs, varRef{name: s[i+1 : e], start: i, end: e})
		wb.addRange(s, i, e)
		return e, true
	}
	return i, false
}

// psDollar reads a PowerShell variable at s[i] == '$': $env:NAME,
// ${env:NAME}, $(…) subexpressions.
func (lx *shLexer) psDollar(i, hi, depth int, wb *wordBuilder, w *shWord) (int, bool) {
	s := lx.s
	rest := s[i:hi]
	switch {
	case strings.HasPrefix(rest, "$("):
		e := matchBrace(s, i+1, hi)
		lx.sub(i+2, max(i+2, e-1), depth)
		wb.addRange(s, i, e)
		return e, true
	case len(rest) > 6 && strings.EqualFold(rest[:6], "${env:"):
		e := matchBrace(s, i+1, hi)
		name := strings.TrimSuffix(s[i+6:e], "}")
		w.refs = append(w.refs, varRef{name: name, start: i, end: e})
		wb.addRange(s, i, e)
		return e, true
	case len(rest) > 5 && strings.EqualFold(rest[:5], "$env:"):
		e := i + 5
		for e < hi && isIdentByte(s[e]) {
			e++
		}
		if e > i+5 {
			w.refs = append(w.refs, varRef{name: s[i+5 : e], start: i, end: e})
		}
		wb.addRange(s, i, e)
		return e, true
	}
	return i, false
}

// cmdName returns the index in c.words of the command proper, skipping
// wrappers (sudo, env, nohup, timeout 30, xargs -r…), and the assignments
// that env and the command prefix set.
func (c *shCmd) cmdName(d dialect) (int, []*shWord) {
	assigns := append([]*shWord(nil), c.assigns...)
	i := 0
	for i < len(c.words) {
		name := baseName(c.words[i].text, d)
		switch name {
		case "sudo", "nohup", "exec", "command", "nice", "stdbuf", "xargs", "builtin", "time":
			i++
			for i < len(c.words) && strings.HasPrefix(c.words[i].text, "-") {
				if name == "sudo" && (c.words[i].text == "-u" || c.words[i].text == "-g") {
					i++
				}
				i++
			}
			continue
		case "env":
			j := i + 1
			for j < len(c.words) && (strings.HasPrefix(c.words[j].text, "-") || isAssignment(c.words[j].text)) {
				if isAssignment(c.words[j].text) {
					assigns = append(assigns, c.words[j])
				}
				j++
			}
			if j == len(c.words) {
				return i, assigns // env alone (or with assignments only) prints them
			}
			i = j
			continue
		case "timeout":
			i++
			for i < len(c.words) && strings.HasPrefix(c.words[i].text, "-") {
				i++
			}
			i++ // the duration
			continue
		}
		return i, assigns
	}
	return len(c.words), assigns
}

// baseName is the command name without its directory and, on Windows, its
// .exe suffix; PowerShell and cmd names are case-insensitive.
func baseName(w string, d dialect) string {
	if k := strings.LastIndexAny(w, `/\`); k >= 0 && k+1 < len(w) {
		w = w[k+1:]
	}
	if d != dialectSh {
		w = strings.ToLower(w)
		w = strings.TrimSuffix(w, ".exe")
	}
	return w
}

// name returns the command's name and its arguments.
func (c *shCmd) name(d dialect) (string, []*shWord, []*shWord) {
	i, assigns := c.cmdName(d)
	if i >= len(c.words) {
		return "", nil, assigns
	}
	return baseName(c.words[i].text, d), c.words[i+1:], assigns
}

// display is the command's name as written (without its directory).
func (c *shCmd) display(d dialect) string {
	i, _ := c.cmdName(d)
	if i >= len(c.words) {
		return ""
	}
	w := c.words[i].text
	if k := strings.LastIndexAny(w, `/\`); k >= 0 && k+1 < len(w) {
		w = w[k+1:]
	}
	return w
}

// outputKept reports whether the command's standard output goes somewhere
// other than the build log: a file, or a command that consumes it (any
// command but those that pass their input on, such as tee, base64 or cat).
func (c *shCmd) outputKept(d dialect) bool {
	if c.subst {
		return true
	}
	for _, r := range c.redirs {
		if (r.op == ">" || r.op == ">>" || r.op == ">|" || r.op == "&>" || r.op == "*>" || r.op == "*>>") && (r.fd == "" || r.fd == "1") {
			t := r.target.text
			if t == "/dev/stderr" || t == "/dev/stdout" || t == "/dev/tty" || t == "&2" || t == "&1" || strings.EqualFold(t, "con") {
				return false
			}
			return true
		}
	}
	if c.pipeTo == nil {
		return false
	}
	name, _, _ := c.pipeTo.name(d)
	if passThrough[name] {
		return c.pipeTo.outputKept(d)
	}
	return true
}

// passThrough commands print (a form of) their input.
var passThrough = map[string]bool{
	"cat": true, "tee": true, "base64": true, "xxd": true, "od": true, "hexdump": true, "rev": true,
	"sed": true, "awk": true, "cut": true, "tr": true, "head": true, "tail": true, "fold": true,
	"sort": true, "uniq": true, "grep": true, "egrep": true, "fgrep": true, "nl": true, "more": true, "less": true,
	"findstr": true, "out-host": true, "out-default": true, "write-host": true, "write-output": true,
}

// span converts a script-text span to file positions.
type scriptPos struct {
	pf   *jenkinsfile.File
	text *jenkinsfile.Decoded
}

// off maps a script-text index to a file offset.
func (sp scriptPos) off(i int) int { return sp.text.Offset(i) }

// endOff maps the end of a span [.., e) to the file offset after its last
// character.
func (sp scriptPos) endOff(e int) int {
	if e <= 0 {
		return sp.off(0)
	}
	o := sp.off(e - 1)
	data := sp.pf.Src.Data
	if e < len(sp.text.S) {
		if n := sp.off(e); n > o && n-o <= 12 {
			return n
		}
	}
	if o < len(data) {
		_, n := utf8.DecodeRune(data[o:])
		if data[o] == '\\' {
			n = 2
		}
		return o + n
	}
	return o
}

// finding builds a finding for the script-text span [s, e).
func (sp scriptPos) finding(s, e int, msg string) report.Finding {
	return report.Finding{Pos: sp.pf.PosAt(sp.off(s)), End: sp.pf.PosAt(sp.endOff(e)), Message: msg}
}

// scriptOf lexes the script of a shell step; nil when it has none.
func scriptOf(pf *jenkinsfile.File, st *jenkinsfile.Step) (*shScript, scriptPos) {
	sp := scriptPos{pf: pf, text: st.Text}
	if st.Text == nil || st.Text.S == "" {
		return nil, sp
	}
	return lexScript(st.Text.S, dialectOf(st.Name), groovyAt(pf, st)), sp
}

// groovyAt returns a function telling whether the '$' at index i of the
// step's script text starts a Groovy interpolation (or stands for a Groovy
// operand of a concatenation) rather than a '$' the shell sees.
func groovyAt(pf *jenkinsfile.File, st *jenkinsfile.Step) func(i int) bool {
	data := pf.Src.Data
	return func(i int) bool {
		if i < 0 || i >= len(st.Text.S) || st.Text.S[i] != '$' {
			return false
		}
		off := st.Text.Offset(i)
		if off < 0 || off >= len(data) {
			return false
		}
		switch data[off] {
		case '\\':
			return false // an escaped \$
		case '$':
			for _, t := range st.Strings {
				if t.Off <= off && off < t.End {
					return t.Quote.GString() && interpolationAt(t, off)
				}
			}
			return false
		}
		return true // ${source} of a non-string operand
	}
}

// interpolationAt reports whether a '$' at file offset off starts one of
// the token's interpolation parts.
func interpolationAt(t *jenkinsfile.Token, off int) bool {
	for k := range t.Parts {
		p := &t.Parts[k]
		switch p.Kind {
		case jenkinsfile.ExprPart:
			if p.Off-2 == off {
				return true
			}
		case jenkinsfile.PathPart:
			if p.Off-1 == off {
				return true
			}
		}
	}
	return false
}
