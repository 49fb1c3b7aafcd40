package lint

import (
	"hash/maphash"
	"strings"
)

// A file whose text the loader let go keeps, for each of its secret
// strings, a secretSum instead of the string: its length, a rolling hash
// that finds it in a message in one pass, and a checksum that confirms a
// match. Redacting a message about the file then finds and replaces the
// same occurrences as the string would (redactor.content), while the run
// holds no secret of a dropped file and 24 bytes per secret.
type secretSum struct {
	n    int
	roll uint64 // rollHash of the secret
	sum  uint64 // maphash of the secret (textSeed)
}

// rollBase is the rolling hash's multiplier (arithmetic modulo 2^64).
const rollBase = 1099511628211

// rollHash is the polynomial hash s[0]·B^(n-1) + … + s[n-1].
func rollHash(s string) uint64 {
	var h uint64
	for i := 0; i < len(s); i++ {
		h = h*rollBase + uint64(s[i])
	}
	return h
}

// secretSums sums each secret string, in the list's order (longest first,
// as secretStrings sorts them: the order redaction applies them in).
func secretSums(list []string) []secretSum {
	if len(list) == 0 {
		return nil
	}
	out := make([]secretSum, len(list))
	for i, s := range list {
		out[i] = secretSum{n: len(s), roll: rollHash(s), sum: maphash.String(textSeed, s)}
	}
	return out
}

// index returns the index of the first occurrence of the summed secret in
// s, or -1: strings.Index(s, secret) without the secret.
func (m secretSum) index(s string) int {
	n := m.n
	if n == 0 || n > len(s) {
		return -1
	}
	var pow uint64 = 1 // B^n
	for i := 0; i < n; i++ {
		pow *= rollBase
	}
	h := rollHash(s[:n])
	for i := 0; ; i++ {
		if h == m.roll && maphash.String(textSeed, s[i:i+n]) == m.sum {
			return i
		}
		if i+n >= len(s) {
			return -1
		}
		h = h*rollBase + uint64(s[i+n]) - uint64(s[i])*pow
	}
}

// replace redacts the occurrences of the summed secret in s as
// replaceWord(s, secret, Redact(secret)) does, step for step.
func (m secretSum) replace(s string) string {
	var b strings.Builder
	for {
		i := m.index(s)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		sec := s[i : i+m.n] // the secret itself, as the message quotes it
		j := i + m.n
		if (i > 0 && isWordByte(s[i-1]) && isWordByte(sec[0])) || (j < len(s) && isWordByte(s[j]) && isWordByte(sec[len(sec)-1])) {
			b.WriteString(s[:j])
		} else {
			b.WriteString(s[:i])
			b.WriteString(Redact(sec))
		}
		s = s[j:]
	}
}
