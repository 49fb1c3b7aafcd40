package plugins

import (
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

func parseYAMLList(t *testing.T, in string) (*List, string) {
	t.Helper()
	f := source.NewFile("plugins.yaml", []byte(in))
	docs, ferr := tree.ParseYAML(f)
	if ferr != nil {
		t.Fatal(ferr)
	}
	l, errs := ParseYAML(f, docs[0])
	return l, errsString(errs)
}

func TestParseYAML(t *testing.T) {
	for _, tc := range []struct {
		name, in, want, errs string
	}{
		{"the installation manager's example",
			"plugins:\n" +
				"  - artifactId: git\n" +
				"    source:\n" +
				"      version: latest\n" +
				"  - artifactId: job-import-plugin\n" +
				"    source:\n" +
				"      version: 2.1\n" +
				"  - artifactId: docker\n" +
				"  - artifactId: cloudbees-bitbucket-branch-source\n" +
				"    source:\n" +
				"      version: 2.4.4\n" +
				"  - artifactId: script-security\n" +
				"    source:\n" +
				"      url: http://ftp-chi.osuosl.org/pub/jenkins/plugins/script-security/1.56/script-security.hpi\n" +
				"  - artifactId: workflow-step-api\n" +
				"    groupId: org.jenkins-ci.plugins.workflow\n" +
				"    source:\n" +
				"      version: 2.19-rc289.d09828a05a74\n",
			"git latest @4:16-4:22\n" +
				"job-import-plugin 2.1 @7:16-7:19\n" +
				"docker latest @8:17-8:23\n" +
				"cloudbees-bitbucket-branch-source 2.4.4 @11:16-11:21\n" +
				"script-security latest url=http://ftp-chi.osuosl.org/pub/jenkins/plugins/script-security/1.56/script-security.hpi @12:17-12:32\n" +
				"workflow-step-api 2.19-rc289.d09828a05a74 group=org.jenkins-ci.plugins.workflow @18:16-18:39\n", ""},
		{"quoted version, unknown keys, empty version",
			"plugins:\n  - artifactId: oic-auth\n    note: ignored\n    source: {version: \"4.350.v347c3b_8b_9d95\"}\n  - artifactId: a\n    source:\n      version: ''\n",
			"oic-auth 4.350.v347c3b_8b_9d95 @4:23-4:46\na latest @7:16-7:18\n", ""},
		{"entries the installation manager refuses",
			"plugins:\n  - source: {version: 1}\n  - artifactId: x\n    groupId: g\n  - just-a-string\n",
			"",
			"2:5 a `plugins` entry has no `artifactId`, which the plugin installation manager requires (\"ArtifactId is required\")\n" +
				"3:17 plugin x has a `groupId` but no `source.version`, which the plugin installation manager requires (\"Version must be input for x\")\n" +
				"5:5 a `plugins` entry must be a mapping with `artifactId`\n"},
		{"plugins not a list", "plugins: oic-auth\n", "", "1:10 `plugins` must be a list of {artifactId, source: {version}} entries\n"},
		{"no plugins", "other: 1\n", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, errs := parseYAMLList(t, tc.in)
			if got := pinsString(l.Pins); got != tc.want {
				t.Errorf("pins:\n%s\nwant:\n%s", got, tc.want)
			}
			if errs != tc.errs {
				t.Errorf("errors:\n%s\nwant:\n%s", errs, tc.errs)
			}
		})
	}
}

func TestLooksYAML(t *testing.T) {
	for in, want := range map[string]bool{
		"plugins:\n  - artifactId: git\n":    true,
		"plugins:\n  - name: git\n":          false,
		"jenkins:\n  systemMessage: x\n":     false,
		"plugins: [git]\n":                   false,
		"plugins:\n- {artifactId: a}\n- 1\n": true,
	} {
		f := source.NewFile("x.yaml", []byte(in))
		docs, ferr := tree.ParseYAML(f)
		if ferr != nil {
			t.Fatal(ferr)
		}
		if got := LooksYAML(docs[0]); got != want {
			t.Errorf("LooksYAML(%q) = %v", in, got)
		}
	}
}

func TestFromHelmValues(t *testing.T) {
	for _, tc := range []struct {
		name, in, want, image, errs string
	}{
		{"chart 5.x",
			"controller:\n" +
				"  image:\n" +
				"    registry: docker.io\n" +
				"    repository: jenkins/jenkins\n" +
				"    tag: \"2.452.3-jdk17\"\n" +
				"  installPlugins:\n" +
				"    - kubernetes:4203.v1dd44f5b_1cf9\n" +
				"    - \"oic-auth:4.350.v347c3b_8b_9d95\"\n" +
				"    - configuration-as-code   # comment in YAML\n" +
				"  additionalPlugins:\n" +
				"    - 'role-strategy:657.v398b_8a_279c49'\n",
			"kubernetes 4203.v1dd44f5b_1cf9 @7:18-7:37\n" +
				"oic-auth 4.350.v347c3b_8b_9d95 @8:17-8:38\n" +
				"configuration-as-code latest @9:7-9:28\n" +
				"role-strategy 657.v398b_8a_279c49 @11:22-11:41\n",
			"docker.io/jenkins/jenkins 2.452.3-jdk17 2.452.3 @5:10-5:25", ""},
		{"chart before 5.0: image and tag side by side",
			"image: jenkins/jenkins\ntag: 2.440.1-jdk17\ninstallPlugins: false\n",
			"", "jenkins/jenkins 2.440.1-jdk17 2.440.1 @2:6-2:19", ""},
		{"no tag: the chart's appVersion is not known",
			"image:\n  repository: jenkins/jenkins\n  tagLabel: jdk21\ninstallPlugins:\n  - \"matrix-auth: 3.2.8\"\n",
			"matrix-auth 3.2.8 @5:19-5:24\n", "jenkins/jenkins   @0:0-0:0", ""},
		{"a broken entry", "installPlugins:\n  - \":1\"\n", "", "   @0:0-0:0", "2:6 plugin entry `:1` has no plugin ID before its ':'\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := source.NewFile("values.yaml", []byte(tc.in))
			docs, ferr := tree.ParseYAML(f)
			if ferr != nil {
				t.Fatal(ferr)
			}
			ctrl := docs[0]
			if _, c := tree.Get(ctrl, "controller"); c != nil {
				ctrl = c
			}
			l, errs := FromHelmValues(f, ctrl)
			if got := pinsString(l.Pins); got != tc.want {
				t.Errorf("pins:\n%s\nwant:\n%s", got, tc.want)
			}
			img := l.Image.Repository + " " + l.Image.Tag + " " + l.Image.Core + " @" + posRange(l.Image.Pos, l.Image.End)
			if img != tc.image {
				t.Errorf("image %q, want %q", img, tc.image)
			}
			if got := errsString(errs); got != tc.errs {
				t.Errorf("errors:\n%s\nwant:\n%s", got, tc.errs)
			}
			if l.Kind != HelmList || l.Path != "values.yaml" {
				t.Errorf("list %s %v", l.Path, l.Kind)
			}
		})
	}
}
