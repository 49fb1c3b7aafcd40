// Package wire is the protocol between jenkins-oidc-lint (package policy)
// and its policy worker, jenkins-oidc-lint-policy (package policy/engine):
// JSON lines, one message a line, requests on the worker's standard input
// and responses on its standard output. The worker's first line is a
// Hello naming the protocol's version; the client refuses another version.
package wire

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/schema"
)

// Program is the worker's name, and Version the protocol's.
const (
	Program = "jenkins-oidc-lint-policy"
	Version = 1
)

// MemoryEnv carries the worker's memory budget in bytes.
const MemoryEnv = "JENKINS_OIDC_LINT_POLICY_MEMORY"

// MaxPolicyFile bounds the size of one policy file.
const MaxPolicyFile = 1 << 20

// Ops.
const (
	OpLoad  = 1 // compile a set's policies
	OpCheck = 2 // check one document against some of a set's rules
	OpScan  = 3 // list the rule IDs the files' @rule attributes give
)

// Request is one message to a worker.
type Request struct {
	Op    int           `json:"op"`
	Key   uint64        `json:"key,omitempty"` // the set
	Load  *LoadRequest  `json:"load,omitempty"`
	Check *CheckRequest `json:"check,omitempty"`
}

// LoadRequest carries a set's policy files as the loading process read
// them (Snapshot), so that every worker compiles the same text (OpLoad
// and OpScan).
type LoadRequest struct {
	Dirs    []string   `json:"dirs"`
	Files   []SnapFile `json:"files"`
	Builtin []string   `json:"builtin,omitempty"` // the IDs among the policies' that are built-in rules
}

// CheckRequest is one document to check.
type CheckRequest struct {
	Kind  int    `json:"kind"`
	Rules []int  `json:"rules"` // indexes into the set's rules, in order
	Nodes []Node `json:"nodes"` // the document, root first
}

// Response kinds.
const (
	RespStart   = 1 // Rule (check) or Pos (load) is being evaluated now
	RespResult  = 2 // the violations of Rule
	RespDone    = 3 // the request is done (Load holds a load's result, IDs a scan's)
	RespUnknown = 4 // the worker does not hold the set: load it first
	RespMemory  = 5 // over the memory budget: the worker exits
	RespHello   = 6 // the worker's first message
)

// Response is one message from a worker.
type Response struct {
	Kind       int             `json:"kind"`
	Rule       int             `json:"rule,omitempty"`
	Pos        report.Position `json:"pos,omitzero"`
	Violations []Violation     `json:"violations,omitempty"`
	Load       *LoadResult     `json:"load,omitempty"`
	IDs        []string        `json:"ids,omitempty"`
	Hello      *Hello          `json:"hello,omitempty"`
}

// Hello is the worker's first message.
type Hello struct {
	Program string `json:"program"`
	Version int    `json:"version"`
}

// LoadResult is what compiling a set gave.
type LoadResult struct {
	Rules  []Rule             `json:"rules"`
	Errors []report.FileError `json:"errors"`
}

// Rule is one compiled rule.
type Rule struct {
	ID   string          `json:"id"`
	Kind int             `json:"kind"`
	Pos  report.Position `json:"pos"`
	Meta report.RuleMeta `json:"meta"`
}

// Node is a yaml.Node; Content and Alias hold indexes into the node list
// (Alias is -1 for none).
type Node struct {
	Kind    yaml.Kind  `json:"k"`
	Style   yaml.Style `json:"s,omitempty"`
	Tag     string     `json:"t,omitempty"`
	Value   string     `json:"v,omitempty"`
	Anchor  string     `json:"a,omitempty"`
	Line    int        `json:"l"`
	Column  int        `json:"c"`
	Content []int32    `json:"n,omitempty"`
	Alias   int32      `json:"r"`
}

// Violation is a schema.Violation with node indexes (-1: none).
type Violation struct {
	Path    []string             `json:"path"`
	Node    int32                `json:"node"`
	Found   bool                 `json:"found,omitempty"`
	Value   int32                `json:"value"`
	Kind    schema.ViolationKind `json:"kind"`
	Message string               `json:"message"`
}

// An Encoder writes messages, one JSON line each.
type Encoder struct {
	buf *bufio.Writer
	enc *json.Encoder
}

// NewEncoder writes to w.
func NewEncoder(w io.Writer) *Encoder {
	buf := bufio.NewWriter(w)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	return &Encoder{buf: buf, enc: enc}
}

// Encode writes one message and flushes it.
func (e *Encoder) Encode(v any) error {
	if err := e.enc.Encode(v); err != nil {
		return err
	}
	return e.buf.Flush()
}

