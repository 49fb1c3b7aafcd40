package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// lspSession starts runLSP on pipes and returns a function that sends a
// message and one that reads the next one.
func lspSession(t *testing.T, args ...string) (send func(v any), recv func() map[string]any, done chan int) {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	var stderr bytes.Buffer
	done = make(chan int, 1)
	go func() {
		code := runLSP("0.1.0-dev", args, inR, outW, &stderr)
		outW.Close()
		done <- code
	}()
	t.Cleanup(func() { inW.Close(); outR.Close() })
	send = func(v any) {
		body, _ := json.Marshal(v)
		fmt.Fprintf(inW, "Content-Length: %d\r\n\r\n%s", len(body), body)
	}
	br := bufio.NewReader(outR)
	recv = func() map[string]any {
		n := -1
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				t.Fatalf("reading the server: %v", err)
			}
			if line == "\r\n" {
				break
			}
			if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
				n, _ = strconv.Atoi(strings.TrimSpace(v))
			}
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(br, body); err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	return send, recv, done
}

// TestLSPCommand: `jenkins-oidc-lint lsp` answers initialize, publishes the
// workspace's findings, and exits 0 after shutdown and exit.
func TestLSPCommand(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "jenkins.yaml"), []byte("jenkins:\n  securityRealm:\n    oic:\n      clientId: \"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	t.Cleanup(func() { os.Chdir(wd) }) // the server lints in the folder
	root := (&url.URL{Scheme: "file", Path: filepath.ToSlash(dir)}).String()
	send, recv, done := lspSession(t, "--debounce", "1ms", "--stdio")
	send(map[string]any{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": map[string]any{"rootUri": root, "capabilities": map[string]any{}}})
	m := recv()
	caps, _ := m["result"].(map[string]any)["capabilities"].(map[string]any)
	if caps["positionEncoding"] != "utf-16" || caps["hoverProvider"] != true {
		t.Fatalf("initialize: %v", m)
	}
	send(map[string]any{"jsonrpc": "2.0", "method": "initialized", "params": map[string]any{}})
	m = recv()
	if m["method"] != "textDocument/publishDiagnostics" || !strings.Contains(fmt.Sprint(m["params"]), "missing-client-id") {
		t.Fatalf("want the finding published, got %v", m)
	}
	send(map[string]any{"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
	if m = recv(); m["id"] != float64(2) || m["error"] != nil {
		t.Fatalf("shutdown: %v", m)
	}
	send(map[string]any{"jsonrpc": "2.0", "method": "exit"})
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit code %d", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("lsp did not exit")
	}
}

func TestLSPCommandUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"--help"}, exitOK, "Usage: jenkins-oidc-lint lsp"},
		{[]string{"extra"}, exitTrouble, "lsp takes no arguments"},
		{[]string{"--max-file-size", "lots"}, exitTrouble, "--max-file-size"},
		{[]string{"--no-such-flag"}, exitTrouble, "unknown flag"},
	} {
		var stdout, stderr bytes.Buffer
		if code := runLSP("0.1.0-dev", tc.args, strings.NewReader(""), &stdout, &stderr); code != tc.code || !strings.Contains(stdout.String()+stderr.String(), tc.out) {
			t.Errorf("lsp %v: exit %d, output %q %q", tc.args, code, stdout.String(), stderr.String())
		}
	}
	// a client that closes the stream without shutdown: exit code 1
	var stdout bytes.Buffer
	if code := runLSP("0.1.0-dev", nil, strings.NewReader(""), &stdout, io.Discard); code != 1 {
		t.Errorf("exit code %d when the stream ends without shutdown", code)
	}
}
