package jenkinsfile

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// maxDepth bounds the nesting of expressions, blocks and statements; a
// deeper part of the input is skipped (and reported) without recursion.
const maxDepth = 500

func modifiers(s string) bool {
	switch s {
	case "def", "final", "static", "private", "public", "protected",
		"abstract", "transient", "volatile", "native", "strictfp":
		return true
	}
	return false
}

func primitives(s string) bool {
	switch s {
	case "void", "boolean", "byte", "char", "short", "int",
		"long", "float", "double":
		return true
	}
	return false
}

// binary operator precedences, lowest first
const (
	precAssign = 1 + iota
	precTernary
	precOr
	precAnd
	precBitOr
	precXor
	precBitAnd
	precEq
	precRel
	precRange
	precShift
	precAdd
	precMul
	precPow
)

var binaryPrec = map[string]int{
	"?:": precTernary, "||": precOr, "&&": precAnd, "|": precBitOr, "^": precXor, "&": precBitAnd,
	"==": precEq, "!=": precEq, "<=>": precEq, "===": precEq, "!==": precEq, "=~": precEq, "==~": precEq,
	"<": precRel, ">": precRel, "<=": precRel, ">=": precRel, "in": precRel, "instanceof": precRel, "as": precRel,
	"..": precRange, "..<": precRange, "<<": precShift, ">>": precShift, ">>>": precShift,
	"+": precAdd, "-": precAdd, "*": precMul, "/": precMul, "%": precMul, "**": precPow,
}

func assignOps(s string) bool {
	switch s {
	case "=", "+=", "-=", "*=", "/=", "%=",
		"**=", "<<=", ">>=", ">>>=", "&=", "|=",
		"^=":
		return true
	}
	return false
}

type bracket struct {
	c   byte
	off int
}

type parser struct {
	src    string
	toks   []Token // no comments, no two Newlines in a row, ends with EOF
	p      int
	nl     int // > 0: newlines are insignificant (inside ( ) or [ ])
	depth  int
	last   int // end offset of the last consumed token
	stack  []bracket
	errOff int
	errMsg string
}

func newParser(src string, toks []Token) *parser {
	kept := make([]Token, 0, len(toks))
	for _, t := range toks {
		if t.Kind == Comment || t.Kind == Newline && len(kept) > 0 && kept[len(kept)-1].Kind == Newline {
			continue
		}
		kept = append(kept, t)
	}
	if len(kept) == 0 || kept[len(kept)-1].Kind != EOF {
		kept = append(kept, Token{Kind: EOF, Off: len(src), End: len(src)})
	}
	return &parser{src: src, toks: kept, errOff: -1}
}

func (p *parser) fail(off int, msg string) {
	if p.errOff < 0 {
		p.errOff, p.errMsg = off, msg
	}
}

// tok returns the current token, skipping newlines where they do not count.
func (p *parser) tok() *Token {
	if p.nl > 0 {
		for p.toks[p.p].Kind == Newline {
			p.p++
		}
	}
	return &p.toks[p.p]
}

// tk returns the token at index k (EOF past the end).
func (p *parser) tk(k int) *Token {
	if k >= len(p.toks) {
		return &p.toks[len(p.toks)-1]
	}
	return &p.toks[k]
}

// peek returns the n-th token after the current one, skipping newlines
// where they do not count.
func (p *parser) peek(n int) *Token {
	p.tok()
	k := p.p
	for ; n > 0; n-- {
		if p.toks[k].Kind == EOF {
			break
		}
		k++
		if p.nl > 0 {
			for p.toks[k].Kind == Newline {
				k++
			}
		}
	}
	return &p.toks[k]
}

func (p *parser) advance() *Token {
	t := p.tok()
	if t.Kind != EOF {
		p.p++
		p.last = t.End
	}
	return t
}

func (p *parser) at(op string) bool { t := p.tok(); return t.Kind == Op && t.Text == op }

func (p *parser) atIdent(name string) bool { t := p.tok(); return t.Kind == Ident && t.Text == name }

func (p *parser) skipNewlines() {
	for p.toks[p.p].Kind == Newline {
		p.p++
	}
}

// nextNonNewline is the index of the first token from the current one that
// is not a Newline.
func (p *parser) nextNonNewline() int {
	k := p.p
	for p.toks[k].Kind == Newline {
		k++
	}
	return k
}

func (p *parser) enter() bool {
	p.depth++
	if p.depth > maxDepth {
		p.fail(p.tok().Off, "nesting deeper than 500 levels")
		return false
	}
	return true
}

func (p *parser) leave() { p.depth-- }

