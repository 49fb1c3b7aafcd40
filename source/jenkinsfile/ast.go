package jenkinsfile

import "strings"

// Node is a node of the light syntax tree. Span gives its source bytes
// [off, end).
type Node interface {
	Span() (off, end int)
}

// Name is an identifier (this and super included).
type Name struct {
	Name     string
	Off, End int
}

// Const is a number, true, false or null.
type Const struct {
	Tok *Token
}

// Str is a string literal of any form. Exprs are its ${…} interpolations
// parsed, one Block per ExprPart in order.
type Str struct {
	Tok   *Token
	Exprs []*Block
}

// Prop is a property access X.Name (also ?. and *.).
type Prop struct {
	X        Node
	Op       string // ".", "?.", "*.", ".&" or ".@"
	Name     string
	NameOff  int
	Off, End int
}

// Index is X[Elems].
type Index struct {
	X        Node
	Elems    []Node
	Off, End int
}

// Call is a method call: name(args), name args (a command expression
// without parentheses), name { closure }, recv.name(args) { closure }, and
// new Type(args) (Name "new Type").
type Call struct {
	Recv     Node // nil for a plain name
	Name     string
	NameOff  int
	Args     []*Arg
	Body     *Block // the trailing closure, if any
	Parens   bool   // the arguments were in parentheses
	Off, End int
}

// Func is the dotted name of the callee: "sh", "docker.withRegistry",
// "env.getProperty"; a receiver that is not a chain of names shows as "?"
// ("?.inside" for docker.image('x').inside).
func (c *Call) Func() string {
	if c.Recv == nil {
		return c.Name
	}
	return dotted(c.Recv) + "." + c.Name
}

// Named returns the value of the named argument name, or nil.
func (c *Call) Named(name string) Node {
	for _, a := range c.Args {
		if a.Name == name {
			return a.Value
		}
	}
	return nil
}

// Positional returns the i-th argument without a name (closures in
// parentheses included, the trailing closure not), or nil.
func (c *Call) Positional(i int) Node {
	for _, a := range c.Args {
		if a.Name == "" && a.Key == nil {
			if i == 0 {
				return a.Value
			}
			i--
		}
	}
	return nil
}

// Arg is an argument of a call or an entry of a map literal. Name is set for
// name: value (identifier or literal string key); Key holds any other key
// expression; both are empty for a positional argument.
type Arg struct {
	Name    string
	NameOff int
	Key     Node
	Value   Node
}

// Block is a closure or a statement block. Params is the source text of a
// closure's parameters before "->" ("" when none).
type Block struct {
	Closure  bool
	Params   string
	Stmts    []Node
	Off, End int
}

// List is a list literal [a, b].
type List struct {
	Elems    []Node
	Off, End int
}

// Map is a map literal [k: v] or [:].
type Map struct {
	Entries  []*Arg
	Off, End int
}

// Get returns the value of the entry with key name, or nil.
func (m *Map) Get(name string) Node {
	for _, e := range m.Entries {
		if e.Name == name {
			return e.Value
		}
	}
	return nil
}

// Binary is X Op Y, for binary operators other than assignments.
type Binary struct {
	Op       string
	X, Y     Node
	Off, End int
}

// Assign is LHS Op RHS (=, +=, …), and declarations (def x = …, String x):
// Decl is true and RHS may be nil.
type Assign struct {
	LHS      Node
	Op       string
	RHS      Node
	Decl     bool
	Off, End int
}

// Control is a statement with a keyword: if, for, while, switch, try, do,
// synchronized, return, throw, assert, case, class, import…. Kids are its
// conditions and bodies in source order.
type Control struct {
	Keyword  string
	Kids     []Node
	Off, End int
}

// FuncDecl is a method definition: def name(params) { body }. In a shared
// library vars/x.groovy, "call" is the step's entry point.
type FuncDecl struct {
	Name     string
	NameOff  int
	Params   string // source text between the parentheses
	Body     *Block
	Off, End int
}

// Opaque is Groovy the tree does not model (ternaries, casts, unary
// operators, stray tokens); Kids are the nodes found inside it.
type Opaque struct {
	Kids     []Node
	Off, End int
}

// Span implements Node.
func (n *Name) Span() (int, int) { return n.Off, n.End }

