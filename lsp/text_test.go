package lsp

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestPositions(t *testing.T) {
	// "a😀é" : a (1 byte), 😀 (4 bytes, 2 UTF-16 units), é (2 bytes)
	tx := newText([]byte("first\r\na😀éb\nlast"))
	for _, tc := range []struct {
		line, col int
		enc       string
		want      position
	}{
		{2, 1, encUTF16, position{1, 0}},
		{2, 3, encUTF16, position{1, 3}},
		{2, 3, encUTF8, position{1, 5}},
		{2, 3, encUTF32, position{1, 2}},
		{2, 5, encUTF16, position{1, 5}},
		{2, 99, encUTF16, position{1, 5}}, // past the end: the line's end
		{1, 6, encUTF16, position{0, 5}},  // the \r is not counted
		{0, 0, encUTF16, position{0, 0}},  // the whole file
		{9, 1, encUTF16, position{2, 4}},  // past the last line
	} {
		if got := tx.fromRunes(tc.line, tc.col, tc.enc); got != tc.want {
			t.Errorf("fromRunes(%d, %d, %s) = %+v, want %+v", tc.line, tc.col, tc.enc, got, tc.want)
		}
	}
	for _, tc := range []struct {
		off  int
		enc  string
		want position
	}{
		{0, encUTF16, position{0, 0}},
		{7, encUTF16, position{1, 0}},
		{8, encUTF16, position{1, 1}},
		{12, encUTF16, position{1, 3}},
		{12, encUTF8, position{1, 5}},
		{6, encUTF16, position{0, 5}}, // the \n after \r
		{100, encUTF16, position{2, 4}},
	} {
		if got := tx.fromOffset(tc.off, tc.enc); got != tc.want {
			t.Errorf("fromOffset(%d, %s) = %+v, want %+v", tc.off, tc.enc, got, tc.want)
		}
	}
}

func TestEncodingChoice(t *testing.T) {
	for _, tc := range []struct {
		offered []string
		want    string
	}{{nil, encUTF16}, {[]string{"utf-8"}, encUTF8}, {[]string{"utf-16", "utf-32"}, encUTF32}, {[]string{"latin-1"}, encUTF16}} {
		if got := chooseEncoding(tc.offered); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.offered, got, tc.want)
		}
	}
}

func TestURIs(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX paths")
	}
	for _, p := range []string{"/tmp/a b/jenkins.yaml", "/tmp/ü%/#x.yaml", "/"} {
		u := pathToURI(p)
		if got := uriToPath(u); got != filepath.Clean(p) {
			t.Errorf("%q → %q → %q", p, u, got)
		}
	}
	if got := pathToURI("/tmp/a b/c#d"); got != "file:///tmp/a%20b/c%23d" {
		t.Errorf("URI %q", got)
	}
	if uriToPath("untitled:Untitled-1") != "" || uriToPath("file:///tmp/%61.yaml") != "/tmp/a.yaml" {
		t.Error("untitled or escaped URIs")
	}
	if !within("/a/b", "/a/b/c") || within("/a/b", "/a/bc") || !within("/a/b", "/a/b") || within("/a/b", "/a") {
		t.Error("within")
	}
}

func TestIgnoreEdit(t *testing.T) {
	apply := func(src string, e *fixEdit) string {
		if e == nil {
			return "<none>"
		}
		return applyEdits(t, src, e.edits, encUTF16)
	}
	for _, tc := range []struct {
		name, src string
		line      int
		marker    string
		want      string
	}{
		{"yaml", "a:\n  b: true\n", 2, "#", "a:\n  # jenkins-oidc-lint: ignore[r] " + ignoreReason + "\n  b: true\n"},
		{"crlf", "a:\r\n\tb: true\r\n", 2, "#", "a:\r\n\t# jenkins-oidc-lint: ignore[r] " + ignoreReason + "\r\n\tb: true\r\n"},
		{"first line", "b: true\n", 1, "#", "# jenkins-oidc-lint: ignore[r] " + ignoreReason + "\nb: true\n"},
		{"add to the comment above", "a:\n  # jenkins-oidc-lint: ignore[x] why\n  b: true\n", 3, "#", "a:\n  # jenkins-oidc-lint: ignore[x,r] why\n  b: true\n"},
		{"already listed above", "  # jenkins-oidc-lint: ignore[r] why\n  b: true\n", 2, "#", "<none>"},
		{"a comment line", "a:\n  # b\n", 2, "#", "<none>"},
		{"json", "{\"a\": 1}\n", 1, "", "<none>"},
		{"folded block", "a: >\n  b: true\n  c: 1\n", 3, "#", "<none>"},
		{"literal block", "a: |\n  b: true\n  c: 1\n", 3, "#", "a: |\n  b: true\n  # jenkins-oidc-lint: ignore[r] " + ignoreReason + "\n  c: 1\n"},
		{"groovy", "node {\n    sh 'curl -k x'\n}\n", 2, "//", "node {\n    // jenkins-oidc-lint: ignore[r] " + ignoreReason + "\n    sh 'curl -k x'\n}\n"},
		{"inside a groovy string", "node {\n    sh '''\n        curl -k x\n    '''\n}\n", 3, "//", "<none>"},
		{"inside a groovy comment", "/*\n curl -k\n*/\n", 2, "//", "<none>"},
	} {
		got := apply(tc.src, ignoreEdit(newText([]byte(tc.src)), tc.line, "r", tc.marker, encUTF16))
		if got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

func TestCommentMarker(t *testing.T) {
	for _, tc := range []struct{ path, lang, data, want string }{
		{"casc/jenkins.yaml", "yaml", "jenkins:", "#"},
		{"Jenkinsfile", "", "pipeline {", "//"},
		{"vars/deploy.groovy", "", "def call() {}", "//"},
		{"ci/deploy-pipeline", "", "pipeline {\n agent any\n}\n", "//"},
		{"idp.openid-configuration.json", "", "{}", ""},
		{"openid-configuration", "", "{\"issuer\": \"x\"}", ""},
		{"plugins.txt", "", "oic-auth:4.600", "#"},
		{"Dockerfile", "dockerfile", "FROM jenkins/jenkins", "#"},
		{"main.tf", "terraform", "resource", "#"},
	} {
		if got := commentMarker(tc.path, tc.lang, []byte(tc.data)); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.path, got, tc.want)
		}
	}
	if strings.Contains(ignoreReason, "]") {
		t.Error("the reason would end the rule list")
	}
}
