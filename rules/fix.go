package rules

import (
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// replaceScalar returns a fix that replaces the text of the scalar marked m
// (tree.MarkOf) with replacement, keeping its quotes. It returns nil when
// the scalar's source text is not exactly its value (escapes, block or
// multi-line scalars), so a fix never guesses.
func replaceScalar(f *source.File, m tree.Mark, replacement, desc string) *report.Fix {
	if !m.Exact {
		return nil
	}
	style := yaml.Style(m.Style)
	if style == yaml.DoubleQuotedStyle && strings.ContainsAny(replacement, `"\`) {
		return nil
	}
	if style == yaml.SingleQuotedStyle && strings.Contains(replacement, "'") {
		return nil
	}
	if style == 0 && strings.ContainsAny(replacement, ":#'\"{}[],&*!|>%@`") && !strings.HasPrefix(replacement, "http") {
		return nil
	}
	return &report.Fix{Path: f.Path, Offset: int(m.Off), Length: int(m.Len), Replacement: replacement, Description: desc}
}

// charDiff shows how got differs from want, character by character:
// [-removed-]{+added+} around the differing runs.
func charDiff(got, want string) string {
	dmp := diffmatchpatch.New()
	diffs := dmp.DiffMain(got, want, false)
	diffs = dmp.DiffCleanupSemantic(diffs)
	var b strings.Builder
	for _, d := range diffs {
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			b.WriteString(d.Text)
		case diffmatchpatch.DiffDelete:
			b.WriteString("[-" + d.Text + "-]")
		case diffmatchpatch.DiffInsert:
			b.WriteString("{+" + d.Text + "+}")
		}
	}
	return b.String()
}
