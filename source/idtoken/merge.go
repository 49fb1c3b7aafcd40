package idtoken

// Merge is the id-token view of one controller configured by several JCasC
// documents, as configuration-as-code merges them: the first root URL
// written wins (two different ones are a conflict JCasC refuses at boot),
// credentials and folders of every document are kept, and each claim
// template list written in any document replaces the plugin's default with
// the concatenation of the lists written (JCasC concatenates lists). The
// issuers of credentials and folders are computed again from the merged
// root URL, since one file may set location.url and another define the
// credentials. Merge of one controller returns a copy of it; nil entries
// are skipped, and Merge of none is nil.
func Merge(cs []*Controller) *Controller {
	var out *Controller
	for _, c := range cs {
		if c == nil {
			continue
		}
		if out == nil {
			out = &Controller{File: c.File, Config: &Config{
				ClaimTemplates:       Templates{List: DefaultClaimTemplates},
				BuildClaimTemplates:  Templates{List: DefaultBuildClaimTemplates},
				GlobalClaimTemplates: Templates{List: DefaultGlobalClaimTemplates},
			}}
		}
		if !out.RootURL.IsSet() && c.RootURL.IsSet() {
			out.RootURL = c.RootURL
		}
		for _, cr := range c.Credentials {
			cp := *cr
			out.Credentials = append(out.Credentials, &cp)
		}
		for _, f := range c.Folders {
			cp := *f
			out.Folders = append(out.Folders, &cp)
		}
		cfg := out.Config
		if c.Config.Key.IsValid() && !cfg.Key.IsValid() {
			cfg.Key = c.Config.Key
		}
		if c.Config.TokenLifetime.IsSet() && !cfg.TokenLifetime.IsSet() {
			cfg.TokenLifetime = c.Config.TokenLifetime
		}
		mergeTemplates(&cfg.ClaimTemplates, c.Config.ClaimTemplates)
		mergeTemplates(&cfg.BuildClaimTemplates, c.Config.BuildClaimTemplates)
		mergeTemplates(&cfg.GlobalClaimTemplates, c.Config.GlobalClaimTemplates)
		cfg.Problems = append(cfg.Problems, c.Config.Problems...)
	}
	if out == nil {
		return nil
	}
	out.Issuer = RootIssuer(out.RootURL)
	for _, f := range out.Folders {
		at := f.Issuer.Span
		f.Issuer = FolderIssuer(out.Issuer, f.FullName)
		f.Issuer.Span = at
	}
	for _, cr := range out.Credentials {
		cr.Issuer = out.issuerFor(cr)
	}
	return out
}

// mergeTemplates adds a document's list to the merged one: the first list
// written replaces the default, later ones are appended.
func mergeTemplates(into *Templates, from Templates) {
	if !from.Set {
		return
	}
	if !into.Set {
		*into = Templates{Set: true, Key: from.Key, List: []Template{}}
	}
	into.List = append(into.List, from.List...)
}

// Template is the template that makes claim name of a build's token: the
// last one of that name in claimTemplates and then buildClaimTemplates (a
// later template wins, as in Claims); false when none does.
func (c *Controller) Template(name string) (Template, bool) {
	var out Template
	found := false
	for _, l := range [][]Template{c.Config.ClaimTemplates.List, c.Config.BuildClaimTemplates.List} {
		for _, t := range l {
			if t.Name.Known && t.Name.Text == name {
				out, found = t, true
			}
		}
	}
	return out, found
}
