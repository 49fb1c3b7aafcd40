package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// largeReport is a run with nFindings findings (and a file error every 400,
// a note every 10,000) over nPaths files, sorted as the engine sorts them,
// whose texts come from Source through one reused buffer, as the engine
// hands them: the report holds no file's text.
func largeReport(nFindings, nPaths int) *Report {
	rules := []string{"committed-secret", "insecure-url", "issuer-mismatch", "jcasc-schema", "missing-client-id", "pkce-disabled", "scope-not-supported", "tls-verification-disabled"}
	messages := []string{
		`issuer "http://login.example.com/oauth2/default/" differs from the provider's "https://login.example.com/oauth2/default"`,
		"the provider supports PKCE (S256) but the realm does not enable it; set pkceEnabled: true",
		"curl -k turns off TLS certificate verification\nuse a CA bundle instead",
		`clientId "changeme" is a placeholder`,
	}
	r := &Report{Tool: "jenkins-oidc-lint", Version: "1.2.3", InfoURI: "https://github.com/jenkins-oidc-lint/jenkins-oidc-lint",
		Root: "/home/ci/work/repo", Files: make(map[string][]byte, nPaths)}
	for _, id := range rules {
		r.Rules = append(r.Rules, RuleMeta{ID: id, Severity: Error, Summary: id, Description: id + " explained", Help: "# " + id, Tags: []string{"security"}})
	}
	paths := make([]string, nPaths)
	for i := range paths {
		paths[i] = fmt.Sprintf("team%03d/app%03d/casc/jenkins-%d.yaml", i/1000, i/10%100, i)
		r.Files[paths[i]] = nil
	}
	r.Findings = make([]Finding, 0, nFindings)
	for i := range nFindings {
		k := i * nPaths / nFindings
		line := 1 + i%40
		f := Finding{
			Rule: rules[i%len(rules)], Severity: Severity(1 + i%3),
			Pos: pos(paths[k], line, 7), End: pos(paths[k], line, 15),
			Message: messages[i%len(messages)], Fingerprint: fmt.Sprintf("%016x", uint64(i)*0x9e3779b97f4a7c15),
		}
		if i%5 == 0 {
			f.Related = []Related{{Pos: pos(paths[(k+1)%nPaths], 2, 13), Message: "the provider's issuer"}}
		}
		if i%7 == 0 {
			f.Fix = &Fix{Path: paths[k], Offset: 100, Length: 8, Replacement: `"https://login.example.com"`, Description: "use https"}
		}
		r.Findings = append(r.Findings, f)
	}
	Sort(r.Findings)
	for i := 0; i < nFindings/400; i++ {
		r.Errors = append(r.Errors, FileError{Pos: pos(fmt.Sprintf("broken/%06d.yaml", i), 3, 5), Message: "invalid YAML: mapping values are not allowed in this context"})
	}
	for i := 0; i < nFindings/10000; i++ {
		r.Notes = append(r.Notes, FileError{Pos: Position{Path: fmt.Sprintf("chart%d/templates/casc.yaml", i)}, Message: "skipped: it holds template expressions"})
	}
	var buf []byte
	r.Source = func(path string) []byte {
		buf = buf[:0]
		for l := 1; l <= 40; l++ {
			buf = append(buf, "      key"...)
			buf = strconv.AppendInt(buf, int64(l), 10)
			buf = append(buf, ": \"value of "...)
			buf = append(buf, path...)
			buf = append(buf, "\"\n"...)
		}
		return buf
	}
	return r
}

// meter counts what a format writes: bytes, writes, the largest write, and
// the live heap (after a collection) at every sampleEvery bytes.
type meter struct {
	bytes, writes, largest int
	sampleEvery, next      int
	peak                   uint64
}

func (m *meter) Write(p []byte) (int, error) {
	m.bytes += len(p)
	m.writes++
	m.largest = max(m.largest, len(p))
	if m.sampleEvery > 0 && m.bytes >= m.next {
		m.next = m.bytes + m.sampleEvery
		m.peak = max(m.peak, liveHeap())
	}
	return len(p), nil
}

func liveHeap() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// TestStreamBounded renders a report of 150,000 findings over 40,000 files
// (a tenth under -short) in every format: the writer never gets more than
// 1 MiB at once, the live heap while rendering stays within a few MiB of
// the report's own (the document is tens of MB), and rendering allocates a
// bounded amount per finding.
func TestStreamBounded(t *testing.T) {
	nFindings, nPaths := 150_000, 40_000
	if testing.Short() {
		nFindings, nPaths = 15_000, 4_000
	}
	r := largeReport(nFindings, nPaths)
	for _, format := range Formats() {
		w := &meter{sampleEvery: 24 << 20}
		var o Options
		if format == "github" {
			o.StepSummary = w // the github format's bulk
		}
		base := liveHeap()
		var ms0, ms1 runtime.MemStats
		runtime.ReadMemStats(&ms0)
		start := time.Now()
		if err := Write(w, format, r, o); err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		runtime.ReadMemStats(&ms1)
		alloc := ms1.TotalAlloc - ms0.TotalAlloc
		peak := max(w.peak, liveHeap()) - min(base, w.peak)
		t.Logf("%-10s %6.1f MB in %5d writes (largest %d B), %4d B allocated per finding, live heap +%.1f MB, %v",
			format, float64(w.bytes)/1e6, w.writes, w.largest, alloc/uint64(nFindings), float64(peak)/1e6, took.Round(time.Millisecond))
		if w.largest > 1<<20 {
			t.Errorf("%s: a write of %d bytes", format, w.largest)
		}
		if per := alloc / uint64(nFindings); per > 2<<10 { // before streaming: 1.5 to 9.4 KiB
			t.Errorf("%s: %d bytes allocated per finding", format, per)
		}
		if peak > 8<<20 {
			t.Errorf("%s: the live heap grew by %d bytes while rendering a %d-byte document", format, peak, w.bytes)
		}
	}
}

