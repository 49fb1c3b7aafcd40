package plugins

// A small lexer for the words of Dockerfile instructions and of the shell
// commands in RUN lines. Every byte of a word keeps the file offset it came
// from, through quotes, escapes and ${VAR} substitution (a substituted byte
// keeps the offset where the ARG or ENV value is written), so a pin read
// from `--plugins oic-auth:${OIC_VERSION}` points at the ARG's default.

// word is a lexed word: its bytes and the file offset of each.
type word struct {
	b    []byte
	offs []int
	// unresolved is set when the word holds a variable with no known value
	// or a command substitution: its text is not what runs.
	unresolved bool
	// quotedAt is the index of the first byte that was quoted or escaped,
	// -1 when none (so NAME= of an assignment is told from "NAME=").
	quotedAt int
}

func (w *word) add(c byte, off int) {
	w.b = append(w.b, c)
	w.offs = append(w.offs, off)
}

// maxWordLen bounds a word's length: ENV A=$A$A, repeated, would double
// it with each line. A longer word is cut and counts as unresolved.
const maxWordLen = 64 << 10

func (w *word) addWord(v word) {
	if len(w.b)+len(v.b) > maxWordLen {
		w.unresolved = true
		return
	}
	w.b = append(w.b, v.b...)
	w.offs = append(w.offs, v.offs...)
	if v.unresolved {
		w.unresolved = true
	}
}

func (w word) String() string { return string(w.b) }

// token is a word or, in shell mode, an operator ("&&", "|", ";", "<"…).
type token struct {
	op string
	w  word
}

// vars looks a variable up: its value and whether it is set.
type vars func(name string) (word, bool)

type lexer struct {
	b     []byte
	offs  []int
	i     int
	shell bool // operators, comments, newlines as separators
	esc   byte // the escape character
	vars  vars
	depth int
}

// maxExpandDepth bounds nested ${…:-${…}} defaults.
const maxExpandDepth = 32

// lexWords splits text into words (no operators): the arguments of a
// Dockerfile instruction, quotes removed and variables substituted.
func lexWords(b []byte, offs []int, esc byte, v vars) []word {
	lx := &lexer{b: b, offs: offs, esc: esc, vars: v}
	var out []word
	for _, t := range lx.run() {
		if t.op == "" {
			out = append(out, t.w)
		}
	}
	return out
}

// lexShell splits a shell command line into words and operators.
func lexShell(b []byte, offs []int, v vars, depth int) []token {
	lx := &lexer{b: b, offs: offs, shell: true, esc: '\\', vars: v, depth: depth}
	return lx.run()
}

func (lx *lexer) run() []token {
	var out []token
	var cur word
	cur.quotedAt = -1
	have := false
	flush := func() {
		if have {
			out = append(out, token{w: cur})
		}
		cur = word{quotedAt: -1}
		have = false
	}
	b := lx.b
	for lx.i < len(b) {
		c := b[lx.i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			flush()
			lx.i++
		case c == '\n':
			flush()
			if lx.shell {
				out = append(out, token{op: ";"})
			}
			lx.i++
		case lx.shell && c == '#' && !have:
			for lx.i < len(b) && b[lx.i] != '\n' {
				lx.i++
			}
		case lx.shell && (c == '&' || c == '|' || c == ';' || c == '(' || c == ')' || c == '<' || c == '>'):
			if (c == '<' || c == '>') && have && isDigits(cur.b) && cur.quotedAt < 0 {
				cur = word{quotedAt: -1} // a file descriptor number: 2>file
				have = false
			}
			flush()
			out = append(out, token{op: lx.operator()})
		case c == lx.esc:
			if lx.i+1 < len(b) {
				if b[lx.i+1] == '\n' {
					lx.i += 2 // line continuation
					continue
				}
				cur.add(b[lx.i+1], lx.offs[lx.i+1])
				if cur.quotedAt < 0 {
					cur.quotedAt = len(cur.b) - 1
				}
				have = true
			}
			lx.i += 2
		case c == '\'':
			have = true
			if cur.quotedAt < 0 {
				cur.quotedAt = len(cur.b)
			}
			lx.i++
			for lx.i < len(b) && b[lx.i] != '\'' {
				cur.add(b[lx.i], lx.offs[lx.i])
				lx.i++
			}
			lx.i++
		case c == '"':
			have = true
			if cur.quotedAt < 0 {
				cur.quotedAt = len(cur.b)
			}
			lx.i++
			for lx.i < len(b) && b[lx.i] != '"' {
				d := b[lx.i]
				switch {
				case d == lx.esc && lx.i+1 < len(b) && isDQEscapable(b[lx.i+1]):
					if b[lx.i+1] != '\n' {
						cur.add(b[lx.i+1], lx.offs[lx.i+1])
					}
					lx.i += 2
				case d == '$':
					lx.dollar(&cur)
				case d == '`':
					lx.backquote(&cur)
				default:
					cur.add(d, lx.offs[lx.i])
					lx.i++
				}
			}
			lx.i++
		case c == '$':
			have = true
			lx.dollar(&cur)
		case c == '`' && lx.shell:
			have = true
			lx.backquote(&cur)
		default:
			have = true
			cur.add(c, lx.offs[lx.i])
			lx.i++
		}
	}
	flush()
	return out
}

