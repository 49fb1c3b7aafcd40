//go:build linux

package source

import "syscall"

// stage is a staging area for reading an input of unknown size: anonymous
// memory mapped without reserving it, so that only the pages written count,
// and whose pages can be given back one chunk at a time.
type stage struct {
	mem []byte
}

// newStage maps n bytes, or returns nil when the system refuses.
func newStage(n int) *stage {
	mem, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE,
		syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS|syscall.MAP_NORESERVE)
	if err != nil {
		return nil
	}
	return &stage{mem: mem}
}

// finish moves the first n bytes into a buffer of that size, giving back
// each chunk's pages once it is moved (readChunk is a multiple of the page
// size, so each chunk starts on a page), and unmaps the area.
func (s *stage) finish(n int) []byte {
	data := make([]byte, n)
	for off := 0; off < n; off += readChunk {
		end := min(off+readChunk, n)
		copy(data[off:end], s.mem[off:end])
		_ = syscall.Madvise(s.mem[off:end], syscall.MADV_DONTNEED)
	}
	s.free()
	return data
}

func (s *stage) free() {
	if s.mem != nil {
		_ = syscall.Munmap(s.mem)
		s.mem = nil
	}
}
