package plugins

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

//go:generate go run ./internal/generas

// Era is one JCasC key (or value layout) whose acceptance depends on a
// plugin release: a row of eras.json.
type Era struct {
	Plugin string `json:"plugin"`
	// Path is the key's JCasC path from the document root: keys joined by
	// '.', "[]" after a key for each item of its list, '*' for any key,
	// "a|b" for either key. Keys match case-insensitively, as in JCasC.
	Path string `json:"path"`
	// Prefixes, when set, make the era about the scalar items of the list
	// at Path that start with one of them (a value layout), not the key.
	Prefixes []string `json:"prefixes,omitempty"`
	// Since is the first release that accepts the key; Deprecated the
	// first that refuses it as deprecated (JCasC's default is to reject
	// deprecated attributes); Until the first that no longer has it;
	// AbsentThrough the newest release known not to have it.
	Since         string `json:"since,omitempty"`
	Deprecated    string `json:"deprecated,omitempty"`
	Until         string `json:"until,omitempty"`
	AbsentThrough string `json:"absentThrough,omitempty"`
	// Before says what to write for a release before Since (or up to
	// AbsentThrough); After what to write from Deprecated or Until on.
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
	// Source names where each fact was read (repository@tag path: fact).
	Source []string `json:"source"`
}

// Key is the last key of the era's path (its alternatives joined by '|').
func (e *Era) Key() string {
	segs := strings.Split(e.Path, ".")
	return strings.TrimSuffix(segs[len(segs)-1], "[]")
}

// Verdict is what a release makes of an era's key.
type Verdict int

// Verdicts.
const (
	Accepted   Verdict = iota // the release accepts the key
	NotYet                    // the key came in a later release (Since)
	Absent                    // no release up to AbsentThrough has the key
	Removed                   // the release no longer has the key (Until)
	Deprecated                // the release refuses the key as deprecated
)

// Judge says what release version makes of the era's key. version must be
// a release (Pin.Pinned).
func (e *Era) Judge(version string) Verdict {
	switch {
	case e.AbsentThrough != "" && Compare(numericPrefix(version), numericPrefix(e.AbsentThrough)) <= 0:
		return Absent
	case e.Since != "" && !atLeast(version, e.Since):
		return NotYet
	case e.Until != "" && atLeast(version, e.Until):
		return Removed
	case e.Deprecated != "" && atLeast(version, e.Deprecated):
		return Deprecated
	}
	return Accepted
}

// atLeast reports whether version is threshold or later. A threshold is
// compared by its numeric prefix ("4.350" of "4.350.v347c3b_8b_9d95"), so
// a release of the same build with any commit suffix counts as that
// release.
func atLeast(version, threshold string) bool {
	return Compare(version, numericPrefix(threshold)) >= 0
}

// numericPrefix is the dotted numbers a version starts with.
func numericPrefix(v string) string {
	parts := strings.Split(v, ".")
	n := 0
	for n < len(parts) && parts[n] != "" && strings.Trim(parts[n], "0123456789") == "" {
		n++
	}
	if n == 0 {
		return v
	}
	return strings.Join(parts[:n], ".")
}

// EraKey is a key or value of a JCasC document that an era is about, kept
// as a place so it outlives the document's tree.
type EraKey struct {
	Era *Era
	At  tree.Place
}

// DocEras is what plugin-version-mismatch needs of a JCasC document after
// its tree is gone: the era-bound keys it holds, and whether its
// `configuration-as-code:` block makes JCasC only warn about unknown or
// deprecated keys.
type DocEras struct {
	Keys           []EraKey
	UnknownWarn    bool
	DeprecatedWarn bool
}

var (
	erasOnce sync.Once
	eraTable []*Era
	eraTrie  *trieNode
	eraErr   error
	pluginsT map[string]string
)

// trieNode is one step of the compiled era paths.
type trieNode struct {
	keys  map[string]*trieNode // lower-case key
	any   *trieNode            // '*'
	items bool                 // the key's value is a list: descend into its items
	eras  []*Era               // eras of the key that ends here
	vals  []*Era               // eras of the list items (Prefixes)
}

func (n *trieNode) child(key string) *trieNode {
	if key == "*" {
		if n.any == nil {
			n.any = &trieNode{}
		}
		return n.any
	}
	if n.keys == nil {
		n.keys = map[string]*trieNode{}
	}
	k := strings.ToLower(key)
	c := n.keys[k]
	if c == nil {
		c = &trieNode{}
		n.keys[k] = c
	}
	return c
}

func loadEras() {
	erasOnce.Do(func() {
		// eras_gen.go holds eras.json as Go data (go generate): nothing
		// to decode at run time
		plugins := make(map[string]string, len(erasPlugins))
		for _, p := range erasPlugins {
			plugins[p[0]] = p[1]
		}
		pluginsT = plugins
		root := &trieNode{}
		for i, e := range erasRows {
			if err := checkEra(e, plugins); err != nil {
				eraErr = fmt.Errorf("eras.json entry %d (%s): %w", i, e.Path, err)
				return
			}
			addPath(root, strings.Split(e.Path, "."), e)
		}
		eraTable, eraTrie = erasRows, root
	})
}

