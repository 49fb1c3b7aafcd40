package secrets

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// expand replaces every {N CLASS} of a sample with N random bytes of CLASS
// (all its character classes present, random enough, no xxxx or example,
// unless CLASS is a single byte).
func (g *gen) expand(t *testing.T, s string) string {
	t.Helper()
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		sp := strings.IndexByte(s[i:], ' ')
		end := strings.IndexByte(s[i:], '}')
		n, err := strconv.Atoi(s[i+1 : i+max(sp, 1)])
		if sp < 0 || end < sp || err != nil {
			// a brace of the text itself: ${VAR}, JSON
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		set, err := parseClass(s[i+sp+1 : i+end])
		if err != nil {
			t.Fatalf("sample %q: %v", s, err)
		}
		var chars []byte
		for c := range set {
			if set[c] {
				chars = append(chars, byte(c))
			}
		}
		b.WriteString(s[:i])
		b.WriteString(g.random(n, string(chars)))
		s = s[i+end+1:]
	}
}

func (g *gen) random(n int, set string) string {
	if len(set) == 1 {
		return strings.Repeat(set, n)
	}
	minH := 0.0
	switch {
	case n >= 16:
		minH = 3.5
	case n >= 6:
		minH = 2.5
	}
	minH = min(minH, 0.85*math.Log2(float64(len(set))))
	want := classes(set)
	for {
		s := g.str(n, set)
		if classes(s) == want && entropy(s) >= minH && !containsFold(s, "xxxx") && !containsFold(s, "example") {
			return s
		}
	}
}

// TestFormats runs every row's samples: each true sample gives exactly its
// marked matches, of the row's kind (or the marked one), redacted to the
// row's public prefix; no false sample gives a match of the row's kind.
func TestFormats(t *testing.T) {
	for i := range formats {
		f := &formats[i]
		t.Run(f.Name, func(t *testing.T) {
			if len(f.True) == 0 || len(f.False) == 0 {
				t.Fatalf("%d true and %d false samples: each row needs both", len(f.True), len(f.False))
			}
			g := newGen(uint64(i) + 1)
			for _, sample := range f.True {
				text := g.expand(t, sample)
				if !strings.Contains(text, openMark) {
					text = openMark + text + closeMark
				}
				data, want := unmark(t, text, f.Kind)
				got := Scan(data)
				if len(got) != len(want) {
					t.Errorf("sample %q: got %d matches, want %d in %q: %s", sample, len(got), len(want), data, describe(data, got))
					continue
				}
				for k, w := range want {
					m := got[k]
					if m.Start != w.s || m.End != w.e || m.Kind != w.kind || m.Description != Describe(w.kind) {
						t.Errorf("sample %q: got %s [%d,%d) %q, want %s [%d,%d) %q", sample, m.Kind, m.Start, m.End,
							data[m.Start:m.End], w.kind, w.s, w.e, data[w.s:w.e])
					}
					if m.Kind != f.Kind {
						continue
					}
					secret := string(data[m.Start:m.End])
					redacted := "REDACTED"
					for _, p := range f.Public {
						if strings.HasPrefix(secret, p) {
							redacted = p[:min(4, len(p))] + "…"
						}
					}
					if r := Redact(secret); r != redacted {
						t.Errorf("sample %q: Redact gives %q, want %q", sample, r, redacted)
					}
				}
			}
			for _, sample := range f.False {
				data := []byte(g.expand(t, sample))
				for _, m := range Scan(data) {
					if m.Kind == f.Kind {
						t.Errorf("false sample %q: found %s %q in %q", sample, m.Kind, data[m.Start:m.End], data)
					}
				}
			}
		})
	}
}

