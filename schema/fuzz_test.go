package schema

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/rulecase"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/discovery"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// checkPositions requires every finding to point into the file.
func checkPositions(t *testing.T, f *source.File, fs []report.Finding) {
	t.Helper()
	if strings.Contains(strings.ReplaceAll(string(f.Data), "\r\n", ""), "\r") {
		// yaml.v3 counts a lone \r as a line break and source.File does
		// not, so their line numbers differ (an upstream limitation).
		return
	}
	for _, fi := range fs {
		if fi.Pos.Line < 1 || fi.Pos.Line > f.LineCount() || fi.Pos.Col < 1 {
			t.Fatalf("finding outside the file: %+v", fi)
		}
		if fi.End.Line < fi.Pos.Line || (fi.End.Line == fi.Pos.Line && fi.End.Col < fi.Pos.Col) {
			t.Fatalf("end before start: %+v", fi)
		}
		if fi.Message == "" || !utf8.ValidString(fi.Message) {
			t.Fatalf("bad message: %+v", fi)
		}
	}
}

// FuzzCheckRealm checks random JCasC documents: no panic, positions in the
// file, and the same verdict as CUE.
func FuzzCheckRealm(f *testing.F) {
	for _, tc := range realmCases {
		f.Add(tc.src)
	}
	f.Add("jenkins:\n  securityRealm:\n    oic: &a\n      <<: *a\n")
	f.Add("jenkins: {securityRealm: {oic: {properties: [{escapeHatch: [1, {}]}], serverConfiguration: {manual: ~}}}}")
	c := Default()
	f.Fuzz(func(t *testing.T, src string) {
		file, root := fuzzYAML(src)
		if root == nil {
			return
		}
		k, v := tree.Get(tree.Lookup(root, "jenkins", "securityRealm"), "oic")
		if k == nil {
			k, v = nil, root // check the whole document as a realm
		}
		fs := c.CheckRealm(file, k, v)
		checkPositions(t, file, fs)
		referenceCheck(t, c, file, v, false)
	})
}

// FuzzCheckDiscovery checks random metadata documents the same way.
func FuzzCheckDiscovery(f *testing.F) {
	files, _ := filepath.Glob("testdata/discovery/*.json")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(string(data))
		}
	}
	f.Add(`{"issuer": null, "jwks_uri": [], "response_types_supported": [[]], "issuer": 1}`)
	c := Default()
	f.Fuzz(func(t *testing.T, src string) {
		file := source.NewFile("fuzz.json", []byte(src))
		root, ferr := discovery.ParseJSON(file)
		if ferr != nil {
			return
		}
		fs := c.CheckDiscovery(file, root)
		checkPositions(t, file, fs)
		referenceCheck(t, c, file, root, true)
	})
}

// TestConcurrent runs the checker from many goroutines (run with -race).
func TestConcurrent(t *testing.T) {
	c := Default()
	type job struct {
		file *source.File
		key  *yaml.Node
		node *yaml.Node
		disc bool
		want string
	}
	var jobs []job
	for _, tc := range realmCases {
		f, k, v := parseRealm(t, "jenkins.yaml", tc.src)
		jobs = append(jobs, job{f, k, v, false, strings.Join(formatFindings(c.CheckRealm(f, k, v)), "\n")})
	}
	files, _ := filepath.Glob("testdata/discovery/*.json")
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f := source.NewFile(p, data)
		root, ferr := discovery.ParseJSON(f)
		if ferr != nil {
			t.Fatal(ferr)
		}
		jobs = append(jobs, job{f, nil, root, true, strings.Join(formatFindings(c.CheckDiscovery(f, root)), "\n")})
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				for _, j := range jobs {
					var fs []report.Finding
					if j.disc {
						fs = c.CheckDiscovery(j.file, j.node)
					} else {
						fs = c.CheckRealm(j.file, j.key, j.node)
					}
					if got := strings.Join(formatFindings(fs), "\n"); got != j.want {
						t.Errorf("concurrent run differs for %s", j.file.Path)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

// FuzzCheckBlocks checks random credentials lists and authorization
// strategies: no panic, every finding inside the file, and the same verdict
// as CUE.
func FuzzCheckBlocks(f *testing.F) {
	cases, _ := rulecase.Glob("../testdata/rules")
	for _, p := range cases {
		if c, err := rulecase.Read(p); err == nil {
			for _, file := range c.Files {
				if strings.HasSuffix(file.Name, ".yaml") {
					f.Add(string(file.Data))
				}
			}
		}
	}
	for _, pat := range []string{"../testdata/examples/*/*.yaml"} {
		paths, _ := filepath.Glob(pat)
		for _, p := range paths {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(string(data))
			}
		}
	}
	f.Add("credentials:\n  system:\n    domainCredentials:\n      - credentials:\n          - usernamePassword: {scope: GLOBL, id: a, usernme: u}\n          - idToken: {audiance: x}\n          - gitHubApp: {appID: 1}\n")
	f.Add("jenkins:\n  authorizationStrategy:\n    roleBased:\n      roles:\n        global:\n          - name: a\n            entries: [{gruop: x}, {user: y}]\n")
	f.Add("jenkins:\n  authorizationStrategy:\n    globalMatrix:\n      entries:\n        - group: {name: a, permisions: [x]}\n        - grp: 1\n      permissions: [1, [2]]\n")
	f.Add("credentials: {system: {domainCredentials: [{credentials: [&a {string: *a}, [1], ~, {file: {secretBytes: [x]}}]}]}}")
	c := Default()
	f.Fuzz(func(t *testing.T, src string) {
		file, root := fuzzYAML(src)
		if root == nil {
			return
		}
		for _, item := range jcasc.CredentialItems(root) {
			checkPositions(t, file, c.CheckCredential(file, item))
			if item = tree.Resolve(item); item != nil && item.Kind == yaml.MappingNode {
				referenceCheckDef(t, c, file, item, credentialDef, c.s.cred, yamlWords)
			}
		}
		if k, v := jcasc.AuthorizationStrategy(root); k != nil {
			checkPositions(t, file, c.CheckAuthorization(file, k, v))
			switch k.Value {
			case "roleBased":
				referenceCheckDef(t, c, file, v, roleBasedDef, c.s.roleBased, yamlWords)
			case "globalMatrix", "projectMatrix":
				referenceCheckDef(t, c, file, v, matrixDef, c.s.matrix, yamlWords)
			}
		}
	})
}

// fuzzYAML parses a fuzz input as YAML: the file and its first document, or
// a nil document when it does not parse.
func fuzzYAML(src string) (*source.File, *yaml.Node) {
	file := source.NewFile("fuzz.yaml", []byte(src))
	docs, ferr := tree.ParseYAML(file)
	if ferr != nil || len(docs) == 0 {
		return file, nil
	}
	return file, docs[0]
}
