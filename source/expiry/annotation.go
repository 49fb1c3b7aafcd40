package expiry

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// Annotation is a comment that declares a secret's dates beside it:
//
//	# jenkins-oidc-lint: expires=2027-03-01 rotated=2026-03-01 max-age=180d
//
// (// in Groovy). It belongs to the credential on its line or on the line
// below it (see Owner).
type Annotation struct {
	Line     int
	Pos, End report.Position // the comment
	// Alone is set when the comment is alone on its line (it then belongs
	// to what starts on the next line).
	Alone   bool
	Expires time.Time
	Rotated time.Time
	MaxAge  time.Duration
	// Err says what could not be read (the other fields hold what could).
	Err string
}

// annotationMarker starts an annotation inside a comment.
const annotationMarker = "jenkins-oidc-lint:"

// Annotations reads the annotations of a file, in line order. An ignore
// comment (jenkins-oidc-lint: ignore[…]) is not an annotation.
func Annotations(f *source.File) []Annotation {
	if !bytes.Contains(f.Data, []byte(annotationMarker)) {
		return nil
	}
	var out []Annotation
	for ln := 1; ln <= f.LineCount(); ln++ {
		line := string(f.Line(ln))
		i := strings.Index(line, annotationMarker)
		if i < 0 {
			continue
		}
		before := strings.TrimRight(line[:i], " \t")
		var start int
		switch {
		case strings.HasSuffix(before, "#"):
			start = len(before) - 1
		case strings.HasSuffix(before, "//"):
			start = len(before) - 2
		default:
			continue
		}
		if start > 0 && line[start-1] != ' ' && line[start-1] != '\t' {
			continue // not a comment: a#jenkins-oidc-lint: inside a value
		}
		body := strings.TrimSpace(line[i+len(annotationMarker):])
		if !strings.Contains(body, "=") || strings.HasPrefix(body, "ignore[") {
			continue
		}
		a := Annotation{Line: ln, Alone: strings.TrimSpace(line[:start]) == "", Pos: f.Pos(ln, len([]rune(line[:start]))+1), End: f.Pos(ln, len([]rune(strings.TrimRight(line, " \t")))+1)}
		var problems []string
		for _, w := range strings.Fields(body) {
			k, v, ok := strings.Cut(w, "=")
			if !ok {
				break // the rest is a reason in words
			}
			switch k {
			case "expires":
				t, err := ParseDate(v)
				if err != nil {
					problems = append(problems, "expires: "+err.Error())
				}
				a.Expires = t
			case "rotated":
				t, err := ParseDate(v)
				if err != nil {
					problems = append(problems, "rotated: "+err.Error())
				}
				a.Rotated = t
			case "max-age":
				d, err := ParseAge(v)
				if err != nil {
					problems = append(problems, "max-age: "+err.Error())
				}
				a.MaxAge = d
			default:
				problems = append(problems, fmt.Sprintf("unknown key %q (an annotation has expires=, rotated=, max-age=)", k))
			}
		}
		a.Err = strings.Join(problems, "; ")
		out = append(out, a)
	}
	return out
}

// Span is the lines a secret occupies in a file: its first line (the
// credential's kind key, or a realm field's key) and its last.
type Span struct{ First, Last int }

// Owner tells which of spans an annotation belongs to: a comment alone on
// its line belongs to the span that starts on the next line, else (and a
// comment after content always) to the innermost span the line lies in. -1
// when none.
func Owner(spans []Span, a Annotation) int {
	if a.Alone {
		for i, s := range spans {
			if s.First == a.Line+1 {
				return i
			}
		}
	}
	best := -1
	for i, s := range spans {
		if a.Line >= s.First && a.Line <= s.Last && (best < 0 || s.First > spans[best].First) {
			best = i
		}
	}
	return best
}
