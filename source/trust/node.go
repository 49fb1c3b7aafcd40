package trust

import (
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// node is the one tree the policy reader walks, whatever the policy was
// written in (JSON, CloudFormation YAML, Terraform jsonencode or
// aws_iam_policy_document): a scalar (Known or Unknown), a mapping or a
// list, each with its place.
type node struct {
	kind  nodeKind
	val   Value // a scalar's value; for a mapping or list its span (Text empty)
	keys  []Value
	items []*node
}

type nodeKind int

const (
	nScalar nodeKind = iota
	nMap
	nList
)

// get returns the value of key in a mapping (the first one written).
func (n *node) get(key string) (Value, *node) {
	if n == nil || n.kind != nMap {
		return Value{}, nil
	}
	for i, k := range n.keys {
		if k.Known && k.Text == key {
			return k, n.items[i]
		}
	}
	return Value{}, nil
}

// list reads a value that may be one scalar or a list of them (IAM's
// "Action": "x" or ["x", "y"]).
func (n *node) list() []Value {
	if n == nil {
		return nil
	}
	switch n.kind {
	case nScalar:
		return []Value{n.val}
	case nList:
		out := make([]Value, 0, len(n.items))
		for _, it := range n.items {
			if it.kind == nScalar {
				out = append(out, it.val)
			} else {
				out = append(out, unknownOf(it, "", ""))
			}
		}
		return out
	}
	return []Value{unknownOf(n, "", "")}
}

// scalar is the node's value when it is a scalar, else an Unknown value
// spanning it.
func (n *node) scalar() Value {
	if n == nil {
		return Value{}
	}
	if n.kind == nScalar {
		return n.val
	}
	return unknownOf(n, "", "")
}

// unknownOf makes an Unknown value spanning n, with text as written.
func unknownOf(n *node, text, ref string) Value {
	v := Value{Span: n.val.Span, Text: text, Ref: ref}
	if v.Text == "" {
		v.Text = "${…}"
	}
	return v
}

// spanOf makes the span of file bytes [off, end) of f, mapped to the
// container when f is embedded.
func spanOf(f *source.File, off, end int) Span {
	if f.Embed != nil {
		e := f.Embed
		oo, oe := e.OuterOffset(off), e.OuterEnd(end)
		if e.Offsets == nil {
			oo, oe = e.Start, e.End
		}
		if oe < oo {
			oe = oo
		}
		return Span{Pos: e.Outer.PosAt(oo), End: e.Outer.PosAt(oe), Off: oo, EndOff: oe}
	}
	if end < off {
		end = off
	}
	return Span{Pos: f.PosAt(off), End: f.PosAt(end), Off: off, EndOff: end}
}

// verbatim reports whether s is written as is at data[off:end] on one line.
func verbatim(data []byte, off, end int, s string) bool {
	return off >= 0 && end <= len(data) && off <= end && string(data[off:end]) == s && !strings.ContainsAny(s, "\n\r")
}

// join renders parts as one value: Known when every part is.
func joinParts(parts []Part, sp Span) Value {
	known := true
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.Text)
		known = known && p.Known
	}
	v := Value{Text: b.String(), Known: known, Span: sp}
	if known {
		return v
	}
	v.Parts = mergeParts(parts)
	if len(v.Parts) == 1 {
		v.Ref = v.Parts[0].Ref
		v.Parts = nil
	}
	return v
}

// mergeParts joins neighbouring literal parts and drops empty ones.
func mergeParts(parts []Part) []Part {
	var out []Part
	for _, p := range parts {
		if p.Known && p.Text == "" {
			continue
		}
		if n := len(out); n > 0 && p.Known && out[n-1].Known {
			out[n-1].Text += p.Text
			continue
		}
		out = append(out, p)
	}
	return out
}

// note records something left unread.
func (d *Doc) note(sp Span, msg string) {
	p := sp.Pos
	if !p.IsValid() {
		p = report.Position{Path: d.Path}
	}
	d.Notes = append(d.Notes, report.FileError{Pos: p, Message: msg})
}
