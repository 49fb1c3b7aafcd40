// Package source finds input files, tells their kind, reads them safely and
// offers position helpers shared by the parsers in its sub-packages
// (jcasc, discovery, jenkinsfile). Every parsed value keeps its file, line and
// column.
package source

import (
	"bytes"
	"fmt"
	"sort"
	"sync"
	"unicode/utf8"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
)

// Kind is what a file holds.
type Kind int

// File kinds.
const (
	Unknown     Kind = iota
	JCasC            // Jenkins Configuration-as-Code YAML
	Discovery        // OIDC provider discovery metadata JSON
	Jenkinsfile      // declarative or scripted pipeline (Groovy)
	PluginList       // plugins.txt or the plugin installation manager's plugins.yaml
	Dockerfile       // a controller image's Dockerfile (jenkins-plugin-cli lines, image tag)
	Terraform        // a Terraform file (*.tf): trust policies, OIDC providers, helm_release values
	TrustPolicy      // an IAM policy document or a CloudFormation template holding trust policies
)

// String names the kind as users write it.
func (k Kind) String() string {
	switch k {
	case JCasC:
		return "jcasc"
	case Discovery:
		return "discovery"
	case Jenkinsfile:
		return "jenkinsfile"
	case PluginList:
		return "plugin-list"
	case Dockerfile:
		return "dockerfile"
	case Container:
		return "container"
	case Terraform:
		return "terraform"
	case TrustPolicy:
		return "trust-policy"
	}
	return "unknown"
}

// File is one input: its path as given (slash-separated, relative where the
// user gave a relative path), its bytes, and an index of line starts.
type File struct {
	Path string
	Data []byte
	Kind Kind
	// Regular is set by Read for a regular file: one that can be read again
	// (not standard input, a pipe or a device).
	Regular bool
	// Embed is set on a JCasC document found inside another YAML file: it
	// maps the document back to that file.
	Embed *Embedding
	lines []int32 // byte offset of the start of each line
	runes runeIndex
}

// longLine is the line length (bytes) from which positions are computed
// with the rune index rather than by counting from the start of the line,
// which is quadratic over a long minified line.
const longLine = 256

// runeIndex counts the runes before every 64-byte block of a valid UTF-8
// file, built on first need.
type runeIndex struct {
	once   sync.Once
	blocks []int32 // nil: not valid UTF-8, count by hand
}

const runeBlock = 64

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

func (f *File) runeIdx() *runeIndex {
	x := &f.runes
	x.once.Do(func() {
		if !utf8.Valid(f.Data) {
			return
		}
		x.blocks = make([]int32, len(f.Data)/runeBlock+1)
		var n int32
		for i, b := range f.Data {
			if i%runeBlock == 0 {
				x.blocks[i/runeBlock] = n
			}
			if isRuneStart(b) {
				n++
			}
		}
		if len(f.Data)%runeBlock == 0 {
			x.blocks[len(f.Data)/runeBlock] = n // a last block that starts at the end
		}
	})
	if x.blocks == nil {
		return nil
	}
	return x
}

// before counts the runes in data[:off].
func (x *runeIndex) before(data []byte, off int) int {
	k := off / runeBlock
	n := int(x.blocks[k])
	for _, b := range data[k*runeBlock : off] {
		if isRuneStart(b) {
			n++
		}
	}
	return n
}

// at is the offset of rune number target (counted from the start of data)
// within [lo, hi), or hi.
func (x *runeIndex) at(data []byte, lo, hi, target int) int {
	k := sort.Search(len(x.blocks), func(k int) bool { return int(x.blocks[k]) > target }) - 1
	p := max(k*runeBlock, lo)
	n := x.before(data, p)
	for ; p < hi; p++ {
		if isRuneStart(data[p]) {
			if n == target {
				return p
			}
			n++
		}
	}
	return hi
}

// MaxSize is the largest input a File holds (its line index counts in
// 32 bits); the engine refuses larger files before reading them.
const MaxSize = 1 << 30

