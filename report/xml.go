package report

import (
	"strings"
	"unicode/utf8"
)

// XML helpers for the junit and checkstyle formats. They write the
// documents by hand so that text keeps its line breaks readable; the tests
// read every document back with encoding/xml. The formats escape names and
// messages with EscapeControl/EscapeMessage first, so control characters
// arrive as visible escapes (\x1b); what XML 1.0 cannot hold and still gets
// here becomes U+FFFD.

const xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// xmlAttr escapes s for a double-quoted attribute value. Line breaks and tabs
// become character references, which XML keeps (literal ones would be
// normalised to spaces).
func xmlAttr(s string) string { return xmlEscape(s, true) }

// xmlText escapes s for element content.
func xmlText(s string) string { return xmlEscape(s, false) }

func xmlEscape(s string, attr bool) string {
	var sb strings.Builder
	for i, r := range s {
		switch {
		case r == '&':
			sb.WriteString("&amp;")
		case r == '<':
			sb.WriteString("&lt;")
		case r == '>':
			sb.WriteString("&gt;")
		case r == '"' && attr:
			sb.WriteString("&quot;")
		case r == '\n' && attr:
			sb.WriteString("&#10;")
		case r == '\t' && attr:
			sb.WriteString("&#9;")
		case r == '\r':
			sb.WriteString("&#13;")
		case r == '\n' || r == '\t':
			sb.WriteRune(r)
		case r == utf8.RuneError:
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				sb.WriteRune('\uFFFD')
			} else {
				sb.WriteRune(r)
			}
		case !xmlChar(r):
			sb.WriteRune('\uFFFD') // not allowed in XML 1.0, not even escaped
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// xmlChar reports whether XML 1.0 allows r (production Char).
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
