package source

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// This file reads git's ignore files the way git does, so that a walk skips
// what `git status` would not show: .gitignore at every level of the work
// tree, .git/info/exclude, and the user's global excludes file
// (core.excludesFile). git itself is never run: the repository is input,
// and git reads its configuration (core.fsmonitor, hooks) from it.

// maxIgnoreFile bounds the bytes read from one ignore file; git reads them
// whole, but a 100 MB .gitignore is an attack, not a configuration.
const maxIgnoreFile = 1 << 20

// ignorePattern is one line of an ignore file.
type ignorePattern struct {
	pattern  string // without "!", the leading "/" and the trailing "/"
	negate   bool   // "!pattern": re-include
	dirOnly  bool   // "pattern/": directories only
	anchored bool   // has a slash before its end: matched against the path from the file's directory
}

// ignoreList is the patterns of one ignore file, relative to base (the
// directory holding it, as a slash path from the repository root: "" for
// the root).
type ignoreList struct {
	base     string
	patterns []ignorePattern
}

// parseIgnore reads the patterns of an ignore file (gitignore(5)): blank
// lines and "#" comments are skipped, "\#" and "\!" start a pattern with a
// literal "#" or "!", trailing spaces are dropped unless escaped with a
// backslash, a "\r" before the "\n" is dropped and so is a UTF-8 byte
// order mark (as in git).
func parseIgnore(base string, data []byte) *ignoreList {
	l := &ignoreList{base: base}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if p, ok := parseIgnoreLine(string(line)); ok {
			l.patterns = append(l.patterns, p)
		}
	}
	return l
}

func parseIgnoreLine(s string) (ignorePattern, bool) {
	var p ignorePattern
	if s == "" || s[0] == '#' {
		return p, false
	}
	s = trimTrailingSpaces(s)
	if s != "" && s[0] == '!' {
		p.negate = true
		s = s[1:]
	}
	if s == "" {
		return p, false
	}
	if strings.HasSuffix(s, "/") {
		p.dirOnly = true
		s = s[:len(s)-1] // one: "a//" keeps a slash and so matches nothing, as in git
	}
	if s == "" {
		return p, false
	}
	if strings.IndexByte(s, '/') >= 0 {
		p.anchored = true
		s = strings.TrimPrefix(s, "/")
	}
	p.pattern = s
	return p, true
}

// trimTrailingSpaces drops trailing spaces that no backslash escapes (git's
// trim_trailing_spaces; a line ending in a lone backslash is kept whole).
func trimTrailingSpaces(s string) string {
	lastSpace := -1
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ':
			if lastSpace < 0 {
				lastSpace = i
			}
			continue
		case '\\':
			i++
			if i >= len(s) {
				return s
			}
		}
		lastSpace = -1
	}
	if lastSpace >= 0 {
		return s[:lastSpace]
	}
	return s
}

// match reports whether the list decides about rel (a slash path from the
// repository root) and whether it is ignored: the last matching pattern of
// the list wins.
func (l *ignoreList) match(rel string, isDir bool) (decided, ignored bool) {
	if l.base != "" {
		if !strings.HasPrefix(rel, l.base+"/") {
			return false, false
		}
		rel = rel[len(l.base)+1:]
	}
	name := rel
	if i := strings.LastIndexByte(rel, '/'); i >= 0 {
		name = rel[i+1:]
	}
	for i := len(l.patterns) - 1; i >= 0; i-- {
		p := &l.patterns[i]
		if p.dirOnly && !isDir {
			continue
		}
		subject := name
		if p.anchored {
			subject = rel
		}
		if wildmatch(p.pattern, subject) {
			return true, !p.negate
		}
	}
	return false, false
}

// ignorer holds the ignore files that apply in a directory of a walk:
// those of the directories from the repository root down (deepest last),
// then .git/info/exclude and the global excludes file.
type ignorer struct {
	root   string        // the repository's work tree (OS path)
	levels []*ignoreList // .gitignore files, outermost first
	base   []*ignoreList // info/exclude, then the global file
}

