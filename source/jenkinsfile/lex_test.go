package jenkinsfile

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// toks renders tokens compactly: Kind:text, strings as Quote+parts.
func toks(ts []Token) string {
	var out []string
	for _, t := range ts {
		switch t.Kind {
		case EOF:
			continue
		case Newline:
			out = append(out, "NL")
		case String:
			var parts []string
			for _, p := range t.Parts {
				parts = append(parts, fmt.Sprintf("%s:%q", p.Kind, p.Text))
			}
			out = append(out, fmt.Sprintf("S%s[%s]", t.Quote, strings.Join(parts, " ")))
		default:
			out = append(out, t.Kind.String()+":"+t.Text)
		}
	}
	return strings.Join(out, " ")
}

func TestLexTokens(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"single", `'a b'`, `S'[lit:"a b"]`},
		{"empty single", `''`, `S'[]`},
		{"empty double", `"" + x`, `S"[] Op:+ Ident:x`},
		{"double", `"x"`, `S"[lit:"x"]`},
		{"triple single", "'''a\n'b''c'''", `S'''[lit:"a\n'b''c"]`},
		{"triple double", "\"\"\"a\n\"b\" ${c}\"\"\"", `S"""[lit:"a\n\"b\" " expr:"c"]`},
		{"quote before closing triple", `"""say "hi""""`, `S"""[lit:"say \"hi\""]`},
		{"quote before closing triple single", `'''it''''`, `S'''[lit:"it'"]`},
		{"single has no interpolation", `'$HOME ${x}'`, `S'[lit:"$HOME ${x}"]`},
		{"escapes", `'\n\t\b\f\r\s\\\'\"\$'`, `S'[lit:"\n\t\b\f\r \\'\"$"]`},
		{"unicode escape", `'caf\u00e9'`, `S'[lit:"café"]`},
		{"unicode escape uu", `'\uu0041'`, `S'[lit:"A"]`},
		{"bad unicode escape kept", `'\u00g1'`, `S'[lit:"\\u00g1"]`},
		{"octal", `'\0\101\60x'`, `S'[lit:"\x00A0x"]`},
		{"unknown escape kept", `'\d+'`, `S'[lit:"\\d+"]`},
		{"line continuation", "'a\\\nb'", `S'[lit:"ab"]`},
		{"line continuation crlf", "'''a\\\r\nb'''", `S'''[lit:"ab"]`},
		{"escaped dollar", `"\${x} $"`, `S"[lit:"${x} $"]`},
		{"dollar then digit", `"$1 and $"`, `S"[lit:"$1 and $"]`},
		{"path", `"a $b.c.d e"`, `S"[lit:"a " path:"b.c.d" lit:" e"]`},
		{"path trailing dot", `"$a.b."`, `S"[path:"a.b" lit:"."]`},
		{"path then call", `"$a.b()"`, `S"[path:"a.b" lit:"()"]`},
		{"path needs letter", `"$a.1"`, `S"[path:"a" lit:".1"]`},
		{"expr with braces", `"${ [a: 1].collect { k, v -> k } }"`, `S"[expr:" [a: 1].collect { k, v -> k } "]`},
		{"nested string in expr", `"o ${ "i ${x} }" } w"`, `S"[lit:"o " expr:" \"i ${x} }\" " lit:" w"]`},
		{"slashy", `x = /a\/b\d$/`, `Ident:x Op:= S/[lit:"a/b\\d$"]`},
		{"slashy interpolation", `x = /v${n}/`, `Ident:x Op:= S/[lit:"v" expr:"n"]`},
		{"dollar slashy", `$/a\b $$x $/y /c/$`, `S$/[lit:"a\\b $x /y /c"]`},
		{"dollar slashy interp", `$/$x-${y}/$`, `S$/[path:"x" lit:"-" expr:"y"]`},
		{"division after ident", `a / b / c`, `Ident:a Op:/ Ident:b Op:/ Ident:c`},
		{"division after paren", `(a) / 2`, `Op:( Ident:a Op:) Op:/ Number:2`},
		{"division after bracket", `x[0] / 2`, `Ident:x Op:[ Number:0 Op:] Op:/ Number:2`},
		{"division after number", `4/2/1`, `Number:4 Op:/ Number:2 Op:/ Number:1`},
		{"division after string", `'a'/ 'b'/`, `S'[lit:"a"] Op:/ S'[lit:"b"] Op:/`},
		{"division after postfix", `i++ / 2`, `Ident:i Op:++ Op:/ Number:2`},
		{"division after closing brace", `}/2/`, `Op:} Op:/ Number:2 Op:/`},
		{"slashy after paren open", `f(/x/)`, `Ident:f Op:( S/[lit:"x"] Op:)`},
		{"slashy after comma", `[/x/, /y/]`, `Op:[ S/[lit:"x"] Op:, S/[lit:"y"] Op:]`},
		{"slashy after keyword", `return /x/`, `Ident:return S/[lit:"x"]`},
		{"slashy after operator", `a =~ /x/`, `Ident:a Op:=~ S/[lit:"x"]`},
		{"slashy at line start", "a\n/x/", `Ident:a NL S/[lit:"x"]`},
		{"division assign", `a /= 2`, `Ident:a Op:/= Number:2`},
		{"comment not slashy", `x = // c`, `Ident:x Op:= Comment:// c`},
		{"line comment", "a // b 'c\nd", `Ident:a Comment:// b 'c NL Ident:d`},
		{"block comment", "a /* b\n\"c */ d", `Ident:a Comment:/* b` + "\n" + `"c */ Ident:d`},
		{"comment in string", `'// no' "/* no */"`, `S'[lit:"// no"] S"[lit:"/* no */"]`},
		{"shebang", "#!/usr/bin/env groovy\nx", `Comment:#!/usr/bin/env groovy NL Ident:x`},
		{"hash elsewhere", `a # b`, `Ident:a Illegal:# Ident:b`},
		{"numbers", `1 1.5e3 0xFF 10L 1_000 2.0d 3G 1e-2`, `Number:1 Number:1.5e3 Number:0xFF Number:10L Number:1_000 Number:2.0d Number:3G Number:1e-2`},
		{"range", `1..3 1..<3`, `Number:1 Op:.. Number:3 Number:1 Op:..< Number:3`},
		{"number then method", `1.abs()`, `Number:1 Op:. Ident:abs Op:( Op:)`},
		{"operators", `a?.b*.c ?: d -> e ==~ f <=> g >>>= h .& i :: j`, `Ident:a Op:?. Ident:b Op:*. Ident:c Op:?: Ident:d Op:-> Ident:e Op:==~ Ident:f Op:<=> Ident:g Op:>>>= Ident:h Op:.& Ident:i Op::: Ident:j`},
		{"dollar ident", `$class: 'GitSCM'`, `Ident:$class Op:: S'[lit:"GitSCM"]`},
		{"unicode ident", `café = 1`, `Ident:café Op:= Number:1`},
		{"newlines coalesce", "a\n\n\n  b", `Ident:a NL Ident:b`},
		{"crlf", "a\r\nb", `Ident:a NL Ident:b`},
		{"code line continuation", "a \\\n+ b", `Ident:a Op:+ Ident:b`},
		{"invalid utf8", "a \xff b", "Ident:a Illegal:\xff Ident:b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Lex([]byte(tt.src))
			if err != nil {
				t.Fatalf("Lex(%q): %v", tt.src, err)
			}
			if s := toks(got); s != tt.want {
				t.Errorf("Lex(%q)\n got  %s\n want %s", tt.src, s, tt.want)
			}
			if got[len(got)-1].Kind != EOF {
				t.Errorf("last token %v, want EOF", got[len(got)-1].Kind)
			}
		})
	}
}

