// Package settings reads the settings file, .jenkins-oidc-lint.yaml: rule
// severities, switches and thresholds, excludes, metadata files, extra
// placeholders, policies and their budget, fail-on, and declared secrets.
// It validates the file through the schema package (#Settings, whose
// findings carry the YAML positions) and knows nothing of the engine: the
// engine folds a Config into its options.
package settings

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/policy"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/rules"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/schema"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/secrets"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// FileName is the settings file searched for upward from the working
// directory.
const FileName = ".jenkins-oidc-lint.yaml"

// Config is the parsed configuration file.
type Config struct {
	Path         string // the file it was read from ("" when none)
	Dir          string // its directory: relative paths in it are relative to this
	Severity     map[string]report.Severity
	Off          map[string]bool
	Thresholds   map[string]int
	Exclude      []string
	Metadata     map[string]string // issuer → metadata file (resolved against Dir, inside its tree)
	Placeholders []string
	Policies     []string // policy directories or files (resolved against Dir, inside its tree)
	// PolicyBudget is the budget the settings ask for (zero fields: none);
	// see LimitBudget.
	PolicyBudget policy.Budget
	FailOn       string
	// Secrets are the secrets: entries (declared expiry, rotation and
	// maximum age per credential ID), for secret-expiring,
	// secret-not-rotated and the inventory.
	Secrets []expiry.Declared
	// others are the rule IDs that are neither built in nor a near miss of
	// one: the policies' rules, unless CheckRuleIDs finds otherwise.
	others []otherRule
}

// otherRule is a rule ID of the settings that no built-in rule has.
type otherRule struct {
	id  string
	pos report.Position
}

// Find looks for FileName in dir and its parents. The path it
// returns is relative when dir is (Find(".") may return
// "../.jenkins-oidc-lint.yaml"), so that the paths the settings name, and so
// every message about them, are relative too: no output shows an absolute
// path the user did not give.
func Find(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for up := ""; ; up = filepath.Join(up, "..") {
		p := filepath.Join(abs, FileName)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			if filepath.IsAbs(dir) {
				return p
			}
			return filepath.Join(dir, up, FileName)
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return ""
		}
		abs = parent
	}
}

// Load reads and validates a settings file. Errors name the
// file, line and column of the offending value.
func Load(path string) (*Config, []report.FileError) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, []report.FileError{{Pos: report.Position{Path: path}, Message: "cannot read the configuration: " + source.DescribeOSError(err)}}
	}
	return Parse(path, data)
}

// Parse parses settings text.
func Parse(path string, data []byte) (*Config, []report.FileError) {
	f := source.NewFile(path, data)
	if ferr := source.CheckText(f); ferr != nil {
		return nil, []report.FileError{*ferr}
	}
	docs, ferr := tree.ParseYAML(f)
	if ferr != nil {
		return nil, []report.FileError{*ferr}
	}
	c := &Config{Path: path, Dir: filepath.Dir(path), Severity: map[string]report.Severity{}, Off: map[string]bool{},
		Thresholds: map[string]int{}, Metadata: map[string]string{}}
	if len(docs) == 0 || tree.IsNull(docs[0]) {
		return c, nil
	}
	root := docs[0]
	if errs := validateConfig(f, root); len(errs) > 0 {
		return nil, errs
	}
	var errs []report.FileError
	_, ruleSettings := tree.Get(root, "rules")
	for _, p := range tree.Pairs(ruleSettings) {
		id := p.Key.Value
		sev := p.Value
		if p.Value.Kind == yaml.MappingNode {
			_, sev = tree.Get(p.Value, "severity")
			if _, th := tree.Get(p.Value, "threshold"); th != nil {
				var n int
				if _, err := fmt.Sscan(th.Value, &n); err == nil {
					c.Thresholds[id] = n
				}
			}
		}
		if !rules.Known(id) {
			if hint := rules.DidYouMean(id); hint != "" { // a typo of a built-in rule
				errs = append(errs, report.FileError{Pos: tree.Pos(f, p.Key), Message: fmt.Sprintf("rules: unknown rule %q%s", id, hint)})
				continue
			}
			c.others = append(c.others, otherRule{id, tree.Pos(f, p.Key)}) // a policy's, if one defines it
		}
		if sev != nil {
			if sev.Value == "off" {
				c.Off[id] = true
			} else if s, err := report.ParseSeverity(sev.Value); err == nil {
				c.Severity[id] = s
			}
		}
	}
	for _, it := range tree.Items(tree.Lookup(root, "exclude")) {
		c.Exclude = append(c.Exclude, it.Value)
	}
	for _, p := range tree.Pairs(tree.Lookup(root, "metadata")) {
		if full, ferr := c.inside(f, "metadata", p.Value, "--metadata"); ferr != nil {
			errs = append(errs, *ferr)
		} else {
			c.Metadata[p.Key.Value] = full
		}
	}
	for _, it := range tree.Items(tree.Lookup(root, "placeholders")) {
		c.Placeholders = append(c.Placeholders, it.Value)
	}
	for _, it := range tree.Items(tree.Lookup(root, "policies")) {
		if full, ferr := c.inside(f, "policies", it, "--policy"); ferr != nil {
			errs = append(errs, *ferr)
		} else {
			c.Policies = append(c.Policies, full)
		}
	}
	if _, n := tree.Get(root, "secrets"); n != nil {
		decl, ferrs := expiry.ParseSettings(f, n)
		c.Secrets = decl
		errs = append(errs, ferrs...)
	}
	if fo := tree.Lookup(root, "fail-on"); fo != nil {
		c.FailOn = fo.Value
	}
	if n := tree.Lookup(root, "policy-timeout"); n != nil {
		if d, err := time.ParseDuration(n.Value); err != nil || d <= 0 {
			errs = append(errs, report.FileError{Pos: tree.Pos(f, n), Message: fmt.Sprintf("policy-timeout: %q is not a duration such as 500ms or 2s", quietValues(n.Value))})
		} else {
			c.PolicyBudget.Time = d
		}
	}
	if n := tree.Lookup(root, "policy-memory"); n != nil {
		if m, err := ParseSize(n.Value); err != nil {
			errs = append(errs, report.FileError{Pos: tree.Pos(f, n), Message: fmt.Sprintf("policy-memory: %q is not a size such as 256MiB or 1GiB", quietValues(n.Value))})
		} else {
			c.PolicyBudget.Memory = m
		}
	}
	return c, errs
}

