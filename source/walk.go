package source

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
)

// skipDirs are never walked into.
var skipDirs = map[string]bool{".git": true, "vendor": true, "node_modules": true, ".hg": true, ".svn": true}

// Candidate is a file found on the command line or in a walked directory.
type Candidate struct {
	Path     string // as printed in findings (slash-separated)
	OSPath   string // as opened
	Explicit bool   // named on the command line (not found by walking)
	Hint     Kind   // kind told by the name alone, or a --metadata flag
}

// KindByName tells a file's kind from its name alone, or Unknown when the
// content must decide (YAML and JSON files).
func KindByName(p string) Kind {
	base := path.Base(filepath.ToSlash(p))
	lower := strings.ToLower(base)
	switch {
	case base == "Jenkinsfile", strings.HasPrefix(base, "Jenkinsfile."),
		strings.HasSuffix(lower, ".jenkinsfile"):
		return Jenkinsfile
	case strings.HasSuffix(lower, ".groovy") && path.Base(path.Dir(filepath.ToSlash(p))) == "vars":
		return Jenkinsfile
	case lower == "openid-configuration", lower == "openid-configuration.json",
		strings.HasSuffix(lower, ".openid-configuration.json"):
		return Discovery
	}
	return Unknown
}

// MaybeByName reports whether a file of Unknown kind is worth reading to let
// its content decide: YAML and JSON files.
func MaybeByName(p string) bool {
	lower := strings.ToLower(p)
	return strings.HasSuffix(lower, ".yaml") || strings.HasSuffix(lower, ".yml") || strings.HasSuffix(lower, ".json")
}

// Walk expands paths (files and directories) into candidates, sorted by path
// and without duplicates. Unreadable paths become errors; the walk goes on.
// Files in directories are kept when their name or extension may be ours;
// with allFiles every regular file is kept (for secret scanning).
func Walk(paths []string, allFiles bool) ([]Candidate, []report.FileError) {
	var out []Candidate
	var errs []report.FileError
	seen := map[string]bool{}
	add := func(c Candidate) {
		if seen[c.Path] {
			return
		}
		seen[c.Path] = true
		out = append(out, c)
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			errs = append(errs, report.FileError{Pos: report.Position{Path: filepath.ToSlash(p)}, Message: describeOSError(err)})
			continue
		}
		if !info.IsDir() {
			add(Candidate{Path: cleanPath(p), OSPath: p, Explicit: true, Hint: KindByName(p)})
			continue
		}
		err = filepath.WalkDir(p, func(fp string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, report.FileError{Pos: report.Position{Path: cleanPath(fp)}, Message: describeOSError(err)})
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if fp != p && skipDirs[d.Name()] {
					return fs.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() {
				return nil
			}
			k := KindByName(fp)
			if k == Unknown && !allFiles && !MaybeByName(fp) {
				return nil
			}
			add(Candidate{Path: cleanPath(fp), OSPath: fp, Hint: k})
			return nil
		})
		if err != nil {
			errs = append(errs, report.FileError{Pos: report.Position{Path: cleanPath(p)}, Message: describeOSError(err)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, errs
}

func cleanPath(p string) string {
	return filepath.ToSlash(filepath.Clean(p))
}

// ErrTooLarge is returned by Read for files over the size limit.
var ErrTooLarge = errors.New("file too large")

// Read reads a candidate, refusing files over maxSize bytes.
func Read(c Candidate, maxSize int64) (*File, *report.FileError) {
	fail := func(msg string) (*File, *report.FileError) {
		return nil, &report.FileError{Pos: report.Position{Path: c.Path}, Message: msg}
	}
	fh, err := openInput(c.OSPath)
	if err != nil {
		return fail(describeOSError(err))
	}
	defer fh.Close()
	if maxSize > MaxSize {
		maxSize = MaxSize
	}
	var data []byte
	st, serr := fh.Stat()
	regular := serr == nil && st.Mode().IsRegular()
	if regular && st.Size() < maxSize {
		data, err = readSized(fh, st.Size(), maxSize)
	} else {
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
		return nil, fmt.Errorf("read: %s", describeOSError(err))
	}
	var one [1]byte
	if m, _ := fh.Read(one[:]); m == 0 {
		return data, nil
	}
	rest, err := io.ReadAll(io.LimitReader(fh, maxSize-size)) // one byte more than allowed: too large
	if err != nil {
		return nil, fmt.Errorf("read: %s", describeOSError(err))
	}
	if size+1+int64(len(rest)) > maxSize {
		return nil, fmt.Errorf("%w: more than %d bytes (--max-file-size)", ErrTooLarge, maxSize)
	}
	return append(append(data, one[0]), rest...), nil
}

// ReadLimited reads r to the end unless it holds more than maxSize bytes
// (at most MaxSize).
func ReadLimited(r io.Reader, maxSize int64) ([]byte, error) {
	if maxSize > MaxSize {
		maxSize = MaxSize
	}
	data, err := io.ReadAll(io.LimitReader(r, maxSize+1))
	if err != nil {
		return nil, fmt.Errorf("read: %s", describeOSError(err))
	}
	if int64(len(data)) > maxSize {
		return nil, fmt.Errorf("%w: more than %d bytes (--max-file-size)", ErrTooLarge, maxSize)
	}
	return data, nil
}

// describeOSError turns an os error into words without repeating the path.
func describeOSError(err error) string {
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
