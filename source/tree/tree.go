// Package tree parses YAML and JSON into position-keeping yaml.Node trees and
// offers the small, alias-safe helpers the typed views use to read them.
package tree

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// MaxNodes bounds how many nodes a walk that expands aliases may visit, so a
// YAML alias bomb cannot exhaust memory or time.
const MaxNodes = 200000

var yamlLineRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^yaml: line (\d+): (.*)$`) })

// ParseYAML parses every document in f. A syntax error becomes a FileError
// naming the line yaml reports.
func ParseYAML(f *source.File) (docs []*yaml.Node, ferr *report.FileError) {
	defer func() {
		if r := recover(); r != nil {
			docs, ferr = nil, &report.FileError{Pos: f.Pos(1, 1), Message: fmt.Sprintf("invalid YAML: parser failed: %v", r)}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(f.Data))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, yamlError(f, err)
		}
		if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
			docs = append(docs, n.Content[0])
		}
	}
	if err := CheckAliases(docs); err != nil {
		return nil, &report.FileError{Pos: f.Pos(1, 1), Message: "invalid YAML: " + err.Error()}
	}
	if bytes.IndexByte(f.Data, '*') >= 0 { // no alias without one: spare the walk
		ResolveAliasKeys(docs)
	}
	return docs, nil
}

// ResolveAliasKeys replaces each mapping key that is an alias of a scalar
// (`*k : v` after `&k clientSecret`) with a scalar carrying the anchored
// scalar's value, tag and style at the alias's own line and column, so the
// helpers (Get, Pairs, Keys) and the rules read the key by what it names,
// not by the alias's name (a secret under such a key was neither found nor
// masked). The new key's source text (`*k`) is not its value: End and
// MarkOf see the alias indicator and neither span nor fix it as the value.
// Keys that alias a mapping or sequence are left as they are; nothing is
// expanded, and the walk follows only the nodes written (not aliases).
func ResolveAliasKeys(docs []*yaml.Node) {
	stack := make([]*yaml.Node, 0, 64)
	for _, d := range docs {
		if d != nil {
			stack = append(stack, d)
		}
	}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if k == nil || k.Kind != yaml.AliasNode {
					continue
				}
				if t := Resolve(k); t != nil && t.Kind == yaml.ScalarNode {
					n.Content[i] = &yaml.Node{
						Kind: yaml.ScalarNode, Tag: t.Tag, Value: t.Value, Style: t.Style,
						HeadComment: k.HeadComment, LineComment: k.LineComment, FootComment: k.FootComment,
						Line: k.Line, Column: k.Column,
					}
				}
			}
		}
		for _, c := range n.Content {
			if c != nil && c.Kind != yaml.AliasNode {
				stack = append(stack, c)
			}
		}
	}
}

// aliasEnd is the end of the alias (*name) at start in data, or -1 when no
// alias starts there. A node whose text starts with * is an alias, or a key
// ResolveAliasKeys put in an alias's place: its text is not its value. The
// name's characters are those go-yaml accepts in an anchor: letters, digits,
// '_' and '-'.
func aliasEnd(data []byte, start int) int {
	if start < 0 || start >= len(data) || data[start] != '*' {
		return -1
	}
	i := start + 1
	for i < len(data) {
		c := data[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c == '-') {
			break
		}
		i++
	}
	if i == start+1 {
		return -1
	}
	return i
}

func yamlError(f *source.File, err error) *report.FileError {
	msg := err.Error()
	if te := (*yaml.TypeError)(nil); errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	line := 1
	if m := yamlLineRE().FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
		// yaml.v3 reports parser (not scanner) errors with a 0-based line.
		if strings.HasPrefix(msg, "did not find expected") {
			line++
		}
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	if line > f.LineCount() {
		line = f.LineCount()
	}
	pos := f.Pos(line, 1)
	if m := unknownAnchorRE().FindStringSubmatch(msg); m != nil {
		// The "anchor" is often an unquoted value that starts with '*' (a
		// password): never repeat it; point at it instead.
		msg = "unknown anchor referenced: an unquoted value that starts with * is an alias in YAML; quote the value"
		if i := bytes.Index(f.Data, []byte("*"+m[1])); i >= 0 {
			pos = f.PosAt(i)
		}
	}
	return &report.FileError{Pos: pos, Message: "invalid YAML: " + msg}
}

var unknownAnchorRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^unknown anchor '(.*)' referenced$`) })

