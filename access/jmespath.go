package access

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Since oic-auth 4.225 the realm's claim fields (userNameField,
// groupsFieldName, emailFieldName, fullNameFieldName, tokenFieldToCheckKey)
// are JMESPath expressions compiled with the jmespath-java runtime. This file
// evaluates the part of JMESPath that claim fields use: plain and quoted
// names, sub-expressions (a.b), indexes (a[0]), flatten (a[]), list and
// object wildcard projections (a[*].b, a.*.b) and pipes (a | b). Filters,
// functions, slices, multi-selects and literals are valid JMESPath this
// evaluator does not run: they give ErrUnsupported, never a wrong answer.

// ErrUnsupported marks valid JMESPath that this evaluator does not run.
var ErrUnsupported = errors.New("uses JMESPath features this tool does not evaluate (filters, functions, slices, multi-selects, literals)")

// SyntaxError is a claim field that is not valid JMESPath: the plugin fails
// to compile it and reads nothing from the token.
type SyntaxError struct {
	Expr string
	Pos  int // rune offset of the offending token
	Msg  string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("not a valid JMESPath expression: %s at column %d", e.Msg, e.Pos+1)
}

// Expr is a compiled claim expression.
type Expr struct {
	src  string
	root node
}

// String returns the source text.
func (e *Expr) String() string { return e.src }

// Simple reports whether the expression is one claim name (plain or quoted):
// the common case, for which "absent" means the token lacks that claim.
func (e *Expr) Simple() (name string, ok bool) {
	if f, ok := e.root.(fieldNode); ok {
		return string(f), true
	}
	return "", false
}

// Root returns the first claim name the expression reads, or "".
func (e *Expr) Root() string {
	n := e.root
	for {
		switch x := n.(type) {
		case fieldNode:
			return string(x)
		case subNode:
			n = x.left
		case indexNode:
			n = x.left
		case flattenNode:
			n = x.child
		case projectionNode:
			n = x.left
		case valueProjectionNode:
			n = x.left
		case pipeNode:
			n = x.left
		default:
			return ""
		}
	}
}

// Compile parses a claim field. It returns a *SyntaxError for text the plugin
// cannot compile either, and ErrUnsupported (wrapped) for valid JMESPath
// outside the subset.
func Compile(src string) (*Expr, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks}
	root, err := p.expression(0)
	if err != nil {
		return nil, err
	}
	if t := p.cur(); t.kind != tEOF {
		return nil, p.unexpected(t)
	}
	return &Expr{src: src, root: root}, nil
}

// Search evaluates the expression against decoded JSON (map[string]any,
// []any, string, json.Number, float64, bool, nil). A missing value is nil.
func (e *Expr) Search(data any) any { return eval(e.root, data) }

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
	// Valid JMESPath this evaluator does not run.
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
	tLiteral // `json` or 'raw'
	tExpref  // &
	tVariable
)

type token struct {
	kind tokKind
	text string // identifier name, number text
	pos  int    // rune offset
}

// binding powers, as in the reference implementation.
var bp = map[tokKind]int{
	tPipe: 1, tOr: 2, tAnd: 3, tCompare: 5, tFlatten: 9, tStar: 20,
	tFilter: 21, tDot: 40, tNot: 45, tLBrace: 50, tLBracket: 55, tLParen: 60,
}

func lex(src string) ([]token, error) {
	var out []token
	rs := []rune(src)
	synErr := func(at int, msg string) error { return &SyntaxError{Expr: src, Pos: at, Msg: msg} }
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
			if err := json.Unmarshal([]byte(string(rs[i:j+1])), &name); err != nil {
				return nil, synErr(i, "invalid quoted name")
			}
			out = append(out, token{kind: tQuoted, text: name, pos: i})
			i = j + 1
		case c == '-' || (c >= '0' && c <= '9'):
			j := i + 1
			for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' {
				j++
			}
			if c == '-' && j == i+1 {
				return nil, synErr(i, `unexpected "-" (quote names that contain it)`)
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
			out = append(out, token{kind: tLiteral, pos: i})
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
		case c == '$':
			out = append(out, token{kind: tVariable, pos: i})
			i++
		default:
			k, ok := map[rune]tokKind{'.': tDot, '*': tStar, ']': tRBracket, '@': tCurrent, '(': tLParen, ')': tRParen,
				'{': tLBrace, '}': tRBrace, ',': tComma, ':': tColon}[c]
			if !ok {
				return nil, synErr(i, fmt.Sprintf("unexpected %q (quote names that contain it)", string(c)))
			}
			out = append(out, token{kind: k, pos: i})
			i++
		}
	}
	return append(out, token{kind: tEOF, pos: utf8.RuneCountInString(src)}), nil
}

// AST nodes.
type node interface{}

type (
	identityNode struct{}
	fieldNode    string
	subNode      struct{ left, right node }
	indexNode    struct {
		left  node
		index int
	}
	flattenNode         struct{ child node }
	projectionNode      struct{ left, right node }
	valueProjectionNode struct{ left, right node }
	pipeNode            struct{ left, right node }
)

type parser struct {
	src  string
	toks []token
	i    int
}

func (p *parser) cur() token { return p.toks[p.i] }

