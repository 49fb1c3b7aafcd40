package lint

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// baselineVersion is the version of the baseline file format.
const baselineVersion = "1"

// Baseline is the file written by --write-baseline: the findings accepted
// today, identified by rule, path and fingerprint (never by line, never with
// a secret).
type Baseline struct {
	Version  string          `json:"version"`
	Tool     string          `json:"tool"`
	Findings []BaselineEntry `json:"findings"`
}

// BaselineEntry is one accepted finding.
type BaselineEntry struct {
	Rule        string `json:"rule"`
	Path        string `json:"path"`
	Fingerprint string `json:"fingerprint"`
}

type baselineKey struct{ rule, path, fp string }

// WriteBaseline writes the findings of rep as a baseline.
func WriteBaseline(w io.Writer, rep *report.Report) error {
	b := Baseline{Version: baselineVersion, Tool: "jenkins-oidc-lint", Findings: []BaselineEntry{}}
	for _, f := range rep.Findings {
		b.Findings = append(b.Findings, BaselineEntry{Rule: f.Rule, Path: f.Pos.Path, Fingerprint: f.Fingerprint})
	}
	sort.Slice(b.Findings, func(i, j int) bool {
		x, y := b.Findings[i], b.Findings[j]
		if x.Path != y.Path {
			return x.Path < y.Path
		}
		if x.Rule != y.Rule {
			return x.Rule < y.Rule
		}
		return x.Fingerprint < y.Fingerprint
	})
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(b)
}

// LoadBaseline reads a baseline file.
func LoadBaseline(path string) (map[baselineKey]bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--baseline: %s: %s", path, source.DescribeOSError(err))
	}
	var b Baseline
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("--baseline: %s: not a baseline file: %v", path, err)
	}
	if b.Version != baselineVersion {
		return nil, fmt.Errorf("--baseline: %s: unsupported version %q (want %q)", path, b.Version, baselineVersion)
	}
	set := map[baselineKey]bool{}
	for _, e := range b.Findings {
		set[baselineKey{e.Rule, e.Path, e.Fingerprint}] = true
	}
	return set, nil
}

// filterBaseline drops findings recorded in the baseline.
func filterBaseline(fs []report.Finding, base map[baselineKey]bool) []report.Finding {
	if base == nil {
		return fs
	}
	kept := fs[:0]
	for _, f := range fs {
		if !base[baselineKey{f.Rule, f.Pos.Path, f.Fingerprint}] {
			kept = append(kept, f)
		}
	}
	return kept
}
