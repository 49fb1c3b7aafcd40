package rules

import "strings"

// placeholderWords are stand-ins matched as a whole, case-insensitively.
var placeholderWords = []string{"changeit", "todo", "tbd", "fixme", "example", "dummy", "placeholder", "none", "null", "undefined"}

// placeholderPhrases are stand-ins of words that may be joined by one '-',
// '_' or ' ' (change-me, your_client_id, client id here), matched as a
// whole, case-insensitively.
var placeholderPhrases = [][]string{
	{"change", "me"}, {"replace", "me"},
	{"your", "client", "id"}, {"my", "client", "id"}, {"client", "id", "here"},
}

// IsPlaceholder reports whether v is an obvious stand-in rather than a real
// value: changeme, <client-id>, TODO, xxx, {{ var }}… Extra placeholders come
// from the configuration (compared case-insensitively). It is written out
// rather than one regular expression, which took longer to compile than a
// one-file run takes to check its file (TestIsPlaceholderIsTheRegexp keeps
// the two equal).
func IsPlaceholder(v string, extra []string) bool {
	v = strings.TrimSpace(v)
	if isPlaceholder(v) {
		return true
	}
	for _, e := range extra {
		if strings.EqualFold(v, e) {
			return true
		}
	}
	return false
}

func isPlaceholder(v string) bool {
	if v == "" {
		return false
	}
	for _, w := range placeholderWords {
		if strings.EqualFold(v, w) {
			return true
		}
	}
	for _, ph := range placeholderPhrases {
		if joinedWords(v, ph) {
			return true
		}
	}
	switch {
	case allBytes(v, "xX"), allBytes(v, "*"), len(v) >= 3 && allBytes(v, "."):
		return true
	case len(v) >= 2 && v[0] == '<' && v[len(v)-1] == '>':
		return !strings.ContainsAny(v[1:len(v)-1], "<>")
	case len(v) >= 4 && strings.HasPrefix(v, "{{") && strings.HasSuffix(v, "}}"):
		return !strings.ContainsAny(v[2:len(v)-2], "{}")
	case len(v) >= 5 && strings.HasPrefix(v, "__") && strings.HasSuffix(v, "__"):
		for _, r := range v {
			// [a-z0-9_] under (?i): Unicode folding adds the long s and the
			// Kelvin sign, as the regular expression did
			if !(r == '_' || '0' <= r && r <= '9' || 'a' <= r|0x20 && r|0x20 <= 'z' || r == '\u017f' || r == '\u212a') {
				return false
			}
		}
		return true
	}
	return false
}

// joinedWords reports whether v is words, in order, each pair joined by at
// most one '-', '_' or ' ', case-insensitively.
func joinedWords(v string, words []string) bool {
	for i, w := range words {
		if len(v) < len(w) || !strings.EqualFold(v[:len(w)], w) {
			return false
		}
		v = v[len(w):]
		if i < len(words)-1 && v != "" && strings.IndexByte("-_ ", v[0]) >= 0 {
			v = v[1:]
		}
	}
	return v == ""
}

// allBytes reports whether every byte of v is one of set.
func allBytes(v, set string) bool {
	for i := 0; i < len(v); i++ {
		if strings.IndexByte(set, v[i]) < 0 {
			return false
		}
	}
	return v != ""
}