func closerOf(c byte) byte {
	switch c {
	case '(':
		return ')'
	case '[':
		return ']'
	}
	return '}'
}

func isCloser(t *Token) bool {
	return t.Kind == Op && len(t.Text) == 1 && (t.Text[0] == ')' || t.Text[0] == ']' || t.Text[0] == '}')
}

func isOpener(t *Token) bool {
	return t.Kind == Op && len(t.Text) == 1 && (t.Text[0] == '(' || t.Text[0] == '[' || t.Text[0] == '{')
}

// open consumes an opening bracket and pushes it.
func (p *parser) open() *Token {
	t := p.advance()
	p.stack = append(p.stack, bracket{c: t.Text[0], off: t.Off})
	return t
}

// atGroupEnd reports whether the current token ends the innermost group:
// EOF or a closing bracket that some open bracket expects. A closing
// bracket nobody expects is reported and skipped.
func (p *parser) atGroupEnd() bool {
	for {
		t := p.tok()
		if t.Kind == EOF {
			return true
		}
		if !isCloser(t) {
			return false
		}
		for i := len(p.stack) - 1; i >= 0; i-- {
			if closerOf(p.stack[i].c) == t.Text[0] {
				return true
			}
		}
		p.fail(t.Off, "unexpected '"+t.Text+"'")
		p.advance()
	}
}

// closeGroup ends the innermost group: it consumes the matching closing
// bracket, or reports the group unclosed. It returns the group's end.
func (p *parser) closeGroup() int {
	top := p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	t := p.tok()
	want := closerOf(top.c)
	if t.Kind == Op && len(t.Text) == 1 && t.Text[0] == want {
		p.advance()
		return t.End
	}
	p.fail(top.off, "'"+string(top.c)+"' is never closed (expected '"+string(want)+"')")
	return p.last
}

// skipOne consumes one token that starts nothing the parser knows.
func (p *parser) skipOne() {
	t := p.tok()
	if t.Kind == EOF || isCloser(t) {
		return
	}
	p.advance()
}

// skipDeep skips, without recursion, a balanced stretch of tokens up to the
// end of the statement; used past maxDepth.
func (p *parser) skipDeep() Node {
	start := p.tok().Off
	depth := 0
	for {
		t := p.tok()
		if t.Kind == EOF {
			break
		}
		if isCloser(t) {
			if depth == 0 {
				break
			}
			depth--
		} else if isOpener(t) {
			depth++
		} else if depth == 0 && (t.Kind == Newline || t.IsOp(";") || t.IsOp(",")) {
			break
		}
		p.p++
		p.last = t.End
	}
	return &Opaque{Off: start, End: p.last}
}

// parseStatements parses statements up to the end of the current group.
func (p *parser) parseStatements() []Node {
	var out []Node
	for {
		for t := p.tok(); t.Kind == Newline || t.IsOp(";"); t = p.tok() {
			p.p++
		}
		if p.atGroupEnd() {
			return out
		}
		before := p.p
		if s := p.parseStatement(); s != nil {
			out = append(out, s)
		}
		if p.p == before {
			p.skipOne()
		}
	}
}

func (p *parser) atStmtEnd() bool {
	t := p.tok()
	return t.Kind == Newline || t.Kind == EOF || t.IsOp(";") || isCloser(t)
}

