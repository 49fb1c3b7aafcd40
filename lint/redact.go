package lint

import (
	"bytes"
	"sort"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/secrets"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// span is a byte range of a file that holds a secret value.
type span struct{ start, end int }

// redactor hides secret values: in file contents shown as source lines, and
// in any message, related note or error text that happens to quote one.
type redactor struct {
	files  map[string]*source.File
	masks  map[string][]span
	byFile map[string][]string // secret strings of each file, longest first (built on demand)
	// sums stand for the secret strings of the files whose text the loader
	// let go (droppedText.secrets), in the same order.
	sums map[string][]secretSum
}

func newRedactor(files map[string]*source.File, masks map[string][]span, dropped map[string]*droppedText) *redactor {
	r := &redactor{files: files, masks: masks, byFile: map[string][]string{}, sums: map[string][]secretSum{}}
	for p, d := range dropped {
		r.sums[p] = d.secrets
	}
	return r
}

// secretsOf lists the secret strings of one file, longest first.
func (r *redactor) secretsOf(path string) []string {
	if list, ok := r.byFile[path]; ok {
		return list
	}
	var list []string
	if f := r.files[path]; f != nil {
		list = secretStrings(f.Data, r.masks[path])
	}
	r.byFile[path] = list
	return list
}

// secretStrings lists the secret strings of a file's spans (each line of a
// multi-line secret on its own), longest first.
func secretStrings(data []byte, spans []span) []string {
	var list []string
	seen := map[string]bool{}
	for _, s := range spans {
		if s.start < 0 || s.end > len(data) || s.start > s.end {
			continue
		}
		v := strings.TrimSpace(string(data[s.start:s.end]))
		v = strings.Trim(v, `"'`)
		for _, line := range strings.Split(v, "\n") {
			line = strings.TrimSpace(line)
			// A secret field's value may be a key name (secretKey:
			// clientSecret names a key of a Kubernetes Secret): a name is
			// never the secret, and redacting it would turn the messages
			// that name the key into "REDACTED holds a plain-text secret".
			if len(line) >= 6 && !seen[line] && !tree.IsVariable(line) && !secrets.IsSecretName(line) {
				seen[line] = true
				list = append(list, line)
			}
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if len(list[i]) != len(list[j]) {
			return len(list[i]) > len(list[j])
		}
		return list[i] < list[j]
	})
	return list
}

// Redact shows a secret as at most its first four characters when they are
// a known, non-secret prefix, else as REDACTED.
func Redact(s string) string { return secrets.Redact(s) }

// text is s with the secrets of the given files redacted and the userinfo
// of every URL it quotes stripped (stripUserinfo): for messages, related
// notes, fix descriptions and error messages.
func (r *redactor) text(s string, paths ...string) string {
	return stripUserinfo(r.content(s, paths...))
}

// content redacts the secrets of the given files from s. Messages are built
// redacted already; this is the safety net, so it only looks at the files a
// message is about, which keeps it linear in the number of findings.
func (r *redactor) content(s string, paths ...string) string {
	for _, p := range paths {
		if sums, ok := r.sums[p]; ok {
			for _, m := range sums {
				s = m.replace(s)
			}
			continue
		}
		for _, sec := range r.secretsOf(p) {
			if strings.Contains(s, sec) {
				s = replaceWord(s, sec, Redact(sec))
			}
		}
	}
	return s
}

// replaceWord replaces the occurrences of sec in s that are not part of a
// longer word (a masked value "private" leaves "privateKey" alone).
func replaceWord(s, sec, with string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, sec)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := i + len(sec)
		if !wordBounded(s, i, j, sec) {
			b.WriteString(s[:j])
		} else {
			b.WriteString(s[:i])
			b.WriteString(with)
		}
		s = s[j:]
	}
}

