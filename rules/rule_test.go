package rules

import (
	"bytes"
	"math/rand/v2"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/rules/internal/ruledoc"
)

// TestDocsMatchRegistry keeps the rule pages and the registry in
// step: every rule has a parseable page whose front matter is complete, and
// every page belongs to a registered rule.
func TestDocsMatchRegistry(t *testing.T) {
	docs := map[string]bool{}
	for _, id := range DocIDs() {
		docs[id] = true
	}
	for _, r := range All() {
		if !docs[r.ID] {
			t.Errorf("rule %s has no page rules/docs/%s.md", r.ID, r.ID)
			continue
		}
		m, ok := Meta(r.ID)
		if !ok {
			t.Errorf("rule %s: no metadata", r.ID)
			continue
		}
		if m.Description == "" || m.Help == "" || m.SecuritySeverity == "" || len(m.Tags) == 0 {
			t.Errorf("rule %s: incomplete metadata %+v", r.ID, m)
		}
		if !strings.HasSuffix(m.Summary, ".") || len(m.Summary) > 100 {
			t.Errorf("rule %s: summary must be one sentence of at most 100 characters: %q", r.ID, m.Summary)
		}
		for _, section := range []string{"## Why it matters", "## How to fix", "## Examples"} {
			if !strings.Contains(m.Help, section) {
				t.Errorf("rule %s: page lacks %q", r.ID, section)
			}
		}
	}
	for id := range docs {
		if !Known(id) && !notYetImplemented[id] {
			t.Errorf("rules/docs/%s.md documents no registered rule", id)
		}
	}
}

// notYetImplemented lists catalog rules whose pages exist but whose checks
// belong to issues still open; each entry goes when its rule is registered.
var notYetImplemented = map[string]bool{}

func TestNotYetImplementedIsCurrent(t *testing.T) {
	for id := range notYetImplemented {
		if Known(id) {
			t.Errorf("%s is registered now: remove it from notYetImplemented", id)
		}
	}
}

// TestDocsGenerated: docs_gen.go is what go generate makes of docs/*.md,
// every page parses, and the table holds what parsing the pages gives.
func TestDocsGenerated(t *testing.T) {
	metas, err := ruledoc.ParseDir(os.DirFS("."), InfoURI)
	if err != nil {
		t.Fatal(err)
	}
	want, err := ruledoc.Source(metas)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(ruledoc.File)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs from what docs/*.md give: run go generate ./rules", ruledoc.File)
	}
	if !reflect.DeepEqual(docMetas, metas) {
		t.Error("docMetas differs from the parsed pages")
	}
}

func TestIsPlaceholder(t *testing.T) {
	for _, v := range []string{"changeme", "CHANGE_ME", "<client-id>", "TODO", "xxx", "XXXXXXXX", "{{ client_id }}", "your-client-id", "***"} {
		if !IsPlaceholder(v, nil) {
			t.Errorf("IsPlaceholder(%q) = false", v)
		}
	}
	for _, v := range []string{"jenkins", "0oa1b2c3d4EXAMPLE", "1234567890-abc.apps.googleusercontent.com", "ci-xxx-prod"} {
		if IsPlaceholder(v, nil) {
			t.Errorf("IsPlaceholder(%q) = true", v)
		}
	}
	if !IsPlaceholder("dummy-value", []string{"DUMMY-VALUE"}) {
		t.Error("extra placeholders are not honoured")
	}
}

func TestCharDiff(t *testing.T) {
	for _, tt := range []struct{ got, want, diff string }{
		{"https://a.example/", "https://a.example", "https://a.example[-/-]"},
		{"https://A.example", "https://a.example", "https://[-A-]{+a+}.example"},
		{"http://a:8443/x", "https://a/x", "http{+s+}://a[-:8443-]/x"},
	} {
		if d := charDiff(tt.got, tt.want); d != tt.diff {
			t.Errorf("charDiff(%q, %q) = %q, want %q", tt.got, tt.want, d, tt.diff)
		}
	}
}

// TestAllSorted keeps all.go in ID order (the order the checks run in and
// the rule list shows) and every rule's ID in one value.
func TestAllSorted(t *testing.T) {
	for i := 1; i < len(all); i++ {
		if all[i-1].ID >= all[i].ID {
			t.Errorf("all.go: %s listed before %s: keep the list in ID order, each ID once", all[i-1].ID, all[i].ID)
		}
	}
	for _, r := range all {
		if !r.Engine && !HasCheck(r.ID) {
			t.Errorf("rule %s has no check and is not an engine rule", r.ID)
		}
	}
}

// placeholderRE is what IsPlaceholder matched as one regular expression;
// the written-out matcher must agree with it on every input.
var placeholderRE = regexp.MustCompile(`(?i)^(` +
	`change[-_ ]?me|changeit|todo|tbd|fixme|xxx+|x+|\*+|\.\.\.+|replace[-_ ]?me|` +
	`<[^<>]*>|\{\{[^{}]*\}\}|__[a-z0-9_]+__|` +
	`(your|my)[-_ ]?client[-_ ]?id|client[-_ ]?id[-_ ]?here|example|dummy|placeholder|none|null|undefined` +
	`)$`)

func TestIsPlaceholderIsTheRegexp(t *testing.T) {
	inputs := []string{"", "x", "X", "xXx", "xy", "*", "**", "..", "...", "....", ".", "<>", "<a>", "<a<b>", "<a>b>", "a<b>",
		"{{}}", "{{ x }}", "{{ {x} }}", "{{x}", "__a__", "____", "_____", "__A-B__", "__ab_", "changeme", "Change-Me",
		"change--me", "change_me", "change me", "changeme ", "chang", "replace_me", "YOUR-CLIENT-ID", "your client_id",
		"yourclientid", "my-client-id", "myclient-id", "client-id-here", "clientidhere", "client id  here", "none", "NULL",
		"Undefined", "example", "examples", "dummy1", "todo!", "tbd", "FIXME", "changeit", "placeholder", "\u212a", "x\n",
		"<client-id>", "ſ", "__ſ__", "{{ é }}", "<é>", "x x"}
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = "xX*.<>{}_-  aAcClLiIdDeEmMnNhHrRgGoOuUyY09\u212a\u017fé"
	runes := []rune(alphabet)
	for i := 0; i < 20000; i++ {
		n := rng.IntN(12)
		var b strings.Builder
		for j := 0; j < n; j++ {
			b.WriteRune(runes[rng.IntN(len(runes))])
		}
		inputs = append(inputs, b.String())
	}
	for _, w := range append(placeholderWords, "change me", "replace-me", "your_client_id", "my client id", "client_id_here") {
		inputs = append(inputs, w, strings.ToUpper(w), w+"x", "x"+w)
	}
	for _, v := range inputs {
		if got, want := isPlaceholder(v), placeholderRE.MatchString(v); got != want {
			t.Errorf("isPlaceholder(%q) = %v, the regexp says %v", v, got, want)
		}
	}
}

// FuzzIsPlaceholder: the written-out matcher and the regular expression it
// replaced agree on every input.
func FuzzIsPlaceholder(f *testing.F) {
	for _, s := range []string{"changeme", "<client-id>", "{{ x }}", "__X__", "...", "your_client_id", "\u212a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if got, want := isPlaceholder(v), placeholderRE.MatchString(v); got != want {
			t.Errorf("isPlaceholder(%q) = %v, the regexp says %v", v, got, want)
		}
	})
}
