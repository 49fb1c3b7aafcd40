package secrets

import (
	"fmt"
	"sort"
	"strings"
)

// This file turns the rows of formats (formats.go) into the matchers the
// scan runs at its anchor bytes. Nothing here knows a particular format.

// byteSet is a set of bytes, one flag per byte value.
type byteSet [256]bool

// baseAnchors are the bytes the hand-written detectors stop at. A prefix is
// anchored on the first of them it contains; a prefix without any adds its
// last byte to its table's anchors.
const baseAnchors = "A-_~J:=>"

// tokenTable is a compiled list of formats: the anchor bytes, and per anchor
// byte the prefixes that hold it, ready to be checked around a stop.
type tokenTable struct {
	rows   []*format
	anchor [256]uint8
	slots  [256]*anchorSlot
	// urls are the prefixes of inURL rows, longest first; urlFirst holds
	// their first bytes.
	urls     []prefixAt
	urlFirst byteSet
	// public are the public prefixes (Redact, hasTokenPrefix), longest first.
	public []string
	// kinds describes every kind: the hand detectors' and the rows'.
	kinds map[string]kindInfo
	// The formats hand-written detectors test values against.
	jenkins, okta, awsSecret *format
}

// anchorSlot holds the prefixes anchored on one byte, bucketed by the byte
// right before the anchor (prefixes whose anchor is not their first byte)
// or right after it (prefixes that start with it); index 0 means none.
// next[i] is the set of bytes that the prefixes of bucket i have one byte
// further out (every byte for a prefix that ends there; next[0], no
// bucket, is empty): the scan's quick test, near, looks at these two
// bytes, so that common letters before a '-' or '_' rarely cost more.
// Indexed by bucket, not by byte, a slot is a few hundred bytes, not 17 KB
// zeroed at the first scan.
type anchorSlot struct {
	// fwdless: no prefix starts with the anchor byte (nearBack does);
	// backless: every prefix does (nearFwd does).
	fwdless, backless bool
	back, fwd         [256]uint8
	next              [][4]uint64
	lists             [][]prefixAt
	// all are the slot's prefixes, for the ambiguity check.
	all []prefixAt
}

// newSlot is a slot without prefixes: no bucket, next[0] empty.
func newSlot() *anchorSlot {
	return &anchorSlot{fwdless: true, backless: true, next: make([][4]uint64, 1)}
}

// prefixAt is one prefix of a row, with the offset of its anchor byte.
type prefixAt struct {
	f      *format
	prefix string
	k      int
}

