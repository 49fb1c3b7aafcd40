package jenkinsfile

import (
	"bytes"
	"os"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// bigFile is about 1 MiB of realistic pipeline code: the corpus files
// (without their shebang lines) repeated.
func bigFile(b *testing.B) []byte {
	var one []byte
	for _, p := range corpus(b) {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		if bytes.HasPrefix(data, []byte("#!")) {
			data = data[bytes.IndexByte(data, '\n')+1:]
		}
		one = append(one, data...)
		one = append(one, '\n')
	}
	return bytes.Repeat(one, 1<<20/len(one)+1)
}

func BenchmarkLex(b *testing.B) {
	data := bigFile(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Lex(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	data := bigFile(b)
	f := source.NewFile("big.Jenkinsfile", data)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Parse(f); err != nil {
			b.Fatal(err)
		}
	}
}
