package rules

import (
	"fmt"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/plugins"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// PluginVersionMismatch: see docs/plugin-version-mismatch.md.
var PluginVersionMismatch = &Rule{ID: "plugin-version-mismatch", Workspace: checkPluginVersions}

// docEras is what the era table says of a JCasC document's keys: read
// from its tree while it has one (a document built by jcasc.Read), else
// what the engine recorded before Compact.
func docEras(d *jcasc.Doc) plugins.DocEras {
	if d.Root != nil {
		return plugins.ReadEras(d.File, d.Root)
	}
	return recordedEras(d)
}

// recordedEras returns the eras the engine recorded for a compacted
// document. Wiring: once jcasc.Doc has `Eras plugins.DocEras`, filled in
// jcasc.Read by plugins.ReadEras(f, root), this becomes `return d.Eras`.
var recordedEras = func(d *jcasc.Doc) plugins.DocEras { return d.Eras }

// checkPluginVersions reports the JCasC keys and value layouts that the
// plugin release a controller pins does not accept (plugins.Era.Judge):
// JCasC refuses unknown and deprecated attributes by default, so the
// controller does not boot. Unpinned plugins (latest, not listed, pinned
// differently by two sources) are not judged.
func checkPluginVersions(p *Pass) {
	type docKeys struct {
		d    *jcasc.Doc
		set  *plugins.Set
		eras plugins.DocEras
	}
	var docs []docKeys
	// configuration-as-code settings apply to the whole controller
	warnUnknown, warnDeprecated := map[string]bool{}, map[string]bool{}
	for _, d := range p.WS.JCasC {
		set := p.WS.PluginsFor(d)
		if set == nil || len(set.Pins) == 0 {
			continue
		}
		e := docEras(d)
		if e.UnknownWarn {
			warnUnknown[d.Controller] = true
		}
		if e.DeprecatedWarn {
			warnDeprecated[d.Controller] = true
		}
		docs = append(docs, docKeys{d, set, e})
	}
	for _, dk := range docs {
		seen := map[tree.Place]bool{}
		for _, k := range dk.eras.Keys {
			pin, ok := dk.set.Version(k.Era.Plugin)
			if !ok || seen[k.At] {
				continue
			}
			v := k.Era.Judge(pin.Version)
			if v == plugins.Accepted || v == plugins.Deprecated && warnDeprecated[dk.d.Controller] {
				continue
			}
			seen[k.At] = true
			p.Report(report.Finding{
				Pos: k.At.Pos(dk.d.File), End: k.At.End(dk.d.File),
				Message: eraMessage(k.Era, v, pin.Version, warnUnknown[dk.d.Controller]),
				Related: []report.Related{{Pos: pin.Pos, Message: fmt.Sprintf("this controller's %s is pinned to %s here", k.Era.Plugin, pin.Version)}},
			})
		}
	}
}

// eraMessage says why release version refuses the key, and what to write.
func eraMessage(e *plugins.Era, v plugins.Verdict, version string, unknownWarn bool) string {
	id := e.Plugin
	key := "`" + e.Key() + "`"
	refused := "JCasC refuses attributes a release does not have, so the controller does not boot"
	if unknownWarn {
		refused = "JCasC skips it (configuration-as-code.unknown is warn), so the setting does not apply"
	}
	orUpgrade := func(to string) string {
		if e.Before == "" {
			return fmt.Sprintf("remove it, or upgrade %s to %s or later", id, to)
		}
		return fmt.Sprintf("for %s %s, or upgrade %s to %s or later", version, e.Before, id, to)
	}
	if len(e.Prefixes) > 0 {
		var ps []string
		for _, pre := range e.Prefixes {
			ps = append(ps, "`"+pre+"`")
		}
		prefixes := strings.Join(ps, "/")
		switch v {
		case plugins.NotYet:
			return fmt.Sprintf("the %s prefix of %s entries came in %s %s, and this controller pins %s %s: that release fails on the entry (\"no such permission\"), so the controller does not boot; %s",
				prefixes, key, id, e.Since, id, version, orUpgrade(e.Since))
		case plugins.Removed:
			return fmt.Sprintf("%s %s no longer reads the %s prefix of %s entries (gone in %s), so the entry fails and the controller does not boot; %s",
				id, version, prefixes, key, e.Until, e.After)
		}
	}
	switch v {
	case plugins.NotYet:
		return fmt.Sprintf("%s came in %s %s, and this controller pins %s %s: %s; %s", key, id, e.Since, id, version, refused, orUpgrade(e.Since))
	case plugins.Absent:
		return fmt.Sprintf("no %s release up to %s has %s, and this controller pins %s %s: %s; %s", id, e.AbsentThrough, key, id, version, refused, lowerFirst(orNothing(e.Before, "remove it")))
	case plugins.Removed:
		return fmt.Sprintf("%s was removed in %s %s, and this controller pins %s %s: %s; %s", key, id, e.Until, id, version, refused, e.After)
	case plugins.Deprecated:
		return fmt.Sprintf("%s is deprecated from %s %s on, and this controller pins %s %s: JCasC refuses deprecated attributes by default (\"'%s' is deprecated\"), so the controller does not boot; %s",
			key, id, e.Deprecated, id, version, e.Key(), e.After)
	}
	return ""
}

func orNothing(s, dflt string) string {
	if s == "" {
		return dflt
	}
	return s
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