func (p *parser) parseStatement() Node {
	if !p.enter() {
		p.leave()
		return p.skipDeep()
	}
	defer p.leave()
	t := p.tok()
	if t.Kind == Op {
		switch t.Text {
		case "{":
			return p.parseBlock(false)
		case "@":
			return p.parseAnnotation()
		}
	}
	if t.Kind == Ident {
		switch t.Text {
		case "if":
			return p.parseIf()
		case "for", "while", "switch", "synchronized", "catch":
			kw := p.advance()
			c := &Control{Keyword: kw.Text, Off: kw.Off}
			if p.at("(") {
				c.Kids = append(c.Kids, p.parseLoose())
			}
			if b := p.parseBody(); b != nil {
				c.Kids = append(c.Kids, b)
			}
			c.End = p.last
			return c
		case "try":
			return p.parseTry()
		case "do":
			kw := p.advance()
			c := &Control{Keyword: "do", Off: kw.Off}
			if b := p.parseBody(); b != nil {
				c.Kids = append(c.Kids, b)
			}
			if k := p.nextNonNewline(); p.tk(k).Kind == Ident && p.tk(k).Text == "while" {
				p.p = k
				p.advance()
				if p.at("(") {
					c.Kids = append(c.Kids, p.parseLoose())
				}
			}
			c.End = p.last
			return c
		case "return", "throw", "assert":
			kw := p.advance()
			c := &Control{Keyword: kw.Text, Off: kw.Off}
			if !p.atStmtEnd() {
				if x := p.parseExpr(precAssign); x != nil {
					if cmd := p.maybeCommand(x); cmd != nil {
						x = cmd
					}
					c.Kids = append(c.Kids, x)
				}
				if kw.Text == "assert" && (p.at(":") || p.at(",")) {
					p.advance()
					if x := p.parseExpr(precAssign); x != nil {
						c.Kids = append(c.Kids, x)
					}
				}
			}
			c.End = p.last
			return c
		case "break", "continue":
			kw := p.advance()
			if t := p.tok(); t.Kind == Ident && !t.IsKeyword() {
				p.advance()
			}
			return &Control{Keyword: kw.Text, Off: kw.Off, End: p.last}
		case "case":
			kw := p.advance()
			c := &Control{Keyword: "case", Off: kw.Off}
			if x := p.parseExpr(precTernary); x != nil {
				c.Kids = append(c.Kids, x)
			}
			if p.at(":") {
				p.advance()
			}
			c.End = p.last
			return c
		case "default":
			if p.peek(1).IsOp(":") {
				kw := p.advance()
				p.advance()
				return &Control{Keyword: "default", Off: kw.Off, End: p.last}
			}
		case "import", "package":
			kw := p.advance()
			for !p.atStmtEnd() {
				p.advance()
			}
			return &Control{Keyword: kw.Text, Off: kw.Off, End: p.last}
		case "class", "interface", "enum", "trait":
			kw := p.advance()
			c := &Control{Keyword: kw.Text, Off: kw.Off}
			for t := p.tok(); t.Kind != EOF && !t.IsOp("{") && !isCloser(t) && !t.IsOp(";"); t = p.tok() {
				p.advance()
			}
			if p.at("{") {
				c.Kids = append(c.Kids, p.parseBlock(false))
			}
			c.End = p.last
			return c
		case "else":
			kw := p.advance()
			c := &Control{Keyword: "else", Off: kw.Off}
			if b := p.parseBody(); b != nil {
				c.Kids = append(c.Kids, b)
			}
			c.End = p.last
			return c
		}
		if modifiers(t.Text) || primitives(t.Text) || p.isTypedDecl() {
			return p.parseDecl()
		}
	}
	return p.parseExprStatement()
}

func (p *parser) parseExprStatement() Node {
	x := p.parseExpr(precAssign)
	if x == nil {
		return nil
	}
	if cmd := p.maybeCommand(x); cmd != nil {
		return cmd
	}
	return x
}

// parseBody parses the body of if/for/while…: a block or one statement.
func (p *parser) parseBody() Node {
	p.skipNewlines()
	if p.at("{") {
		return p.parseBlock(false)
	}
	if p.atStmtEnd() {
		return nil
	}
	return p.parseStatement()
}

func (p *parser) parseIf() Node {
	kw := p.advance()
	c := &Control{Keyword: "if", Off: kw.Off}
	for {
		if p.at("(") {
			c.Kids = append(c.Kids, p.parseLoose())
		}
		if b := p.parseBody(); b != nil {
			c.Kids = append(c.Kids, b)
		}
		k := p.nextNonNewline()
		if t := p.tk(k); t.Kind != Ident || t.Text != "else" {
			break
		}
		p.p = k
		p.advance()
		if p.atIdent("if") {
			p.advance()
			continue
		}
		if b := p.parseBody(); b != nil {
			c.Kids = append(c.Kids, b)
		}
		break
	}
	c.End = p.last
	return c
}

func (p *parser) parseTry() Node {
	kw := p.advance()
	c := &Control{Keyword: "try", Off: kw.Off}
	if b := p.parseBody(); b != nil {
		c.Kids = append(c.Kids, b)
	}
	for {
		k := p.nextNonNewline()
		t := p.tk(k)
		if t.Kind != Ident || t.Text != "catch" && t.Text != "finally" {
			break
		}
		p.p = k
		p.advance()
		if t.Text == "catch" && p.at("(") {
			c.Kids = append(c.Kids, p.parseLoose())
		}
		if b := p.parseBody(); b != nil {
			c.Kids = append(c.Kids, b)
		}
	}
	c.End = p.last
	return c
}

// parseAnnotation parses @Name or @Name(args) as a call named "@Name".
func (p *parser) parseAnnotation() Node {
	at := p.advance()
	c := &Call{Off: at.Off, NameOff: at.Off}
	name := "@"
	for t := p.tok(); t.Kind == Ident; t = p.tok() {
		name += p.advance().Text
		if !p.at(".") || p.peek(1).Kind != Ident {
			break
		}
		name += p.advance().Text
	}
	c.Name = name
	if p.at("(") {
		c.Args, _ = p.parseCallArgs()
		c.Parens = true
	}
	c.End = p.last
	return c
}