// CheckAliases fails when expanding the documents' aliases would visit more
// than MaxNodes nodes (a "billion laughs" alias bomb) or loops.
func CheckAliases(docs []*yaml.Node) error {
	// Without aliases nothing expands (a large file is not a bomb); with
	// them, expansion may add MaxNodes nodes to those written.
	written, aliases := 0, false
	var count func(n *yaml.Node, depth int)
	count = func(n *yaml.Node, depth int) {
		written++
		if n.Kind == yaml.AliasNode {
			aliases = true
		}
		if depth > 10000 {
			aliases = true // let the walk below report the depth
			return
		}
		for _, c := range n.Content {
			count(c, depth+1)
		}
	}
	for _, d := range docs {
		count(d, 0)
	}
	if !aliases {
		return nil
	}
	budget := MaxNodes + written
	memo := map[*yaml.Node]int{}
	var size func(n *yaml.Node, depth int) (int, error)
	size = func(n *yaml.Node, depth int) (int, error) {
		if depth > 10000 {
			return 0, errors.New("nesting too deep")
		}
		if s, ok := memo[n]; ok {
			if s < 0 {
				return 0, errors.New("alias refers to itself")
			}
			return s, nil
		}
		memo[n] = -1
		total := 1
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			s, err := size(n.Alias, depth+1)
			if err != nil {
				return 0, err
			}
			total += s
		}
		for _, c := range n.Content {
			s, err := size(c, depth+1)
			if err != nil {
				return 0, err
			}
			total += s
			if total > budget {
				return 0, fmt.Errorf("aliases expand to more than %d nodes (alias bomb?)", MaxNodes)
			}
		}
		memo[n] = total
		return total, nil
	}
	sum := 0
	for _, d := range docs {
		s, err := size(d, 0)
		if err != nil {
			return err
		}
		sum += s
		if sum > budget {
			return fmt.Errorf("aliases expand to more than %d nodes (alias bomb?)", MaxNodes)
		}
	}
	return nil
}

// Resolve follows alias nodes to the node they name.
func Resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// Get returns the key and value nodes of key in mapping m, or nils. Merge
// keys (<<) are followed.
func Get(m *yaml.Node, key string) (k, v *yaml.Node) {
	m = Resolve(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key && m.Content[i].Kind == yaml.ScalarNode {
			return m.Content[i], Resolve(m.Content[i+1])
		}
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Tag == "!!merge" {
			if k, v := Get(m.Content[i+1], key); k != nil {
				return k, v
			}
		}
	}
	return nil, nil
}

// Pair is one key and value of a mapping.
type Pair struct{ Key, Value *yaml.Node }

// Pairs lists a mapping's keys and values in source order (aliases resolved).
func Pairs(m *yaml.Node) []Pair {
	m = Resolve(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	out := make([]Pair, 0, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		out = append(out, Pair{m.Content[i], Resolve(m.Content[i+1])})
	}
	return out
}

// Items lists a sequence's items (aliases resolved).
func Items(s *yaml.Node) []*yaml.Node {
	s = Resolve(s)
	if s == nil || s.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]*yaml.Node, len(s.Content))
	for i, c := range s.Content {
		out[i] = Resolve(c)
	}
	return out
}

// Lookup follows a path of mapping keys.
func Lookup(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		_, n = Get(n, k)
		if n == nil {
			return nil
		}
	}
	return n
}

// IsScalar reports whether n is a non-null scalar.
func IsScalar(n *yaml.Node) bool {
	n = Resolve(n)
	return n != nil && n.Kind == yaml.ScalarNode && n.Tag != "!!null"
}

