package rules

import (
	"regexp"
	"strings"
	"sync"
)

var placeholderRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)^(` +
		`change[-_ ]?me|changeit|todo|tbd|fixme|xxx+|x+|\*+|\.\.\.+|replace[-_ ]?me|` +
		`<[^<>]*>|\{\{[^{}]*\}\}|__[a-z0-9_]+__|` +
		`(your|my)[-_ ]?client[-_ ]?id|client[-_ ]?id[-_ ]?here|example|dummy|placeholder|none|null|undefined` +
		`)$`)
})

// IsPlaceholder reports whether v is an obvious stand-in rather than a real
// value: changeme, <client-id>, TODO, xxx, {{ var }}… Extra placeholders come
// from the configuration (compared case-insensitively).
func IsPlaceholder(v string, extra []string) bool {
	v = strings.TrimSpace(v)
	if placeholderRE().MatchString(v) {
		return true
	}
	for _, e := range extra {
		if strings.EqualFold(v, e) {
			return true
		}
	}
	return false
}
