package secrets

import "strings"

// exampleDomains are the second-level domains RFC 2606 reserves for
// documentation.
var exampleDomains = []string{"example.com", "example.net", "example.org"}

// exampleTLDs are the top-level names RFC 2606 and RFC 6761 reserve: no
// host under them is ever real.
var exampleTLDs = []string{"example", "test", "invalid", "localhost"}

// IsExampleHost reports whether host (a URL's host, optionally with a port
// or the userinfo's '@' in front) is reserved for examples and tests: the
// domains example.com, example.net and example.org and their subdomains,
// anything under .example, .test, .invalid or .localhost, and localhost
// itself (RFC 2606, RFC 6761). A single label other than localhost (test,
// db) is a host of the local network. A host that merely contains "example"
// (examples.com, example.acme.io) is a real host: a password sent to it is a
// real password.
func IsExampleHost(host string) bool {
	host = strings.TrimPrefix(host, "@")
	if strings.HasPrefix(host, "[") {
		return false // an IPv6 literal
	}
	if k := strings.LastIndexByte(host, ':'); k >= 0 {
		host = host[:k]
	}
	host = strings.TrimSuffix(host, ".")
	if host == "" {
		return false
	}
	for _, d := range exampleDomains {
		if hasSuffixFold(host, d) && (len(host) == len(d) || host[len(host)-len(d)-1] == '.') {
			return true
		}
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	// A single label (test, example) is a name the resolver completes: a
	// host of the network, a Docker service.
	k := strings.LastIndexByte(host, '.')
	if k < 0 {
		return false
	}
	for _, t := range exampleTLDs {
		if strings.EqualFold(host[k+1:], t) {
			return true
		}
	}
	return false
}

// hasSuffixFold reports whether s ends with the lower-case suffix, ignoring
// ASCII case.
func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}