// IsNull reports whether n is absent or an explicit null.
func IsNull(n *yaml.Node) bool {
	n = Resolve(n)
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// Bool reads a YAML boolean (also the strings "true"/"false").
func Bool(n *yaml.Node) (val, ok bool) {
	n = Resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode {
		return false, false
	}
	switch strings.ToLower(n.Value) {
	case "true", "yes", "on":
		return true, true
	case "false", "no", "off":
		return false, true
	}
	return false, false
}

// Pos is the start of n in f.
func Pos(f *source.File, n *yaml.Node) report.Position {
	if n == nil {
		return f.Pos(0, 0)
	}
	return f.Pos(n.Line, n.Column)
}

// End is the (exclusive) end of a node's text in f: the closing quote of a
// quoted scalar, the end of a plain scalar or an alias (*name, also for a
// key ResolveAliasKeys resolved), the end of the first line for block
// scalars and collections.
func End(f *source.File, n *yaml.Node) report.Position {
	if n == nil || n.Line == 0 {
		return report.Position{}
	}
	start := f.Offset(n.Line, n.Column)
	data := f.Data
	if n.Kind == yaml.ScalarNode || n.Kind == yaml.AliasNode {
		// An alias, or a key put in one's place: the span is the *name.
		if e := aliasEnd(data, start); e > 0 {
			return f.PosAt(e)
		}
	}
	if n.Kind == yaml.ScalarNode {
		switch n.Style {
		case yaml.DoubleQuotedStyle:
			for i := start + 1; i < len(data); i++ {
				if data[i] == '\\' {
					i++
					continue
				}
				if data[i] == '"' {
					return f.PosAt(i + 1)
				}
			}
		case yaml.SingleQuotedStyle:
			for i := start + 1; i < len(data); i++ {
				if data[i] == '\'' {
					if i+1 < len(data) && data[i+1] == '\'' {
						i++
						continue
					}
					return f.PosAt(i + 1)
				}
			}
		case 0, yaml.TaggedStyle:
			if !strings.Contains(n.Value, "\n") {
				// A plain scalar's text is its value (tags aside).
				off := start
				if n.Style == yaml.TaggedStyle || bytes.HasPrefix(data[start:], []byte("!")) {
					if sp := bytes.IndexAny(data[start:], " \t"); sp > 0 {
						off = start + sp + 1
					}
				}
				end := off + len(n.Value)
				if end <= len(data) && string(data[off:end]) == n.Value {
					return f.PosAt(end)
				}
			}
		}
	}
	// Fall back to the end of the start line (trailing comment excluded).
	end := start
	for end < len(data) && data[end] != '\n' && data[end] != '\r' {
		end++
	}
	line := data[start:end]
	if i := bytes.Index(line, []byte(" #")); i >= 0 {
		line = line[:i]
	}
	line = bytes.TrimRight(line, " \t")
	if len(line) == 0 && start < len(data) {
		_, size := utf8.DecodeRune(data[start:])
		return f.PosAt(start + size)
	}
	return f.PosAt(start + len(line))
}

// ToValue converts a node to plain Go values (map[string]any, []any, string,
// int64, float64, bool, nil) for schema validation, expanding aliases within
// the MaxNodes budget. Mapping keys keep their text.
func ToValue(n *yaml.Node) (any, error) {
	budget := MaxNodes
	var conv func(n *yaml.Node, depth int) (any, error)
	conv = func(n *yaml.Node, depth int) (any, error) {
		budget--
		if budget < 0 {
			return nil, errors.New("document too large after alias expansion")
		}
		if depth > 1000 {
			return nil, errors.New("document nested too deeply")
		}
		n = Resolve(n)
		if n == nil {
			return nil, nil
		}
		switch n.Kind {
		case yaml.MappingNode:
			m := make(map[string]any, len(n.Content)/2)
			for _, p := range Pairs(n) {
				if p.Key.Tag == "!!merge" {
					sub, err := conv(p.Value, depth+1)
					if err != nil {
						return nil, err
					}
					if sm, ok := sub.(map[string]any); ok {
						for k, v := range sm {
							if _, dup := m[k]; !dup {
								m[k] = v
							}
						}
					}
					continue
				}
				v, err := conv(p.Value, depth+1)
				if err != nil {
					return nil, err
				}
				m[p.Key.Value] = v
			}
			return m, nil
		case yaml.SequenceNode:
			s := make([]any, 0, len(n.Content))
			for _, c := range n.Content {
				v, err := conv(c, depth+1)
				if err != nil {
					return nil, err
				}
				s = append(s, v)
			}
			return s, nil
		case yaml.ScalarNode:
			return scalarValue(n), nil
		}
		return nil, nil
	}
	return conv(n, 0)
}

func scalarValue(n *yaml.Node) any {
	switch n.Tag {
	case "!!null":
		return nil
	case "!!bool":
		b, _ := Bool(n)
		return b
	case "!!int":
		if i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err == nil {
			return i
		}
	case "!!float":
		if fl, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return fl
		}
	}
	return n.Value
}
