package plugins

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// dockerString prints what ParseDockerfile read, one fact a line.
func dockerString(d *Dockerfile) string {
	var b strings.Builder
	if d.Image.Repository != "" {
		fmt.Fprintf(&b, "image %s tag=%s core=%s @%s\n", d.Image.Repository, d.Image.Tag, d.Image.Core, posRange(d.Image.Pos, d.Image.End))
	}
	for _, in := range d.Installs {
		fmt.Fprintf(&b, "%s @%d:%d\n", in.Tool, in.Pos.Line, in.Pos.Col)
		for _, p := range in.Pins {
			fmt.Fprintf(&b, "  pin %s\n", pinString(p))
		}
		for _, r := range in.Files {
			fmt.Fprintf(&b, "  file %s @%s\n", r.Path, posRange(r.Pos, r.End))
		}
	}
	for _, c := range d.Copies {
		fmt.Fprintf(&b, "copy %s -> %s dir=%v @%d:%d\n", strings.Join(c.Sources, ","), c.Dest, c.DestDir, c.Pos.Line, c.Pos.Col)
	}
	for _, r := range d.CascConfig {
		fmt.Fprintf(&b, "casc %s @%s\n", r.Path, posRange(r.Pos, r.End))
	}
	return b.String()
}

func TestParseDockerfile(t *testing.T) {
	for _, tc := range []struct {
		name, in, want, errs string
	}{
		{"plugin cli with continuations and a comment line",
			"FROM jenkins/jenkins:2.452.3-lts-jdk17\n" +
				"RUN jenkins-plugin-cli --plugins \\\n" +
				"    # OIDC\n" +
				"    oic-auth:4.350.v347c3b_8b_9d95 \\\n" +
				"    matrix-auth:3.2.8 --verbose\n",
			"image jenkins/jenkins tag=2.452.3-lts-jdk17 core=2.452.3 @1:22-1:39\n" +
				"jenkins-plugin-cli @2:5\n" +
				"  pin oic-auth 4.350.v347c3b_8b_9d95 @4:14-4:35\n" +
				"  pin matrix-auth 3.2.8 @5:17-5:22\n", ""},
		{"--plugins= and -p, quoted specs, && chains",
			"FROM jenkins/jenkins:lts\n" +
				"RUN jenkins-plugin-cli --plugins=\"role-strategy:657.v398b_8a_279c49\" credentials:2.5 && jenkins-plugin-cli -p 'oidc-provider:96.vee8ed882ec4d'\n",
			"image jenkins/jenkins tag=lts core= @1:22-1:25\n" +
				"jenkins-plugin-cli @2:5\n" +
				"  pin role-strategy 657.v398b_8a_279c49 @2:49-2:68\n" +
				"  pin credentials 2.5 @2:82-2:85\n" +
				"jenkins-plugin-cli @2:89\n" +
				"  pin oidc-provider 96.vee8ed882ec4d @2:126-2:142\n", ""},
		{"plugin file, COPY, WORKDIR and the JCasC location",
			"FROM jenkins/jenkins:2.460-jdk21\n" +
				"ENV CASC_JENKINS_CONFIG=/var/jenkins_home/casc.d,/etc/extra.yaml\n" +
				"COPY --chown=jenkins:jenkins plugins.txt /usr/share/jenkins/ref/plugins.txt\n" +
				"COPY casc/ /var/jenkins_home/casc.d/\n" +
				"WORKDIR /usr/share/jenkins/ref\n" +
				"COPY [\"more plugins.txt\", \"./\"]\n" +
				"COPY --from=builder /out/x.yaml /var/jenkins_home/casc.d/\n" +
				"RUN jenkins-plugin-cli --plugin-file /usr/share/jenkins/ref/plugins.txt -f \"more plugins.txt\"\n",
			"image jenkins/jenkins tag=2.460-jdk21 core=2.460 @1:22-1:33\n" +
				"jenkins-plugin-cli @8:5\n" +
				"  file /usr/share/jenkins/ref/plugins.txt @8:38-8:72\n" +
				"  file /usr/share/jenkins/ref/more plugins.txt @8:77-8:93\n" +
				"copy plugins.txt -> /usr/share/jenkins/ref/plugins.txt dir=false @3:1\n" +
				"copy casc -> /var/jenkins_home/casc.d dir=true @4:1\n" +
				"copy more plugins.txt -> /usr/share/jenkins/ref dir=true @6:1\n" +
				"casc /var/jenkins_home/casc.d @2:25-2:49\n" +
				"casc /etc/extra.yaml @2:50-2:65\n", ""},
		{"ARG defaults are substituted, and point at the ARG",
			"ARG JENKINS_VERSION=2.452.3\n" +
				"FROM jenkins/jenkins:${JENKINS_VERSION}-lts-jdk17\n" +
				"ARG OIC=4.350.v347c3b_8b_9d95\n" +
				"ARG UNSET\n" +
				"RUN jenkins-plugin-cli --plugins oic-auth:${OIC} matrix-auth:${UNSET} role-strategy:${NOPE:-898.vc050ed2424ca_}\n",
			"image jenkins/jenkins tag=2.452.3-lts-jdk17 core=2.452.3 @1:21-1:28\n" +
				"jenkins-plugin-cli @5:5\n" +
				"  pin oic-auth 4.350.v347c3b_8b_9d95 @3:9-3:30\n" +
				"  pin role-strategy 898.vc050ed2424ca_ @5:93-5:111\n", ""},
		{"a global ARG is not seen in a stage unless declared there",
			"ARG V=1.0\nFROM jenkins/jenkins\nRUN jenkins-plugin-cli --plugins a:${V}\nARG V\nRUN jenkins-plugin-cli --plugins b:${V}\n",
			"image jenkins/jenkins tag= core= @2:6-2:21\n" +
				"jenkins-plugin-cli @3:5\n" +
				"jenkins-plugin-cli @5:5\n" +
				"  pin b 1.0 @1:7-1:10\n", ""},
		{"ENV in the legacy form and -Dcasc.jenkins.config",
			"FROM jenkins/jenkins:2.440.1\n" +
				"ENV CASC_JENKINS_CONFIG /var/casc\n" +
				"ENV JAVA_OPTS=\"-Xmx1g -Dcasc.jenkins.config=/opt/casc.yaml -Dx=y\"\n",
			"image jenkins/jenkins tag=2.440.1 core=2.440.1 @1:22-1:29\n" +
				"casc /opt/casc.yaml @3:45-3:59\n", ""},
		{"install-plugins.sh with arguments and standard input",
			"FROM jenkins/jenkins:2.150.1\n" +
				"COPY plugins.txt /usr/share/jenkins/ref/plugins.txt\n" +
				"RUN /usr/local/bin/install-plugins.sh < /usr/share/jenkins/ref/plugins.txt\n" +
				"RUN cat /usr/share/jenkins/ref/plugins.txt | xargs /usr/local/bin/install-plugins.sh role-strategy:2.9.0\n",
			"image jenkins/jenkins tag=2.150.1 core=2.150.1 @1:22-1:29\n" +
				"install-plugins.sh @3:5\n" +
				"  file /usr/share/jenkins/ref/plugins.txt @3:41-3:75\n" +
				"install-plugins.sh @4:52\n" +
				"  pin role-strategy 2.9.0 @4:100-4:105\n" +
				"  file /usr/share/jenkins/ref/plugins.txt @4:9-4:43\n" +
				"copy plugins.txt -> /usr/share/jenkins/ref/plugins.txt dir=false @2:1\n", ""},
		{"exec form, sh -c, heredoc, RUN flags",
			"FROM jenkins/jenkins:2.479.1-jdk21\n" +
				"RUN [\"jenkins-plugin-cli\", \"--plugins\", \"credentials:1381.v2c3a_12074da_b_\"]\n" +
				"RUN --mount=type=cache,target=/root/.cache sh -c 'jenkins-plugin-cli --plugins oic-auth:4.453.v4d7765c854f4'\n" +
				"RUN <<EOF\n" +
				"set -e\n" +
				"jenkins-plugin-cli --plugins matrix-auth:3.2.9\n" +
				"EOF\n" +
				"RUN cat > /tmp/x <<EOF\n" +
				"jenkins-plugin-cli --plugins not-a:run\n" +
				"EOF\n",
			"image jenkins/jenkins tag=2.479.1-jdk21 core=2.479.1 @1:22-1:35\n" +
				"jenkins-plugin-cli @2:7\n" +
				"  pin credentials 1381.v2c3a_12074da_b_ @2:54-2:75\n" +
				"jenkins-plugin-cli @3:51\n" +
				"  pin oic-auth 4.453.v4d7765c854f4 @3:89-3:108\n" +
				"jenkins-plugin-cli @6:1\n" +
				"  pin matrix-auth 3.2.9 @6:42-6:47\n", ""},
		{"multi-stage: the final stage and the stages it is built from",
			"FROM jenkins/jenkins:2.440.3 AS base\n" +
				"RUN jenkins-plugin-cli --plugins a:1\n" +
				"FROM alpine AS tools\n" +
				"RUN jenkins-plugin-cli --plugins ignored:1\n" +
				"FROM base\n" +
				"RUN java -jar /opt/jenkins-plugin-manager-2.12.13.jar --plugins b:2\n",
			"image jenkins/jenkins tag=2.440.3 core=2.440.3 @1:22-1:29\n" +
				"jenkins-plugin-cli @2:5\n" +
				"  pin a 1 @2:36-2:37\n" +
				"jenkins-plugin-cli @6:5\n" +
				"  pin b 2 @6:67-6:68\n", ""},
		{"escape directive and a registry mirror",
			"# escape=`\n" +
				"FROM registry.example.com/mirror/jenkins/jenkins:2.462.3-jdk17@sha256:abc\n" +
				"RUN jenkins-plugin-cli --plugins `\n" +
				"    oic-auth:4.421.v5422614eb_e0a_\n",
			"image registry.example.com/mirror/jenkins/jenkins tag=2.462.3-jdk17 core=2.462.3 @2:50-2:63\n" +
				"jenkins-plugin-cli @3:5\n" +
				"  pin oic-auth 4.421.v5422614eb_e0a_ @4:14-4:35\n", ""},
		{"the Jenkins image's JENKINS_HOME and REF",
			"FROM jenkins/jenkins:2.462.3-jdk17\nENV CASC_JENKINS_CONFIG=${JENKINS_HOME}/casc\nCOPY plugins.txt ${REF}/plugins.txt\nRUN jenkins-plugin-cli -f $REF/plugins.txt\n",
			"image jenkins/jenkins tag=2.462.3-jdk17 core=2.462.3 @1:22-1:35\n" +
				"jenkins-plugin-cli @4:5\n" +
				"  file /usr/share/jenkins/ref/plugins.txt @1:6-1:7\n" +
				"copy plugins.txt -> /usr/share/jenkins/ref/plugins.txt dir=false @3:1\n" +
				"casc /var/jenkins_home/casc @1:6-1:7\n", ""},
		{"not the Jenkins image: no core", "FROM myorg/jenkins:2.440.1\n", "image myorg/jenkins tag=2.440.1 core= @1:20-1:27\n", ""},
		{"unknown variables and command substitutions are skipped",
			"FROM jenkins/jenkins\nRUN jenkins-plugin-cli --plugins $(cat list) x:$V -f \"$FILE\"\n",
			"image jenkins/jenkins tag= core= @1:6-1:21\n" +
				"jenkins-plugin-cli @2:5\n", ""},
		{"a spec the installation manager fails on",
			"FROM jenkins/jenkins\nRUN jenkins-plugin-cli --plugins :1\n",
			"image jenkins/jenkins tag= core= @1:6-1:21\njenkins-plugin-cli @2:5\n",
			"2:34 plugin entry `:1` has no plugin ID before its ':'\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, errs := ParseDockerfile(source.NewFile("Dockerfile", []byte(tc.in)))
			if got := dockerString(d); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
			if got := errsString(errs); got != tc.errs {
				t.Errorf("errors:\n%s\nwant:\n%s", got, tc.errs)
			}
		})
	}
}

