package trust

import (
	"sort"
	"strings"
)

// Link resolves the references between the documents of a run, as
// Terraform does within a module (the .tf files of one directory):
//   - an aws_iam_role whose assume_role_policy is
//     data.aws_iam_policy_document.X.json gets X's statements, named after
//     the role (the data source's own trusts are then dropped; one that no
//     role uses keeps its data.… name). A role whose document is not found
//     is dropped with a note;
//   - an AWS trust whose Federated principal is
//     aws_iam_openid_connect_provider.X.arn takes X's url as its issuer;
//     any AWS trust with a known issuer gets the provider of that issuer
//     (in any document) as Provider;
//   - a vault_jwt_auth_backend_role gets its backend (by reference, or by
//     path), the backend's oidc_discovery_url (else bound_issuer) as issuer,
//     and bound_issuer as a condition on iss.
//
// Link may add notes to the documents; call it once, after every file is
// read, before the rules.
func Link(docs []*Doc) {
	mods := map[string][]*Doc{}
	var names []string
	for _, d := range docs {
		if d == nil {
			continue
		}
		if _, ok := mods[d.Module]; !ok {
			names = append(names, d.Module)
		}
		mods[d.Module] = append(mods[d.Module], d)
	}
	sort.Strings(names)
	for _, m := range names {
		linkModule(mods[m])
	}
	// providers by issuer, across modules
	var provs []*Provider
	for _, d := range docs {
		if d != nil {
			provs = append(provs, d.Providers...)
		}
	}
	for _, d := range docs {
		if d == nil {
			continue
		}
		for _, t := range d.Trusts {
			if t.Kind != AWSRole || t.Provider != nil || !t.Issuer.Known {
				continue
			}
			for _, p := range provs {
				if p.Issuer.Known && p.Issuer.Text == t.Issuer.Text {
					t.Provider = p
					break
				}
			}
		}
	}
}

func linkModule(docs []*Doc) {
	tf := false
	for _, d := range docs {
		tf = tf || d.Format == Terraform
	}
	if !tf {
		return
	}
	providers := map[string]*Provider{}
	backends := map[string]*VaultBackend{}
	dataTrusts := map[string][]*Trust{}
	for _, d := range docs {
		if d.Format != Terraform {
			continue
		}
		for _, p := range d.Providers {
			providers[p.Name] = p
		}
		for _, b := range d.VaultBackends {
			backends[b.Name] = b
		}
		for _, t := range d.Trusts {
			if strings.HasPrefix(t.Name, "data.") {
				base, _, _ := strings.Cut(t.Name, " ")
				dataTrusts[base] = append(dataTrusts[base], t)
			}
		}
	}
	used := map[string]bool{}
	for _, d := range docs {
		if d.Format != Terraform {
			continue
		}
		var out []*Trust
		for _, t := range d.Trusts {
			if t.policyRef == "" {
				out = append(out, t)
				continue
			}
			src, ok := dataTrusts[t.policyRef]
			if !ok {
				d.note(t.Principal.Span, t.Name+": its trust policy "+t.policyRef+" is not in the files read")
				continue
			}
			used[t.policyRef] = true
			for _, s := range src {
				c := *s
				_, stmt, _ := strings.Cut(s.Name, " ")
				c.Name = strings.TrimSpace(t.Name + " " + stmt)
				out = append(out, &c)
			}
		}
		d.Trusts = out
	}
	for _, d := range docs {
		if d.Format != Terraform {
			continue
		}
		out := d.Trusts[:0]
		for _, t := range d.Trusts {
			base, _, _ := strings.Cut(t.Name, " ")
			if strings.HasPrefix(base, "data.") && used[base] {
				continue
			}
			out = append(out, t)
		}
		d.Trusts = out
		for _, t := range d.Trusts {
			switch t.Kind {
			case AWSRole:
				ref := strings.TrimSuffix(t.Principal.Ref, ".arn")
				if p, ok := providers[ref]; ok && t.Provider == nil {
					t.linkProvider(p)
				}
			case VaultJWTRole:
				linkVault(t, backends)
			}
		}
	}
}

// linkVault ties a Vault role to its backend.
func linkVault(t *Trust, backends map[string]*VaultBackend) {
	v := t.Vault
	if v == nil || v.Auth != nil {
		return
	}
	var b *VaultBackend
	if ref := strings.TrimSuffix(v.Backend.Ref, ".path"); ref != "" {
		b = backends[ref]
	} else {
		path := "jwt"
		if v.Backend.IsSet() {
			if !v.Backend.Known {
				return
			}
			path = strings.Trim(v.Backend.Text, "/")
		}
		names := make([]string, 0, len(backends))
		for n := range backends {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			c := backends[n]
			p := "jwt"
			if c.Path.IsSet() {
				if !c.Path.Known {
					continue
				}
				p = strings.Trim(c.Path.Text, "/")
			}
			if p == path {
				b = c
				break
			}
		}
	}
	if b == nil {
		return
	}
	v.Auth = b
	from := v.Backend
	switch {
	case b.OIDCDiscoveryURL.IsSet():
		t.Issuer = b.OIDCDiscoveryURL
	case b.BoundIssuer.IsSet():
		t.Issuer = b.BoundIssuer
	}
	if t.Issuer.IsSet() && from.IsSet() {
		t.Issuer.From = &from
	}
	if b.BoundIssuer.IsSet() && !(b.BoundIssuer.Known && b.BoundIssuer.Text == "") {
		t.Claims = append(t.Claims, Condition{Claim: "iss", Key: Value{Text: "bound_issuer", Known: true, Span: b.BoundIssuer.Span}, Operator: OpEquals,
			Values: []Value{b.BoundIssuer}, Where: b.BoundIssuer.Span})
	}
}
