package trust

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

func seeds(f *testing.F, exts ...string) {
	_ = filepath.Walk("testdata", func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || strings.Contains(p, "golden") {
			return nil
		}
		for _, e := range exts {
			if strings.HasSuffix(p, e) {
				if b, err := os.ReadFile(p); err == nil {
					f.Add(b)
				}
			}
		}
		return nil
	})
	for _, tc := range readCases {
		for _, e := range exts {
			if strings.HasSuffix(tc.file, e) {
				f.Add([]byte(tc.src))
			}
		}
	}
}

// checkDoc asserts what every read must give: places inside the file and
// consistent with its offsets, helm values maps that point at the bytes
// they came from, and a Link that does not panic.
func checkDoc(t *testing.T, f *source.File, d *Doc) {
	if d == nil {
		return
	}
	checkPlaces(t, f, d)
	for _, n := range d.Notes {
		if n.Pos.Line > f.LineCount() {
			t.Errorf("note %v past the file's end", n.Pos)
		}
	}
	for _, h := range d.Helm {
		if h.Offsets == nil {
			continue
		}
		if len(h.Offsets) != len(h.Text)+1 {
			t.Fatalf("%d offsets for %d bytes", len(h.Offsets), len(h.Text))
		}
		for i := 0; i < len(h.Text); i++ {
			if o := h.Offsets[i]; o < 0 || int(o) >= len(f.Data) || f.Data[o] != h.Text[i] {
				t.Fatalf("values byte %d %q maps to %d", i, h.Text[i], o)
			}
		}
	}
	Link([]*Doc{d})
	checkPlaces(t, f, d)
}

// FuzzTrustJSON reads fuzzed IAM policy JSON and CloudFormation (JSON and
// YAML with short tags): no panic, every place inside the file.
func FuzzTrustJSON(f *testing.F) {
	seeds(f, ".json", ".template", ".yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"trust.json", "template.yaml"} {
			file := source.NewFile(name, data)
			d, _ := Read(file)
			checkDoc(t, file, d)
		}
	})
}

// FuzzTrustHCL reads fuzzed Terraform: no panic, every place inside the
// file, helm values maps exact.
func FuzzTrustHCL(f *testing.F) {
	seeds(f, ".tf")
	f.Fuzz(func(t *testing.T, data []byte) {
		file := source.NewFile("main.tf", data)
		d, _ := ReadTerraform(file)
		checkDoc(t, file, d)
	})
}