// scanType returns the index after a type starting at token k (Name,
// a.b.Name, Name<…>, Name[]), or -1; generic reports whether it had <…>
// or [].
func (p *parser) scanType(k int) (end int, generic bool) {
	t := p.tk(k)
	if t.Kind != Ident || t.IsKeyword() && !primitives(t.Text) && t.Text != "def" {
		return -1, false
	}
	k++
	for p.tk(k).IsOp(".") && p.tk(k+1).Kind == Ident {
		k += 2
	}
	if p.tk(k).IsOp("<") {
		generic = true
		depth := 0
		for n := 0; ; n++ {
			t := p.tk(k)
			if n > 64 || t.Kind == EOF {
				return -1, false
			}
			switch {
			case t.IsOp("<"):
				depth++
			case t.IsOp(">"):
				depth--
			case t.IsOp(">>"):
				depth -= 2
			case t.IsOp(">>>"):
				depth -= 3
			case t.Kind == Ident || t.IsOp(",") || t.IsOp(".") || t.IsOp("?") || t.IsOp("&") || t.IsOp("[") || t.IsOp("]"):
			default:
				return -1, false
			}
			k++
			if depth <= 0 {
				break
			}
		}
		if depth != 0 {
			return -1, false
		}
	}
	for p.tk(k).IsOp("[") && p.tk(k+1).IsOp("]") {
		generic = true
		k += 2
	}
	return k, generic
}

// isTypedDecl reports whether the statement starts like "Type name …".
func (p *parser) isTypedDecl() bool {
	t := p.tok()
	end, generic := p.scanType(p.p)
	if end < 0 {
		return false
	}
	last := p.tk(end - 1)
	if generic {
		last = t
	}
	r, _ := utf8.DecodeRuneInString(last.Text)
	if !generic && !unicode.IsUpper(r) && !primitives(t.Text) {
		return false
	}
	name := p.tk(end)
	if name.Kind != Ident || name.IsKeyword() {
		return false
	}
	f := p.tk(end + 1)
	return f.Kind == Newline || f.Kind == EOF || isCloser(f) || f.Kind == Op && (f.Text == "=" || f.Text == ";" || f.Text == "," || f.Text == "(")
}

// parseDecl parses def/typed declarations and method definitions.
func (p *parser) parseDecl() Node {
	start := p.tok().Off
	for t := p.tok(); t.Kind == Ident && modifiers(t.Text); t = p.tok() {
		p.advance()
	}
	if end, _ := p.scanType(p.p); end >= 0 && p.tk(end).Kind == Ident && !p.tk(end).IsKeyword() {
		for p.p < end {
			p.advance()
		}
	}
	if p.at("(") { // def (a, b) = …
		lhs := p.parseLoose()
		a := &Assign{LHS: lhs, Decl: true, Off: start}
		if p.at("=") {
			a.Op = p.advance().Text
			p.skipNewlines()
			a.RHS = p.parseRHS()
		}
		a.End = p.last
		return a
	}
	t := p.tok()
	if t.Kind != Ident || t.IsKeyword() {
		if p.tok().Off == start {
			return p.parseExprStatement()
		}
		return &Opaque{Off: start, End: p.last}
	}
	name := p.advance()
	if p.at("(") {
		return p.parseFuncDecl(start, name)
	}
	var decls []Node
	for {
		a := &Assign{LHS: &Name{Name: name.Text, Off: name.Off, End: name.End}, Decl: true, Off: start}
		if p.at("=") {
			a.Op = p.advance().Text
			p.skipNewlines()
			a.RHS = p.parseRHS()
		}
		a.End = p.last
		decls = append(decls, a)
		if !p.at(",") || p.peek(1).Kind != Ident {
			break
		}
		p.advance()
		name = p.advance()
		start = name.Off
	}
	if len(decls) == 1 {
		return decls[0]
	}
	return &Control{Keyword: "def", Kids: decls, Off: decls[0].(*Assign).Off, End: p.last}
}