func TestCoreFromTag(t *testing.T) {
	for tag, want := range map[string]string{
		"2.452.3-jdk17": "2.452.3", "2.460": "2.460", "2.479.1-lts-jdk21": "2.479.1",
		"2.440.1-alpine-jdk21": "2.440.1", "lts": "", "latest": "", "jdk21": "", "lts-jdk21": "",
		"2": "", "2.x": "", "1.2.3.4": "", "": "",
	} {
		if got := CoreFromTag(tag); got != want {
			t.Errorf("CoreFromTag(%q) = %q, want %q", tag, got, want)
		}
	}
}

func TestNames(t *testing.T) {
	for p, want := range map[string]bool{
		"plugins.txt": true, "ci/plugins.txt": true, "ci/plugins-prod.txt": true, "Plugins.TXT": true,
		"plugins.yaml": true, "x/plugins.yml": true, "plugin.txt": false, "my-plugins.txt": false, "plugins.json": false,
	} {
		if got := IsPluginListName(p); got != want {
			t.Errorf("IsPluginListName(%q) = %v", p, got)
		}
	}
	for p, want := range map[string]bool{
		"Dockerfile": true, "docker/Dockerfile": true, "Dockerfile.jenkins": true, "controller.Dockerfile": true,
		"Containerfile": true, "dockerfile": true, "Dockerfile.dockerignore": false, "Dockerfiles": false, "README.md": false,
	} {
		if got := IsDockerfileName(p); got != want {
			t.Errorf("IsDockerfileName(%q) = %v", p, got)
		}
	}
}

