package lint

import (
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/online"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/rules"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/schema"
)

// TestEngineRuleIDs: the IDs the engine's packages put on their findings
// are those of the engine rules' values, so the filters and the settings
// apply to them.
func TestEngineRuleIDs(t *testing.T) {
	for _, tt := range []struct {
		pkg  string
		rule *rules.Rule
	}{
		{report.ParseErrorRule, rules.ParseError},
		{schema.RuleRealm, rules.JCasCSchema},
		{schema.RuleDiscovery, rules.DiscoveryInvalid},
		{online.RuleUnreachable, rules.ProviderUnreachable},
		{online.RuleJWKSInvalid, rules.JWKSInvalid},
	} {
		if tt.pkg != tt.rule.ID || !tt.rule.Engine {
			t.Errorf("%s: the engine rule value is %q (Engine %v)", tt.pkg, tt.rule.ID, tt.rule.Engine)
		}
	}
}
