package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/cmd/internal/command"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/inventory"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/lint"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/settings"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jenkinsfile"
)

// runInventory is `jenkins-oidc-lint inventory`: one row per secret the
// controllers in PATH depend on, with its source, rotation, expiry, last
// commit and pipelines.
func runInventory(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	_ = stdin
	cmd := command.New("inventory", stderr)
	fs := cmd.Flags
	format := fs.StringP("format", "f", "text", "output `FORMAT`: "+strings.Join(inventory.Formats, "|"))
	output := fs.StringP("output", "o", "", "write the inventory to `FILE` instead of standard output")
	nowFlag := fs.String("now", "", "judge expiry and age as of `DATE` (YYYY-MM-DD or RFC 3339; default: now), for reproducible reports")
	window := fs.String("expiry-window", "30d", "a secret expiring within `AGE` is expiring (days, weeks, years: 30d, 6w, 1y)")
	maxAge := fs.String("max-secret-age", "", "a secret last rotated longer than `AGE` ago is due for rotation (unless its own max-age is declared)")
	noGit := fs.Bool("no-git", false, "do not ask git for the last commit of each secret's line")
	configPath := fs.String("config", "", "read the secrets: settings from `FILE` (default: "+settings.FileName+" in the working directory or a parent)")
	noConfig := fs.Bool("no-config", false, "do not read a configuration file")
	noIgnore := fs.Bool("no-ignore", false, "also read what .gitignore and git's other excludes skip")
	usage := func(w io.Writer) {
		fmt.Fprintf(w, "Usage: jenkins-oidc-lint inventory [flags] [PATH...]\n\n")
		fmt.Fprintf(w, "Lists every secret the controllers in PATH (default \".\") depend on: the oic realm's client and\nescape-hatch secrets, every JCasC credential and id token, where each is defined, where its value\ncomes from, whether it rotates without a commit, when it expires, the last commit of its line\nand the pipelines that bind it. No secret value is ever shown.\n\nFlags:\n%s", fs.FlagUsages())
		fmt.Fprintf(w, "\nExit codes: 0 listed; 2 usage error or unreadable input (what could be read is still listed).\n")
	}
	fail := cmd.Fail
	if code, done := cmd.Parse(args, stdout, usage); done {
		return code
	}
	known := false
	for _, f := range append(inventory.Formats, "md") {
		known = known || f == *format
	}
	if !known {
		return fail("--format: unknown format %q (want one of %s)", *format, strings.Join(inventory.Formats, ", "))
	}
	st, err := secretSettings(*nowFlag, *window, *maxAge, *noGit)
	if err != nil {
		return fail("%v", err)
	}
	if st.Now.IsZero() {
		st.Now = time.Now().UTC() // one "now" for every row
	}
	paths := fs.Args()
	for _, p := range paths {
		if p == "-" {
			return fail("PATH cannot be standard input (\"-\") here: give the JCasC files or directories")
		}
	}
	if !*noConfig {
		cfg, ok := loadSettings(*configPath, stderr)
		if !ok {
			return exitTrouble
		}
		if cfg != nil {
			st.Declared = cfg.Secrets
		}
	}
	l := lint.Load(lint.Options{Paths: paths, NoIgnore: *noIgnore})
	inv, errs := inventory.Collect(l.WS, inventory.Options{Settings: st, Uses: pipelineUses(l)})
	errs = append(append([]report.FileError(nil), l.Errors...), errs...)
	for _, e := range errs {
		printFileError(stderr, e, "")
	}

	w := stdout
	var fh *os.File
	if *output != "" && *output != "-" {
		if fh, err = os.Create(*output); err != nil {
			return fail("--output: %v", err)
		}
		w = fh
	}
	werr := inventory.Write(w, *format, inv)
	if fh != nil {
		if cerr := fh.Close(); werr == nil {
			werr = cerr
		}
	}
	if werr != nil {
		return fail("writing the inventory: %v", werr)
	}
	if len(errs) > 0 {
		return exitTrouble
	}
	return exitOK
}

// pipelineUses are the pipelines' uses of literal credential IDs, the first
// of each ID in each pipeline, in path order. (Until lint.Loaded hands out
// the rules.PipelineFacts it keeps, the pipelines are read again here.)
func pipelineUses(l *lint.Loaded) []inventory.Use {
	var out []inventory.Use
	for _, f := range l.WS.Files {
		if f.Kind != source.Jenkinsfile || source.IsEmbeddedPath(f.Path) {
			continue
		}
		data := f.Data
		if len(data) == 0 {
			var err error
			if data, err = os.ReadFile(f.Path); err != nil {
				continue
			}
		}
		pf, ferr := jenkinsfile.Parse(source.NewFile(f.Path, data))
		if ferr != nil {
			continue
		}
		seen := map[string]bool{}
		for _, u := range pf.Uses {
			v := u.ID
			if !v.Valid() || !v.Literal || strings.TrimSpace(v.Text) == "" || seen[v.Text] {
				continue
			}
			if _, ok := v.Node.(*jenkinsfile.Str); !ok {
				continue
			}
			seen[v.Text] = true
			p := pf.PosAt(v.OffsetAt(0))
			out = append(out, inventory.Use{ID: v.Text, Path: f.Path, Line: p.Line, Col: p.Col})
		}
	}
	return out
}
