package source

import "strings"

// wildmatch results, as in git's wildmatch.c.
const (
	wmMatch = iota
	wmNoMatch
	wmAbortAll
	wmAbortToStarStar
)

// wildmatch matches text against a gitignore pattern the way git does
// (wildmatch.c with WM_PATHNAME, case-sensitive): `*` and `?` and brackets
// never match '/', `**/` at the start or after a '/' matches any number of
// directories, `/**` at the end matches everything below, other runs of
// stars are one `*`, `[…]` takes `!` or `^` negation, ranges, escapes and
// the POSIX classes ([:alpha:] …), and a backslash makes the next byte
// literal. It works on bytes: names need not be UTF-8. Time is bounded as
// in git: a `*` that fails to match across a '/' aborts the outer stars.
func wildmatch(pattern, text string) bool {
	return dowild(pattern, 0, text, 0) == wmMatch
}

func at(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}

func isGlobSpecial(c byte) bool { return c == '*' || c == '?' || c == '[' || c == '\\' }

func dowild(pat string, p int, text string, t int) int {
	for ; p < len(pat); t, p = t+1, p+1 {
		pch := pat[p]
		tch := at(text, t)
		if t >= len(text) && pch != '*' {
			return wmAbortAll
		}
		switch pch {
		case '\\':
			// Literal match with the next byte (a trailing backslash
			// matches nothing).
			p++
			if p >= len(pat) || tch != pat[p] {
				return wmNoMatch
			}
			continue
		case '?':
			if tch == '/' {
				return wmNoMatch
			}
			continue
		case '*':
			var matchSlash bool
			p++
			if at(pat, p) == '*' {
				prev := p - 2
				for p++; at(pat, p) == '*'; p++ {
				}
				if (prev < 0 || pat[prev] == '/') &&
					(p >= len(pat) || pat[p] == '/' || at(pat, p) == '\\' && at(pat, p+1) == '/') {
					// `**/` may match no directory at all.
					if at(pat, p) == '/' && dowild(pat, p+1, text, t) == wmMatch {
						return wmMatch
					}
					matchSlash = true
				}
			}
			if p >= len(pat) {
				// A trailing `**` matches everything, a trailing `*`
				// only what has no more slashes.
				if !matchSlash && strings.IndexByte(text[t:], '/') >= 0 {
					return wmNoMatch
				}
				return wmMatch
			} else if !matchSlash && pat[p] == '/' {
				// One star before a slash matches up to the next slash.
				i := strings.IndexByte(text[t:], '/')
				if i < 0 {
					return wmNoMatch
				}
				t += i
				continue // the slashes meet in the loop
			}
			for {
				if t >= len(text) {
					break
				}
				// Advance faster when the star is followed by a literal.
				if !isGlobSpecial(pat[p]) {
					pc := pat[p]
					for t < len(text) && (matchSlash || text[t] != '/') && text[t] != pc {
						t++
					}
					if at(text, t) != pc || t >= len(text) {
						return wmNoMatch
					}
				}
				if m := dowild(pat, p, text, t); m != wmNoMatch {
					if !matchSlash || m != wmAbortToStarStar {
						return m
					}
				} else if !matchSlash && text[t] == '/' {
					return wmAbortToStarStar
				}
				t++
			}
			return wmAbortAll
		case '[':
			p++
			pc := at(pat, p)
			negated := pc == '!' || pc == '^'
			if negated {
				p++
				pc = at(pat, p)
			}
			var prevCh byte
			matched := false
			for {
				if p >= len(pat) {
					return wmAbortAll
				}
				switch {
				case pc == '\\':
					p++
					if p >= len(pat) {
						return wmAbortAll
					}
					pc = pat[p]
					if tch == pc {
						matched = true
					}
				case pc == '-' && prevCh != 0 && p+1 < len(pat) && pat[p+1] != ']':
					p++
					pc = pat[p]
					if pc == '\\' {
						p++
						if p >= len(pat) {
							return wmAbortAll
						}
						pc = pat[p]
					}
					if tch <= pc && tch >= prevCh {
						matched = true
					}
					pc = 0 // the next prevCh
				case pc == '[' && at(pat, p+1) == ':':
					s := p + 2
					p = s
					for p < len(pat) && pat[p] != ']' {
						p++
					}
					if p >= len(pat) {
						return wmAbortAll
					}
					i := p - s - 1
					if i < 0 || pat[p-1] != ':' {
						// No ":]": a plain '[' in the set.
						p = s - 2
						pc = '['
						if tch == pc {
							matched = true
						}
						break
					}
					in, ok := charClass(pat[s:s+i], tch)
					if !ok {
						return wmAbortAll // a malformed [:class:]
					}
					if in {
						matched = true
					}
					pc = 0
				default:
					if tch == pc {
						matched = true
					}
				}
				prevCh = pc
				p++
				pc = at(pat, p)
				if p >= len(pat) {
					return wmAbortAll
				}
				if pc == ']' {
					break
				}
			}
			if matched == negated || tch == '/' {
				return wmNoMatch
			}
			continue
		default:
			if tch != pch {
				return wmNoMatch
			}
			continue
		}
	}
	if t < len(text) {
		return wmNoMatch
	}
	return wmMatch
}

// charClass reports whether c is in the POSIX class name (ASCII only, as
// git's ctype); ok is false for an unknown class.
func charClass(name string, c byte) (in, ok bool) {
	upper := c >= 'A' && c <= 'Z'
	lower := c >= 'a' && c <= 'z'
	digit := c >= '0' && c <= '9'
	space := c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
	switch name {
	case "alnum":
		return upper || lower || digit, true
	case "alpha":
		return upper || lower, true
	case "blank":
		return c == ' ' || c == '\t', true
	case "cntrl":
		return c < 0x20 || c == 0x7f, true
	case "digit":
		return digit, true
	case "graph":
		return c > 0x20 && c < 0x7f, true
	case "lower":
		return lower, true
	case "print":
		return c >= 0x20 && c < 0x7f, true
	case "punct":
		return c > 0x20 && c < 0x7f && !upper && !lower && !digit, true
	case "space":
		return space, true
	case "upper":
		return upper, true
	case "xdigit":
		return digit || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F', true
	}
	return false, false
}