// TestFormatsTable: the table compiles, its kinds are the package's, every
// public prefix is shown by Redact, and compileFormats refuses ambiguous or
// broken rows.
func TestFormatsTable(t *testing.T) {
	if _, err := compileFormats(formats); err != nil {
		t.Fatal(err)
	}
	for _, f := range defaultTable().rows {
		if Describe(f.Kind) == "" {
			t.Errorf("%s: kind %q has no description", f.Name, f.Kind)
		}
	}
	for _, f := range defaultTable().rows {
		if f.In == anywhere {
			for _, p := range f.Prefixes {
				k := strings.IndexAny(p, baseAnchors)
				if k < 0 {
					t.Errorf("%s: prefix %q holds no anchor byte (%s): it adds one to the scan", f.Name, p, baseAnchors)
				}
			}
		}
	}
	row := func(name string, prefixes ...string) format {
		return format{Name: name, Kind: KindGitHubPAT, Prefixes: prefixes, Alphabet: "a-z", Min: 4, Max: 4}
	}
	for _, tc := range []struct {
		name string
		rows []format
		err  string
	}{
		{"same prefix", []format{row("a", "ab_"), row("b", "ab_")}, `both claim "ab_"`},
		{"same prefix in a row", []format{row("a", "ab_", "ab_")}, `both claim "ab_"`},
		{"crossing spans", []format{row("a", "xab_"), row("b", "ab_c")}, "different spans"},
		{"crossing at A", []format{row("a", "zA"), row("b", "AB")}, "different spans"},
		{"unknown kind", []format{{Name: "n", Kind: "nope", Prefixes: []string{"n_"}, Alphabet: "a", Min: 1}}, "unknown"},
		{"no alphabet", []format{{Name: "n", Kind: KindNPMToken, Prefixes: []string{"n_"}, Min: 1}}, "no alphabet"},
		{"bad class", []format{{Name: "n", Kind: KindNPMToken, Prefixes: []string{"n_"}, Alphabet: "z-a", Min: 1}}, "range"},
		{"short prefix", []format{row("a", "_")}, "two bytes"},
		{"no prefix", []format{row("a")}, "no prefix"},
		{"length", []format{{Name: "n", Kind: KindNPMToken, Prefixes: []string{"n_"}, Alphabet: "a", Min: 5, Max: 4}}, "length"},
		{"public", []format{{Name: "n", Kind: KindNPMToken, Prefixes: []string{"n_"}, Public: []string{"m_"}, Alphabet: "a", Min: 1}}, "starts none"},
	} {
		_, err := compileFormats(append(tc.rows, formats...))
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: error %v, want one with %q", tc.name, err, tc.err)
		}
	}
	// One prefix holding another is not ambiguous: the longer decides.
	if _, err := compileFormats(append([]format{row("a", "xab_"), row("b", "ab_")}, formats...)); err != nil {
		t.Errorf("nested prefixes: %v", err)
	}
	for _, p := range redactPrefixes() {
		if r := Redact(p + "Zq9"); r != p[:min(4, len(p))]+"…" {
			t.Errorf("Redact of a %q token = %q", p, r)
		}
	}
}

// The worked example of the package documentation: a Hugging Face access
// token is one row; nothing else changes.
func TestAddingAFormat(t *testing.T) {
	huggingFace := format{
		Name: "Hugging Face access token", Kind: "huggingface-token", Description: "Hugging Face access token",
		Prefixes: []string{"hf_"}, Public: []string{"hf_"},
		Alphabet: "A-Za-z", Min: 34, Max: 34, Entropy: 3,
		True:  []string{"HF_TOKEN=⟦hf_{34 A-Za-z}⟧\n"},
		False: []string{"hf_{33 A-Za-z}", "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
	}
	tab, err := compileFormats(append([]format{huggingFace}, formats...))
	if err != nil {
		t.Fatal(err)
	}
	g := newGen(1)
	data, want := unmark(t, g.expand(t, huggingFace.True[0]), huggingFace.Kind)
	got := scan(data, tab)
	if len(got) != 1 || got[0].Start != want[0].s || got[0].End != want[0].e || got[0].Kind != "huggingface-token" ||
		got[0].Description != "Hugging Face access token" {
		t.Errorf("got %s", describe(data, got))
	}
	for _, s := range huggingFace.False {
		data := []byte(g.expand(t, s))
		if got := scan(data, tab); len(got) != 0 {
			t.Errorf("%q: got %s", data, describe(data, got))
		}
	}
	// A prefix without an anchor byte adds its last byte to the scan's.
	sendGrid := format{
		Name: "SendGrid API key", Kind: "sendgrid-api-key", Description: "SendGrid API key",
		Prefixes: []string{"SG."}, Alphabet: "A-Za-z0-9_.-", Min: 66, Max: 66, Entropy: 3,
	}
	tab, err = compileFormats(append([]format{sendGrid}, formats...))
	if err != nil {
		t.Fatal(err)
	}
	key := "SG." + g.random(22, b64url[:62]) + "." + g.random(43, b64url[:62])
	if got := scan([]byte("key: "+key+"\n"), tab); len(got) != 1 || got[0].Kind != "sendgrid-api-key" {
		t.Errorf("SendGrid: got %v", got)
	}
	if tab.anchor['.'] == 0 || defaultTable().anchor['.'] != 0 {
		t.Error("the SendGrid table does not stop at '.', or the default one does")
	}
}