func (p *parser) parseFuncDecl(start int, name *Token) Node {
	fd := &FuncDecl{Name: name.Text, NameOff: name.Off, Off: start}
	open := p.tok()
	params := p.parseLoose()
	_, end := params.Span()
	if end-1 > open.End {
		fd.Params = strings.TrimSpace(p.src[open.End : end-1])
	}
	if p.atIdent("throws") {
		p.advance()
		for t := p.tok(); t.Kind == Ident || t.IsOp(".") || t.IsOp(","); t = p.tok() {
			p.advance()
		}
	}
	if k := p.nextNonNewline(); p.tk(k).IsOp("{") {
		p.p = k
		fd.Body = p.parseBlock(false)
	}
	fd.End = p.last
	return fd
}

// parseRHS parses the right-hand side of an assignment, which may be a
// command expression (def out = sh script: 'x', returnStdout: true).
func (p *parser) parseRHS() Node {
	x := p.parseExpr(precAssign)
	if x == nil {
		return nil
	}
	if cmd := p.maybeCommand(x); cmd != nil {
		return cmd
	}
	return x
}

// canStartArg reports whether the current token can start the first
// argument of a command expression (name arg…).
func (p *parser) canStartArg() bool {
	t := p.tok()
	switch t.Kind {
	case String, Number:
		return true
	case Ident:
		switch t.Text {
		case "true", "false", "null", "this", "super", "new":
			return true
		}
		return !t.IsKeyword()
	}
	return false
}

// maybeCommand turns `name arg, …` (a command expression: a method call
// without parentheses) into a Call when x is a name and an argument
// follows on the same line.
func (p *parser) maybeCommand(x Node) *Call {
	if p.nl > 0 || !p.canStartArg() {
		return nil
	}
	var c *Call
	switch h := x.(type) {
	case *Name:
		if keywords(h.Name) {
			return nil
		}
		c = &Call{Name: h.Name, NameOff: h.Off, Off: h.Off}
	case *Prop:
		if _, ok := DottedName(h); !ok {
			return nil
		}
		c = &Call{Recv: h.X, Name: h.Name, NameOff: h.NameOff, Off: h.Off}
	default:
		return nil
	}
	for {
		a := p.parseArg()
		if a == nil {
			break
		}
		c.Args = append(c.Args, a)
		if !p.at(",") {
			break
		}
		p.advance()
		p.skipNewlines()
	}
	c.End = p.last
	return c
}

// parseArg parses one argument or map entry: name: value, "key": value,
// (expr): value, *: map, or a positional value.
func (p *parser) parseArg() *Arg {
	t := p.tok()
	if (t.Kind == Ident || t.Kind == Number || t.Kind == String && !t.Interpolated()) && p.peek(1).IsOp(":") {
		name := t.Text
		if t.Kind == String {
			name, _ = t.Literal()
		}
		p.advance()
		p.advance()
		p.skipNewlines()
		return &Arg{Name: name, NameOff: t.Off, Value: p.parseExpr(precTernary)}
	}
	if t.IsOp("*") && p.peek(1).IsOp(":") {
		p.advance()
		p.advance()
		return &Arg{Name: "*", NameOff: t.Off, Value: p.parseExpr(precTernary)}
	}
	v := p.parseExpr(precAssign)
	if v == nil {
		return nil
	}
	if p.at(":") {
		p.advance()
		p.skipNewlines()
		return &Arg{Key: v, NameOff: t.Off, Value: p.parseExpr(precTernary)}
	}
	return &Arg{Value: v}
}

// parseCallArgs parses "( args )".
func (p *parser) parseCallArgs() (args []*Arg, end int) {
	p.open()
	p.nl++
	args = p.parseArgList()
	end = p.closeGroup()
	p.nl--
	return args, end
}

// parseArgList parses comma-separated arguments up to the end of the
// current group, skipping what it cannot read.
func (p *parser) parseArgList() []*Arg {
	var args []*Arg
	for !p.atGroupEnd() {
		if p.at(",") {
			p.advance()
			continue
		}
		before := p.p
		if a := p.parseArg(); a != nil {
			args = append(args, a)
		}
		if p.p == before {
			p.skipOne()
		}
	}
	return args
}

// parseLoose parses a parenthesized group whose inside is not an argument
// list (if/for/catch heads, method parameters) into an Opaque node.
func (p *parser) parseLoose() Node {
	open := p.open()
	p.nl++
	o := &Opaque{Off: open.Off}
	for !p.atGroupEnd() {
		before := p.p
		if p.tok().Kind == Ident && (modifiers(p.tok().Text) || primitives(p.tok().Text) || p.isTypedDecl()) {
			p.advance()
			continue
		}
		if x := p.parseExpr(precAssign); x != nil {
			o.Kids = append(o.Kids, x)
		}
		if p.p == before {
			p.skipOne()
		}
	}
	o.End = p.closeGroup()
	p.nl--
	return o
}

