package secrets

import "math"

// Character classes, one bit each, looked up in charClass.
const (
	cUpper  = 1 << iota // A-Z
	cLower              // a-z
	cDigit              // 0-9
	cHexLow             // 0-9 a-f
	cB64URL             // A-Z a-z 0-9 - _
	cB64                // A-Z a-z 0-9 + /
	cName               // A-Z a-z 0-9 _ - .
	cSpace              // space, tab
)

var charClass [256]uint8

func init() {
	for c := 0; c < 256; c++ {
		var m uint8
		switch {
		case c >= 'A' && c <= 'Z':
			m |= cUpper | cB64URL | cB64 | cName
		case c >= 'a' && c <= 'z':
			m |= cLower | cB64URL | cB64 | cName
			if c <= 'f' {
				m |= cHexLow
			}
		case c >= '0' && c <= '9':
			m |= cDigit | cHexLow | cB64URL | cB64 | cName
		}
		switch c {
		case '-', '_':
			m |= cB64URL | cName
		case '.':
			m |= cName
		case '+', '/':
			m |= cB64
		case ' ', '\t':
			m |= cSpace
		}
		charClass[c] = m
	}
}

func isAlnum(c byte) bool   { return charClass[c]&(cUpper|cLower|cDigit) != 0 }
func isUpper(c byte) bool   { return charClass[c]&cUpper != 0 }
func isLower(c byte) bool   { return charClass[c]&cLower != 0 }
func isDigit(c byte) bool   { return charClass[c]&cDigit != 0 }
func isHexLow(c byte) bool  { return charClass[c]&cHexLow != 0 }
func isB64URL(c byte) bool  { return charClass[c]&cB64URL != 0 }
func isB64(c byte) bool     { return charClass[c]&cB64 != 0 }
func isNameChr(c byte) bool { return charClass[c]&cName != 0 }
func isSpace(c byte) bool   { return charClass[c]&cSpace != 0 }
func isWordChr(c byte) bool { return isAlnum(c) || c == '_' }

// run returns the end of the run of bytes of class m starting at i, reading
// at most max bytes.
func run(data []byte, i int, m uint8, max int) int {
	end := i + max
	if end > len(data) {
		end = len(data)
	}
	for i < end && charClass[data[i]]&m != 0 {
		i++
	}
	return i
}

// hasPrefixAt reports whether data[i:] starts with s.
func hasPrefixAt(data []byte, i int, s string) bool {
	if i < 0 || len(data)-i < len(s) {
		return false
	}
	for k := 0; k < len(s); k++ {
		if data[i+k] != s[k] {
			return false
		}
	}
	return true
}

// hasSuffixAt reports whether data[:i] ends with s.
func hasSuffixAt(data []byte, i int, s string) bool {
	return i >= len(s) && i <= len(data) && hasPrefixAt(data, i-len(s), s)
}

// clog2 holds c·log2(c) for small counts c.
var clog2 = func() (t [1024]float64) {
	for c := 1; c < len(t); c++ {
		t[c] = float64(c) * math.Log2(float64(c))
	}
	return t
}()

// entropy is the Shannon entropy of b in bits per byte:
// log2(n) - Σ c·log2(c) / n over the byte counts c.
func entropy[T ~string | ~[]byte](b T) float64 {
	if len(b) == 0 {
		return 0
	}
	var counts [256]int32
	for i := 0; i < len(b); i++ {
		counts[b[i]]++
	}
	sum := 0.0
	for _, c := range counts {
		switch {
		case c <= 1:
		case int(c) < len(clog2):
			sum += clog2[c]
		default:
			sum += float64(c) * math.Log2(float64(c))
		}
	}
	n := float64(len(b))
	return math.Log2(n) - sum/n
}

// classes counts how many of upper, lower and digit occur in b.
func classes[T ~string | ~[]byte](b T) int {
	var up, lo, dg bool
	for i := 0; i < len(b); i++ {
		c := b[i]
		up = up || isUpper(c)
		lo = lo || isLower(c)
		dg = dg || isDigit(c)
	}
	n := 0
	for _, x := range []bool{up, lo, dg} {
		if x {
			n++
		}
	}
	return n
}

// lower returns the ASCII lower-case form of c.
func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// containsFold reports whether b contains the lower-case ASCII word w,
// ignoring case.
func containsFold[T ~string | ~[]byte](b T, w string) bool {
	n := len(w)
	for i := 0; i+n <= len(b); i++ {
		k := 0
		for k < n && lower(b[i+k]) == w[k] {
			k++
		}
		if k == n {
			return true
		}
	}
	return false
}

// lineBounds returns the start and end (exclusive, before '\n') of the line
// holding offset i, looking at most max bytes either way.
func lineBounds(data []byte, i, max int) (int, int) {
	s := i
	for s > 0 && data[s-1] != '\n' && i-s < max {
		s--
	}
	e := i
	for e < len(data) && data[e] != '\n' && e-i < max {
		e++
	}
	return s, e
}
