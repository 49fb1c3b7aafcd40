package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"

	"github.com/rogpeppe/go-internal/testscript"
	"go.yaml.in/yaml/v3"
)

// hook is one entry of .pre-commit-hooks.yaml.
type hook struct {
	ID            string   `yaml:"id"`
	Entry         string   `yaml:"entry"`
	Args          []string `yaml:"args"`
	Files         string   `yaml:"files"`
	PassFilenames bool     `yaml:"pass_filenames"`
	RequireSerial bool     `yaml:"require_serial"`
}

// cmdPrecommit runs the repository's pre-commit hook the way pre-commit
// does: the hook's entry and args, followed by every file of the work tree
// whose path matches the hook's `files` pattern (pre-commit uses re.search
// on the repository-relative path). Usage: precommit HOOK-ID [extra args].
func cmdPrecommit(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 1 {
		ts.Fatalf("usage: precommit HOOK-ID [args...]")
	}
	data, err := os.ReadFile(filepath.Join(ts.Getenv("REPO_ROOT"), ".pre-commit-hooks.yaml"))
	ts.Check(err)
	var hooks []hook
	ts.Check(yaml.Unmarshal(data, &hooks))
	var h *hook
	for i := range hooks {
		if hooks[i].ID == args[0] {
			h = &hooks[i]
		}
	}
	if h == nil {
		ts.Fatalf("no hook %q in .pre-commit-hooks.yaml", args[0])
	}
	if !h.PassFilenames || !h.RequireSerial {
		ts.Fatalf("hook %s must pass file names in one serial invocation", h.ID)
	}
	re, err := regexp.Compile(h.Files)
	ts.Check(err)
	work := ts.Getenv("WORK")
	var files []string
	ts.Check(filepath.WalkDir(work, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(work, p)
		rel = filepath.ToSlash(rel)
		if re.MatchString(rel) {
			files = append(files, rel)
		}
		return nil
	}))
	sort.Strings(files)
	argv := append(append(append([]string{}, h.Args...), args[1:]...), files...)
	err = ts.Exec(h.Entry, argv...)
	if neg && err == nil {
		ts.Fatalf("unexpected success")
	}
	if !neg && err != nil {
		ts.Fatalf("hook failed: %v", err)
	}
}
