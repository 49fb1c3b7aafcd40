//go:build unix

package source

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A directory named through a symlink is walked (it used to yield nothing:
// "no problems found"); symlinks inside a walk are not followed, so a
// symlink loop ends and a link out of the tree is not read; a symlinked
// file named is read.
func TestWalkSymlinks(t *testing.T) {
	dir := mkTree(t, map[string]string{
		"real/jenkins.yaml":       "jenkins: {}\n",
		"real/Jenkinsfile":        "node {}\n",
		"real/loop":               "->..",
		"real/self":               "->.",
		"real/outside.yaml":       "->../secret/casc.yaml",
		"real/linked.Jenkinsfile": "->Jenkinsfile",
		"secret/casc.yaml":        "jenkins: {}\n",
		"link":                    "->real",
	})
	link := filepath.Join(dir, "link")
	cands, errs := WalkWith([]string{link}, WalkOptions{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if got, want := listing(dir, cands), "link/Jenkinsfile:jenkinsfile link/jenkins.yaml:unknown"; got != want {
		t.Errorf("symlinked directory:\n got %s\nwant %s", got, want)
	}
	cands, errs = WalkWith([]string{filepath.Join(link, "outside.yaml")}, WalkOptions{})
	if len(errs) > 0 || listing(dir, cands) != "link/outside.yaml:unknown!" {
		t.Errorf("symlinked file named: %s %v", listing(dir, cands), errs)
	}
	f, ferr := Read(cands[0], 1<<20)
	if ferr != nil || string(f.Data) != "jenkins: {}\n" {
		t.Errorf("read through the symlink: %v", ferr)
	}
	cands, errs = WalkWith([]string{filepath.Join(dir, "missing-link")}, WalkOptions{})
	if len(cands) != 0 || len(errs) != 1 {
		t.Errorf("missing: %v %v", cands, errs)
	}
}

// Named paths that are not regular files: a pipe is read (process
// substitution), the standard input and /dev/fd/N whatever they are, a
// socket or a device is an error that names it; inside a walk none of
// them is read.
func TestWalkSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "jenkins.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("mkfifo:", err)
	}
	sock := filepath.Join(dir, "casc.yaml")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Skip("unix socket:", err)
	}
	defer l.Close()
	for _, tt := range []struct {
		path, want, err string
	}{
		{fifo, "jenkins.yaml:unknown!", ""},
		{sock, "", "casc.yaml: not a regular file (socket)"},
		{"/dev/null", "", "/dev/null: not a regular file (character device)"},
		{"/dev/zero", "", "/dev/zero: not a regular file (character device)"},
		{"/dev/stdin", "/dev/stdin:unknown!", ""},
		{"/dev/fd/0", "/dev/fd/0:unknown!", ""},
	} {
		fi, err := os.Stat(tt.path)
		if err != nil {
			continue // no /dev/fd here
		}
		if strings.HasSuffix(tt.err, "(character device)") && fi.Mode()&os.ModeCharDevice == 0 {
			continue // a sandbox whose /dev/null is a plain file
		}
		cands, errs := WalkWith([]string{tt.path}, WalkOptions{})
		var msgs []string
		for _, e := range errs {
			msgs = append(msgs, strings.TrimPrefix(e.Pos.Path, filepath.ToSlash(dir)+"/")+": "+e.Message)
		}
		if got := listing(dir, cands); got != tt.want || strings.Join(msgs, "; ") != tt.err {
			t.Errorf("%s: got %q %q, want %q %q", tt.path, got, msgs, tt.want, tt.err)
		}
	}
	cands, errs := WalkWith([]string{dir}, WalkOptions{AllFiles: true})
	if len(cands) != 0 || len(errs) != 0 {
		t.Errorf("walk read special files: %v %v", cands, errs)
	}
	// Read refuses a device even when asked directly (a file replaced
	// after the walk).
	if fi, err := os.Stat("/dev/zero"); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return
	}
	if _, ferr := Read(Candidate{Path: "x", OSPath: "/dev/zero"}, 1<<20); ferr == nil || ferr.Message != "not a regular file (character device)" {
		t.Errorf("Read(/dev/zero): %v", ferr)
	}
}

// Names are shown as they are, control characters included; a name that
// is not valid UTF-8 is shown with \xNN escapes and still opened by its
// real name; a name that then reads like another file's is an error.
func TestWalkNonUTF8Names(t *testing.T) {
	if err := os.WriteFile(filepath.Join(t.TempDir(), "\xff"), nil, 0o644); err != nil {
		t.Skip("this file system takes only UTF-8 names:", err)
	}
	dir := mkTree(t, map[string]string{
		"caf\xe9.yaml":          "a: 1\n",
		"caf\\xe9.yaml":         "b: 2\n",
		"tab\there.yaml":        "c: 3\n",
		"new\nline.yaml":        "d: 4\n",
		"ok-\u00e9t\u00e9.yaml": "e: 5\n",
	})
	for i := 0; i < 2; i++ { // the same every time
		cands, errs := WalkWith([]string{dir}, WalkOptions{})
		if got, want := listing(dir, cands), "caf\\xe9.yaml:unknown new\nline.yaml:unknown ok-\u00e9t\u00e9.yaml:unknown tab\there.yaml:unknown"; got != want {
			t.Errorf("walk:\n got %q\nwant %q", got, want)
		}
		if len(errs) != 1 || !strings.HasSuffix(errs[0].Pos.Path, "/caf\\xe9.yaml") || !strings.Contains(errs[0].Message, "like another file's") {
			t.Errorf("errs = %v", errs)
		}
		for _, c := range cands {
			if _, ferr := Read(c, 1<<20); ferr != nil {
				t.Errorf("read %q: %v", c.Path, ferr)
			}
		}
	}
	if got := DisplayPath("a/\xff\xfe/\u00e9\x01"); got != "a/\\xff\\xfe/\u00e9\x01" {
		t.Errorf("DisplayPath = %q", got)
	}
}
