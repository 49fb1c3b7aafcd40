//go:build !unix

package lint

import (
	"io/fs"
	"os"
)

// openNoFollow opens a file to read. (WriteFixes has refused a symbolic
// link by then; this platform has no O_NOFOLLOW.)
func openNoFollow(path string) (*os.File, error) { return os.Open(path) }

// lockFile is a no-op here: runs of --fix on one tree are not serialised on
// this platform, but each still checks the file's content before writing and
// replaces it whole.
func lockFile(*os.File) error { return nil }

func unlockFile(*os.File) {}

func keepOwner(*os.File, fs.FileInfo) {}

func syncDir(string) {}

// beforeRename closes the file: Windows does not rename over an open file.
func beforeRename(fh *os.File) { fh.Close() }
