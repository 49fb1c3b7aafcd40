// Command genshapes compiles the schema package's *.cue files into shapes and
// writes them as Go source, shapes_gen.go: go generate ./schema runs it in
// the schema directory. The schema package's tests fail when the file
// differs from what compiling the CUE gives, so the CUE files stay the
// source of truth.
package main

import (
	"fmt"
	"os"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/schema/internal/shapegen"
)

func main() {
	src, err := shapegen.FromCUE(os.DirFS("."))
	if err == nil {
		err = os.WriteFile(shapegen.File, src, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genshapes:", err)
		os.Exit(1)
	}
}
