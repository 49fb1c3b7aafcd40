package trust

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// BenchmarkReadHCL reads each Terraform fixture (parse, read, link): the
// cost per .tf file, to hold against BenchmarkLint1000's per-file cost
// (go test ./lint -run x -bench Lint1000: about 0.1 ms per JCasC file end
// to end).
func BenchmarkReadHCL(b *testing.B) {
	paths, _ := filepath.Glob("testdata/tf/*/*.tf")
	var files []*source.File
	size := 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, source.NewFile(p, data))
		size += len(data)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		docs := make([]*Doc, 0, len(files))
		for _, f := range files {
			d, ferr := ReadTerraform(source.NewFile(f.Path, f.Data))
			if ferr != nil {
				b.Fatal(ferr)
			}
			docs = append(docs, d)
		}
		Link(docs)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(files))/1000, "µs/file")
}

// BenchmarkReadUnrelatedHCL reads a 40 KB .tf file of resources that
// trust nothing (buckets, instances): Read skips it unparsed.
func BenchmarkReadUnrelatedHCL(b *testing.B) {
	var buf []byte
	for i := 0; len(buf) < 40<<10; i++ {
		buf = append(buf, fmt.Sprintf("resource \"aws_s3_bucket\" \"b%d\" {\n  bucket = \"logs-%d\"\n  tags = { team = var.team }\n}\n\n", i, i)...)
	}
	f := source.NewFile("main.tf", buf)
	b.SetBytes(int64(len(buf)))
	b.Run("Read", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if d, _ := Read(f); d != nil {
				b.Fatal("read")
			}
		}
	})
	b.Run("ReadTerraform", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, ferr := ReadTerraform(f); ferr != nil {
				b.Fatal(ferr)
			}
		}
	})
}

// BenchmarkReadPolicyJSON is the same for IAM policy and CloudFormation
// files.
func BenchmarkReadPolicyJSON(b *testing.B) {
	paths, _ := filepath.Glob("testdata/[pc]*/*")
	var files []*source.File
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, source.NewFile(p, data))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, f := range files {
			if _, ferr := Read(source.NewFile(f.Path, f.Data)); ferr != nil {
				b.Fatal(ferr)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(files))/1000, "µs/file")
}
