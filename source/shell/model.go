package shell

import "strings"

// Dialect is the script language of a step.
type Dialect uint8

// Dialects.
const (
	Sh         Dialect = iota // sh: POSIX shell
	Bat                       // bat: cmd.exe
	PowerShell                // powershell, pwsh
)

var dialectNames = [...]string{"sh", "bat", "powershell"}

// String names the dialect.
func (d Dialect) String() string {
	if int(d) < len(dialectNames) {
		return dialectNames[d]
	}
	return "sh"
}

// DialectOf is the dialect of a step: bat, powershell and pwsh have their
// own; everything else is POSIX shell.
func DialectOf(step string) Dialect {
	switch step {
	case "bat":
		return Bat
	case "powershell", "pwsh":
		return PowerShell
	}
	return Sh
}

// Ref is a reference to a variable in a script: $X, ${X}, ${X:-d},
// ${X:0:4} (sh), %X% (bat), $env:X (PowerShell), or a Groovy interpolation
// ${X} / ${env.X} / $X of a GString script (Groovy). Start and End are its
// span in the script text.
type Ref struct {
	Name       string // "" for a Groovy expression that names no variable
	Start, End int
	Groovy     bool // expanded by Groovy before the step runs
	Sliced     bool // a transformation: ${X:0:4}, ${X//a/b}, ${X.take(4)}
}

// Word is one word: its text with quotes and escapes removed, the span of
// the script text it was read from, and for each byte of Text the script
// index it came from (Index).
type Word struct {
	Text       string
	Start, End int
	Quoted     bool  // some of it was inside quotes
	Refs       []Ref // the variables it reads, in order
	at         []int32
	base       int
}

// Index is the script-text index of byte i of Text; len(Text) (and any
// index out of range) maps to End.
func (w *Word) Index(i int) int {
	if i >= len(w.Text) || i < 0 {
		return w.End
	}
	if w.at == nil {
		return w.base + i
	}
	return int(w.at[i])
}

// Redirect is a redirection: Op (>, >>, <, <<, &>, >&, *>…), the file
// descriptor written before it ("" when none: 2 in 2>&1) and its target
// (for here-documents, the delimiter word).
type Redirect struct {
	Op     string
	FD     string
	Target *Word
}

// Cmd is one simple command.
type Cmd struct {
	Assigns []*Word // NAME=value words before the command name (sh)
	Words   []*Word // the command name and its arguments
	Redirs  []Redirect
	PipeTo  *Cmd // the command this one's output is piped into
	Piped   bool // input comes from a pipe
	Start   int  // script index of its first word (-1: none)
	Heredoc bool // reads a here-document
	Subst   bool // inside $(…) or `…`: its output is captured, not logged

	inner     []*Script // the scripts of sh -c '…' (Inner)
	innerDone bool
}

// NameIndex returns the index in Words of the command proper, skipping
// wrappers (sudo, env, nohup, timeout 30, xargs -r…: Wrappers), and the
// assignments that env and the command prefix set.
func (c *Cmd) NameIndex(d Dialect) (int, []*Word) {
	assigns := append([]*Word(nil), c.Assigns...)
	i := 0
	for i < len(c.Words) {
		name := BaseName(c.Words[i].Text, d)
		w, ok := wrappers[name]
		if !ok {
			return i, assigns
		}
		switch w.kind {
		case wrapFlags:
			i++
			for i < len(c.Words) && strings.HasPrefix(c.Words[i].Text, "-") {
				if w.valueFlags[c.Words[i].Text] {
					i++
				}
				i++
			}
		case wrapEnv:
			j := i + 1
			for j < len(c.Words) && (strings.HasPrefix(c.Words[j].Text, "-") || isAssignment(c.Words[j].Text)) {
				if isAssignment(c.Words[j].Text) {
					assigns = append(assigns, c.Words[j])
				}
				j++
			}
			if j == len(c.Words) {
				return i, assigns // env alone (or with assignments only) prints them
			}
			i = j
		case wrapDuration:
			i++
			for i < len(c.Words) && strings.HasPrefix(c.Words[i].Text, "-") {
				i++
			}
			i++ // the duration
		}
	}
	return len(c.Words), assigns
}

// Name returns the command's name (BaseName), its arguments, and the
// assignments it runs with.
func (c *Cmd) Name(d Dialect) (string, []*Word, []*Word) {
	i, assigns := c.NameIndex(d)
	if i >= len(c.Words) {
		return "", nil, assigns
	}
	return BaseName(c.Words[i].Text, d), c.Words[i+1:], assigns
}

// Display is the command's name as written (without its directory).
func (c *Cmd) Display(d Dialect) string {
	i, _ := c.NameIndex(d)
	if i >= len(c.Words) {
		return ""
	}
	w := c.Words[i].Text
	if k := strings.LastIndexAny(w, `/\`); k >= 0 && k+1 < len(w) {
		w = w[k+1:]
	}
	return w
}

// OutputKept reports whether the command's standard output goes somewhere
// other than the build log: a file, a command substitution, or a command
// that consumes it (any command but those that pass their input on:
// passThrough).
func (c *Cmd) OutputKept(d Dialect) bool {
	if c.Subst {
		return true
	}
	for _, r := range c.Redirs {
		if (r.Op == ">" || r.Op == ">>" || r.Op == ">|" || r.Op == "&>" || r.Op == "*>" || r.Op == "*>>") && (r.FD == "" || r.FD == "1") {
			t := r.Target.Text
			if t == "/dev/stderr" || t == "/dev/stdout" || t == "/dev/tty" || t == "&2" || t == "&1" || strings.EqualFold(t, "con") {
				return false
			}
			return true
		}
	}
	if c.PipeTo == nil {
		return false
	}
	name, _, _ := c.PipeTo.Name(d)
	if passThrough[name] {
		return c.PipeTo.OutputKept(d)
	}
	return true
}

// BaseName is a command name without its directory and, on Windows, its
// .exe suffix; PowerShell and cmd names are case-insensitive, so they are
// lower-cased.
func BaseName(w string, d Dialect) string {
	if k := strings.LastIndexAny(w, `/\`); k >= 0 && k+1 < len(w) {
		w = w[k+1:]
	}
	if d != Sh {
		w = strings.ToLower(w)
		w = strings.TrimSuffix(w, ".exe")
	}
	return w
}

// TokenKind is the kind of a Token.
type TokenKind uint8

// Token kinds.
const (
	Space       TokenKind = iota // blanks, line continuations, bat's @
	Newline                      // a line end (ends a command)
	Comment                      // # …, <# … #> (PowerShell), REM / :: (bat)
	Operator                     // ; & && || | ( ) ;; { } (PowerShell)
	Redir                        // a redirection operator, with its descriptor (2>)
	WordTok                      // a word (Cmd.Words, Assigns, Redirect targets)
	HeredocBody                  // the bodies of the here-documents of the line before
)

var tokenNames = [...]string{"space", "newline", "comment", "operator", "redir", "word", "heredoc"}

// String names the token kind.
func (k TokenKind) String() string {
	if int(k) < len(tokenNames) {
		return tokenNames[k]
	}
	return "?"
}

// Token is a span [Start, End) of the script text. The tokens of a Script
// cover its text in order, without gaps or overlaps; a word's token covers
// the substitutions inside it, and a here-document body token the commands
// lexed from it.
type Token struct {
	Kind       TokenKind
	Start, End int
}
