package jenkinsfile

import (
	"os"
	"testing"
	"unicode/utf8"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

var fuzzSeeds = []string{
	"", "'", `"`, "'''", `"""`, "/", "$/", "/*", "${", `"${`, `"$a.`, `'\u12`, `'\`, "#!", "a /* b",
	`"${ "${ '}' }" }"`, `x = /a\/b/ / c`, `$/$$ $/ /$`, "sh '''\n\\\n'''", "{[(", ")]}", "a.b.c(d) { e -> f }",
	"pipeline { stages { stage('x') { steps { sh 'y' } } } }",
	"withCredentials([string(credentialsId: 'a', variable: 'B')]) { sh \"${B}\" }",
}

func addCorpus(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	for _, p := range corpus(f) {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// checkTokens verifies the lexer's invariants on one token list.
func checkTokens(t *testing.T, src []byte, toks []Token, from int) {
	if len(toks) == 0 || toks[len(toks)-1].Kind != EOF {
		t.Fatalf("token list does not end with EOF")
	}
	prev := from
	for i := range toks {
		tk := &toks[i]
		if tk.Off < prev || tk.End < tk.Off || tk.End > len(src) {
			t.Fatalf("token %d %v %q at %d..%d after %d (len %d)", i, tk.Kind, tk.Text, tk.Off, tk.End, prev, len(src))
		}
		if tk.Kind != EOF && tk.Kind != Newline && string(src[tk.Off:tk.End]) != tk.Text {
			t.Fatalf("token %d text %q, source %q", i, tk.Text, src[tk.Off:tk.End])
		}
		prev = tk.End
		last := tk.Off
		for j := range tk.Parts {
			p := &tk.Parts[j]
			if p.Off < last || p.End < p.Off || p.End > tk.End {
				t.Fatalf("part %d of %q at %d..%d", j, tk.Text, p.Off, p.End)
			}
			last = p.End
			prevOff := p.Off
			for k := 0; k <= len(p.Text); k++ {
				o := p.SourceOffset(k)
				if o < p.Off || o > p.End || o < prevOff {
					t.Fatalf("part %q SourceOffset(%d) = %d outside %d..%d or before %d", p.Text, k, o, p.Off, p.End, prevOff)
				}
				prevOff = o
			}
			if p.Kind == ExprPart {
				checkTokens(t, src, p.Toks, p.Off)
			}
		}
	}
}

func FuzzLex(f *testing.F) {
	addCorpus(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		toks, err := Lex(src)
		if err != nil && (err.Off < 0 || err.Off > len(src)) {
			t.Fatalf("error offset %d outside input of %d bytes", err.Off, len(src))
		}
		checkTokens(t, src, toks, 0)
	})
}

func FuzzParse(f *testing.F) {
	addCorpus(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		sf := source.NewFile("J", src)
		jf, ferr := Parse(sf)
		if jf == nil {
			t.Fatal("nil File")
		}
		if ferr != nil && !ferr.Pos.IsValid() {
			t.Fatalf("error without position: %v", ferr)
		}
		valid := utf8.Valid(src)
		checkPos := func(off int) {
			if off < len(src) && !utf8.RuneStart(src[off]) {
				return
			}
			got := jf.PosAt(off)
			if valid && got != sf.PosAt(off) {
				t.Fatalf("PosAt(%d) = %v, source says %v", off, got, sf.PosAt(off))
			}
		}
		for _, s := range jf.Steps {
			if s.Text == nil {
				continue
			}
			for i := 0; i <= len(s.Text.S); i++ {
				off := s.Text.Offset(i)
				if off < 0 || off > len(src) {
					t.Fatalf("step text offset %d outside input", off)
				}
			}
			checkPos(s.Text.Offset(len(s.Text.S) / 2))
			s.InScope()
			s.Env()
		}
		for _, u := range jf.Uses {
			if u.ID.Valid() {
				checkPos(u.ID.Off)
				for i := 0; i <= len(u.ID.Text); i++ {
					if o := u.ID.OffsetAt(i); o < 0 || o > len(src) {
						t.Fatalf("value offset %d outside input", o)
					}
				}
			}
		}
		for _, e := range jf.Env {
			checkPos(e.Value.Off)
		}
		checkPos(len(src) / 2)
	})
}

func TestPosAtMatchesSource(t *testing.T) {
	for _, p := range append(corpus(t), "testdata/corpus/../../lex.go") {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		sf := source.NewFile(p, data)
		x := newPosIndex(sf)
		for off := 0; off <= len(data); off++ {
			if off < len(data) && !utf8.RuneStart(data[off]) {
				continue // offsets inside a character are never produced
			}
			if got, want := x.pos(off), sf.PosAt(off); got != want {
				t.Fatalf("%s: pos(%d) = %v, want %v", p, off, got, want)
			}
		}
	}
}