// inside resolves a path the settings name (the scalar n under key) against
// their directory, and refuses any that leads out of that directory's tree:
// an absolute path, a path that climbs out with "..", or one that leaves
// through a symbolic link (the path and the directory are both resolved with
// filepath.EvalSymlinks). The settings file is part of the repository, which
// may be anyone's pull request: were it to name ../../cloud-creds.json or
// /etc/shadow, the file would be read and parts of it quoted in findings and
// source lines. Only the command line (flag, the flag that names such a file)
// may name files elsewhere.
//
// What is guaranteed: the path as it is when the settings are read. A path
// that does not exist yet is checked as written (it holds no "..", so only a
// symbolic link made later, by another process, between this check and the
// read, could lead out); its deepest existing directory is resolved and must
// lie inside too (outdir/missing.json, outdir a link out, is refused, and
// says nothing of what exists out there). A path at which something exists
// that does not resolve (a dangling symbolic link, or a link to what is no
// path, as /proc/self/fd/0 to "pipe:[…]"), or one under a directory link
// that does not resolve, is refused: reading it would follow the link where
// the check could not. The error shows the path as written in the settings,
// never where a link leads.
func (c *Config) inside(f *source.File, key string, n *yaml.Node, flag string) (string, *report.FileError) {
	fail := func(why string) (string, *report.FileError) {
		return "", &report.FileError{Pos: tree.Pos(f, n), Message: fmt.Sprintf(
			"%s: %q %s: paths in the settings may name only files in the settings file's directory and below (name others with %s on the command line)",
			key, quietValues(n.Value), why, flag)}
	}
	v := filepath.FromSlash(n.Value)
	if v == "" || filepath.IsAbs(v) || filepath.VolumeName(v) != "" || strings.HasPrefix(n.Value, "/") || strings.HasPrefix(n.Value, `\`) {
		return fail("is not a relative path")
	}
	clean := filepath.Clean(v)
	if clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return fail("is outside the settings file's directory")
	}
	full := filepath.Join(c.Dir, clean)
	absDir, err1 := filepath.Abs(c.Dir)
	absFull, err2 := filepath.Abs(full)
	if err1 != nil || err2 != nil {
		return fail("cannot be resolved")
	}
	realDir, err := filepath.EvalSymlinks(absDir)
	if err != nil {
		return fail("cannot be resolved")
	}
	outside := func(real string) bool {
		rel, err := filepath.Rel(realDir, real)
		return err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel)
	}
	realFull, err := filepath.EvalSymlinks(absFull)
	if err == nil {
		if outside(realFull) {
			return fail("leads outside the settings file's directory through a symbolic link")
		}
		return full, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return fail("cannot be resolved")
	}
	if _, lerr := os.Lstat(absFull); lerr == nil {
		// something is there that does not resolve: a dangling link, or
		// one to what is no path (/proc/self/fd/0 leads to "pipe:[…]"),
		// which reading would follow
		return fail("cannot be resolved: it is a symbolic link that leads to no file, or outside the settings file's directory")
	}
	// Nothing there yet: its deepest existing directory must resolve, and
	// lie inside (a link on the way would lead the read out once the file
	// existed).
	p := absFull
	for {
		parent := filepath.Dir(p)
		if parent == p {
			return fail("cannot be resolved")
		}
		p = parent
		if _, lerr := os.Lstat(p); lerr == nil {
			break
		}
	}
	realParent, err := filepath.EvalSymlinks(p)
	if err != nil {
		return fail("cannot be resolved: it is a symbolic link that leads to no file, or outside the settings file's directory")
	}
	if outside(realParent) {
		return fail("leads outside the settings file's directory through a symbolic link")
	}
	return full, nil // reading it will say so; nothing to leak
}

// validateConfig checks the settings against #Settings (schema/settings.cue),
// compiled at build time like the built-in schemas: no CUE runs.
func validateConfig(f *source.File, root *yaml.Node) []report.FileError {
	var out []report.FileError
	for _, fi := range schema.Default().CheckSettings(f, root) {
		out = append(out, report.FileError{Pos: fi.Pos, Message: "invalid configuration: " + quietValues(fi.Message)})
	}
	return out
}

// longQuotedRE matches a quoted value of more than 12 characters in a CUE
// message.
var longQuotedRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(^|[\s(\[{:,=])"(?:[^"\\]|\\.){13,}"`) })

