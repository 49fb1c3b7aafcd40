package jenkinsfile

import (
	"sort"
	"unicode/utf8"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// posIndex converts byte offsets to line and rune column in O(log n)
// whatever the length of the line (source.File.PosAt counts the runes
// from the start of the line, which is quadratic over a long minified
// line). For invalid UTF-8 it defers to source.File.PosAt.
type posIndex struct {
	src    *source.File
	data   []byte
	lines  []int
	blocks []int32 // rune starts in data[:64*k]
	valid  bool
}

const posBlock = 64

func newPosIndex(f *source.File) *posIndex {
	x := &posIndex{src: f, data: f.Data, valid: utf8.Valid(f.Data)}
	if !x.valid {
		return x
	}
	x.lines = append(x.lines, 0)
	x.blocks = make([]int32, len(f.Data)/posBlock+1)
	var runes int32
	for i, b := range f.Data {
		if i%posBlock == 0 {
			x.blocks[i/posBlock] = runes
		}
		if b&0xC0 != 0x80 {
			runes++
		}
		if b == '\n' || b == '\r' && (i+1 == len(f.Data) || f.Data[i+1] != '\n') {
			x.lines = append(x.lines, i+1) // lines end as source.File counts them
		}
	}
	return x
}

// runesBefore counts the runes in data[:off].
func (x *posIndex) runesBefore(off int) int {
	k := off / posBlock
	n := int(x.blocks[k])
	for _, b := range x.data[k*posBlock : off] {
		if b&0xC0 != 0x80 {
			n++
		}
	}
	return n
}

func (x *posIndex) pos(off int) report.Position {
	if !x.valid {
		return x.src.PosAt(off)
	}
	if off < 0 {
		off = 0
	}
	if off > len(x.data) {
		off = len(x.data)
	}
	i := sort.Search(len(x.lines), func(i int) bool { return x.lines[i] > off }) - 1
	col := x.runesBefore(off) - x.runesBefore(x.lines[i]) + 1
	return report.Position{Path: x.src.Path, Line: i + 1, Col: col}
}
