// Package embed finds JCasC documents inside other YAML files (their
// containers) and maps each one byte for byte back to the container: the
// official Jenkins Helm chart's values (controller.JCasC.configScripts and
// the securityRealm / authorizationStrategy strings, also under an umbrella
// chart's key or the old master: key), Kubernetes ConfigMaps and Secrets
// (data, stringData, base64 data), and any block scalar that holds a JCasC
// document. Each document found becomes a source.File of its own whose
// Embedding lets the engine report every finding at the exact line and
// column of the container.
package embed

import (
	"bytes"
	"encoding/base64"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// Doc is a JCasC document found in a container, not yet parsed.
type Doc struct {
	// File holds the document's text; its Embed maps it to the container.
	File *source.File
	// Declared is set when the place itself says the value is JCasC (a Helm
	// configScripts entry, a ConfigMap labelled for the chart's sidecar):
	// a value that does not parse is then a parse error, not a value of
	// another kind.
	Declared bool
}

// Found is what a container holds.
type Found struct {
	Docs []Doc
	// Chart is the controller mapping of a Helm values file (controller: or
	// master:, at the top or under an umbrella chart's key), nil when the
	// file is not one. ChartPath is its dotted path ("jenkins.controller").
	Chart     *yaml.Node
	ChartPath string
	// Notes are values left alone on purpose (a value the chart does not
	// render), for the report's notes.
	Notes []report.FileError
}

// topKeys are the JCasC root keys that make a value look like a document
// (jcasc.TopLevelKeys; repeated here as bytes to keep this package below
// jcasc).
var topKeys = [][]byte{[]byte("jenkins:"), []byte("credentials:"), []byte("unclassified:"), []byte("security:"), []byte("tool:")}

// LooksText reports whether text has a JCasC root key at the start of a
// line: the cheap test made before parsing a value as YAML.
func LooksText(text []byte) bool {
	for _, k := range topKeys {
		if bytes.HasPrefix(text, k) {
			return true
		}
		for i := 0; ; {
			j := bytes.Index(text[i:], k)
			if j < 0 {
				break
			}
			if at := i + j; text[at-1] == '\n' || text[at-1] == '\r' {
				return true
			}
			i += j + 1
		}
	}
	return false
}

// Find looks for JCasC documents in the parsed documents of f, a YAML file
// that is not JCasC itself. Documents are numbered in file order.
func Find(f *source.File, roots []*yaml.Node) *Found {
	fd := &finder{f: f, out: &Found{}, taken: map[*yaml.Node]bool{}}
	for _, root := range roots {
		if root.Kind != yaml.MappingNode {
			continue
		}
		if chart, p := ChartController(root); chart != nil {
			if fd.out.Chart == nil {
				fd.out.Chart, fd.out.ChartPath = chart, p
			}
			fd.chart(chart, p)
		}
		fd.manifest(root)
	}
	for _, root := range roots {
		fd.anyBlock(root, -1, "")
	}
	sort.SliceStable(fd.out.Docs, func(i, j int) bool {
		return fd.out.Docs[i].File.Embed.Start < fd.out.Docs[j].File.Embed.Start
	})
	for i := range fd.out.Docs {
		fd.out.Docs[i].File.Path = source.EmbeddedPath(f.Path, i)
	}
	return fd.out
}

type finder struct {
	f     *source.File
	out   *Found
	taken map[*yaml.Node]bool
}

// ChartController returns the controller mapping of a Jenkins Helm chart's
// values (controller:, or master: before chart 3.0), at the top level or
// under one umbrella key (jenkins.controller), with its dotted path.
func ChartController(root *yaml.Node) (*yaml.Node, string) {
	for _, name := range []string{"controller", "master"} {
		if _, v := tree.Get(root, name); isChartController(v) {
			return v, name
		}
	}
	for _, p := range tree.Pairs(root) {
		for _, name := range []string{"controller", "master"} {
			if _, v := tree.Get(p.Value, name); isChartController(v) {
				return v, p.Key.Value + "." + name
			}
		}
	}
	return nil, ""
}

// isChartController tells the chart's controller values from a mapping that
// merely has that name: it holds keys only the chart's controller has.
func isChartController(m *yaml.Node) bool {
	if m == nil || m.Kind != yaml.MappingNode {
		return false
	}
	for _, k := range []string{"JCasC", "installPlugins", "additionalPlugins", "sidecars", "jenkinsUrl", "admin", "adminUser", "numExecutors", "installLatestPlugins"} {
		if key, _ := tree.Get(m, k); key != nil {
			return true
		}
	}
	return false
}

// chart reads the JCasC of a chart's controller values: each configScripts
// entry is a document; securityRealm and authorizationStrategy are strings
// the chart renders under jenkins: (and drops when a config script mentions
// the key, comments included).
func (fd *finder) chart(ctl *yaml.Node, at string) {
	_, casc := tree.Get(ctl, "JCasC")
	if casc == nil || casc.Kind != yaml.MappingNode {
		return
	}
	_, scripts := tree.Get(casc, "configScripts")
	var scriptsText strings.Builder
	for _, p := range tree.Pairs(scripts) {
		v := tree.Resolve(p.Value)
		if v == nil || v.Kind != yaml.ScalarNode {
			continue
		}
		scriptsText.WriteString(v.Value)
		fd.add(v, p.Key.Column-1, at+".JCasC.configScripts."+p.Key.Value, true, nil)
	}
	for _, key := range []string{"securityRealm", "authorizationStrategy"} {
		k, v := tree.Get(casc, key)
		v = tree.Resolve(v)
		if k == nil || v == nil || v.Kind != yaml.ScalarNode || strings.TrimSpace(v.Value) == "" {
			continue
		}
		fd.taken[v] = true
		if strings.Contains(scriptsText.String(), key+":") {
			fd.out.Notes = append(fd.out.Notes, report.FileError{Pos: tree.Pos(fd.f, k),
				Message: at + ".JCasC." + key + " is not rendered: the chart drops it because a config script mentions `" + key + ":`"})
			continue
		}
		fd.add(v, k.Column-1, at+".JCasC."+key, true, &wrap{key: key, at: fd.f.Offset(k.Line, k.Column)})
	}
}

// wrap nests a value one level under jenkins: <key>:, as the chart renders
// the securityRealm and authorizationStrategy strings.
type wrap struct {
	key string
	at  int // the values key, where the added lines point
}

// manifest reads Kubernetes ConfigMaps and Secrets (and Lists of them).
func (fd *finder) manifest(root *yaml.Node) {
	_, kind := tree.Get(root, "kind")
	if kind == nil || kind.Kind != yaml.ScalarNode {
		return
	}
	name := ""
	if _, n := tree.Get(tree.Lookup(root, "metadata"), "name"); n != nil && n.Kind == yaml.ScalarNode {
		name = n.Value
	}
	declared := false
	for _, l := range tree.Pairs(tree.Lookup(root, "metadata", "labels")) {
		if strings.HasSuffix(l.Key.Value, "-jenkins-config") && l.Value != nil && l.Value.Value == "true" {
			declared = true
		}
	}
	switch kind.Value {
	case "List":
		for _, it := range tree.Items(tree.Lookup(root, "items")) {
			if it.Kind == yaml.MappingNode {
				fd.manifest(it)
			}
		}
	case "ConfigMap":
		fd.values(root, "data", "ConfigMap "+name, declared, false)
	case "Secret":
		fd.values(root, "stringData", "Secret "+name, declared, false)
		fd.values(root, "data", "Secret "+name, declared, true)
	}
}

// values reads the entries of a ConfigMap's or Secret's data map.
func (fd *finder) values(root *yaml.Node, field, what string, declared, b64 bool) {
	for _, p := range tree.Pairs(tree.Lookup(root, field)) {
		v := tree.Resolve(p.Value)
		if v == nil || v.Kind != yaml.ScalarNode {
			continue
		}
		where := what + " " + field + "." + p.Key.Value
		isYAML := strings.HasSuffix(p.Key.Value, ".yaml") || strings.HasSuffix(p.Key.Value, ".yml")
		if b64 {
			raw, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(v.Value), ""))
			if err != nil || !LooksText(raw) {
				continue
			}
			fd.taken[v] = true
			fd.out.Docs = append(fd.out.Docs, Doc{File: fd.inexact(v, raw, where), Declared: declared && isYAML})
			continue
		}
		if !LooksText([]byte(v.Value)) {
			continue
		}
		fd.add(v, p.Key.Column-1, where, declared && isYAML, nil)
	}
}