// quietValues keeps a configuration error from repeating long values (a
// wrong file given as --config, a .env full of tokens, is one long string)
// or anything the secret detector recognises.
func quietValues(msg string) string {
	msg = longQuotedRE().ReplaceAllString(msg, `$1"…"`)
	data := []byte(msg)
	ms := secrets.Scan(data)
	for i := len(ms) - 1; i >= 0; i-- {
		m := ms[i]
		msg = msg[:m.Start] + secrets.Redact(msg[m.Start:m.End]) + msg[m.End:]
	}
	return msg
}

// LimitBudget is the policies' budget: b (the command line's, or
// policy.DefaultBudget), lowered where the settings ask for less. Settings
// can lower the budget, never raise it: they come with the repository, and
// a pull request may not buy its policies more time than the command line
// gives.
func (c *Config) LimitBudget(b policy.Budget) policy.Budget {
	if c == nil {
		return b
	}
	if t := c.PolicyBudget.Time; t > 0 && (b.Time <= 0 || t < b.Time) {
		b.Time = t
	}
	if m := c.PolicyBudget.Memory; m > 0 && (b.Memory <= 0 || m < b.Memory) {
		b.Memory = m
	}
	return b
}

// ParseSize reads a size in bytes: 1048576, 512KB, 10MiB, 1GB (KB, MB, GB
// are powers of 1000; KiB, MiB, GiB and K, M, G of 1024).
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(strings.ToUpper(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("invalid size %q", s)
	}
	return n * mult, nil
}

// CheckRuleIDs reports the rule IDs of the settings' rules: section that
// neither a built-in rule nor one of the loaded policies (nil: none) defines.
// The settings are read before the policies they name are loaded, so this
// second look comes once they are.
func (c *Config) CheckRuleIDs(policies *policy.Set) []report.FileError {
	if c == nil {
		return nil
	}
	known := func(id string) bool {
		if rules.Known(id) {
			return true
		}
		if policies != nil {
			for _, m := range policies.Rules() {
				if m.ID == id {
					return true
				}
			}
		}
		return false
	}
	var errs []report.FileError
	for _, o := range c.others {
		if !known(o.id) {
			msg := fmt.Sprintf("rules: unknown rule %q: neither a built-in rule nor one of the loaded policies' (see `jenkins-oidc-lint rules`)", o.id)
			if policies == nil {
				msg = fmt.Sprintf("rules: unknown rule %q: not a built-in rule, and no policies are loaded (see `jenkins-oidc-lint rules`)", o.id)
			}
			errs = append(errs, report.FileError{Pos: o.pos, Message: msg})
		}
	}
	return errs
}

// Excluded reports whether a slash-separated path matches an exclude
// pattern: a glob where * matches within a path element and ** matches any
// number of elements; a pattern without a slash matches a base name.
func (c *Config) Excluded(p string) bool {
	if c == nil {
		return false
	}
	p = strings.TrimPrefix(filepath.ToSlash(p), "./")
	for _, pat := range c.Exclude {
		if globMatch(pat, p) {
			return true
		}
	}
	return false
}

func globMatch(pattern, p string) bool {
	pattern = strings.TrimPrefix(pattern, "./")
	if !strings.Contains(pattern, "/") {
		for _, elem := range strings.Split(p, "/") {
			if ok, _ := filepath.Match(pattern, elem); ok {
				return true
			}
		}
		return false
	}
	return matchElems(strings.Split(pattern, "/"), strings.Split(p, "/"))
}

func matchElems(pat, elems []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(elems); i++ {
				if matchElems(pat[1:], elems[i:]) {
					return true
				}
			}
			return false
		}
		if len(elems) == 0 {
			return false
		}
		if ok, _ := filepath.Match(pat[0], elems[0]); !ok {
			return false
		}
		pat, elems = pat[1:], elems[1:]
	}
	return len(elems) == 0
}
