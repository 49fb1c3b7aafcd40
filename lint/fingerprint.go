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
	var spansPath string
	var spans []span // masks[spansPath], disjoint and sorted
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
			if f.Pos.Path != spansPath || spans == nil {
				spansPath, spans = f.Pos.Path, disjoint(masks[f.Pos.Path])
			}
			text = withoutSecrets(file.Data, start, end, spans)
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
// replaced by secretMarker; spans are disjoint and sorted (disjoint).
func withoutSecrets(data []byte, start, end int, spans []span) string {
	var b strings.Builder
	at := start
	for k := sort.Search(len(spans), func(k int) bool { return spans[k].end > start }); k < len(spans) && spans[k].start < end; k++ {
		if sp := spans[k]; sp.start > at {
			b.Write(data[at:sp.start])
		}
		b.WriteString(secretMarker)
		at = min(spans[k].end, end)
	}
	if at < end {
		b.Write(data[at:end])
	}
	return b.String()
}

// disjoint returns spans sorted by start, with overlapping spans
// merged, so a finding's secrets are found by binary search.
func disjoint(spans []span) []span {
	out := append(make([]span, 0, len(spans)), spans...)
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	merged := out[:0]
	for _, sp := range out {
		if n := len(merged); n > 0 && sp.start < merged[n-1].end {
			merged[n-1].end = max(merged[n-1].end, sp.end)
			continue
		}
		merged = append(merged, sp)
	}
	return merged
}
