// Package suggest finds the word a user most likely meant: the "did you
// mean" of unknown keys, rule IDs and permission names.
package suggest

import (
	"strings"
	"unicode/utf8"
)

// Closest returns the candidate nearest to s, or "" when none is near enough
// to be a plausible typo: a candidate equal but for case, the one candidate
// that contains s (at least 4 characters: "basic" for client_secret_basic),
// or the nearest by edit distance within a limit that grows with the length
// of s. Ties go to the alphabetically first candidate.
func Closest(s string, candidates []string) string {
	ls := strings.ToLower(s)
	for _, c := range candidates {
		if strings.ToLower(c) == ls {
			return c
		}
	}
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
		d := Distance(ls, strings.ToLower(c))
		if d < bestD || (d == bestD && best != "" && c < best) {
			best, bestD = c, d
		}
	}
	if bestD > limit {
		return ""
	}
	return best
}

// Distance is the Levenshtein edit distance between a and b in runes.
// Strings over 256 runes are never typos of a name: the distance is then a
// large number instead of a quadratic computation.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 256 || len(rb) > 256 {
		return 1 << 20
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