// Span implements Node.
func (n *Const) Span() (int, int) { return n.Tok.Off, n.Tok.End }

// Span implements Node.
func (n *Str) Span() (int, int) { return n.Tok.Off, n.Tok.End }

// Span implements Node.
func (n *Prop) Span() (int, int) { return n.Off, n.End }

// Span implements Node.
func (n *Index) Span() (int, int) { return n.Off, n.End }

// Span implements Node.
func (n *Call) Span() (int, int) { return n.Off, n.End }

// Span implements Node.
func (n *Block) Span() (int, int) { return n.Off, n.End }

// Span implements Node.
func (n *List) Span() (int, int) { return n.Off, n.End }

// Span implements Node.
func (n *Map) Span() (int, int) { return n.Off, n.End }

// Span implements Node.
func (n *Binary) Span() (int, int) { return n.Off, n.End }

// Span implements Node.
func (n *Assign) Span() (int, int) { return n.Off, n.End }

// Span implements Node.
func (n *Control) Span() (int, int) { return n.Off, n.End }

// Span implements Node.
func (n *FuncDecl) Span() (int, int) { return n.Off, n.End }

// Span implements Node.
func (n *Opaque) Span() (int, int) { return n.Off, n.End }

// Children returns n's direct children in source order.
func Children(n Node) []Node {
	var out []Node
	add := func(k Node) {
		if k != nil && !isNilNode(k) {
			out = append(out, k)
		}
	}
	switch n := n.(type) {
	case *Str:
		for _, e := range n.Exprs {
			add(e)
		}
	case *Prop:
		add(n.X)
	case *Index:
		add(n.X)
		for _, e := range n.Elems {
			add(e)
		}
	case *Call:
		add(n.Recv)
		for _, a := range n.Args {
			add(a.Key)
			add(a.Value)
		}
		if n.Body != nil {
			add(n.Body)
		}
	case *Block:
		for _, s := range n.Stmts {
			add(s)
		}
	case *List:
		for _, e := range n.Elems {
			add(e)
		}
	case *Map:
		for _, e := range n.Entries {
			add(e.Key)
			add(e.Value)
		}
	case *Binary:
		add(n.X)
		add(n.Y)
	case *Assign:
		add(n.LHS)
		add(n.RHS)
	case *Control:
		for _, k := range n.Kids {
			add(k)
		}
	case *FuncDecl:
		if n.Body != nil {
			add(n.Body)
		}
	case *Opaque:
		for _, k := range n.Kids {
			add(k)
		}
	}
	return out
}

func isNilNode(n Node) bool {
	switch n := n.(type) {
	case *Block:
		return n == nil
	case *Call:
		return n == nil
	}
	return false
}

// Inspect walks the tree from n in source order, calling fn for each node;
// fn returning false skips the node's children. The walk uses an explicit
// stack, so deep trees cannot exhaust the goroutine stack.
func Inspect(n Node, fn func(Node) bool) {
	if n == nil || isNilNode(n) {
		return
	}
	stack := []Node{n}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !fn(n) {
			continue
		}
		kids := Children(n)
		for i := len(kids) - 1; i >= 0; i-- {
			stack = append(stack, kids[i])
		}
	}
}

// dotted returns "a.b.c" for a chain of names, with "?" for any other link.
func dotted(n Node) string {
	var names []string
	for done := false; !done; {
		switch x := n.(type) {
		case *Name:
			names = append(names, x.Name)
			done = true
		case *Prop:
			names = append(names, x.Name)
			n = x.X
		case *Call:
			if x.Recv == nil {
				names = append(names, x.Name+"()")
			} else {
				names = append(names, "?")
			}
			done = true
		default:
			names = append(names, "?")
			done = true
		}
	}
	for i, j := 0, len(names)-1; i < j; i, j = i+1, j-1 {
		names[i], names[j] = names[j], names[i]
	}
	return strings.Join(names, ".")
}

// DottedName returns "env.X" for the property chain env.X and "X" for a
// name; ok is false for anything else.
func DottedName(n Node) (string, bool) {
	s := dotted(n)
	if s == "" || strings.Contains(s, "?") || strings.Contains(s, "()") {
		return "", false
	}
	return s, true
}
