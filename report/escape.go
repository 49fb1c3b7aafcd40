package report

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Every string a format prints that came from the input (file names,
// messages that quote it, rule IDs and texts of user policies, source lines)
// passes one escaping, EscapeControl or EscapeMessage, before the format's
// own quoting (XML entities, JSON, workflow-command %-encoding, Markdown).
// Only the escaped runes differ between the two; a format never writes them
// raw, so that neither a terminal, a log viewer, an XML parser nor a reader's
// eye (the "Trojan Source" bidi overrides) is steered by a file name.

// EscapeControl returns s, a one-line name or text, with every character
// that could act on a terminal, a parser or a reader instead of being read
// replaced by a visible escape:
//
//   - the C0 controls and DEL: \t, \n, \r, and \xHH for the others
//     (\x1b for ESC, \x07 for BEL, \x00 for NUL);
//   - each byte that is not part of valid UTF-8: \xHH;
//   - the C1 controls (U+0080–U+009F), format characters (the bidi
//     embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069,
//     LRM/RLM/ALM, zero-width characters, the BOM, soft hyphen, tags), line
//     and paragraph separators, private-use characters, noncharacters and
//     unassigned code points: \uXXXX, or \UXXXXXXXX above U+FFFF (hex digits
//     in lower case, as \u202e).
//
// Everything else is kept, backslashes included, so ordinary text (Windows
// paths among it) comes back unchanged and without a copy. The escape is for
// reading, not for decoding: a name that holds the four characters \x1b
// looks like one that holds ESC.
func EscapeControl(s string) string { return escapeString(s, 0) }

// EscapeMessage is EscapeControl for multi-line text such as a message: a
// line break (\n, \r\n or a lone \r, as the engine counts lines) becomes \n
// and a tab stays; everything else is escaped as EscapeControl does.
func EscapeMessage(s string) string { return escapeString(s, keepLines|keepTabs) }

// escMode chooses what escapeString keeps.
type escMode uint8

const (
	keepLines escMode = 1 << iota // line breaks become \n
	keepTabs                      // a tab stays a tab
	tabSpace                      // a tab becomes one space (the text format's message lines)
)

// escapeString escapes s as mode says, returning s itself when nothing
// needs escaping.
func escapeString(s string, mode escMode) string {
	i := firstEscape(s, mode)
	if i < 0 {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s) + 8)
	sb.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\r' && mode&keepLines != 0:
			sb.WriteByte('\n')
			if i+1 < len(s) && s[i+1] == '\n' {
				size = 2
			}
		case r == '\n' && mode&keepLines != 0, r == '\t' && mode&keepTabs != 0:
			sb.WriteRune(r)
		case r == '\t' && mode&tabSpace != 0:
			sb.WriteByte(' ')
		default:
			if e := escapeRune(r, size, s[i]); e != "" {
				sb.WriteString(e)
			} else {
				sb.WriteString(s[i : i+size])
			}
		}
		i += size
	}
	return sb.String()
}

// firstEscape returns the byte offset of the first rune of s that
// escapeString changes in mode, or -1.
func firstEscape(s string, mode escMode) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\n' && mode&keepLines != 0, r == '\t' && mode&keepTabs != 0:
		case escapeRune(r, size, c) != "" || r == '\t' || r == '\r':
			return i
		}
		i += size
	}
	return -1
}

// escapeRune returns the visible escape of rune r, decoded from size bytes
// of which b is the first, or "" when r is shown as it is.
func escapeRune(r rune, size int, b byte) string {
	switch {
	case r == utf8.RuneError && size == 1:
		return hexEscape(`\x`, uint32(b), 2)
	case r == '\t':
		return `\t`
	case r == '\n':
		return `\n`
	case r == '\r':
		return `\r`
	case r < 0x20 || r == 0x7f:
		return hexEscape(`\x`, uint32(r), 2)
	case r < 0x80:
		return ""
	case escaped(r):
		if r > 0xffff {
			return hexEscape(`\U`, uint32(r), 8)
		}
		return hexEscape(`\u`, uint32(r), 4)
	}
	return ""
}

func hexEscape(prefix string, v uint32, digits int) string {
	const hex = "0123456789abcdef"
	b := make([]byte, len(prefix)+digits)
	copy(b, prefix)
	for i := len(b) - 1; i >= len(prefix); i-- {
		b[i] = hex[v&0xf]
		v >>= 4
	}
	return string(b)
}

// escaped reports the non-ASCII runes shown as \uXXXX: C1 controls, format
// characters (bidi controls, zero-width characters, BOM), line and
// paragraph separators, private-use characters, and runes that are not
// printable characters (noncharacters, unassigned). Combining marks and
// spaces other than these stay.
func escaped(r rune) bool {
	return r >= 0x80 && r < 0xa0 ||
		unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r) ||
		unicode.Is(unicode.Co, r) || !unicode.IsPrint(r) && !unicode.IsSpace(r) && !unicode.Is(unicode.Mn, r) && !unicode.Is(unicode.Me, r)
}

// escapeJSONOutput rewrites a JSON document so that no rune escaped() would
// escape, nor DEL (which encoding/json leaves raw), appears raw in it: each
// becomes a JSON \uXXXX escape (a surrogate pair above U+FFFF), which
// decodes to the same string. Outside strings a
// JSON document is ASCII, so only string contents change. It is the net
// under strings a format must keep exact (a fix's replacement text); the
// strings meant for people were escaped visibly before.
func escapeJSONOutput(doc []byte) []byte {
	i := 0
	for i < len(doc) {
		if doc[i] < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRune(doc[i:])
		if r == 0x7f || escaped(r) {
			break
		}
		i += size
	}
	if i == len(doc) {
		return doc
	}
	const hex = "0123456789abcdef"
	out := make([]byte, 0, len(doc)+16)
	out = append(out, doc[:i]...)
	for i < len(doc) {
		if doc[i] < 0x7f {
			out = append(out, doc[i])
			i++
			continue
		}
		r, size := utf8.DecodeRune(doc[i:])
		if r != 0x7f && !escaped(r) {
			out = append(out, doc[i:i+size]...)
			i += size
			continue
		}
		units := []rune{r}
		if r > 0xffff {
			r -= 0x10000
			units = []rune{0xd800 + r>>10, 0xdc00 + r&0x3ff}
		}
		for _, u := range units {
			out = append(out, '\\', 'u', hex[u>>12&0xf], hex[u>>8&0xf], hex[u>>4&0xf], hex[u&0xf])
		}
		i += size
	}
	return out
}
