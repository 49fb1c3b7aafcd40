package trust

import (
	"bytes"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// maxTemplateCost bounds the work HCL's parser may do on a file's string
// templates. The parser joins the consecutive literal pieces of each
// template (a heredoc's lines, the text around escapes) one pair at a time,
// moving the rest of the list and copying the text joined so far each time
// (hclsyntax's meldConsecutiveStringLiterals): time that grows with the
// square of a template's pieces. Measured on 2 cores: a heredoc of 5,000
// lines parses in 0.44 s, of 10,000 in 2.2 s, of 80,000 in two and a half
// minutes; a quoted string with 20,000 $${…} escapes in 7 s. The cost of a
// file is the sum of its templates' squared numbers of pieces; 4e7 (one
// template of about 6,300 pieces, under a second) is far above any real
// configuration (a full JCasC export in a helm_release heredoc has a few
// hundred).
const maxTemplateCost = 40_000_000

// mayCostTooMuch reports whether data could hold templates over
// maxTemplateCost: a sum of squares over it needs more pieces than its
// square root, and a template's pieces are split at line ends, $, %, \ and
// quotes, so a file with few of those (nearly every real one) is not lexed
// a second time.
func mayCostTooMuch(data []byte) bool {
	n := 0
	for _, c := range []byte("\n$%\\\"") {
		n += bytes.Count(data, []byte{c})
	}
	return int64(2*n+2)*int64(2*n+2) > maxTemplateCost
}

// templateCost lexes f (linear) and refuses, as a file error at the
// template where the sum passes maxTemplateCost, a file whose templates
// HCL would take too long to parse. A template's pieces are its literal
// tokens and its interpolation and directive sequences (what is inside a
// sequence is an expression, and any template in it counts on its own).
func templateCost(f *source.File) *report.FileError {
	if !mayCostTooMuch(f.Data) {
		return nil
	}
	toks, _ := hclsyntax.LexConfig(f.Data, f.Path, hcl.InitialPos)
	type frame struct {
		template bool // a template (else an interpolation or directive sequence)
		pieces   int
		at       int // byte offset of the opening quote or heredoc marker
	}
	var stack []frame
	var cost int64
	pop := func() *report.FileError {
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !top.template {
			return nil
		}
		cost += int64(top.pieces) * int64(top.pieces)
		if cost > maxTemplateCost {
			return &report.FileError{Pos: f.PosAt(top.at), Message: fmt.Sprintf(
				"not parsed: its string templates hold too many pieces (this one %d) for HCL's parser, whose time grows with their square; split the string, or keep the document in a file of its own", top.pieces)}
		}
		return nil
	}
	inTemplate := func() bool { return len(stack) > 0 && stack[len(stack)-1].template }
	for _, t := range toks {
		switch t.Type {
		case hclsyntax.TokenOQuote, hclsyntax.TokenOHeredoc:
			stack = append(stack, frame{template: true, at: t.Range.Start.Byte})
		case hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc:
			if inTemplate() {
				if ferr := pop(); ferr != nil {
					return ferr
				}
			}
		case hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			if inTemplate() {
				stack[len(stack)-1].pieces++
			}
			stack = append(stack, frame{})
		case hclsyntax.TokenTemplateSeqEnd:
			if len(stack) > 0 && !inTemplate() {
				stack = stack[:len(stack)-1]
			}
		case hclsyntax.TokenQuotedLit, hclsyntax.TokenStringLit:
			if inTemplate() {
				stack[len(stack)-1].pieces++
			}
		}
	}
	for len(stack) > 0 { // unterminated: HCL still reads what it can
		if ferr := pop(); ferr != nil {
			return ferr
		}
	}
	return nil
}