// ignored reports whether rel (a slash path from the repository root) is
// ignored: the deepest .gitignore with a matching pattern decides, then
// info/exclude, then the global file.
func (ig *ignorer) ignored(rel string, isDir bool) bool {
	if ig == nil {
		return false
	}
	for i := len(ig.levels) - 1; i >= 0; i-- {
		if ok, ign := ig.levels[i].match(rel, isDir); ok {
			return ign
		}
	}
	for _, l := range ig.base {
		if ok, ign := l.match(rel, isDir); ok {
			return ign
		}
	}
	return false
}

// with returns the ignorer for a directory that holds the given .gitignore
// (nil: none); the receiver is not changed.
func (ig *ignorer) with(l *ignoreList) *ignorer {
	if ig == nil || l == nil || len(l.patterns) == 0 {
		return ig
	}
	n := *ig
	n.levels = append(ig.levels[:len(ig.levels):len(ig.levels)], l)
	return &n
}

// readIgnoreFile reads at most maxIgnoreFile bytes of a regular file (a
// symlinked .gitignore is not followed: git does not follow it either).
func readIgnoreFile(p string, follow bool) []byte {
	var st os.FileInfo
	var err error
	if follow {
		st, err = os.Stat(p)
	} else {
		st, err = os.Lstat(p)
	}
	if err != nil || !st.Mode().IsRegular() {
		return nil
	}
	fh, err := os.Open(p)
	if err != nil {
		return nil
	}
	defer fh.Close()
	data, _ := io.ReadAll(io.LimitReader(fh, maxIgnoreFile))
	return data
}

// findRepo finds the work tree that holds dir (an absolute, symlink-free
// path): the nearest directory at or above it with a .git entry, and the
// git directory that entry names.
func findRepo(dir string) (root, gitDir string, ok bool) {
	for d := dir; ; {
		if g, ok := gitDirOf(d); ok {
			return d, g, true
		}
		up := filepath.Dir(d)
		if up == d {
			return "", "", false
		}
		d = up
	}
}

// gitDirOf tells whether dir is the top of a work tree: it has a .git
// directory, or a .git file ("gitdir: PATH", worktrees and submodules).
// The git directory returned is the common one (a worktree's
// info/exclude is its main repository's).
func gitDirOf(dir string) (string, bool) {
	p := filepath.Join(dir, ".git")
	st, err := os.Lstat(p)
	if err != nil {
		return "", false
	}
	if st.IsDir() {
		return p, true
	}
	if !st.Mode().IsRegular() {
		return "", false
	}
	data := readIgnoreFile(p, false)
	line, _, _ := strings.Cut(string(data), "\n")
	g, ok := strings.CutPrefix(strings.TrimSpace(line), "gitdir:")
	if !ok {
		return "", false
	}
	g = strings.TrimSpace(g)
	if !filepath.IsAbs(g) {
		g = filepath.Join(dir, g)
	}
	if c := strings.TrimSpace(string(readIgnoreFile(filepath.Join(g, "commondir"), false))); c != "" {
		if !filepath.IsAbs(c) {
			c = filepath.Join(g, c)
		}
		g = c
	}
	return g, true
}

// newIgnorer returns the ignorer for a walk that starts at dir (an OS
// path), or nil when dir is in no git work tree: like ripgrep, ignore files
// count only inside a repository. The .gitignore files of the directories
// from the work tree's top down to dir's parent are read; dir's own is read
// by the walk. rel is dir's slash path from the top.
func newIgnorer(dir string) (ig *ignorer, rel string) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, ""
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	root, gitDir, ok := findRepo(abs)
	if !ok {
		return nil, ""
	}
	ig = &ignorer{root: root}
	if data := readIgnoreFile(filepath.Join(gitDir, "info", "exclude"), true); data != nil {
		ig.base = append(ig.base, parseIgnore("", data))
	}
	if p := globalExcludesFile(); p != "" {
		if data := readIgnoreFile(p, true); data != nil {
			ig.base = append(ig.base, parseIgnore("", data))
		}
	}
	r, err := filepath.Rel(root, abs)
	if err != nil || r == "." {
		return ig, ""
	}
	rel = filepath.ToSlash(r)
	parts := strings.Split(rel, "/")
	for i := range parts {
		base := strings.Join(parts[:i], "/")
		if data := readIgnoreFile(filepath.Join(root, filepath.FromSlash(base), ".gitignore"), false); data != nil {
			ig = ig.with(parseIgnore(base, data))
		}
	}
	return ig, rel
}

