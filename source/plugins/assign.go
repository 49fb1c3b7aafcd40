package plugins

import (
	"path"
	"sort"
	"strings"
)

// Controller is one Jenkins controller as the engine knows it: the key its
// JCasC documents carry (jcasc.Doc.Controller: the directory of a
// stand-alone JCasC file, the path of a file that embeds JCasC such as a
// Helm values file) and the paths of its JCasC files.
type Controller struct {
	Key   string
	Files []string
}

// Assign gives each controller the plugin set it runs, from the parsed
// plugin lists (plugins.txt, plugins.yaml, Helm values) and Dockerfiles.
// It is a pure function of its arguments; the result is keyed by
// controller key and the same for the same inputs in any order.
//
// Which list belongs where:
//
//  1. A Helm values file's pins (Kind HelmList) belong to the controller
//     keyed by that file's path: the one its embedded JCasC configures.
//  2. A Dockerfile ties together what its final stage puts in the image:
//     the plugin files it installs (--plugin-file, -f, install-plugins.sh's
//     standard input), traced back through its COPY/ADD instructions to
//     lists in the build context, its inline --plugins, and the JCasC files
//     it copies where JCasC reads them (under an entry of
//     CASC_JENKINS_CONFIG or -Dcasc.jenkins.config; any copied JCasC file
//     when the image does not set the location, as Kubernetes manifests
//     usually do). The build context is the Dockerfile's directory, or the
//     nearest parent directory from which its COPY sources name known
//     files (`docker build -f docker/Dockerfile .`). The image's pins
//     belong to every controller whose JCasC it copies.
//  3. Any other list, and a Dockerfile that copies no JCasC, belongs to the
//     controller in its own directory: the controller keyed by that
//     directory (its stand-alone JCasC files), else the one controller
//     whose JCasC-embedding file lies there and has no pins of its own. Two
//     or more such controllers: no guess. A list that a Dockerfile installs
//     is left to the Dockerfile unless a controller is keyed by its
//     directory. A list or Dockerfile that belongs to no controller is kept
//     under its directory's key, so its pins are still known (for
//     plugin-vulnerable).
//
// How pins merge:
//
//   - within one installation (one plugins.txt, one jenkins-plugin-cli run:
//     its --plugins first, then its files) the last pin of a plugin wins,
//     as the installation manager's request map does;
//   - across the installations of one image the highest release wins (the
//     installation manager does not downgrade what is installed), and
//     latest/experimental beats any release;
//   - across independent sources of one controller the pins must agree; a
//     plugin pinned to different versions becomes a Conflict and is left
//     unpinned (no guess).
//
// The core version comes from the image tag of a Dockerfile or Helm values
// file; sources naming different cores leave it unknown.
func Assign(lists []*List, dockerfiles []*Dockerfile, controllers []Controller) map[string]*Set {
	a := newAssigner(lists, dockerfiles, controllers)
	return a.run()
}

type assigner struct {
	lists       []*List
	dockerfiles []*Dockerfile
	listByPath  map[string]*List
	ctrlByKey   map[string]bool
	ctrlKeys    []string
	ownerOf     map[string][]string // JCasC file → controller keys
	known       []string            // every known file, sorted
	helmKeys    map[string]bool     // controllers with pins of their own
}

