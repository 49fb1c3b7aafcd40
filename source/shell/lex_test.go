package shell

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jenkinsfile"
)

// dump renders a script's commands: name, words with their spans, refs,
// redirections and pipes, one command a line.
func dump(sc *Script) string {
	var b strings.Builder
	for _, c := range sc.Cmds {
		fmt.Fprintf(&b, "@%d", c.Start)
		for _, w := range c.Assigns {
			fmt.Fprintf(&b, " A%q[%d,%d)", w.Text, w.Start, w.End)
		}
		for _, w := range c.Words {
			fmt.Fprintf(&b, " %q[%d,%d)", w.Text, w.Start, w.End)
			for _, r := range w.Refs {
				fmt.Fprintf(&b, "{%s[%d,%d)", r.Name, r.Start, r.End)
				if r.Groovy {
					b.WriteString(" groovy")
				}
				if r.Sliced {
					b.WriteString(" sliced")
				}
				b.WriteString("}")
			}
		}
		for _, r := range c.Redirs {
			fmt.Fprintf(&b, " %s%s%q[%d,%d)", r.FD, r.Op, r.Target.Text, r.Target.Start, r.Target.End)
		}
		if c.Piped {
			b.WriteString(" piped")
		}
		if c.PipeTo != nil {
			fmt.Fprintf(&b, " |@%d", c.PipeTo.Start)
		}
		if c.Subst {
			b.WriteString(" subst")
		}
		if c.Heredoc {
			b.WriteString(" heredoc")
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		script string
		d      Dialect
		want   string
	}{
		{`curl -sk "https://x/$P" 2>&1 | tee log`, Sh, `@0 "curl"[0,4) "-sk"[5,8) "https://x/$P"[9,23){P[20,22)} 2>&"1"[27,28) |@31
@31 "tee"[31,34) "log"[35,38) piped
`},
		{"X=1 Y=\"a b\" cmd 'q''r' \\$N # c $Z\nnext", Sh, `@0 A"X=1"[0,3) A"Y=a b"[4,11) "cmd"[12,15) "qr"[16,22) "$N"[23,26)
@34 "next"[34,38)
`},
		{"echo \"$(date +%s)\" `id -u` ${TOKEN:0:4} ${T:-d} ${#L}", Sh, `@0 "echo"[0,4) "$(date +%s)"[5,18) "` + "`id -u`" + `"[19,26) "${TOKEN:0:4}"[27,39){TOKEN[27,39) sliced} "${T:-d}"[40,47){T[40,47)} "${#L}"[48,53)
@8 "date"[8,12) "+%s"[13,16) subst
@20 "id"[20,22) "-u"[23,25) subst
`},
		{"cat <<'EOF' > run.sh\n  curl -k x\n  EOF\nls", Sh, `@0 "cat"[0,3) <<"EOF"[6,11) >"run.sh"[14,20) heredoc
@23 "curl"[23,27) "-k"[28,30) "x"[31,32)
@39 "ls"[39,41)
`},
		{"if [ -n \"$A\" ]; then exit 1; fi", Sh, `@0 "["[3,4) "-n"[5,7) "$A"[8,12){A[9,11)} "]"[13,14)
@16 "exit"[21,25) "1"[26,27)
`},
		{"REM curl -k\r\n:: x\r\n@set \"A=%B%\" & echo %%C ^& d", Bat, `@20 "set"[20,23) "A=%B%"[24,31){B[27,30)}
@34 "echo"[34,38) "%C"[39,42) "&"[43,45) "d"[46,47)
`},
		{"<# a\n #> $env:X = \"v\"; Write-Host ${env:Y} `$Z 'it''s'", PowerShell, `@9 "$env:X"[9,15){X[9,15)} "="[16,17) "v"[18,21)
@23 "Write-Host"[23,33) "${env:Y}"[34,42){Y[34,42)} "$Z"[43,46) "it's"[47,54)
`},
	} {
		if got := dump(Parse(tt.script, tt.d, nil)); got != tt.want {
			t.Errorf("%q (%s):\n got\n%s want\n%s", tt.script, tt.d, got, tt.want)
		}
	}
}

func TestTokens(t *testing.T) {
	for _, tt := range []struct {
		script string
		d      Dialect
		want   string
	}{
		{"a  b|c 2>&1 # x\n", Sh, `word"a" space"  " word"b" operator"|" word"c" space" " redir"2>&" word"1" space" " comment"# x" newline"\n"`},
		{"cat <<E\nbody\nE\nx \\\n y", Sh, `word"cat" space" " redir"<<" word"E" newline"\n" heredoc"body\nE\n" word"x" space" \\\n " word"y"`},
		{"@echo off & rem x", Bat, `space"@" word"echo" space" " word"off" space" " operator"&" space" " comment"rem x"`},
		{"<# c #>{ iwr $u }", PowerShell, `comment"<# c #>" operator"{" space" " word"iwr" space" " word"$u" space" " operator"}"`},
	} {
		sc := Parse(tt.script, tt.d, nil)
		var got []string
		for _, tk := range sc.Tokens() {
			got = append(got, fmt.Sprintf("%s%q", tk.Kind, tt.script[tk.Start:tk.End]))
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("%q:\n got  %s\n want %s", tt.script, g, tt.want)
		}
	}
	sc := Parse("a # one\nb <# not a comment in sh", Sh, nil)
	var cs []string
	for _, c := range sc.Comments() {
		cs = append(cs, sc.Text[c.Start:c.End])
	}
	if strings.Join(cs, "|") != "# one|# not a comment in sh" {
		t.Errorf("comments: %q", cs)
	}
}

func TestOutputKeptInSubstitution(t *testing.T) {
	sc := Parse("X=$(echo \"$T\" | base64); Y=`printf %s \"$T\"`; echo \"$(date)\"", Sh, nil)
	var got []string
	for _, c := range sc.Cmds {
		name, _, _ := c.Name(sc.Dialect)
		got = append(got, fmt.Sprintf("%s:%v", name, c.OutputKept(sc.Dialect)))
	}
	if want := ":false echo:true base64:true :false printf:true echo:false date:true"; strings.Join(got, " ") != want {
		t.Errorf("got %s, want %s", strings.Join(got, " "), want)
	}
}

func TestRefsAndPipes(t *testing.T) {
	sc := Parse(`echo "$PASS" | docker login -u "$USER" --password-stdin; echo '$NOT' ${TOKEN:0:4} ${#LEN}`, Sh, nil)
	var got []string
	for _, c := range sc.Cmds {
		name, _, _ := c.Name(sc.Dialect)
		var refs []string
		for _, w := range c.Words {
			for _, r := range w.Refs {
				refs = append(refs, fmt.Sprintf("%s@%d sliced=%v", r.Name, r.Start, r.Sliced))
			}
		}
		got = append(got, fmt.Sprintf("%s piped=%v kept=%v refs=%v", name, c.Piped, c.OutputKept(sc.Dialect), refs))
	}
	want := []string{
		"echo piped=false kept=true refs=[PASS@6 sliced=false]",
		"docker piped=true kept=false refs=[USER@32 sliced=false]",
		"echo piped=false kept=false refs=[TOKEN@69 sliced=true]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestInner(t *testing.T) {
	sc := Parse(`docker run img sh -c 'curl -k "$U"' && bash -ec "set -x"`, Sh, nil)
	var got []string
	for _, c := range sc.Cmds {
		in := sc.Inner(c)
		if len(in) > 0 && &sc.Inner(c)[0] != &in[0] {
			t.Error("Inner lexed twice")
		}
		for _, s := range in {
			got = append(got, fmt.Sprintf("depth %d: %s", s.Depth, strings.TrimSpace(dump(s))))
		}
	}
	want := `depth 1: @22 "curl"[22,26) "-k"[27,29) "$U"[30,34){U[31,33)}
depth 1: @49 "set"[49,52) "-x"[53,55)`
	if g := strings.Join(got, "\n"); g != want {
		t.Errorf("got\n%s\nwant\n%s", g, want)
	}
	// four levels at most
	deep := Parse(`sh -c 'sh -c "sh -c \"sh -c x\""'`, Sh, nil)
	n := 0
	for s := deep; ; n++ {
		in := s.Inner(s.Cmds[0])
		if len(in) == 0 || len(in[0].Cmds) == 0 {
			break
		}
		s = in[0]
	}
	if n != 1 { // the inner quotes are escaped: the word is not a plain quoted run
		t.Errorf("nested %d levels", n)
	}
}

// TestStepPositions: indexes of a step's script map to the exact
// Jenkinsfile bytes, after Groovy escapes (\t, \$, \u00e9, \\), across the
// pieces of a concatenation and in a GString's interpolation.
func TestStepPositions(t *testing.T) {
	src := "node {\n  sh \"printf '\\t%s' \\$TOKEN \\u00e9 ${env.X} \" + 'curl -k'\n}\n"
	pf, err := jenkinsfile.Parse(source.NewFile("Jenkinsfile", []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	var c Cache
	sc := c.Step(pf, pf.Steps[0])
	if c.Step(pf, pf.Steps[0]) != sc || c.Parsed() != 1 {
		t.Fatalf("the script was lexed %d times", c.Parsed())
	}
	var got []string
	for _, cmd := range sc.Cmds {
		for _, w := range cmd.Words {
			pos, end := sc.Span(w.Start, w.End)
			got = append(got, fmt.Sprintf("%q %d:%d-%d:%d %q", w.Text, pos.Line, pos.Col, end.Line, end.Col, src[sc.Offset(w.Start):sc.EndOffset(w.End)]))
			for _, r := range w.Refs {
				got = append(got, fmt.Sprintf("  ref %s groovy=%v %q", r.Name, r.Groovy, src[sc.Offset(r.Start):sc.EndOffset(r.End)]))
			}
		}
	}
	want := []string{
		`"printf" 2:7-2:13 "printf"`,
		`"\t%s" 2:14-2:20 "'\\t%s'"`,
		`"$TOKEN" 2:21-2:28 "\\$TOKEN"`,
		`  ref TOKEN groovy=false "\\$TOKEN"`,
		`"é" 2:29-2:35 "\\u00e9"`,
		`"${env.X}" 2:36-2:44 "${env.X}"`,
		`  ref X groovy=true "${env.X}"`,
		`"curl" 2:50-2:54 "curl"`,
		`"-k" 2:55-2:57 "-k"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if ParseStep(pf, &jenkinsfile.Step{Name: "sh"}) != nil || c.Step(pf, &jenkinsfile.Step{}) != nil {
		t.Error("a step without a script has a model")
	}
}
