package secrets

import (
	"bytes"
	"sort"
	"sync"
)

type cand struct {
	s, e int
	kind string
	prio int
}

type scanner struct {
	d []byte
	// t is the table of token formats (formats.go), compiled.
	t     *tokenTable
	cands []cand
	// akia holds the spans of AWS access key ids: they are reported only
	// when a secret access key sits near them.
	akia []cand
	// awsSecrets holds the spans of AWS secret access keys already found.
	awsSecrets []cand
	// names caches isSecretName: files repeat the same few names.
	names map[string]bool
	// Memos of forward searches keep the scan linear when anchors repeat.
	endMemo, beginMemo, pkMemo memo
	lastGCP                    int
	runMemo                    struct {
		s, e int
		set  *byteSet
	}
	curlMemo, loginMemo cmdMemo
}

// cmdMemo remembers, for the line being scanned, where it starts and whether
// a command word was seen on it.
type cmdMemo struct {
	pos, ls, from int
	found         bool
}

// cmdBefore reports whether cmd occurs on the line of i, before i. Calls come
// with growing i, so each byte is looked at a bounded number of times.
func (sc *scanner) cmdBefore(m *cmdMemo, i int, cmd string) bool {
	d := sc.d
	if i < m.pos {
		*m = cmdMemo{}
	}
	if k := bytes.LastIndexByte(d[m.pos:i], '\n'); k >= 0 {
		m.ls, m.from, m.found = m.pos+k+1, m.pos+k+1, false
	}
	if !m.found {
		from := max(m.from-len(cmd)+1, m.ls)
		m.found = bytes.Contains(d[from:i], []byte(cmd))
		m.from = i
	}
	m.pos = i
	return m.found
}

// memo remembers the result of searching for a pattern from a position: at
// is the first match at or after from, or -1 for none up to the end.
type memo struct {
	valid    bool
	from, at int
}

// next returns the index of the first pat at or after from, or -1. Successive
// calls with growing from cost one pass over the data in total.
func (sc *scanner) next(m *memo, pat string, from int) int {
	if m.valid && m.from <= from && (m.at < 0 || from <= m.at) {
		return m.at
	}
	at := -1
	if from <= len(sc.d) {
		if k := bytes.Index(sc.d[from:], []byte(pat)); k >= 0 {
			at = from + k
		}
	}
	*m = memo{valid: true, from: from, at: at}
	return at
}

// secretName is isSecretName behind the scanner's cache.
func (sc *scanner) secretName(name []byte) bool {
	if !quickStem(name) {
		return false
	}
	if v, ok := sc.names[string(name)]; ok {
		return v
	}
	v := isSecretName(name)
	if sc.names == nil {
		sc.names = make(map[string]bool)
	}
	if len(sc.names) < 4096 {
		sc.names[string(name)] = v
	}
	return v
}

// Scan finds secrets in data: known token formats anywhere, private key
// blocks, JWTs, credentials inside URLs and on command lines, and literal
// values assigned to secret-named variables and fields (password=, token:,
// <secret>…) that pass the entropy and placeholder tests. The matches are
// sorted by Start and do not overlap; where two detectors claim the same bytes
// the more specific one wins (a GitHub token assigned to TOKEN is a
// "github-pat", not a "generic-assignment").
func Scan(data []byte) []Match { return scan(data, defaultTable()) }

// defaultTable is the compiled formats table, compiled on first use: a
// run that scans nothing (--version, a run on no files) does not pay for it.
var defaultTable = sync.OnceValue(func() *tokenTable { return mustCompile(formats) })

func scan(data []byte, t *tokenTable) []Match {
	sc := scanner{d: data, t: t, lastGCP: -1}
	sc.run()
	sc.pairAWS()
	return sc.resolve()
}

func (sc *scanner) add(s, e int, kind string) {
	if s < 0 || e > len(sc.d) || s >= e {
		return
	}
	sc.cands = append(sc.cands, cand{s: s, e: e, kind: kind, prio: sc.t.kinds[kind].prio})
}

func (sc *scanner) run() {
	d := sc.d
	n := len(d)
	anchor := &sc.t.anchor
	slots := &sc.t.slots
	// Rows anchored where hand-written detectors are (none today) take the
	// byte from them where their prefix matches.
	shared := len(slots['J'].all)+len(slots[':'].all)+len(slots['='].all)+len(slots['>'].all) > 0
	for i := 0; i < n; i++ {
		// Skip eight bytes at a time while none of them is an anchor.
		for i+8 <= n {
			b := d[i : i+8 : i+8]
			if anchor[b[0]]|anchor[b[1]]|anchor[b[2]]|anchor[b[3]]|anchor[b[4]]|anchor[b[5]]|anchor[b[6]]|anchor[b[7]] != 0 {
				break
			}
			i += 8
		}
		for i < n && anchor[d[i]] == 0 {
			i++
		}
		if i >= n {
			break
		}
		switch c := d[i]; c {
		case '-':
			sc.atDash(i)
		case ':':
			if !shared || !sc.tokenAt(i) {
				sc.atColon(i)
			}
		case '=':
			if !shared || !sc.tokenAt(i) {
				sc.atEquals(i)
			}
		case '_':
			// A prefix of the table may hold the anchor only where the two
			// bytes on either side are ones it has there (near, inlined);
			// at the ends of the text the table is always asked.
			sl := slots['_']
			edge := i < 2 || i+2 >= n
			if (edge || sl.fwdless && sl.nearBack(d, i) || !sl.fwdless && sl.near(d, i)) && sc.tokenAt(i) {
				break
			}
			sc.atUnderscore(i)
		case 'A', '~':
			sl := slots[c]
			edge := i < 2 || i+2 >= n
			if edge || sl.backless && sl.nearFwd(d, i) || sl.fwdless && sl.nearBack(d, i) || !sl.backless && !sl.fwdless && sl.near(d, i) {
				sc.tokenAt(i)
			}
		case 'J':
			if !shared || !sc.tokenAt(i) {
				sc.atJ(i)
			}
		case '>':
			if !shared || !sc.tokenAt(i) {
				sc.atGT(i)
			}
		default:
			// the last byte of a prefix that holds no base anchor
			sc.tokenAt(i)
		}
	}
}

// resolve drops overlapping candidates, keeping the higher priority (then the
// earlier, then the longer), and returns the matches sorted by Start.
func (sc *scanner) resolve() []Match {
	c := sc.cands
	if len(c) == 0 {
		return nil
	}
	sort.SliceStable(c, func(i, j int) bool {
		if c[i].s != c[j].s {
			return c[i].s < c[j].s
		}
		if c[i].e != c[j].e {
			return c[i].e > c[j].e
		}
		return c[i].prio > c[j].prio
	})
	// Kept candidates never overlap and are sorted by start, and every kept
	// one starts at or before x, so only the top of the stack can overlap x.
	st := make([]cand, 0, len(c))
	for _, x := range c {
		keep := true
		k := len(st)
		for k > 0 && st[k-1].e > x.s {
			if st[k-1].prio >= x.prio {
				keep = false
				break
			}
			k--
		}
		if !keep {
			continue
		}
		st = st[:k]
		st = append(st, x)
	}
	out := make([]Match, len(st))
	for i, x := range st {
		out[i] = Match{Start: x.s, End: x.e, Kind: x.kind, Description: sc.t.kinds[x.kind].desc}
	}
	return out
}
