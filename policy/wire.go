package policy

import (
	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/schema"
)

// The messages between a process and its policy workers (see sandbox.go),
// encoded with encoding/gob.

const (
	opLoad  = 1 // compile a set's policies
	opCheck = 2 // check one document against some of a set's rules
)

// request is one message to a worker.
type request struct {
	Op    int
	Key   uint64 // the set
	Load  *loadRequest
	Check *checkRequest
}

// loadRequest carries a set's policy files as the loading process read
// them (snap), so that every worker compiles the same text.
type loadRequest struct {
	Dirs    []string
	Files   []snapFile
	Builtin []string // the IDs among the policies' that are built-in rules
}

type checkRequest struct {
	Kind  int
	Rules []int      // indexes into the set's rules, in order
	Nodes []wireNode // the document, root first
}

// Response kinds.
const (
	respStart   = 1 // Rule (check) or Pos (load) is being evaluated now
	respResult  = 2 // the violations of Rule
	respDone    = 3 // the request is done (Load holds a load's result)
	respUnknown = 4 // the worker does not hold the set: load it first
	respMemory  = 5 // over the memory budget: the worker exits
)

// response is one message from a worker.
type response struct {
	Kind       int
	Rule       int
	Pos        report.Position
	Violations []wireViolation
	Load       *loadResult
}

type loadResult struct {
	Rules  []wireRule
	Errors []report.FileError
}

type wireRule struct {
	ID   string
	Kind int
	Pos  report.Position
	Meta report.RuleMeta
}

// wireNode is a yaml.Node; Content and Alias hold indexes into the node
// list (Alias is -1 for none).
type wireNode struct {
	Kind    yaml.Kind
	Style   yaml.Style
	Tag     string
	Value   string
	Anchor  string
	Line    int
	Column  int
	Content []int32
	Alias   int32
}

// wireViolation is a schema.Violation with node indexes (-1: none).
type wireViolation struct {
	Path    []string
	Node    int32
	Found   bool
	Value   int32
	Kind    schema.ViolationKind
	Message string
}

// encodeNodes flattens the tree under root (each node once, aliases as
// references), root first; nodes[i] is the node of out[i].
func encodeNodes(root *yaml.Node) (out []wireNode, nodes []*yaml.Node) {
	index := map[*yaml.Node]int32{}
	var add func(n *yaml.Node) int32
	add = func(n *yaml.Node) int32 {
		if i, ok := index[n]; ok {
			return i
		}
		i := int32(len(out))
		index[n] = i
		nodes = append(nodes, n)
		out = append(out, wireNode{Kind: n.Kind, Style: n.Style, Tag: n.Tag, Value: n.Value, Anchor: n.Anchor,
			Line: n.Line, Column: n.Column, Alias: -1})
		content := make([]int32, len(n.Content))
		for k, c := range n.Content {
			content[k] = add(c)
		}
		out[i].Content = content
		if n.Alias != nil {
			out[i].Alias = add(n.Alias)
		}
		return i
	}
	add(root)
	return out, nodes
}

// decodeNodes rebuilds the tree of encodeNodes; nodes[i] is node i.
func decodeNodes(w []wireNode) []*yaml.Node {
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
