package source

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestOffsetPosRoundTrip(t *testing.T) {
	f := NewFile("a", []byte("héllo\r\nwörld\n\nend"))
	for off := 0; off <= len(f.Data); off++ {
		p := f.PosAt(off)
		if back := f.Offset(p.Line, p.Col); back != off && !isContinuation(f.Data, off) {
			t.Errorf("offset %d → %v → %d", off, p, back)
		}
	}
	if got := string(f.Line(1)); got != "héllo" {
		t.Errorf("line 1 = %q", got)
	}
	if p := f.PosAt(9); p.Line != 2 || p.Col != 2 {
		t.Errorf("PosAt(9) = %v", p)
	}
}

func isContinuation(b []byte, off int) bool { return off < len(b) && b[off]&0xC0 == 0x80 }

func TestCheckText(t *testing.T) {
	tests := []struct {
		data      string
		line, col int
		contains  string
	}{
		{"a: 1\nb: \x00\n", 2, 4, "binary"},
		{"a: 1\nb: \xff\xfe\n", 2, 4, "invalid UTF-8"},
		{"a: é\n", 0, 0, ""},
	}
	for _, tt := range tests {
		err := CheckText(NewFile("f", []byte(tt.data)))
		if tt.contains == "" {
			if err != nil {
				t.Errorf("%q: unexpected %v", tt.data, err)
			}
			continue
		}
		if err == nil || err.Pos.Line != tt.line || err.Pos.Col != tt.col || !strings.Contains(err.Message, tt.contains) {
			t.Errorf("%q: got %v", tt.data, err)
		}
	}
}

func TestWalkAndRead(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "node_modules"), 0o755))
	must(os.MkdirAll(filepath.Join(dir, "vars"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "node_modules", "x.yaml"), []byte("a: 1"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "jenkins.yaml"), []byte("jenkins: {}"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "Jenkinsfile"), []byte("pipeline {}"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "vars", "deploy.groovy"), []byte("def call() {}"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "README.md"), []byte("# x"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "big.yaml"), []byte(strings.Repeat("a", 100)), 0o644))
	cands, errs := Walk([]string{dir, filepath.Join(dir, "missing")}, false)
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "no such file") {
		t.Errorf("errs = %v", errs)
	}
	var names []string
	for _, c := range cands {
		names = append(names, strings.TrimPrefix(c.Path, filepath.ToSlash(dir)+"/")+":"+c.Hint.String())
	}
	want := "Jenkinsfile:jenkinsfile big.yaml:unknown jenkins.yaml:unknown vars/deploy.groovy:jenkinsfile"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("walk = %s\nwant   %s", got, want)
	}
	for _, c := range cands {
		if strings.HasSuffix(c.Path, "big.yaml") {
			if _, ferr := Read(c, 50); ferr == nil || !strings.Contains(ferr.Message, "more than 50 bytes") {
				t.Errorf("size limit: %v", ferr)
			}
		}
	}
}

func TestKindByName(t *testing.T) {
	for name, want := range map[string]Kind{
		"Jenkinsfile": Jenkinsfile, "ci/Jenkinsfile.release": Jenkinsfile, "build.jenkinsfile": Jenkinsfile,
		"x/Deploy.Jenkinsfile": Jenkinsfile, "lib/vars/deploy.groovy": Jenkinsfile, "src/Foo.groovy": Unknown,
		"openid-configuration": Discovery, ".well-known/openid-configuration.json": Discovery,
		"okta.openid-configuration.json": Discovery, "jenkins.yaml": Unknown,
	} {
		if got := KindByName(name); got != want {
			t.Errorf("KindByName(%q) = %v, want %v", name, got, want)
		}
	}
}