// NewFile indexes data's lines. A line ends at "\n", "\r\n" or a lone "\r"
// (as YAML and Groovy count them). Data beyond MaxSize is not indexed: its
// positions clamp to the last indexed line.
func NewFile(path string, data []byte) *File {
	f := &File{Path: path, Data: data}
	indexed := data
	if len(indexed) > MaxSize {
		indexed = indexed[:MaxSize]
	}
	if bytes.IndexByte(indexed, '\r') < 0 {
		f.lines = make([]int32, 1, bytes.Count(indexed, []byte{'\n'})+1)
		for i := 0; ; {
			k := bytes.IndexByte(indexed[i:], '\n')
			if k < 0 {
				break
			}
			i += k + 1
			f.lines = append(f.lines, int32(i))
		}
		return f
	}
	n := 1
	for i, b := range indexed {
		if b == '\n' || b == '\r' && f.loneCR(i) {
			n++
		}
	}
	f.lines = make([]int32, 1, n)
	for i, b := range indexed {
		if b == '\n' || b == '\r' && f.loneCR(i) {
			f.lines = append(f.lines, int32(i+1))
		}
	}
	return f
}

// loneCR reports whether the byte at off is a "\r" that ends a line by
// itself (not the first half of "\r\n").
func (f *File) loneCR(off int) bool {
	return f.Data[off] == '\r' && (off+1 == len(f.Data) || f.Data[off+1] != '\n')
}

// LineCount is the number of lines (a final line without newline counts).
func (f *File) LineCount() int { return len(f.lines) }

// Line returns line n (1-based) without its line ending.
func (f *File) Line(n int) []byte {
	if n < 1 || n > len(f.lines) {
		return nil
	}
	start := int(f.lines[n-1])
	end := len(f.Data)
	if n < len(f.lines) {
		end = int(f.lines[n]) - 1
	}
	l := f.Data[start:end]
	return bytes.TrimSuffix(l, []byte("\r"))
}

// Offset converts a 1-based line and character column to a byte offset.
// Columns past the end of the line clamp to its end.
func (f *File) Offset(line, col int) int {
	if line < 1 {
		return 0
	}
	if line > len(f.lines) {
		return len(f.Data)
	}
	off := int(f.lines[line-1])
	if col > longLine {
		if x := f.runeIdx(); x != nil {
			end := len(f.Data)
			if line < len(f.lines) {
				end = int(f.lines[line]) - 1 // its "\n" or lone "\r"
			}
			return x.at(f.Data, off, end, x.before(f.Data, off)+col-1)
		}
	}
	for c := 1; c < col && off < len(f.Data) && f.Data[off] != '\n' && !f.loneCR(off); c++ {
		_, size := utf8.DecodeRune(f.Data[off:])
		off += size
	}
	return off
}

// PosAt converts a byte offset to a position (line, character column).
func (f *File) PosAt(off int) report.Position {
	if off < 0 {
		off = 0
	}
	if off > len(f.Data) {
		off = len(f.Data)
	}
	i := sort.Search(len(f.lines), func(i int) bool { return int(f.lines[i]) > off }) - 1
	if i < 0 {
		i = 0
	}
	start := int(f.lines[i])
	if off-start > longLine {
		if x := f.runeIdx(); x != nil {
			return report.Position{Path: f.Path, Line: i + 1, Col: x.before(f.Data, off) - x.before(f.Data, start) + 1}
		}
	}
	col := utf8.RuneCount(f.Data[start:off]) + 1
	return report.Position{Path: f.Path, Line: i + 1, Col: col}
}

// Pos makes a position in this file.
func (f *File) Pos(line, col int) report.Position {
	return report.Position{Path: f.Path, Line: line, Col: col}
}

// CheckText rejects binary data and invalid UTF-8, naming the line of the
// first bad byte.
func CheckText(f *File) *report.FileError {
	if i := bytes.IndexByte(f.Data, 0); i >= 0 {
		return &report.FileError{Pos: f.PosAt(i), Message: "binary file (NUL byte); not a text file"}
	}
	if !utf8.Valid(f.Data) {
		data := f.Data
		off := 0
		for len(data) > 0 {
			r, size := utf8.DecodeRune(data)
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
			data = data[size:]
		}
		return &report.FileError{Pos: f.PosAt(off), Message: fmt.Sprintf("invalid UTF-8 (byte 0x%02x at offset %d)", f.Data[off], off)}
	}
	return nil
}