func TestLexOffsets(t *testing.T) {
	src := "x = 'ab' + \"c${d}\""
	got, err := Lex([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range got {
		if tk.Kind != EOF && src[tk.Off:tk.End] != tk.Text {
			t.Errorf("token %q has span %d..%d = %q", tk.Text, tk.Off, tk.End, src[tk.Off:tk.End])
		}
	}
	s := got[4]
	if s.Kind != String || s.Off != 11 || s.End != 18 {
		t.Fatalf("string token %+v", s)
	}
	want := []struct {
		kind     PartKind
		off, end int
	}{{LitPart, 12, 13}, {ExprPart, 15, 16}}
	for i, w := range want {
		p := s.Parts[i]
		if p.Kind != w.kind || p.Off != w.off || p.End != w.end {
			t.Errorf("part %d = %s %d..%d, want %s %d..%d", i, p.Kind, p.Off, p.End, w.kind, w.off, w.end)
		}
	}
	if toks(s.Parts[1].Toks) != "Ident:d" || s.Parts[1].Toks[0].Off != 15 {
		t.Errorf("expression tokens %s at %d", toks(s.Parts[1].Toks), s.Parts[1].Toks[0].Off)
	}
}

// TestSourceOffset checks that an index into decoded string text maps back
// to the right line and column, also after escapes and multi-byte
// characters.
func TestSourceOffset(t *testing.T) {
	tests := []struct {
		name string
		src  string // one string literal, possibly after code
		word string // found in the first literal part
		want string // line:col of the word
	}{
		{"plain", `sh 'make; curl -k x'`, "curl", "1:11"},
		{"after newline escape", `sh 'a\nb curl -k'`, "curl", "1:10"},
		{"after unicode escape", `sh 'caf\u00e9 curl'`, "curl", "1:15"},
		{"after multibyte", `sh 'café ☃ curl'`, "curl", "1:12"},
		{"after escaped quote", `sh 'it\'s curl'`, "curl", "1:11"},
		{"after line continuation", "sh '''a \\\n   curl -k'''", "curl", "2:4"},
		{"triple on later line", "sh '''\n  set -e\n  echo \\u00e9 \\t\n  curl -k https://x\n'''", "curl", "4:3"},
		{"inside the escape itself", `sh 'x\u00e9'`, "é", "1:6"},
		{"escape decoded to tab", `sh 'a\tb'`, "\t", "1:6"},
		{"octal", `sh '\101BC'`, "B", "1:9"},
		{"slashy escape", `x = /a\/b/`, "b", "1:9"},
		{"dollar slashy escape", `x = $/$$ curl/$`, "curl", "1:10"},
		{"crlf kept", "sh '''\r\ncurl'''", "curl", "2:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := source.NewFile("J", []byte(tt.src))
			ts, err := Lex(f.Data)
			if err != nil {
				t.Fatal(err)
			}
			var str *Token
			for i := range ts {
				if ts[i].Kind == String {
					str = &ts[i]
					break
				}
			}
			if str == nil {
				t.Fatal("no string token")
			}
			p := &str.Parts[0]
			i := strings.Index(p.Text, tt.word)
			if i < 0 {
				t.Fatalf("%q not in %q", tt.word, p.Text)
			}
			got := f.PosAt(p.SourceOffset(i))
			if s := fmt.Sprintf("%d:%d", got.Line, got.Col); s != tt.want {
				t.Errorf("%q at %s, want %s", tt.word, s, tt.want)
			}
			// the Decoded view of the whole token agrees
			d := str.Decoded()
			j := strings.Index(d.S, tt.word)
			if d.Offset(j) != p.SourceOffset(i) {
				t.Errorf("Decoded.Offset(%d) = %d, SourceOffset(%d) = %d", j, d.Offset(j), i, p.SourceOffset(i))
			}
		})
	}
}

func TestSourceOffsetBounds(t *testing.T) {
	ts, _ := Lex([]byte(`'a\nb'`))
	p := &ts[0].Parts[0]
	for i, want := range map[int]int{-1: 1, 0: 1, 1: 2, 2: 4, 3: 5, 99: 5} {
		if got := p.SourceOffset(i); got != want {
			t.Errorf("SourceOffset(%d) = %d, want %d", i, got, want)
		}
	}
	d := ts[0].Decoded()
	if d.Offset(len(d.S)) != 5 || d.Offset(-3) != 1 {
		t.Errorf("Decoded bounds: %d %d", d.Offset(len(d.S)), d.Offset(-3))
	}
}

func TestDecodedInterpolation(t *testing.T) {
	src := `"a ${b} $c.d e"`
	ts, _ := Lex([]byte(src))
	d := ts[0].Decoded()
	if d.S != "a ${b} $c.d e" {
		t.Fatalf("Decoded %q", d.S)
	}
	for _, c := range []struct {
		sub  string
		want int
	}{{"${b}", 3}, {"b}", 5}, {"}", 6}, {"$c", 8}, {"c.d", 9}, {" e", 12}, {"e", 13}} {
		i := strings.Index(d.S, c.sub)
		if got := d.Offset(i); got != c.want {
			t.Errorf("Offset of %q = %d, want %d", c.sub, got, c.want)
		}
	}
}

func TestRefs(t *testing.T) {
	ts, _ := Lex([]byte(`"${TOKEN} ${env.X} ${a.b().c} ${"n ${y}"} $Z.w ${this.q}"`))
	var got []string
	for _, p := range ts[0].Parts {
		for _, r := range p.Refs() {
			got = append(got, fmt.Sprintf("%s@%d", r.Name, r.Off))
		}
	}
	want := "TOKEN@3 env.X@12 a.b@21 y@37 Z.w@43 this.q@49"
	if s := strings.Join(got, " "); s != want {
		t.Errorf("refs %s\n want %s", s, want)
	}
}

func TestLexErrors(t *testing.T) {
	tests := []struct {
		name, src string
		off       int
		msg       string
	}{
		{"single", `x = 'abc`, 4, "unterminated '…' string"},
		{"single at newline", "x = 'abc\ny = 1", 4, "unterminated '…' string"},
		{"double at newline", "sh \"abc\n\"", 3, `unterminated "…" string`},
		{"triple single", "sh '''\ncurl -k\n", 3, "unterminated '''…''' string"},
		{"triple double", "a\nsh \"\"\"\nx ${y}\n", 5, `unterminated """…""" string`},
		{"slashy", `x = /abc`, 4, "unterminated /…/ slashy string"},
		{"dollar slashy", `x = $/abc/`, 4, "unterminated $/…/$ dollar-slashy string"},
		{"block comment", "a\n/* b", 2, "unterminated /* comment"},
		{"unclosed interpolation", `"a ${b`, 0, `unterminated "…" string (unclosed ${ at offset 3)`},
		{"inner string", `"a ${ 'b }"`, 6, "unterminated '…' string"},
		{"escape at end", `'a\`, 0, "unterminated '…' string"},
		{"nesting", strings.Repeat(`"${`, 100), 64 * 3, "strings nested too deeply inside ${…}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Lex([]byte(tt.src))
			if err == nil {
				t.Fatalf("Lex(%q): no error", tt.src)
			}
			if err.Off != tt.off || err.Msg != tt.msg {
				t.Errorf("Lex(%q) = %d %q, want %d %q", tt.src, err.Off, err.Msg, tt.off, tt.msg)
			}
		})
	}
}

func TestLexErrorPosition(t *testing.T) {
	src := "pipeline {\n  steps {\n    sh '''\n      curl -k https://x\n"
	_, ferr := Parse(source.NewFile("Jenkinsfile", []byte(src)))
	if ferr == nil {
		t.Fatal("no error")
	}
	if got := ferr.Error(); got != "Jenkinsfile:3:8: invalid Groovy: unterminated '''…''' string" {
		t.Errorf("error %q", got)
	}
}
