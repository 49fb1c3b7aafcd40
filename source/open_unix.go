//go:build unix

package source

import (
	"os"
	"syscall"
)

// openInput opens a file to read. A named pipe is opened without waiting for
// a writer (a plain open blocks until one comes, forever for a FIFO nobody
// writes): with no writer it reads as empty; with one (`<(…)`, a shell
// pipeline) it reads what is written.
func openInput(path string) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		return os.Open(path)
	}
	fh, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	if err := syscall.SetNonblock(int(fh.Fd()), false); err != nil {
		fh.Close()
		return nil, err
	}
	return fh, nil
}
