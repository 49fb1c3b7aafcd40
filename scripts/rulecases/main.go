// Command rulecases converted the rule test cases from directories
// (testdata/rules/<id>/<case>/ with the input files and a want.txt) to one
// txtar file each (testdata/rules/<id>/<case>.txtar, see internal/rulecase).
// The want lines gain the rule's ID; the fix lines (byte offsets) go, as
// `go test ./rules -run TestRules -update` then writes each case's fixes as
// a unified diff. Kept for branches that still add cases as directories.
// With -extract DIR it does the opposite for scripts that lint the cases
// as trees (same-output.sh, precommit-try.sh): every case is written to
// DIR/<id>/<case>/, the old layout without want.txt.
//
//	go run ./scripts/rulecases [testdata/rules]
//	go run ./scripts/rulecases -extract DIR [testdata/rules]
package main

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/rulecase"
)

func main() {
	extract := flag.String("extract", "", "write every case to `DIR`/<id>/<case>/ instead")
	flag.Parse()
	root := "testdata/rules"
	if flag.NArg() > 0 {
		root = flag.Arg(0)
	}
	if *extract != "" {
		dirs, err := rulecase.Materialize(root, *extract)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("extracted %d cases\n", len(dirs))
		return
	}
	dirs, _ := filepath.Glob(filepath.Join(root, "*", "*"))
	sort.Strings(dirs)
	n := 0
	for _, dir := range dirs {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			continue
		}
		if err := convert(filepath.Base(filepath.Dir(dir)), dir); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		n++
	}
	fmt.Printf("converted %d cases\n", n)
}

func convert(id, dir string) error {
	c := &rulecase.Case{Path: dir + ".txtar"}
	var names []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel != "want.txt" {
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			return err
		}
		if len(data) > 0 && data[len(data)-1] != '\n' {
			fmt.Fprintf(os.Stderr, "%s/%s: no final newline; the case adds one\n", dir, name)
		}
		c.Files = append(c.Files, txtar.File{Name: name, Data: data})
	}
	want, err := os.ReadFile(filepath.Join(dir, "want.txt"))
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, line := range strings.SplitAfter(string(want), "\n") {
		switch {
		case line == "":
		case strings.HasPrefix(line, "\tfix "):
		case strings.HasPrefix(line, "\t"):
			b.WriteString(line)
		default:
			b.WriteString(strings.TrimSuffix(line, "\n") + " [" + id + "]\n")
		}
	}
	c.Want = b.String()
	if err := c.Write(); err != nil {
		return err
	}
	return os.RemoveAll(dir)
}
