package lint

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// fingerprint gives each finding an ID that survives lines moving: a hash of
// the rule, the file and the offending text with its whitespace folded (the
// whole line when the span is empty). The text is hashed, so a fingerprint
// never contains a secret. Identical offending text in one file is told apart
// by its occurrence number. Secret bytes (masks) never enter the hash: they
// are replaced by a marker, so a fingerprint cannot be used to guess a weak
// password by hashing candidates.
//
// fileOf returns a finding's file with its text (nil: none); findings come
// sorted, so each file is asked for in one run of calls.
func fingerprint(fs []report.Finding, fileOf func(path string) *source.File, masks map[string][]span) {
	seen := map[string]int{}
	for i := range fs {
		f := &fs[i]
		text := f.Message
		var file *source.File
		if f.Pos.Line > 0 {
			file = fileOf(f.Pos.Path)
		}
		if file != nil {
			start := file.Offset(f.Pos.Line, f.Pos.Col)
			end := start
			if f.End.Line > 0 {
				end = file.Offset(f.End.Line, f.End.Col)
			}
			if end <= start {
				line := file.Line(f.Pos.Line)
				start = file.Offset(f.Pos.Line, 1)
				end = start + len(line)
			}
			text = withoutSecrets(file.Data, start, end, masks[f.Pos.Path])
		}
		h := sha256.Sum256([]byte(f.Rule + "\x00" + f.Pos.Path + "\x00" + strings.Join(strings.Fields(text), " ")))
		base := hex.EncodeToString(h[:8])
		seen[base]++
		if n := seen[base]; n > 1 {
			base = fmt.Sprintf("%s:%d", base, n)
		}
		f.Fingerprint = base
	}
}

// secretMarker stands for a secret's bytes in fingerprinted text.
const secretMarker = "\x00secret\x00"

// withoutSecrets is data[start:end] with every byte range of spans in it
// replaced by secretMarker.
func withoutSecrets(data []byte, start, end int, spans []span) string {
	var b strings.Builder
	at := start
	for _, sp := range sortedSpans(spans) {
		if sp.end <= at || sp.start >= end {
			continue
		}
		if sp.start > at {
			b.Write(data[at:sp.start])
		}
		b.WriteString(secretMarker)
		at = min(sp.end, end)
	}
	if at < end {
		b.Write(data[at:end])
	}
	return b.String()
}

// sortedSpans returns spans ordered by start (a copy when out of order).
func sortedSpans(spans []span) []span {
	if sort.SliceIsSorted(spans, func(i, j int) bool { return spans[i].start < spans[j].start }) {
		return spans
	}
	out := append([]span(nil), spans...)
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}
