package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"time"
)

// cmdTime runs a command and writes GNU time -v style lines for it.
func cmdTime(args []string) (int, error) {
	fs := flag.NewFlagSet("time", flag.ExitOnError)
	out := fs.String("o", "", "write the measurements to `FILE` (required)")
	if err := fs.Parse(args); err != nil {
		return 2, fmt.Errorf("time flags: %w", err)
	}
	if *out == "" || fs.NArg() == 0 {
		return 2, errors.New("time: usage: time -o FILE -- CMD [ARGS...]")
	}
	cmd := exec.Command(fs.Arg(0), fs.Args()[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		return 2, fmt.Errorf("time: run %s: %w", fs.Arg(0), err)
	}
	user, sys, rssKiB := rusage(cmd.ProcessState)
	s := wall.Seconds()
	text := fmt.Sprintf("\tCommand being timed: %q\n\tUser time (seconds): %.2f\n\tSystem time (seconds): %.2f\n"+
		"\tElapsed (wall clock) time (h:mm:ss or m:ss): %d:%05.2f\n\tMaximum resident set size (kbytes): %d\n\tExit status: %d\n",
		fs.Args(), user.Seconds(), sys.Seconds(), int(s)/60, s-float64(int(s)/60*60), rssKiB, code)
	if err := os.WriteFile(*out, []byte(text), 0o644); err != nil {
		return 2, fmt.Errorf("time: write %s: %w", *out, err)
	}
	return code, nil
}
