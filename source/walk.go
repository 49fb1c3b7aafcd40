package source

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
)

// skipDirs are never walked into.
var skipDirs = map[string]bool{".git": true, "vendor": true, "node_modules": true, ".hg": true, ".svn": true}

// Candidate is a file found on the command line or in a walked directory.
type Candidate struct {
	// Path is the name printed in findings: slash-separated, cleaned, and
	// otherwise the bytes of the name as they are (control characters
	// included: formats escape them). A name that is not valid UTF-8 has
	// each byte of an invalid sequence written as \xNN (see DisplayPath).
	Path     string
	OSPath   string // as opened
	Explicit bool   // named on the command line (not found by walking)
	Hint     Kind   // kind told by the name (and, for *.groovy, the content), or a --metadata flag
	// JSON marks a file without extension whose first bytes are a JSON
	// object naming "issuer": it is parsed as JSON and its content decides
	// whether it is provider metadata.
	JSON bool
}

// templateExts are the extensions of text templates that are not YAML
// (FreeMarker, Go, Jinja): their content is not what the program reads, so
// no kind is told from the rest of their name.
var templateExts = map[string]bool{".ftl": true, ".tpl": true, ".gotmpl": true, ".tmpl": true, ".j2": true, ".jinja": true, ".jinja2": true}

// otherExts are extensions that make a file something else even when its
// name starts like one of ours (Jenkinsfile.md, Dockerfile.yaml for the
// pipeline-as-YAML plugin, Jenkinsfile.sh, Jenkinsfile.orig).
var otherExts = map[string]bool{
	".md": true, ".markdown": true, ".txt": true, ".rst": true, ".adoc": true, ".html": true, ".htm": true, ".pdf": true,
	".yaml": true, ".yml": true, ".json": true, ".xml": true, ".toml": true, ".properties": true,
	".sh": true, ".bash": true, ".py": true, ".ps1": true, ".bat": true, ".cmd": true,
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".svg": true,
	".bak": true, ".orig": true, ".rej": true, ".swp": true, ".tmp": true, // copies left by editors and patch
}

// KindByName tells a file's kind from its name alone, or Unknown when the
// content must decide (YAML, JSON and *.groovy files outside vars/):
//
//	Jenkinsfile  Jenkinsfile, Jenkinsfile<anything> (Jenkinsfile_k8s, Jenkinsfile-deploy,
//	             Jenkinsfile.release), *.jenkinsfile, *.Jenkinsfile, vars/*.groovy
//	Discovery    openid-configuration, openid-configuration.json, *.openid-configuration.json
//	PluginList   plugins.txt, plugins*.txt, plugins.yaml, plugins.yml
//	Dockerfile   Dockerfile, Dockerfile.*, *.Dockerfile, Containerfile, Containerfile.*
//	Terraform    *.tf
//
// A template (*.ftl, *.tpl, *.gotmpl, *.tmpl, *.j2, *.jinja) and a backup
// (name~) have no kind, and Jenkinsfile… and Dockerfile… names ending in
// another format's extension (.md, .yaml, .sh, …) or a copy's (.bak,
// .orig, .rej, .swp, .tmp) are not ours.
func KindByName(p string) Kind {
	base := path.Base(filepath.ToSlash(p))
	lower := strings.ToLower(base)
	ext := path.Ext(lower)
	if templateExts[ext] || strings.HasSuffix(base, "~") {
		return Unknown
	}
	switch {
	case strings.HasSuffix(lower, ".jenkinsfile"):
		return Jenkinsfile
	case strings.HasPrefix(base, "Jenkinsfile") && !otherExts[ext]:
		return Jenkinsfile
	case ext == ".groovy" && path.Base(path.Dir(filepath.ToSlash(p))) == "vars":
		return Jenkinsfile
	case lower == "openid-configuration", lower == "openid-configuration.json",
		strings.HasSuffix(lower, ".openid-configuration.json"):
		return Discovery
	case lower == "plugins.yaml", lower == "plugins.yml",
		strings.HasPrefix(lower, "plugins") && ext == ".txt":
		return PluginList
	case ext == ".tf":
		return Terraform
	case lower == "dockerfile", lower == "containerfile", strings.HasSuffix(lower, ".dockerfile"):
		return Dockerfile
	case (strings.HasPrefix(lower, "dockerfile.") || strings.HasPrefix(lower, "containerfile.")) && !otherExts[ext]:
		return Dockerfile
	}
	return Unknown
}

