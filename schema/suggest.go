package schema

import (
	"strings"
	"unicode/utf8"
)

// suggestion returns the known key of o that name most likely means: the
// key that declares name as an @alias, a key equal but for case, or the
// closest key within a small edit distance. It returns "" when none is close.
func suggestion(name string, o *objShape) string {
	for _, k := range o.names {
		for _, a := range o.fields[k].aliases {
			if a == name {
				return k
			}
		}
	}
	return closest(name, o.names)
}

// closest returns the candidate nearest to s (case-insensitively), or "" if
// none is near enough to be a plausible typo.
func closest(s string, candidates []string) string {
	ls := strings.ToLower(s)
	for _, c := range candidates {
		if strings.ToLower(c) == ls {
			return c
		}
	}
	// A value that is the distinctive part of exactly one candidate
	// ("basic" for client_secret_basic).
	if len(ls) >= 4 {
		match := ""
		for _, c := range candidates {
			if strings.Contains(strings.ToLower(c), ls) {
				if match != "" {
					match = ""
					break
				}
				match = c
			}
		}
		if match != "" {
			return match
		}
	}
	limit := 1
	switch n := utf8.RuneCountInString(s); {
	case n >= 12:
		limit = n / 5
	case n >= 6:
		limit = 2
	}
	best, bestD := "", limit+1
	for _, c := range candidates {
		d := levenshtein(ls, strings.ToLower(c))
		if d < bestD || (d == bestD && best != "" && c < best) {
			best, bestD = c, d
		}
	}
	if bestD > limit {
		return ""
	}
	return best
}

// levenshtein is the edit distance between a and b, counted in runes.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 256 || len(rb) > 256 {
		return 1 << 20 // not a typo of a key name
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