func (p *parser) peek(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

// unexpected words a token that cannot stand where it is: valid JMESPath
// constructs outside the subset are ErrUnsupported, anything else a
// SyntaxError.
func (p *parser) unexpected(t token) error {
	switch t.kind {
	case tEOF:
		return &SyntaxError{Expr: p.src, Pos: t.pos, Msg: "unexpected end of expression"}
	case tFilter, tOr, tAnd, tCompare, tNot, tLiteral, tExpref, tLBrace, tVariable:
		return fmt.Errorf("%q %w", p.src, ErrUnsupported)
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

func (p *parser) expression(rbp int) (node, error) {
	left, err := p.nud()
	if err != nil {
		return nil, err
	}
	for rbp < bp[p.cur().kind] {
		if left, err = p.led(left); err != nil {
			return nil, err
		}
	}
	return left, nil
}

func (p *parser) nud() (node, error) {
	t := p.next()
	switch t.kind {
	case tIdent, tQuoted:
		if p.cur().kind == tLParen && t.kind == tIdent {
			return nil, fmt.Errorf("%q %w", p.src, ErrUnsupported)
		}
		return fieldNode(t.text), nil
	case tCurrent:
		return identityNode{}, nil
	case tStar:
		right, err := p.projectionRHS(bp[tStar])
		if err != nil {
			return nil, err
		}
		return valueProjectionNode{identityNode{}, right}, nil
	case tFlatten:
		right, err := p.projectionRHS(bp[tFlatten])
		if err != nil {
			return nil, err
		}
		return projectionNode{flattenNode{identityNode{}}, right}, nil
	case tLBracket:
		return p.bracket(identityNode{})
	case tLParen:
		return nil, fmt.Errorf("%q %w", p.src, ErrUnsupported) // (grouping)
	}
	return nil, p.unexpected(t)
}

func (p *parser) led(left node) (node, error) {
	t := p.next()
	switch t.kind {
	case tDot:
		if p.cur().kind == tStar {
			p.next()
			right, err := p.projectionRHS(bp[tStar])
			if err != nil {
				return nil, err
			}
			return valueProjectionNode{left, right}, nil
		}
		right, err := p.dotRHS(bp[tDot])
		if err != nil {
			return nil, err
		}
		return subNode{left, right}, nil
	case tLBracket:
		return p.bracket(left)
	case tFlatten:
		right, err := p.projectionRHS(bp[tFlatten])
		if err != nil {
			return nil, err
		}
		return projectionNode{flattenNode{left}, right}, nil
	case tPipe:
		right, err := p.expression(bp[tPipe])
		if err != nil {
			return nil, err
		}
		return pipeNode{left, right}, nil
	}
	return nil, p.unexpected(t)
}

// bracket parses what follows "[": an index "n]" or a wildcard "*]"; slices
// and multi-select lists are unsupported.
func (p *parser) bracket(left node) (node, error) {
	switch t := p.cur(); t.kind {
	case tNumber:
		if p.peek(1).kind == tColon {
			return nil, fmt.Errorf("%q %w", p.src, ErrUnsupported)
		}
		p.next()
		n, err := strconv.Atoi(t.text)
		if err != nil {
			return nil, &SyntaxError{Expr: p.src, Pos: t.pos, Msg: "index out of range"}
		}
		if c := p.next(); c.kind != tRBracket {
			return nil, p.unexpected(c)
		}
		return indexNode{left, n}, nil
	case tStar:
		if p.peek(1).kind != tRBracket {
			return nil, fmt.Errorf("%q %w", p.src, ErrUnsupported)
		}
		p.next()
		p.next()
		right, err := p.projectionRHS(bp[tStar])
		if err != nil {
			return nil, err
		}
		return projectionNode{left, right}, nil
	case tColon, tIdent, tQuoted, tLBracket, tFlatten, tCurrent, tLBrace, tLiteral, tNot, tExpref, tFilter:
		return nil, fmt.Errorf("%q %w", p.src, ErrUnsupported) // slice or multi-select list
	default:
		return nil, p.unexpected(t)
	}
}

func (p *parser) projectionRHS(rbp int) (node, error) {
	t := p.cur()
	switch {
	case bp[t.kind] < 10: // projection stop
		return identityNode{}, nil
	case t.kind == tLBracket, t.kind == tFilter, t.kind == tFlatten:
		return p.expression(rbp)
	case t.kind == tDot:
		p.next()
		return p.dotRHS(rbp)
	}
	return nil, p.unexpected(t)
}

func (p *parser) dotRHS(rbp int) (node, error) {
	switch t := p.cur(); t.kind {
	case tIdent, tQuoted, tStar:
		return p.expression(rbp)
	case tLBracket, tLBrace:
		return nil, fmt.Errorf("%q %w", p.src, ErrUnsupported) // multi-select
	default:
		return nil, p.unexpected(t)
	}
}

func eval(n node, v any) any {
	switch x := n.(type) {
	case identityNode:
		return v
	case fieldNode:
		if m, ok := v.(map[string]any); ok {
			return m[string(x)]
		}
		return nil
	case subNode:
		return eval(x.right, eval(x.left, v))
	case indexNode:
		l, ok := eval(x.left, v).([]any)
		if !ok {
			return nil
		}
		i := x.index
		if i < 0 {
			i += len(l)
		}
		if i < 0 || i >= len(l) {
			return nil
		}
		return l[i]
	case flattenNode:
		l, ok := eval(x.child, v).([]any)
		if !ok {
			return nil
		}
		out := []any{}
		for _, e := range l {
			if sub, ok := e.([]any); ok {
				out = append(out, sub...)
			} else {
				out = append(out, e)
			}
		}
		return out
	case projectionNode:
		l, ok := eval(x.left, v).([]any)
		if !ok {
			return nil
		}
		out := []any{}
		for _, e := range l {
			if r := eval(x.right, e); r != nil {
				out = append(out, r)
			}
		}
		return out
	case valueProjectionNode:
		m, ok := eval(x.left, v).(map[string]any)
		if !ok {
			return nil
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys) // JSON objects have no order; be deterministic
		out := []any{}
		for _, k := range keys {
			if r := eval(x.right, m[k]); r != nil {
				out = append(out, r)
			}
		}
		return out
	case pipeNode:
		return eval(x.right, eval(x.left, v))
	}
	return nil
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
