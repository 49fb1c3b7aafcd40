package access

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jmespath-community/go-jmespath/pkg/parsing"
)

// Since oic-auth 4.225 the realm's claim fields (userNameField,
// groupsFieldName, emailFieldName, fullNameFieldName, tokenFieldToCheckKey)
// are JMESPath expressions, compiled by jmespath-java's JcfRuntime with
// silent type errors. Compile gives the plugin's answer in two steps:
//
//   - this file checks the text against jmespath-java's grammar (its ANTLR
//     JmesPath.g4) and function registry, so that everything the plugin
//     refuses is a *SyntaxError with the rune column of the offending token
//     (jmespath-java reports unknown functions and wrong arities at compile
//     time too). The Go library speaks the JMESPath Community dialect, a
//     superset: arithmetic (a-b is a subtraction there, an error in the
//     plugin), $ and let, and a dozen more functions; none of those get past
//     this check.
//   - jmespath_eval.go parses the text again with
//     github.com/jmespath-community/go-jmespath and evaluates it with that
//     library's interpreter, in the order jmespath-java keeps (see there).

// ErrUnsupported marks an expression jmespath-java accepts but the evaluator
// here cannot run. Nothing known reaches it; it is kept so that such an
// expression would be reported as not evaluated rather than answered wrongly.
var ErrUnsupported = errors.New("is JMESPath that jmespath-java accepts but this tool's evaluator does not run")

// SyntaxError is a claim field the plugin cannot compile: not valid JMESPath
// for jmespath-java, or a call of a function it does not have, or with the
// wrong number of arguments. The plugin then reads nothing from the token.
type SyntaxError struct {
	Expr string
	Pos  int // rune offset of the offending token
	Msg  string
	// Function names the function of a call jmespath-java refuses (unknown,
	// or the wrong number of arguments); "" for other errors.
	Function string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("not a valid JMESPath expression: %s at column %d", e.Msg, e.Pos+1)
}

// Expr is a compiled claim expression.
type Expr struct {
	src string
	run parsing.ASTNode // the library's tree, rewritten to keep jmespath-java's order (jmespath_eval.go)
	// calls are the functions run calls; only those are set up per search.
	calls []string
	root  string
	// simple is set when the expression is one claim name, plain or quoted.
	simple bool
}

// String returns the source text.
func (e *Expr) String() string { return e.src }

// Simple reports whether the expression is one claim name (plain or quoted):
// the common case, for which "absent" means the token lacks that claim.
func (e *Expr) Simple() (name string, ok bool) {
	if e.simple {
		return e.root, true
	}
	return "", false
}

// Root returns the first claim name the expression reads, or "" when it
// starts elsewhere (@, a wildcard, a function, a literal, a multi-select).
func (e *Expr) Root() string { return e.root }

// Compile parses a claim field. It returns a *SyntaxError for text the plugin
// cannot compile either, and ErrUnsupported (wrapped) for what it compiles but
// this tool cannot evaluate.
func Compile(src string) (*Expr, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	c := &checker{src: src, toks: toks}
	if err := c.expression(0); err != nil {
		return nil, err
	}
	if t := c.cur(); t.kind != tEOF {
		return nil, c.unexpected(t)
	}
	for _, call := range c.calls {
		if err := checkCall(src, call); err != nil {
			return nil, err
		}
	}
	ast, err := parsing.NewParser().Parse(src)
	if err != nil {
		return nil, fmt.Errorf("%q %w (%v)", src, ErrUnsupported, err)
	}
	if n, ok := communityOnly(ast); ok {
		return nil, fmt.Errorf("%q %w (%s)", src, ErrUnsupported, n)
	}
	e := &Expr{src: src, run: rewrite(ast)}
	e.calls = called(e.run, e.calls)
	e.root, e.simple = rootOf(ast)
	return e, nil
}

