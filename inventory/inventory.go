// Package inventory answers what an auditor asks of a Jenkins controller's
// secrets: which it depends on (the oic realm's client secret and
// escape-hatch secret, every JCasC credential, the oidc-provider plugin's id
// tokens), where each is defined, where its value comes from (a literal, an
// environment variable, a secret file, Vault, AWS, a Jenkins-encrypted blob,
// a short-lived id token), whether it can be rotated without a commit, when
// it expires, when its line last changed in git, and which pipelines bind it.
//
// Reading (ReadDoc) is shared with the rules secret-expiring,
// secret-not-rotated and static-secret-source; Collect builds the inventory
// of a loaded workspace; Write renders it as a text table, JSON, CSV or
// Markdown. No value of a secret ever enters an inventory: rows hold places,
// sources, the names of references and the public facts of certificates.
package inventory

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/plugins"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/workspace"
)

// SchemaVersion is the version of the JSON document (see json.go).
const SchemaVersion = "1"

// Inventory is the secrets of the controllers of one run.
type Inventory struct {
	Now    time.Time
	Window time.Duration
	// Controllers are the controllers with secrets, sorted by name.
	Controllers []*Controller
	// Rows are every secret, by controller, then file and line.
	Rows []*Row
}

// Controller is one Jenkins controller (see jcasc.Doc.Controller) and the
// managed secret stores it is seen to use.
type Controller struct {
	Name   string
	Stores []Store
}

// Store is a managed secret store a controller uses, and what shows it.
type Store struct {
	Source   Source
	Evidence string // "credential registry-push (${readFile:/run/secrets/registry})", "plugins.txt pins hashicorp-vault-plugin"
	// Ref is a reference the store is used through (a secret file's path),
	// for advice that follows the controller's own convention.
	Ref string
	// File and At are the credential that shows it (nil File for a plugin).
	File *source.File
	At   tree.Place
}

// Row is one secret of the inventory.
type Row struct {
	Controller  string
	ID          string
	Kind        string
	Scope       string
	Domain      string
	Description string
	// Path, Line and Column are where it is defined, as people see it (the
	// container's place for JCasC embedded in Helm values).
	Path         string
	Line, Column int
	// Field is the path of its main secret field ("" without one).
	Field     string
	Source    Source
	Reference string
	Rotatable bool
	// Expires is its earliest known expiry (nil: none known).
	Expires *Expiry
	// Lifetime is an id token's lifetime.
	Lifetime time.Duration
	// Rotated is its last rotation (nil: not known).
	Rotated *Rotation
	// MaxAge is its declared maximum age (or --max-secret-age).
	MaxAge time.Duration
	// Changed is the last commit that changed its value's line (nil
	// without git).
	Changed *expiry.Change
	// Pipelines bind it (by credential ID).
	Pipelines []Use
	// Notes say what could not be known (a password-protected keystore).
	Notes []string

	secret *Secret
}

// Expiry is when a secret expires and how that is known.
type Expiry struct {
	Date time.Time
	// From is "declared" (settings file), "annotation", "certificate" or
	// "jwt".
	From string
	// What names it: `certificate "CN=…"` or the settings entry's place.
	What string
}

// Rotation is when a secret was last rotated and how that is known.
type Rotation struct {
	Date time.Time
	From string // "declared", "annotation" or "git"
}

// Use is a pipeline's use of a credential ID.
type Use struct {
	ID   string
	Path string
	Line int
	Col  int
}

// Options are what Collect needs besides the workspace.
type Options struct {
	Settings     expiry.Settings
	Placeholders []string
	// Uses are the pipelines' credential uses (rules.PipelineFacts).
	Uses []Use
}