// compileFormats checks rows and builds their table. It refuses rows that
// would make the scan ambiguous or slow: two rows with the same prefix, two
// prefixes that can match at the same anchor with different spans, unknown
// kinds without a description, empty alphabets, bad classes.
func compileFormats(src []format) (*tokenTable, error) {
	t := &tokenTable{kinds: make(map[string]kindInfo, len(kinds())+len(src))}
	for k, v := range kinds() {
		t.kinds[k] = v
	}
	for _, c := range []byte(baseAnchors) {
		t.anchor[c] = 1
		t.slots[c] = newSlot() // the scan asks them all
	}
	sets := map[string]*byteSet{}
	set := func(spec string) (*byteSet, error) {
		if s, ok := sets[spec]; ok {
			return s, nil
		}
		s, err := parseClass(spec)
		if err != nil {
			return nil, err
		}
		sets[spec] = s
		return s, nil
	}
	seenPublic := map[string]bool{}
	for i := range src {
		f := new(format)
		*f = src[i]
		t.rows = append(t.rows, f)
		name := f.Name
		if name == "" {
			return nil, fmt.Errorf("row %d (%s): no name", i, f.Kind)
		}
		switch k, ok := t.kinds[f.Kind]; {
		case !ok && f.Description == "":
			return nil, fmt.Errorf("%s: kind %q is unknown: give it a Description", name, f.Kind)
		case !ok:
			t.kinds[f.Kind] = kindInfo{desc: f.Description, prio: tokenPrio}
		case f.Description != "" && f.Description != k.desc:
			return nil, fmt.Errorf("%s: kind %q is described as %q already", name, f.Kind, k.desc)
		}
		var err error
		if f.Alphabet == "" {
			return nil, fmt.Errorf("%s: no alphabet", name)
		}
		if f.alpha, err = set(f.Alphabet); err != nil {
			return nil, fmt.Errorf("%s: alphabet: %v", name, err)
		}
		before, after := f.Before, f.After
		if before == "" {
			before = notWord
		}
		if after == "" {
			after = notWord
		}
		if f.before, err = set(before); err != nil {
			return nil, fmt.Errorf("%s: before: %v", name, err)
		}
		if f.after, err = set(after); err != nil {
			return nil, fmt.Errorf("%s: after: %v", name, err)
		}
		for _, h := range f.Head {
			s, err := set(h)
			if err != nil {
				return nil, fmt.Errorf("%s: head: %v", name, err)
			}
			f.head = append(f.head, s)
		}
		for k := 0; k < len(f.Trim); k++ {
			f.trim[f.Trim[k]] = true
		}
		if f.Min < 1 || (f.Max > 0 && f.Max < f.Min) {
			return nil, fmt.Errorf("%s: length %d..%d", name, f.Min, f.Max)
		}
		switch {
		case f.Read > 0:
			f.read = f.Read
		case f.Trim == "" && f.Max > 0:
			f.read = f.Max + 1 // enough to see that a longer run is too long
		default:
			f.read = 0 // the whole run, memoised
		}
		if f.Read > 0 && f.Read < f.Max {
			return nil, fmt.Errorf("%s: reads %d bytes, less than its maximum %d", name, f.Read, f.Max)
		}
		if len(f.Prefixes) == 0 && f.In != inValue {
			return nil, fmt.Errorf("%s: only a format tested in context (In: inValue) may have no prefix", name)
		}
		for _, p := range f.Public {
			if seenPublic[p] {
				return nil, fmt.Errorf("%s: public prefix %q is claimed twice", name, p)
			}
			seenPublic[p] = true
			ok := false
			for _, q := range f.Prefixes {
				ok = ok || strings.HasPrefix(q, p) || strings.HasPrefix(p, q)
			}
			if !ok {
				return nil, fmt.Errorf("%s: public prefix %q starts none of its prefixes", name, p)
			}
			t.public = append(t.public, p)
		}
		switch f.In {
		case anywhere:
			for _, p := range f.Prefixes {
				if err := t.addPrefix(f, p); err != nil {
					return nil, fmt.Errorf("%s: %v", name, err)
				}
			}
		case inURL:
			for _, p := range f.Prefixes {
				t.urls = append(t.urls, prefixAt{f: f, prefix: p})
				t.urlFirst[p[0]] = true
			}
		case inValue:
			switch f.Kind {
			case KindJenkinsAPIToken:
				t.jenkins = f
			case KindOktaAPIToken:
				t.okta = f
			case KindAWSSecretAccessKey:
				t.awsSecret = f
			}
		}
	}
	if t.jenkins == nil || t.okta == nil || t.awsSecret == nil {
		return nil, fmt.Errorf("the Jenkins, Okta and AWS secret key rows (In: inValue) are missing")
	}
	byLen := func(ps []prefixAt) {
		sort.SliceStable(ps, func(i, j int) bool { return len(ps[i].prefix) > len(ps[j].prefix) })
	}
	for i, a := range t.urls {
		for _, b := range t.urls[:i] {
			if a.prefix == b.prefix {
				return nil, fmt.Errorf("%s and %s: both claim %q", a.f.Name, b.f.Name, a.prefix)
			}
		}
	}
	byLen(t.urls)
	for _, sl := range t.slots {
		if sl == nil {
			continue
		}
		if err := unambiguous(sl.all); err != nil {
			return nil, err
		}
		for _, l := range sl.lists {
			byLen(l)
		}
	}
	for _, p := range handPublic {
		if seenPublic[p] {
			return nil, fmt.Errorf("public prefix %q is a hand-written detector's", p)
		}
		t.public = append(t.public, p)
	}
	sort.SliceStable(t.public, func(i, j int) bool { return len(t.public[i]) > len(t.public[j]) })
	return t, nil
}

