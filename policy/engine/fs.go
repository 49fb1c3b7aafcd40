package engine

import (
	"errors"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/policy/internal/wire"
)

// policyFS is where the loader reads policies from: in a worker, the
// snapshot of what the client read (wire.Snapshot).
type policyFS interface {
	// list returns the policy files of a directory (or the one .cue file a
	// path names), sorted.
	list(dir string) ([]string, error)
	// read returns a policy file's content, or only its size when that is
	// over wire.MaxPolicyFile.
	read(name string) (data []byte, size int64, err error)
}

// snapFS serves a snapshot.
type snapFS map[string]*wire.SnapFile

func newSnapFS(files []wire.SnapFile) snapFS {
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