// Collect builds the inventory of ws: it reads again the JCasC documents of
// the workspace (the workspace keeps no secret field). Documents that no
// longer parse are errors.
func Collect(ws *workspace.Workspace, opts Options) (*Inventory, []report.FileError) {
	inv := &Inventory{Now: opts.Settings.Clock().UTC(), Window: opts.Settings.ExpiryWindow()}
	var errs []report.FileError
	byCtl := map[string][]*Secret{}
	pinsOf := map[string]*plugins.Set{}
	done := map[*source.File]bool{}
	for _, d := range ws.JCasC {
		if done[d.File] || d.File == nil || len(d.File.Data) == 0 {
			continue
		}
		done[d.File] = true
		pinsOf[d.Controller] = ws.PluginsFor(d)
		roots, ferr := tree.ParseYAML(d.File)
		if ferr != nil {
			errs = append(errs, *ferr)
			continue
		}
		for _, root := range roots {
			if root.Kind != yaml.MappingNode || !jcasc.Looks(root) {
				continue
			}
			byCtl[d.Controller] = append(byCtl[d.Controller], ReadDoc(d.File, root, opts.Placeholders)...)
		}
	}
	uses := map[string][]Use{}
	for _, u := range opts.Uses {
		uses[u.ID] = append(uses[u.ID], u)
	}
	names := make([]string, 0, len(byCtl))
	for n := range byCtl {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		ss := byCtl[name]
		ctl := &Controller{Name: displayController(name), Stores: Stores(ss, pinsOf[name])}
		inv.Controllers = append(inv.Controllers, ctl)
		for _, s := range ss {
			inv.Rows = append(inv.Rows, row(ctl.Name, s, opts, uses))
		}
	}
	return inv, errs
}

// displayController is a controller's name as people know it.
func displayController(name string) string {
	if i := strings.IndexByte(name, 0); i >= 0 {
		return name[:i]
	}
	return name
}

func row(ctl string, s *Secret, opts Options, uses map[string][]Use) *Row {
	pos := s.File.Shown(s.IDAt.Pos(s.File))
	r := &Row{
		Controller: ctl, ID: s.ID, Kind: s.Kind, Scope: s.Scope, Domain: s.Domain, Description: s.Description,
		Path: s.File.Name(), Line: pos.Line, Column: pos.Col,
		Source: s.Source, Rotatable: s.Source.Rotatable(), Lifetime: s.Lifetime, secret: s,
	}
	if f, ok := s.MainField(); ok {
		r.Field, r.Reference = f.Path, f.Ref
	}
	for _, m := range s.Materials {
		if certificateKeys[m.Field[strings.LastIndex(m.Field, ".")+1:]] && s.Source.Rotatable() {
			r.Notes = append(r.Notes, "its "+m.Describe()+" ("+m.Field+") is written in the file: renewing it needs a commit")
			break
		}
	}
	if s.MaterialErr != "" {
		r.Notes = append(r.Notes, "expiry of "+s.MaterialErr)
	}
	if s.ID != "" && s.IsCredential() {
		r.Pipelines = uses[s.ID]
	}
	st := opts.Settings
	d := Dates(s, st)
	r.Expires, r.Rotated, r.MaxAge = d.Expires, d.Rotated, d.MaxAge
	if st.LineChanged != nil {
		if f, ok := s.MainField(); ok {
			p := s.File.Shown(f.At.Pos(s.File))
			if c, ok := st.LineChanged(p.Path, p.Line); ok {
				r.Changed = &c
				if r.Rotated == nil && s.Source.InFile() && !c.Uncommitted {
					r.Rotated = &Rotation{Date: c.Date, From: "git"}
				}
			}
		}
	}
	return r
}

// MainField is the field that decides the secret's source: the first
// field with the most exposed source.
func (s *Secret) MainField() (Field, bool) {
	for _, f := range s.Fields {
		if f.Source == s.Source {
			return f, true
		}
	}
	if len(s.Fields) > 0 {
		return s.Fields[0], true
	}
	return Field{}, false
}

// Known are the dates the configuration and the settings tell of a secret
// (git is not asked).
type Known struct {
	Expires *Expiry
	// Expiries are every expiry known, earliest first.
	Expiries []Expiry
	Rotated  *Rotation
	MaxAge   time.Duration
	// MaxAgeFrom says where MaxAge comes from: "declared", "annotation" or
	// "--max-secret-age".
	MaxAgeFrom string
}

