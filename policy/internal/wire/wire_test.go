package wire

import (
	"bytes"
	"reflect"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
)

// A document goes through JSON lines and comes back the same tree, aliases
// as references to the one anchored node.
func TestNodesRoundTrip(t *testing.T) {
	var doc yaml.Node
	src := "a: &x {k: 'v', n: 1}\nb: *x\nc: [\"\\u00e9\", null]\n"
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	root := doc.Content[0]
	out, _ := EncodeNodes(root)
	var buf bytes.Buffer
	enc := NewEncoder(&buf)
	if err := enc.Encode(Request{Op: OpCheck, Key: 7, Check: &CheckRequest{Kind: 1, Rules: []int{0, 2}, Nodes: out}}); err != nil {
		t.Fatal(err)
	}
	if err := enc.Encode(Response{Kind: RespDone, Load: &LoadResult{Rules: []Rule{{ID: "r", Pos: report.Position{Path: "p.cue", Line: 3, Col: 1}, Meta: report.RuleMeta{ID: "r", Severity: report.Warning, Tags: []string{"policy"}}}}}}); err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(buf.Bytes(), []byte("\n")); n != 2 {
		t.Fatalf("%d lines, want 2:\n%s", n, buf.String())
	}
	dec := NewDecoder(&buf)
	var req Request
	var resp Response
	if err := dec.Decode(&req); err != nil {
		t.Fatal(err)
	}
	if err := dec.Decode(&resp); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(req.Check.Nodes, out) {
		t.Errorf("nodes changed on the way:\n%v\n%v", req.Check.Nodes, out)
	}
	back := DecodeNodes(req.Check.Nodes)[0]
	var a, b bytes.Buffer
	for _, x := range []struct {
		n *yaml.Node
		w *bytes.Buffer
	}{{root, &a}, {back, &b}} {
		e := yaml.NewEncoder(x.w)
		if err := e.Encode(x.n); err != nil {
			t.Fatal(err)
		}
	}
	if a.String() != b.String() {
		t.Errorf("tree changed:\n%s\nwant:\n%s", b.String(), a.String())
	}
	if got := resp.Load.Rules[0]; got.Meta.Severity != report.Warning || got.Pos.Line != 3 || got.Meta.Tags[0] != "policy" {
		t.Errorf("rule changed: %+v", got)
	}
}
