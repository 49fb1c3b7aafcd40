package plugins

import (
	"strings"
	"unicode/utf8"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// ParseTxt reads a plugins.txt the way the plugin installation manager does
// (jenkinsci/plugin-installation-manager-tool, util/PluginListParser.java,
// parsePluginTxtFile and parsePluginLine):
//
//   - each line loses the text from the first whitespace character followed
//     by '#' (Java's `\s#+.*`, where `.` stops at U+0085, U+2028 and U+2029),
//     then every whitespace character (Java's `\s`: space, tab, \n, \x0B,
//     \f, \r), wherever it is;
//   - a line that is then empty or starts with '#' is skipped;
//   - the rest is split on ':' into at most three fields, id[:version[:url]];
//     an absent or empty version is "latest"; a version containing
//     "incrementals" is `incrementals;<groupId>;<version>`; the URL is
//     kept only when it is one (a known scheme), as the tool ignores others.
//
// Pins keep the version as written (so "incrementals;…" and "experimental"
// are not releases). Errors are lines the installation manager fails on: no
// plugin ID, or an incrementals version without its group and version.
func ParseTxt(f *source.File) (*List, []report.FileError) {
	l := &List{Path: f.Path, Kind: TxtList}
	var errs []report.FileError
	for n := 1; n <= f.LineCount(); n++ {
		start := f.Offset(n, 1)
		text, offs := cleanTxtLine(f.Line(n), start)
		if len(text) == 0 || text[0] == '#' {
			continue
		}
		p, err := parseSpec(f, text, offs)
		if err != nil {
			errs = append(errs, *err)
			continue
		}
		l.Pins = append(l.Pins, p)
	}
	return l, errs
}

// isJavaSpace reports whether b is in Java's regular-expression class \s
// (without UNICODE_CHARACTER_CLASS): [ \t\n\x0B\f\r].
func isJavaSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\x0b' || b == '\f' || b == '\r'
}

// javaLineTerminator reports the length of a rune at the start of b that
// Java's `.` does not match (U+0085, U+2028, U+2029; \n and \r cannot occur
// inside a line), or 0.
func javaLineTerminator(b []byte) int {
	r, size := utf8.DecodeRune(b)
	if r == 0x85 || r == 0x2028 || r == 0x2029 {
		return size
	}
	return 0
}

// cleanTxtLine applies the installation manager's two replacements to one
// line: `\s#+.*` → "" and then `\s` → "". It returns the remaining bytes and
// the file offset of each.
func cleanTxtLine(line []byte, start int) ([]byte, []int) {
	text := make([]byte, 0, len(line))
	offs := make([]int, 0, len(line))
	for i := 0; i < len(line); {
		if isJavaSpace(line[i]) && i+1 < len(line) && line[i+1] == '#' {
			// a comment: up to the end of the line or a Java line terminator
			j := i + 1
			for j < len(line) && javaLineTerminator(line[j:]) == 0 {
				_, size := utf8.DecodeRune(line[j:])
				j += size
			}
			i = j
			continue
		}
		if isJavaSpace(line[i]) {
			i++
			continue
		}
		text = append(text, line[i])
		offs = append(offs, start+i)
		i++
	}
	return text, offs
}

// parseSpec reads one plugin spec, id[:version[:url]], as parsePluginLine
// does. offs holds the file offset of each byte of text (offsets of
// substituted text may repeat or go back).
func parseSpec(f *source.File, text []byte, offs []int) (Pin, *report.FileError) {
	s := string(text)
	id, rest, hasVersion := strings.Cut(s, ":")
	if id == "" {
		return Pin{}, &report.FileError{Pos: f.PosAt(offs[0]), Message: "plugin entry " + quote(s) + " has no plugin ID before its ':'"}
	}
	p := Pin{ID: id, Version: "latest"}
	vStart, vEnd := -1, -1
	if hasVersion {
		version, url, hasURL := strings.Cut(rest, ":")
		vStart = len(id) + 1
		vEnd = vStart + len(version)
		if version != "" {
			p.Version = version
		}
		if strings.Contains(version, "incrementals") {
			// incrementals;<groupId>;<version> (Java's split drops trailing
			// empty fields, so "incrementals;g;" has no version either)
			parts := strings.Split(version, ";")
			for len(parts) > 0 && parts[len(parts)-1] == "" {
				parts = parts[:len(parts)-1]
			}
			if len(parts) < 3 {
				return Pin{}, &report.FileError{Pos: f.PosAt(offs[vStart]),
					Message: "plugin " + id + ": an incrementals version is written `incrementals;<groupId>;<version>`, not " + quote(version) + " (the plugin installation manager fails on it)"}
			}
			p.GroupID = parts[1]
		}
		if hasURL && isURL(url) {
			p.URL = url
		}
	}
	if vStart >= 0 && vEnd > vStart {
		p.Pos, p.End = span(f, offs, vStart, vEnd)
	} else {
		p.Pos, p.End = span(f, offs, 0, len(id))
	}
	return p, nil
}

// span is the position of text[i:j] in f, given the file offset of each
// byte (bytes are copied whole from the file, so the byte after the last
// one starts a rune). When the bytes come from several places (a value
// substituted from an ARG), the span is the run that starts at text[i].
func span(f *source.File, offs []int, i, j int) (pos, end report.Position) {
	pos = f.PosAt(offs[i])
	k := i
	for k+1 < j && offs[k+1] == offs[k]+1 {
		k++
	}
	return pos, f.PosAt(offs[k] + 1)
}

// isURL reports whether java.net.URL accepts s: a scheme the JDK has a
// handler for, followed by ':'.
func isURL(s string) bool {
	scheme, _, ok := strings.Cut(s, ":")
	if !ok {
		return false
	}
	switch strings.ToLower(scheme) {
	case "http", "https", "ftp", "file", "jar", "mailto", "jrt":
		return true
	}
	return false
}

// quote writes s in backticks for messages, shortened when long.
func quote(s string) string {
	const max = 80
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return "`" + s + "`"
}
