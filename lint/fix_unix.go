//go:build unix

package lint

import (
	"io/fs"
	"os"
	"syscall"
)

// openNoFollow opens a file to read without following a symbolic link in
// its last element (one swapped in after WriteFixes looked is refused).
func openNoFollow(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
}

// lockFile takes the file's exclusive advisory lock, waiting for it.
func lockFile(fh *os.File) error {
	for {
		err := syscall.Flock(int(fh.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			return err
		}
	}
}

func unlockFile(fh *os.File) { syscall.Flock(int(fh.Fd()), syscall.LOCK_UN) }

// keepOwner gives the new file the old one's owner and group where the
// process may (root, or a group it is in); otherwise the new file is the
// process's, as any editor's save would make it.
func keepOwner(fh *os.File, old fs.FileInfo) {
	if st, ok := old.Sys().(*syscall.Stat_t); ok {
		if fh.Chown(int(st.Uid), int(st.Gid)) != nil {
			fh.Chown(-1, int(st.Gid))
		}
	}
}

// syncDir makes a rename in dir durable (best effort).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// beforeRename: the lock stays held across the rename.
func beforeRename(*os.File) {}