// handPublic are the public prefixes of hand-written detectors: a JWT's
// "eyJ" (base64 of `{"`).
var handPublic = []string{"eyJ"}

// tokenPrio ranks the kinds rows add: as the other token formats.
const tokenPrio = 80

// notWord is the default edge of a token: anything but a word character.
const notWord = "^A-Za-z0-9_"

// addPrefix files p under its anchor byte.
func (t *tokenTable) addPrefix(f *format, p string) error {
	if len(p) < 2 || strings.IndexByte(p, 0) >= 0 {
		return fmt.Errorf("prefix %q: at least two bytes, no NUL", p)
	}
	k := strings.IndexAny(p, baseAnchors)
	if k < 0 {
		k = len(p) - 1
		t.anchor[p[k]] = 1
	}
	c := p[k]
	sl := t.slots[c]
	if sl == nil {
		sl = newSlot()
		t.slots[c] = sl
	}
	var idx *[256]uint8
	var key byte
	sl.fwdless = sl.fwdless && k > 0
	sl.backless = sl.backless && k == 0
	if k > 0 {
		idx, key = &sl.back, p[k-1]
	} else {
		idx, key = &sl.fwd, p[1]
	}
	if idx[key] == 0 {
		if len(sl.lists) == 255 {
			return fmt.Errorf("prefix %q: too many buckets", p)
		}
		sl.lists = append(sl.lists, nil)
		sl.next = append(sl.next, [4]uint64{})
		idx[key] = uint8(len(sl.lists))
	}
	b := idx[key] - 1
	sl.lists[b] = append(sl.lists[b], prefixAt{f: f, prefix: p, k: k})
	next := &sl.next[idx[key]]
	switch {
	case k > 1:
		next[p[k-2]>>6] |= 1 << (p[k-2] & 63)
	case k == 0 && len(p) > 2:
		next[p[2]>>6] |= 1 << (p[2] & 63)
	default:
		*next = [4]uint64{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}
	}
	sl.all = append(sl.all, prefixAt{f: f, prefix: p, k: k})
	return nil
}

// unambiguous refuses two prefixes of one anchor byte that can both match the
// same text with different starts or ends, unless one holds the other (then
// the longer, more specific one is tried first and decides).
func unambiguous(l []prefixAt) error {
	for i, a := range l {
		for _, b := range l[:i] {
			if a.prefix == b.prefix {
				return fmt.Errorf("%s and %s: both claim %q", a.f.Name, b.f.Name, a.prefix)
			}
			// Align both on the anchor and compare where both are defined.
			lo, hi := max(-a.k, -b.k), min(len(a.prefix)-a.k, len(b.prefix)-b.k)
			agree := true
			for x := lo; x < hi; x++ {
				if a.prefix[a.k+x] != b.prefix[b.k+x] {
					agree = false
					break
				}
			}
			if !agree {
				continue
			}
			aHoldsB := a.k >= b.k && len(a.prefix)-a.k >= len(b.prefix)-b.k
			bHoldsA := b.k >= a.k && len(b.prefix)-b.k >= len(a.prefix)-a.k
			if !aHoldsB && !bHoldsA {
				return fmt.Errorf("%s (%q) and %s (%q) can match the same text with different spans", a.f.Name, a.prefix, b.f.Name, b.prefix)
			}
		}
	}
	return nil
}

