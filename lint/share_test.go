package lint

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/rulecase"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/discovery"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
)

// whole and everyFile are share settings for tests: never share, and share
// every run, one controller to a share.
var (
	whole     = shareSettings{on: true, filesAbove: 1 << 30}
	everyFile = shareSettings{on: true, filesAbove: 0, bytes: 1}
)

// renderRun lints paths with the given share settings and writes the
// report in the json and text formats (findings, fixes, fingerprints,
// errors, notes, masked source lines).
func renderRun(t *testing.T, paths []string, share shareSettings) string {
	t.Helper()
	rep, err := Run(Options{Paths: paths, Jobs: 2, share: share})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for _, format := range []string{"json", "text"} {
		if err := report.Write(&b, format, rep, report.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

// TestSharesSameReport checks that a run checked in shares (share.go)
// reports what the same run checked whole does, byte for byte: on every
// rule case and embedded case, and on all of them at once, a tree of many
// controllers where credentials, pipelines, trusts, plugin lists, Helm
// values and provider metadata lie side by side.
func TestSharesSameReport(t *testing.T) {
	tmp := t.TempDir()
	rulesDir := filepath.Join(tmp, "rules")
	cases, err := rulecase.Materialize("../testdata/rules", rulesDir)
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := filepath.Glob("../testdata/embedded/*")
	if err != nil {
		t.Fatal(err)
	}
	// one controller without credentials and with two realms: a run the
	// rules must see whole (static-cloud-credential advises the run's one
	// controller on the key a pipeline binds)
	oneController := writeTree(t, map[string]string{
		"Jenkinsfile":       "pipeline {\n  agent any\n  stages {\n    stage('deploy') {\n      steps {\n        withAWS(credentials: 'aws-prod', region: 'eu-west-1') {\n          sh 'aws s3 ls'\n        }\n      }\n    }\n  }\n}\n",
		"casc/jenkins.yaml": "unclassified:\n  location:\n    url: https://jenkins.acme.com/\n" + shareRealm,
		"casc/other.yaml":   shareRealm,
	})
	trees := append(append(cases, embedded...), rulesDir, "../testdata/embedded", "../testdata/corpus/everyday", "../testdata/examples", oneController)
	for _, dir := range trees {
		want := renderRun(t, []string{dir}, whole)
		for _, share := range []shareSettings{everyFile, {on: true, filesAbove: 0, bytes: 64 << 10}} {
			if got := renderRun(t, []string{dir}, share); got != want {
				t.Errorf("%s in shares of %d bytes: the report differs from the whole run's:\n%s", dir, share.bytes, firstDiff(want, got))
			}
		}
	}
}

// firstDiff shows the first line where two texts differ.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(la) && i < len(lb); i++ {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d:\nwhole:  %s\nshares: %s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("one has %d lines, the other %d", len(la), len(lb))
}

const (
	shareRealm = "jenkins:\n  securityRealm:\n    oic:\n      clientId: \"jenkins\"\n      wellKnownOpenIDConfigurationUrl: \"https://sso.example.com/.well-known/openid-configuration\"\n"
	shareAuthz = "jenkins:\n  authorizationStrategy:\n    globalMatrix:\n      entries:\n        - group:\n            name: \"authenticated\"\n            permissions: [\"Overall/Read\"]\n"
	shareCreds = "credentials:\n  system:\n    domainCredentials:\n      - credentials:\n          - string:\n              id: \"deploy-token\"\n              secret: \"${DEPLOY_TOKEN}\"\n"
	shareAudit = "unclassified:\n  audit-trail:\n    loggers:\n      - console: {}\n"
)

// TestSharePlan checks how a run is divided: the controllers that define
// credentials in the primary share, the others a share's worth of text at
// a time, and the runs that must be checked whole (a single realm, an
// audit trail outside a realm's controller) as one share.
func TestSharePlan(t *testing.T) {
	plan := func(t *testing.T, files map[string]string, bytes int) []share {
		dir := writeTree(t, files)
		l := Load(Options{Paths: []string{dir}, Jobs: 2, share: shareSettings{on: true, bytes: bytes}})
		if l.shared == nil {
			t.Fatal("the run was not checked in shares")
		}
		return l.planShares(shareSettings{on: true, bytes: bytes})
	}
	ctls := func(sh share) string {
		var out []string
		for c := range sh.ctls {
			out = append(out, filepath.Base(c))
		}
		sort.Strings(out)
		return fmt.Sprint(len(out), " ", strings.Join(out, ","), " files ", len(sh.files))
	}
	t.Run("credentials in the primary share", func(t *testing.T) {
		got := plan(t, map[string]string{
			"a/realm.yaml": shareRealm, "a/authz.yaml": shareAuthz,
			"b/realm.yaml": shareRealm, "b/creds.yaml": shareCreds,
			"c/realm.yaml": shareRealm,
		}, 1)
		if len(got) != 3 || !got[0].primary || got[0].whole || got[1].primary {
			t.Fatalf("got %d shares, want the primary one and two others: %+v", len(got), got)
		}
		// the file that defines credentials keeps its views: only its
		// controller's other file is read again
		for i, want := range []string{"1 b files 1", "1 a files 2", "1 c files 1"} {
			if g := ctls(got[i]); g != want {
				t.Errorf("share %d: %s, want %s", i, g, want)
			}
		}
	})
	t.Run("packed by size", func(t *testing.T) {
		got := plan(t, map[string]string{"a/r.yaml": shareRealm, "b/r.yaml": shareRealm, "c/r.yaml": shareRealm, "d/creds.yaml": shareCreds}, 1<<20)
		if len(got) != 2 || ctls(got[0]) != "1 d files 0" || ctls(got[1]) != "3 a,b,c files 3" {
			t.Errorf("got %d shares (%+v), want the primary one and one of the other three controllers", len(got), got)
		}
	})
	t.Run("one share of controllers: whole", func(t *testing.T) {
		// static-cloud-credential advises the run's controller when it
		// has one: a share must not be taken for the run
		got := plan(t, map[string]string{"a/r.yaml": shareRealm, "a/r2.yaml": shareRealm}, 1)
		if len(got) != 1 || !got[0].whole || !got[0].primary || ctls(got[0]) != "1 a files 2" {
			t.Errorf("got %+v, want one whole share", got)
		}
	})
	t.Run("one realm: whole", func(t *testing.T) {
		got := plan(t, map[string]string{"a/r.yaml": shareRealm, "b/authz.yaml": shareAuthz}, 1)
		if len(got) != 1 || !got[0].whole || ctls(got[0]) != "2 a,b files 2" {
			t.Errorf("got %+v, want one whole share", got)
		}
	})
	t.Run("shared audit trail: whole", func(t *testing.T) {
		got := plan(t, map[string]string{"a/r.yaml": shareRealm, "b/r.yaml": shareRealm, "common/audit.yaml": shareAudit}, 1)
		if len(got) != 1 || !got[0].whole {
			t.Errorf("got %+v, want one whole share", got)
		}
	})
}

// TestShareFileChanged: a file whose views the loader let go and that
// changed before its share read it again is an error naming it (exit 2),
// not findings from two different texts.
func TestShareFileChanged(t *testing.T) {
	dir := writeTree(t, map[string]string{"jenkins.yaml": shareRealm})
	p := filepath.Join(dir, "jenkins.yaml")
	c := source.Candidate{Path: filepath.ToSlash(p), OSPath: p}
	opts := Options{MaxFileSize: DefaultMaxFileSize}
	r := parseOne(c, opts, func(string) bool { return true })
	dropViews(c, &r)
	if r.views == nil || r.jcasc != nil || r.dropped == nil {
		t.Fatalf("the loader kept the views or the text: views %v, docs %d, text dropped %v", r.views, len(r.jcasc), r.dropped != nil)
	}
	if again := readAgain(r.views, opts); again.err != nil || len(again.docs) != 1 || again.docs[0].Realm == nil {
		t.Fatalf("read again: %+v", again)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(shareRealm, `"jenkins"`, `"jenkins2"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	again := readAgain(r.views, opts)
	if again.err == nil || again.err.Pos.Path != c.Path || !strings.Contains(again.err.Message, "changed while it was being checked") {
		t.Errorf("a changed file read again: %+v, want an error naming it", again.err)
	}
	// a file that no longer parses is not parsed: its new text (here a
	// secret in a quote that never closes) reaches no message
	if err := os.WriteFile(p, []byte("jenkins:\n  clientSecret: \"Zq8vW2nR5tY7uI9oP1aS3dF\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	again = readAgain(r.views, opts)
	if again.err == nil || !strings.Contains(again.err.Message, "changed while it was being checked") || strings.Contains(again.err.Message, "Zq8v") {
		t.Errorf("a changed file that no longer parses: %+v, want the changed-file error", again.err)
	}
}

// realmCounter is an Online checker that counts the realms it is given.
type realmCounter struct{ n int }

func (c *realmCounter) Check(_ context.Context, realms []*jcasc.Realm) ([]*discovery.Metadata, []report.Finding) {
	c.n = len(realms)
	return nil, nil
}

func (c *realmCounter) DiscoveryURL(*jcasc.Realm) string { return "" }

// TestSharesOnline: --online checks every realm's provider before the
// rules run, so a run with it keeps every realm (is never shared).
func TestSharesOnline(t *testing.T) {
	dir := writeTree(t, map[string]string{"a/r.yaml": shareRealm, "b/r.yaml": shareRealm, "c/r.yaml": shareRealm})
	online := &realmCounter{}
	if _, err := Run(Options{Paths: []string{dir}, Online: online, share: everyFile}); err != nil {
		t.Fatal(err)
	}
	if online.n != 3 {
		t.Errorf("--online was given %d realms, want 3", online.n)
	}
}
