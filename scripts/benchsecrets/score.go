package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// loc is a file (relative to the tree) and a 1-based line.
type loc struct {
	File string
	Line int
}

// hit is one finding of either tool, reduced to what the score needs.
type hit struct {
	loc
	Rule     string
	Severity string // ours: error, warning, note; gitleaks: "finding"
	What     string // ours: message up to the value; gitleaks: rule id
}

type oursReport struct {
	Findings []struct {
		Rule     string `json:"rule"`
		Severity string `json:"severity"`
		Path     string `json:"path"`
		Line     int    `json:"line"`
		Message  string `json:"message"`
	} `json:"findings"`
	Errors []struct {
		Path    string `json:"path"`
		Message string `json:"message"`
	} `json:"errors"`
}

type gitleaksFinding struct {
	RuleID    string `json:"RuleID"`
	File      string `json:"File"`
	StartLine int    `json:"StartLine"`
}

func relPath(tree, p string) string {
	p = filepath.ToSlash(p)
	t := filepath.ToSlash(tree)
	if r, ok := strings.CutPrefix(p, t+"/"); ok {
		return r
	}
	return strings.TrimPrefix(p, "./")
}

// readOurs reads our JSON report: committed-secret findings only.
func readOurs(path, tree string) (hits []hit, fileErrors int, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, fmt.Errorf("read our report: %w", err)
	}
	var r oursReport
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, 0, fmt.Errorf("parse our report %s: %w", path, err)
	}
	for _, f := range r.Findings {
		if f.Rule != "committed-secret" {
			continue
		}
		what := f.Message
		if i := strings.Index(what, " ("); i > 0 {
			what = what[:i]
		}
		hits = append(hits, hit{loc{relPath(tree, f.Path), f.Line}, f.Rule, f.Severity, what})
	}
	return hits, len(r.Errors), nil
}

func readGitleaks(path, tree string) ([]hit, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read gitleaks report: %w", err)
	}
	var fs []gitleaksFinding
	if err := json.Unmarshal(data, &fs); err != nil {
		return nil, fmt.Errorf("parse gitleaks report %s: %w", path, err)
	}
	var hits []hit
	for _, f := range fs {
		hits = append(hits, hit{loc{relPath(tree, f.File), f.StartLine}, f.RuleID, "finding", f.RuleID})
	}
	return hits, nil
}

// readTSV reads a tab-separated list with a header line.
func readTSV(path string) ([][]string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open list: %w", err)
	}
	defer fh.Close()
	var rows [][]string
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		rows = append(rows, strings.Split(sc.Text(), "\t"))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return rows, nil
}

// timing is what one measured run cost.
type timing struct {
	Wall, CPU float64 // seconds
	RSSKiB    int64
}

// readTiming parses GNU time -v output (or ours, which mimics it).
func readTiming(path string) (timing, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return timing{}, fmt.Errorf("read timing: %w", err)
	}
	var t timing
	found := 0
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		k, v, ok := strings.Cut(line, ": ")
		if !ok {
			continue
		}
		switch {
		case strings.HasPrefix(k, "Elapsed (wall clock) time"):
			t.Wall = clockSeconds(v)
			found++
		case k == "User time (seconds)", k == "System time (seconds)":
			x, _ := strconv.ParseFloat(v, 64)
			t.CPU += x
		case k == "Maximum resident set size (kbytes)":
			t.RSSKiB, _ = strconv.ParseInt(v, 10, 64)
			found++
		}
	}
	if found < 2 {
		return t, fmt.Errorf("%s: no wall time or max RSS in the timing output", path)
	}
	return t, nil
}