func FuzzParseDockerfile(f *testing.F) {
	for _, s := range []string{
		"FROM jenkins/jenkins:2.452.3-lts-jdk17\nRUN jenkins-plugin-cli --plugins \\\n  # c\n  oic-auth:4.350.v347c3b_8b_9d95 matrix-auth:3.2.8\n",
		"ARG V=1\nFROM jenkins/jenkins:${V:-2.1}\nARG V\nENV CASC_JENKINS_CONFIG=/a,/b\nCOPY [\"a\", \"b/\"]\nRUN [\"sh\", \"-c\", \"jenkins-plugin-cli -p x:${V}\"]\n",
		"# escape=`\nFROM x AS y\nRUN <<-EOF\n\tjenkins-plugin-cli --plugins=a:1\n\tEOF\nFROM y\nRUN cat f | xargs -n 1 install-plugins.sh < g\n",
		"RUN echo ${A:+${B:-${C}}} $( ( ) \"\\\"\" 'x\nFROM\nENV\nCOPY\nWORKDIR ..\n",
		"FROM jenkins/jenkins\nRUN jenkins-plugin-cli --plugins \"a:\\u00e9\" -f=\"/p.txt\" --plugin-file=/q.txt && java -jar jenkins-plugin-manager.jar -p b:2\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		file := source.NewFile("Dockerfile", []byte(s))
		d, errs := ParseDockerfile(file)
		if d.Image.Pos.Line > 0 {
			checkPositions(t, file, "image", d.Image.Pos, d.Image.End)
		}
		for _, in := range d.Installs {
			checkPositions(t, file, "install", in.Pos, report.Position{})
			for _, p := range in.Pins {
				if p.ID == "" {
					t.Fatalf("pin without ID: %+v", p)
				}
				checkPositions(t, file, "pin "+p.ID, p.Pos, p.End)
			}
			for _, r := range in.Files {
				if r.Pos.Line > 0 {
					checkPositions(t, file, "file "+r.Path, r.Pos, r.End)
				}
			}
		}
		for _, c := range d.Copies {
			checkPositions(t, file, "copy", c.Pos, report.Position{})
			if !strings.HasPrefix(c.Dest, "/") {
				t.Fatalf("copy destination %q is not absolute", c.Dest)
			}
		}
		for _, r := range d.CascConfig {
			checkPositions(t, file, "casc "+r.Path, r.Pos, r.End)
		}
		for _, e := range errs {
			checkPositions(t, file, "error", e.Pos, report.Position{})
		}
	})
}

func TestParseDockerfileBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("FROM jenkins/jenkins\nENV A=x\n")
	for i := 0; i < 60; i++ {
		b.WriteString("ENV A=$A$A\n")
	}
	b.WriteString("RUN jenkins-plugin-cli --plugins a:$A\n")
	d, _ := ParseDockerfile(source.NewFile("Dockerfile", []byte(b.String())))
	if len(d.Installs) != 1 || len(d.Installs[0].Pins) != 0 {
		t.Errorf("a word doubled 60 times must be cut and skipped: %s", dockerString(d))
	}
}
