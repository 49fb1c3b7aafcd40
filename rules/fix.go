package rules

import (
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// replaceScalar returns a fix that replaces the text of scalar n with
// replacement, keeping its quotes. It returns nil when the node's source
// text is not exactly its value (escapes, block or multi-line scalars), so a
// fix never guesses.
func replaceScalar(f *source.File, n *yaml.Node, replacement, desc string) *report.Fix {
	if n == nil || n.Kind != yaml.ScalarNode || n.Line == 0 {
		return nil
	}
	off := f.Offset(n.Line, n.Column)
	switch n.Style {
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		off++
	case 0:
	default:
		return nil
	}
	end := off + len(n.Value)
	if end > len(f.Data) || string(f.Data[off:end]) != n.Value {
		return nil
	}
	if n.Style == yaml.DoubleQuotedStyle && strings.ContainsAny(replacement, `"\`) {
		return nil
	}
	if n.Style == yaml.SingleQuotedStyle && strings.Contains(replacement, "'") {
		return nil
	}
	if n.Style == 0 && strings.ContainsAny(replacement, ":#'\"{}[],&*!|>%@`") && !strings.HasPrefix(replacement, "http") {
		return nil
	}
	return &report.Fix{Path: f.Path, Offset: off, Length: end - off, Replacement: replacement, Description: desc}
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