func (p *parser) binaryOp(t *Token) (op string, prec int) {
	switch t.Kind {
	case Op:
		if assignOps(t.Text) {
			return t.Text, precAssign
		}
		if t.Text == "?" {
			return "?", precTernary
		}
		if pr, ok := binaryPrec[t.Text]; ok {
			return t.Text, pr
		}
	case Ident:
		if t.Text == "in" || t.Text == "instanceof" || t.Text == "as" {
			return t.Text, precRel
		}
	}
	return "", 0
}

// parseExpr parses an expression whose binary operators bind at least as
// tightly as minPrec.
func (p *parser) parseExpr(minPrec int) Node {
	x := p.parseUnary()
	if x == nil {
		return nil
	}
	for {
		op, prec := p.binaryOp(p.tok())
		if prec == 0 || prec < minPrec {
			return x
		}
		xOff, _ := x.Span()
		p.advance()
		p.skipNewlines()
		// right-associative operators nest: they count against maxDepth
		nests := prec == precAssign || op == "?" || op == "?:" || op == "**"
		if nests && !p.enter() {
			p.leave()
			return &Opaque{Kids: []Node{x, p.skipDeep()}, Off: xOff, End: p.last}
		}
		switch {
		case prec == precAssign:
			a := &Assign{LHS: x, Op: op, Off: xOff}
			a.RHS = p.parseRHS()
			a.End = p.last
			x = a
		case op == "?":
			o := &Opaque{Kids: []Node{x}, Off: xOff}
			if y := p.parseExpr(precTernary); y != nil {
				o.Kids = append(o.Kids, y)
			}
			if k := p.nextNonNewline(); p.tk(k).IsOp(":") {
				p.p = k
				p.advance()
				p.skipNewlines()
				if z := p.parseExpr(precTernary); z != nil {
					o.Kids = append(o.Kids, z)
				}
			}
			o.End = p.last
			x = o
		default:
			next := prec + 1
			if op == "?:" || op == "**" {
				next = prec // right-associative
			}
			b := &Binary{Op: op, X: x, Off: xOff}
			b.Y = p.parseExpr(next)
			b.End = p.last
			x = b
		}
		if nests {
			p.leave()
		}
	}
}

func (p *parser) parseUnary() Node {
	if !p.enter() {
		p.leave()
		return p.skipDeep()
	}
	defer p.leave()
	t := p.tok()
	if t.Kind == Op {
		switch t.Text {
		case "!", "-", "+", "~", "++", "--", "*", "*.":
			p.advance()
			o := &Opaque{Off: t.Off}
			if x := p.parseUnary(); x != nil {
				o.Kids = []Node{x}
			}
			o.End = p.last
			return o
		}
	}
	x := p.parsePrimary()
	if x == nil {
		return nil
	}
	return p.parsePostfix(x)
}

func (p *parser) parsePrimary() Node {
	t := p.tok()
	switch t.Kind {
	case Ident:
		switch t.Text {
		case "true", "false", "null":
			p.advance()
			own := *t
			return &Const{Tok: &own}
		case "new":
			return p.parseNew()
		case "this", "super", "def":
		default:
			if t.IsKeyword() && !primitives(t.Text) {
				return nil
			}
		}
		p.advance()
		return &Name{Name: t.Text, Off: t.Off, End: t.End}
	case Number:
		p.advance()
		own := *t
		return &Const{Tok: &own}
	case String:
		p.advance()
		return p.parseStr(t)
	case Op:
		switch t.Text {
		case "(":
			return p.parseParen()
		case "[":
			return p.parseListOrMap()
		case "{":
			return p.parseBlock(true)
		}
	}
	return nil
}

// parseStr parses the ${…} interpolations of a string with a parser of
// their own, so that calls inside them ("${sh(script: 'x', returnStdout:
// true)}") are part of the tree.
func (p *parser) parseStr(t *Token) *Str {
	// A copy: the tree must not keep the parser's whole token slice alive.
	own := *t
	t = &own
	s := &Str{Tok: t}
	for i := range t.Parts {
		part := &t.Parts[i]
		if part.Kind != ExprPart {
			continue
		}
		sub := newParser(p.src, part.Toks)
		sub.depth = p.depth
		sub.last = part.Off
		b := &Block{Off: part.Off, End: part.End}
		b.Stmts = sub.parseStatements()
		if sub.errOff >= 0 {
			p.fail(sub.errOff, sub.errMsg)
		}
		s.Exprs = append(s.Exprs, b)
	}
	return s
}

