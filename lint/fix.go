package lint

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// ContentHash identifies the content a run linted: "sha256:" and the hex
// SHA-256 of the bytes as read (before any masking). --fix writes a file only
// while its content still has the hash its fixes were computed on.
func ContentHash(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// Fixes groups the suggested fixes of a report by file, each file's in a
// deterministic order (by offset, length, replacement, description).
// Overlapping fixes are all kept: ResolveFixes decides between them against
// the file's text (ApplyFixes does so itself).
func Fixes(rep *report.Report) map[string][]report.Fix {
	out := map[string][]report.Fix{}
	for _, f := range rep.Findings {
		if f.Fix != nil {
			out[f.Fix.Path] = append(out[f.Fix.Path], *f.Fix)
		}
	}
	for _, fs := range out {
		sortFixes(fs)
	}
	return out
}

func sortFixes(fs []report.Fix) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Offset != b.Offset {
			return a.Offset < b.Offset
		}
		if a.Length != b.Length {
			return a.Length < b.Length
		}
		if a.Replacement != b.Replacement {
			return a.Replacement < b.Replacement
		}
		return a.Description < b.Description
	})
}

// Resolution is what ResolveFixes makes of the fixes to one file.
type Resolution struct {
	// Edits are the changes to make: sorted, disjoint, each the smallest
	// edit that does what its fix does (the fix's span less the text that
	// its replacement keeps at either end), none a no-op.
	Edits []report.Fix
	// Covered are fixes left out because another fix's edit covers theirs
	// (or is the same edit).
	Covered []report.Fix
	// Conflicts are groups of fixes whose edits overlap without one
	// covering all the others: none of a group is applied.
	Conflicts [][]report.Fix
	// Unfit are fixes whose span does not lie inside the text.
	Unfit []report.Fix
}

// edit is a fix reduced to its smallest edit, with the fix it came from.
type edit struct {
	start, end int // the bytes replaced: [start, end); start == end inserts
	text       string
	from       report.Fix
}

// ResolveFixes decides, deterministically and whatever the order of fixes,
// which fixes to a file's text data are applied. Each fix is first reduced
// to its smallest edit (what its span and its replacement do not share at
// either end), so that a scheme-only fix (http → https inserts "s") and a
// fix of the URL's end can both be applied. Then:
//
//   - identical edits are one edit (applied once);
//   - edits that overlap form a group (an insertion overlaps an edit whose
//     span, ends included, holds its position); when one edit of the group
//     covers every other (their spans lie inside its span), it alone is
//     applied: the full replacement of a URL wins over a scheme-only fix
//     inside it;
//   - otherwise (two different edits of the same span, or spans that cross)
//     the group is a conflict and none of it is applied;
//   - an edit that changes nothing is dropped.
func ResolveFixes(data []byte, fixes []report.Fix) Resolution {
	var res Resolution
	fixes = append([]report.Fix(nil), fixes...)
	sortFixes(fixes)
	var edits []edit
	for _, fx := range fixes {
		if fx.Offset < 0 || fx.Length < 0 || fx.Offset+fx.Length > len(data) {
			res.Unfit = append(res.Unfit, fx)
			continue
		}
		old := string(data[fx.Offset : fx.Offset+fx.Length])
		rep := fx.Replacement
		if old == rep {
			continue // a no-op
		}
		p := 0
		for p < len(old) && p < len(rep) && old[p] == rep[p] {
			p++
		}
		s := 0
		for s < len(old)-p && s < len(rep)-p && old[len(old)-1-s] == rep[len(rep)-1-s] {
			s++
		}
		edits = append(edits, edit{start: fx.Offset + p, end: fx.Offset + len(old) - s, text: rep[p : len(rep)-s], from: fx})
	}
	// by start, then the widest first, then text: a group's candidate to
	// win is its first edit
	sort.SliceStable(edits, func(i, j int) bool {
		a, b := edits[i], edits[j]
		if a.start != b.start {
			return a.start < b.start
		}
		if a.end != b.end {
			return a.end > b.end
		}
		return a.text < b.text
	})
	for i := 0; i < len(edits); {
		// the group of edits overlapping edits[i] (transitively)
		j := i + 1
		end, emptyAtEnd := edits[i].end, edits[i].start == edits[i].end
		for j < len(edits) {
			x := edits[j]
			empty := x.start == x.end
			if !(x.start < end || x.start == end && (empty || emptyAtEnd)) {
				break
			}
			switch {
			case x.end > end:
				end, emptyAtEnd = x.end, empty
			case x.end == end && empty:
				emptyAtEnd = true
			}
			j++
		}
		group := edits[i:j]
		i = j
		win := group[0]
		ok := true
		var covered []report.Fix
		for _, x := range group[1:] {
			switch {
			case x.start == win.start && x.end == win.end && x.text == win.text:
				covered = append(covered, x.from) // the same edit
			case x.start == win.start && x.end == win.end:
				ok = false // two different edits of one span
			case win.start <= x.start && x.end <= win.end:
				covered = append(covered, x.from)
			default:
				ok = false
			}
		}
		if !ok {
			var c []report.Fix
			for _, x := range group {
				c = append(c, x.from)
			}
			res.Conflicts = append(res.Conflicts, c)
			continue
		}
		res.Covered = append(res.Covered, covered...)
		res.Edits = append(res.Edits, report.Fix{Path: win.from.Path, Offset: win.start, Length: win.end - win.start, Replacement: win.text, Description: win.from.Description})
	}
	return res
}