// rootOf follows the left side of the expression to the claim it starts
// from.
func rootOf(n parsing.ASTNode) (string, bool) {
	if n.NodeType == parsing.ASTField {
		return n.Value.(string), true
	}
	for {
		switch n.NodeType {
		case parsing.ASTField:
			return n.Value.(string), false
		case parsing.ASTSubexpression, parsing.ASTIndexExpression, parsing.ASTProjection,
			parsing.ASTFilterProjection, parsing.ASTFlatten, parsing.ASTValueProjection, parsing.ASTPipe:
			if len(n.Children) == 0 {
				return "", false
			}
			n = n.Children[0]
		default:
			return "", false
		}
	}
}

// communityOnly finds a node of the Community dialect that jmespath-java's
// grammar has no syntax for. The grammar check lets none through; this is a
// second guard, so that such a node is never evaluated.
func communityOnly(n parsing.ASTNode) (string, bool) {
	switch n.NodeType {
	case parsing.ASTArithmeticExpression, parsing.ASTArithmeticUnaryExpression, parsing.ASTRootNode,
		parsing.ASTVariable, parsing.ASTBindings, parsing.ASTLetExpression:
		return n.NodeType.String(), true
	}
	for _, c := range n.Children {
		if s, ok := communityOnly(c); ok {
			return s, true
		}
	}
	return "", false
}

// javaFunctions is jmespath-java's FunctionRegistry.defaultRegistry (the
// functions of the JMESPath specification) with each function's arity: min
// arguments, and max (-1: any number). The plugin's JcfRuntime uses that
// registry; a name outside it, or a call with another number of arguments,
// fails to compile there.
var javaFunctions = map[string][2]int{
	"abs": {1, 1}, "avg": {1, 1}, "ceil": {1, 1}, "contains": {2, 2}, "ends_with": {2, 2},
	"floor": {1, 1}, "join": {2, 2}, "keys": {1, 1}, "length": {1, 1}, "map": {2, 2},
	"max": {1, 1}, "max_by": {2, 2}, "merge": {1, -1}, "min": {1, 1}, "min_by": {2, 2},
	"not_null": {1, -1}, "reverse": {1, 1}, "sort": {1, 1}, "sort_by": {2, 2},
	"starts_with": {2, 2}, "sum": {1, 1}, "to_array": {1, 1}, "to_number": {1, 1},
	"to_string": {1, 1}, "type": {1, 1}, "values": {1, 1},
}

// communityFunctions are the functions the JMESPath Community edition adds;
// the refusal says so, since its documentation is where such names come from.
func communityFunctions(s string) bool {
	switch s {
	case "find_first", "find_last", "from_items", "group_by", "items", "lower",
		"pad_left", "pad_right", "replace", "split", "trim", "trim_left",
		"trim_right", "upper", "zip":
		return true
	}
	return false
}

func checkCall(src string, c call) error {
	arity, ok := javaFunctions[c.name]
	if !ok {
		why := "jmespath-java, which the plugin uses, has no such function"
		if communityFunctions(c.name) {
			why = "it is a JMESPath Community function; jmespath-java, which the plugin uses, does not have it"
		}
		return &SyntaxError{Expr: src, Pos: c.pos, Msg: fmt.Sprintf("unknown function %q (%s)", c.name, why), Function: c.name}
	}
	if c.args < arity[0] || (arity[1] >= 0 && c.args > arity[1]) {
		want := strconv.Itoa(arity[0])
		switch {
		case arity[1] < 0:
			want = "at least " + want
		case arity[0] != arity[1]:
			want += " to " + strconv.Itoa(arity[1])
		}
		plural := "s"
		if arity[0] == 1 && arity[1] != 2 {
			plural = ""
		}
		return &SyntaxError{Expr: src, Pos: c.pos, Msg: fmt.Sprintf("%s() takes %s argument%s, not %d", c.name, want, plural, c.args), Function: c.name}
	}
	return nil
}

type tokKind int