// parseParen parses ( expr ), and a cast (Type) expr.
func (p *parser) parseParen() Node {
	open := p.open()
	p.nl++
	var kids []Node
	for !p.atGroupEnd() {
		before := p.p
		if x := p.parseExpr(precAssign); x != nil {
			kids = append(kids, x)
		}
		if p.p == before {
			p.skipOne()
		}
	}
	end := p.closeGroup()
	p.nl--
	if len(kids) == 1 {
		if _, isName := DottedName(kids[0]); isName && p.castFollows() {
			o := &Opaque{Kids: kids, Off: open.Off}
			if x := p.parseUnary(); x != nil {
				o.Kids = append(o.Kids, x)
			}
			o.End = p.last
			return o
		}
		return kids[0]
	}
	return &Opaque{Kids: kids, Off: open.Off, End: end}
}

// castFollows reports whether a value starts right after "(Type)".
func (p *parser) castFollows() bool {
	t := p.tok()
	switch t.Kind {
	case String, Number:
		return true
	case Ident:
		return !t.IsKeyword() || t.Text == "this" || t.Text == "new" || t.Text == "null"
	}
	return t.IsOp("(") || t.IsOp("[")
}

func (p *parser) parseListOrMap() Node {
	open := p.open()
	p.nl++
	if p.at(":") && p.peek(1).IsOp("]") {
		p.advance()
		end := p.closeGroup()
		p.nl--
		return &Map{Off: open.Off, End: end}
	}
	args := p.parseArgList()
	end := p.closeGroup()
	p.nl--
	isMap := false
	for _, a := range args {
		if a.Name != "" || a.Key != nil {
			isMap = true
		}
	}
	if isMap {
		return &Map{Entries: args, Off: open.Off, End: end}
	}
	l := &List{Off: open.Off, End: end}
	for _, a := range args {
		if a.Value != nil {
			l.Elems = append(l.Elems, a.Value)
		}
	}
	return l
}

func (p *parser) parseNew() Node {
	kw := p.advance()
	c := &Call{Off: kw.Off, NameOff: kw.Off}
	name := "new"
	if end, _ := p.scanType(p.p); end > p.p {
		first := p.tok().Off
		for p.p < end {
			p.advance()
		}
		name += " " + strings.Join(strings.Fields(p.src[first:p.last]), "")
	}
	c.Name = name
	if p.at("(") {
		c.Args, _ = p.parseCallArgs()
		c.Parens = true
	}
	for p.at("[") {
		c.Args = append(c.Args, &Arg{Value: p.parseListOrMap()})
	}
	if p.at("{") {
		c.Body = p.parseBlock(false)
	}
	c.End = p.last
	return c
}

func (p *parser) parsePostfix(x Node) Node {
	for {
		t := p.tok()
		if t.Kind == Newline {
			// a chain continued on the next line (.method()), or an
			// Allman-style closure: name(args)\n{ … }
			k := p.nextNonNewline()
			n := p.tk(k)
			if n.Kind == Op && (n.Text == "." || n.Text == "?." || n.Text == "*.") {
				p.p = k
				continue
			}
			if n.IsOp("{") && allmanTarget(x) {
				p.p = k
				continue
			}
			return x
		}
		if t.Kind != Op {
			return x
		}
		xOff, _ := x.Span()
		switch t.Text {
		case ".", "?.", "*.", ".&", ".@":
			p.advance()
			p.skipNewlines()
			nt := p.tok()
			var name string
			switch nt.Kind {
			case Ident:
				name = nt.Text
			case String:
				name, _ = nt.Literal()
			default:
				return &Opaque{Kids: []Node{x}, Off: xOff, End: p.last}
			}
			p.advance()
			switch {
			case p.at("("):
				c := &Call{Recv: x, Name: name, NameOff: nt.Off, Off: xOff, Parens: true}
				c.Args, c.End = p.parseCallArgs()
				x = c
			case p.at("{"):
				c := &Call{Recv: x, Name: name, NameOff: nt.Off, Off: xOff}
				c.Body = p.parseBlock(true)
				c.End = p.last
				x = c
			default:
				x = &Prop{X: x, Op: t.Text, Name: name, NameOff: nt.Off, Off: xOff, End: nt.End}
			}
		case "(":
			c := callOn(x)
			if c == nil {
				return x
			}
			c.Parens = true
			c.Args, c.End = p.parseCallArgs()
			x = c
		case "[":
			open := p.open()
			_ = open
			p.nl++
			idx := &Index{X: x, Off: xOff}
			for _, a := range p.parseArgList() {
				if a.Value != nil {
					idx.Elems = append(idx.Elems, a.Value)
				}
			}
			idx.End = p.closeGroup()
			p.nl--
			x = idx
		case "{":
			switch h := x.(type) {
			case *Name:
				if keywords(h.Name) && h.Name != "this" {
					return x
				}
				c := &Call{Name: h.Name, NameOff: h.Off, Off: h.Off}
				c.Body = p.parseBlock(true)
				c.End = p.last
				x = c
			case *Prop:
				c := &Call{Recv: h.X, Name: h.Name, NameOff: h.NameOff, Off: h.Off}
				c.Body = p.parseBlock(true)
				c.End = p.last
				x = c
			case *Call:
				if h.Body != nil {
					return x
				}
				h.Body = p.parseBlock(true)
				h.End = p.last
			default:
				return x
			}
		case "++", "--":
			p.advance()
			x = &Opaque{Kids: []Node{x}, Off: xOff, End: p.last}
		default:
			return x
		}
	}
}