// A Decoder reads messages.
type Decoder struct{ dec *json.Decoder }

// NewDecoder reads from r.
func NewDecoder(r io.Reader) *Decoder {
	return &Decoder{dec: json.NewDecoder(bufio.NewReaderSize(r, 64<<10))}
}

// Decode reads the next message into v.
func (d *Decoder) Decode(v any) error { return d.dec.Decode(v) }

// CheckHello judges a worker's first message.
func CheckHello(r Response) error {
	if r.Kind != RespHello || r.Hello == nil {
		return errors.New("it did not greet as " + Program + " does")
	}
	if r.Hello.Version != Version {
		return fmt.Errorf("it speaks version %d of the protocol, and this program version %d: install both from the same release", r.Hello.Version, Version)
	}
	return nil
}

// EncodeNodes flattens the tree under root (each node once, aliases as
// references), root first; nodes[i] is the node of out[i].
func EncodeNodes(root *yaml.Node) (out []Node, nodes []*yaml.Node) {
	index := map[*yaml.Node]int32{}
	var add func(n *yaml.Node) int32
	add = func(n *yaml.Node) int32 {
		if i, ok := index[n]; ok {
			return i
		}
		i := int32(len(out))
		index[n] = i
		nodes = append(nodes, n)
		out = append(out, Node{Kind: n.Kind, Style: n.Style, Tag: n.Tag, Value: n.Value, Anchor: n.Anchor,
			Line: n.Line, Column: n.Column, Alias: -1})
		if len(n.Content) > 0 {
			content := make([]int32, len(n.Content))
			for k, c := range n.Content {
				content[k] = add(c)
			}
			out[i].Content = content
		}
		if n.Alias != nil {
			out[i].Alias = add(n.Alias)
		}
		return i
	}
	add(root)
	return out, nodes
}

// DecodeNodes rebuilds the tree of EncodeNodes; nodes[i] is node i.
func DecodeNodes(w []Node) []*yaml.Node {
	nodes := make([]*yaml.Node, len(w))
	for i := range w {
		nodes[i] = &yaml.Node{Kind: w[i].Kind, Style: w[i].Style, Tag: w[i].Tag, Value: w[i].Value, Anchor: w[i].Anchor,
			Line: w[i].Line, Column: w[i].Column}
	}
	at := func(i int32) *yaml.Node {
		if i < 0 || int(i) >= len(nodes) {
			return nil
		}
		return nodes[i]
	}
	for i := range w {
		if len(w[i].Content) > 0 {
			nodes[i].Content = make([]*yaml.Node, len(w[i].Content))
			for k, c := range w[i].Content {
				nodes[i].Content[k] = at(c)
			}
		}
		nodes[i].Alias = at(w[i].Alias)
	}
	return nodes
}

// SnapFile is what reading one path gave: a directory's policy files or
// a file's content, or the error.
type SnapFile struct {
	Path  string   `json:"path"`
	IsDir bool     `json:"dir,omitempty"` // a listing (Names)
	Names []string `json:"names,omitempty"`
	Data  []byte   `json:"data,omitempty"`
	Size  int64    `json:"size,omitempty"`
	Err   string   `json:"err,omitempty"`
}

// Snapshot reads the policies of dirs as the loader will, once: the text
// every worker compiles, whenever it starts.
func Snapshot(dirs []string) []SnapFile {
	var out []SnapFile
	seen := map[string]bool{}
	for _, dir := range dirs {
		names, err := CueFiles(dir)
		e := SnapFile{Path: dir, IsDir: true, Names: names}
		if err != nil {
			e.Err = err.Error()
		}
		out = append(out, e)
		for _, n := range names {
			if seen[n] {
				continue
			}
			seen[n] = true
			data, size, err := readPolicy(n)
			f := SnapFile{Path: n, Data: data, Size: size}
			if err != nil {
				f.Err = err.Error()
			}
			out = append(out, f)
		}
	}
	return out
}

// readPolicy returns a policy file's content, or only its size when that
// is over MaxPolicyFile.
func readPolicy(name string) ([]byte, int64, error) {
	if st, err := os.Stat(name); err == nil && st.Size() > MaxPolicyFile {
		return nil, st.Size(), nil
	}
	data, err := os.ReadFile(name)
	return data, int64(len(data)), err
}

// CueFiles lists the policy files of dir, sorted.
func CueFiles(dir string) ([]string, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		if filepath.Ext(dir) != ".cue" {
			return nil, fmt.Errorf("%s is neither a directory nor a .cue file", filepath.ToSlash(dir))
		}
		return []string{dir}, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".cue") && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(names)
	return names, nil
}
