package rules

// EscapeHatchEnabled: see docs/escape-hatch-enabled.md.
var EscapeHatchEnabled = &Rule{ID: "escape-hatch-enabled", Workspace: checkEscapeHatch}

func checkEscapeHatch(p *Pass) {
	for _, r := range p.WS.Realms() {
		if r.EscapeHatch.On() {
			reportSwitch(p, r.File, r.EscapeHatch,
				"the escape hatch is enabled: a local username and secret sign in without the provider, bypassing MFA and offboarding; keep it off unless the provider is down, and store its secret outside the file")
		}
	}
}
