package plugins

import "testing"

func TestCompare(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"4.668.v2c5ff8ec1a_43", "4.494.v6b_f419104767", 1},
		{"96.vee8ed882ec4d", "111.v29fd614b_3617", -1},
		{"2.3", "2.3.1", -1},
		{"2.3.1", "2.3.1", 0},
		{"1.0.1", "1.0-beta", 1},
		{"4.355.v3a_fb_fca_b_96d4", "4.355.v3a_fb_fca_b_96d4", 0},
		{"10.0", "9.9", 1},
	} {
		if got := Compare(tc.a, tc.b); got != tc.want {
			t.Errorf("Compare(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := Compare(tc.b, tc.a); got != -tc.want {
			t.Errorf("Compare(%q, %q) = %d, want %d", tc.b, tc.a, got, -tc.want)
		}
	}
}

func TestSetVersion(t *testing.T) {
	s := &Set{Pins: map[string]Pin{
		"oic-auth":      {ID: "oic-auth", Version: "4.668.v2c5ff8ec1a_43"},
		"role-strategy": {ID: "role-strategy", Version: "latest"},
	}}
	if p, ok := s.Version("oic-auth"); !ok || p.Version != "4.668.v2c5ff8ec1a_43" {
		t.Errorf("oic-auth: %v %v", p, ok)
	}
	if _, ok := s.Version("role-strategy"); ok {
		t.Error("latest is not a pinned release")
	}
	if _, ok := s.Version("matrix-auth"); ok {
		t.Error("an unlisted plugin has no version")
	}
	var none *Set
	if _, ok := none.Version("oic-auth"); ok {
		t.Error("a nil set pins nothing")
	}
}
