package shell

import (
	"unicode/utf8"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jenkinsfile"
)

// Cache holds the lexed scripts of one pipeline's shell steps: each step's
// script is lexed at most once, on first use, whichever rule asks first.
// The zero value is ready; a Cache is not safe for concurrent use (one
// pipeline is checked by one goroutine) and is dropped with the pipeline.
type Cache struct {
	scripts map[*jenkinsfile.Step]*Script
	parsed  int
}

// Parsed is the number of step scripts lexed so far.
func (c *Cache) Parsed() int { return c.parsed }

// Step returns the lexed script of shell step st of pf, nil when the step
// has no script text. Indexes of the script map to pf through Offset,
// EndOffset and Span.
func (c *Cache) Step(pf *jenkinsfile.File, st *jenkinsfile.Step) *Script {
	if st.Text == nil || st.Text.S == "" {
		return nil
	}
	if sc, ok := c.scripts[st]; ok {
		return sc
	}
	if c.scripts == nil {
		c.scripts = map[*jenkinsfile.Step]*Script{}
	}
	c.parsed++
	sc := ParseStep(pf, st)
	c.scripts[st] = sc
	return sc
}

// ParseStep lexes the script of shell step st of pf without a cache; nil
// when the step has none.
func ParseStep(pf *jenkinsfile.File, st *jenkinsfile.Step) *Script {
	if st.Text == nil || st.Text.S == "" {
		return nil
	}
	sc := Parse(st.Text.S, DialectOf(st.Name), groovyAt(pf, st))
	sc.at = &stepPos{pf: pf, text: st.Text}
	return sc
}

// stepPos maps script indexes of a step to its Jenkinsfile.
type stepPos struct {
	pf   *jenkinsfile.File
	text *jenkinsfile.Decoded
}

// Offset maps script index i to the file offset of its character (a
// character decoded from an escape maps to the escape's backslash). A
// script not read from a step maps every index to itself.
func (s *Script) Offset(i int) int {
	if s.at == nil {
		return i
	}
	return s.at.text.Offset(i)
}

// EndOffset maps the end e of a script span [.., e) to the file offset
// after its last character: after a whole escape (\t, \u00e9) or a whole
// multi-byte character.
func (s *Script) EndOffset(e int) int {
	if s.at == nil {
		return e
	}
	if e <= 0 {
		return s.Offset(0)
	}
	o := s.Offset(e - 1)
	data := s.at.pf.Src.Data
	if e < len(s.at.text.S) {
		if n := s.Offset(e); n > o && n-o <= 12 {
			return n
		}
	}
	if o < len(data) {
		_, n := utf8.DecodeRune(data[o:])
		if data[o] == '\\' {
			n = 2
		}
		return o + n
	}
	return o
}

// Span returns the file positions of the script span [start, end): a
// script not read from a step has none (zero positions).
func (s *Script) Span(start, end int) (report.Position, report.Position) {
	if s.at == nil {
		return report.Position{}, report.Position{}
	}
	return s.at.pf.PosAt(s.Offset(start)), s.at.pf.PosAt(s.EndOffset(end))
}

// Pos returns the file position of script index i.
func (s *Script) Pos(i int) report.Position {
	if s.at == nil {
		return report.Position{}
	}
	return s.at.pf.PosAt(s.Offset(i))
}

// groovyAt returns a function telling whether the '$' at index i of the
// step's script text starts a Groovy interpolation (or stands for a Groovy
// operand of a concatenation) rather than a '$' the shell sees.
func groovyAt(pf *jenkinsfile.File, st *jenkinsfile.Step) func(i int) bool {
	data := pf.Src.Data
	return func(i int) bool {
		if i < 0 || i >= len(st.Text.S) || st.Text.S[i] != '$' {
			return false
		}
		off := st.Text.Offset(i)
		if off < 0 || off >= len(data) {
			return false
		}
		switch data[off] {
		case '\\':
			return false // an escaped \$
		case '$':
			for _, t := range st.Strings {
				if t.Off <= off && off < t.End {
					return t.Quote.GString() && interpolationAt(t, off)
				}
			}
			return false
		}
		return true // ${source} of a non-string operand
	}
}

// interpolationAt reports whether a '$' at file offset off starts one of
// the token's interpolation parts.
func interpolationAt(t *jenkinsfile.Token, off int) bool {
	for k := range t.Parts {
		p := &t.Parts[k]
		switch p.Kind {
		case jenkinsfile.ExprPart:
			if p.Off-2 == off {
				return true
			}
		case jenkinsfile.PathPart:
			if p.Off-1 == off {
				return true
			}
		}
	}
	return false
}