// MaybeByName reports whether a file of Unknown kind is worth reading to let
// its content decide: YAML and JSON files (not templates of them).
func MaybeByName(p string) bool {
	lower := strings.ToLower(p)
	return strings.HasSuffix(lower, ".yaml") || strings.HasSuffix(lower, ".yml") || strings.HasSuffix(lower, ".json") ||
		strings.HasSuffix(lower, ".template") // CloudFormation
}

// WalkOptions tune WalkWith.
type WalkOptions struct {
	// AllFiles keeps every regular file of a walk (for secret scanning),
	// templates and other programs' files included.
	AllFiles bool
	// NoIgnore walks what .gitignore files, .git/info/exclude and the
	// global excludes file would skip (--no-ignore).
	NoIgnore bool
	// Pipeline tells from the first bytes of a *.groovy file (outside
	// vars/, whose files are pipelines by name) whether it is a pipeline:
	// the engine passes jenkinsfile.Looks (this package cannot import its
	// parser). Nil: no *.groovy file outside vars/ is a pipeline.
	Pipeline func(prefix []byte) bool
}

// Walk is WalkWith with ignore files respected and no *.groovy sniffing.
func Walk(paths []string, allFiles bool) ([]Candidate, []report.FileError) {
	return WalkWith(paths, WalkOptions{AllFiles: allFiles})
}

// WalkWith expands paths (files and directories) into candidates, sorted by
// path and without duplicates. Unreadable paths become errors; the walk goes
// on.
//
// A path named by the caller is always a candidate, whatever ignore files
// say, and a directory named is walked even through a symlink. A named
// path that is neither a regular file, a directory nor a pipe (a socket, a
// device) is an error, except the standard input and file descriptors
// (/dev/stdin, /dev/fd/N, /proc/self/fd/N), which are read whatever they
// are; a named pipe (`<(…)`, mkfifo) is read.
//
// In a walked directory, files are kept when their name or content may be
// ours (see KindByName; *.groovy files whose first 64 KiB are a pipeline;
// files without extension whose first 4 KiB are a JSON object naming
// "issuer"); with AllFiles every regular file is kept. Symlinks, pipes,
// sockets and devices inside a walk are not followed or read (as git and
// ripgrep do; so a walk cannot loop), nor are .git, vendor, node_modules,
// .hg and .svn directories. Inside a git work tree the walk skips what git
// ignores (see ignore.go) unless NoIgnore is set.
func WalkWith(paths []string, opts WalkOptions) ([]Candidate, []report.FileError) {
	w := &walker{opts: opts, seen: map[string]int{}}
	for _, p := range paths {
		w.path(p)
	}
	sort.Slice(w.out, func(i, j int) bool { return w.out[i].Path < w.out[j].Path })
	return w.out, w.errs
}

type walker struct {
	opts WalkOptions
	out  []Candidate
	errs []report.FileError
	seen map[string]int // Path → index in out
}

func (w *walker) fail(p, msg string) {
	w.errs = append(w.errs, report.FileError{Pos: report.Position{Path: DisplayPath(p)}, Message: msg})
}

// add keeps a candidate unless its path is in already. The same file named
// and walked is one candidate, explicit; two files whose names read the
// same once invalid UTF-8 is escaped are an error (the second is not read).
func (w *walker) add(c Candidate) {
	i, ok := w.seen[c.Path]
	if !ok {
		w.seen[c.Path] = len(w.out)
		w.out = append(w.out, c)
		return
	}
	if filepath.Clean(w.out[i].OSPath) != filepath.Clean(c.OSPath) {
		w.fail(c.OSPath, fmt.Sprintf("not read: its name is shown as %q, like another file's (names that are not valid UTF-8 are shown escaped)", c.Path))
		return
	}
	w.out[i].Explicit = w.out[i].Explicit || c.Explicit
}

