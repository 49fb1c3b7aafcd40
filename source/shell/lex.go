package shell

import "strings"

// Script is a lexed script: every command in text order (those of
// substitutions and here-documents included), and the tokens that cover
// its text.
type Script struct {
	Text    string
	Dialect Dialect
	Cmds    []*Cmd
	// Depth is 0 for a step's script and one more for each sh -c level.
	Depth int

	groovy func(i int) bool
	at     *stepPos // maps script indexes to the Jenkinsfile (nil: none)
	tokens []token  // of a script lexed by Parse (nil for Inner scripts)
}

// token is a Token stored in 12 bytes: a script is lexed for every shell
// step, its tokens are read rarely.
type token struct {
	start, end int32
	kind       TokenKind
}

// Tokens returns the tokens that cover the text in order (see Token); none
// for the script of an sh -c word (Inner), whose text is the step's.
func (s *Script) Tokens() []Token {
	out := make([]Token, len(s.tokens))
	for i, t := range s.tokens {
		out[i] = Token{t.kind, int(t.start), int(t.end)}
	}
	return out
}

// Comments returns the comment tokens.
func (s *Script) Comments() []Token {
	var out []Token
	for _, t := range s.tokens {
		if t.kind == Comment {
			out = append(out, Token{t.kind, int(t.start), int(t.end)})
		}
	}
	return out
}

// maxDepth bounds nesting: substitutions and here-documents inside each
// other are lexed 8 levels deep, sh -c scripts (Inner) 4.
const (
	maxDepth      = 8
	maxInnerDepth = 4
)

// Parse lexes script text s of dialect d. groovy tells whether the '$' at
// index i is a Groovy interpolation (nil: none is); Cache.Step passes the
// step's.
func Parse(s string, d Dialect, groovy func(i int) bool) *Script {
	if groovy == nil {
		groovy = func(int) bool { return false }
	}
	lx := &lexer{s: s, d: d, groovy: groovy, budget: 64, tokens: make([]token, 0, 8+len(s)/8)}
	lx.run(0, len(s), 0)
	return &Script{Text: s, Dialect: d, Cmds: sortCmds(lx.cmds), tokens: lx.tokens, groovy: groovy}
}

// sortCmds puts commands in text order: those of substitutions were
// appended when their word was read, before the command holding the word.
func sortCmds(cmds []*Cmd) []*Cmd {
	for i := 1; i < len(cmds); i++ {
		for j := i; j > 0 && cmds[j].Start < cmds[j-1].Start; j-- {
			cmds[j], cmds[j-1] = cmds[j-1], cmds[j]
		}
	}
	return cmds
}

// Inner returns the scripts of sh -c '…' in c (also inside docker run …
// sh -c '…') when the script is one quoted word, lexed once: nil at
// Depth 4 and beyond.
func (s *Script) Inner(c *Cmd) []*Script {
	if c.innerDone {
		return c.inner
	}
	c.innerDone = true
	if s.Depth >= maxInnerDepth {
		return nil
	}
	for k := 0; k+2 < len(c.Words); k++ {
		if !shells[BaseName(c.Words[k].Text, s.Dialect)] {
			continue
		}
		flag := c.Words[k+1].Text
		if len(flag) < 2 || flag[0] != '-' || !strings.HasSuffix(flag, "c") {
			continue
		}
		w := c.Words[k+2]
		if !w.Quoted || w.End-w.Start < 2 || len(w.Text) != w.End-w.Start-2 {
			continue
		}
		lx := &lexer{s: s.Text, d: s.Dialect, groovy: s.groovy, budget: 16}
		lx.run(w.Start+1, w.End-1, s.Depth+1)
		c.inner = append(c.inner, &Script{Text: s.Text, Dialect: s.Dialect, Cmds: sortCmds(lx.cmds), Depth: s.Depth + 1, groovy: s.groovy, at: s.at})
	}
	return c.inner
}

// lexer lexes one script.
type lexer struct {
	s      string
	d      Dialect
	groovy func(i int) bool
	cmds   []*Cmd
	budget int
	subst  int     // depth of command substitutions being lexed
	tokens []token // of the top level (depth 0) only; nil: not kept
}