const (
	tEOF tokKind = iota
	tIdent
	tQuoted
	tNumber
	tDot
	tStar
	tLBracket
	tRBracket
	tFlatten // []
	tFilter  // [?
	tPipe
	tCurrent // @
	tOr
	tAnd
	tNot
	tCompare
	tLParen
	tRParen
	tLBrace
	tRBrace
	tComma
	tColon
	tLiteral // `json`
	tRaw     // 'raw string'
	tExpref  // &
)

type token struct {
	kind tokKind
	text string // identifier name, number text
	pos  int    // rune offset
}

// lex splits src into jmespath-java's tokens. Characters no token of its
// grammar starts with are errors here, as in its lexer.
func lex(src string) ([]token, error) {
	var out []token
	rs := []rune(src)
	synErr := func(at int, msg string) error { return &SyntaxError{Expr: src, Pos: at, Msg: msg} }
	isDigit := func(i int) bool { return i < len(rs) && rs[i] >= '0' && rs[i] <= '9' }
	for i := 0; i < len(rs); {
		c := rs[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'):
			j := i + 1
			for j < len(rs) && (rs[j] == '_' || (rs[j] >= 'a' && rs[j] <= 'z') || (rs[j] >= 'A' && rs[j] <= 'Z') || (rs[j] >= '0' && rs[j] <= '9')) {
				j++
			}
			out = append(out, token{kind: tIdent, text: string(rs[i:j]), pos: i})
			i = j
		case c == '"':
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				if rs[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(rs) {
				return nil, synErr(i, "unterminated quoted name")
			}
			var name string
			// jmespath-java's strings also escape a backtick; JSON does not.
			text := strings.ReplaceAll(string(rs[i:j+1]), "\\`", "`")
			if err := json.Unmarshal([]byte(text), &name); err != nil {
				return nil, synErr(i, "invalid quoted name")
			}
			out = append(out, token{kind: tQuoted, text: name, pos: i})
			i = j + 1
		case c == '-' || (c >= '0' && c <= '9'):
			// SIGNED_INT: '-'? ('0' | [1-9][0-9]*); "01" is two numbers.
			j := i
			if c == '-' {
				j++
			}
			if !isDigit(j) {
				return nil, synErr(i, `unexpected "-" (quote names that contain it)`)
			}
			if rs[j] == '0' {
				j++
			} else {
				for isDigit(j) {
					j++
				}
			}
			out = append(out, token{kind: tNumber, text: string(rs[i:j]), pos: i})
			i = j
		case c == '`' || c == '\'':
			j := i + 1
			for j < len(rs) && rs[j] != c {
				if rs[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(rs) {
				return nil, synErr(i, "unterminated literal")
			}
			kind := tRaw
			if c == '`' {
				kind = tLiteral
				text := strings.ReplaceAll(string(rs[i+1:j]), "\\`", "`")
				if !json.Valid([]byte(text)) {
					return nil, synErr(i, "a literal between backticks must be JSON (jmespath-java has no legacy literals: quote strings, `\"text\"`, or write 'text')")
				}
			}
			out = append(out, token{kind: kind, pos: i})
			i = j + 1
		case c == '[':
			switch {
			case i+1 < len(rs) && rs[i+1] == ']':
				out = append(out, token{kind: tFlatten, pos: i})
				i += 2
			case i+1 < len(rs) && rs[i+1] == '?':
				out = append(out, token{kind: tFilter, pos: i})
				i += 2
			default:
				out = append(out, token{kind: tLBracket, pos: i})
				i++
			}
		case c == '|' || c == '&':
			if i+1 < len(rs) && rs[i+1] == c {
				k := tOr
				if c == '&' {
					k = tAnd
				}
				out = append(out, token{kind: k, pos: i})
				i += 2
			} else if c == '|' {
				out = append(out, token{kind: tPipe, pos: i})
				i++
			} else {
				out = append(out, token{kind: tExpref, pos: i})
				i++
			}
		case c == '<' || c == '>' || c == '=' || c == '!':
			if i+1 < len(rs) && rs[i+1] == '=' {
				out = append(out, token{kind: tCompare, pos: i})
				i += 2
			} else if c == '!' {
				out = append(out, token{kind: tNot, pos: i})
				i++
			} else if c == '=' {
				return nil, synErr(i, `unexpected "="`)
			} else {
				out = append(out, token{kind: tCompare, pos: i})
				i++
			}
		default:
			k, ok := punct[c]
			if !ok {
				return nil, synErr(i, fmt.Sprintf("unexpected %q (quote names that contain it)", string(c)))
			}
			out = append(out, token{kind: k, pos: i})
			i++
		}
	}
	return append(out, token{kind: tEOF, pos: utf8.RuneCountInString(src)}), nil
}

var punct = map[rune]tokKind{'.': tDot, '*': tStar, ']': tRBracket, '@': tCurrent, '(': tLParen, ')': tRParen,
	'{': tLBrace, '}': tRBrace, ',': tComma, ':': tColon}

// Precedence levels of jmespath-java's grammar: the order of the
// alternatives of its left-recursive expression rule. Chains (.x) and
// bracket specifiers bind tightest, so !a.b is !(a.b) there.
const (
	precPipe = 1 + iota
	precOr
	precAnd
	precCompare
	precNot
)

// call is a function call: the name's position and the argument count.
type call struct {
	name string
	pos  int
	args int
}

// checker accepts exactly jmespath-java's grammar. It builds nothing: the
// library parses the text once it passes.
type checker struct {
	src   string
	toks  []token
	i     int
	calls []call
	depth int
}

func (p *checker) cur() token { return p.toks[p.i] }

func (p *checker) peek(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *checker) next() token {
	t := p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

func (p *checker) expect(k tokKind) error {
	if t := p.next(); t.kind != k {
		return p.unexpected(t)
	}
	return nil
}

func (p *checker) unexpected(t token) error {
	if t.kind == tEOF {
		return &SyntaxError{Expr: p.src, Pos: t.pos, Msg: "unexpected end of expression"}
	}
	return &SyntaxError{Expr: p.src, Pos: t.pos, Msg: fmt.Sprintf("unexpected %s", describe(p.src, t))}
}

func describe(src string, t token) string {
	rs := []rune(src)
	if t.pos < len(rs) {
		return strconv.Quote(string(rs[t.pos]))
	}
	return "end"
}

// maxDepth bounds nesting, so that a hostile field cannot exhaust the stack.
const maxDepth = 200

func (p *checker) expression(min int) error {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return &SyntaxError{Expr: p.src, Pos: p.cur().pos, Msg: "nested too deeply"}
	}
	if p.cur().kind == tNot {
		p.next()
		if err := p.expression(precNot); err != nil {
			return err
		}
	} else if err := p.primary(); err != nil {
		return err
	}
	for {
		t := p.cur()
		var prec int
		switch t.kind {
		case tDot:
			p.next()
			if err := p.chained(); err != nil {
				return err
			}
			continue
		case tLBracket, tFlatten, tFilter:
			if err := p.bracket(false); err != nil {
				return err
			}
			continue
		case tCompare:
			prec = precCompare
		case tAnd:
			prec = precAnd
		case tOr:
			prec = precOr
		case tPipe:
			prec = precPipe
		default:
			return nil
		}
		if prec < min {
			return nil
		}
		p.next()
		if err := p.expression(prec + 1); err != nil {
			return err
		}
	}
}

func (p *checker) primary() error {
	t := p.cur()
	switch t.kind {
	case tIdent:
		if p.peek(1).kind == tLParen && !jsonConstant(t.text) {
			return p.function()
		}
		p.next()
	case tQuoted, tStar, tLiteral, tRaw, tCurrent:
		p.next()
	case tLParen:
		p.next()
		if err := p.expression(0); err != nil {
			return err
		}
		return p.expect(tRParen)
	case tLBracket, tFlatten, tFilter:
		return p.bracket(true)
	case tLBrace:
		return p.hash()
	default:
		return p.unexpected(p.next())
	}
	return nil
}

func jsonConstant(s string) bool { return s == "true" || s == "false" || s == "null" }

// chained is what may follow a dot: a name, a multi-select list or hash, a
// function call or a wildcard.
func (p *checker) chained() error {
	t := p.cur()
	switch t.kind {
	case tIdent:
		if p.peek(1).kind == tLParen && !jsonConstant(t.text) {
			return p.function()
		}
		p.next()
		return nil
	case tQuoted, tStar:
		p.next()
		return nil
	case tLBracket:
		p.next()
		return p.list()
	case tLBrace:
		return p.hash()
	}
	return p.unexpected(p.next())
}

// bracket is a bracket specifier ([n], [*], [slice], [], [?expr]) or, where
// an expression starts, a multi-select list.
func (p *checker) bracket(primary bool) error {
	switch t := p.next(); t.kind {
	case tFlatten:
		return nil
	case tFilter:
		if err := p.expression(0); err != nil {
			return err
		}
		return p.expect(tRBracket)
	}
	switch t := p.cur(); {
	case t.kind == tStar && p.peek(1).kind == tRBracket:
		p.next()
		p.next()
		return nil
	case t.kind == tNumber:
		p.next()
		if p.cur().kind == tColon {
			return p.slice()
		}
		return p.expect(tRBracket)
	case t.kind == tColon:
		return p.slice()
	case primary:
		return p.list()
	}
	return p.unexpected(p.next())
}

// slice is the rest of a slice, from its first ':' (start? ':' stop?
// (':' step?)? ']').
func (p *checker) slice() error {
	if err := p.expect(tColon); err != nil {
		return err
	}
	if p.cur().kind == tNumber {
		p.next()
	}
	if p.cur().kind == tColon {
		p.next()
		if p.cur().kind == tNumber {
			p.next()
		}
	}
	return p.expect(tRBracket)
}

// list is expression (',' expression)* ']' after the '['.
func (p *checker) list() error {
	for {
		if err := p.expression(0); err != nil {
			return err
		}
		if t := p.next(); t.kind == tRBracket {
			return nil
		} else if t.kind != tComma {
			return p.unexpected(t)
		}
	}
}

// hash is '{' identifier ':' expression (',' ...)* '}'.
func (p *checker) hash() error {
	p.next()
	for {
		if k := p.next(); k.kind != tIdent && k.kind != tQuoted {
			return p.unexpected(k)
		}
		if err := p.expect(tColon); err != nil {
			return err
		}
		if err := p.expression(0); err != nil {
			return err
		}
		if t := p.next(); t.kind == tRBrace {
			return nil
		} else if t.kind != tComma {
			return p.unexpected(t)
		}
	}
}

// function is NAME '(' (arg (',' arg)*)? ')', an argument being an
// expression or '&' expression (an expression reference, only allowed
// here).
func (p *checker) function() error {
	name := p.next()
	p.next() // (
	c := call{name: name.text, pos: name.pos}
	if p.cur().kind == tRParen {
		p.next()
		p.calls = append(p.calls, c)
		return nil
	}
	for {
		if p.cur().kind == tExpref {
			p.next()
		}
		if err := p.expression(0); err != nil {
			return err
		}
		c.args++
		if t := p.next(); t.kind == tRParen {
			p.calls = append(p.calls, c)
			return nil
		} else if t.kind != tComma {
			return p.unexpected(t)
		}
	}
}

// quoteIfNeeded writes a claim name as a JMESPath expression.
func quoteIfNeeded(name string) string {
	if name != "" && strings.IndexFunc(name, func(r rune) bool {
		return !(r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9'))
	}) < 0 && !(name[0] >= '0' && name[0] <= '9') {
		return name
	}
	b, _ := json.Marshal(name)
	return string(b)
}
