//go:build !unix

package source

import "os"

// openInput opens a file to read.
func openInput(path string) (*os.File, error) { return os.Open(path) }
