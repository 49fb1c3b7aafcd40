package shell

import "testing"

// FuzzShell: on any text and dialect the lexer never panics, the tokens
// cover the text in order without gaps or overlaps, every word, reference
// and command lies inside the text, every byte of a word maps to that byte
// of the text, commands are in text order, and so for the scripts of
// sh -c words.
func FuzzShell(f *testing.F) {
	for _, s := range []string{
		"curl -k x", "echo \"$(a `b` ${c})\" <<E\nx\nE", "$env:X = '1'", "set \"X=1\" & %Y%",
		"a <<-'E'\n\tb\n\tE", "((", "$((1+2))", "${", "'", "\"\\", "`", "x \\\r\ny 2>&1 |& z",
		"sh -c 'bash -c \"curl -k $U\"'", "<# a", "@rem x\r\n::y", "echo ${env.X} $P.q", "a=$(b <<E\n$(c)\nE\n)",
	} {
		for d := uint8(0); d < 3; d++ {
			f.Add(s, d)
		}
	}
	f.Fuzz(func(t *testing.T, s string, d uint8) {
		// Groovy interpolation at every other '$', to exercise groovyRef
		groovy := func(i int) bool { return i%2 == 0 && i < len(s) && s[i] == '$' }
		sc := Parse(s, Dialect(d%3), groovy)
		at := 0
		for _, tk := range sc.Tokens() {
			if tk.Start != at || tk.End <= tk.Start || tk.End > len(s) {
				t.Fatalf("token %s [%d,%d) after %d in %d bytes", tk.Kind, tk.Start, tk.End, at, len(s))
			}
			at = tk.End
		}
		if at != len(s) {
			t.Fatalf("tokens end at %d of %d", at, len(s))
		}
		check(t, sc, s)
	})
}

func check(t *testing.T, sc *Script, s string) {
	prev := -1
	for _, c := range sc.Cmds {
		if c.Start < prev || c.Start >= len(s) {
			t.Fatalf("command at %d after %d (text %d bytes)", c.Start, prev, len(s))
		}
		prev = c.Start
		words := append(append([]*Word{}, c.Assigns...), c.Words...)
		for _, r := range c.Redirs {
			words = append(words, r.Target)
		}
		for _, w := range words {
			if w.Start < 0 || w.End > len(s) || w.Start > w.End {
				t.Fatalf("word span %d-%d outside %d", w.Start, w.End, len(s))
			}
			for k := 0; k < len(w.Text); k++ {
				if i := w.Index(k); i < w.Start || i >= w.End || s[i] != w.Text[k] {
					t.Fatalf("word %q: byte %d maps to %d, not to a %q of the text", w.Text, k, i, w.Text[k])
				}
			}
			for _, r := range w.Refs {
				if r.Start < w.Start || r.End > w.End || r.Start >= r.End {
					t.Fatalf("ref %s [%d,%d) outside its word [%d,%d)", r.Name, r.Start, r.End, w.Start, w.End)
				}
			}
		}
		for _, in := range sc.Inner(c) {
			if in.Depth != sc.Depth+1 {
				t.Fatalf("inner depth %d under %d", in.Depth, sc.Depth)
			}
			check(t, in, s)
		}
		if c.Display(sc.Dialect) == "" && len(c.Words) > 0 {
			c.OutputKept(sc.Dialect)
		}
	}
}
