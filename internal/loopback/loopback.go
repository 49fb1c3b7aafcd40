// Package loopback tells whether a host names this machine. The rules,
// the schema checks, the workspace's pairing and the --online fetcher all
// ask; they ask here, so that they agree.
package loopback

import (
	"net"
	"strings"
)

// Host reports whether host (as a URL carries it, without brackets or
// port) names this machine: localhost or a name under .localhost (RFC 6761
// §6.3), in any case and with or without a trailing dot, or a loopback
// address (127.0.0.0/8, ::1; an IPv6 zone is ignored).
func Host(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	if i := strings.IndexByte(h, '%'); i >= 0 {
		h = h[:i]
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
