package rules

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// readmeRowRE is a row of the README's rule table: | `id` | severity | finds |.
var readmeRowRE = regexp.MustCompile("^\\| `([a-z0-9-]+)` \\| ([a-z]+) \\| ")

// TestReadmeRuleTable keeps the README's `## Rules` table and the rule list
// in step: one row per rule, none for an ID that is not one, each with the
// severity of the rule's page.
func TestReadmeRuleTable(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n## Rules\n")
	if !ok {
		t.Fatal("README.md has no ## Rules section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	rows := map[string]string{}
	for _, line := range strings.Split(section, "\n") {
		m := readmeRowRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if _, dup := rows[m[1]]; dup {
			t.Errorf("README.md: rule %s has two rows", m[1])
		}
		rows[m[1]] = m[2]
	}
	for _, r := range All() {
		sev, ok := rows[r.ID]
		if !ok {
			t.Errorf("README.md: the ## Rules table has no row for %s", r.ID)
			continue
		}
		if m, ok := r.Meta(); ok && m.Severity.String() != sev {
			t.Errorf("README.md: %s is %s in the table, %s on its page", r.ID, sev, m.Severity)
		}
	}
	for id := range rows {
		if !Known(id) {
			t.Errorf("README.md: the ## Rules table lists %s, which is no rule", id)
		}
	}
}