// Dates gathers what is declared of s (the settings entry of its ID, its
// annotation, --max-secret-age) and the expiry of its material.
func Dates(s *Secret, st expiry.Settings) Known {
	var k Known
	var decl expiry.Declared
	var declared bool
	if s.ID != "" {
		decl, declared = st.Lookup(s.ID)
	}
	if declared && !decl.Expires.IsZero() {
		k.Expiries = append(k.Expiries, Expiry{Date: decl.Expires, From: "declared", What: fmt.Sprintf("declared at %s:%d", decl.Pos.Path, decl.Pos.Line)})
	}
	if a := s.Annotation; a != nil && !a.Expires.IsZero() {
		k.Expiries = append(k.Expiries, Expiry{Date: a.Expires, From: "annotation", What: fmt.Sprintf("annotation on line %d", s.File.Shown(a.Pos).Line)})
	}
	for _, m := range s.Materials {
		from := "certificate"
		if m.Kind == expiry.Token {
			from = "jwt"
		}
		k.Expiries = append(k.Expiries, Expiry{Date: m.NotAfter, From: from, What: m.Describe() + " in " + m.Field})
	}
	sort.SliceStable(k.Expiries, func(i, j int) bool { return k.Expiries[i].Date.Before(k.Expiries[j].Date) })
	if len(k.Expiries) > 0 {
		e := k.Expiries[0]
		k.Expires = &e
	}
	switch {
	case declared && !decl.Rotated.IsZero():
		k.Rotated = &Rotation{Date: decl.Rotated, From: "declared"}
	case s.Annotation != nil && !s.Annotation.Rotated.IsZero():
		k.Rotated = &Rotation{Date: s.Annotation.Rotated, From: "annotation"}
	}
	switch {
	case declared && decl.MaxAge > 0:
		k.MaxAge, k.MaxAgeFrom = decl.MaxAge, "declared"
	case s.Annotation != nil && s.Annotation.MaxAge > 0:
		k.MaxAge, k.MaxAgeFrom = s.Annotation.MaxAge, "annotation"
	case st.MaxAge > 0:
		k.MaxAge, k.MaxAgeFrom = st.MaxAge, "--max-secret-age"
	}
	return k
}

// Status is where the row's expiry stands at the inventory's now:
// "expired", "expiring" (within the window), "valid", or "" when unknown.
func (inv *Inventory) Status(r *Row) (string, int) {
	if r.Expires == nil {
		return "", 0
	}
	st, days := expiry.Judge(r.Expires.Date, inv.Now, inv.Window)
	switch st {
	case expiry.Expired:
		return "expired", days
	case expiry.Expiring:
		return "expiring", days
	}
	return "valid", days
}

// RotationDue reports whether the row's last rotation is older than its
// maximum age.
func (inv *Inventory) RotationDue(r *Row) bool {
	return r.Rotated != nil && r.MaxAge > 0 && inv.Now.Sub(r.Rotated.Date) > r.MaxAge
}

// storePlugins are plugins whose presence shows a managed store in use.
var storePlugins = []struct {
	id  string
	src Source
}{
	{"hashicorp-vault-plugin", Vault},
	{"aws-secrets-manager-credentials-provider", AWSSecretsManager},
	{"aws-secrets-manager-secret-source", AWSSecretsManager},
	{"configuration-as-code-secret-ssm", AWSParameterStore},
	{"kubernetes-credentials-provider", SecretFile},
}

// Stores lists the managed stores a controller's secrets and plugins show,
// one entry per store (the first evidence), in a fixed order.
func Stores(ss []*Secret, pins *plugins.Set) []Store {
	var out []Store
	have := map[Source]bool{}
	for _, s := range ss {
		if !s.IsCredential() || !s.Source.Managed() || have[s.Source] {
			continue
		}
		f, _ := s.MainField()
		ev := fmt.Sprintf("credential %q", s.ID)
		if f.Ref != "" {
			ev += " (" + f.Ref + ")"
		}
		have[s.Source] = true
		out = append(out, Store{Source: s.Source, Evidence: ev, Ref: f.Ref, File: s.File, At: s.IDAt})
	}
	if pins != nil {
		for _, p := range storePlugins {
			if _, ok := pins.Pins[p.id]; ok && !have[p.src] {
				have[p.src] = true
				out = append(out, Store{Source: p.src, Evidence: "the controller installs " + p.id})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Source.rank() > out[j].Source.rank() })
	return out
}
