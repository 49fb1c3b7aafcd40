package lsp

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// FuzzFraming feeds the message reader arbitrary bytes: it never panics,
// never returns a body longer than its Content-Length allows, and stops
// with an error or io.EOF once the input is used up, never looping.
func FuzzFraming(f *testing.F) {
	for _, s := range []string{
		"Content-Length: 2\r\n\r\n{}",
		"Content-Length: 2\r\n\r\n{}Content-Length: 4\r\n\r\nnull",
		"content-length:3\n\n[1]",
		"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: 2\r\n\r\n{}",
		"Content-Length: -1\r\n\r\n",
		"Content-Length: 99999999999999999999\r\n\r\n",
		"Content-Length: 10\r\n\r\n{}",
		"no colon\r\n\r\n",
		"\r\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rd := newReader(bytes.NewReader(data))
		total := 0
		for i := 0; i <= len(data)+1; i++ {
			body, err := rd.read()
			if err != nil {
				if errors.Is(err, io.EOF) && i > 0 && total > len(data) {
					t.Fatalf("read %d body bytes from %d input bytes", total, len(data))
				}
				return
			}
			if len(body) > maxBody {
				t.Fatalf("a body of %d bytes, over the limit", len(body))
			}
			total += len(body)
			if total > len(data) {
				t.Fatalf("read %d body bytes from %d input bytes", total, len(data))
			}
		}
		t.Fatalf("%d messages from %d bytes: the reader does not stop", len(data)+2, len(data))
	})
}