// path adds one path given by the caller.
func (w *walker) path(p string) {
	info, err := os.Stat(p) // follows a symlink: a symlinked directory is walked
	if err != nil {
		w.fail(p, DescribeOSError(err))
		return
	}
	if info.IsDir() {
		w.walkRoot(p)
		return
	}
	if what := irregular(info.Mode()); what != "" && !fdPath(p) {
		w.fail(p, "not a regular file ("+what+")")
		return
	}
	c := Candidate{Path: DisplayPath(p), OSPath: p, Explicit: true, Hint: KindByName(p)}
	if info.Mode().IsRegular() {
		w.sniff(&c, info.Size())
	}
	w.add(c)
}

// walkRoot walks a directory named by the caller.
func (w *walker) walkRoot(p string) {
	var ig *ignorer
	rel := ""
	if !w.opts.NoIgnore {
		ig, rel = newIgnorer(p)
	}
	w.dir(p, rel, ig, true)
}

// dir walks one directory: rel is its slash path from the top of its git
// work tree (when ig is not nil).
func (w *walker) dir(osPath, rel string, ig *ignorer, top bool) {
	entries, err := os.ReadDir(osPath) // sorted by name
	if err != nil {
		w.fail(osPath, DescribeOSError(err))
		return
	}
	if !w.opts.NoIgnore {
		for _, e := range entries {
			if e.Name() != ".git" || top && ig != nil {
				continue
			}
			// A repository inside the walk (or the first one met below a
			// directory outside any) has its own ignore files only.
			if g, ok := gitDirOf(osPath); ok {
				ig, rel = newRepoIgnorer(osPath, g), ""
			}
			break
		}
		if ig != nil {
			for _, e := range entries {
				if e.Name() == ".gitignore" && e.Type().IsRegular() {
					if data := readIgnoreFile(filepath.Join(osPath, ".gitignore"), false); data != nil {
						ig = ig.with(parseIgnore(rel, data))
					}
					break
				}
			}
		}
	}
	for _, e := range entries {
		name := e.Name()
		fp := filepath.Join(osPath, name)
		erel := name
		if rel != "" {
			erel = rel + "/" + name
		}
		switch {
		case e.IsDir():
			if skipDirs[name] || ig.ignored(erel, true) {
				continue
			}
			w.dir(fp, erel, ig, false)
		case e.Type().IsRegular():
			if ig.ignored(erel, false) {
				continue
			}
			w.file(fp)
		}
		// Symlinks, pipes, sockets and devices are not read in a walk.
	}
}

// file considers a regular file met in a walk.
func (w *walker) file(fp string) {
	c := Candidate{Path: DisplayPath(fp), OSPath: fp, Hint: KindByName(fp)}
	w.sniff(&c, -1)
	if c.Hint == Unknown && !c.JSON && !MaybeByName(fp) && !w.opts.AllFiles {
		return
	}
	w.add(c)
}

// Sniffing reads at most these many bytes of a file.
const (
	sniffPipeline = 64 << 10
	sniffJSON     = 4 << 10
)

// sniff lets the first bytes of a regular file of Unknown kind decide: a
// *.groovy file that is a pipeline (opts.Pipeline), a file without
// extension that is a JSON object naming "issuer". size is the file's size
// when known (-1: not known).
func (w *walker) sniff(c *Candidate, size int64) {
	if c.Hint != Unknown || size == 0 {
		return
	}
	base := filepath.Base(c.OSPath)
	ext := strings.ToLower(filepath.Ext(base))
	switch {
	case ext == ".groovy" && w.opts.Pipeline != nil:
		if prefix := readPrefix(c.OSPath, sniffPipeline); prefix != nil && w.opts.Pipeline(prefix) {
			c.Hint = Jenkinsfile
		}
	case ext == "" || ext == base: // no extension, or a dotfile
		if looksJSONIssuer(readPrefix(c.OSPath, sniffJSON)) {
			c.JSON = true
		}
	}
}

// looksJSONIssuer reports whether the first bytes of a file start a JSON
// object (after white space and a byte order mark) that names "issuer".
func looksJSONIssuer(prefix []byte) bool {
	prefix = bytes.TrimPrefix(prefix, []byte("\xef\xbb\xbf"))
	prefix = bytes.TrimLeft(prefix, " \t\r\n")
	return len(prefix) > 0 && prefix[0] == '{' && bytes.Contains(prefix, []byte(`"issuer"`))
}

