package plugins

import (
	"bytes"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// FromHelmValues reads the plugin pins and the image of the Jenkins Helm
// chart's `controller` values (controller is the value of `controller:`,
// or of the chart's pre-3.0 `master:`, in a values file):
//
//   - installPlugins, a list of `id:version` strings, or false for none, and
//     additionalPlugins: the chart writes both into plugins.txt, so each
//     string is read as a plugins.txt line (ParseTxt);
//   - the image: controller.image.{registry, repository, tag} (chart 5.0
//     and later) or controller.image plus controller.tag (before 5.0). With
//     no tag the chart runs `<appVersion>-<tagLabel>`, whose core version a
//     values file does not say.
//
// The list's Path is the values file's: its pins belong to the controller
// whose JCasC that file embeds.
func FromHelmValues(f *source.File, controller *yaml.Node) (*List, []report.FileError) {
	l := &List{Path: f.Path, Kind: HelmList}
	var errs []report.FileError
	for _, key := range []string{"installPlugins", "additionalPlugins"} {
		_, v := tree.Get(controller, key)
		if v == nil || v.Kind != yaml.SequenceNode {
			continue // absent, null, or `false`: no plugins from this key
		}
		for _, it := range tree.Items(v) {
			if !tree.IsScalar(it) {
				continue
			}
			raw := []byte(it.Value)
			text, offs := cleanTxtLine(raw, 0)
			if len(text) == 0 || text[0] == '#' {
				continue
			}
			offs = mapOffsets(offs, scalarOffsets(f, it))
			p, err := parseSpec(f, text, offs)
			if err != nil {
				errs = append(errs, *err)
				continue
			}
			l.Pins = append(l.Pins, p)
		}
	}
	l.Image = helmImage(f, controller)
	return l, errs
}

// mapOffsets turns offsets into a scalar's value into file offsets.
func mapOffsets(offs, value []int) []int {
	out := make([]int, len(offs))
	for i, o := range offs {
		out[i] = value[o]
	}
	return out
}

// scalarOffsets gives the file offset of each byte of a scalar's value: its
// own bytes when the value is written as it reads (a plain or quoted
// scalar on one line without escapes), else the scalar's start for every
// byte.
func scalarOffsets(f *source.File, n *yaml.Node) []int {
	start := f.Offset(n.Line, n.Column)
	out := make([]int, len(n.Value)+1)
	body := start
	switch n.Style {
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		body = start + 1
	case 0:
	default:
		body = -1
	}
	if body >= 0 && body+len(n.Value) <= len(f.Data) && bytes.Equal(f.Data[body:body+len(n.Value)], []byte(n.Value)) {
		for i := range out {
			out[i] = body + i
		}
		return out
	}
	for i := range out {
		out[i] = start
	}
	return out
}

// helmImage reads the controller image of a values file.
func helmImage(f *source.File, controller *yaml.Node) Image {
	var img Image
	_, image := tree.Get(controller, "image")
	var tagNode *yaml.Node
	switch {
	case image != nil && image.Kind == yaml.MappingNode:
		repo := scalarText(tree.Lookup(image, "repository"))
		if reg := scalarText(tree.Lookup(image, "registry")); reg != "" && repo != "" {
			repo = reg + "/" + repo
		}
		img.Repository = repo
		_, tagNode = tree.Get(image, "tag")
	case tree.IsScalar(image):
		img.Repository = scalarText(image)
		_, tagNode = tree.Get(controller, "tag")
	}
	if tree.IsScalar(tagNode) {
		img.Tag = scalarText(tagNode)
		img.Pos, img.End = tree.Pos(f, tagNode), tree.End(f, tagNode)
		if isJenkinsImage(img.Repository) || img.Repository == "" {
			img.Core = CoreFromTag(img.Tag)
		}
	}
	return img
}

// isJenkinsImage reports whether an image repository is the Jenkins
// project's controller image (on any registry or mirror path).
func isJenkinsImage(repo string) bool {
	repo = strings.ToLower(repo)
	return repo == "jenkins/jenkins" || strings.HasSuffix(repo, "/jenkins/jenkins")
}

// CoreFromTag is the Jenkins core version a jenkins/jenkins image tag
// carries (jenkinsci/docker docker-bake.hcl): the text before the first
// '-', when it is two (weekly) or three (LTS) dot-separated numbers:
// "2.452.3-jdk17" → "2.452.3", "2.460" → "2.460"; "lts", "latest",
// "jdk21" and "lts-jdk21" carry none ("").
func CoreFromTag(tag string) string {
	v, _, _ := strings.Cut(tag, "-")
	parts := strings.Split(v, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return ""
	}
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return ""
		}
	}
	return v
}
