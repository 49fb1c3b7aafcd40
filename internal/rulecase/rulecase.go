// Package rulecase reads and writes rule test cases:
// testdata/rules/<rule-id>/<case>.txtar, a txtar archive of the case's input
// files followed by the expected result: a `want` section with one line per
// finding (path:line:col-endline:endcol: severity: message [rule], related
// places indented below it) and, when the rule offers fixes, a `fix.diff`
// section with the unified diff of every fix applied. Cases named fire-*
// must produce findings, quiet-* none.
package rulecase

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rogpeppe/go-internal/txtar"
)

// Section names of the expected result; every other section is an input file.
const (
	WantSection = "want"
	FixSection  = "fix.diff"
)

// Case is one rule test case.
type Case struct {
	Path    string       // the .txtar file
	Comment string       // text before the first section
	Files   []txtar.File // input files, in archive order
	Want    string       // the want section
	Fix     string       // the fix.diff section ("" when no fix)
}

// Name is the case's name: its file name without .txtar.
func (c *Case) Name() string { return strings.TrimSuffix(filepath.Base(c.Path), ".txtar") }

// Read reads a case.
func Read(path string) (*Case, error) {
	a, err := txtar.ParseFile(path)
	if err != nil {
		return nil, err
	}
	c := &Case{Path: path, Comment: string(a.Comment)}
	for _, f := range a.Files {
		switch f.Name {
		case WantSection:
			c.Want = string(f.Data)
		case FixSection:
			c.Fix = string(f.Data)
		default:
			c.Files = append(c.Files, f)
		}
	}
	return c, nil
}

// Format is the case as txtar text: comment, input files, want, fix.diff
// (left out when empty).
func (c *Case) Format() []byte {
	a := &txtar.Archive{Comment: []byte(c.Comment)}
	a.Files = append(a.Files, c.Files...)
	a.Files = append(a.Files, txtar.File{Name: WantSection, Data: []byte(c.Want)})
	if c.Fix != "" {
		a.Files = append(a.Files, txtar.File{Name: FixSection, Data: []byte(c.Fix)})
	}
	return txtar.Format(a)
}

// Write writes the case to its Path.
func (c *Case) Write() error {
	if err := os.MkdirAll(filepath.Dir(c.Path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(c.Path, c.Format(), 0o644)
}

// WriteTree writes the case's input files under dir.
func (c *Case) WriteTree(dir string) error {
	for _, f := range c.Files {
		name := filepath.FromSlash(f.Name)
		if filepath.IsAbs(name) || strings.HasPrefix(filepath.Clean(name), "..") {
			return fmt.Errorf("%s: file %q is outside the case", c.Path, f.Name)
		}
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Glob lists the cases under root (testdata/rules), sorted: root/<id>/<case>.txtar.
func Glob(root string) ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(root, "*", "*.txtar"))
	sort.Strings(paths)
	return paths, err
}

// Materialize writes every case under root into dst/<rule-id>/<case>/ and
// returns those directories, sorted: for tests and scripts that lint the
// cases as trees.
func Materialize(root, dst string) ([]string, error) {
	paths, err := Glob(root)
	if err != nil {
		return nil, err
	}
	var dirs []string
	for _, p := range paths {
		c, err := Read(p)
		if err != nil {
			return nil, err
		}
		dir := filepath.Join(dst, filepath.Base(filepath.Dir(p)), c.Name())
		if err := c.WriteTree(dir); err != nil {
			return nil, err
		}
		dirs = append(dirs, dir)
	}
	return dirs, nil
}
