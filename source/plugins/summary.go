package plugins

import (
	"fmt"
	"path"
	"sort"
	"strings"
)

// Summary describes the plugin versions the rules judged by, one line per
// controller set that names a plugin the tool judges (or a core version),
// sorted by controller: "ci: Jenkins 2.452.3, oic-auth
// 4.600.vd5a_61e076596, matrix-auth latest (ci/Dockerfile, ci/plugins.txt)".
// A plugin pinned differently by two sources reads "oic-auth: sources
// disagree". For the text report's summary.
func Summary(sets map[string]*Set) []string {
	var keys []string
	for k := range sets {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		s := sets[k]
		var parts []string
		if s.Core != "" {
			parts = append(parts, "Jenkins "+s.Core)
		}
		conflict := map[string]bool{}
		for _, c := range s.Conflicts {
			conflict[c.ID] = true
		}
		for _, id := range Judged() {
			switch p, ok := s.Pins[id]; {
			case ok:
				parts = append(parts, id+" "+p.Version)
			case conflict[id]:
				parts = append(parts, id+": sources disagree")
			}
		}
		if len(parts) == 0 {
			continue
		}
		srcs := make([]string, len(s.Sources))
		for i, src := range s.Sources {
			srcs[i] = path.Clean(src)
		}
		out = append(out, fmt.Sprintf("%s: %s (%s)", k, strings.Join(parts, ", "), strings.Join(srcs, ", ")))
	}
	return out
}