// The line index is exact: every line start ("\n", "\r\n" and a lone "\r"
// end lines, as in YAML and Groovy), and nothing past the data.
func TestNewFileLineIndex(t *testing.T) {
	for _, tt := range []struct {
		data  string
		lines int
	}{{"", 1}, {"a", 1}, {"a\n", 2}, {"a\nb\n\nc", 4}, {"\n\n\n", 4},
		{"a\r\nb\r\n", 3}, {"a\rb\rc", 3}, {"a\r\r\nb\r", 4}, {"é\rü\n\r", 4}} {
		f := NewFile("x", []byte(tt.data))
		if f.LineCount() != tt.lines || cap(f.lines) != tt.lines {
			t.Errorf("%q: %d lines (cap %d), want %d", tt.data, f.LineCount(), cap(f.lines), tt.lines)
		}
		for off := 0; off <= len(tt.data); off++ {
			if off < len(tt.data) && tt.data[off]&0xC0 == 0x80 {
				continue // inside a UTF-8 sequence
			}
			p := f.PosAt(off)
			if back := f.Offset(p.Line, p.Col); back != off {
				t.Errorf("%q: offset %d -> %d:%d -> %d", tt.data, off, p.Line, p.Col, back)
			}
		}
	}
}

// Lines come without their line ending, whichever it is.
func TestLineEndings(t *testing.T) {
	f := NewFile("x", []byte("a: 1\rb: 2\r\nc: 3\nd: 4"))
	for n, want := range []string{"a: 1", "b: 2", "c: 3", "d: 4"} {
		if got := string(f.Line(n + 1)); got != want {
			t.Errorf("line %d: %q, want %q", n+1, got, want)
		}
	}
	if p := f.PosAt(strings.Index(string(f.Data), "b")); p.Line != 2 || p.Col != 1 {
		t.Errorf("b at %v", p)
	}
}

// Positions on long lines (computed with the rune index) are the ones
// counting from the start of the line gives.
func TestLongLinePositions(t *testing.T) {
	line := strings.Repeat("aé€😀b", 120) // 600 runes, multi-byte
	data := "short\n" + line + "\r\n" + line + "\rend " + line
	checkPositions(t, data)
	// columns past the end clamp to the line's end, at the "\n" as for short lines
	f := NewFile("x", []byte(data))
	if got, want := f.Offset(2, 10000), len("short\n")+len(line)+1; got != want {
		t.Errorf("past the end of a CRLF line: %d, want %d", got, want)
	}
}

// FuzzPositions: on any text, PosAt agrees with counting runes from the
// start of the line (the rune index for long lines included) and Offset
// inverts it.
func FuzzPositions(f *testing.F) {
	f.Add("a\r\nb\rc\n" + strings.Repeat("é€x", 200) + "\n" + strings.Repeat("y", 300))
	f.Add("\xff\xfe" + strings.Repeat("z", 400))
	f.Fuzz(checkPositions)
}

// checkPositions compares PosAt and Offset on data with counting runes from
// the start of each line ("\n", "\r\n" and a lone "\r" end lines).
func checkPositions(t *testing.T, data string) {
	file := NewFile("x", []byte(data))
	starts := []int{0}
	for i := 0; i < len(data); i++ {
		if data[i] == '\n' || data[i] == '\r' && (i+1 == len(data) || data[i+1] != '\n') {
			starts = append(starts, i+1)
		}
	}
	valid := utf8.ValidString(data)
	for off := 0; off <= len(data); off++ {
		if valid && off < len(data) && !utf8.RuneStart(data[off]) {
			continue // positions are taken at rune starts
		}
		ln := sort.Search(len(starts), func(i int) bool { return starts[i] > off }) - 1
		want := file.Pos(ln+1, utf8.RuneCountInString(data[starts[ln]:off])+1)
		if got := file.PosAt(off); got != want {
			t.Fatalf("PosAt(%d) = %v, want %v", off, got, want)
		}
		if valid {
			if back := file.Offset(want.Line, want.Col); back != off {
				t.Fatalf("Offset(%v) = %d, want %d", want, back, off)
			}
		}
	}
}