// clockSeconds parses h:mm:ss or m:ss.ss.
func clockSeconds(v string) float64 {
	secs := 0.0
	for _, p := range strings.Split(v, ":") {
		x, _ := strconv.ParseFloat(p, 64)
		secs = secs*60 + x
	}
	return secs
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// toolResult is one tool's accuracy and cost.
type toolResult struct {
	Name       string
	Hits       []hit
	Times      []timing
	FileErrors int
	Unstable   int // runs whose findings differ from the first run's
}

type scoreOptions struct {
	Dir, Tree  string
	Runs       int
	Cores      string
	Gitleaks   string // version label
	MaxExample int
}

func score(o scoreOptions, w io.Writer) error {
	plantedRows, err := readTSV(filepath.Join(o.Dir, "planted.tsv"))
	if err != nil {
		return err
	}
	baitRows, err := readTSV(filepath.Join(o.Dir, "bait.tsv"))
	if err != nil {
		return err
	}
	fileRows, err := readTSV(filepath.Join(o.Dir, "files.tsv"))
	if err != nil {
		return err
	}
	half := map[string]string{}
	var totalBytes int64
	for _, r := range fileRows {
		half[r[0]] = r[1]
		n, _ := strconv.ParseInt(r[3], 10, 64)
		totalBytes += n
	}
	type plantedSecret struct {
		loc
		Kind, Context string
	}
	var planted []plantedSecret
	plantedAt := map[loc]bool{}
	kinds := map[string]int{}
	for _, r := range plantedRows {
		n, _ := strconv.Atoi(r[1])
		p := plantedSecret{loc{r[0], n}, r[2], r[3]}
		planted = append(planted, p)
		plantedAt[p.loc] = true
		kinds[p.Kind]++
	}
	baitAt := map[loc]string{}
	baitCtx := map[loc]string{}
	for _, r := range baitRows {
		n, _ := strconv.Atoi(r[1])
		baitAt[loc{r[0], n}] = r[2]
		baitCtx[loc{r[0], n}] = r[3]
	}

	var tools []*toolResult
	for _, name := range []string{"ours", "gitleaks"} {
		t := &toolResult{Name: name}
		var first []string
		for i := 1; i <= o.Runs; i++ {
			var hits []hit
			rep := filepath.Join(o.Dir, "results", fmt.Sprintf("%s-%d.json", name, i))
			if name == "ours" {
				var nerr int
				hits, nerr, err = readOurs(rep, o.Tree)
				t.FileErrors = max(t.FileErrors, nerr)
			} else {
				hits, err = readGitleaks(rep, o.Tree)
			}
			if err != nil {
				return err
			}
			keys := hitKeys(hits)
			if i == 1 {
				t.Hits, first = hits, keys
			} else if strings.Join(keys, "\n") != strings.Join(first, "\n") {
				t.Unstable++
			}
			tm, err := readTiming(filepath.Join(o.Dir, "results", fmt.Sprintf("time-%s-%d.txt", name, i)))
			if err != nil {
				return err
			}
			t.Times = append(t.Times, tm)
		}
		tools = append(tools, t)
	}
	ours, gl := tools[0], tools[1]
	names := map[string]string{"ours": "jenkins-oidc-lint", "gitleaks": "gitleaks " + o.Gitleaks}

	// reported lines: ours counts error and warning findings; notes apart
	reported := func(t *toolResult) map[loc][]hit {
		m := map[loc][]hit{}
		for _, h := range t.Hits {
			if h.Severity == "note" {
				continue
			}
			m[h.loc] = append(m[h.loc], h)
		}
		return m
	}
	rep := map[string]map[loc][]hit{"ours": reported(ours), "gitleaks": reported(gl)}

	fmt.Fprintf(w, "Tree: %d files, %.1f MB (%d with %d planted secrets, %d clean with %d bait lines); %s cores; %d runs each\n\n",
		len(fileRows), float64(totalBytes)/1e6, countHalf(half, "planted"), len(planted), countHalf(half, "clean"), countBait(baitAt, half), o.Cores, o.Runs)

	type row struct{ label, a, b string }
	var rows []row
	found := map[string]map[string]int{"ours": {}, "gitleaks": {}}
	missed := map[string][]plantedSecret{}
	for _, p := range planted {
		for _, t := range []string{"ours", "gitleaks"} {
			if len(rep[t][p.loc]) > 0 {
				found[t][p.Kind]++
			} else {
				missed[t] = append(missed[t], p)
			}
		}
	}
	recalled := func(t string) int {
		n := 0
		for _, c := range found[t] {
			n += c
		}
		return n
	}
	recall := func(t string) string {
		n := recalled(t)
		return fmt.Sprintf("%d/%d (%.1f%%)", n, len(planted), 100*float64(n)/float64(max(1, len(planted))))
	}
	// false positives: findings on the clean half; extra: findings on the
	// planted half off the planted lines
	fp := map[string][]hit{}
	extra := map[string][]hit{}
	for _, t := range []string{"ours", "gitleaks"} {
		for l, hs := range rep[t] {
			switch {
			case half[l.File] == "clean":
				fp[t] = append(fp[t], hs...)
			case !plantedAt[l]:
				extra[t] = append(extra[t], hs...)
			}
		}
		sortHits(fp[t])
		sortHits(extra[t])
	}
	notes := map[string]int{}
	for _, h := range ours.Hits {
		if h.Severity == "note" {
			notes[half[h.File]]++
		}
	}
	wall := func(t *toolResult) float64 {
		var xs []float64
		for _, x := range t.Times {
			xs = append(xs, x.Wall)
		}
		return median(xs)
	}
	cpu := func(t *toolResult) float64 {
		var xs []float64
		for _, x := range t.Times {
			xs = append(xs, x.CPU)
		}
		return median(xs)
	}
	rss := func(t *toolResult) int64 {
		var m int64
		for _, x := range t.Times {
			m = max(m, x.RSSKiB)
		}
		return m
	}
	lines := func(hs []hit) int {
		m := map[loc]bool{}
		for _, h := range hs {
			m[h.loc] = true
		}
		return len(m)
	}
	rows = append(rows,
		row{"recall on planted secrets", recall("ours"), recall("gitleaks")},
		row{"false positives, clean half (findings / lines)", fmt.Sprintf("%d / %d", len(fp["ours"]), lines(fp["ours"])), fmt.Sprintf("%d / %d", len(fp["gitleaks"]), lines(fp["gitleaks"]))},
		row{"notes (Jenkins-encrypted), clean / planted half", fmt.Sprintf("%d / %d", notes["clean"], notes["planted"]), "-"},
		row{"other findings, planted half, off planted lines", strconv.Itoa(len(extra["ours"])), strconv.Itoa(len(extra["gitleaks"]))},
		row{"median wall time", fmt.Sprintf("%.2f s", wall(ours)), fmt.Sprintf("%.2f s", wall(gl))},
		row{"best wall time (min of runs)", fmt.Sprintf("%.2f s", minWall(ours)), fmt.Sprintf("%.2f s", minWall(gl))},
		row{"median CPU time (user+sys)", fmt.Sprintf("%.2f s", cpu(ours)), fmt.Sprintf("%.2f s", cpu(gl))},
		row{"peak RSS (max of runs)", fmt.Sprintf("%.0f MiB", float64(rss(ours))/1024), fmt.Sprintf("%.0f MiB", float64(rss(gl))/1024)},
		row{"throughput (median)", fmt.Sprintf("%.1f MB/s", float64(totalBytes)/1e6/wall(ours)), fmt.Sprintf("%.1f MB/s", float64(totalBytes)/1e6/wall(gl))},
	)
	if ours.FileErrors > 0 || ours.Unstable > 0 || gl.Unstable > 0 {
		rows = append(rows, row{"file errors / runs differing from run 1", fmt.Sprintf("%d / %d", ours.FileErrors, ours.Unstable), fmt.Sprintf("- / %d", gl.Unstable)})
	}
	width := 0
	for _, r := range rows {
		width = max(width, len(r.label))
	}
	fmt.Fprintf(w, "%-*s  %-20s  %s\n", width, "", names["ours"], names["gitleaks"])
	for _, r := range rows {
		fmt.Fprintf(w, "%-*s  %-20s  %s\n", width, r.label, r.a, r.b)
	}
	fmt.Fprintf(w, "%-*s  %.2fx (gitleaks median wall / ours)\n", width, "speed ratio", wall(gl)/wall(ours))

	// the targets, judged on these figures
	verdict := func(ok bool) string {
		if ok {
			return "met"
		}
		return "NOT met"
	}
	peakMB := float64(rss(ours)) * 1024 / 1e6
	fmt.Fprintf(w, "\nTargets: 100%% recall: %s; no false positives on the clean half: %s; at least 2x gitleaks' speed: %s (%.2fx); peak memory under 200 MB: %s (%.0f MB)\n",
		verdict(recalled("ours") == len(planted)), verdict(len(fp["ours"]) == 0),
		verdict(wall(gl) >= 2*wall(ours)), wall(gl)/wall(ours), verdict(peakMB < 200), peakMB)

	fmt.Fprintf(w, "\nRecall by kind:\n  %-27s %7s  %-17s  %s\n", "kind", "planted", "jenkins-oidc-lint", "gitleaks")
	for _, k := range sortedKeys(kinds) {
		fmt.Fprintf(w, "  %-27s %7d  %-17d  %d\n", k, kinds[k], found["ours"][k], found["gitleaks"][k])
	}

	fmt.Fprintf(w, "\nClean-half findings by bait category (lines: bait lines of the category on the clean half):\n")
	baitLines := map[string]int{}
	for l, c := range baitAt {
		if half[l.File] == "clean" {
			baitLines[c]++
		}
	}
	byCat := map[string]map[string]int{"ours": {}, "gitleaks": {}}
	for _, t := range []string{"ours", "gitleaks"} {
		for _, h := range fp[t] {
			byCat[t][category(baitAt, h.loc)]++
		}
	}
	cats := map[string]bool{}
	for c := range baitLines {
		cats[c] = true
	}
	for _, t := range byCat {
		for c := range t {
			cats[c] = true
		}
	}
	fmt.Fprintf(w, "  %-27s %7s  %-17s  %s\n", "category", "lines", "jenkins-oidc-lint", "gitleaks")
	for _, c := range sortedKeys(cats) {
		fmt.Fprintf(w, "  %-27s %7d  %-17d  %d\n", c, baitLines[c], byCat["ours"][c], byCat["gitleaks"][c])
	}

	for _, t := range []string{"ours", "gitleaks"} {
		examples(w, o, names[t], missed[t], fp[t], extra[t], baitAt, baitCtx, func(p plantedSecret) (string, string) {
			return p.Kind, fmt.Sprintf("%s:%d  %s", p.File, p.Line, p.Context)
		})
	}
	return nil
}

// examples prints up to o.MaxExample misses per kind and false positives per
// (category, finding type) for one tool.
func examples[P any](w io.Writer, o scoreOptions, name string, missed []P, fp, extra []hit, baitAt, baitCtx map[loc]string, show func(P) (string, string)) {
	if len(missed) > 0 {
		fmt.Fprintf(w, "\n%s missed (up to %d per kind):\n", name, o.MaxExample)
		per := map[string]int{}
		total := map[string]int{}
		for _, m := range missed {
			k, _ := show(m)
			total[k]++
		}
		for _, m := range missed {
			k, s := show(m)
			if per[k]++; per[k] <= o.MaxExample {
				fmt.Fprintf(w, "  [%s, %d missed] %s\n", k, total[k], s)
			}
		}
	}
	for _, set := range []struct {
		title string
		hits  []hit
	}{{"false positives on the clean half", fp}, {"findings off the planted lines, planted half", extra}} {
		if len(set.hits) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s %s (up to %d per category and finding type):\n", name, set.title, o.MaxExample)
		per := map[string]int{}
		total := map[string]int{}
		for _, h := range set.hits {
			total[category(baitAt, h.loc)+" | "+h.What]++
		}
		for _, h := range set.hits {
			key := category(baitAt, h.loc) + " | " + h.What
			if per[key]++; per[key] <= o.MaxExample {
				ctx := baitCtx[h.loc]
				if ctx == "" {
					ctx = lineOf(filepath.Join(o.Tree, filepath.FromSlash(h.File)), h.Line)
				}
				fmt.Fprintf(w, "  [%s: %d] %s:%d  %s\n", key, total[key], h.File, h.Line, ctx)
			}
		}
	}
}

func minWall(t *toolResult) float64 {
	m := 0.0
	for i, x := range t.Times {
		if i == 0 || x.Wall < m {
			m = x.Wall
		}
	}
	return m
}

func category(baitAt map[loc]string, l loc) string {
	if c, ok := baitAt[l]; ok {
		return c
	}
	return "(not bait)"
}

// lineOf returns a shortened line of a file (the clean half holds no secret).
func lineOf(path string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return "?"
	}
	ls := strings.Split(string(data), "\n")
	if n < 1 || n > len(ls) {
		return "?"
	}
	return shorten(ls[n-1])
}

func hitKeys(hs []hit) []string {
	var out []string
	for _, h := range hs {
		out = append(out, fmt.Sprintf("%s:%d:%s:%s", h.File, h.Line, h.Rule, h.Severity))
	}
	sort.Strings(out)
	return out
}

func sortHits(hs []hit) {
	sort.Slice(hs, func(i, j int) bool {
		if hs[i].File != hs[j].File {
			return hs[i].File < hs[j].File
		}
		if hs[i].Line != hs[j].Line {
			return hs[i].Line < hs[j].Line
		}
		return hs[i].What < hs[j].What
	})
}

func countHalf(half map[string]string, h string) int {
	n := 0
	for _, v := range half {
		if v == h {
			n++
		}
	}
	return n
}

func countBait(baitAt map[loc]string, half map[string]string) int {
	n := 0
	for l := range baitAt {
		if half[l.File] == "clean" {
			n++
		}
	}
	return n
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
