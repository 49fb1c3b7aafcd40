package report

import "unicode/utf8"

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

// xmlEscape is appendXML to a new string, or s itself when nothing in it
// changes.
func xmlEscape(s string, attr bool) string {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '&' || c == '<' || c == '>' || c == '"' || c == '\r' || c < 0x20 || c >= 0x80:
			return string(appendXML(make([]byte, 0, len(s)+16), s, attr))
		}
	}
	return s
}

// appendXML appends s, escaped for an attribute value (attr) or element
// content, to dst.
func appendXML[S ~string | ~[]byte](dst []byte, s S, attr bool) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '&':
				dst = append(dst, "&amp;"...)
			case c == '<':
				dst = append(dst, "&lt;"...)
			case c == '>':
				dst = append(dst, "&gt;"...)
			case c == '"' && attr:
				dst = append(dst, "&quot;"...)
			case c == '\n' && attr:
				dst = append(dst, "&#10;"...)
			case c == '\t' && attr:
				dst = append(dst, "&#9;"...)
			case c == '\r':
				dst = append(dst, "&#13;"...)
			case c == '\n' || c == '\t' || xmlChar(rune(c)):
				dst = append(dst, c)
			default:
				dst = utf8.AppendRune(dst, '\uFFFD') // not allowed in XML 1.0, not even escaped
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(string(s[i:min(i+utf8.UTFMax, len(s))]))
		if r == utf8.RuneError || !xmlChar(r) { // invalid UTF-8, or not allowed in XML 1.0
			dst = utf8.AppendRune(dst, '\uFFFD')
		} else {
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return dst
}

// xmlChar reports whether XML 1.0 allows r (production Char).
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