// parseClass reads a class of bytes written as inside a regular
// expression's brackets: "A-Za-z0-9_-" (ranges, literal bytes; '-' first or
// last is literal; a backslash takes the next byte literally), "^…" for
// every byte not listed.
func parseClass(spec string) (*byteSet, error) {
	var s byteSet
	neg := strings.HasPrefix(spec, "^")
	if neg {
		spec = spec[1:]
	}
	if spec == "" {
		return nil, fmt.Errorf("empty class")
	}
	for i := 0; i < len(spec); i++ {
		lo := spec[i]
		if lo == '\\' {
			if i+1 == len(spec) {
				return nil, fmt.Errorf("class %q ends in a backslash", spec)
			}
			i++
			lo = spec[i]
		}
		hi := lo
		if i+2 < len(spec) && spec[i+1] == '-' {
			hi = spec[i+2]
			if hi == '\\' {
				return nil, fmt.Errorf("class %q: escaped range end", spec)
			}
			if hi < lo {
				return nil, fmt.Errorf("class %q: range %c-%c", spec, lo, hi)
			}
			i += 2
		}
		for c := int(lo); c <= int(hi); c++ {
			s[c] = true
		}
	}
	if neg {
		for c := range s {
			s[c] = !s[c]
		}
	}
	return &s, nil
}

// near reports whether a prefix of the slot may hold the anchor at i, two
// bytes or more from either end of d: the two bytes before it, or the two
// after it, are ones a prefix has there. It is the scan's quick test, small
// enough to be inlined.
func (sl *anchorSlot) near(d []byte, i int) bool {
	b1, b2, a1, a2 := d[i-1], d[i-2], d[i+1], d[i+2]
	return sl.next[sl.back[b1]][b2>>6]&(1<<(b2&63))|sl.next[sl.fwd[a1]][a2>>6]&(1<<(a2&63)) != 0
}

// nearBack is near for a slot without forward prefixes (fwdless).
func (sl *anchorSlot) nearBack(d []byte, i int) bool {
	b1, b2 := d[i-1], d[i-2]
	return sl.next[sl.back[b1]][b2>>6]&(1<<(b2&63)) != 0
}

// nearFwd is near for a slot with forward prefixes only (backless).
func (sl *anchorSlot) nearFwd(d []byte, i int) bool {
	a1, a2 := d[i+1], d[i+2]
	return sl.next[sl.fwd[a1]][a2>>6]&(1<<(a2&63)) != 0
}

// tokenAt runs the rows whose prefix holds the anchor byte at i. It reports
// whether a prefix matched there: the first (longest) one that does decides,
// whether or not its token passes.
func (sc *scanner) tokenAt(i int) bool {
	d := sc.d
	sl := sc.t.slots[d[i]]
	var l []prefixAt
	if i > 0 {
		if x := sl.back[d[i-1]]; x != 0 {
			l = sl.lists[x-1]
		}
	}
	for pass := 0; pass < 2; pass++ {
		for j := range l {
			p := &l[j]
			p0 := i - p.k
			if !hasPrefixAt(d, p0, p.prefix) {
				continue
			}
			// the common refusal first: a word goes on before it
			if s := p0 - len(p.f.head); s <= 0 || p.f.before[d[s-1]] {
				sc.tokenFrom(p.f, p0, len(p.prefix))
			}
			return true
		}
		l = nil
		if i+1 < len(d) {
			if x := sl.fwd[d[i+1]]; x != 0 {
				l = sl.lists[x-1]
			}
		}
	}
	return false
}

// tokenFrom checks the token of f whose prefix (plen bytes) starts at p0,
// and adds it (or, for a paired format, holds it) when it passes.
func (sc *scanner) tokenFrom(f *format, p0, plen int) {
	d := sc.d
	s := p0 - len(f.head)
	if s < 0 {
		return
	}
	for k, h := range f.head {
		if !h[d[s+k]] {
			return
		}
	}
	if s > 0 && !f.before[d[s-1]] {
		return
	}
	e, ok := sc.tokenEnd(f, p0+plen)
	if !ok || !f.gate(d[s:e], d[p0+plen:e]) {
		return
	}
	if f.Paired {
		sc.akia = append(sc.akia, cand{s: s, e: e, kind: f.Kind})
		return
	}
	sc.add(s, e, f.Kind)
}