func checkEra(e *Era, plugins map[string]string) error {
	if _, ok := plugins[e.Plugin]; !ok {
		return fmt.Errorf("unknown plugin %q", e.Plugin)
	}
	if e.Since == "" && e.Until == "" && e.Deprecated == "" && e.AbsentThrough == "" {
		return fmt.Errorf("no version")
	}
	for _, v := range []string{e.Since, e.Until, e.Deprecated, e.AbsentThrough} {
		if v != "" && !IsRelease(v) {
			return fmt.Errorf("bad version %q", v)
		}
	}
	if len(e.Source) == 0 {
		return fmt.Errorf("no source")
	}
	if len(e.Prefixes) > 0 && !strings.HasSuffix(e.Path, "[]") {
		return fmt.Errorf("a prefix era's path must end in []")
	}
	for _, seg := range strings.Split(e.Path, ".") {
		if strings.TrimSuffix(seg, "[]") == "" {
			return fmt.Errorf("empty path segment")
		}
	}
	return nil
}

// addPath adds an era's path to the trie (alternatives a|b branch).
func addPath(n *trieNode, segs []string, e *Era) {
	seg := segs[0]
	list := strings.HasSuffix(seg, "[]")
	key := strings.TrimSuffix(seg, "[]")
	for _, alt := range strings.Split(key, "|") {
		c := n.child(alt)
		switch {
		case len(segs) > 1:
			if list {
				c.items = true
			}
			addPath(c, segs[1:], e)
		case len(e.Prefixes) > 0:
			c.items = true
			c.vals = append(c.vals, e)
		default:
			c.eras = append(c.eras, e)
		}
	}
}

// Eras returns the era table (eras.json), in file order.
func Eras() ([]*Era, error) {
	loadEras()
	return eraTable, eraErr
}

// PluginName is the display name of a plugin the tool judges ("" for
// others).
func PluginName(id string) string {
	loadEras()
	return pluginsT[id]
}

// Judged lists the IDs of the plugins whose releases the tool knows
// (eras.json's plugins), sorted.
func Judged() []string {
	loadEras()
	out := make([]string, 0, len(pluginsT))
	for id := range pluginsT {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// maxEraKeys bounds the keys recorded for one document (a document of
// aliases can repeat one mapping many times).
const maxEraKeys = 1000

// ReadEras records the era-bound keys of a JCasC document (root is its
// root mapping) and its configuration-as-code settings. Call it while the
// tree exists; the result holds places only.
func ReadEras(f *source.File, root *yaml.Node) DocEras {
	var d DocEras
	loadEras()
	if eraErr != nil || root == nil {
		return d
	}
	if r := tree.Resolve(root); r != nil && r.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(r.Content); i += 2 {
			if !strings.EqualFold(r.Content[i].Value, "configuration-as-code") {
				continue
			}
			for _, s := range tree.Pairs(r.Content[i+1]) {
				switch strings.ToLower(s.Key.Value) {
				case "unknown":
					d.UnknownWarn = strings.EqualFold(scalarText(s.Value), "warn")
				case "deprecated":
					d.DeprecatedWarn = strings.EqualFold(scalarText(s.Value), "warn")
				}
			}
		}
	}
	walkEras(f, eraTrie, root, &d, 0)
	sort.SliceStable(d.Keys, func(i, j int) bool {
		a, b := d.Keys[i].At, d.Keys[j].At
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return d
}

const maxEraDepth = 32

func walkEras(f *source.File, n *trieNode, m *yaml.Node, d *DocEras, depth int) {
	m = tree.Resolve(m)
	if depth > maxEraDepth || len(d.Keys) >= maxEraKeys || m == nil || m.Kind != yaml.MappingNode {
		return
	}
	var buf [64]byte
	for i := 0; i+1 < len(m.Content); i += 2 {
		key := m.Content[i]
		if key.Kind != yaml.ScalarNode {
			continue
		}
		// a lower-case copy on the stack: the map lookup does not allocate
		lower := buf[:0]
		for j := 0; j < len(key.Value); j++ {
			c := key.Value[j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			lower = append(lower, c)
		}
		for _, c := range [2]*trieNode{n.keys[string(lower)], n.any} {
			if c == nil {
				continue
			}
			for _, e := range c.eras {
				if len(d.Keys) < maxEraKeys {
					d.Keys = append(d.Keys, EraKey{Era: e, At: tree.PlaceOf(f, key)})
				}
			}
			value := tree.Resolve(m.Content[i+1])
			if !c.items {
				walkEras(f, c, value, d, depth+1)
				continue
			}
			if value == nil || value.Kind != yaml.SequenceNode {
				continue
			}
			for _, it := range value.Content {
				it = tree.Resolve(it)
				for _, e := range c.vals {
					if tree.IsScalar(it) && hasPrefix(it.Value, e.Prefixes) && len(d.Keys) < maxEraKeys {
						d.Keys = append(d.Keys, EraKey{Era: e, At: tree.PlaceOf(f, it)})
					}
				}
				walkEras(f, c, it, d, depth+1)
			}
		}
	}
}

func hasPrefix(s string, prefixes []string) bool {
	s = strings.TrimSpace(s)
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
