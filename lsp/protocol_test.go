package lsp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

// TestLifecycle: requests before initialize, unknown methods, broken JSON,
// a second initialize and requests after shutdown get the errors the
// protocol names; the server goes on after each.
func TestLifecycle(t *testing.T) {
	dir := t.TempDir()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	t.Chdir(dir)
	done := make(chan int, 1)
	go func() {
		code := Serve(inR, outW, Options{Debounce: time.Millisecond})
		outW.Close()
		done <- code
	}()
	rd := newReader(outR)
	send := func(s string) {
		fmt.Fprintf(inW, "Content-Length: %d\r\n\r\n%s", len(s), s)
	}
	next := func() message {
		t.Helper()
		for {
			body, err := rd.read()
			if err != nil {
				t.Fatal(err)
			}
			var m message
			if err := json.Unmarshal(body, &m); err != nil {
				t.Fatal(err)
			}
			if m.Method == "" { // skip notifications
				return m
			}
		}
	}
	expectError := func(code int) {
		t.Helper()
		if m := next(); m.Error == nil || m.Error.Code != code {
			t.Errorf("want error %d, got %+v", code, m)
		}
	}
	send(`{"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":{}}`)
	expectError(codeServerNotInitialized)
	send(`{"jsonrpc":"2.0","id":2,"method":"initialize","params":{"rootUri":"` + pathToURI(dir) + `","capabilities":{}}}`)
	if m := next(); m.Error != nil || !strings.Contains(string(m.Result), `"positionEncoding":"utf-16"`) {
		t.Errorf("initialize: %+v", m)
	}
	send(`{"jsonrpc":"2.0","id":3,"method":"initialize","params":{}}`)
	expectError(codeInvalidRequest)
	send(`{"jsonrpc":"2.0","id":4,"method":"workspace/symbol","params":{}}`)
	expectError(codeMethodNotFound)
	send(`{"jsonrpc":"2.0","id":5,`)
	expectError(codeParseError)
	send(`{"jsonrpc":"2.0","id":6,"method":"textDocument/codeAction","params":{"range":"no"}}`)
	expectError(codeInvalidParams)
	send(`{"jsonrpc":"2.0","id":"seven","method":"textDocument/codeAction","params":{"textDocument":{"uri":"file:///nowhere/x.yaml"},"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"context":{"diagnostics":[]}}}`)
	if m := next(); string(m.ID) != `"seven"` || string(m.Result) != "[]" {
		t.Errorf("code actions on an unknown file: %+v", m)
	}
	send(`{"jsonrpc":"2.0","id":8,"method":"shutdown"}`)
	if m := next(); m.Error != nil || string(m.Result) != "null" {
		t.Errorf("shutdown: %+v", m)
	}
	send(`{"jsonrpc":"2.0","id":9,"method":"textDocument/hover","params":{}}`)
	expectError(codeInvalidRequest)
	send(`{"jsonrpc":"2.0","method":"exit"}`)
	if code := <-done; code != 0 {
		t.Errorf("exit code %d", code)
	}
}

// TestExitWithoutShutdown: exit code 1, and a broken header ends the
// connection the same way.
func TestExitWithoutShutdown(t *testing.T) {
	for _, in := range []string{
		"Content-Length: 33\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}",
		"Content-Type: x\r\n\r\n{}",
		"garbage\r\n\r\n",
		"Content-Length: 99999999999\r\n\r\n",
		"",
	} {
		t.Chdir(t.TempDir())
		var out bytes.Buffer
		if code := Serve(strings.NewReader(in), &out, Options{}); code != 1 {
			t.Errorf("%q: exit code %d", in, code)
		}
	}
}

func TestReader(t *testing.T) {
	in := "Content-Length: 2\r\ncontent-type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}" +
		"Content-Length:3\n\n[1]" + // bare LF, no space
		"Content-Length: 5\r\n\r\n{"
	rd := newReader(strings.NewReader(in))
	for _, want := range []string{"{}", "[1]"} {
		body, err := rd.read()
		if err != nil || string(body) != want {
			t.Fatalf("read %q %v, want %q", body, err, want)
		}
	}
	if _, err := rd.read(); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("truncated body: %v", err)
	}
	long := "X-Long: " + strings.Repeat("a", maxHeaderLine) + "\r\n"
	if _, err := newReader(strings.NewReader(long)).read(); !errors.Is(err, errFraming) {
		t.Errorf("long header: %v", err)
	}
}