// anyBlock finds, anywhere in a document, string values that hold a JCasC
// document (an application's config key holding JCasC).
func (fd *finder) anyBlock(n *yaml.Node, parentIndent int, at string) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			fd.anyBlock(n.Content[i+1], k.Column-1, join(at, k.Value))
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			fd.anyBlock(c, n.Column-1, join(at, "["+strconv.Itoa(i)+"]"))
		}
	case yaml.ScalarNode:
		if fd.taken[n] || !strings.Contains(n.Value, "\n") || !LooksText([]byte(n.Value)) {
			return
		}
		fd.add(n, parentIndent, at, false, nil)
	}
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

// add makes a document of scalar v.
func (fd *finder) add(v *yaml.Node, parentIndent int, where string, declared bool, w *wrap) {
	if fd.taken[v] && w == nil {
		return
	}
	fd.taken[v] = true
	f := fd.f
	data := []byte(v.Value)
	offs := Offsets(f, v, parentIndent)
	if offs == nil {
		if w != nil {
			data = wrapText(data, w.key)
		}
		fd.out.Docs = append(fd.out.Docs, Doc{File: fd.inexact(v, data, where), Declared: declared})
		return
	}
	if w != nil {
		data, offs = wrapMapped(data, offs, w)
	}
	start := f.Offset(v.Line, v.Column)
	doc := source.NewFile("", data)
	doc.Kind = source.JCasC
	doc.Embed = &source.Embedding{Outer: f, Offsets: offs, Start: start, End: max(start, int(offs[len(offs)-1])), Where: where,
		Folded: v.Style&yaml.FoldedStyle != 0}
	fd.out.Docs = append(fd.out.Docs, Doc{File: doc, Declared: declared})
}