func newAssigner(lists []*List, dockerfiles []*Dockerfile, controllers []Controller) *assigner {
	a := &assigner{
		listByPath: map[string]*List{},
		ctrlByKey:  map[string]bool{},
		ownerOf:    map[string][]string{},
		helmKeys:   map[string]bool{},
	}
	for _, l := range lists {
		if l != nil {
			a.lists = append(a.lists, l)
		}
	}
	for _, d := range dockerfiles {
		if d != nil {
			a.dockerfiles = append(a.dockerfiles, d)
		}
	}
	sort.SliceStable(a.lists, func(i, j int) bool { return a.lists[i].Path < a.lists[j].Path })
	sort.SliceStable(a.dockerfiles, func(i, j int) bool { return a.dockerfiles[i].Path < a.dockerfiles[j].Path })
	known := map[string]bool{}
	for _, l := range a.lists {
		p := path.Clean(l.Path)
		if _, dup := a.listByPath[p]; !dup {
			a.listByPath[p] = l
		}
		known[p] = true
		if l.Kind == HelmList && len(l.Pins) > 0 {
			a.helmKeys[l.Path] = true
		}
	}
	for _, c := range controllers {
		if !a.ctrlByKey[c.Key] {
			a.ctrlByKey[c.Key] = true
			a.ctrlKeys = append(a.ctrlKeys, c.Key)
		}
		for _, f := range c.Files {
			f = path.Clean(f)
			known[f] = true
			if !contains(a.ownerOf[f], c.Key) {
				a.ownerOf[f] = append(a.ownerOf[f], c.Key)
			}
		}
	}
	sort.Strings(a.ctrlKeys)
	for f := range known {
		a.known = append(a.known, f)
	}
	sort.Strings(a.known)
	for f := range a.ownerOf {
		sort.Strings(a.ownerOf[f])
	}
	return a
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// pinSource is one independent source of pins for a controller.
type pinSource struct {
	path  string
	pins  map[string]Pin
	order []string // plugin IDs in first-seen order
	files []string // every file it read
	image Image
}

func (a *assigner) run() map[string]*Set {
	byCtrl := map[string][]*pinSource{}
	consumed := map[string]bool{} // lists a Dockerfile installs
	for _, d := range a.dockerfiles {
		src, ctx := a.dockerSource(d)
		for _, f := range src.files[1:] {
			consumed[f] = true
		}
		keys := a.tied(d, ctx)
		if len(keys) == 0 {
			keys = a.ownDir(path.Dir(d.Path))
		}
		for _, k := range keys {
			byCtrl[k] = append(byCtrl[k], src)
		}
	}
	for _, l := range a.lists {
		src := listSource(l)
		var keys []string
		switch {
		case l.Kind == HelmList:
			keys = []string{l.Path}
		case consumed[path.Clean(l.Path)]:
			if dir := path.Dir(l.Path); a.ctrlByKey[dir] {
				keys = []string{dir}
			}
		default:
			keys = a.ownDir(path.Dir(l.Path))
		}
		for _, k := range keys {
			byCtrl[k] = append(byCtrl[k], src)
		}
	}
	out := map[string]*Set{}
	for k, srcs := range byCtrl {
		if srcs = dropConsumed(srcs); len(srcs) > 0 {
			out[k] = merge(srcs)
		}
	}
	return out
}

// dropConsumed removes the list sources that a Dockerfile source of the
// same controller already installs (they are part of the image).
func dropConsumed(srcs []*pinSource) []*pinSource {
	inImage := map[string]bool{}
	for _, s := range srcs {
		for _, f := range s.files[1:] {
			inImage[f] = true
		}
	}
	var out []*pinSource
	seen := map[*pinSource]bool{}
	for _, s := range srcs {
		if seen[s] || len(s.files) == 1 && inImage[s.files[0]] || len(s.pins) == 0 && s.image.Core == "" {
			continue // counted with its image, or says nothing
		}
		seen[s] = true
		out = append(out, s)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out
}

// ownDir is the controller a file in dir belongs to by the own-directory
// rule; when none, the directory itself as a key for lists that name pins.
func (a *assigner) ownDir(dir string) []string {
	if a.ctrlByKey[dir] {
		return []string{dir}
	}
	var cands []string
	for _, k := range a.ctrlKeys {
		if path.Dir(k) == dir && k != dir && !a.helmKeys[k] {
			cands = append(cands, k)
		}
	}
	if len(cands) == 1 {
		return cands
	}
	if len(cands) > 1 {
		return nil // two controllers in one directory: no guess
	}
	return []string{dir}
}

// listSource is a plugin list as one installation: the last pin of a
// plugin wins.
func listSource(l *List) *pinSource {
	s := &pinSource{path: l.Path, pins: map[string]Pin{}, files: []string{path.Clean(l.Path)}, image: l.Image}
	if l.Kind == HelmList {
		// the chart refuses a plugin in both installPlugins and
		// additionalPlugins ("[PLUGIN CONFLICT]"): keep neither
		count := map[string]int{}
		for _, p := range l.Pins {
			count[p.ID]++
		}
		for _, p := range l.Pins {
			if count[p.ID] == 1 {
				s.put(p)
			}
		}
		return s
	}
	for _, p := range l.Pins {
		s.put(p)
	}
	return s
}

func (s *pinSource) put(p Pin) {
	if _, ok := s.pins[p.ID]; !ok {
		s.order = append(s.order, p.ID)
	}
	s.pins[p.ID] = p
}

// dockerSource is the pins a Dockerfile's image ends up with, and the
// build context it was read against.
func (a *assigner) dockerSource(d *Dockerfile) (*pinSource, string) {
	ctx := a.context(d)
	s := &pinSource{path: d.Path, pins: map[string]Pin{}, files: []string{path.Clean(d.Path)}, image: d.Image}
	for _, in := range d.Installs {
		run := &pinSource{pins: map[string]Pin{}}
		for _, p := range in.Pins {
			run.put(p)
		}
		for _, f := range in.Files {
			for _, c := range a.fromImage(d, ctx, f.Path) {
				l := a.listByPath[c]
				if l == nil || l.Kind == HelmList {
					continue
				}
				if !contains(s.files, c) {
					s.files = append(s.files, c)
				}
				for _, p := range l.Pins {
					run.put(p)
				}
			}
		}
		for _, id := range run.order {
			p := run.pins[id]
			if old, ok := s.pins[id]; ok && !newer(p, old) {
				continue
			}
			s.put(p)
		}
	}
	return s, ctx
}

// newer reports whether a later installation's pin p replaces an
// installed pin old: a higher release, or any non-release (latest,
// experimental, a URL) over a release.
func newer(p, old Pin) bool {
	switch {
	case !p.Pinned():
		return true
	case !old.Pinned():
		return false
	}
	return Compare(p.Version, old.Version) > 0
}

// context picks a Dockerfile's build context: its directory, or the
// nearest parent from which a COPY source names a known file.
func (a *assigner) context(d *Dockerfile) string {
	dir := path.Dir(path.Clean(d.Path))
	for c := dir; ; c = path.Dir(c) {
		if a.copiesKnown(d, c) {
			return c
		}
		if c == "." || c == "/" || path.Dir(c) == c {
			break
		}
	}
	return dir
}

func (a *assigner) copiesKnown(d *Dockerfile, ctx string) bool {
	for _, c := range d.Copies {
		for _, s := range c.Sources {
			if len(a.underSource(ctx, s)) > 0 {
				return true
			}
		}
	}
	return false
}

// underSource lists the known files a COPY source covers in context ctx,
// each with its path relative to the source (for a directory) or its base
// name (for a file or a glob match).
func (a *assigner) underSource(ctx, src string) [][2]string {
	var out [][2]string
	full := path.Join(ctx, src)
	glob := strings.ContainsAny(src, "*?[")
	for _, k := range a.known {
		switch {
		case glob:
			rel, ok := relTo(ctx, k)
			if !ok {
				continue
			}
			if m, err := path.Match(src, rel); err == nil && m {
				out = append(out, [2]string{k, path.Base(k)})
			}
		case k == full:
			out = append(out, [2]string{k, ""})
		default:
			if rel, ok := relTo(full, k); ok {
				out = append(out, [2]string{k, rel})
			}
		}
	}
	return out
}

// relTo is p relative to dir when p is inside dir.
func relTo(dir, p string) (string, bool) {
	if dir == "." {
		if strings.HasPrefix(p, "../") || p == ".." || strings.HasPrefix(p, "/") {
			return "", false
		}
		return p, true
	}
	if strings.HasPrefix(p, dir+"/") {
		return p[len(dir)+1:], true
	}
	return "", false
}

// imageDests lists where a known file k ends up in the image, per COPY
// (a file copied to a path without a trailing '/' may land in a directory
// of that name: both are listed).
func (a *assigner) imageDests(d *Dockerfile, ctx, k string) []string {
	var out []string
	for _, c := range d.Copies {
		for _, s := range c.Sources {
			for _, m := range a.underSource(ctx, s) {
				if m[0] != k {
					continue
				}
				switch {
				case m[1] == "": // the source is the file itself
					if !c.DestDir {
						out = append(out, c.Dest)
					}
					out = append(out, path.Join(c.Dest, path.Base(k)))
				default:
					out = append(out, path.Join(c.Dest, m[1]))
				}
			}
		}
	}
	return out
}

// fromImage traces a path in the image back to the known files copied
// there (the last COPY that writes the path wins).
func (a *assigner) fromImage(d *Dockerfile, ctx, p string) []string {
	p = path.Clean(p)
	for i := len(d.Copies) - 1; i >= 0; i-- {
		c := d.Copies[i]
		var hits []string
		for _, s := range c.Sources {
			for _, m := range a.underSource(ctx, s) {
				var dests []string
				if m[1] == "" {
					if !c.DestDir {
						dests = append(dests, c.Dest)
					}
					dests = append(dests, path.Join(c.Dest, path.Base(m[0])))
				} else {
					dests = append(dests, path.Join(c.Dest, m[1]))
				}
				if contains(dests, p) && !contains(hits, m[0]) {
					hits = append(hits, m[0])
				}
			}
		}
		if len(hits) > 0 {
			sort.Strings(hits)
			return hits
		}
	}
	return nil
}

// tied lists the controllers whose JCasC files the Dockerfile copies where
// JCasC reads them.
func (a *assigner) tied(d *Dockerfile, ctx string) []string {
	var keys []string
	for _, k := range a.known {
		owners := a.ownerOf[k]
		if len(owners) == 0 {
			continue
		}
		dests := a.imageDests(d, ctx, k)
		if len(dests) == 0 || !cascReads(d.CascConfig, dests) {
			continue
		}
		for _, o := range owners {
			if !contains(keys, o) {
				keys = append(keys, o)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

// cascReads reports whether JCasC reads a file copied to one of dests:
// an entry of the location names the file or a directory above it; with
// no location set in the image, any copied JCasC file counts.
func cascReads(casc []Ref, dests []string) bool {
	if len(casc) == 0 {
		return true
	}
	for _, e := range casc {
		loc := path.Clean(strings.TrimPrefix(e.Path, "file:"))
		for _, d := range dests {
			if d == loc || strings.HasPrefix(d, strings.TrimSuffix(loc, "/")+"/") {
				return true
			}
		}
	}
	return false
}

// merge joins the sources of one controller into its Set.
func merge(srcs []*pinSource) *Set {
	s := &Set{Pins: map[string]Pin{}}
	files := map[string]bool{}
	type seen struct {
		pins []Pin
	}
	byID := map[string]*seen{}
	var ids []string
	cores := map[string]Image{}
	for _, src := range srcs {
		for _, f := range src.files {
			files[f] = true
		}
		for _, id := range src.order {
			p, ok := src.pins[id]
			if !ok {
				continue
			}
			if byID[id] == nil {
				byID[id] = &seen{}
				ids = append(ids, id)
			}
			byID[id].pins = append(byID[id].pins, p)
		}
		if src.image.Core != "" {
			if _, ok := cores[src.image.Core]; !ok {
				cores[src.image.Core] = src.image
			}
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		pins := byID[id].pins
		agree := true
		for _, p := range pins[1:] {
			if p.Version != pins[0].Version {
				agree = false
			}
		}
		if agree {
			s.Pins[id] = pins[0]
		} else {
			s.Conflicts = append(s.Conflicts, Conflict{ID: id, Pins: pins})
		}
	}
	for f := range files {
		s.Sources = append(s.Sources, f)
	}
	sort.Strings(s.Sources)
	if len(cores) == 1 {
		for _, img := range cores {
			s.Core, s.CorePos = img.Core, img.Pos
		}
	}
	return s
}
