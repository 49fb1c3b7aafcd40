package rules

import (
	"fmt"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

func init() { register("missing-client-id", checkMissingClientID) }

func checkMissingClientID(p *Pass) {
	for _, r := range p.WS.Realms() {
		id := r.ClientID
		switch {
		case !id.Set():
			p.ReportNode(r.File, r.Key, "the oic realm has no clientId: set it to the client ID registered for Jenkins at the provider (or a ${VAR} reference)")
		case !id.NonEmpty():
			p.ReportNode(r.File, id.At(), "clientId is empty: set it to the client ID registered for Jenkins at the provider (or a ${VAR} reference)")
		case tree.IsVariable(id.Value):
			// a variable is not a value to judge
		case IsPlaceholder(id.Value, p.Config.Placeholders):
			p.ReportNode(r.File, id.At(), fmt.Sprintf("clientId %q is a placeholder: set the client ID registered for Jenkins at the provider (or a ${VAR} reference)", id.Value))
		}
	}
}
