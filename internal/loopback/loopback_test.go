package loopback

import "testing"

func TestHost(t *testing.T) {
	for _, tc := range []struct {
		host string
		want bool
	}{
		{"localhost", true},
		{"LOCALHOST.", true},
		{"keycloak.localhost", true},
		{"127.0.0.1", true},
		{"127.8.9.10", true},
		{"::1", true},
		{"fe80::1%eth0", false},
		{"::1%lo", true},
		{"", false},
		{"localhost.example.com", false},
		{"notlocalhost", false},
		{"128.0.0.1", false},
		{"0.0.0.0", false},
		{"idp.example.com", false},
	} {
		if got := Host(tc.host); got != tc.want {
			t.Errorf("Host(%q) = %v, want %v", tc.host, got, tc.want)
		}
	}
}