// apply makes the resolved edits to data (a new slice; data is not changed).
func apply(data []byte, edits []report.Fix) []byte {
	var b bytes.Buffer
	b.Grow(len(data))
	last := 0
	for _, e := range edits {
		b.Write(data[last:e.Offset])
		b.WriteString(e.Replacement)
		last = e.Offset + e.Length
	}
	b.Write(data[last:])
	return b.Bytes()
}

// ApplyFixes applies fixes to data as ResolveFixes decides between them.
// Bytes outside the edits are untouched: comments, quoting and formatting
// stay as they were. A fix that does not fit the text is an error.
func ApplyFixes(data []byte, fixes []report.Fix) ([]byte, error) {
	res := ResolveFixes(data, fixes)
	if len(res.Unfit) > 0 {
		return nil, fmt.Errorf("fix at offset %d does not fit the file (was it changed since it was linted?)", res.Unfit[0].Offset)
	}
	return apply(data, res.Edits), nil
}

// Linted returns the check that --fix runs on a file's content, read again
// under its lock, before writing to it: true when the content is what the
// report's findings were computed on. It returns nil when the report holds
// nothing to check against (then the file must not be written).
//
// The report's masked text serves until the engine records each fixed
// file's ContentHash in the report (report.Report.Hashes): every byte
// outside a secret must be as linted, and the length the same.
func Linted(rep *report.Report, path string) func(data []byte) bool {
	if h := rep.Hashes[path]; h != "" {
		return MatchesHash(h)
	}
	masked := bytes.Clone(rep.Text(path)) // Text may reuse its buffer
	if masked == nil {
		return nil
	}
	return func(data []byte) bool { return sameUnmasked(masked, data) }
}

// sameUnmasked reports whether data has masked's length and bytes wherever
// masked does not hold the mask character.
func sameUnmasked(masked, data []byte) bool {
	if len(masked) != len(data) {
		return false
	}
	for i, c := range masked {
		if c != '*' && c != data[i] {
			return false
		}
	}
	return true
}

// MatchesHash returns the check that data has the content hash h (from
// ContentHash), for Linted's successor.
func MatchesHash(h string) func(data []byte) bool {
	if h == "" {
		return nil
	}
	return func(data []byte) bool { return ContentHash(data) == h }
}

// ErrChanged is the error of WriteFixes for a file whose content is not the
// content its fixes were computed on.
var ErrChanged = errors.New("the file changed since it was linted: nothing was written to it; run again")

