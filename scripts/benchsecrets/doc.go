package main

import (
	"strconv"
	"strings"
)

// mark is a line of a generated file that holds a planted secret or a piece
// of false-positive bait.
type mark struct {
	Line    int    // 1-based
	Kind    string // secret kind or bait category
	Context string // the line with the secret replaced by <kind>
}

// doc is a generated file, line by line, with its marks.
type doc struct {
	lines   []string
	size    int
	planted []mark
	bait    []mark
}

func (d *doc) add(lines ...string) {
	for _, l := range lines {
		d.lines = append(d.lines, l)
		d.size += len(l) + 1
	}
}

// secret adds prefix+value+suffix as one line and records it as planted.
func (d *doc) secret(kind, prefix, value, suffix string) {
	d.planted = append(d.planted, mark{len(d.lines) + 1, kind, prefix + "<" + kind + ">" + suffix})
	d.add(prefix + value + suffix)
}

// secretBlock adds a multi-line secret (a PEM block) after prefix, each line
// indented; the planted line is the first line of the block.
func (d *doc) secretBlock(kind, indent string, block []string) {
	d.planted = append(d.planted, mark{len(d.lines) + 1, kind, indent + block[0] + " <" + kind + ", " + itoa(len(block)) + " lines>"})
	for _, l := range block {
		d.add(indent + l)
	}
}

// baitLine adds a line of false-positive bait of category cat.
func (d *doc) baitLine(cat, line string) {
	d.bait = append(d.bait, mark{len(d.lines) + 1, cat, shorten(line)})
	d.add(line)
}

// baitBlock adds a multi-line piece of bait.
func (d *doc) baitBlock(cat, indent string, block []string) {
	for _, l := range block {
		d.baitLine(cat, indent+l)
	}
}

// appendLast appends s to the last line (JSON commas).
func (d *doc) appendLast(s string) {
	d.lines[len(d.lines)-1] += s
	d.size += len(s)
}

func (d *doc) bytes() []byte {
	var b strings.Builder
	b.Grow(d.size)
	for _, l := range d.lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

func shorten(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 110 {
		return s[:100] + "…(" + itoa(len(s)) + " bytes)"
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }
