package schema

import "testing"

func TestSchemaPath(t *testing.T) {
	for in, want := range map[string]string{
		"":                              "",
		"properties[2].escapeHatch":     "properties[].escapeHatch",
		"a[10][3].b":                    "a[][].b",
		"a[x].b[":                       "a[x].b[",
		"a[]":                           "a[]",
		"serverConfiguration.manual[7]": "serverConfiguration.manual[]",
	} {
		if got := schemaPath(in); got != want {
			t.Errorf("schemaPath(%q) = %q, want %q", in, got, want)
		}
	}
}