// WriteFixes applies fixes to the file at osPath and returns what it made of
// them (its Edits were made; nothing is returned with an error). It takes
// the file's advisory lock (flock on Unix, so that runs of --fix on one tree
// take turns), reads the file again under it, and
// writes only when unchanged(content) holds: the content is the one the
// fixes were computed on (else ErrChanged, and the file is untouched). The
// new content goes to a temporary file in the same directory, with the
// original's permission bits, which is then renamed over the original: a
// reader sees the old file or the new one, never half of one. A symbolic
// link is refused (--fix does not write through links: the target may lie
// outside the tree that was linted); so is anything but a regular file.
//
// What is guaranteed: against other runs of WriteFixes, everything (they
// wait for the lock, then find the content changed). Against programs that
// take no lock (an editor), the content is checked after the lock is taken
// and the file's identity, size and modification time again just before the
// rename; a write that lands between that last look and the rename (a few
// system calls) is lost, as with any program that replaces files. Renaming
// gives the file a new inode: other hard links keep the old content, and the
// owner is kept only when the process may set it.
func WriteFixes(osPath string, fixes []report.Fix, unchanged func(data []byte) bool) (Resolution, error) {
	if unchanged == nil {
		return Resolution{}, errors.New("there is nothing to tell whether it changed since it was linted (no --fix without that): nothing was written to it")
	}
	for attempt := 0; ; attempt++ {
		res, err, retry := writeFixesOnce(osPath, fixes, unchanged)
		if !retry {
			if err != nil {
				res = Resolution{}
			}
			return res, err
		}
		if attempt == 20 {
			return Resolution{}, ErrChanged
		}
	}
}

// writeFixesOnce is one attempt of WriteFixes; retry is true when the file
// was replaced while its lock was awaited (the lock is then on a file that
// no longer has the name).
func writeFixesOnce(osPath string, fixes []report.Fix, unchanged func([]byte) bool) (res Resolution, err error, retry bool) {
	lst, err := os.Lstat(osPath)
	if err != nil {
		return res, errors.New(source.DescribeOSError(err)), false
	}
	if lst.Mode()&fs.ModeSymlink != 0 {
		return res, errors.New("a symbolic link: --fix does not write through links; run it on the file the link points to"), false
	}
	if !lst.Mode().IsRegular() {
		return res, errors.New("not a regular file: not fixed"), false
	}
	fh, err := openNoFollow(osPath)
	if err != nil {
		return res, errors.New(source.DescribeOSError(err)), false
	}
	defer fh.Close()
	if err := lockFile(fh); err != nil {
		return res, fmt.Errorf("cannot lock it: %v", err), false
	}
	defer unlockFile(fh)
	st, err := fh.Stat()
	if err != nil {
		return res, err, false
	}
	if now, err := os.Lstat(osPath); err != nil || !os.SameFile(st, now) {
		return res, nil, true // replaced while we waited: lock the new one
	}
	data, err := io.ReadAll(fh)
	if err != nil {
		return res, fmt.Errorf("read: %v", err), false
	}
	if !unchanged(data) {
		return res, ErrChanged, false
	}
	res = ResolveFixes(data, fixes)
	if len(res.Unfit) > 0 {
		return res, ErrChanged, false
	}
	if len(res.Edits) == 0 {
		return res, nil, false // nothing to change
	}
	fixed := apply(data, res.Edits)
	dir, base := filepath.Split(osPath)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".fix-*.tmp")
	if err != nil {
		return res, fmt.Errorf("cannot create a temporary file beside it: %s", source.DescribeOSError(err)), false
	}
	done := false
	defer func() {
		if !done {
			os.Remove(tmp.Name())
		}
	}()
	_, werr := tmp.Write(fixed)
	if werr == nil {
		werr = tmp.Chmod(st.Mode().Perm())
	}
	if werr == nil {
		keepOwner(tmp, st)
		werr = tmp.Sync()
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return res, fmt.Errorf("cannot write the fixed file: %s", source.DescribeOSError(werr)), false
	}
	if now, err := os.Lstat(osPath); err != nil || !os.SameFile(st, now) || now.Size() != st.Size() || !now.ModTime().Equal(st.ModTime()) {
		return res, ErrChanged, false
	}
	beforeRename(fh)
	if err := os.Rename(tmp.Name(), osPath); err != nil {
		return res, fmt.Errorf("cannot replace it: %s", source.DescribeOSError(err)), false
	}
	done = true
	syncDir(dir)
	return res, nil, false
}

// maxFixRounds bounds the rounds of FixAll.
const maxFixRounds = 3