// BenchmarkWriteLarge renders a report of 150,000 findings over 40,000
// files in each format to io.Discard; B/finding is what one finding costs
// in allocations.
func BenchmarkWriteLarge(b *testing.B) {
	const nFindings, nPaths = 150_000, 40_000
	r := largeReport(nFindings, nPaths)
	for _, format := range Formats() {
		b.Run(format, func(b *testing.B) {
			o := Options{}
			if format == "github" {
				o.StepSummary = io.Discard
			}
			b.ReportAllocs()
			var ms0, ms1 runtime.MemStats
			runtime.ReadMemStats(&ms0)
			for b.Loop() {
				if err := Write(io.Discard, format, r, o); err != nil {
					b.Fatal(err)
				}
			}
			runtime.ReadMemStats(&ms1)
			b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/float64(b.N)/nFindings, "B/finding")
		})
	}
}

// TestStreamChunks: the document reaches the writer in pieces of at least
// streamChunk bytes but the last, each the end of an element, and the same
// bytes as a single buffer gets.
func TestStreamChunks(t *testing.T) {
	r := largeReport(3000, 700)
	for _, format := range Formats() {
		var whole bytes.Buffer
		var parts [][]byte
		if err := Write(&whole, format, r, Options{}); err != nil {
			t.Fatal(err)
		}
		if err := Write(writerFunc(func(p []byte) (int, error) {
			parts = append(parts, bytes.Clone(p))
			return len(p), nil
		}), format, r, Options{}); err != nil {
			t.Fatal(err)
		}
		if got := bytes.Join(parts, nil); !bytes.Equal(got, whole.Bytes()) {
			t.Fatalf("%s: streamed output differs", format)
		}
		for i, p := range parts[:len(parts)-1] {
			if len(p) < streamChunk {
				t.Errorf("%s: write %d of %d has %d bytes", format, i, len(parts), len(p))
			}
		}
		if format != "github" && len(parts) < 2 {
			t.Errorf("%s: %d bytes in %d writes", format, whole.Len(), len(parts))
		}
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestStreamWriteErrorStops: a writer that fails stops the format at the
// next element: it is not written to again, the error is returned, and
// what it took is the start of the document.
func TestStreamWriteErrorStops(t *testing.T) {
	r := largeReport(3000, 700)
	for _, format := range Formats() {
		var whole bytes.Buffer
		if err := Write(&whole, format, r, Options{StepSummary: io.Discard}); err != nil {
			t.Fatal(err)
		}
		if whole.Len() < 2*streamChunk {
			continue // github: the bulk goes to the step summary
		}
		var got []byte
		calls := 0
		err := Write(writerFunc(func(p []byte) (int, error) {
			calls++
			if calls == 2 {
				return 10, errBroken
			}
			got = append(got, p...)
			return len(p), nil
		}), format, r, Options{})
		if !errors.Is(err, errBroken) || !strings.Contains(err.Error(), "writing the report") {
			t.Errorf("%s: error %v", format, err)
		}
		if calls != 2 {
			t.Errorf("%s: written to %d times, want 2 (nothing after the failure)", format, calls)
		}
		if !bytes.HasPrefix(whole.Bytes(), got) || len(got) < streamChunk {
			t.Errorf("%s: wrote %d bytes that do not start the document", format, len(got))
		}
	}
	// The step summary failing leaves the annotations unwritten.
	var b bytes.Buffer
	err := Write(&b, "github", r, Options{StepSummary: writerFunc(func(p []byte) (int, error) { return 0, errBroken })})
	if !errors.Is(err, errBroken) || b.Len() != 0 {
		t.Errorf("github with a failing step summary: %v, %d bytes written", err, b.Len())
	}
}

// TestStreamedJSONIsOneDocument: json, sarif and gitlab, written piece by
// piece, are byte for byte what encoding the whole document at once writes
// (json.Encoder without HTML escaping, indented by two spaces, then
// escapeJSONOutput), as they were written before they streamed: each is
// decoded into its document type and encoded again whole.
func TestStreamedJSONIsOneDocument(t *testing.T) {
	noRoot := fixture()
	noRoot.Root = ""
	noErrors := fixture()
	noErrors.Errors, noErrors.Notes = nil, nil
	onlyErrors := empty()
	onlyErrors.Errors = fixture().Errors
	reports := map[string]*Report{"fixture": fixture(), "empty": empty(), "nil": nil, "no root": noRoot,
		"no errors": noErrors, "only errors": onlyErrors, "large": largeReport(2000, 500), "bidi": bigLine()}
	docs := map[string]func() any{
		"json":   func() any { return new(jsonReport) },
		"sarif":  func() any { return new(sarifLog) },
		"gitlab": func() any { return new([]gitlabIssue) },
	}
	for name, r := range reports {
		for format, doc := range docs {
			got := out(t, format, r, Options{})
			v := doc()
			if err := json.Unmarshal(got, v); err != nil {
				t.Fatalf("%s %s: %v", format, name, err)
			}
			var whole bytes.Buffer
			enc := json.NewEncoder(&whole)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(v); err != nil {
				t.Fatal(err)
			}
			if want := escapeJSONOutput(whole.Bytes()); !bytes.Equal(got, want) {
				t.Errorf("%s %s: the streamed document differs from the whole one:\n%s\n--- whole ---\n%s", format, name, got, want)
			}
		}
	}
}
