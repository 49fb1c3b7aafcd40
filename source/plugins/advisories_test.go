package plugins

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestAdvisoryTable checks every row of advisories.json against itself:
// each range's lastVersion is affected, no fixed release is, and the
// fields have their shapes.
func TestAdvisoryTable(t *testing.T) {
	advs, err := Advisories()
	if err != nil {
		t.Fatal(err)
	}
	if len(advs) < 20 {
		t.Fatalf("only %d advisories", len(advs))
	}
	judged := map[string]bool{}
	for _, id := range Judged() {
		judged[id] = true
	}
	cve := regexp.MustCompile(`^CVE-\d{4}-\d{4,}$`)
	ids := map[string]bool{}
	prevDate := ""
	for _, a := range advs {
		if ids[a.ID] {
			t.Errorf("%s listed twice", a.ID)
		}
		ids[a.ID] = true
		if !judged[a.Plugin] {
			t.Errorf("%s: plugin %s is not judged", a.ID, a.Plugin)
		}
		if !strings.HasPrefix(a.URL, "https://www.jenkins.io/security/advisory/"+a.Date+"/") && !strings.HasPrefix(a.URL, "https://jenkins.io/security/advisory/"+a.Date+"/") {
			t.Errorf("%s: url %s does not match date %s", a.ID, a.URL, a.Date)
		}
		if a.Date < prevDate {
			t.Errorf("%s: not sorted by date", a.ID)
		}
		prevDate = a.Date
		for _, c := range a.CVE {
			if !cve.MatchString(c) {
				t.Errorf("%s: bad CVE %q", a.ID, c)
			}
		}
		if a.Fixed == "" {
			t.Errorf("%s: no fixed release", a.ID)
		}
		for _, f := range append([]string{a.Fixed}, a.FixedAlso...) {
			if f != "" && a.Affects(f) {
				t.Errorf("%s: fixed release %s is affected", a.ID, f)
			}
		}
		for _, r := range a.Versions {
			if r.LastVersion != "" && !a.Affects(r.LastVersion) {
				t.Errorf("%s: lastVersion %s is not affected", a.ID, r.LastVersion)
			}
		}
	}
}

func TestAffecting(t *testing.T) {
	for _, tc := range []struct{ id, version, want string }{
		{"oidc-provider", "96.vee8ed882ec4d", "SECURITY-3574"},
		{"oidc-provider", "111.v29fd614b_3617", ""},
		{"oic-auth", "4.350.v347c3b_8b_9d95", "SECURITY-3441-1 SECURITY-3441-2 SECURITY-3473 SECURITY-3461"},
		{"oic-auth", "4.438.440.v3f5f201de5dc", ""},
		{"oic-auth", "4.453.v4d7765c854f4", ""},
		{"oic-auth", "2.6", "SECURITY-2979 SECURITY-3168 SECURITY-3441-1 SECURITY-3441-2 SECURITY-3473 SECURITY-3461"},
		{"role-strategy", "587.v2872c41fa_e51", "SECURITY-3053"},
		{"role-strategy", "587.588.v850a_20a_30162", ""},
		{"matrix-auth", "3.2.8", "SECURITY-3676"},
		{"matrix-auth", "3.2.10", ""},
		{"credentials", "1380.va_435002fa_924", "SECURITY-3373"},
		{"credentials", "1371.1373.v4eb_fa_b_7161e9", ""},
		{"credentials", "2.6.1.1", "SECURITY-3373"},
		{"git", "1.0", ""},
	} {
		var got []string
		for _, a := range Affecting(tc.id, tc.version) {
			got = append(got, a.ID)
		}
		if s := strings.Join(got, " "); s != tc.want {
			t.Errorf("Affecting(%s, %s) = %q, want %q", tc.id, tc.version, s, tc.want)
		}
	}
}

func TestMergeWarnings(t *testing.T) {
	read := func(name string) []byte {
		b, err := os.ReadFile("testdata/advisories/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	judged := map[string]string{"oic-auth": "OpenId Connect Authentication", "credentials": "Credentials", "oidc-provider": "OpenID Connect Provider"}
	pages := map[string][]byte{"2022-04-12": read("2022-04-12.adoc"), "2024-10-02": read("2024-10-02.adoc")}
	out, missing, err := MergeWarnings(read("update-center.json"), read("previous.json"), pages, judged)
	if err != nil {
		t.Fatal(err)
	}
	var tbl AdvisoryTable
	if err := json.Unmarshal(out, &tbl); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range tbl.Advisories {
		got = append(got, strings.Join([]string{a.Date, a.ID, a.Plugin, a.Title, strings.Join(a.CVE, "+"), a.Fixed, strings.Join(a.FixedAlso, "+")}, " | "))
	}
	want := []string{
		"2022-04-12 | SECURITY-2617-credentials | credentials | Stored XSS vulnerability | CVE-2022-29036 | 1112.vc87b_7a_3597f6 | 1087.1089.v2f1b_9a_b_040e4+1074.1076.v39c30cecb_0e2+2.6.1.1",
		"2024-10-02 | SECURITY-3441-1 | oic-auth | Lack of audience claim validation | CVE-2024-47806 | 4.355.v3a_fb_fca_b_96d4 | ",
		"2025-05-14 | SECURITY-3574 | oidc-provider | Insufficient validation of claims | CVE-2025-47884 | 111.v29fd614b_3617 | ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if tbl.Comment != "kept" || len(tbl.Source) != 1 {
		t.Errorf("comment and source are not kept: %q %v", tbl.Comment, tbl.Source)
	}
	if len(missing) != 0 {
		t.Errorf("missing %v", missing)
	}
	// no pages: the new entries lack what only the pages say
	_, missing, err = MergeWarnings(read("update-center.json"), nil, nil, judged)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(missing, "; "); got != "SECURITY-2617-credentials: no fixed release, no CVE; SECURITY-3441-1: no fixed release, no CVE; SECURITY-3574: no fixed release, no CVE" {
		t.Errorf("missing = %s", got)
	}
	// a bare warnings array, and a broken pattern
	if _, _, err := MergeWarnings([]byte(`[{"id":"X","type":"plugin","name":"oic-auth","url":"u","versions":[{"pattern":"("}]}]`), nil, nil, judged); err == nil {
		t.Error("a pattern that does not compile must be an error")
	}
	if _, _, err := MergeWarnings([]byte(`{`), nil, nil, judged); err == nil {
		t.Error("broken JSON must be an error")
	}
}
