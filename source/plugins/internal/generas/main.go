// Command generas writes source/plugins/eras_gen.go from eras.json (go
// generate ./source/plugins runs it in that directory).
package main

import (
	"fmt"
	"os"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/plugins/internal/erasgen"
)

func main() {
	data, err := os.ReadFile("eras.json")
	if err == nil {
		data, err = erasgen.Source(data)
	}
	if err == nil {
		err = os.WriteFile(erasgen.File, data, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "generas:", err)
		os.Exit(1)
	}
}
