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
	for _, c := range candidates {
		if strings.EqualFold(c, s) {
			return c
		}
	}
	ls := strings.ToLower(s)
	if len(ls) >= 4 {
		match := ""
		for _, c := range candidates {
			if len(c) >= len(ls) && containsFold(c, ls) {
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
	n := utf8.RuneCountInString(s)
	limit := 1
	switch {
	case n >= 12:
		limit = n / 5
	case n >= 6:
		limit = 2
	}
	best, bestD := "", limit+1
	for _, c := range candidates {
		// The distance is at least the difference in length: skip the
		// quadratic computation for candidates that cannot be near.
		if d := utf8.RuneCountInString(c) - n; d > limit || -d > limit {
			continue
		}
		d := within(ls, strings.ToLower(c), bestD+1) // exact when d <= bestD
		if d < bestD || (d == bestD && best != "" && c < best) {
			best, bestD = c, d
		}
	}
	if bestD > limit {
		return ""
	}
	return best
}

// containsFold reports whether s contains the lower-case substr, ignoring
// the case of s (ASCII fast path, Unicode otherwise).
func containsFold(s, lowerSub string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return strings.Contains(strings.ToLower(s), lowerSub)
		}
	}
	for i := 0; i+len(lowerSub) <= len(s); i++ {
		j := 0
		for j < len(lowerSub) {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != lowerSub[j] {
				break
			}
			j++
		}
		if j == len(lowerSub) {
			return true
		}
	}
	return false
}

// within is the edit distance of a and b when it is below bound, else bound:
// it fills only the diagonal band the bound allows and stops as soon as a
// whole row exceeds it, so a search over many candidates stays linear.
func within(a, b string, bound int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d >= bound || -d >= bound {
		return bound
	}
	inf := bound
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = min(j, inf)
	}
	for i := 1; i <= len(ra); i++ {
		lo, hi := max(1, i-bound), min(len(rb), i+bound)
		cur[0] = min(i, inf)
		if lo > 1 {
			cur[lo-1] = inf
		}
		rowMin := cur[0]
		for j := lo; j <= hi; j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost, inf)
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if hi < len(rb) {
			cur[hi+1] = inf
		}
		if rowMin >= bound {
			return bound
		}
		prev, cur = cur, prev
	}
	return min(prev[len(rb)], bound)
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
