package rules

import (
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jenkinsfile"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/shell"
)

// The Jenkinsfile rules read shell steps through the model of package
// source/shell: each step's script is lexed once per run (the pipeline's
// shell.Cache, kept with its facts while its checks run) and every rule
// that needs it gets the same *shell.Script. What the rules know of
// commands is in the tables of shell_tables.go.

// scriptOf returns the lexed script of a shell step (nil when it has
// none), from the running pipeline's cache.
func scriptOf(p *Pass, pf *jenkinsfile.File, st *jenkinsfile.Step) *shell.Script {
	if p != nil && p.pipeline != nil && p.pipeline.scripts != nil {
		return p.pipeline.scripts.Step(pf, st)
	}
	return shell.ParseStep(pf, st)
}

// scriptFinding builds a finding for the script-text span [s, e).
func scriptFinding(sc *shell.Script, s, e int, msg string) report.Finding {
	pos, end := sc.Span(s, e)
	return report.Finding{Pos: pos, End: end, Message: msg}
}

// seenAt deduplicates findings by file offset: one script literal can be run
// by several steps (sh cmd twice).
type seenAt map[string]map[int]bool

func (s seenAt) first(path string, off int) bool {
	m := s[path]
	if m == nil {
		m = map[int]bool{}
		s[path] = m
	}
	if m[off] {
		return false
	}
	m[off] = true
	return true
}

// containsFold reports whether s contains the lower-case ASCII word w,
// ignoring case.
func containsFold(s, w string) bool {
	n := len(w)
	for i := 0; i+n <= len(s); i++ {
		if s[i]|0x20 != w[0] {
			continue
		}
		k := 1
		for k < n && (s[i+k]|0x20 == w[k] || s[i+k] == w[k]) {
			k++
		}
		if k == n {
			return true
		}
	}
	return false
}