// readPrefix reads at most n bytes from the start of a regular file (nil
// when it cannot be opened or is not regular any more).
func readPrefix(p string, n int) []byte {
	fh, err := os.Open(p)
	if err != nil {
		return nil
	}
	defer fh.Close()
	if st, err := fh.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil
	}
	buf := make([]byte, n)
	m, _ := io.ReadFull(fh, buf)
	return buf[:m]
}

// irregular names the type of a file that is neither regular, a directory
// nor a pipe ("" for those).
func irregular(m fs.FileMode) string {
	switch {
	case m.IsRegular(), m.IsDir(), m&fs.ModeNamedPipe != 0:
		return ""
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeCharDevice != 0:
		return "character device"
	case m&fs.ModeDevice != 0:
		return "block device"
	}
	return "irregular file"
}

// fdPath reports whether p names the standard input or an open file
// descriptor, which are read whatever they are (a terminal, a pipe).
func fdPath(p string) bool {
	p = filepath.ToSlash(filepath.Clean(p))
	if p == "/dev/stdin" {
		return true
	}
	for _, dir := range []string{"/dev/fd/", "/proc/self/fd/"} {
		if n, ok := strings.CutPrefix(p, dir); ok && n != "" && strings.Trim(n, "0123456789") == "" {
			return true
		}
	}
	return false
}

// DisplayPath is the name a path is shown by: slash-separated and cleaned;
// in a name that is not valid UTF-8, each byte of an invalid sequence is
// written \xNN, so that every format shows the same name and two runs show
// it the same way (the file is still opened by its real name).
func DisplayPath(p string) string {
	s := filepath.ToSlash(filepath.Clean(p))
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			fmt.Fprintf(&b, "\\x%02x", s[i])
			i++
			continue
		}
		b.WriteString(s[i : i+size])
		i += size
	}
	return b.String()
}

// ErrTooLarge is returned by Read for files over the size limit.
var ErrTooLarge = errors.New("file too large")

// Read reads a candidate, refusing files over maxSize bytes (at most
// MaxSize). A regular file is read into a buffer of its size; anything
// else (a pipe, a terminal) in chunks, so that memory stays near the limit
// plus a chunk however much is written. A path that is neither a regular
// file nor a pipe (a socket, a device) is refused unless it names the
// standard input or a file descriptor (see WalkWith).
func Read(c Candidate, maxSize int64) (*File, *report.FileError) {
	fail := func(msg string) (*File, *report.FileError) {
		return nil, &report.FileError{Pos: report.Position{Path: c.Path}, Message: msg}
	}
	fd := fdPath(c.OSPath)
	plain := false // a regular file: opened without openInput's second look
	if st, err := os.Stat(c.OSPath); err == nil && !fd {
		if what := irregular(st.Mode()); what != "" {
			return fail("not a regular file (" + what + ")") // not even opened: opening a device may act
		}
		plain = st.Mode().IsRegular()
	}
	var fh *os.File
	var err error
	if plain {
		fh, err = os.Open(c.OSPath)
	} else {
		fh, err = openInput(c.OSPath)
	}
	if err != nil {
		return fail(DescribeOSError(err))
	}
	defer fh.Close()
	if maxSize > MaxSize {
		maxSize = MaxSize
	}
	var data []byte
	st, serr := fh.Stat()
	if serr == nil && !fd {
		if what := irregular(st.Mode()); what != "" {
			return fail("not a regular file (" + what + ")") // replaced since the walk
		}
	}
	regular := serr == nil && st.Mode().IsRegular()
	switch {
	case regular && st.Size() > maxSize:
		return fail(fmt.Sprintf("%v: more than %d bytes (--max-file-size)", ErrTooLarge, maxSize))
	case regular:
		data, err = readSized(fh, st.Size(), maxSize)
	default:
		data, err = ReadLimited(fh, maxSize)
	}
	if err != nil {
		return fail(err.Error())
	}
	f := NewFile(c.Path, data)
	f.Regular = regular
	return f, nil
}

