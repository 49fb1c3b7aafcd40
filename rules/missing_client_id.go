package rules

import (
	"fmt"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// MissingClientID: see docs/missing-client-id.md.
var MissingClientID = &Rule{ID: "missing-client-id", Workspace: checkMissingClientID}

func checkMissingClientID(p *Pass) {
	for _, r := range p.WS.Realms() {
		id := r.ClientID
		switch {
		case !id.Set():
			p.ReportAt(r.File, r.Key, "the oic realm has no clientId: set it to the client ID registered for Jenkins at the provider (or a ${VAR} reference)")
		case !id.NonEmpty():
			p.ReportAt(r.File, id.At(), "clientId is empty: set it to the client ID registered for Jenkins at the provider (or a ${VAR} reference)")
		case envLookup(id.Value) != "":
			// JCasC's lookups are base64, file(Base64), readFile(Base64) and
			// decodeBase64 (SecretSourceResolver): "env:X" is looked up as a
			// variable of that name, which no secret source has.
			name := envLookup(id.Value)
			f := p.ReportAt(r.File, id.At(), fmt.Sprintf("clientId %q resolves to an empty string: JCasC has no env: lookup (the whole \"env:%s\" is taken as a variable name); write ${%s}", id.Value, name, name))
			f.Fix = replaceScalar(r.File, id.At(), "${"+name+"}", "read "+name+" from the environment")
		case tree.IsVariable(id.Value) || isTemplate(id.Value):
			// a variable, or another templating layer's expression (the
			// file is rendered before JCasC reads it), is not a value to judge
		case IsPlaceholder(id.Value, p.Config.Placeholders):
			p.ReportAt(r.File, id.At(), fmt.Sprintf("clientId %q is a placeholder: set the client ID registered for Jenkins at the provider (or a ${VAR} reference)", id.Value))
		}
	}
}

// envLookup returns X when v is exactly ${env:X}.
func envLookup(v string) string {
	v = strings.TrimSpace(v)
	if !strings.HasPrefix(v, "${env:") || !strings.HasSuffix(v, "}") {
		return ""
	}
	name := v[len("${env:") : len(v)-1]
	if name == "" || strings.ContainsAny(name, "${}:") {
		return ""
	}
	return name
}

// isTemplate reports a whole value that is another templating layer's
// expression: {{ … }} (Jinja, Helm, Mustache) or <%= … %> (ERB).
func isTemplate(v string) bool {
	v = strings.TrimSpace(v)
	return strings.HasPrefix(v, "{{") && strings.HasSuffix(v, "}}") && len(v) > 4 ||
		strings.HasPrefix(v, "<%=") && strings.HasSuffix(v, "%>")
}