// newRepoIgnorer is the ignorer for a repository found inside a walk at
// dir: the ignore files of the outer repository do not apply in it.
func newRepoIgnorer(dir, gitDir string) *ignorer {
	ig := &ignorer{root: dir}
	if data := readIgnoreFile(filepath.Join(gitDir, "info", "exclude"), true); data != nil {
		ig.base = append(ig.base, parseIgnore("", data))
	}
	if p := globalExcludesFile(); p != "" {
		if data := readIgnoreFile(p, true); data != nil {
			ig.base = append(ig.base, parseIgnore("", data))
		}
	}
	return ig
}

// globalExcludesFile is git's core.excludesFile: the value in
// $XDG_CONFIG_HOME/git/config (or ~/.config/git/config), overridden by
// ~/.gitconfig (both replaced by $GIT_CONFIG_GLOBAL when it is set, no file
// when it is empty), and by default $XDG_CONFIG_HOME/git/ignore (or
// ~/.config/git/ignore). The system config and the repository's own are not
// read (the latter is input; ripgrep reads neither), and include directives
// are not followed.
func globalExcludesFile() string {
	home, _ := os.UserHomeDir()
	xdg := os.Getenv("XDG_CONFIG_HOME")
	if xdg == "" && home != "" {
		xdg = filepath.Join(home, ".config")
	}
	var configs []string
	if g, ok := os.LookupEnv("GIT_CONFIG_GLOBAL"); ok {
		if g != "" {
			configs = []string{g}
		}
	} else {
		if xdg != "" {
			configs = append(configs, filepath.Join(xdg, "git", "config"))
		}
		if home != "" {
			configs = append(configs, filepath.Join(home, ".gitconfig"))
		}
	}
	var value string
	for _, c := range configs {
		if v, ok := configValue(readIgnoreFile(c, true), "core", "excludesfile"); ok {
			value = v
		}
	}
	if value != "" {
		if rest, ok := strings.CutPrefix(value, "~/"); ok && home != "" {
			value = filepath.Join(home, rest)
		}
		return value
	}
	if xdg == "" {
		return ""
	}
	return filepath.Join(xdg, "git", "ignore")
}

// configValue finds the last value of section.key in a git config file
// (names case-insensitive; quotes, escapes, comments and line
// continuations as git-config(1) writes them). A subsection header
// ([core "x"]) is another section.
func configValue(data []byte, section, key string) (string, bool) {
	var value string
	found := false
	in := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), maxIgnoreFile)
	var pending string
	for sc.Scan() {
		line := pending + sc.Text()
		pending = ""
		if strings.HasSuffix(line, "\\") && !strings.HasSuffix(line, "\\\\") {
			pending = strings.TrimSuffix(line, "\\")
			continue
		}
		s := strings.TrimSpace(line)
		if s == "" || s[0] == '#' || s[0] == ';' {
			continue
		}
		if s[0] == '[' {
			end := strings.IndexByte(s, ']')
			if end < 0 {
				in = false
				continue
			}
			name := strings.TrimSpace(s[1:end])
			in = strings.EqualFold(name, section)
			s = strings.TrimSpace(s[end+1:])
			if s == "" {
				continue
			}
		}
		if !in {
			continue
		}
		k, v, hasValue := strings.Cut(s, "=")
		if !strings.EqualFold(strings.TrimSpace(k), key) {
			continue
		}
		if !hasValue {
			value, found = "", true // a bare key is "true": no file
			continue
		}
		value, found = configString(strings.TrimSpace(v)), true
	}
	return value, found
}

// configString decodes a git config value: quotes group, backslash escapes
// (\" \\ \n \t \b), and an unquoted '#' or ';' starts a comment.
func configString(v string) string {
	var b strings.Builder
	quoted := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '"':
			quoted = !quoted
		case c == '\\' && i+1 < len(v):
			i++
			switch v[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'b':
				b.WriteByte('\b')
			default:
				b.WriteByte(v[i])
			}
		case (c == '#' || c == ';') && !quoted:
			return strings.TrimRight(b.String(), " \t")
		default:
			b.WriteByte(c)
		}
	}
	return strings.TrimRight(b.String(), " \t")
}
