// Command docsgen writes rules/docs_gen.go from the rule pages
// rules/docs/*.md (go generate ./rules runs it in that directory).
package main

import (
	"fmt"
	"os"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/rules/internal/ruledoc"
)

// infoURI is rules.InfoURI (this program cannot import the package it
// generates a file of; TestDocsGenerated compares the two).
const infoURI = "https://github.com/jenkins-oidc-lint/jenkins-oidc-lint"

func main() {
	metas, err := ruledoc.ParseDir(os.DirFS("."), infoURI)
	var src []byte
	if err == nil {
		src, err = ruledoc.Source(metas)
	}
	if err == nil {
		err = os.WriteFile(ruledoc.File, src, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "docsgen:", err)
		os.Exit(1)
	}
}