// readSized reads a regular file of the given size into a buffer of just
// that size (io.ReadAll's doubling would hold up to twice the bytes for as
// long as the file is kept). A file that grew meanwhile is read on, up to
// maxSize.
func readSized(fh *os.File, size, maxSize int64) ([]byte, error) {
	data := make([]byte, size)
	n, err := io.ReadFull(fh, data)
	switch {
	case err == io.ErrUnexpectedEOF || err == io.EOF: // shrank meanwhile
		return data[:n], nil
	case err != nil:
		return nil, fmt.Errorf("read: %s", DescribeOSError(err))
	}
	var one [1]byte
	if m, _ := fh.Read(one[:]); m == 0 {
		return data, nil
	}
	rest, err := ReadLimited(fh, maxSize-size-1)
	if errors.Is(err, ErrTooLarge) {
		return nil, fmt.Errorf("%w: more than %d bytes (--max-file-size)", ErrTooLarge, maxSize)
	}
	if err != nil {
		return nil, err
	}
	return append(append(data, one[0]), rest...), nil
}

// readChunk is the largest piece ReadLimited reads at once.
const readChunk = 1 << 20

// stageAfter is the size from which ReadLimited reads on into a staging
// area (see stage) where the system offers one.
const stageAfter = 8 << 20

// ReadLimited reads r to the end unless it holds more than maxSize bytes
// (at most MaxSize). It stops at the first byte over the limit, so an
// endless input costs the limit and a chunk (io.ReadAll of a LimitReader
// held twice the limit). An input within the limit ends in one buffer of
// its exact size: a small one is read in pieces that grow to readChunk and
// joined; past stageAfter, where the system has a staging area (Linux:
// memory mapped without reserve), the rest is read into it and moved into
// the final buffer a chunk at a time, each chunk's pages given back once
// moved, so that the peak stays near the input's size plus a chunk rather
// than twice the input.
func ReadLimited(r io.Reader, maxSize int64) ([]byte, error) {
	if maxSize > MaxSize {
		maxSize = MaxSize
	}
	if maxSize < 0 {
		maxSize = 0
	}
	tooLarge := func() error {
		return fmt.Errorf("%w: more than %d bytes (--max-file-size)", ErrTooLarge, maxSize)
	}
	var chunks [][]byte
	var total int64
	staging := maxSize > stageAfter
	buf := make([]byte, 0, min(512, maxSize+1))
	for {
		if len(buf) == cap(buf) {
			chunks = append(chunks, buf)
			if staging && total >= stageAfter {
				staging = false // one try
				if st := newStage(int(maxSize + 1)); st != nil {
					return st.read(r, chunks, maxSize, tooLarge)
				}
			}
			// The next piece: twice the last, at most readChunk, and no
			// more than one byte past the limit.
			buf = make([]byte, 0, min(int64(2*cap(buf)), readChunk, maxSize+1-total))
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		total += int64(n)
		if total > maxSize {
			return nil, tooLarge()
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read: %s", DescribeOSError(err))
		}
	}
	if len(chunks) == 0 {
		if cap(buf)-len(buf) > 4096 {
			buf = append([]byte(nil), buf...) // keep no slack
		}
		return buf, nil
	}
	data := make([]byte, 0, total)
	for i, c := range chunks {
		data = append(data, c...)
		chunks[i] = nil
	}
	return append(data, buf...), nil
}

// read reads the rest of r into the staging area after the pieces read so
// far, and returns it all in a buffer of its exact size.
func (s *stage) read(r io.Reader, pre [][]byte, maxSize int64, tooLarge func() error) ([]byte, error) {
	n := 0
	for i, c := range pre {
		n += copy(s.mem[n:], c)
		pre[i] = nil
	}
	for {
		m, err := r.Read(s.mem[n:min(n+readChunk, len(s.mem))])
		n += m
		if int64(n) > maxSize {
			s.free()
			return nil, tooLarge()
		}
		if err == io.EOF {
			return s.finish(n), nil
		}
		if err != nil {
			s.free()
			return nil, fmt.Errorf("read: %s", DescribeOSError(err))
		}
	}
}

// DescribeOSError turns an error of the file system into words for a
// message that names the path itself: the path the error carries is left
// out, and a missing file or a refused permission is said the same way
// everywhere.
func DescribeOSError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	return err.Error()
}
