package shell

import "testing"

// TestWrapperSamples runs the samples of the wrapper table: each names the
// command NameIndex must find behind the wrappers.
func TestWrapperSamples(t *testing.T) {
	covered := map[string]bool{}
	for _, s := range wrapperSamples {
		sc := Parse(s.line, Sh, nil)
		if len(sc.Cmds) == 0 {
			t.Fatalf("%q: no command", s.line)
		}
		c := sc.Cmds[0]
		i, _ := c.NameIndex(Sh)
		for _, w := range c.Words[:i] {
			covered[BaseName(w.Text, Sh)] = true
		}
		if got := c.Display(Sh); i >= len(c.Words) && s.name != "env" || i < len(c.Words) && c.Words[i].Text != s.name {
			t.Errorf("%q: command %q (index %d), want %q", s.line, got, i, s.name)
		}
	}
	for name := range wrappers {
		// env alone is a command of its own; time is a reserved word of sh,
		// skipped before NameIndex runs
		if !covered[name] && name != "env" && name != "time" {
			t.Errorf("wrapper %s has no sample", name)
		}
	}
}

// TestPassThroughSamples runs the samples of the pass-through table.
func TestPassThroughSamples(t *testing.T) {
	for _, s := range passThroughSamples {
		sc := Parse(s.line, s.d, nil)
		var first *Cmd
		for _, c := range sc.Cmds {
			if name, _, _ := c.Name(s.d); name == "echo" || name == "write-output" {
				first = c
				break
			}
		}
		if first == nil {
			t.Fatalf("%q: no printer", s.line)
		}
		if got := first.OutputKept(s.d); got != s.kept {
			t.Errorf("%q (%s): OutputKept = %v, want %v", s.line, s.d, got, s.kept)
		}
	}
}
