package cuecheck

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/schema"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// TestViolations: every violation, each at its node, with the missing field
// that CUE's Validate drops once the document has a conflict elsewhere.
func TestViolations(t *testing.T) {
	ctx := cuecontext.New()
	c := ctx.CompileString(`#C: close({name!: string, size?: int & <10, tags?: [...string]})`).LookupPath(cue.ParsePath("#C"))
	for _, tc := range []struct {
		src  string
		want []string
	}{
		{"size: 12\ntags: [a, 1]\n", []string{
			fmt.Sprintf("name 1:1 kind=%d", schema.ViolationMissing),
			fmt.Sprintf("size 1:7 kind=%d", schema.ViolationInvalid),
			fmt.Sprintf("tags.1 2:11 kind=%d", schema.ViolationInvalid),
		}},
		{"name: a\nextra: x\n", []string{fmt.Sprintf("extra 2:1 kind=%d", schema.ViolationNotAllowed)}},
		{"name: a\n", nil},
	} {
		f := source.NewFile("x.yaml", []byte(tc.src))
		docs, ferr := tree.ParseYAML(f)
		if ferr != nil {
			t.Fatal(ferr)
		}
		v, err := tree.ToValue(docs[0])
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, vi := range Violations(c, ctx.Encode(v), docs[0]) {
			got = append(got, fmt.Sprintf("%s %d:%d kind=%d", strings.Join(vi.Path, "."), vi.Node.Line, vi.Node.Column, vi.Kind))
		}
		sort.Strings(got)
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%q: got %q, want %q", tc.src, got, tc.want)
		}
	}
}
