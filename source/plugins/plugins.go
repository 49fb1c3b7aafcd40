// Package plugins reads the plugin versions a Jenkins controller runs: its
// plugins.txt, the plugin installation manager's plugins.yaml, Dockerfile
// jenkins-plugin-cli / install-plugins.sh lines, the Helm chart's
// installPlugins / additionalPlugins and the Jenkins image tag. Every pin
// keeps the place it was written, so rules can point at it.
package plugins

import (
	"strconv"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
)

// Pin is one plugin as a plugin list names it.
type Pin struct {
	ID string
	// Version is the version as written: a release ("4.668.v2c5ff8ec1a_43"),
	// "latest", "experimental", "incrementals;…", or "" (latest).
	Version string
	// URL is the download URL of a pin that names one (plugins.txt third
	// field, plugins.yaml source.url).
	URL string
	// Pos and End span the pin's version (or its ID when it has none).
	Pos, End report.Position
}

// Pinned reports whether the pin names a release (not latest,
// experimental, incrementals or a URL only).
func (p Pin) Pinned() bool { return IsRelease(p.Version) }

// Set is the plugins of one controller, merged from its plugin lists.
type Set struct {
	// Sources are the files the pins were read from, sorted.
	Sources []string
	// Pins maps a plugin ID to its pin (the first one read, in path order).
	Pins map[string]Pin
	// Core is the Jenkins core version of the controller's image tag, "" when
	// unknown; CorePos is where it is written.
	Core    string
	CorePos report.Position
}

// Version returns the pinned release of plugin id, or ok false when the
// controller does not pin one (not listed, latest, experimental…).
func (s *Set) Version(id string) (Pin, bool) {
	if s == nil {
		return Pin{}, false
	}
	p, ok := s.Pins[id]
	if !ok || !p.Pinned() {
		return Pin{}, false
	}
	return p, true
}

// IsRelease reports whether v is a release version: it starts with a digit.
func IsRelease(v string) bool {
	return v != "" && v[0] >= '0' && v[0] <= '9'
}

// Compare orders two Jenkins plugin versions as the update center does for
// the forms plugins use: dotted numbers ("2.3.1"), and the build number plus
// commit of JEP-229 releases ("4.668.v2c5ff8ec1a_43", "96.vee8ed882ec4d").
// Numeric parts compare as numbers; a version that is a prefix of another is
// older ("2.3" < "2.3.1"); a commit part only breaks ties, lexically, so the
// order is total and deterministic. It returns -1, 0 or +1.
func Compare(a, b string) int {
	pa, pb := parts(a), parts(b)
	for i := 0; i < len(pa) && i < len(pb); i++ {
		x, y := pa[i], pb[i]
		switch {
		case x.num && y.num:
			if x.n != y.n {
				return cmpInt(x.n, y.n)
			}
		case x.num != y.num:
			// a number outranks a qualifier at the same place: 1.0.1 > 1.0-beta
			if x.num {
				return 1
			}
			return -1
		default:
			if c := strings.Compare(x.s, y.s); c != 0 {
				return c
			}
		}
	}
	return cmpInt(uint64(len(pa)), uint64(len(pb)))
}

type part struct {
	num bool
	n   uint64
	s   string
}

func parts(v string) []part {
	var out []part
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == '.' || r == '-' || r == '_' }) {
		if n, err := strconv.ParseUint(f, 10, 64); err == nil {
			out = append(out, part{num: true, n: n})
		} else {
			out = append(out, part{s: f})
		}
	}
	return out
}

func cmpInt(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
