package lint

import (
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/embed"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/trust"
)

// trustEmpty reports whether a trust document holds nothing the rules read.
func trustEmpty(d *trust.Doc) bool {
	return len(d.Trusts)+len(d.Providers)+len(d.VaultBackends)+len(d.Helm)+len(d.JCasC) == 0
}

// parseTerraform reads a .tf file: its trust policies, OIDC providers and
// Vault JWT backends, the JCasC inside the Helm values of its helm_release
// resources and the JCasC written as strings in its locals and variable
// defaults (all checked like any other, at the .tf file's lines and
// columns). A file that holds none of these is not parsed.
func parseTerraform(f *source.File, opts Options, enabled func(string) bool) parsed {
	d, ferr := trust.Read(f)
	if ferr != nil {
		return parsed{err: ferr}
	}
	if d == nil {
		return parsed{}
	}
	if trustEmpty(d) {
		// what it left unread (values = [yamlencode(…)]) is still said
		return parsed{notes: d.Notes}
	}
	f.Kind = source.Terraform
	res := parsed{file: f, trust: d}
	for i := range d.Helm {
		src := d.Helm[i].Source(f, i)
		if src == nil {
			continue
		}
		roots, perr := tree.ParseYAML(src)
		if perr != nil {
			if templated(src.Data) {
				res.notes = append(res.notes, report.FileError{Pos: f.PosAt(src.Embed.Start),
					Message: "skipped " + src.Embed.Where + ": it holds template expressions, so it is YAML only once rendered"})
				continue
			}
			perr.Pos = src.Embed.OuterPos(src, perr.Pos)
			res.errs = append(res.errs, *perr)
			continue
		}
		inner := readContainer(src, roots, false, opts, enabled)
		for _, e := range inner.embeds {
			trust.Flatten(e)
		}
		for _, jd := range inner.jcasc {
			jd.Controller = f.Path
		}
		for _, l := range inner.lists {
			l.Path = f.Path // the chart's pins belong to the .tf file's controller
		}
		res.jcasc = append(res.jcasc, inner.jcasc...)
		res.lists = append(res.lists, inner.lists...)
		// src maps the positions of the values document (plugin pins,
		// notes, errors) to the .tf file; the JCasC inside it was flattened
		res.embeds = append(append(res.embeds, src), inner.embeds...)
		res.findings = append(res.findings, inner.findings...)
		res.secrets = append(res.secrets, mapSpans(src, inner.secrets)...)
		res.errs = append(res.errs, inner.errs...)
		res.notes = append(res.notes, inner.notes...)
	}
	for i, j := range d.JCasC {
		res.readEmbedded(f, embed.Doc{File: j.Source(f, len(d.Helm)+i)}, opts, enabled)
	}
	return res
}

// mapSpans maps secret spans of an embedded file to its container.
func mapSpans(f *source.File, spans []span) []span {
	if f.Embed == nil {
		return spans
	}
	var out []span
	for _, s := range spans {
		for _, o := range f.Embed.OuterSpans(s.start, s.end) {
			out = append(out, span{o[0], o[1]})
		}
	}
	return out
}
