package lint

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// fingerprint gives each finding an ID that survives lines moving: a hash of
// the rule, the file and the offending text with its whitespace folded (the
// whole line when the span is empty). The text is hashed, so a fingerprint
// never contains a secret. Identical offending text in one file is told apart
// by its occurrence number.
//
// fileOf returns a finding's file with its text (nil: none); findings come
// sorted, so each file is asked for in one run of calls.
func fingerprint(fs []report.Finding, fileOf func(path string) *source.File) {
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
				text = string(file.Line(f.Pos.Line))
			} else {
				text = string(file.Data[start:end])
			}
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