// inexact makes a document whose positions all fall on the value's start.
func (fd *finder) inexact(v *yaml.Node, data []byte, where string) *source.File {
	f := fd.f
	start := f.Offset(v.Line, v.Column)
	end := f.Offset(tree.End(f, v).Line, tree.End(f, v).Col)
	doc := source.NewFile("", data)
	doc.Kind = source.JCasC
	doc.Embed = &source.Embedding{Outer: f, Start: start, End: max(start, end), Where: where}
	return doc
}

// wrapText nests text under jenkins: <key>: (four spaces in front of each
// non-empty line).
func wrapText(text []byte, key string) []byte {
	out, _ := nest(text, make([]int32, len(text)+1), "jenkins:\n  "+key+":\n", 4, 0)
	return out
}

// wrapMapped nests text under jenkins: <key>:, keeping the map: the added
// lines map to the values key, the added indentation to the start of its
// line.
func wrapMapped(text []byte, offs []int32, w *wrap) ([]byte, []int32) {
	return nest(text, offs, "jenkins:\n  "+w.key+":\n", 4, w.at)
}

// nest puts head in front of text and indents each non-empty line of text
// by depth spaces, keeping the map offs of text: the head maps to offset
// at, the added indentation to the start of its line.
func nest(text []byte, offs []int32, head string, depth, at int) ([]byte, []int32) {
	out := make([]byte, 0, len(head)+len(text)+depth*(bytes.Count(text, []byte("\n"))+1))
	outOffs := make([]int32, 0, cap(out)+1)
	for i := 0; i < len(head); i++ {
		out = append(out, head[i])
		outOffs = append(outOffs, int32(at))
	}
	lineStart := true
	for i := 0; i < len(text); i++ {
		if lineStart && text[i] != '\n' && text[i] != '\r' {
			for k := 0; k < depth; k++ {
				out = append(out, ' ')
				outOffs = append(outOffs, offs[i])
			}
		}
		out = append(out, text[i])
		outOffs = append(outOffs, offs[i])
		lineStart = text[i] == '\n' || text[i] == '\r' && (i+1 == len(text) || text[i+1] != '\n')
	}
	return out, append(outOffs, offs[len(text)])
}

// realmKeys are keys of the oic realm that only it has at the top of a
// mapping (any layout).
var realmKeys = []string{"clientId", "clientSecret", "serverConfiguration", "wellKnownOpenIDConfigurationUrl",
	"automanualconfigure", "tokenServerUrl", "authorizationServerUrl", "userNameField", "groupsFieldName",
	"escapeHatchEnabled", "pkceEnabled", "disableSslVerification", "logoutFromOpenidProvider"}

// Realm reads a file that holds an oic realm exported on its own, as people
// keep one next to a controller's JCasC: the realm's keys at the top level
// (clientId, serverConfiguration…), or a top-level oic: key. It returns the
// JCasC document JCasC would read (the file nested under jenkins:
// securityRealm:), mapped byte for byte to the file, or nil when root is
// not such a realm.
func Realm(f *source.File, root *yaml.Node) *Doc {
	if root == nil || root.Kind != yaml.MappingNode {
		return nil
	}
	head := ""
	if k, v := tree.Get(root, "oic"); k != nil && v != nil && v.Kind == yaml.MappingNode && len(root.Content) == 2 {
		head = "jenkins:\n  securityRealm:\n"
	} else {
		client, _ := tree.Get(root, "clientId")
		n := 0
		for _, k := range realmKeys {
			if key, _ := tree.Get(root, k); key != nil {
				n++
			}
		}
		if client == nil || n < 2 {
			return nil
		}
		head = "jenkins:\n  securityRealm:\n    oic:\n"
	}
	depth := strings.Count(head, "\n") * 2 // the nesting the head adds
	offs := make([]int32, len(f.Data)+1)
	for i := range offs {
		offs[i] = int32(i)
	}
	data, offs := nest(f.Data, offs, head, depth, 0)
	doc := source.NewFile("", data)
	doc.Kind = source.JCasC
	doc.Embed = &source.Embedding{Outer: f, Offsets: offs, Start: 0, End: len(f.Data), Where: "the realm of " + f.Path}
	return &Doc{File: doc}
}