// wordBounded reports whether sec, found in s at [i, j), stands as a word of
// its own there: not continued by a word byte on a side where sec itself
// ends in one.
func wordBounded[T string | []byte](s T, i, j int, sec string) bool {
	return (i == 0 || !isWordByte(s[i-1]) || !isWordByte(sec[0])) &&
		(j == len(s) || !isWordByte(s[j]) || !isWordByte(sec[len(sec)-1]))
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// stripUserinfo replaces the userinfo of every URL in s (scheme://user:pass@
// host, scheme://token@host) by REDACTED: the last safety net for messages
// that quote a URL, whoever built them. The userinfo ends at the last '@'
// before the path; a password holding '/' or '?' still ends at an '@' that
// follows it when the text before reads user:… (not host:port).
func stripUserinfo(s string) string {
	if !strings.Contains(s, "://") || !strings.Contains(s, "@") {
		return s
	}
	var b strings.Builder
	for {
		k := strings.Index(s, "://")
		if k < 0 {
			b.WriteString(s)
			return b.String()
		}
		a := k + 3
		b.WriteString(s[:a])
		s = s[a:]
		end := 0 // the end of the URL's text
		for end < len(s) && !urlStop(s[end]) {
			end++
		}
		auth := 0 // the end of the authority
		for auth < end && s[auth] != '/' && s[auth] != '?' && s[auth] != '#' {
			auth++
		}
		at := strings.LastIndexByte(s[:auth], '@')
		if at < 0 {
			// scheme://user:pa/ss@host: no '@' before the path, but the
			// authority holds user: and an '@' follows.
			if c := strings.IndexByte(s[:auth], ':'); c >= 0 && !allDigits(s[c+1:auth]) {
				at = strings.LastIndexByte(s[:end], '@')
			}
		}
		if at >= 0 {
			b.WriteString("REDACTED")
			s = s[at:]
		}
	}
}

// urlStop reports a byte that ends a URL quoted in a message.
func urlStop(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '"', '\'', '`', '<', '>', '\\', '(', ')', '[', ']', '{', '}':
		return true
	}
	return false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func (r *redactor) finding(f *report.Finding) {
	paths := []string{f.Pos.Path}
	for _, rel := range f.Related {
		if rel.Pos.Path != f.Pos.Path {
			paths = append(paths, rel.Pos.Path)
		}
	}
	if f.Fix != nil && f.Fix.Path != f.Pos.Path {
		paths = append(paths, f.Fix.Path)
	}
	f.Message = r.text(f.Message, paths...)
	for i := range f.Related {
		f.Related[i].Message = r.text(f.Related[i].Message, paths...)
	}
	if f.Fix != nil {
		// the replacement is file content (what --fix writes): a
		// replacement that holds one of the file's secrets can neither
		// be shown nor written redacted (--fix would write REDACTED into
		// the file), so the finding goes without its fix
		if r.content(f.Fix.Replacement, paths...) != f.Fix.Replacement {
			f.Fix = nil
		} else {
			f.Fix.Description = r.text(f.Fix.Description, paths...)
		}
	}
}

// mask overwrites, in place, every byte of every secret span of f by '*'
// (line breaks kept), so offsets and lines stay true and fixes and diffs can
// be computed on the masked text, and returns f's contents. It is the last
// use of f: nothing may read the file's own text after it (no copy is made,
// so a run holds each file once).
//
// A secret written again elsewhere in the file (the client secret pasted
// into a URL's query as well) is masked there too, wherever it stands as a
// word of its own: a source line or a diff line never shows a secret the
// run found, whichever finding it is printed for.
func (r *redactor) mask(f *source.File) []byte {
	out := f.Data
	spans := r.masks[f.Path]
	again := secretStrings(out, spans) // before a byte of them is overwritten
	for _, s := range spans {
		for i := max(0, s.start); i < s.end && i < len(out); i++ {
			if out[i] != '\n' && out[i] != '\r' {
				out[i] = '*'
			}
		}
	}
	for _, sec := range again {
		maskWord(out, sec)
	}
	return out
}

// maskWord overwrites with '*' every occurrence of sec in data that is not
// part of a longer word (as replaceWord).
func maskWord(data []byte, sec string) {
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte(sec))
		if j < 0 {
			return
		}
		at, end := i+j, i+j+len(sec)
		if wordBounded(data, at, end, sec) {
			for k := at; k < end; k++ {
				data[k] = '*'
			}
		}
		i = at + 1
	}
}
