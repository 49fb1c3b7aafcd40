package engine

import (
	"math"
	"math/big"
	"strconv"
	"strings"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/token"
)

// What a policy may build, judged from its source before anything is
// evaluated: a policy over these is an error at the offending call or
// clause, so that the common ways to make evaluation explode fail at once,
// with a position. Evaluation itself runs on a budget as well (sandbox.go),
// which catches what the source does not show (a comprehension over a large
// list of the document, a list built from a reference).
const (
	// maxBuilt bounds the elements of list.Range and list.Repeat, and the
	// bytes of strings.Repeat, with literal arguments.
	maxBuilt = 10000
	// maxForNesting bounds the for clauses on one path through nested
	// comprehensions: each one multiplies the iterations.
	maxForNesting = 2
	// maxIterations bounds the product of the sizes of nested for clauses
	// whose sources are known from the source (literal ranges and lists).
	maxIterations = 100000
)

// cheap reports whether a parsed policy file stays within what a policy may
// build, and reports every place it does not.
func (l *loader) cheap(file *ast.File) bool {
	imports := map[string]string{} // local name → import path
	for spec := range file.ImportSpecs() {
		path, err := strconv.Unquote(spec.Path.Value)
		if err != nil {
			continue
		}
		name := path[strings.LastIndex(path, "/")+1:]
		if spec.Name != nil {
			name = spec.Name.Name
		}
		imports[name] = path
	}
	c := &costWalk{l: l, imports: imports}
	c.walk(file, 0, 1)
	return !c.failed
}

type costWalk struct {
	l       *loader
	imports map[string]string
	failed  bool
}

func (c *costWalk) errorf(p token.Pos, format string, args ...any) {
	c.failed = true
	c.l.errorf(c.l.pos(p), "invalid policy: "+format, args...)
}

// walk visits n with depth for clauses around it, whose known sizes
// multiply to iters.
func (c *costWalk) walk(n ast.Node, depth int, iters float64) {
	ast.Walk(n, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.Comprehension:
			c.comprehension(x, depth, iters)
			return false
		case *ast.CallExpr:
			c.call(x)
		}
		return true
	}, nil)
}

func (c *costWalk) comprehension(x *ast.Comprehension, depth int, iters float64) {
	for _, cl := range x.Clauses {
		switch cl := cl.(type) {
		case *ast.ForClause:
			c.walk(cl.Source, depth, iters)
			depth++
			if depth > maxForNesting {
				c.errorf(cl.For, "a for clause nested %d deep: a policy may nest at most %d (each one multiplies the work by the length of its list)", depth, maxForNesting)
				return
			}
			if n, ok := c.size(cl.Source); ok {
				iters *= n
				if iters > maxIterations {
					c.errorf(cl.For, "for clauses that iterate about %.0f times: a policy may iterate at most %d times", iters, maxIterations)
					return
				}
			}
		default:
			c.walk(cl, depth, iters)
		}
	}
	c.walk(x.Value, depth, iters)
	if x.Fallback != nil {
		c.walk(x.Fallback, depth, iters)
	}
}

// size is the number of elements a for clause's source has, when the
// source shows it: a list literal or a call of list.Range with literal
// arguments.
func (c *costWalk) size(x ast.Expr) (float64, bool) {
	switch x := x.(type) {
	case *ast.ListLit:
		return float64(len(x.Elts)), true
	case *ast.ParenExpr:
		return c.size(x.X)
	case *ast.CallExpr:
		if c.builtin(x) == "list.Range" && len(x.Args) == 3 {
			return rangeSize(x.Args)
		}
	}
	return 0, false
}

// builtin names the standard-library function a call calls ("list.Range"),
// or "".
func (c *costWalk) builtin(x *ast.CallExpr) string {
	sel, ok := x.Fun.(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	pkg, ok := sel.X.(*ast.Ident)
	if !ok {
		return ""
	}
	name, _, err := ast.LabelName(sel.Sel)
	if err != nil {
		return ""
	}
	if path, ok := c.imports[pkg.Name]; ok {
		return path + "." + name
	}
	return ""
}

func (c *costWalk) call(x *ast.CallExpr) {
	switch fn := c.builtin(x); fn {
	case "list.Range":
		if len(x.Args) == 3 {
			if n, ok := rangeSize(x.Args); ok && n > maxBuilt {
				c.errorf(x.Lparen, "%s makes %.0f elements: a policy may build at most %d", fn, n, maxBuilt)
			}
		}
	case "list.Repeat", "strings.Repeat":
		if len(x.Args) == 2 {
			n, ok := number(x.Args[1])
			if ok && fn == "strings.Repeat" {
				if lit, isLit := x.Args[0].(*ast.BasicLit); isLit && lit.Kind == token.STRING {
					n *= float64(max(1, len(lit.Value)-2))
				}
			}
			if ok && n > maxBuilt {
				c.errorf(x.Lparen, "%s makes %.0f elements: a policy may build at most %d", fn, n, maxBuilt)
			}
		}
	}
}

// rangeSize is the number of elements of list.Range(start, limit, step)
// with literal arguments (+Inf for a step of zero, which CUE refuses).
func rangeSize(args []ast.Expr) (float64, bool) {
	start, ok1 := number(args[0])
	limit, ok2 := number(args[1])
	step, ok3 := number(args[2])
	if !ok1 || !ok2 || !ok3 {
		return 0, false
	}
	if step == 0 {
		return math.Inf(1), true
	}
	n := math.Ceil((limit - start) / step)
	if n < 0 || math.IsNaN(n) {
		return 0, true
	}
	return n, true
}

// number is the value of a numeric literal (with an optional sign).
func number(x ast.Expr) (float64, bool) {
	sign := 1.0
	if u, ok := x.(*ast.UnaryExpr); ok && (u.Op == token.SUB || u.Op == token.ADD) {
		if u.Op == token.SUB {
			sign = -1
		}
		x = u.X
	}
	lit, ok := x.(*ast.BasicLit)
	if !ok || (lit.Kind != token.INT && lit.Kind != token.FLOAT) {
		return 0, false
	}
	v := strings.ReplaceAll(lit.Value, "_", "")
	mult := 1.0
	for _, s := range []struct {
		suffix string
		m      float64
	}{{"Ki", 1 << 10}, {"Mi", 1 << 20}, {"Gi", 1 << 30}, {"Ti", 1 << 40}, {"Pi", 1 << 50}, {"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}, {"P", 1e15}} {
		if strings.HasSuffix(v, s.suffix) {
			v, mult = strings.TrimSuffix(v, s.suffix), s.m
			break
		}
	}
	f, _, err := big.ParseFloat(v, 0, 64, big.ToNearestEven)
	if err != nil {
		if i, ok := new(big.Int).SetString(v, 0); ok {
			f = new(big.Float).SetInt(i)
		} else {
			return 0, false
		}
	}
	n, _ := f.Float64()
	return sign * n * mult, true
}