// tokenEnd reads the body of f that starts at b: the run of its alphabet,
// trimmed, of an allowed length, followed by an allowed byte (a format found
// inside a URL is bounded by the URL instead).
func (sc *scanner) tokenEnd(f *format, b int) (int, bool) {
	d := sc.d
	var e int
	if f.read > 0 {
		e = runSet(d, b, f.alpha, f.read)
	} else {
		e = sc.runEndSet(b, f.alpha)
	}
	for e > b && f.trim[d[e-1]] {
		e--
	}
	if l := e - b; l < f.Min || (f.Max > 0 && l > f.Max) {
		return 0, false
	}
	if f.In != inURL && e < len(d) && !f.after[d[e]] {
		return 0, false
	}
	return e, true
}

// gate applies the row's entropy and placeholder test (to the body, or with
// Whole to the whole token) and its Check.
func (f *format) gate(tok, body []byte) bool {
	x := body
	if f.Whole {
		x = tok
	}
	if !notPlaceholderToken(x, f.Entropy) {
		return false
	}
	return f.Check == nil || f.Check(body)
}

// fits reports whether v is, as a whole, shaped like a token of f: a prefix,
// then Min to Max bytes of the alphabet. Context detectors use it on values.
func (f *format) fits(v []byte) bool {
	if len(v) < len(f.head) {
		return false
	}
	for k, h := range f.head {
		if !h[v[k]] {
			return false
		}
	}
	v = v[len(f.head):]
	b := -1
	if len(f.Prefixes) == 0 {
		b = 0
	}
	for _, p := range f.Prefixes {
		if hasPrefixAt(v, 0, p) {
			b = len(p)
			break
		}
	}
	if b < 0 {
		return false
	}
	body := v[b:]
	if len(body) < f.Min || (f.Max > 0 && len(body) > f.Max) {
		return false
	}
	for _, c := range body {
		if !f.alpha[c] {
			return false
		}
	}
	return true
}

// accepts reports whether v fits f and passes its gate.
func (f *format) accepts(v []byte) bool {
	if !f.fits(v) {
		return false
	}
	b := len(f.head)
	for _, p := range f.Prefixes {
		if hasPrefixAt(v, b, p) {
			b += len(p)
			break
		}
	}
	return f.gate(v, v[b:])
}

// urlToken runs the inURL rows on the URL whose scheme starts at s and whose
// host starts at a (a URL without userinfo): a match spans the whole URL
// from its scheme.
func (sc *scanner) urlToken(s, a int) {
	for _, p := range sc.t.urls {
		if hasPrefixAt(sc.d, a, p.prefix) {
			if e, ok := sc.tokenEnd(p.f, a+len(p.prefix)); ok && p.f.gate(sc.d[s:e], sc.d[a+len(p.prefix):e]) {
				sc.add(s, e, p.f.Kind)
			}
			return
		}
	}
}

// runSet returns the end of the run of bytes of set starting at i, reading
// at most max bytes.
func runSet(data []byte, i int, set *byteSet, max int) int {
	end := min(i+max, len(data))
	for i < end && set[data[i]] {
		i++
	}
	return i
}

// runEndSet is runSet without a length limit, memoised: a row whose prefix
// recurs inside a long run of its own alphabet (glpat-glpat-…) reuses the
// run's end, so the scan stays linear.
func (sc *scanner) runEndSet(i int, set *byteSet) int {
	r := &sc.runMemo
	if r.set == set && r.s <= i && i < r.e {
		return r.e
	}
	e := runSet(sc.d, i, set, len(sc.d))
	r.s, r.e, r.set = i, e, set
	return e
}

// hasTokenPrefix reports whether v starts with the public prefix of a token
// format of the table.
func (t *tokenTable) hasTokenPrefix(v []byte) bool {
	for _, p := range t.public {
		if hasPrefixAt(v, 0, p) {
			return true
		}
	}
	return false
}

func mustCompile(src []format) *tokenTable {
	t, err := compileFormats(src)
	if err != nil {
		panic("secrets: " + err.Error())
	}
	return t
}
