package policy

import (
	"errors"
	"os"
)

// policyFS is where the loader reads policies from: the file system where
// a set is loaded, a snapshot of what was read there in its workers.
type policyFS interface {
	// list returns the policy files of a directory (or the one .cue file a
	// path names), sorted.
	list(dir string) ([]string, error)
	// read returns a policy file's content, or only its size when that is
	// over maxPolicyFile.
	read(name string) (data []byte, size int64, err error)
}

// osFS reads the file system.
type osFS struct{}

func (osFS) list(dir string) ([]string, error) { return cueFiles(dir) }

func (osFS) read(name string) ([]byte, int64, error) {
	if st, err := os.Stat(name); err == nil && st.Size() > maxPolicyFile {
		return nil, st.Size(), nil
	}
	data, err := os.ReadFile(name)
	return data, int64(len(data)), err
}

// snapFile is what reading one path gave: a directory's policy files or
// a file's content, or the error.
type snapFile struct {
	Path  string
	IsDir bool // a listing (Names)
	Names []string
	Data  []byte
	Size  int64
	Err   string
}

// snapshot reads the policies of dirs as the loader will, once: the text
// every worker compiles, whenever it starts.
func snapshot(dirs []string) []snapFile {
	var out []snapFile
	seen := map[string]bool{}
	for _, dir := range dirs {
		names, err := cueFiles(dir)
		e := snapFile{Path: dir, IsDir: true, Names: names}
		if err != nil {
			e.Err = err.Error()
		}
		out = append(out, e)
		for _, n := range names {
			if seen[n] {
				continue
			}
			seen[n] = true
			data, size, err := osFS{}.read(n)
			f := snapFile{Path: n, Data: data, Size: size}
			if err != nil {
				f.Err = err.Error()
			}
			out = append(out, f)
		}
	}
	return out
}

// snapFS serves a snapshot.
type snapFS map[string]*snapFile

func newSnapFS(files []snapFile) snapFS {
	m := snapFS{}
	for i := range files {
		f := &files[i]
		key := f.Path
		if f.IsDir {
			key = "\x00" + key
		}
		m[key] = f
	}
	return m
}

func (m snapFS) list(dir string) ([]string, error) {
	f := m["\x00"+dir]
	if f == nil {
		return nil, errors.New("not in the snapshot")
	}
	if f.Err != "" {
		return f.Names, errors.New(f.Err)
	}
	return f.Names, nil
}

func (m snapFS) read(name string) ([]byte, int64, error) {
	f := m[name]
	if f == nil {
		return nil, 0, errors.New("not in the snapshot")
	}
	if f.Err != "" {
		return nil, 0, errors.New(f.Err)
	}
	return f.Data, f.Size, nil
}