func isDQEscapable(c byte) bool {
	return c == '"' || c == '\\' || c == '$' || c == '`' || c == '\n'
}

func isDigits(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// operator reads a shell operator at lx.i.
func (lx *lexer) operator() string {
	b := lx.b
	for _, op := range []string{"<<<", "<<-", "&&", "||", ";;", "<<", ">>", "&>", ">&", "<&", "<>", ">|"} {
		if lx.i+len(op) <= len(b) && string(b[lx.i:lx.i+len(op)]) == op {
			lx.i += len(op)
			return op
		}
	}
	lx.i++
	return string(b[lx.i-1])
}

// backquote copies a `…` command substitution through, unresolved.
func (lx *lexer) backquote(w *word) {
	b := lx.b
	w.add(b[lx.i], lx.offs[lx.i])
	lx.i++
	for lx.i < len(b) && b[lx.i] != '`' {
		w.add(b[lx.i], lx.offs[lx.i])
		lx.i++
	}
	if lx.i < len(b) {
		w.add(b[lx.i], lx.offs[lx.i])
		lx.i++
	}
	w.unresolved = true
}

func isNameStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isNameByte(c byte) bool { return isNameStart(c) || c >= '0' && c <= '9' }

// dollar expands $NAME, ${NAME}, ${NAME:-default}, ${NAME-default},
// ${NAME:+alt}, ${NAME+alt}; copies $(…) through, unresolved; a variable
// without a known value stays as written, unresolved.
func (lx *lexer) dollar(w *word) {
	b := lx.b
	start := lx.i
	if lx.i+1 >= len(b) {
		w.add('$', lx.offs[lx.i])
		lx.i++
		return
	}
	next := b[lx.i+1]
	switch {
	case next == '(':
		depth := 0
		for lx.i < len(b) {
			c := b[lx.i]
			w.add(c, lx.offs[lx.i])
			lx.i++
			if c == '(' {
				depth++
			} else if c == ')' {
				depth--
				if depth == 0 {
					break
				}
			}
		}
		w.unresolved = true
	case next == '{':
		j := lx.i + 2
		for j < len(b) && isNameByte(b[j]) {
			j++
		}
		name := string(b[lx.i+2 : j])
		// find the matching '}'
		k, depth := j, 1
		for k < len(b) {
			if b[k] == '{' {
				depth++
			} else if b[k] == '}' {
				depth--
				if depth == 0 {
					break
				}
			}
			k++
		}
		if name == "" || k >= len(b) {
			lx.literal(w, start, min(k+1, len(b)))
			return
		}
		lx.i = k + 1
		mod := string(b[j:k])
		val, set := lx.lookup(name)
		var op string
		var argStart int
		switch {
		case mod == "":
		case len(mod) >= 2 && mod[0] == ':' && (mod[1] == '-' || mod[1] == '+' || mod[1] == '='):
			op, argStart = mod[:2], j+2
		case mod[0] == '-' || mod[0] == '+' || mod[0] == '=':
			op, argStart = mod[:1], j+1
		default:
			// ${NAME%…}, ${NAME#…}, ${NAME/…}…: not evaluated
			lx.literal(w, start, k+1)
			w.unresolved = true
			return
		}
		nonEmpty := set && len(val.b) > 0
		useArg := func() {
			if lx.depth >= maxExpandDepth {
				w.unresolved = true
				return
			}
			sub := &lexer{b: b[argStart:k], offs: lx.offs[argStart:k], esc: lx.esc, vars: lx.vars, depth: lx.depth + 1}
			for n, t := range sub.run() {
				if n > 0 {
					w.add(' ', lx.offs[argStart])
				}
				w.addWord(t.w)
			}
		}
		switch op {
		case "":
			if set {
				w.addWord(val)
			} else {
				lx.literal(w, start, k+1)
				w.unresolved = true
			}
		case ":-", ":=":
			if nonEmpty {
				w.addWord(val)
			} else {
				useArg()
			}
		case "-", "=":
			if set {
				w.addWord(val)
			} else {
				useArg()
			}
		case ":+":
			if nonEmpty {
				useArg()
			}
		case "+":
			if set {
				useArg()
			}
		}
	case isNameStart(next):
		j := lx.i + 1
		for j < len(b) && isNameByte(b[j]) {
			j++
		}
		name := string(b[lx.i+1 : j])
		lx.i = j
		if val, set := lx.lookup(name); set {
			w.addWord(val)
		} else {
			lx.literal(w, start, j)
			w.unresolved = true
		}
	default:
		w.add('$', lx.offs[lx.i])
		lx.i++
	}
}

func (lx *lexer) literal(w *word, from, to int) {
	for i := from; i < to; i++ {
		w.add(lx.b[i], lx.offs[i])
	}
	lx.i = to
}

func (lx *lexer) lookup(name string) (word, bool) {
	if lx.vars == nil {
		return word{}, false
	}
	return lx.vars(name)
}
