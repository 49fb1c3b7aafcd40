// Command benchsecrets is the helper of scripts/bench-secrets.sh, the
// head-to-head secret-scanning benchmark of jenkins-oidc-lint --all-files
// against gitleaks. It is not part of the shipped tool.
//
//	benchsecrets gen   -dir DIR [-seed N] [-files N] [-bytes N]
//	    writes DIR/tree (half with planted secrets, half clean with
//	    false-positive bait) and the lists DIR/planted.tsv (file, line, kind),
//	    DIR/bait.tsv and DIR/files.tsv. The same seed gives the same tree.
//	benchsecrets score -dir DIR -tree TREE -runs N [-cores C] [-gitleaks V]
//	    reads DIR/results/{ours,gitleaks}-I.json and time-*-I.txt and prints
//	    recall, false positives, median wall time, peak RSS and the speed ratio.
//	benchsecrets time -o FILE -- CMD [ARGS...]
//	    runs CMD and writes its wall time, CPU time and peak RSS in the format
//	    of GNU time -v (the fallback where /usr/bin/time is missing); exits
//	    with CMD's exit code.
//	benchsecrets profile [-cpu FILE] [-mem FILE] TREE
//	    runs the linter's --all-files scan of TREE in process under pprof
//	    (go tool pprof -top FILE) and prints the time of its phases.
//
// Every token-shaped string is generated at run time: the repository holds
// none.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	code := 0
	switch os.Args[1] {
	case "gen":
		err = cmdGen(os.Args[2:])
	case "score":
		err = cmdScore(os.Args[2:])
	case "time":
		code, err = cmdTime(os.Args[2:])
	case "profile":
		err = cmdProfile(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchsecrets:", err)
		os.Exit(2)
	}
	os.Exit(code)
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: benchsecrets gen|score|time|profile [flags] (see the package doc)")
	os.Exit(2)
}

func cmdGen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	dir := fs.String("dir", "", "output directory (required)")
	seed := fs.Uint64("seed", 20240601, "random seed")
	files := fs.Int("files", 5000, "number of files")
	bytes := fs.Int64("bytes", 50_000_000, "approximate total size in bytes")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("gen flags: %w", err)
	}
	if *dir == "" {
		return fmt.Errorf("gen: -dir is required")
	}
	tree, err := generate(genOptions{Seed: *seed, Files: *files, Bytes: *bytes})
	if err != nil {
		return err
	}
	total, err := writeTree(*dir, tree)
	if err != nil {
		return err
	}
	planted, bait := 0, 0
	for _, f := range tree {
		planted += len(f.Marks)
		if f.Half == "clean" {
			bait += len(f.Baits)
		}
	}
	fmt.Printf("generated %d files, %.1f MB, %d planted secrets, %d bait lines on the clean half (seed %d)\n",
		len(tree), float64(total)/1e6, planted, bait, *seed)
	return nil
}

func cmdScore(args []string) error {
	fs := flag.NewFlagSet("score", flag.ExitOnError)
	var o scoreOptions
	fs.StringVar(&o.Dir, "dir", "", "benchmark directory (required)")
	fs.StringVar(&o.Tree, "tree", "", "tree path as given to the tools (default DIR/tree)")
	fs.IntVar(&o.Runs, "runs", 5, "number of measured runs")
	fs.StringVar(&o.Cores, "cores", "?", "cores used (label)")
	fs.StringVar(&o.Gitleaks, "gitleaks", "v8.30.1", "gitleaks version (label)")
	fs.IntVar(&o.MaxExample, "examples", 3, "examples printed per kind or category")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("score flags: %w", err)
	}
	if o.Dir == "" {
		return fmt.Errorf("score: -dir is required")
	}
	if o.Tree == "" {
		o.Tree = o.Dir + "/tree"
	}
	return score(o, os.Stdout)
}
