package lint

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
)

// Fixes groups the suggested fixes of a report by file, sorted by offset,
// dropping any fix that overlaps an earlier one.
func Fixes(rep *report.Report) map[string][]report.Fix {
	out := map[string][]report.Fix{}
	for _, f := range rep.Findings {
		if f.Fix != nil {
			out[f.Fix.Path] = append(out[f.Fix.Path], *f.Fix)
		}
	}
	for p, fs := range out {
		sort.SliceStable(fs, func(i, j int) bool { return fs[i].Offset < fs[j].Offset })
		kept := fs[:0]
		end := -1
		for _, fx := range fs {
			if fx.Offset < end {
				continue
			}
			kept = append(kept, fx)
			end = fx.Offset + fx.Length
		}
		out[p] = kept
	}
	return out
}

// ApplyFixes applies non-overlapping, offset-sorted fixes to data. Bytes
// outside the fixed spans are untouched: comments, quoting and formatting
// stay as they were.
func ApplyFixes(data []byte, fixes []report.Fix) ([]byte, error) {
	var b strings.Builder
	last := 0
	for _, fx := range fixes {
		if fx.Offset < last || fx.Offset+fx.Length > len(data) {
			return nil, fmt.Errorf("fix at offset %d does not fit the file (was it changed since it was linted?)", fx.Offset)
		}
		b.Write(data[last:fx.Offset])
		b.WriteString(fx.Replacement)
		last = fx.Offset + fx.Length
	}
	b.Write(data[last:])
	return []byte(b.String()), nil
}

// UnifiedDiff renders the change from old to new as a unified diff with
// three lines of context, "" when they are equal.
func UnifiedDiff(path string, old, new []byte) string {
	if string(old) == string(new) {
		return ""
	}
	dmp := diffmatchpatch.New()
	a, b, lines := dmp.DiffLinesToChars(string(old), string(new))
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(a, b, false), lines)

	type line struct {
		op   byte // ' ', '-', '+'
		text string
	}
	var all []line
	for _, d := range diffs {
		op := byte(' ')
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			op = '-'
		case diffmatchpatch.DiffInsert:
			op = '+'
		}
		for _, l := range strings.SplitAfter(d.Text, "\n") {
			if l != "" {
				all = append(all, line{op, l})
			}
		}
	}
	const ctx = 3
	var out strings.Builder
	fmt.Fprintf(&out, "--- a/%s\n+++ b/%s\n", path, path)
	for i := 0; i < len(all); {
		if all[i].op == ' ' {
			i++
			continue
		}
		// a hunk: from ctx lines before the change to ctx lines after the last
		// change that is within 2*ctx of the previous one
		start := max(0, i-ctx)
		end := i
		for j := i; j < len(all); j++ {
			if all[j].op != ' ' {
				end = j
			} else if j-end > 2*ctx {
				break
			}
		}
		stop := min(len(all), end+ctx+1)
		oldStart, newStart := 1, 1
		for _, l := range all[:start] {
			if l.op != '+' {
				oldStart++
			}
			if l.op != '-' {
				newStart++
			}
		}
		oldN, newN := 0, 0
		for _, l := range all[start:stop] {
			if l.op != '+' {
				oldN++
			}
			if l.op != '-' {
				newN++
			}
		}
		fmt.Fprintf(&out, "@@ -%d,%d +%d,%d @@\n", oldStart, oldN, newStart, newN)
		for _, l := range all[start:stop] {
			out.WriteByte(l.op)
			out.WriteString(l.text)
			if !strings.HasSuffix(l.text, "\n") {
				out.WriteString("\n\\ No newline at end of file\n")
			}
		}
		i = stop
	}
	return out.String()
}
