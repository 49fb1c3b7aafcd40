package lsp

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// client drives a server in-process through its JSON-RPC stream, as an
// editor would: it writes framed messages into the server's input and reads
// every message the server writes, keeping a transcript of the raw bytes.
type client struct {
	t      *testing.T
	toSrv  *io.PipeWriter
	exit   chan int
	nextID int

	mu         sync.Mutex
	cond       *sync.Cond
	transcript bytes.Buffer
	responses  map[int]message
	diags      map[string][]diagnostic // the latest publication per URI
	pubs       map[string]int          // publications per URI
	requests   []message               // requests from the server (registrations)
	runs       []int                   // the events each run done saw (Server.gen)
	sent       int                     // the events sent that call for a run
	readErr    error
}

const waitLimit = 20 * time.Second

// startClient starts a server on dir (the test's working directory, changed
// back at the end) and sends initialize and initialized. caps are the
// client capabilities; nil sends the usual ones of an editor.
func startClient(t *testing.T, dir string, opts Options, caps map[string]any) *client {
	t.Helper()
	t.Chdir(dir)
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	c := &client{t: t, toSrv: inW, exit: make(chan int, 1), responses: map[int]message{}, diags: map[string][]diagnostic{}, pubs: map[string]int{}}
	c.cond = sync.NewCond(&c.mu)
	if opts.Debounce == 0 {
		opts.Debounce = 10 * time.Millisecond
	}
	opts.ranHook = func(_ string, gen int) {
		c.mu.Lock()
		c.runs = append(c.runs, gen)
		c.mu.Unlock()
		c.cond.Broadcast()
	}
	go func() {
		code := Serve(inR, outW, opts)
		outW.Close()
		c.exit <- code
	}()
	go c.read(outR)
	t.Cleanup(func() {
		inW.Close()
		select {
		case <-c.exit:
		case <-time.After(waitLimit):
			t.Errorf("the server did not stop when its input closed")
		}
	})
	if caps == nil {
		caps = map[string]any{
			"workspace": map[string]any{
				"workspaceEdit":         map[string]any{"documentChanges": true},
				"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true},
			},
			"textDocument": map[string]any{
				"publishDiagnostics": map[string]any{"relatedInformation": true, "versionSupport": true},
				"hover":              map[string]any{"contentFormat": []string{"markdown", "plaintext"}},
			},
		}
	}
	res := c.request("initialize", map[string]any{
		"processId": nil, "rootUri": pathToURI(dir), "capabilities": caps,
		"workspaceFolders": []map[string]any{{"uri": pathToURI(dir), "name": filepath.Base(dir)}},
	})
	var ir struct {
		Capabilities struct {
			PositionEncoding string `json:"positionEncoding"`
			TextDocumentSync struct {
				Change int `json:"change"`
			} `json:"textDocumentSync"`
		} `json:"capabilities"`
	}
	if err := json.Unmarshal(res, &ir); err != nil || ir.Capabilities.TextDocumentSync.Change != 1 {
		t.Fatalf("initialize result %s (%v)", res, err)
	}
	c.notify("initialized", map[string]any{})
	return c
}

// read parses the server's output, independently of the server's own
// reader: Content-Length headers, then the JSON body.
func (c *client) read(r io.Reader) {
	br := bufio.NewReader(r)
	fail := func(err error) {
		c.mu.Lock()
		if c.readErr == nil && err != io.EOF {
			c.readErr = err
		}
		c.mu.Unlock()
		c.cond.Broadcast()
	}
	for {
		var head bytes.Buffer
		n := -1
		for {
			line, err := br.ReadString('\n')
			head.WriteString(line)
			if err != nil {
				fail(err)
				return
			}
			if line == "\r\n" {
				break
			}
			if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
				n, _ = strconv.Atoi(strings.TrimSpace(v))
			} else {
				fail(fmt.Errorf("unexpected header %q", line))
				return
			}
		}
		if n < 0 {
			fail(fmt.Errorf("no Content-Length in %q", head.String()))
			return
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(br, body); err != nil {
			fail(err)
			return
		}
		var m message
		if err := json.Unmarshal(body, &m); err != nil || m.JSONRPC != "2.0" {
			fail(fmt.Errorf("not a JSON-RPC 2.0 message: %s", body))
			return
		}
		c.mu.Lock()
		c.transcript.Write(head.Bytes())
		c.transcript.Write(body)
		switch {
		case m.Method == "textDocument/publishDiagnostics":
			var p publishDiagnosticsParams
			if err := json.Unmarshal(m.Params, &p); err != nil {
				c.readErr = err
			}
			c.diags[p.URI] = p.Diagnostics
			c.pubs[p.URI]++
		case m.Method != "" && len(m.ID) > 0:
			c.requests = append(c.requests, m)
		case m.Method == "":
			id, err := strconv.Atoi(string(m.ID))
			if err != nil {
				c.readErr = fmt.Errorf("response with id %s", m.ID)
			}
			c.responses[id] = m
		}
		c.mu.Unlock()
		c.cond.Broadcast()
	}
}

func (c *client) send(v any) {
	c.t.Helper()
	body, err := json.Marshal(v)
	if err != nil {
		c.t.Fatal(err)
	}
	if _, err := fmt.Fprintf(c.toSrv, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
		c.t.Fatalf("writing to the server: %v", err)
	}
}

