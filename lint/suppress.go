package lint

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/rules"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// suppressRE matches an inline ignore comment:
//
//	# jenkins-oidc-lint: ignore[rule-id,other-id] reason     (YAML)
//	// jenkins-oidc-lint: ignore[rule-id] reason             (Groovy)
var suppressRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?:^|[\s;{}(),])(#|//)\s*jenkins-oidc-lint:\s*ignore\[([^\]]*)\]\s*(.*)$`)
})

// suppression is one inline ignore comment.
type suppression struct {
	pos    report.Position // the comment
	end    report.Position
	target int // the line it silences
	rules  []string
	used   map[string]bool
}

// findSuppressions reads the ignore comments of a file. A comment that shares
// its line with content silences that line; a comment alone on its line
// silences the next line that is not a comment.
func findSuppressions(f *source.File) []*suppression {
	if !bytes.Contains(f.Data, []byte("jenkins-oidc-lint:")) {
		return nil
	}
	var out []*suppression
	for ln := 1; ln <= f.LineCount(); ln++ {
		line := string(f.Line(ln))
		m := suppressRE().FindStringSubmatchIndex(line)
		if m == nil {
			continue
		}
		marker := line[m[2]:m[3]]
		if marker == "#" && f.Kind == source.Jenkinsfile || marker == "//" && f.Kind != source.Jenkinsfile {
			continue
		}
		s := &suppression{used: map[string]bool{}}
		start := m[2]
		s.pos = f.Pos(ln, len([]rune(line[:start]))+1)
		s.end = f.Pos(ln, len([]rune(strings.TrimRight(line, " \t")))+1)
		for _, id := range strings.Split(line[m[4]:m[5]], ",") {
			if id = strings.TrimSpace(id); id != "" {
				s.rules = append(s.rules, id)
			}
		}
		s.target = ln
		if strings.TrimSpace(line[:start]) == "" {
			s.target = ln + 1
			for s.target <= f.LineCount() {
				t := strings.TrimSpace(string(f.Line(s.target)))
				if t != "" && !strings.HasPrefix(t, marker) {
					break
				}
				s.target++
			}
		}
		out = append(out, s)
	}
	return out
}

// applySuppressions drops the findings an ignore comment silences and adds an
// unused-suppression note for each listed rule that silenced nothing (and an
// error for unknown rule IDs).
func applySuppressions(findings []report.Finding, files map[string]*source.File, enabled, known func(string) bool) []report.Finding {
	byFile := map[string][]*suppression{}
	for p, f := range files {
		if s := findSuppressions(f); len(s) > 0 {
			byFile[p] = s
		}
	}
	if len(byFile) == 0 {
		return findings
	}
	kept := findings[:0]
	for _, fd := range findings {
		silenced := false
		for _, s := range byFile[fd.Pos.Path] {
			if s.target != fd.Pos.Line {
				continue
			}
			for _, id := range s.rules {
				if id == fd.Rule {
					s.used[id] = true
					silenced = true
				}
			}
		}
		if !silenced {
			kept = append(kept, fd)
		}
	}
	for _, list := range byFile {
		for _, s := range list {
			for _, id := range s.rules {
				switch {
				case s.used[id]:
				case !known(id):
					kept = append(kept, report.Finding{Rule: rules.UnusedSuppression.ID, Severity: report.Warning, Pos: s.pos, End: s.end,
						Message: fmt.Sprintf("ignore comment names unknown rule %q%s", id, DidYouMean(id))})
				case !enabled(id):
					// the rule did not run, so the comment cannot be judged
				default:
					kept = append(kept, report.Finding{Rule: rules.UnusedSuppression.ID, Severity: report.Note, Pos: s.pos, End: s.end,
						Message: fmt.Sprintf("ignore comment for %s matches no finding on line %d: remove it", id, s.target)})
				}
			}
		}
	}
	return kept
}