// FixResult is what FixAll did.
type FixResult struct {
	Applied int            // edits made, in all rounds
	Rounds  int            // runs of the linter that found fixes to make
	Report  *report.Report // the last run's: what remains
	// Refused are the files not written, one error each that names the
	// file (changed since linted, a symbolic link, …); nothing of theirs is
	// written in later rounds either.
	Refused []error
	// Conflicts name the places where fixes disagreed and none was made.
	Conflicts []string
	// Pending is set when fixes were still left after the last round.
	Pending bool
}

// FixAll lints, makes the fixes (WriteFixes: each file locked, checked
// against what was linted and replaced whole) and lints again, until no fix
// is left or maxFixRounds rounds ran: a fix can make a finding visible whose
// fix comes next (a well-known URL given its suffix pairs with the
// provider's metadata, whose issuer then differs), and --fix run twice must
// do what --fix once does. The error is Run's.
func FixAll(opts Options) (*FixResult, error) {
	o := opts
	o.NoSources = false // the fixes are checked against the linted text
	out := &FixResult{}
	refused := map[string]bool{}
	for round := 1; ; round++ {
		rep, err := Run(o)
		if err != nil {
			return nil, err
		}
		out.Report = rep
		fixes := Fixes(rep)
		paths := make([]string, 0, len(fixes))
		for p := range fixes {
			if !refused[p] {
				paths = append(paths, p)
			}
		}
		sort.Strings(paths)
		at := map[report.Fix]report.Position{}
		for _, f := range rep.Findings {
			if f.Fix != nil {
				at[*f.Fix] = f.Pos
			}
		}
		made := 0
		for _, p := range paths {
			if round > maxFixRounds {
				out.Pending = true
				break
			}
			res, err := WriteFixes(filepath.FromSlash(p), fixes[p], Linted(rep, p))
			if err != nil {
				refused[p] = true
				out.Refused = append(out.Refused, fmt.Errorf("%s: %v", p, err))
				continue
			}
			made += len(res.Edits)
			for _, c := range res.Conflicts {
				out.Conflicts = append(out.Conflicts, fmt.Sprintf("%s: %d fixes of one place disagree (%s): none applied", at[c[0]], len(c), descriptions(c)))
			}
		}
		if made == 0 {
			if opts.NoSources {
				rep.Source = nil
			}
			return out, nil
		}
		out.Applied += made
		out.Rounds = round
	}
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
	out.WriteString(diffHeader(path))
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

// diffContext is the number of context lines around a change in a diff.
const diffContext = 3

// FixDiff is the diff of the fixes to one file (see Diff).
type FixDiff struct {
	// Text is the unified diff, comment lines first; "" when there is
	// nothing to show or say.
	Text string
	// Shown are the edits the diff makes.
	Shown []report.Fix
	// Omitted are the edits left out because they rewrite a line that holds
	// a secret: a diff that git apply can apply would have to print it.
	Omitted []report.Fix
	// Conflicts are groups of fixes of which none is applied (ResolveFixes).
	Conflicts [][]report.Fix
	// UnidiffZero is set when a hunk has no context after it although the
	// file goes on (the next line holds a secret): git apply then needs
	// --unidiff-zero.
	UnidiffZero bool
}

// Diff renders the fixes to the file at path as a unified diff that `git
// apply` applies to the file, and that shows no secret. masked is the file's
// text as the report holds it (each secret's bytes replaced by '*');
// original is the text as linted, or nil when it cannot be had (standard
// input): then every line with a '*' is taken to hold a secret.
//
// A line that holds a secret is never printed: context stops before it (a
// hunk may then have fewer than three context lines on one side, or none:
// zero lines after it need `git apply --unidiff-zero`, which the diff's
// first comment line says), and a fix that rewrites such a line is left out
// and named in a comment line. Comment lines start with "# " before the
// file's "---" line; git apply and patch skip them.
func Diff(path string, masked, original []byte, fixes []report.Fix) FixDiff {
	var out FixDiff
	base := original
	if base == nil {
		base = masked
	}
	res := ResolveFixes(base, fixes)
	out.Conflicts = res.Conflicts
	starts := lineStarts(masked)
	n := len(starts) // lines; the last may lack its "\n"
	if len(masked) > 0 && masked[len(masked)-1] == '\n' {
		n--
	}
	if len(masked) == 0 {
		n = 0
	}
	lineOf := func(off int) int { return sort.Search(len(starts), func(i int) bool { return starts[i] > off }) - 1 }
	lineEnd := func(i int) int {
		if i+1 < len(starts) {
			return starts[i+1]
		}
		return len(masked)
	}
	secret := make([]bool, n+1)
	for i := 0; i < n; i++ {
		l := masked[starts[i]:lineEnd(i)]
		if original == nil {
			secret[i] = bytes.IndexByte(l, '*') >= 0
		} else if len(original) == len(masked) {
			secret[i] = !bytes.Equal(l, original[starts[i]:lineEnd(i)])
		} else {
			secret[i] = true // not the same text: show nothing of it
		}
	}
	// the lines each edit touches: [a, b), empty for an insertion at the
	// end of a file that ends with a line break; edits on one line or on
	// adjacent lines make one block of - and + lines
	type block struct {
		a, b  int
		edits []report.Fix
	}
	var blocks []block
	for _, e := range res.Edits {
		a := lineOf(e.Offset)
		b := a + 1
		if e.Length > 0 {
			b = lineOf(e.Offset+e.Length-1) + 1
		}
		if a >= n {
			a, b = n, n
		}
		hidden := false
		for i := a; i < b; i++ {
			hidden = hidden || secret[i]
		}
		if hidden {
			out.Omitted = append(out.Omitted, e)
			continue
		}
		out.Shown = append(out.Shown, e)
		if k := len(blocks) - 1; k >= 0 && a <= blocks[k].b && blocks[k].a < n {
			blocks[k].b = max(blocks[k].b, b)
			blocks[k].edits = append(blocks[k].edits, e)
			continue
		}
		blocks = append(blocks, block{a, b, []report.Fix{e}})
	}
	var head strings.Builder
	file := newPosFile(masked)
	// a comment line names the file escaped: a name must not be able to
	// start a line of its own (a line break) or act on a terminal
	shownPath := report.EscapeControl(path)
	for _, e := range out.Omitted {
		fmt.Fprintf(&head, "# jenkins-oidc-lint: %s:%s: fix not shown (%s): it rewrites a line that holds a secret, which this diff would have to print; --fix applies it\n",
			shownPath, file.pos(e.Offset), report.EscapeControl(e.Description))
	}
	for _, c := range out.Conflicts {
		fmt.Fprintf(&head, "# jenkins-oidc-lint: %s:%s: %d fixes of this place disagree (%s): none is applied\n", shownPath, file.pos(c[0].Offset), len(c), report.EscapeControl(descriptions(c)))
	}
	if len(blocks) == 0 {
		out.Text = head.String()
		return out
	}
	// hunks: blocks with up to diffContext lines around them, never a
	// secret line; blocks whose context would touch share a hunk
	var body strings.Builder
	delta := 0 // new line numbers minus old ones, so far
	for i := 0; i < len(blocks); {
		first := i
		for i+1 < len(blocks) {
			gapClean := blocks[i+1].a-blocks[i].b <= 2*diffContext
			for l := blocks[i].b; gapClean && l < blocks[i+1].a; l++ {
				gapClean = !secret[l]
			}
			if !gapClean {
				break
			}
			i++
		}
		last := i
		i++
		from := blocks[first].a
		for from > 0 && blocks[first].a-from < diffContext && !secret[from-1] {
			from--
		}
		to := blocks[last].b
		for to < n && to-blocks[last].b < diffContext && !secret[to] {
			to++
		}
		if to == blocks[last].b && to < n {
			out.UnidiffZero = true
		}
		var lines strings.Builder
		oldN, newN := 0, 0
		emit := func(op byte, text []byte) {
			lines.WriteByte(op)
			lines.Write(text)
			if len(text) == 0 || text[len(text)-1] != '\n' {
				lines.WriteString("\n\\ No newline at end of file\n")
			}
		}
		context := func(a, b int) {
			for l := a; l < b; l++ {
				emit(' ', masked[starts[l]:lineEnd(l)])
				oldN++
				newN++
			}
		}
		context(from, blocks[first].a)
		for k := first; k <= last; k++ {
			bl := blocks[k]
			if k > first {
				context(blocks[k-1].b, bl.a)
			}
			lo, hi := len(masked), len(masked)
			if bl.a < n {
				lo, hi = starts[bl.a], lineEnd(bl.b-1)
			}
			for l := bl.a; l < bl.b; l++ {
				emit('-', masked[starts[l]:lineEnd(l)])
				oldN++
			}
			var nb []byte
			last := lo
			for _, e := range bl.edits {
				nb = append(nb, masked[last:e.Offset]...)
				nb = append(nb, e.Replacement...)
				last = e.Offset + e.Length
			}
			nb = append(nb, masked[last:hi]...)
			for _, l := range bytes.SplitAfter(nb, []byte("\n")) {
				if len(l) > 0 {
					emit('+', l)
					newN++
				}
			}
		}
		context(blocks[last].b, to)
		oldStart, newStart := from+1, from+1+delta
		if oldN == 0 {
			oldStart--
		}
		if newN == 0 {
			newStart--
		}
		fmt.Fprintf(&body, "@@ -%d,%d +%d,%d @@\n%s", oldStart, oldN, newStart, newN, lines.String())
		delta += newN - oldN
	}
	if out.UnidiffZero {
		fmt.Fprintf(&head, "# jenkins-oidc-lint: %s: a hunk has no context after it (the next line holds a secret): apply with `git apply --unidiff-zero`\n", shownPath)
	}
	out.Text = head.String() + diffHeader(path) + body.String()
	return out
}

// lineStarts lists the offsets at which the lines of data start.
func lineStarts(data []byte) []int {
	starts := []int{0}
	for i, c := range data {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// posFile turns offsets into line:column (columns in characters).
type posFile struct {
	data   []byte
	starts []int
}

func newPosFile(data []byte) posFile { return posFile{data, lineStarts(data)} }

func (p posFile) pos(off int) string {
	l := sort.Search(len(p.starts), func(i int) bool { return p.starts[i] > off }) - 1
	col := 1 + len([]rune(string(p.data[p.starts[l]:min(off, len(p.data))])))
	return fmt.Sprintf("%d:%d", l+1, col)
}

func descriptions(fixes []report.Fix) string {
	var d []string
	for _, f := range fixes {
		d = append(d, f.Description)
	}
	return strings.Join(d, "; ")
}

// diffHeader returns the "---" and "+++" lines of a diff of the file at path.
func diffHeader(path string) string {
	return "--- " + quoteDiffPath("a/"+path) + "\n+++ " + quoteDiffPath("b/"+path) + "\n"
}

// quoteDiffPath returns name as git writes a file name in a diff's header
// lines (core.quotePath=true): unchanged when it holds no byte below 0x20,
// no DEL, no '"', no '\\' and no byte of 0x80 or above; otherwise quoted in
// double quotes, C style: \a \b \t \n \v \f \r \" \\ and every other
// such byte as three octal digits (\033 for ESC, \303\251 for "é"). The
// "a/" or "b/" prefix is part of name, so that it lies inside the quotes,
// as git (and git apply) has it. A name so quoted can never start a line of
// its own nor write a control byte.
func quoteDiffPath(name string) string {
	i := 0
	for i < len(name) && !needsDiffQuote(name[i]) {
		i++
	}
	if i == len(name) {
		return name
	}
	var b strings.Builder
	b.Grow(len(name) + 8)
	b.WriteByte('"')
	b.WriteString(name[:i])
	for ; i < len(name); i++ {
		c := name[i]
		if !needsDiffQuote(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('\\')
		switch c {
		case '\a':
			b.WriteByte('a')
		case '\b':
			b.WriteByte('b')
		case '\t':
			b.WriteByte('t')
		case '\n':
			b.WriteByte('n')
		case '\v':
			b.WriteByte('v')
		case '\f':
			b.WriteByte('f')
		case '\r':
			b.WriteByte('r')
		case '"', '\\':
			b.WriteByte(c)
		default:
			b.WriteByte('0' + c>>6)
			b.WriteByte('0' + c>>3&7)
			b.WriteByte('0' + c&7)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// needsDiffQuote reports whether git quotes a file name that holds c.
func needsDiffQuote(c byte) bool {
	return c < 0x20 || c == 0x7f || c == '"' || c == '\\' || c >= 0x80
}
