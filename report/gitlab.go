package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strconv"
	"strings"
)

// The gitlab format writes a GitLab Code Quality report (artifacts:reports:
// codequality), a JSON array of issues:
//
//	[
//	  {
//	    "description": "clientId \"changeme\" is a placeholder",
//	    "check_name": "missing-client-id",
//	    "fingerprint": "4e5f60718293a4b5",
//	    "severity": "critical",
//	    "location": {"path": "casc/jenkins.yaml", "positions": {"begin": {"line": 7, "column": 17}}}
//	  }
//	]
//
// Severity: error → critical, warning → major, note → info, and a file that
// could not be read or parsed → blocker (nothing in it was checked). The
// fingerprint is the engine's, as in baselines and SARIF; an issue without
// one (a file error) gets a hash of rule, path and message. Fingerprints are
// made unique within the report, since GitLab shows one issue per
// fingerprint. A whole-file issue is located at {"lines": {"begin": 1}}.
// Paths are relative to the repository: "./" is dropped, and an absolute
// path under Report.Root is made relative to it. Paths, check names and
// descriptions are escaped by EscapeControl and EscapeMessage, as in every
// format. An empty report is [].

type gitlabIssue struct {
	Description string         `json:"description"`
	CheckName   string         `json:"check_name"`
	Fingerprint string         `json:"fingerprint"`
	Severity    string         `json:"severity"`
	Location    gitlabLocation `json:"location"`
}

type gitlabLocation struct {
	Path      string           `json:"path"`
	Lines     *gitlabLines     `json:"lines,omitempty"`
	Positions *gitlabPositions `json:"positions,omitempty"`
}

type gitlabLines struct {
	Begin int `json:"begin"`
}

type gitlabPositions struct {
	Begin gitlabPosition `json:"begin"`
}

type gitlabPosition struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

func writeGitLab(b *bytes.Buffer, r *Report, _ Options) error {
	issues := []gitlabIssue{}
	seen := map[string]int{}
	for _, p := range problems(r) {
		fp := p.Fingerprint
		if fp == "" {
			h := sha256.Sum256([]byte(p.Rule + "\x00" + p.Pos.Path + "\x00" + p.Message))
			fp = hex.EncodeToString(h[:8])
		}
		seen[fp]++
		if n := seen[fp]; n > 1 {
			fp += "#" + strconv.Itoa(n)
		}
		loc := gitlabLocation{Path: EscapeControl(repoPath(p.Pos.Path, r.Root))}
		if start := linePos(p.Pos); start.IsValid() {
			loc.Positions = &gitlabPositions{Begin: gitlabPosition{Line: start.Line, Column: start.Col}}
		} else {
			loc.Lines = &gitlabLines{Begin: 1}
		}
		issues = append(issues, gitlabIssue{
			Description: EscapeMessage(p.Message),
			CheckName:   EscapeControl(p.Rule),
			Fingerprint: EscapeControl(fp),
			Severity:    gitlabSeverity(p),
			Location:    loc,
		})
	}
	if err := encodeJSON(b, issues); err != nil {
		return fmt.Errorf("encoding: %w", err)
	}
	return nil
}

func gitlabSeverity(p problem) string {
	switch {
	case p.ParseError:
		return "blocker"
	case p.Severity == Error:
		return "critical"
	case p.Severity == Warning:
		return "major"
	}
	return "info"
}

// repoPath makes a path relative to the repository: slash-separated,
// without "./", relative to root when it is an absolute path under it.
func repoPath(p, root string) string {
	p = strings.ReplaceAll(p, `\`, "/")
	if root != "" && (strings.HasPrefix(p, "/") || isDrive(p)) {
		root = strings.TrimSuffix(path.Clean(strings.ReplaceAll(root, `\`, "/")), "/") + "/"
		if rel, ok := strings.CutPrefix(path.Clean(p), root); ok {
			return rel
		}
		return p
	}
	if p == "" {
		return p
	}
	return path.Clean(p)
}
