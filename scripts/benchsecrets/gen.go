package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// genOptions size the generated tree.
type genOptions struct {
	Seed  uint64
	Files int   // total files; the first half gets planted secrets
	Bytes int64 // approximate total size
}

// genFile is one generated file, path relative to the tree root.
type genFile struct {
	Path   string
	Half   string // "planted" or "clean"
	Type   string
	Data   []byte
	Marks  []mark // planted secrets
	Baits  []mark
	Values []string // the planted values, in Marks order (tests only)
}

// fileTypes and their shares of the files.
var fileTypes = []struct {
	name  string
	share float64
}{
	{"jcasc", 0.25}, {"jenkinsfile", 0.20}, {"shell", 0.20}, {"json", 0.20}, {"config", 0.15},
}

// generate builds the whole tree in memory, deterministically from the seed.
// Files of the planted half carry 1 to 4 secrets each; the clean half carries
// the same filler and bait, and no secret.
func generate(o genOptions) ([]genFile, error) {
	g := newRNG(o.Seed)
	half := o.Files / 2
	// sizes: a long-tailed distribution scaled to the total
	sizes := make([]float64, o.Files)
	sum := 0.0
	for i := range sizes {
		s := 1500 + g.r.ExpFloat64()*8500
		if g.n(100) == 0 {
			s = 100000 + float64(g.n(200000))
		}
		sizes[i] = math.Min(s, 400000)
		sum += sizes[i]
	}
	// a file ends past its target by about one block and the footer
	scale := float64(o.Bytes-int64(o.Files)*450) / sum
	var out []genFile
	perRepo := 10
	for i := 0; i < o.Files; i++ {
		h, idx := "planted", i
		if i >= half {
			h, idx = "clean", i-half
		}
		typ := pickType(g)
		repo := fmt.Sprintf("%s/repo-%04d", h, idx/perRepo)
		f := genFile{Half: h, Type: typ}
		var w writer
		var kinds []string
		switch typ {
		case "jcasc":
			w, kinds = &jcascWriter{g: g}, jcascKinds
			f.Path = repo + g.pick("/casc/jenkins-", "/jenkins-casc-", "/config/casc-") + itoa(idx) + ".yaml"
		case "jenkinsfile":
			w, kinds = &jenkinsfileWriter{g: g}, jenkinsfileKinds
			f.Path = repo + g.pick("/Jenkinsfile.", "/pipelines/"+g.word()+"-") + itoa(idx)
			if strings.Contains(f.Path, "/pipelines/") {
				f.Path += ".jenkinsfile"
			}
		case "shell":
			w, kinds = &shellWriter{g: g}, shellKinds
			f.Path = repo + "/scripts/" + g.word() + "-" + itoa(idx) + ".sh"
		case "json":
			w, kinds = &jsonWriter{g: g}, jsonKinds
			f.Path = repo + "/config/" + g.word() + "-" + itoa(idx) + ".json"
		default:
			flavor := g.pick("properties", "properties", "env", "conf", "aws")
			w, kinds = &configWriter{g: g, flavor: flavor}, configKinds
			switch flavor {
			case "aws":
				f.Path = repo + "/aws-" + itoa(idx) + "/credentials"
			default:
				f.Path = repo + "/" + flavor + "/" + g.word() + "-" + itoa(idx) + "." + flavor
			}
		}
		var plant []string
		if h == "planted" {
			for k := 1 + g.n(4); k > 0; k-- {
				plant = append(plant, kinds[g.n(len(kinds))])
			}
		}
		target := int(sizes[i] * scale)
		var vals []string
		f.Data, f.Marks, f.Baits, vals = writeFile(g, w, plant, target)
		f.Values = vals
		if err := validate(f); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

func pickType(g *rng) string {
	x := g.r.Float64()
	for _, t := range fileTypes {
		if x < t.share {
			return t.name
		}
		x -= t.share
	}
	return fileTypes[len(fileTypes)-1].name
}

// writeFile writes a file of about target bytes with the given secrets
// placed at random points of its first 55 %.
func writeFile(g *rng, w writer, plant []string, target int) ([]byte, []mark, []mark, []string) {
	d := &doc{}
	rest := w.header(d, plant)
	pos := make([]int, len(rest))
	for i := range pos {
		pos[i] = int(float64(target) * (0.02 + 0.53*g.r.Float64()))
	}
	sort.Ints(pos)
	next := 0
	for d.size < target || next < len(rest) {
		if next < len(rest) && (pos[next] <= d.size || d.size >= target) {
			w.secret(d, rest[next])
			next++
			continue
		}
		if jw, ok := w.(*jcascWriter); ok && !jw.jobs && next == len(rest) && d.size > target*6/10 {
			jw.startJobs(d)
			continue
		}
		w.filler(d)
	}
	w.footer(d)
	data := d.bytes()
	// the planted values, read back from the lines (for the tests)
	var vals []string
	for _, m := range d.planted {
		vals = append(vals, d.lines[m.Line-1])
	}
	return data, d.planted, d.bait, vals
}

// validate makes sure structured files parse, so neither tool skips them
// and the linter reports no parse error.
func validate(f genFile) error {
	switch f.Type {
	case "json":
		if !json.Valid(f.Data) {
			return fmt.Errorf("generated invalid JSON: %s", f.Path)
		}
	case "jcasc":
		var v any
		if err := yaml.Unmarshal(f.Data, &v); err != nil {
			return fmt.Errorf("generated invalid YAML %s: %w", f.Path, err)
		}
	}
	return nil
}

// writeTree writes the files under dir/tree and the lists dir/planted.tsv,
// dir/bait.tsv and dir/files.tsv.
func writeTree(dir string, files []genFile) (total int64, err error) {
	root := filepath.Join(dir, "tree")
	if err := os.RemoveAll(root); err != nil {
		return 0, fmt.Errorf("clear %s: %w", root, err)
	}
	var planted, bait, list strings.Builder
	planted.WriteString("file\tline\tkind\tcontext\n")
	bait.WriteString("file\tline\tcategory\tcontext\n")
	list.WriteString("file\thalf\ttype\tbytes\n")
	for _, f := range files {
		p := filepath.Join(root, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return 0, fmt.Errorf("mkdir: %w", err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return 0, fmt.Errorf("write: %w", err)
		}
		total += int64(len(f.Data))
		fmt.Fprintf(&list, "%s\t%s\t%s\t%d\n", f.Path, f.Half, f.Type, len(f.Data))
		for _, m := range f.Marks {
			fmt.Fprintf(&planted, "%s\t%d\t%s\t%s\n", f.Path, m.Line, m.Kind, tsv(m.Context))
		}
		for _, m := range f.Baits {
			fmt.Fprintf(&bait, "%s\t%d\t%s\t%s\n", f.Path, m.Line, m.Kind, tsv(m.Context))
		}
	}
	for name, b := range map[string]*strings.Builder{"planted.tsv": &planted, "bait.tsv": &bait, "files.tsv": &list} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(b.String()), 0o644); err != nil {
			return 0, fmt.Errorf("write %s: %w", name, err)
		}
	}
	return total, nil
}

func tsv(s string) string { return strings.NewReplacer("\t", " ", "\n", " ").Replace(s) }