// tok records a token of the top level, merging runs of blanks.
func (lx *lexer) tok(depth int, k TokenKind, start, end int) {
	if depth != 0 || lx.tokens == nil || end <= start {
		return
	}
	if n := len(lx.tokens); n > 0 && k == Space && lx.tokens[n-1].kind == Space && int(lx.tokens[n-1].end) == start {
		lx.tokens[n-1].end = int32(end)
		return
	}
	lx.tokens = append(lx.tokens, token{int32(start), int32(end), k})
}

type heredoc struct {
	delim string
	strip bool
}

// run lexes s[lo:hi] into commands.
func (lx *lexer) run(lo, hi, depth int) {
	s := lx.s
	cur := &Cmd{Start: -1}
	var pendingRedir string
	var pendingFD string
	var heredocs []heredoc
	var prev *Cmd // the command piped into the current one
	finish := func(pipe bool) {
		if len(cur.Words) > 0 || len(cur.Assigns) > 0 || len(cur.Redirs) > 0 {
			if prev != nil {
				prev.PipeTo = cur
				cur.Piped = true
			}
			cur.Subst = lx.subst > 0
			lx.cmds = append(lx.cmds, cur)
			if pipe {
				prev = cur
			} else {
				prev = nil
			}
		} else if !pipe {
			prev = nil
		}
		cur = &Cmd{Start: -1}
		pendingRedir, pendingFD = "", ""
	}
	addWord := func(w *Word) {
		if cur.Start < 0 {
			cur.Start = w.Start
		}
		if pendingRedir != "" {
			cur.Redirs = append(cur.Redirs, Redirect{Op: pendingRedir, FD: pendingFD, Target: w})
			if strings.HasPrefix(pendingRedir, "<<") && pendingRedir != "<<<" {
				cur.Heredoc = true
				heredocs = append(heredocs, heredoc{delim: w.Text, strip: pendingRedir == "<<-"})
			}
			pendingRedir, pendingFD = "", ""
			return
		}
		if len(cur.Words) == 0 {
			if lx.d == Sh && !w.Quoted && shKeywords[w.Text] {
				return
			}
			if lx.d == Sh && isAssignment(w.Text) {
				cur.Assigns = append(cur.Assigns, w)
				return
			}
		}
		cur.Words = append(cur.Words, w)
	}
	i := lo
	for i < hi {
		if lx.budget <= 0 && depth > 0 {
			return
		}
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			lx.tok(depth, Space, i, i+1)
			i++
			continue
		case c == '\n':
			finish(false)
			lx.tok(depth, Newline, i, i+1)
			i++
			if len(heredocs) > 0 {
				from := i
				i = lx.heredocBodies(heredocs, i, hi, depth)
				lx.tok(depth, HeredocBody, from, i)
				heredocs = nil
			}
			continue
		case lx.continuation(i, hi):
			from := i
			i += 2
			if i < hi && s[i-1] == '\r' && s[i] == '\n' {
				i++
			}
			lx.tok(depth, Space, from, i)
			continue
		}
		// comments
		if c == '#' && lx.d != Bat {
			e := lineEnd(s, i, hi)
			lx.tok(depth, Comment, i, e)
			i = e
			continue
		}
		if lx.d == PowerShell && c == '<' && i+1 < hi && s[i+1] == '#' {
			e := hi
			if k := strings.Index(s[i+2:hi], "#>"); k >= 0 {
				e = i + 2 + k + 2
			}
			lx.tok(depth, Comment, i, e)
			i = e
			continue
		}
		if lx.d == Bat && len(cur.Words) == 0 && pendingRedir == "" {
			if c == '@' {
				lx.tok(depth, Space, i, i+1)
				i++
				continue
			}
			if strings.HasPrefix(s[i:hi], "::") || isBatRem(s[i:hi]) {
				e := lineEnd(s, i, hi)
				lx.tok(depth, Comment, i, e)
				i = e
				continue
			}
		}
		// operators
		if op := lx.operator(i, hi); op != "" {
			switch op {
			case "|":
				finish(true)
				lx.tok(depth, Operator, i, i+len(op))
			case ";", "&", "&&", "||", "(", ")", ";;", "{", "}":
				finish(false)
				lx.tok(depth, Operator, i, i+len(op))
			default: // redirections
				pendingRedir = op
				lx.tok(depth, Redir, i, i+len(op))
			}
			i += len(op)
			continue
		}
		from := i
		w, next := lx.word(i, hi, depth)
		if next <= i {
			next = i + 1
		}
		i = next
		// a word of digits right before a redirection is its descriptor: 2>&1
		if i < hi && (s[i] == '>' || s[i] == '<') && isDigits(w.Text) && !w.Quoted {
			pendingFD = w.Text
			op := lx.operator(i, hi)
			if op == "" {
				op = s[i : i+1]
			}
			pendingRedir = op
			i += len(op)
			lx.tok(depth, Redir, from, i)
			continue
		}
		lx.tok(depth, WordTok, from, i)
		addWord(w)
	}
	finish(false)
}

