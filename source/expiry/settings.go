package expiry

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/suggest"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// settingsKeys are the keys of one `secrets:` entry.
var settingsKeys = []string{"id", "expires", "rotated", "max-age"}

// ParseSettings reads the value of the settings file's `secrets:` key (n, in
// file f): a list of entries
//
//	secrets:
//	  - id: github-token        # a credential ID, oic.clientSecret or oic.escapeHatchSecret
//	    expires: 2027-03-01     # when it stops working
//	    rotated: 2026-03-01     # when it was last replaced
//	    max-age: 180d           # how long it may live between rotations (d, w, y, h)
//
// Every mistake is an error at its line and column: an entry that is not a
// mapping, an unknown key (with the closest known one), a missing or empty
// id, an id given twice, a date or an age that does not parse, a rotation
// after the expiry. A null value (`secrets:` alone) is an empty list.
func ParseSettings(f *source.File, n *yaml.Node) ([]Declared, []report.FileError) {
	n = tree.Resolve(n)
	if tree.IsNull(n) {
		return nil, nil
	}
	var out []Declared
	var errs []report.FileError
	fail := func(at *yaml.Node, format string, a ...any) {
		errs = append(errs, report.FileError{Pos: tree.Pos(f, at), Message: "secrets: " + fmt.Sprintf(format, a...)})
	}
	if n.Kind != yaml.SequenceNode {
		fail(n, "want a list of entries (- id: …, expires: …, rotated: …, max-age: …)")
		return nil, errs
	}
	seen := map[string]*yaml.Node{}
	for _, it := range tree.Items(n) {
		if it == nil || it.Kind != yaml.MappingNode {
			fail(it, "each entry is a mapping with id and at least one of expires, rotated, max-age")
			continue
		}
		d := Declared{Pos: tree.Pos(f, it)}
		ok := true
		var expiresAt, rotatedAt *yaml.Node
		for _, p := range tree.Pairs(it) {
			key := p.Key.Value
			v := p.Value
			if v == nil || v.Kind != yaml.ScalarNode || v.Tag == "!!null" || strings.TrimSpace(v.Value) == "" {
				if containsString(settingsKeys, key) {
					fail(p.Key, "%s: want a value", key)
					ok = false
					continue
				}
			}
			switch key {
			case "id":
				d.ID = strings.TrimSpace(v.Value)
				if prev, dup := seen[d.ID]; dup {
					fail(v, "id %q is declared twice (first at line %d)", d.ID, prev.Line)
					ok = false
				}
				seen[d.ID] = v
			case "expires":
				t, err := ParseDate(v.Value)
				if err != nil {
					fail(v, "expires: %v", err)
					ok = false
				}
				d.Expires, expiresAt = t, v
			case "rotated":
				t, err := ParseDate(v.Value)
				if err != nil {
					fail(v, "rotated: %v", err)
					ok = false
				}
				d.Rotated, rotatedAt = t, v
			case "max-age":
				a, err := ParseAge(v.Value)
				if err != nil {
					fail(v, "max-age: %v", err)
					ok = false
				}
				d.MaxAge = a
			default:
				hint := ""
				if s := suggest.Closest(key, settingsKeys); s != "" {
					hint = fmt.Sprintf(" (did you mean %q?)", s)
				}
				fail(p.Key, "unknown key %q%s: an entry has %s", key, hint, strings.Join(settingsKeys, ", "))
				ok = false
			}
		}
		if k, _ := tree.Get(it, "id"); k == nil {
			fail(it, "entry without id: name the credential ID (or %s, %s)", RealmClientSecret, RealmEscapeHatchSecret)
			ok = false
		}
		if ok && d.Expires.IsZero() && d.Rotated.IsZero() && d.MaxAge == 0 {
			fail(it, "entry %q declares nothing: give expires, rotated or max-age", d.ID)
			ok = false
		}
		if ok && expiresAt != nil && rotatedAt != nil && d.Rotated.After(d.Expires) {
			fail(rotatedAt, "%q was rotated (%s) after it expires (%s)", d.ID, FormatDate(d.Rotated), FormatDate(d.Expires))
			ok = false
		}
		if ok {
			out = append(out, d)
		}
	}
	return out, errs
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