// allmanTarget reports whether a '{' on the next line is x's closure:
// stage('x')\n{ … } and steps\n{ … }.
func allmanTarget(x Node) bool {
	switch h := x.(type) {
	case *Call:
		return h.Parens && h.Body == nil
	case *Name:
		return !keywords(h.Name)
	}
	return false
}

// callOn makes the call that "(" after x starts.
func callOn(x Node) *Call {
	off, _ := x.Span()
	switch h := x.(type) {
	case *Name:
		if keywords(h.Name) && h.Name != "this" && h.Name != "super" {
			return nil
		}
		return &Call{Name: h.Name, NameOff: h.Off, Off: off}
	case *Prop:
		return &Call{Recv: h.X, Name: h.Name, NameOff: h.NameOff, Off: off}
	case *Const, *Str:
		return nil
	}
	return &Call{Recv: x, Name: "call", NameOff: off, Off: off}
}

// parseBlock parses { … }: a closure (with optional "params ->") or a
// statement block.
func (p *parser) parseBlock(closure bool) *Block {
	if !p.enter() {
		p.leave()
		o := p.skipDeep()
		off, end := o.Span()
		return &Block{Closure: closure, Off: off, End: end}
	}
	defer p.leave()
	open := p.open()
	b := &Block{Closure: closure, Off: open.Off}
	saved := p.nl
	p.nl = 0
	if closure {
		b.Params = p.closureParams()
	}
	b.Stmts = p.parseStatements()
	b.End = p.closeGroup()
	p.nl = saved
	return b
}

// closureParams consumes "a, b ->" at the start of a closure and returns
// the parameters' source text.
func (p *parser) closureParams() string {
	depth := 0
	for k, n := p.p, 0; n < 256; k, n = k+1, n+1 {
		t := p.tk(k)
		switch {
		case t.Kind == EOF:
			return ""
		case t.IsOp("->") && depth == 0:
			start := p.tok().Off
			text := strings.TrimSpace(p.src[start:t.Off])
			for p.p <= k {
				p.advance()
			}
			return text
		case t.IsOp("(") || t.IsOp("["):
			depth++
		case t.IsOp(")") || t.IsOp("]"):
			depth--
			if depth < 0 {
				return ""
			}
		case depth == 0 && (t.Kind == Newline || t.IsOp(";") || t.IsOp("{") || t.IsOp("}")):
			return ""
		}
	}
	return ""
}

// Parse lexes and parses a Jenkinsfile (declarative or scripted) or a
// shared-library script and builds its views. It never fails on Groovy it
// does not model: such code becomes Opaque nodes and the walk goes on
// inside them. The error is the first unterminated string or comment, or
// bracket that is never closed or closes nothing; the File is returned
// even then, built from what could be read.
func Parse(f *source.File) (*File, *report.FileError) {
	src := string(f.Data)
	toks, lerr := lexString(src)
	p := newParser(src, toks)
	root := &Block{Off: 0, End: len(src)}
	root.Stmts = p.parseStatements()
	file := &File{Src: f, Tokens: toks, Root: root, text: src, pos: newPosIndex(f)}
	file.build()
	// Keep only the tokens rules look into (comments and strings): the rest
	// is in the tree already, and a whole tree of pipelines is held at once.
	kept := make([]Token, 0, len(toks)/8)
	for _, t := range toks {
		if t.Kind == Comment || t.Kind == String {
			kept = append(kept, t)
		}
	}
	file.Tokens = kept
	switch {
	case lerr != nil:
		return file, &report.FileError{Pos: f.PosAt(lerr.Off), Message: "invalid Groovy: " + lerr.Msg}
	case p.errOff >= 0:
		return file, &report.FileError{Pos: f.PosAt(p.errOff), Message: "invalid Groovy: " + p.errMsg}
	}
	return file, nil
}
