package rules

// The rules the engine reports itself, not a Go check of this package: they
// are values like the others so that --enable/--disable, the settings, the
// rule list and every format know them. (jcasc-schema is an engine rule with
// Go checks too: see jcasc_schema.go.)
var (
	// ParseError: a file that cannot be read or parsed (always enabled).
	ParseError = &Rule{ID: "parse-error", Engine: true}
	// DiscoveryInvalid: provider metadata that fails its CUE schema.
	DiscoveryInvalid = &Rule{ID: "discovery-invalid", Engine: true}
	// UnusedSuppression: a suppression comment that suppresses nothing.
	UnusedSuppression = &Rule{ID: "unused-suppression", Engine: true}
	// JWKSInvalid: with --online, a JWKS that cannot verify tokens.
	JWKSInvalid = &Rule{ID: "jwks-invalid", Engine: true}
	// ProviderUnreachable: with --online, a provider that cannot be reached.
	ProviderUnreachable = &Rule{ID: "provider-unreachable", Engine: true}
)
