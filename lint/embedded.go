package lint

import (
	"bytes"
	"io"
	"os"
	"path"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/rules"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/schema"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/embed"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jenkinsfile"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/plugins"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// JCasC embedded in other YAML (Helm values, ConfigMaps, block scalars) is
// read as documents of their own: each is a source.File with a path no file
// has and an Embedding that maps it back to its container. Parsers, schema
// checks, policies and rules run on it unchanged; mapEmbedded then moves
// every position, fix and secret span into the container before anything
// is filtered, suppressed, fingerprinted or printed.

// isJCasCRoot reports whether a YAML root is a JCasC document, and not a
// Helm values file whose umbrella key is named jenkins: or a Kubernetes
// manifest.
func isJCasCRoot(root *yaml.Node) bool {
	if root.Kind != yaml.MappingNode || !jcasc.Looks(root) {
		return false
	}
	if chart, _ := embed.ChartController(root); chart != nil {
		return false
	}
	api, _ := tree.Get(root, "apiVersion")
	kind, _ := tree.Get(root, "kind")
	return api == nil || kind == nil
}

// templated reports whether text holds template expressions of another
// layer ({{ … }} of Helm or Go templates).
func templated(text []byte) bool {
	i := bytes.Index(text, []byte("{{"))
	return i >= 0 && bytes.Contains(text[i:], []byte("}}"))
}

// readContainer reads the JCasC documents embedded in the roots of f, a
// YAML file that is not JCasC itself. The result holds the documents (with
// their schema, policy and per-file findings, in their own coordinates),
// their secret spans mapped to f, their parse errors and notes mapped to f.
//
// A file named on the command line (explicit) that holds an oic realm on
// its own (see embed.Realm) is read as the JCasC document it stands for.
func readContainer(f *source.File, roots []*yaml.Node, explicit bool, opts Options, enabled func(string) bool) parsed {
	found := embed.Find(f, roots)
	if explicit && len(found.Docs) == 0 && len(roots) == 1 {
		if d := embed.Realm(f, roots[0]); d != nil {
			d.File.Path = source.EmbeddedPath(f.Path, 0)
			found.Docs = append(found.Docs, *d)
		}
	}
	res := parsed{notes: found.Notes}
	for _, root := range roots {
		if opts.viewsOnly {
			break
		}
		if ctl, _ := embed.ChartController(root); ctl != nil {
			l, errs := plugins.FromHelmValues(f, ctl)
			if l != nil && (len(l.Pins) > 0 || l.Image != (plugins.Image{})) {
				res.lists = append(res.lists, l)
			}
			res.errs = append(res.errs, errs...)
		}
	}
	for _, d := range found.Docs {
		res.readEmbedded(f, d, opts, enabled)
	}
	if len(res.embeds) > 0 || len(res.errs) > 0 || len(res.notes) > 0 || len(res.lists) > 0 {
		f.Kind = source.Container
		res.file = f
	}
	return res
}

// readEmbedded reads d, a JCasC document embedded in f, into r: its
// documents (with their schema, policy and per-file findings, in their own
// coordinates), its secret spans mapped to f, its parse error or note
// mapped to f.
func (r *parsed) readEmbedded(f *source.File, d embed.Doc, opts Options, enabled func(string) bool) {
	inner := d.File
	e := inner.Embed
	docs, ferr := tree.ParseYAML(inner)
	if ferr != nil {
		switch {
		case templated(inner.Data):
			r.notes = append(r.notes, report.FileError{Pos: f.PosAt(e.Start),
				Message: "skipped " + e.Where + ": it holds template expressions ({{ … }}), so it is YAML only once the chart renders it"})
		case d.Declared || embed.LooksText(inner.Data):
			pos := e.OuterPos(inner, ferr.Pos)
			msg := ferr.Message + " (in " + e.Where + ")"
			if !e.Exact() {
				msg += inexactNote
			}
			r.errs = append(r.errs, report.FileError{Pos: pos, Message: msg})
		}
		return
	}
	var jdocs []*jcasc.Doc
	for _, root := range docs {
		if root.Kind != yaml.MappingNode || !jcasc.Looks(root) {
			continue
		}
		jd := jcasc.Read(inner, root)
		jd.Controller = f.Path
		if !opts.viewsOnly {
			r.findings = append(r.findings, checkJCasC(inner, jd, root, opts)...)
		}
		jdocs = append(jdocs, jd)
	}
	if jdocs == nil {
		return
	}
	if opts.viewsOnly {
		for _, jd := range jdocs {
			jd.Compact()
		}
		r.jcasc = append(r.jcasc, jdocs...)
		r.embeds = append(r.embeds, inner)
		return
	}
	fr := rules.RunFile(rules.FileInput{File: inner, Docs: docs, Config: opts.Config}, enabled)
	r.findings = append(r.findings, fr.Findings...)
	for _, sp := range fr.Secrets {
		for _, o := range e.OuterSpans(sp[0], sp[1]) {
			r.secrets = append(r.secrets, span{o[0], o[1]})
		}
	}
	for _, jd := range jdocs {
		jd.Compact()
	}
	r.jcasc = append(r.jcasc, jdocs...)
	r.embeds = append(r.embeds, inner)
}

// checkJCasC validates one JCasC document against the schemas and the
// policies.
func checkJCasC(f *source.File, d *jcasc.Doc, root *yaml.Node, opts Options) []report.Finding {
	var out []report.Finding
	if d.Realm != nil {
		key, oic := tree.Get(tree.Lookup(root, "jenkins", "securityRealm"), "oic")
		out = append(out, schema.Default().CheckRealm(f, key, oic)...)
	}
	if k, v := jcasc.AuthorizationStrategy(root); k != nil {
		out = append(out, schema.Default().CheckAuthorization(f, k, v)...)
	}
	for _, item := range jcasc.CredentialItems(root) {
		out = append(out, schema.Default().CheckCredential(f, item)...)
	}
	if opts.Policies != nil {
		out = append(out, opts.Policies.Check(f, source.JCasC, root)...)
	}
	return out
}

// inexactNote ends a message about a place inside a value that cannot be
// mapped byte for byte.
const inexactNote = " (the value is escaped or encoded, so this points at its start)"

// embeddings indexes the embedded documents of a run by their paths.
type embeddings map[string]*source.File

// mapFindings moves every finding about an embedded document into its
// container: positions, related places and fixes. A fix survives only when
// the text it replaces is written in the container exactly as in the
// document (one run of bytes, no escapes, no line break). Findings of the
// container's own secret scan that fall inside an embedded value are
// dropped: the document's own scan reported them, with JCasC's knowledge.
func (em embeddings) mapFindings(findings []report.Finding) []report.Finding {
	if len(em) == 0 {
		return findings
	}
	inside := map[string][][2]int{} // container path → embedded value spans
	outer := map[string]*source.File{}
	for _, inner := range em {
		if inner.Kind != source.JCasC {
			continue // a container inside a container (Helm values in a .tf heredoc): its own text was scanned with the outer file
		}
		e := inner.Embed
		inside[e.Outer.Path] = append(inside[e.Outer.Path], [2]int{e.Start, e.End})
		outer[e.Outer.Path] = e.Outer
	}
	kept := findings[:0]
	for _, f := range findings {
		if spans, ok := inside[f.Pos.Path]; ok && f.Pos.IsValid() {
			off := outer[f.Pos.Path].Offset(f.Pos.Line, f.Pos.Col)
			if within(spans, off) {
				continue
			}
		}
		em.mapFinding(&f)
		kept = append(kept, f)
	}
	return kept
}

func within(spans [][2]int, off int) bool {
	for _, s := range spans {
		if off >= s[0] && off < s[1] {
			return true
		}
	}
	return false
}

func (em embeddings) mapFinding(f *report.Finding) {
	if inner := em[f.Pos.Path]; inner != nil {
		e := inner.Embed
		f.Pos, f.End = e.OuterPos(inner, f.Pos), e.OuterEndPos(inner, f.End)
		if !e.Exact() {
			f.Message += inexactNote
		}
	}
	for i := range f.Related {
		if inner := em[f.Related[i].Pos.Path]; inner != nil {
			f.Related[i].Pos = inner.Embed.OuterPos(inner, f.Related[i].Pos)
		}
	}
	if f.Fix != nil {
		if inner := em[f.Fix.Path]; inner != nil {
			e := inner.Embed
			start, end := f.Fix.Offset, f.Fix.Offset+f.Fix.Length
			repl, ok := e.Reindent(inner, start, f.Fix.Replacement)
			if e.Escape != nil {
				repl = e.Escape(repl)
			}
			if !ok || !e.Contiguous(inner, start, end) {
				f.Fix = nil
			} else {
				fx := *f.Fix
				fx.Path, fx.Offset, fx.Replacement = e.Outer.Path, e.OuterOffset(start), repl
				f.Fix = &fx
			}
		}
	}
}

// mapSecret maps a secret span of an embedded document to its container.
func (em embeddings) mapSecret(s rules.Secret) []rules.Secret {
	inner := em[s.Path]
	if inner == nil {
		return []rules.Secret{s}
	}
	var out []rules.Secret
	for _, o := range inner.Embed.OuterSpans(s.Start, s.End) {
		out = append(out, rules.Secret{Path: inner.Embed.Outer.Path, Start: o[0], End: o[1]})
	}
	return out
}

// mapError maps a file error about an embedded document to its container.
func (em embeddings) mapError(e *report.FileError) {
	if inner := em[e.Pos.Path]; inner != nil {
		e.Pos = inner.Embed.OuterPos(inner, e.Pos)
	}
}

// parsePlugins reads a plugin list (plugins.txt, plugins.yaml) or a
// Dockerfile for the plugin versions its controller runs.
func parsePlugins(c source.Candidate, f *source.File) parsed {
	f.Kind = c.Hint
	res := parsed{file: f}
	switch {
	case c.Hint == source.Dockerfile:
		d, errs := plugins.ParseDockerfile(f)
		res.docker, res.errs = d, errs
	case plugins.IsPluginTxtName(c.Path) || !source.MaybeByName(c.Path):
		l, errs := plugins.ParseTxt(f)
		res.lists, res.errs = []*plugins.List{l}, errs
	default:
		roots, ferr := tree.ParseYAML(f)
		if ferr != nil {
			return parsed{file: f, err: ferr}
		}
		for _, root := range roots {
			if plugins.LooksYAML(root) {
				l, errs := plugins.ParseYAML(f, root)
				res.lists = append(res.lists, l)
				res.errs = append(res.errs, errs...)
			}
		}
	}
	return res
}

// controllers lists the controllers of the workspace's JCasC with their
// files (an embedded document's container), for plugins.Assign.
func controllers(docs []docKey) []plugins.Controller {
	var out []plugins.Controller
	at := map[string]int{}
	for _, d := range docs {
		i, ok := at[d.controller]
		if !ok {
			i = len(out)
			at[d.controller] = i
			out = append(out, plugins.Controller{Key: d.controller})
		}
		name := d.name
		if fs := out[i].Files; len(fs) == 0 || fs[len(fs)-1] != name {
			out[i].Files = append(out[i].Files, name)
		}
	}
	return out
}

// sniffPrefix is how much of a named file sniffNamed reads.
const sniffPrefix = 64 << 10

// sniffNamed tells the kind of a file named on the command line whose name
// does not, from its first bytes: a pipeline (Jenkinsfile_deploy, a
// pipeline in a *.groovy file) is read as one, in the loader's pipeline
// phase. Other contents (JSON, YAML) are told apart when the file is parsed.
func sniffNamed(c *source.Candidate) {
	if !c.Explicit || c.Hint != source.Unknown || c.OSPath == "-" || source.MaybeByName(c.Path) ||
		strings.EqualFold(path.Ext(c.Path), ".groovy") { // the walk sniffed those already
		return
	}
	fh, err := os.Open(c.OSPath)
	if err != nil {
		return // reading it again reports the error
	}
	defer fh.Close()
	if st, err := fh.Stat(); err != nil || !st.Mode().IsRegular() {
		return // a pipe is read once, by the loader
	}
	prefix := make([]byte, sniffPrefix)
	n, _ := io.ReadFull(fh, prefix)
	prefix = prefix[:n]
	if t := bytes.TrimSpace(prefix); len(t) > 0 && t[0] != '{' && jenkinsfile.Looks(prefix) {
		c.Hint = source.Jenkinsfile
	}
}

// insideEmbedded reports whether the container's secret span sp lies in the
// value of a JCasC document embedded in it. The document's own run masks
// its secrets byte for byte; to the container's scan the value is one
// string under a key (configScripts.auth, data.credentials.yaml) whose name
// sounds secret, and masking all of it would hide every line of the
// document in every report.
func insideEmbedded(embeds []*source.File, sp [2]int) bool {
	for _, in := range embeds {
		if e := in.Embed; e != nil && sp[0] >= e.Start && sp[1] <= e.End {
			return true
		}
	}
	return false
}
