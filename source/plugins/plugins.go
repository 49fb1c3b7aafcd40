// Package plugins reads the plugin versions a Jenkins controller runs: its
// plugins.txt, the plugin installation manager's plugins.yaml, Dockerfile
// jenkins-plugin-cli / install-plugins.sh lines, the Helm chart's
// installPlugins / additionalPlugins and the Jenkins image tag. Every pin
// keeps the place it was written, so rules can point at it.
//
// Assign ties the lists to controllers (a list belongs to the controller in
// its own directory; a Dockerfile ties the plugin files and JCasC it copies
// into its image). Two tables travel with the package as data: the JCasC
// keys whose acceptance depends on a plugin release (eras.json, read by
// ReadEras and Judge) and the Jenkins security advisories of the plugins the
// tool reads (advisories.json, read by Affecting).
package plugins

import (
	"strconv"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
)

// ListKind says what kind of file a plugin list was read from.
type ListKind int

// Plugin list kinds.
const (
	TxtList  ListKind = iota + 1 // plugins.txt (the plugin installation manager's text format)
	YAMLList                     // the plugin installation manager's plugins.yaml
	HelmList                     // a Helm values file's controller.installPlugins / additionalPlugins
)

// List is one parsed plugin list: its pins in the order written (a plugin
// named twice keeps both; the installation manager installs the last).
type List struct {
	Path string
	Kind ListKind
	Pins []Pin
	// Image is the controller image a Helm values file names (zero for other
	// lists).
	Image Image
}

// Image is a controller image reference (a Dockerfile's FROM, a Helm
// values file's controller.image): its repository and tag as resolved, and
// the Jenkins core version the tag carries ("" when it carries none:
// "lts", "latest", "jdk21"…).
type Image struct {
	Repository string
	Tag        string
	Core       string
	// Pos and End span the tag (or the whole reference when it has none).
	Pos, End report.Position
}

// Pin is one plugin as a plugin list names it.
type Pin struct {
	ID string
	// Version is the version as written: a release ("4.668.v2c5ff8ec1a_43"),
	// "latest", "experimental", "incrementals;…", or "" (latest).
	Version string
	// URL is the download URL of a pin that names one (plugins.txt third
	// field, plugins.yaml source.url).
	URL string
	// GroupID is the Maven group of an incrementals or plugins.yaml pin.
	GroupID string
	// Pos and End span the pin's version (or its ID when it has none).
	Pos, End report.Position
}

// Pinned reports whether the pin names a release (not latest,
// experimental, incrementals or a URL only).
func (p Pin) Pinned() bool { return IsRelease(p.Version) }

// Set is the plugins of one controller, merged from its plugin lists (see
// Assign for the order).
type Set struct {
	// Sources are the files the pins were read from, sorted.
	Sources []string
	// Pins maps a plugin ID to its pin: within one installation (a plugin
	// file, a Dockerfile's RUN lines) the last one the installation manager
	// installs; across independent sources the one they agree on.
	Pins map[string]Pin
	// Conflicts lists the plugins that independent sources pin to different
	// versions (sorted by ID); such a plugin has no pin in Pins: which one
	// the controller runs is not known, so no version is guessed.
	Conflicts []Conflict
	// Core is the Jenkins core version of the controller's image tag, "" when
	// unknown; CorePos is where it is written.
	Core    string
	CorePos report.Position
}

// Conflict is a plugin pinned to different versions by sources that both
// belong to one controller.
type Conflict struct {
	ID   string
	Pins []Pin // in source order
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
