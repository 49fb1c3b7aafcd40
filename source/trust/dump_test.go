package trust

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// dump renders what a run read, one line per fact, every value with its
// place: "text"@line:col-line:col, ? in front of an Unknown value, ! after
// one that is written verbatim.
func dump(docs []*Doc) string {
	var b strings.Builder
	for _, d := range docs {
		if d == nil {
			continue
		}
		fmt.Fprintf(&b, "%s (%s)\n", d.Path, d.Format)
		for _, t := range d.Trusts {
			fmt.Fprintf(&b, "  %s [%s] %s\n", t.Name, t.Kind, sp(t.Where))
			if t.Principal.IsSet() {
				fmt.Fprintf(&b, "    principal %s\n", val(t.Principal))
			}
			fmt.Fprintf(&b, "    issuer %s\n", val(t.Issuer))
			if t.Issuer.From != nil {
				fmt.Fprintf(&b, "      from %s\n", val(*t.Issuer.From))
			}
			if t.Audiences != nil || t.AudienceDefault {
				def := ""
				if t.AudienceDefault {
					def = " default"
				}
				fmt.Fprintf(&b, "    aud %s%s %s\n", t.AudienceOp, def, vals(t.Audiences))
			}
			for _, c := range t.Subject {
				fmt.Fprintf(&b, "    sub %s\n", cond(c))
			}
			for _, c := range t.Claims {
				fmt.Fprintf(&b, "    claim %q %s\n", c.Claim, cond(c))
			}
			if t.Unconditional {
				fmt.Fprintf(&b, "    unconditional\n")
			}
			if t.Provider != nil {
				fmt.Fprintf(&b, "    provider %s\n", t.Provider.Name)
			}
			if v := t.Vault; v != nil {
				fmt.Fprintf(&b, "    vault backend=%s role_type=%s default=%v user_claim=%s\n", val(v.Backend), val(v.RoleType), v.RoleTypeDefault, val(v.UserClaim))
				if v.Auth != nil {
					fmt.Fprintf(&b, "      auth %s\n", v.Auth.Name)
				}
			}
			if g := t.GCP; g != nil {
				fmt.Fprintf(&b, "    gcp pool=%s provider=%s\n", val(g.PoolID), val(g.ProviderID))
				for _, m := range g.Mapping {
					fmt.Fprintf(&b, "      map %s = %s claim=%q\n", val(m.Attribute), val(m.Expr), m.Claim)
				}
			}
		}
		for _, p := range d.Providers {
			fmt.Fprintf(&b, "  %s [provider] %s\n    url %s\n    issuer %s\n    client_ids %s\n    thumbprints %s\n", p.Name, sp(p.Where), val(p.URL), val(p.Issuer), vals(p.ClientIDs), vals(p.Thumbprints))
		}
		for _, v := range d.VaultBackends {
			fmt.Fprintf(&b, "  %s [vault backend] %s\n    path %s discovery %s bound_issuer %s\n", v.Name, sp(v.Where), val(v.Path), val(v.OIDCDiscoveryURL), val(v.BoundIssuer))
		}
		for _, h := range d.Helm {
			fmt.Fprintf(&b, "  %s values[%d] chart=%s %s\n", h.Release, h.Index, val(h.Chart), sp(h.Value.Span))
			if h.File.IsSet() {
				fmt.Fprintf(&b, "    file %s\n", val(h.File))
			} else {
				fmt.Fprintf(&b, "    text %d bytes, mapped=%v\n", len(h.Text), h.Offsets != nil)
			}
		}
		for _, n := range d.Notes {
			fmt.Fprintf(&b, "  note %d:%d %s\n", n.Pos.Line, n.Pos.Col, n.Message)
		}
	}
	return b.String()
}

func sp(s Span) string {
	if !s.IsValid() {
		return "-"
	}
	return fmt.Sprintf("%d:%d-%d:%d", s.Pos.Line, s.Pos.Col, s.End.Line, s.End.Col)
}

func val(v Value) string {
	if !v.IsSet() {
		return "-"
	}
	q := ""
	if !v.Known {
		q = "?"
	}
	vb := ""
	if v.Verbatim {
		vb = "!"
	}
	s := fmt.Sprintf("%s%q%s@%s", q, v.Text, vb, sp(v.Span))
	if v.Ref != "" {
		s += " ref=" + v.Ref
	}
	return s
}

func vals(vs []Value) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = val(v)
	}
	return "[" + strings.Join(out, ", ") + "]"
}

func cond(c Condition) string {
	s := fmt.Sprintf("%s %s", val(c.Key), c.Operator)
	if c.Op.IsSet() {
		s += "(" + c.Op.Text + ")"
	}
	if c.IfExists {
		s += " if-exists"
	}
	return s + " " + vals(c.Values)
}

// readDir reads every file of a testdata directory as the engine would.
func readDir(t testing.TB, dir string) []*Doc {
	t.Helper()
	var docs []*Doc
	var paths []string
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			paths = append(paths, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(paths)
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f := source.NewFile(filepath.ToSlash(p), data)
		d, ferr := Read(f)
		if ferr != nil {
			t.Fatalf("%s: %v", p, ferr)
		}
		if d != nil {
			checkPlaces(t, f, d)
			docs = append(docs, d)
		}
	}
	Link(docs)
	return docs
}
