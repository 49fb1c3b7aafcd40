package trust

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// TestTemplateCost: a file whose string templates HCL would take minutes
// to parse (the parser's time grows with the square of a template's
// pieces) is refused at the template, before HCL runs; real-sized ones,
// many templates or interpolations in expressions, are read.
func TestTemplateCost(t *testing.T) {
	heredoc := func(lines int) string {
		var b strings.Builder
		b.WriteString("  x = <<-EOT\n    jenkins:\n      systemMessage: hi\n")
		for i := range lines {
			fmt.Fprintf(&b, "      k%d: \"v%d\"\n", i, i)
		}
		b.WriteString("  EOT\n")
		return b.String()
	}
	escapes := func(n int) string {
		return `  y = "` + strings.Repeat(`$${V}\n`, n) + "\"\n"
	}
	for _, tt := range []struct {
		name, body string
		wantLine   int // 0: read
	}{
		{"a JCasC heredoc of 3,000 lines", heredoc(3000), 0},
		{"a heredoc of 7,000 lines", heredoc(7000), 2},
		{"ten heredocs of 1,500 lines", strings.Repeat(heredoc(1500), 10), 0},
		{"a quoted string with 30,000 escapes", "  z = 1\n" + escapes(30000), 3},
		{"interpolations inside an interpolation", `  w = "${join(",", [for s in var.x : "${s}-${s}"])}"` + "\n", 0},
	} {
		f := source.NewFile("main.tf", []byte("locals {\n"+tt.body+"}\n"))
		ferr := templateCost(f)
		switch {
		case tt.wantLine == 0 && ferr != nil:
			t.Errorf("%s: refused: %v", tt.name, ferr)
		case tt.wantLine != 0 && (ferr == nil || ferr.Pos.Line != tt.wantLine || !strings.Contains(ferr.Message, "too many pieces")):
			t.Errorf("%s: got %v, want an error at line %d", tt.name, ferr, tt.wantLine)
		}
	}
	// a file of real size is not lexed a second time
	if small := []byte("locals {\n" + heredoc(500) + "}\n"); mayCostTooMuch(small) {
		t.Error("a 500-line heredoc is lexed twice")
	}
	// ReadTerraform refuses such a file before HCL parses it
	big := source.NewFile("main.tf", []byte("locals {\n"+heredoc(80000)+"}\n"))
	if _, ferr := ReadTerraform(big); ferr == nil || !strings.Contains(ferr.Message, "not parsed") {
		t.Errorf("ReadTerraform: %v", ferr)
	}
}
