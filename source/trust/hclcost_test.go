package trust

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// TestHCLBounds: a file that would take HCL's parser minutes (a template
// of too many pieces × bytes, a long chain of conditionals) or overflow its
// stack (deep nesting, a run of unary operators: a fatal error Go cannot
// recover) is refused at the place, before HCL runs; real-sized files are
// read.
func TestHCLBounds(t *testing.T) {
	heredoc := func(lines, width int) string {
		var b strings.Builder
		b.WriteString("  x = <<-EOT\n    jenkins:\n      systemMessage: hi\n")
		for i := range lines {
			fmt.Fprintf(&b, "      k%d: \"v%d%s\"\n", i, i, strings.Repeat("w", width))
		}
		b.WriteString("  EOT\n")
		return b.String()
	}
	for _, tt := range []struct {
		name, body string
		wantLine   int    // 0: read
		want       string // in the message
	}{
		{"a JCasC heredoc of 10,000 lines", heredoc(10000, 20), 0, ""},
		{"ten heredocs of 3,000 lines", strings.Repeat(heredoc(3000, 20), 10), 0, ""},
		{"a heredoc of 80,000 lines", heredoc(80000, 0), 2, "string templates too large"},
		{"a heredoc of 1,000 lines of 10 KB", heredoc(1000, 10000), 2, "string templates too large"},
		{"a quoted string with 30,000 escapes", "  z = 1\n  y = \"" + strings.Repeat(`$${V}\n`, 30000) + "\"\n", 3, "string templates too large"},
		{"interpolations inside an interpolation", `  w = "${join(",", [for s in var.x : "${s}-${s}"])}"` + "\n", 0, ""},
		{"500 nested parentheses", "  n = " + strings.Repeat("(", 500) + "1" + strings.Repeat(")", 500) + "\n", 0, ""},
		{"2,000 nested parentheses", "  n = " + strings.Repeat("(", 2000) + "1" + strings.Repeat(")", 2000) + "\n", 2, "nested more than 1000 deep"},
		{"2,000 unary operators", "  u = " + strings.Repeat("!", 2000) + "true\n", 2, "operators in a row"},
		{"a chain of 2,000 conditionals", "  c = " + strings.Repeat("true ? 1 : ", 2000) + "2\n", 2, "conditionals in one expression"},
		{"conditionals on many lines", strings.Repeat("  c = true ? 1 : 2\n", 2000), 0, ""},
		{"a subtraction", "  s = 10 - -1\n", 0, ""},
	} {
		f := source.NewFile("main.tf", []byte("locals {\n"+tt.body+"}\n"))
		ferr := checkHCLBounds(f)
		switch {
		case tt.wantLine == 0 && ferr != nil:
			t.Errorf("%s: refused: %v", tt.name, ferr)
		case tt.wantLine != 0 && (ferr == nil || ferr.Pos.Line != tt.wantLine || !strings.Contains(ferr.Message, tt.want)):
			t.Errorf("%s: got %v, want %q at line %d", tt.name, ferr, tt.want, tt.wantLine)
		}
	}
	// a file of real size is not lexed a second time
	if small := []byte("locals {\n" + heredoc(500, 20) + "}\n"); mayBeHostile(small) {
		t.Error("a 500-line heredoc is lexed twice")
	}
	// ReadTerraform refuses such a file before HCL parses it
	big := source.NewFile("main.tf", []byte("locals {\n"+heredoc(80000, 0)+"}\n"))
	if _, ferr := ReadTerraform(big); ferr == nil || !strings.Contains(ferr.Message, "not parsed") {
		t.Errorf("ReadTerraform: %v", ferr)
	}
}
