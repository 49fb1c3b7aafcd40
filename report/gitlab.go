package report

import (
	"crypto/sha256"
	"encoding/hex"
	"hash/maphash"
	"path"
	"slices"
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

func writeGitLab(s *stream, r *Report, _ Options) error {
	repeated := repeatedFingerprints(r)
	var seen map[string]int // the repeated fingerprints, counted
	e := newJSONEncoder(s)
	k := 0
	err := e.array(numProblems(r), func() error {
		p := problemAt(r, k)
		k++
		fp := gitlabFingerprint(p)
		if repeated != nil && repeated[maphash.String(fingerprintSeed, fp)] {
			if seen == nil {
				seen = map[string]int{}
			}
			seen[fp]++
			if n := seen[fp]; n > 1 {
				fp += "#" + strconv.Itoa(n)
			}
		}
		loc := gitlabLocation{Path: EscapeControl(repoPath(p.Pos.Path, r.Root))}
		var pos gitlabPositions
		if start := linePos(p.Pos); start.IsValid() {
			pos.Begin = gitlabPosition{Line: start.Line, Column: start.Col}
			loc.Positions = &pos
		} else {
			loc.Lines = &gitlabLines{Begin: 1}
		}
		return e.value(&gitlabIssue{
			Description: EscapeMessage(p.Message),
			CheckName:   EscapeControl(p.Rule),
			Fingerprint: EscapeControl(fp),
			Severity:    gitlabSeverity(p),
			Location:    loc,
		})
	})
	if err != nil {
		return err
	}
	s.WriteString("\n")
	return nil
}

// gitlabFingerprint is the engine's fingerprint of a problem or, for a file
// error, a hash of its rule, path and message.
func gitlabFingerprint(p problem) string {
	if p.Fingerprint != "" {
		return p.Fingerprint
	}
	h := sha256.Sum256([]byte(p.Rule + "\x00" + p.Pos.Path + "\x00" + p.Message))
	return hex.EncodeToString(h[:8])
}

// fingerprintSeed hashes fingerprints for repeatedFingerprints.
var fingerprintSeed = maphash.MakeSeed()

// repeatedFingerprints returns the hashes (fingerprintSeed) of the
// fingerprints that more than one problem has, or nil when there are none,
// as in a sound report: only those need counting by name to be made
// unique. It sorts one 8-byte hash a problem rather than keeping every
// fingerprint in a map.
func repeatedFingerprints(r *Report) map[uint64]bool {
	if numProblems(r) < 2 {
		return nil
	}
	hs := make([]uint64, 0, numProblems(r))
	for p := range allProblems(r) {
		hs = append(hs, maphash.String(fingerprintSeed, gitlabFingerprint(p)))
	}
	slices.Sort(hs)
	var repeated map[uint64]bool
	for i := 1; i < len(hs); i++ {
		if hs[i] == hs[i-1] {
			if repeated == nil {
				repeated = map[uint64]bool{}
			}
			repeated[hs[i]] = true
		}
	}
	return repeated
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