func (c *client) notify(method string, params any) {
	c.t.Helper()
	switch method {
	case "initialized", "textDocument/didOpen", "textDocument/didChange", "textDocument/didClose",
		"workspace/didChangeWatchedFiles", "workspace/didChangeWorkspaceFolders":
		c.mu.Lock()
		c.sent++
		c.mu.Unlock()
	}
	c.send(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
}

// call sends a request and returns the whole response message.
func (c *client) call(method string, params any) message {
	c.t.Helper()
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	c.mu.Unlock()
	c.send(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	var m message
	c.waitFor(method+" response", func() bool {
		var ok bool
		m, ok = c.responses[id]
		return ok
	})
	return m
}

// request sends a request and returns its result; an error response fails
// the test.
func (c *client) request(method string, params any) json.RawMessage {
	c.t.Helper()
	m := c.call(method, params)
	if m.Error != nil {
		c.t.Fatalf("%s: %v", method, m.Error)
	}
	return m.Result
}

// waitFor waits until cond (called with c.mu held) holds.
func (c *client) waitFor(what string, cond func() bool) {
	c.t.Helper()
	deadline := time.Now().Add(waitLimit)
	timer := time.AfterFunc(waitLimit, c.cond.Broadcast)
	defer timer.Stop()
	c.mu.Lock()
	defer c.mu.Unlock()
	for !cond() {
		if c.readErr != nil {
			c.t.Fatalf("reading the server: %v", c.readErr)
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("timed out waiting for %s", what)
		}
		c.cond.Wait()
	}
}

// settle waits until a run has seen every event sent and the client has
// read everything it published: the response to a request comes after the
// publications before it.
func (c *client) settle() {
	c.t.Helper()
	c.waitFor("a run after the last edit", func() bool {
		for _, g := range c.runs {
			if g >= c.sent {
				return true
			}
		}
		return false
	})
	c.call("$/sync", nil) // answered with an error, after what came before
}

// waitDiagnostics waits until the diagnostics of uri satisfy ok.
func (c *client) waitDiagnostics(uri string, what string, ok func([]diagnostic) bool) []diagnostic {
	c.t.Helper()
	var got []diagnostic
	c.waitFor(what, func() bool {
		d, published := c.diags[uri]
		got = d
		return published && ok(d)
	})
	return got
}

func (c *client) diagnostics(uri string) []diagnostic {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.diags[uri]
}

// shutdown sends shutdown and exit and returns the server's exit code.
func (c *client) shutdown() int {
	c.t.Helper()
	c.request("shutdown", nil)
	c.notify("exit", nil)
	select {
	case code := <-c.exit:
		c.exit <- code // for the cleanup
		return code
	case <-time.After(waitLimit):
		c.t.Fatal("the server did not exit")
	}
	return -1
}

func (c *client) open(path, languageID string, version int, text string) {
	c.t.Helper()
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": pathToURI(path), "languageId": languageID, "version": version, "text": text}})
}

func (c *client) change(path string, version int, text string) {
	c.t.Helper()
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": pathToURI(path), "version": version},
		"contentChanges": []map[string]any{{"text": text}},
	})
}

func hasRule(ds []diagnostic, rule string) bool {
	for _, d := range ds {
		if d.Code == rule {
			return true
		}
	}
	return false
}

func withRule(ds []diagnostic, rule string) []diagnostic {
	var out []diagnostic
	for _, d := range ds {
		if d.Code == rule {
			out = append(out, d)
		}
	}
	return out
}

// copyTree copies testdata/<name> into a new temporary directory.
func copyTree(t *testing.T, name string) string {
	t.Helper()
	dst := t.TempDir()
	src := filepath.Join("testdata", name)
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	// the temporary directory may lie under a symbolic link (macOS /var)
	if real, err := filepath.EvalSymlinks(dst); err == nil {
		dst = real
	}
	return dst
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// applyEdits applies LSP text edits (UTF-16 positions unless enc says
// otherwise) to text, the way an editor does.
func applyEdits(t *testing.T, src string, edits []textEdit, enc string) string {
	t.Helper()
	tx := newText([]byte(src))
	type span struct {
		start, end int
		text       string
	}
	var spans []span
	for _, e := range edits {
		spans = append(spans, span{offsetOf(t, tx, e.Range.Start, enc), offsetOf(t, tx, e.Range.End, enc), e.NewText})
	}
	for i := len(spans) - 1; i >= 0; i-- { // edits come in order and do not overlap
		s := spans[i]
		src = src[:s.start] + s.text + src[s.end:]
	}
	return src
}

// offsetOf is the byte offset of an LSP position, computed without the
// server's conversion code.
func offsetOf(t *testing.T, tx *text, p position, enc string) int {
	t.Helper()
	if p.Line >= len(tx.starts) {
		t.Fatalf("position %+v past the end", p)
	}
	line := string(tx.line(p.Line))
	off, n := 0, 0
	for _, r := range line {
		if n >= p.Character {
			break
		}
		switch enc {
		case encUTF8:
			n += len(string(r))
		case encUTF32:
			n++
		default:
			n++
			if r >= 0x10000 {
				n++
			}
		}
		off += len(string(r))
	}
	return tx.starts[p.Line] + off
}
