// Package discovery reads OpenID Connect provider metadata
// (.well-known/openid-configuration JSON) into a position-keeping tree and a
// typed view of the fields the rules read.
package discovery

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// maxDepth bounds JSON nesting; real metadata is two levels deep.
const maxDepth = 200

// ParseJSON parses f as one JSON value into a yaml.Node tree whose nodes carry
// the line and column of each JSON token, so JSON and YAML documents share one
// tree type. Strings are DoubleQuotedStyle scalars.
func ParseJSON(f *source.File) (*yaml.Node, *report.FileError) {
	data := f.Data
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &report.FileError{Pos: f.Pos(1, 1), Message: "invalid JSON: empty file"}
	}
	// One pass: the tokenizer both checks the syntax and gives positions.
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	p := &parser{f: f, dec: dec}
	n, err := p.value(0)
	if err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			off := syntaxErrorOffset(data, se)
			return nil, &report.FileError{Pos: f.PosAt(off), Message: "invalid JSON: " + se.Error()}
		}
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return nil, jsonError(f, err)
		}
		var dk *duplicateKeyError
		if errors.As(err, &dk) {
			return nil, &report.FileError{Pos: f.PosAt(dk.offset), Message: "invalid JSON: " + dk.Error()}
		}
		return nil, &report.FileError{Pos: f.PosAt(int(dec.InputOffset())), Message: "invalid JSON: " + err.Error()}
	}
	end := int(dec.InputOffset())
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		for end < len(data) && (data[end] == ' ' || data[end] == '\t' || data[end] == '\r' || data[end] == '\n') {
			end++
		}
		return nil, jsonError(f, &extraDataError{offset: end})
	}
	return n, nil
}

// syntaxErrorOffset finds the offending byte of a tokenizer error: its
// offset is sometimes that byte, sometimes just past it, and inside a
// literal the start of the literal; the message names the character.
func syntaxErrorOffset(data []byte, se *json.SyntaxError) int {
	off := int(se.Offset)
	msg := se.Error()
	i := strings.Index(msg, "invalid character '")
	if i < 0 {
		return max(0, off-1)
	}
	ch, _, _, err := strconv.UnquoteChar(msg[i+len("invalid character '"):], '\'')
	if err != nil || ch > 0x7f {
		return max(0, off-1)
	}
	c := byte(ch)
	switch {
	case off < len(data) && data[off] == c:
		return off
	case off > 0 && off-1 < len(data) && data[off-1] == c:
		return off - 1
	}
	for j := off; j < len(data) && j < off+64; j++ {
		if data[j] == c {
			return j
		}
	}
	return max(0, off-1)
}

// extraDataError is a second value after the document.
type extraDataError struct{ offset int }

func (e *extraDataError) Error() string { return "extra data after the JSON value" }

// duplicateKeyError is an object that repeats a key: JSON parsers disagree
// on which value counts (Jackson, as the plugin uses it, and Go take the
// last; others the first), so the document means different things to
// different readers.
type duplicateKeyError struct {
	key    string
	offset int // the repeated key
	first  int // line of the first one
}

func (e *duplicateKeyError) Error() string {
	return fmt.Sprintf("duplicate key %q (first at line %d): JSON parsers disagree on which value counts; keep one", e.key, e.first)
}

func jsonError(f *source.File, err error) *report.FileError {
	off := len(f.Data)
	var se *json.SyntaxError
	var ue *json.UnmarshalTypeError
	msg := err.Error()
	switch {
	case errors.As(err, &se):
		off = int(se.Offset)
		if se.Offset == 0 && len(bytes.TrimSpace(f.Data)) == 0 {
			msg = "empty file"
		}
	case errors.As(err, &ue):
		off = int(ue.Offset)
	case errors.As(err, new(*extraDataError)):
		return &report.FileError{Pos: f.PosAt(err.(*extraDataError).offset), Message: "invalid JSON: " + msg}
	case errors.Is(err, io.ErrUnexpectedEOF):
		msg = "unexpected end of JSON input (truncated file?)"
	}
	if off > 0 {
		off-- // offsets point past the offending byte
	}
	return &report.FileError{Pos: f.PosAt(off), Message: "invalid JSON: " + msg}
}

type parser struct {
	f   *source.File
	dec *json.Decoder
}

// start is where the next token begins: after the previous token, skipping
// whitespace and the separators ':' and ','.
func (p *parser) start() int {
	off := int(p.dec.InputOffset())
	data := p.f.Data
	for off < len(data) {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ':', ',':
			off++
			continue
		}
		break
	}
	return off
}

func (p *parser) value(depth int) (*yaml.Node, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("nested more than %d levels", maxDepth)
	}
	off := p.start()
	tok, err := p.dec.Token()
	if err != nil {
		return nil, err
	}
	pos := p.f.PosAt(off)
	n := &yaml.Node{Line: pos.Line, Column: pos.Col}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n.Kind, n.Tag, n.Style = yaml.MappingNode, "!!map", yaml.FlowStyle
			var seen map[string]*yaml.Node
			for p.dec.More() {
				koff := p.start()
				k, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				if seen == nil {
					seen = map[string]*yaml.Node{}
				}
				if first, dup := seen[k.Value]; dup {
					return nil, &duplicateKeyError{key: k.Value, offset: koff, first: first.Line}
				}
				seen[k.Value] = k
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, k, v)
			}
		case '[':
			n.Kind, n.Tag, n.Style = yaml.SequenceNode, "!!seq", yaml.FlowStyle
			for p.dec.More() {
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, v)
			}
		default:
			return nil, fmt.Errorf("unexpected %q", t)
		}
		if _, err := p.dec.Token(); err != nil { // closing delimiter
			return nil, err
		}
	case string:
		n.Kind, n.Tag, n.Value, n.Style = yaml.ScalarNode, "!!str", t, yaml.DoubleQuotedStyle
	case json.Number:
		n.Kind, n.Value = yaml.ScalarNode, t.String()
		n.Tag = "!!float"
		if _, err := strconv.ParseInt(t.String(), 10, 64); err == nil {
			n.Tag = "!!int"
		}
	case bool:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!bool", strconv.FormatBool(t)
	case nil:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!null", "null"
	}
	return n, nil
}
