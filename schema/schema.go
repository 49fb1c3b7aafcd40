package schema

import (
	"fmt"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/schema/internal/shape"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// Rule IDs of the findings this package produces.
const (
	RuleRealm     = "jcasc-schema"
	RuleDiscovery = "discovery-invalid"
	// RuleSettings marks the findings of CheckSettings: the settings file's
	// errors, which are not reported as findings.
	RuleSettings = "settings"
)

// Checker validates documents against the embedded schemas. It is immutable
// after New and safe for concurrent use.
type Checker struct {
	s *compiled
}

// New builds the compiled schemas (shapes_gen.go).
func New() (*Checker, error) {
	s, err := compileSchemas()
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	return &Checker{s: s}, nil
}

var (
	defaultOnce    sync.Once
	defaultChecker *Checker
	defaultErr     error
)

// Default returns the process-wide checker, built on first use. It panics
// if the generated shapes are incomplete, which the package's tests rule
// out.
func Default() *Checker {
	defaultOnce.Do(func() {
		defaultChecker, defaultErr = New()
	})
	if defaultErr != nil {
		panic(defaultErr)
	}
	return defaultChecker
}

// CheckRealm validates the value of `oic:` (oic is the node under
// jenkins.securityRealm.oic, key is the `oic` key node). Findings have rule
// jcasc-schema and severity error, and point at the offending value; at the
// key for an unknown key or a key of another oic-auth era; at the parent's
// key for a missing field. They are sorted by position.
func (c *Checker) CheckRealm(f *source.File, key, oic *yaml.Node) []report.Finding {
	w := &walker{c: c, f: f, rule: RuleRealm, w: yamlWords, keys: c.s.realmKeys}
	if oic == nil {
		return nil
	}
	w.value(c.s.realm, at{key: key, node: oic}, false, 0)
	root := key
	if root == nil {
		root = oic
	}
	return w.finish(root)
}

// CheckCredential validates one item of a JCasC credentials list (item is
// the single-key mapping naming the kind). Findings have rule jcasc-schema.
// Kinds of plugins the schema does not know are not checked.
func (c *Checker) CheckCredential(f *source.File, item *yaml.Node) []report.Finding {
	item = tree.Resolve(item)
	if item == nil || item.Kind != yaml.MappingNode {
		return nil
	}
	words := yamlWords
	words.root = "the credential"
	w := &walker{c: c, f: f, rule: RuleRealm, w: words}
	w.value(c.s.cred, at{node: item}, false, 0)
	return w.finish(item)
}

// CheckAuthorization validates the value of an authorization strategy
// (strategy is its key: roleBased, globalMatrix or projectMatrix; others are
// not checked). Findings have rule jcasc-schema.
func (c *Checker) CheckAuthorization(f *source.File, strategy, value *yaml.Node) []report.Finding {
	var s *shape.Shape
	switch {
	case strategy == nil:
		return nil
	case strategy.Value == "roleBased":
		s = c.s.roleBased
	case strategy.Value == "globalMatrix" || strategy.Value == "projectMatrix":
		s = c.s.matrix
	default:
		return nil
	}
	words := yamlWords
	words.root = "the " + strategy.Value + " authorization strategy"
	w := &walker{c: c, f: f, rule: RuleRealm, w: words}
	w.value(s, at{key: strategy, node: value}, false, 0)
	return w.finish(strategy)
}

// CheckDiscovery validates OpenID Provider metadata (root is the JSON
// object). Findings have rule discovery-invalid and severity error.
func (c *Checker) CheckDiscovery(f *source.File, root *yaml.Node) []report.Finding {
	w := &walker{c: c, f: f, rule: RuleDiscovery, w: jsonWords}
	root = tree.Resolve(root)
	if root == nil {
		return nil
	}
	if root.Kind != yaml.MappingNode {
		w.add(root, fmt.Sprintf("provider metadata must be a JSON object, not %s", w.actual(root, false)))
		return w.out
	}
	w.value(c.s.disc, at{node: root}, false, 0)
	return w.finish(root)
}

// CheckSettings validates a settings file, .jenkins-oidc-lint.yaml (root is
// its document), against #Settings. Findings have rule settings and
// severity error; they point at the offending value, or at the key of an
// unknown key, and are sorted by position. No CUE runs: the definition is
// compiled at build time like the others.
func (c *Checker) CheckSettings(f *source.File, root *yaml.Node) []report.Finding {
	root = tree.Resolve(root)
	if root == nil || tree.IsNull(root) {
		return nil
	}
	w := &walker{c: c, f: f, rule: RuleSettings, w: settingsWords}
	w.value(c.s.settings, at{node: root}, false, 0)
	return w.finish(root)
}
