package inventory

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry"
)

// Git tells the last commit that changed a line of a file of a git work
// tree. It runs git only in ways that run nothing the repository configures:
//
//   - core.fsmonitor is switched off and no optional locks are taken (an
//     index refresh would run the repository's fsmonitor command);
//   - blame reads the committed file (HEAD), never the work tree, so no
//     clean or process filter of .gitattributes runs, and --no-textconv
//     keeps textconv drivers off;
//   - protocol.allow=never and GIT_NO_LAZY_FETCH stop a partial clone from
//     fetching (which would run core.sshCommand);
//   - no pager, no terminal prompt, and a timeout on every command.
//
// A line whose text differs from the committed file is Uncommitted. It is
// safe for concurrent use; each file is read from HEAD once and each line
// blamed once.
type Git struct {
	// Timeout bounds each git command (default 10 s).
	Timeout time.Duration

	mu    sync.Mutex
	heads map[string]*headFile
	lines map[lineKey]lineResult
}

type lineKey struct {
	path string
	line int
}

type lineResult struct {
	c  expiry.Change
	ok bool
}

// headFile is a file's committed text, or why there is none.
type headFile struct {
	once  sync.Once
	lines []string // the committed text's lines; nil when unknown
	same  bool     // the work tree's file is the committed one
	work  []string // the work tree's lines when they differ
}

// NewGit returns a Git that finds each file's repository from the file's
// directory.
func NewGit() *Git {
	return &Git{heads: map[string]*headFile{}, lines: map[lineKey]lineResult{}}
}

// LineChanged is the last commit that changed line (1-based) of the file at
// path (as given on the command line, relative to the working directory).
// ok is false outside a work tree, for files git does not track and when
// git fails.
func (g *Git) LineChanged(path string, line int) (expiry.Change, bool) {
	if path == "" || path == "-" || line < 1 {
		return expiry.Change{}, false
	}
	k := lineKey{path, line}
	g.mu.Lock()
	if r, done := g.lines[k]; done {
		g.mu.Unlock()
		return r.c, r.ok
	}
	h := g.heads[path]
	if h == nil {
		h = &headFile{}
		g.heads[path] = h
	}
	g.mu.Unlock()
	h.once.Do(func() { g.readHead(path, h) })
	c, ok := g.blame(path, h, line)
	g.mu.Lock()
	g.lines[k] = lineResult{c, ok}
	g.mu.Unlock()
	return c, ok
}

func (g *Git) readHead(path string, h *headFile) {
	work, err := os.ReadFile(path)
	if err != nil {
		return
	}
	dir, base := filepath.Split(path)
	out, err := g.run(dir, "cat-file", "blob", "HEAD:./"+base)
	if err != nil {
		return
	}
	h.same = bytes.Equal(out, work)
	h.lines = splitLines(out)
	if !h.same {
		// remember the work tree's lines to find each one in HEAD
		h.work = splitLines(work)
	}
}

func splitLines(b []byte) []string {
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	s = strings.TrimSuffix(s, "\n")
	return strings.Split(s, "\n")
}

// blame finds the committed line that line of the work tree is and blames it.
func (g *Git) blame(path string, h *headFile, line int) (expiry.Change, bool) {
	if h.lines == nil {
		return expiry.Change{}, false
	}
	at := line
	if !h.same {
		at = 0
		if line > len(h.work) {
			return expiry.Change{Uncommitted: true}, true
		}
		text := h.work[line-1]
		for i, l := range h.lines {
			if l == text {
				if at != 0 {
					at = -1 // twice: which one is not known
					break
				}
				at = i + 1
			}
		}
		if at <= 0 {
			return expiry.Change{Uncommitted: true}, true
		}
	}
	dir, base := filepath.Split(path)
	n := strconv.Itoa(at)
	out, err := g.run(dir, "blame", "--porcelain", "--no-textconv", "-L", n+","+n, "HEAD", "--", base)
	if err != nil {
		return expiry.Change{}, false
	}
	return parsePorcelain(out)
}

// parsePorcelain reads the commit and committer time of git blame
// --porcelain's first entry.
func parsePorcelain(out []byte) (expiry.Change, bool) {
	sc := bufio.NewScanner(bytes.NewReader(out))
	var c expiry.Change
	first := true
	for sc.Scan() {
		l := sc.Text()
		if first {
			f := strings.Fields(l)
			if len(f) < 3 || len(f[0]) < 40 {
				return expiry.Change{}, false
			}
			c.Commit = f[0]
			first = false
			continue
		}
		if v, ok := strings.CutPrefix(l, "committer-time "); ok {
			sec, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				return expiry.Change{}, false
			}
			c.Date = time.Unix(sec, 0).UTC()
		}
		if strings.HasPrefix(l, "\t") {
			break // the line's text: never read further
		}
	}
	if c.Commit == "" || c.Date.IsZero() || strings.Trim(c.Commit, "0") == "" {
		return expiry.Change{}, false
	}
	return c, true
}

// gitEnv is the environment git runs in: the user's, without what would
// make it prompt, page or fetch.
func gitEnv() []string {
	var env []string
	for _, e := range os.Environ() {
		if strings.HasPrefix(e, "GIT_DIR=") || strings.HasPrefix(e, "GIT_WORK_TREE=") || strings.HasPrefix(e, "GIT_INDEX_FILE=") {
			continue
		}
		env = append(env, e)
	}
	return append(env, "GIT_TERMINAL_PROMPT=0", "GIT_PAGER=cat", "PAGER=cat", "GIT_NO_LAZY_FETCH=1", "GIT_OPTIONAL_LOCKS=0", "LC_ALL=C")
}

// run runs a git command in dir with the safety switches and a timeout.
func (g *Git) run(dir string, args ...string) ([]byte, error) {
	timeout := g.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if dir == "" {
		dir = "."
	}
	full := append([]string{"-c", "core.fsmonitor=false", "-c", "protocol.allow=never", "-c", "core.quotePath=false", "--no-optional-locks", "--no-pager"}, args...)
	cmd := exec.CommandContext(ctx, "git", full...)
	cmd.Dir = dir
	cmd.Env = gitEnv()
	cmd.Stdin = nil
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
