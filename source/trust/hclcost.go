package trust

import (
	"bytes"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// HCL's parser is not built for hostile input: some shapes take it time
// that grows with the square of their size, others recursion as deep as
// the input is long, and a Go stack overflow ends the process (it cannot
// be recovered). Measured on 2 cores with the tool before these bounds:
//   - A template's literal pieces (a heredoc's lines, the text around
//     escapes) are joined one pair at a time, copying the text joined so
//     far each time (hclsyntax's meldConsecutiveStringLiterals): time grows
//     with pieces × bytes. A heredoc of 80,000 lines took 153 s, one of
//     1,000 lines of 10 KB 9.7 s, a quoted string with 20,000 $${…}
//     escapes 7 s; a heredoc of 10,000 JCasC lines takes 2.2 s.
//   - 2,000,000 nested ( or unary operators (!!!…, ---…): a stack overflow.
//   - 400,000 chained conditionals (a ? b : c ? …): 26 s; a million terms
//     of 1 + 1 + …: 15 s.
//
// So a file is refused, as a parse error at the place, before HCL parses
// it, past these bounds; each is far above any real configuration (a full
// JCasC export in a helm_release heredoc costs about 1e8).
const (
	// maxTemplateCost bounds the sum over a file's templates of pieces ×
	// bytes (about 2 s of parsing at most).
	maxTemplateCost = 5_000_000_000
	// maxNesting bounds brackets, braces, templates and interpolations
	// open at once.
	maxNesting = 1000
	// maxUnary bounds a run of unary operators.
	maxUnary = 1000
	// maxConditionals bounds the conditionals (?) of one expression.
	maxConditionals = 1000
	// maxExprTokens bounds the tokens of one expression (an attribute's
	// value, up to the line end outside brackets).
	maxExprTokens = 500_000
)

// mayBeHostile reports whether data could pass one of the bounds: nearly
// every real file is small and has few of the characters each needs, and
// is not lexed a second time.
func mayBeHostile(data []byte) bool {
	if len(data) > 256<<10 {
		return true
	}
	count := func(cs string) int {
		n := 0
		for i := 0; i < len(cs); i++ {
			n += bytes.Count(data, []byte{cs[i]})
		}
		return n
	}
	if count("([{") > maxNesting || count("!-") > maxUnary || count("?") > maxConditionals {
		return true
	}
	// a template's pieces are split at line ends, $, %, \ and quotes
	pieces := int64(2*count("\n$%\\\"") + 2)
	return pieces*int64(len(data)) > maxTemplateCost
}

// checkHCLBounds lexes f (linear) and returns a parse error at the first
// place past one of the bounds, or nil.
func checkHCLBounds(f *source.File) *report.FileError {
	if !mayBeHostile(f.Data) {
		return nil
	}
	toks, _ := hclsyntax.LexConfig(f.Data, f.Path, hcl.InitialPos)
	refuse := func(at int, what string) *report.FileError {
		return &report.FileError{Pos: f.PosAt(at), Message: "not parsed: " + what +
			", more than HCL's parser takes in reasonable time and stack; split it, or keep the document in a file of its own"}
	}
	type frame struct {
		template bool // a quoted string or heredoc (else a bracket or an interpolation)
		pieces   int
		at       int
	}
	var stack []frame
	var cost int64
	parens := 0 // ( [ and interpolations open: line ends inside them do not end an expression
	unary, conditionals, exprTokens := 0, 0, 0
	inTemplate := func() bool { return len(stack) > 0 && stack[len(stack)-1].template }
	for _, t := range toks {
		at := t.Range.Start.Byte
		exprTokens++
		if exprTokens > maxExprTokens {
			return refuse(at, fmt.Sprintf("an expression of more than %d tokens", maxExprTokens))
		}
		if t.Type == hclsyntax.TokenBang || t.Type == hclsyntax.TokenMinus {
			if unary++; unary > maxUnary {
				return refuse(at, fmt.Sprintf("more than %d operators in a row", maxUnary))
			}
		} else {
			unary = 0
		}
		switch t.Type {
		case hclsyntax.TokenOQuote, hclsyntax.TokenOHeredoc:
			stack = append(stack, frame{template: true, at: at})
		case hclsyntax.TokenOParen, hclsyntax.TokenOBrack, hclsyntax.TokenOBrace:
			stack = append(stack, frame{at: at})
			if t.Type != hclsyntax.TokenOBrace {
				parens++
			}
		case hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			if inTemplate() {
				stack[len(stack)-1].pieces++
			}
			stack = append(stack, frame{at: at})
			parens++
		case hclsyntax.TokenQuotedLit, hclsyntax.TokenStringLit:
			if inTemplate() {
				stack[len(stack)-1].pieces++
			}
		case hclsyntax.TokenQuestion:
			if conditionals++; conditionals > maxConditionals {
				return refuse(at, fmt.Sprintf("more than %d conditionals in one expression", maxConditionals))
			}
		case hclsyntax.TokenNewline:
			if parens == 0 {
				conditionals, exprTokens = 0, 0
			}
		case hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc, hclsyntax.TokenCParen, hclsyntax.TokenCBrack,
			hclsyntax.TokenCBrace, hclsyntax.TokenTemplateSeqEnd:
			if len(stack) == 0 {
				continue
			}
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if top.template {
				cost += int64(top.pieces) * int64(t.Range.End.Byte-top.at)
				if cost > maxTemplateCost {
					return refuse(top.at, fmt.Sprintf("string templates too large to join (this one: %d pieces in %d bytes)", top.pieces, t.Range.End.Byte-top.at))
				}
			} else if t.Type != hclsyntax.TokenCBrace && parens > 0 {
				parens--
			}
		}
		if len(stack) > maxNesting {
			return refuse(at, fmt.Sprintf("brackets, strings and interpolations nested more than %d deep", maxNesting))
		}
	}
	for _, top := range stack { // unterminated: HCL still reads what it can
		if top.template {
			cost += int64(top.pieces) * int64(len(f.Data)-top.at)
			if cost > maxTemplateCost {
				return refuse(top.at, fmt.Sprintf("string templates too large to join (this one: %d pieces)", top.pieces))
			}
		}
	}
	return nil
}
