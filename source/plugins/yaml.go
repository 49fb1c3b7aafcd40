package plugins

import (
	"path"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// LooksYAML reports whether a YAML root is the plugin installation
// manager's plugins.yaml: a mapping whose `plugins` is a sequence with at
// least one mapping that has an `artifactId`.
func LooksYAML(root *yaml.Node) bool {
	for _, it := range tree.Items(tree.Lookup(root, "plugins")) {
		if k, _ := tree.Get(it, "artifactId"); k != nil {
			return true
		}
	}
	return false
}

// ParseYAML reads a plugins.yaml the way the plugin installation manager
// does (util/PluginListParser.java, parsePluginYamlFile, with Jackson
// ignoring unknown keys): `plugins: [{artifactId, groupId?, source:
// {version?, url?}}]`. artifactId is required; a groupId needs a version;
// no source or no version means "latest"; a url that is not a URL is
// dropped. A pin spans its version (its artifactId when it has none).
// Errors are the entries the installation manager refuses.
func ParseYAML(f *source.File, root *yaml.Node) (*List, []report.FileError) {
	l := &List{Path: f.Path, Kind: YAMLList}
	var errs []report.FileError
	k, plugins := tree.Get(root, "plugins")
	if k == nil || tree.IsNull(plugins) {
		return l, nil
	}
	if plugins.Kind != yaml.SequenceNode {
		return l, []report.FileError{{Pos: tree.Pos(f, plugins), Message: "`plugins` must be a list of {artifactId, source: {version}} entries"}}
	}
	for _, it := range tree.Items(plugins) {
		if it == nil || it.Kind != yaml.MappingNode {
			errs = append(errs, report.FileError{Pos: tree.Pos(f, it), Message: "a `plugins` entry must be a mapping with `artifactId`"})
			continue
		}
		idKey, idNode := tree.Get(it, "artifactId")
		id := scalarText(idNode)
		if id == "" {
			at := it
			if idKey != nil {
				at = idKey
			}
			errs = append(errs, report.FileError{Pos: tree.Pos(f, at), Message: "a `plugins` entry has no `artifactId`, which the plugin installation manager requires (\"ArtifactId is required\")"})
			continue
		}
		_, group := tree.Get(it, "groupId")
		p := Pin{ID: id, Version: "latest", GroupID: scalarText(group)}
		srcKey, src := tree.Get(it, "source")
		_, ver := tree.Get(src, "version")
		_, url := tree.Get(src, "url")
		if p.GroupID != "" && tree.IsNull(ver) {
			at := idNode
			if srcKey != nil {
				at = srcKey
			}
			errs = append(errs, report.FileError{Pos: tree.Pos(f, at), Message: "plugin " + id + " has a `groupId` but no `source.version`, which the plugin installation manager requires (\"Version must be input for " + id + "\")"})
			continue
		}
		if v := scalarText(ver); v != "" {
			p.Version = v // an empty version is "latest" (Plugin's constructor)
		}
		if u := scalarText(url); isURL(u) {
			p.URL = u
		}
		at := idNode
		if !tree.IsNull(ver) {
			at = ver
		}
		p.Pos, p.End = tree.Pos(f, at), tree.End(f, at)
		l.Pins = append(l.Pins, p)
	}
	return l, errs
}

// scalarText is the text of a non-null scalar, "" otherwise.
func scalarText(n *yaml.Node) string {
	if !tree.IsScalar(n) {
		return ""
	}
	return tree.Resolve(n).Value
}

// IsPluginListName reports whether a file's name makes it a plugin list
// candidate: plugins.txt and plugins*.txt (read as text), plugins.yaml,
// plugins.yml and plugins*.yaml / plugins*.yml (a plugin list only when
// LooksYAML accepts their content). Case is ignored.
func IsPluginListName(p string) bool {
	base := strings.ToLower(path.Base(p))
	if !strings.HasPrefix(base, "plugins") {
		return false
	}
	return strings.HasSuffix(base, ".txt") || strings.HasSuffix(base, ".yaml") || strings.HasSuffix(base, ".yml")
}

// IsPluginTxtName reports whether a plugin list name is of the text format
// (as the installation manager's --plugin-file tells them apart: by the
// extension).
func IsPluginTxtName(p string) bool {
	return strings.HasSuffix(strings.ToLower(p), ".txt")
}

// IsDockerfileName reports whether a file's name makes it a Dockerfile:
// Dockerfile, Dockerfile.<anything>, <anything>.Dockerfile, Containerfile
// and Containerfile.<anything>, in any case, but not a per-Dockerfile
// ignore file (Dockerfile.dockerignore).
func IsDockerfileName(p string) bool {
	base := strings.ToLower(path.Base(p))
	if strings.HasSuffix(base, ".dockerignore") {
		return false
	}
	for _, name := range []string{"dockerfile", "containerfile"} {
		if base == name || strings.HasPrefix(base, name+".") || strings.HasSuffix(base, "."+name) {
			return true
		}
	}
	return false
}
