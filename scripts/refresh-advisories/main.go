// Command refresh-advisories rewrites source/plugins/advisories.json, the
// table plugin-vulnerable reads, from the Jenkins update center's security
// warnings.
//
//	go run ./scripts/refresh-advisories -warnings update-center.actual.json [-pages DIR] [-o FILE]
//
// -warnings is https://updates.jenkins.io/update-center.actual.json (or
// update-center.json, or jenkins-infra/update-center2's
// resources/warnings.json), downloaded beforehand: the command itself
// never uses the network. Only plugin warnings of the plugins in
// source/plugins/eras.json are kept. CVE IDs and fixed releases, which the
// warnings do not carry, are kept from the current table for known IDs;
// for new ones they are read from -pages, a checkout's
// content/security/advisory directory of jenkins-infra/jenkins.io (the
// YAML front matter of <date>.adoc), when given. IDs still missing one are
// listed on standard error: look them up on the advisory page and fill
// them in by hand.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/plugins"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "refresh-advisories:", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("refresh-advisories", flag.ContinueOnError)
	fs.SetOutput(stderr)
	warnings := fs.String("warnings", "", "update-center JSON or warnings.json (required)")
	pages := fs.String("pages", "", "jenkins.io content/security/advisory directory (optional)")
	out := fs.String("o", "source/plugins/advisories.json", "the table to rewrite")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *warnings == "" {
		return fmt.Errorf("-warnings is required")
	}
	uc, err := os.ReadFile(*warnings)
	if err != nil {
		return err
	}
	prev, err := os.ReadFile(*out)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	var pageMap map[string][]byte
	if *pages != "" {
		pageMap = map[string][]byte{}
		files, err := filepath.Glob(filepath.Join(*pages, "*.adoc"))
		if err != nil {
			return err
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				return err
			}
			pageMap[strings.TrimSuffix(filepath.Base(f), ".adoc")] = b
		}
	}
	judged := map[string]string{}
	for _, id := range plugins.Judged() {
		judged[id] = plugins.PluginName(id)
	}
	table, missing, err := plugins.MergeWarnings(uc, prev, pageMap, judged)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, table, 0o644); err != nil {
		return err
	}
	for _, m := range missing {
		fmt.Fprintf(stderr, "%s (fill it in from the advisory page if it has one)\n", m)
	}
	return nil
}
