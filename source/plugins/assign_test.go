package plugins

import (
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// setsString prints Assign's result: a block per controller key.
func setsString(sets map[string]*Set) string {
	var keys []string
	for k := range sets {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		s := sets[k]
		fmt.Fprintf(&b, "%s: sources=%s", k, strings.Join(s.Sources, ","))
		if s.Core != "" {
			fmt.Fprintf(&b, " core=%s@%d:%d", s.Core, s.CorePos.Line, s.CorePos.Col)
		}
		b.WriteByte('\n')
		var ids []string
		for id := range s.Pins {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			p := s.Pins[id]
			fmt.Fprintf(&b, "  %s %s %s:%d\n", id, p.Version, p.Pos.Path, p.Pos.Line)
		}
		for _, c := range s.Conflicts {
			var vs []string
			for _, p := range c.Pins {
				vs = append(vs, p.Version+"@"+p.Pos.Path)
			}
			fmt.Fprintf(&b, "  conflict %s: %s\n", c.ID, strings.Join(vs, " "))
		}
	}
	return b.String()
}

// tree builds the inputs of Assign from files: plugin lists by name,
// Dockerfiles by name, and controllers from the JCasC file names (a
// file's directory; a values*.yaml is a controller of its own).
type fileTree map[string]string

func (ft fileTree) inputs(t *testing.T) ([]*List, []*Dockerfile, []Controller) {
	t.Helper()
	var lists []*List
	var dfs []*Dockerfile
	ctrls := map[string][]string{}
	var paths []string
	for p := range ft {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		f := source.NewFile(p, []byte(ft[p]))
		switch {
		case IsDockerfileName(p):
			d, errs := ParseDockerfile(f)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			dfs = append(dfs, d)
		case IsPluginTxtName(p) && IsPluginListName(p):
			l, errs := ParseTxt(f)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			lists = append(lists, l)
		case strings.Contains(p, "values"):
			// a Helm values file: its pins, and its own controller
			l := &List{Path: p, Kind: HelmList}
			for n, line := range strings.Split(ft[p], "\n") {
				if id, v, ok := strings.Cut(strings.TrimSpace(line), ":"); ok && id != "" {
					l.Pins = append(l.Pins, Pin{ID: id, Version: v, Pos: f.Pos(n+1, 1)})
				}
			}
			lists = append(lists, l)
			ctrls[p] = append(ctrls[p], p)
		default: // JCasC
			dir := p[:strings.LastIndexByte(p, '/')]
			ctrls[dir] = append(ctrls[dir], p)
		}
	}
	var out []Controller
	for k, fs := range ctrls {
		out = append(out, Controller{Key: k, Files: fs})
	}
	return lists, dfs, out
}

func TestAssign(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files fileTree
		want  string
	}{
		{"a list belongs to the controller in its directory",
			fileTree{"ci/jenkins.yaml": "", "ci/plugins.txt": "oic-auth:4.350.v347c3b_8b_9d95\nmatrix-auth:3.1.5\n", "other/jenkins.yaml": ""},
			"ci: sources=ci/plugins.txt\n  matrix-auth 3.1.5 ci/plugins.txt:2\n  oic-auth 4.350.v347c3b_8b_9d95 ci/plugins.txt:1\n"},
		{"within one list the last pin wins",
			fileTree{"ci/jenkins.yaml": "", "ci/plugins.txt": "oic-auth:4.1\noic-auth:4.2\n"},
			"ci: sources=ci/plugins.txt\n  oic-auth 4.2 ci/plugins.txt:2\n"},
		{"a list with no controller is kept under its directory",
			fileTree{"lists/plugins.txt": "credentials:2.5\n"},
			"lists: sources=lists/plugins.txt\n  credentials 2.5 lists/plugins.txt:1\n"},
		{"a Dockerfile ties the plugin file and the JCasC directory it copies",
			fileTree{
				"img/Dockerfile": "FROM jenkins/jenkins:2.452.3-jdk17\n" +
					"COPY plugins.txt /usr/share/jenkins/ref/plugins.txt\n" +
					"RUN jenkins-plugin-cli -f /usr/share/jenkins/ref/plugins.txt --plugins role-strategy:657.v398b_8a_279c49\n" +
					"ENV CASC_JENKINS_CONFIG=/var/jenkins_home/casc\n" +
					"COPY casc /var/jenkins_home/casc\n",
				"img/plugins.txt":       "oic-auth:4.600.vd5a_61e076596\nrole-strategy:898.vc050ed2424ca_\n",
				"img/casc/jenkins.yaml": "", "img/casc/sub/more.yaml": ""},
			"img/casc: sources=img/Dockerfile,img/plugins.txt core=2.452.3@1:22\n" +
				"  oic-auth 4.600.vd5a_61e076596 img/plugins.txt:1\n" +
				"  role-strategy 898.vc050ed2424ca_ img/plugins.txt:2\n" +
				"img/casc/sub: sources=img/Dockerfile,img/plugins.txt core=2.452.3@1:22\n" +
				"  oic-auth 4.600.vd5a_61e076596 img/plugins.txt:1\n" +
				"  role-strategy 898.vc050ed2424ca_ img/plugins.txt:2\n"},
		{"JCasC copied outside the location the image sets is not tied",
			fileTree{
				"img/Dockerfile": "FROM jenkins/jenkins\nENV CASC_JENKINS_CONFIG=/casc\nCOPY other.yaml /elsewhere/\nRUN jenkins-plugin-cli --plugins a:1\n",
				"img/other.yaml": ""},
			"img: sources=img/Dockerfile\n  a 1 img/Dockerfile:4\n"},
		{"a Dockerfile built from the repository root (docker build -f docker/Dockerfile .)",
			fileTree{
				"docker/Dockerfile":  "FROM jenkins/jenkins\nCOPY config/plugins.txt /p.txt\nCOPY config/casc.yaml /var/jenkins_home/jenkins.yaml\nRUN jenkins-plugin-cli -f /p.txt\n",
				"config/plugins.txt": "oidc-provider:96.vee8ed882ec4d\n", "config/casc.yaml": ""},
			"config: sources=config/plugins.txt,docker/Dockerfile\n  oidc-provider 96.vee8ed882ec4d config/plugins.txt:1\n"},
		{"a glob and a directory COPY",
			fileTree{
				"d/Dockerfile":  "FROM jenkins/jenkins\nCOPY *.txt /ref/\nCOPY . /src/\nRUN jenkins-plugin-cli -f /ref/plugins.txt\n",
				"d/plugins.txt": "a:1\n", "d/casc/j.yaml": ""},
			"d/casc: sources=d/Dockerfile,d/plugins.txt\n  a 1 d/plugins.txt:1\n"},
		{"installations of one image: the highest release wins, latest beats releases",
			fileTree{
				"d/Dockerfile":        "FROM jenkins/jenkins\nCOPY plugins-extra.txt /p.txt\nRUN jenkins-plugin-cli --plugins a:2 b:1 c:1\nRUN jenkins-plugin-cli --plugins a:1 b:3 -f /p.txt\n",
				"d/plugins-extra.txt": "c\n",
				"d/jenkins.yaml":      ""},
			"d: sources=d/Dockerfile,d/plugins-extra.txt\n  a 2 d/Dockerfile:3\n  b 3 d/Dockerfile:4\n  c latest d/plugins-extra.txt:1\n"},
		{"independent sources that disagree: no pin",
			fileTree{
				"d/Dockerfile":  "FROM jenkins/jenkins\nRUN jenkins-plugin-cli --plugins oic-auth:4.350.v347c3b_8b_9d95 x:1\n",
				"d/plugins.txt": "oic-auth:4.600.vd5a_61e076596\nx:1\n", "d/jenkins.yaml": ""},
			"d: sources=d/Dockerfile,d/plugins.txt\n  x 1 d/Dockerfile:2\n" +
				"  conflict oic-auth: 4.350.v347c3b_8b_9d95@d/Dockerfile 4.600.vd5a_61e076596@d/plugins.txt\n"},
		{"a list a Dockerfile installs is not counted twice",
			fileTree{
				"d/Dockerfile":  "FROM jenkins/jenkins\nCOPY plugins.txt /p.txt\nRUN jenkins-plugin-cli -f /p.txt && jenkins-plugin-cli --plugins a:2\n",
				"d/plugins.txt": "a:1\n", "d/jenkins.yaml": ""},
			"d: sources=d/Dockerfile,d/plugins.txt\n  a 2 d/Dockerfile:3\n"},
		{"Helm values pins belong to the values file's controller",
			fileTree{"h/values.yaml": "oic-auth:4.453.v4d7765c854f4\n", "h/plugins.txt": "matrix-auth:3.2\n"},
			"h: sources=h/plugins.txt\n  matrix-auth 3.2 h/plugins.txt:1\n" +
				"h/values.yaml: sources=h/values.yaml\n  oic-auth 4.453.v4d7765c854f4 h/values.yaml:1\n"},
		{"one embedding controller without pins takes its directory's list",
			fileTree{"k/values-casc.yaml": "", "k/plugins.txt": "credentials:2.4\n"},
			"k/values-casc.yaml: sources=k/plugins.txt\n  credentials 2.4 k/plugins.txt:1\n"},
		{"two controllers in one directory: no guess",
			fileTree{"k/values-a.yaml": "", "k/values-b.yaml": "", "k/plugins.txt": "credentials:2.4\n"},
			""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lists, dfs, ctrls := tc.files.inputs(t)
			got := setsString(Assign(lists, dfs, ctrls))
			if got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
			// the same in any input order
			r := rand.New(rand.NewSource(1))
			for i := 0; i < 5; i++ {
				r.Shuffle(len(lists), func(i, j int) { lists[i], lists[j] = lists[j], lists[i] })
				r.Shuffle(len(dfs), func(i, j int) { dfs[i], dfs[j] = dfs[j], dfs[i] })
				r.Shuffle(len(ctrls), func(i, j int) { ctrls[i], ctrls[j] = ctrls[j], ctrls[i] })
				if again := setsString(Assign(lists, dfs, ctrls)); again != got {
					t.Fatalf("not deterministic:\n%s\nthen:\n%s", got, again)
				}
			}
		})
	}
}

func TestSummary(t *testing.T) {
	lists, dfs, ctrls := fileTree{
		"ci/jenkins.yaml": "",
		"ci/plugins.txt":  "git:5.0\noic-auth:4.600.vd5a_61e076596\nmatrix-auth\n",
		"ci/Dockerfile":   "FROM jenkins/jenkins:2.452.3-jdk17\nRUN jenkins-plugin-cli --plugins role-strategy:1 && jenkins-plugin-cli --plugins oic-auth:4.453.v4d7765c854f4\n",
		"x/plugins.txt":   "git:5.0\n",
	}.inputs(t)
	got := strings.Join(Summary(Assign(lists, dfs, ctrls)), "\n")
	want := "ci: Jenkins 2.452.3, matrix-auth latest, oic-auth: sources disagree, role-strategy 1 (ci/Dockerfile, ci/plugins.txt)"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
