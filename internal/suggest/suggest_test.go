package suggest

import "testing"

func TestClosest(t *testing.T) {
	keys := []string{"Agent/Build", "Agent/ExtendedRead", "wellKnownOpenIDConfigurationUrl", "clientId", "clientSecret", "client_secret_basic", "client_secret_post", "pkce-disabled", "Job/Build", "Overall/Administer"}
	for _, tt := range []struct{ in, want string }{
		{"wellKnownOpenIDConfigurationURL", "wellKnownOpenIDConfigurationUrl"}, // case
		{"clientID", "clientId"},
		{"clientSecert", "clientSecret"},
		{"basic", "client_secret_basic"}, // the distinctive part of one candidate
		{"pkce-disable", "pkce-disabled"},
		{"Job/Biuld", "Job/Build"},
		{"Overall/Administrator", "Overall/Administer"},
		{"secret", ""}, // in several candidates, and far from each
		{"somethingElse", ""},
		{"", ""},
	} {
		if got := Closest(tt.in, keys); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"kitten", "sitting", 3}, {"é", "e", 1}, {"abc", "abc", 0}} {
		if d := Distance(tt.a, tt.b); d != tt.d {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, d, tt.d)
		}
	}
}

func TestWithinAgreesWithDistance(t *testing.T) {
	words := []string{"", "a", "ab", "kitten", "sitting", "pkce-disabled", "pkce-disable", "deploy-token", "deploy-tokens", "github-ci", "gitlab-ci", "é", "e"}
	for _, a := range words {
		for _, b := range words {
			d := Distance(a, b)
			for bound := 1; bound <= 6; bound++ {
				want := min(d, bound)
				if got := within(a, b, bound); got != want {
					t.Errorf("within(%q, %q, %d) = %d, want %d", a, b, bound, got, want)
				}
			}
		}
	}
}
