package engine

import (
	"bytes"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/policy/internal/wire"
)

// A worker greets with the protocol's version before anything else, and
// ends when its input does.
func TestServeHello(t *testing.T) {
	var out bytes.Buffer
	if code := Serve(strings.NewReader(""), &out, DefaultMemory); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if strings.Count(out.String(), "\n") != 1 {
		t.Errorf("not one greeting line: %q", out.String())
	}
	var r wire.Response
	if err := wire.NewDecoder(&out).Decode(&r); err != nil {
		t.Fatal(err)
	}
	if err := wire.CheckHello(r); err != nil {
		t.Fatal(err)
	}
}

// A request it does not know ends the worker with exit 2.
func TestServeBadRequest(t *testing.T) {
	var out bytes.Buffer
	if code := Serve(strings.NewReader(`{"op":99}`+"\n"), &out, DefaultMemory); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
}
