package jenkinsfile

// Looks reports whether Groovy source is a pipeline rather than a class, a
// script of another kind (Job DSL, init scripts, Gradle) or a test: it has a
// declarative `pipeline {` block, or a scripted `node` or `stage` step, at
// the top level of the script. A step counts when it starts a statement and
// every block around it is a closure (`timestamps { node { … } }`), not the
// body of a class, method or control statement's definition (`def build() {
// node { … } }` is a library function that a pipeline may call, not a
// pipeline). Words in comments and strings never count.
//
// It reads the tokens only, in time linear in len(src), and accepts a
// prefix of a file cut anywhere (an unterminated string or comment at the
// cut ends the scan).
func Looks(src []byte) bool {
	toks, _ := Lex(src)
	// defs[i] is set when the i-th open brace (counting from the outside)
	// is a definition's body; closures, lists and maps are not.
	var defs []bool
	inDef := 0        // how many open braces are definition bodies
	stmtStart := true // the next token starts a statement
	defHead := false  // the current statement declares a class or method
	prev := -1        // index of the previous significant token
	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		switch t.Kind {
		case Comment:
			continue
		case Newline:
			// A newline ends a statement unless the line ends in an
			// operator or an open parenthesis (Allman braces: `node\n{`
			// is handled by the lookahead below).
			if prev < 0 || !continues(&toks[prev]) {
				stmtStart = true
				// `def build()` may open its body on the next line
				defHead = defHead && prev >= 0 && toks[prev].IsOp(")")
			}
			continue
		case EOF:
			return false
		}
		switch {
		case t.Kind == Op && t.Text == "{":
			def := defHead && inDef == 0 || inDef > 0
			defs = append(defs, def)
			if def {
				inDef++
			}
			stmtStart, defHead = true, false
		case t.Kind == Op && t.Text == "}":
			if n := len(defs); n > 0 {
				if defs[n-1] {
					inDef--
				}
				defs = defs[:n-1]
			}
			stmtStart, defHead = true, false
		case t.Kind == Op && (t.Text == ";" || t.Text == "->"):
			stmtStart, defHead = true, false
		case t.Kind == Ident && stmtStart:
			if inDef == 0 && isPipelineStep(t.Text) {
				if next := nextSignificant(toks, i+1); next != nil && next.Kind == Op &&
					(next.Text == "{" || next.Text == "(" && t.Text != "pipeline") {
					return true
				}
			}
			defHead = declares(toks, i)
			stmtStart = false
		default:
			if t.Kind == Ident && (t.Text == "class" || t.Text == "interface" || t.Text == "enum" || t.Text == "trait") {
				defHead = true
			}
			stmtStart = false
		}
		prev = i
	}
	return false
}

// isPipelineStep names the steps that make a script a pipeline.
func isPipelineStep(name string) bool {
	return name == "pipeline" || name == "node" || name == "stage"
}

// continues reports whether a line ending in t goes on on the next line.
func continues(t *Token) bool {
	if t.Kind != Op {
		return false
	}
	switch t.Text {
	case "(", "[", ",", ".", "?.", "=", "+", "-", "*", "/", "&&", "||", "?", ":", "==", "!=", "<<":
		return true
	}
	return false
}

// nextSignificant is the first token at or after i that is not a comment or
// a newline, or nil.
func nextSignificant(toks []Token, i int) *Token {
	for ; i < len(toks); i++ {
		if k := toks[i].Kind; k != Comment && k != Newline {
			return &toks[i]
		}
	}
	return nil
}

// declares reports whether the statement starting at toks[i] declares a
// class or a method, whose body (the next brace) is not pipeline code:
// `class X`, `def name(…)`, `void name(…)`, `String name(…)`, modifiers
// first. A variable (`def x = …`) or a call (`node(…) {`) does not.
func declares(toks []Token, i int) bool {
	words := 0
	for ; i < len(toks); i++ {
		t := &toks[i]
		switch t.Kind {
		case Comment:
			continue
		case Ident:
			switch t.Text {
			case "class", "interface", "enum", "trait":
				return true
			}
			words++
			continue
		case String:
			// def "a spec's name"() { … } (Spock)
			words++
			continue
		case Op:
			if t.Text == "<" || t.Text == ">" || t.Text == "." || t.Text == "," || t.Text == "[" || t.Text == "]" {
				continue // generic or qualified types: Map<String, List> x(…)
			}
			return t.Text == "(" && words >= 2
		}
		return false
	}
	return false
}
