package rules

import "testing"

func TestIsLoopbackURL(t *testing.T) {
	for _, u := range []string{
		"http://localhost/x", "http://LOCALHOST:8080", "http://kc.localhost/x", "http://127.0.0.1:8180/x",
		"http://127.1.2.3", "http://[::1]:8080/x", "http://localhost:${PORT}/realms/x", "http://127.0.0.1:${PORT:-8180}/x",
		"http://[::1]:${PORT}/x", "http://localhost:{{ .Values.port }}/x", "http://user:pw@localhost/x", "http://localhost.",
	} {
		if !IsLoopbackURL(u) {
			t.Errorf("IsLoopbackURL(%q) = false", u)
		}
	}
	for _, u := range []string{
		"http://sso.example.com/x", "http://${HOST}/x", "http://${HOST}:8080/x", "http://{{ .Values.host }}:8080/x",
		"http://localhost.example.com/x", "http://10.0.0.1/x", "http://[::2]/x", "localhost:8080", "http://", "http://[::1",
		"http://evil.example/?next=http://localhost/", "http://localhost@evil.example/x",
	} {
		if IsLoopbackURL(u) {
			t.Errorf("IsLoopbackURL(%q) = true", u)
		}
	}
}
