package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/plugins"
)

// PluginVulnerable: see docs/plugin-vulnerable.md.
var PluginVulnerable = &Rule{ID: "plugin-vulnerable", Workspace: checkPluginVulnerable}

// checkPluginVulnerable reports each pinned release of a plugin the tool
// judges that a Jenkins security advisory names as affected
// (source/plugins/advisories.json), at the pin, once however many
// controllers share it.
func checkPluginVulnerable(p *Pass) {
	if !p.WS.OwnsShared() {
		return
	}
	var keys []string
	for k := range p.WS.Plugins {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	seen := map[string]bool{}
	for _, k := range keys {
		set := p.WS.Plugins[k]
		for _, id := range plugins.Judged() {
			pin, ok := set.Version(id)
			if !ok {
				continue
			}
			at := pin.Pos.String() + " " + id + " " + pin.Version
			if seen[at] {
				continue
			}
			seen[at] = true
			advs := plugins.Affecting(id, pin.Version)
			if len(advs) == 0 {
				continue
			}
			p.Report(report.Finding{Pos: pin.Pos, End: pin.End, Message: vulnerableMessage(id, pin.Version, advs)})
		}
	}
}

func vulnerableMessage(id, version string, advs []*plugins.Advisory) string {
	var parts []string
	for _, a := range advs {
		s := a.ID
		if len(a.CVE) > 0 {
			s += " (" + strings.Join(a.CVE, ", ") + ")"
		}
		s += ": " + lowerFirst(a.Title)
		if a.Fixed != "" {
			s += ", fixed in " + a.Fixed
		}
		s += ", " + a.URL
		parts = append(parts, s)
	}
	what := "a Jenkins security advisory names"
	if len(advs) > 1 {
		what = fmt.Sprintf("%d Jenkins security advisories name", len(advs))
	}
	msg := fmt.Sprintf("%s %s is a release that %s as affected: %s", id, version, what, strings.Join(parts, "; "))
	if to := upgradeTarget(id, advs); to != "" {
		msg += fmt.Sprintf("; upgrade %s to %s or later", id, to)
	}
	return msg
}

// upgradeTarget is the lowest release the advisories point to that none of
// the table's advisories names as affected: the highest fixed release, and
// again for the advisories that one is affected by.
func upgradeTarget(id string, advs []*plugins.Advisory) string {
	to := ""
	for range 10 {
		for _, a := range advs {
			if a.Fixed != "" && (to == "" || plugins.Compare(a.Fixed, to) > 0) {
				to = a.Fixed
			}
		}
		if to == "" {
			return ""
		}
		advs = plugins.Affecting(id, to)
		if len(advs) == 0 {
			return to
		}
	}
	return to
}
