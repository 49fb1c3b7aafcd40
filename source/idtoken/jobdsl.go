package idtoken

import "strings"

type dslFolder struct {
	name   string
	nameAt int
	creds  []dslCred
}

type dslCred struct {
	kind string
	at   int
	args map[string]dslArg
}

type dslArg struct {
	text string
	at   int // offset of the text (inside its quotes), -1 when absent
}

// scanFolders finds folder('name') { … } calls of a job-dsl script and
// the idToken { … } / idTokenFile { … } blocks inside them.
func scanFolders(s string) []dslFolder {
	var out []dslFolder
	for i := 0; ; {
		j := indexWord(s, i, "folder")
		if j < 0 {
			return out
		}
		i = j + len("folder")
		p := skipSpace(s, i)
		if p >= len(s) || s[p] != '(' {
			continue
		}
		name, at, end := quoted(s, skipSpace(s, p+1))
		if at < 0 {
			continue
		}
		p = skipSpace(s, end)
		if p < len(s) && s[p] == ')' {
			p = skipSpace(s, p+1)
		}
		if p >= len(s) || s[p] != '{' {
			continue
		}
		close := matchBrace(s, p)
		fd := dslFolder{name: name, nameAt: at}
		body := s[:close]
		for _, kind := range []string{"idTokenFile", "idToken"} {
			for k := p; ; {
				m := indexWord(body, k, kind)
				if m < 0 {
					break
				}
				k = m + len(kind)
				q := skipSpace(body, k)
				if q >= len(body) || body[q] != '{' {
					continue
				}
				cend := matchBrace(body, q)
				cd := dslCred{kind: kind, at: m, args: map[string]dslArg{}}
				for _, arg := range []string{"id", "audience", "issuer", "scope", "description"} {
					cd.args[arg] = dslArg{at: -1}
					if a := indexWord(body[:cend], q, arg); a >= 0 {
						r := skipSpace(body, a+len(arg))
						if r < len(body) && body[r] == '(' {
							if t, tat, _ := quoted(body, skipSpace(body, r+1)); tat >= 0 {
								cd.args[arg] = dslArg{text: t, at: tat}
							}
						}
					}
				}
				fd.creds = append(fd.creds, cd)
			}
		}
		if len(fd.creds) > 0 {
			out = append(out, fd)
		}
		i = p + 1
	}
}

// indexWord finds word in s from i, not inside a longer identifier.
func indexWord(s string, i int, word string) int {
	for i <= len(s) {
		j := strings.Index(s[i:], word)
		if j < 0 {
			return -1
		}
		at := i + j
		end := at + len(word)
		if (at == 0 || !identByte(s[at-1])) && (end == len(s) || !identByte(s[end])) {
			return at
		}
		i = at + 1
	}
	return -1
}

func identByte(b byte) bool {
	return b == '_' || b == '$' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// quoted reads a '…' or "…" string without escapes at s[i:]: its text, the
// offset of the text and the offset after the closing quote; at is -1 when
// there is none.
func quoted(s string, i int) (text string, at, end int) {
	if i >= len(s) || s[i] != '\'' && s[i] != '"' {
		return "", -1, i
	}
	q := s[i]
	j := strings.IndexByte(s[i+1:], q)
	if j < 0 || strings.ContainsAny(s[i+1:i+1+j], "\\\n$") {
		return "", -1, i
	}
	return s[i+1 : i+1+j], i + 1, i + j + 2
}

// matchBrace is the offset of the } closing the { at s[i] (or len(s)),
// strings and // comments skipped.
func matchBrace(s string, i int) int {
	depth := 0
	for p := i; p < len(s); p++ {
		switch s[p] {
		case '\'', '"':
			q := s[p]
			for p++; p < len(s) && s[p] != q; p++ {
				if s[p] == '\\' {
					p++
				}
			}
		case '/':
			if p+1 < len(s) && s[p+1] == '/' {
				for p < len(s) && s[p] != '\n' {
					p++
				}
			}
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return p
			}
		}
	}
	return len(s)
}