// continuation reports a line continuation at s[i]: backslash-newline (sh),
// backtick-newline (PowerShell), caret-newline (bat).
func (lx *lexer) continuation(i, hi int) bool {
	s := lx.s
	if i+1 >= hi {
		return false
	}
	var esc byte = '\\'
	switch lx.d {
	case PowerShell:
		esc = '`'
	case Bat:
		esc = '^'
	}
	return s[i] == esc && (s[i+1] == '\n' || (s[i+1] == '\r' && i+2 < hi && s[i+2] == '\n'))
}

// operator returns the operator at s[i], or "".
func (lx *lexer) operator(i, hi int) string {
	s := lx.s[i:hi]
	ops := operators[Bat]
	if int(lx.d) < len(operators) {
		ops = operators[lx.d]
	}
	for _, op := range ops {
		if strings.HasPrefix(s, op) {
			if lx.d == Sh && op == "(" && i > 0 && lx.s[i-1] == '$' {
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
func (lx *lexer) heredocBodies(hs []heredoc, i, hi, depth int) int {
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
		if depth < maxDepth && end > start {
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

// isEnvName reports whether n is a variable name: a letter or underscore,
// then letters, digits and underscores.
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
func (wb *wordBuilder) finish(w *Word) {
	if wb.b == nil {
		w.Text, w.base = wb.s[wb.start:wb.start+wb.n], wb.start
		return
	}
	w.Text, w.at = string(wb.b), wb.at
}

// wordEnd reports whether s[i] ends an unquoted word.
func (lx *lexer) wordEnd(i, hi int) bool {
	c := lx.s[i]
	switch c {
	case ' ', '\t', '\n', '\r':
		return true
	case ';', '|', '&', '<', '>', '(', ')':
		if c == '(' && lx.d == Sh {
			return false // f(x) in here-documents of other languages; $( is read in word
		}
		if lx.d == PowerShell && (c == '(' || c == ')') {
			return i == 0 || lx.s[i-1] != '$'
		}
		return true
	case '{', '}':
		return lx.d == PowerShell
	}
	return lx.continuation(i, hi)
}

// word reads one word starting at s[i].
func (lx *lexer) word(i, hi, depth int) (*Word, int) {
	s := lx.s
	w := &Word{Start: i}
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
			w.Refs = append(w.Refs, ref)
			i = e
			continue
		}
		switch lx.d {
		case Sh:
			switch {
			case quote == '\'':
				if c == '\'' {
					quote = 0
					i++
					continue
				}
			case c == '\'' && quote == 0:
				quote, w.Quoted = '\'', true
				i++
				continue
			case c == '"':
				if quote == '"' {
					quote = 0
				} else {
					quote, w.Quoted = '"', true
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
		case PowerShell:
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
				quote, w.Quoted = '\'', true
				i++
				continue
			case c == '"':
				if quote == '"' {
					quote = 0
				} else {
					quote, w.Quoted = '"', true
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
		case Bat:
			switch {
			case c == '"':
				if quote == '"' {
					quote = 0
				} else {
					quote, w.Quoted = '"', true
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
					w.Refs = append(w.Refs, Ref{Name: s[i+1 : i+1+e], Start: i, End: end})
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
	w.End = i
	return w, i
}

// groovyRef reads the Groovy interpolation at s[i] ('$'): ${expr} or
// $name.path, or an operand of a concatenation shown as ${source}.
func (lx *lexer) groovyRef(i, hi int) (int, Ref) {
	s := lx.s
	if i+1 < hi && s[i+1] == '{' {
		e := matchBrace(s, i+1, hi)
		expr := strings.TrimSpace(s[i+2 : max(i+2, e-1)])
		name, sliced, ok := GroovyChain(expr)
		r := Ref{Start: i, End: e, Groovy: true, Sliced: sliced}
		if ok {
			r.Name = name
		}
		return e, r
	}
	e := i + 1
	for e < hi && (IsIdentByte(s[e]) || s[e] == '.' && e+1 < hi && IsIdentByte(s[e+1])) {
		e++
	}
	name, _, _ := GroovyChain(s[i+1 : e])
	return e, Ref{Name: name, Start: i, End: e, Groovy: true}
}

// GroovyChain reads a Groovy expression that names a variable: X, env.X,
// X.method(…) (sliced: the value is transformed before it is used).
// Methods that only measure the value (length, size, isEmpty) make it no
// reference at all.
func GroovyChain(expr string) (name string, sliced, ok bool) {
	expr = strings.TrimPrefix(expr, "env.")
	k := 0
	for k < len(expr) && IsIdentByte(expr[k]) {
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
		for j < len(m) && IsIdentByte(m[j]) {
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

// IsIdentByte reports a byte of an identifier: a letter, digit or '_'.
func IsIdentByte(c byte) bool {
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
func (lx *lexer) sub(lo, hi, depth int) {
	if depth >= maxDepth || lx.budget <= 0 || lo >= hi {
		return
	}
	lx.budget--
	lx.subst++
	lx.run(lo, hi, depth+1)
	lx.subst--
}

// dollar reads a shell expansion at s[i] == '$': $(…), $((…)), ${…}, $NAME.
func (lx *lexer) dollar(i, hi, depth int, wb *wordBuilder, w *Word) (int, bool) {
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
		for k < len(body) && IsIdentByte(body[k]) {
			k++
		}
		if k > 0 && isEnvName(body[:k]) {
			w.Refs = append(w.Refs, Ref{Name: body[:k], Start: i, End: e, Sliced: k < len(body) && body[k] != '}' && !strings.HasPrefix(body[k:], ":-") && !strings.HasPrefix(body[k:], ":+") && !strings.HasPrefix(body[k:], ":?") && !strings.HasPrefix(body[k:], ":=")})
		}
		wb.addRange(s, i, e)
		return e, true
	case n == '_' || n >= 'A' && n <= 'Z' || n >= 'a' && n <= 'z':
		e := i + 1
		for e < hi && IsIdentByte(s[e]) {
			e++
		}
		w.Refs = append(w.Refs, Ref{Name: s[i+1 : e], Start: i, End: e})
		wb.addRange(s, i, e)
		return e, true
	}
	return i, false
}

// psDollar reads a PowerShell variable at s[i] == '$': $env:NAME,
// ${env:NAME}, $(…) subexpressions.
func (lx *lexer) psDollar(i, hi, depth int, wb *wordBuilder, w *Word) (int, bool) {
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
		w.Refs = append(w.Refs, Ref{Name: name, Start: i, End: e})
		wb.addRange(s, i, e)
		return e, true
	case len(rest) > 5 && strings.EqualFold(rest[:5], "$env:"):
		e := i + 5
		for e < hi && IsIdentByte(s[e]) {
			e++
		}
		if e > i+5 {
			w.Refs = append(w.Refs, Ref{Name: s[i+5 : e], Start: i, End: e})
		}
		wb.addRange(s, i, e)
		return e, true
	}
	return i, false
}
