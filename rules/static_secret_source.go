package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/inventory"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/workspace"
)

// StaticSecretSource: see docs/static-secret-source.md.
var StaticSecretSource = &Rule{ID: "static-secret-source", Workspace: checkStaticSecretSource}

// checkStaticSecretSource reports a realm whose client secret is a literal
// or a plain environment variable while the same controller reads other
// credentials from a managed store (a secret file, Vault, AWS): the client
// secret is then the one secret that cannot be rotated where the others are.
// Public clients (clientSecret: none, no clientSecret) and client assertions
// (clientAssertionFilePath) have no shared secret and stay quiet.
func checkStaticSecretSource(p *Pass) {
	stores := map[string][]inventory.Store{}
	for _, d := range p.WS.JCasC {
		r := d.Realm
		if r == nil || !r.ClientSecret.NonEmpty() {
			continue
		}
		if r.HasKey("clientAssertionFilePath") {
			continue
		}
		src, ref := inventory.ClassifyAt(d.File, r.ClientSecret.At().Place, r.ClientSecret.Value, p.Config.Placeholders)
		var how string
		switch src {
		case inventory.Literal, inventory.LiteralDefault:
			how = "is written in the file"
		case inventory.Environment:
			if ref == "" {
				continue // mixed text: not judged
			}
			how = fmt.Sprintf("comes from %s, a plain environment variable", ref)
		default:
			continue
		}
		ss, done := stores[d.Controller]
		if !done {
			ss = controllerStores(p.WS, d.Controller, p.Config.Placeholders)
			stores[d.Controller] = ss
		}
		if len(ss) == 0 {
			continue
		}
		best := ss[0]
		fd := p.ReportAt(d.File, r.ClientSecret.At(), fmt.Sprintf("the realm's client secret %s, while this controller's credentials use %s (%s): %s, so the client secret can be rotated at the provider without a commit or a redeploy",
			how, best.Source.Describe(), best.Evidence, storeAdvice(best)))
		if best.File != nil {
			fd.Related = []report.Related{{Pos: best.At.Pos(best.File), Message: "this credential uses " + best.Source.Describe()}}
		}
	}
}

// storeAdvice says how to read the client secret from store s, following
// the controller's own convention where it shows one.
func storeAdvice(s inventory.Store) string {
	switch s.Source {
	case inventory.SecretFile:
		dir := "/run/secrets"
		if r := strings.TrimSuffix(strings.TrimPrefix(s.Ref, "${"), "}"); r != "" {
			if _, p, ok := strings.Cut(r, ":"); ok && strings.HasPrefix(p, "/") {
				dir = path.Dir(p)
			}
		}
		return fmt.Sprintf(`mount it as a secret file too and write clientSecret: "${readFile:%s/oidc-client-secret}"`, dir)
	case inventory.Vault:
		return "keep it in Vault and let JCasC's Vault secret source resolve it (hashicorp-vault-plugin with CASC_VAULT_URL and CASC_VAULT_PATHS; clientSecret: \"${oidc-client-secret}\" names its key)"
	case inventory.AWSSecretsManager:
		return "keep it in AWS Secrets Manager and reference it by name (aws-secrets-manager-secret-source: clientSecret: \"${oidc-client-secret}\")"
	case inventory.AWSParameterStore:
		return "keep it in the Parameter Store and reference it by name (configuration-as-code-secret-ssm: clientSecret: \"${oidc-client-secret}\")"
	}
	return "read it from the same store"
}

// controllerStores reads the managed stores the controller's JCasC
// documents use. The workspace keeps no secret field, so the documents
// are parsed again; this runs only for a controller whose client secret
// is static, and only for the files that define credentials (the stores
// are the credentials' and the installed plugins').
func controllerStores(ws *workspace.Workspace, controller string, placeholders []string) []inventory.Store {
	docs := ws.ControllerDocs(controller)
	withCredentials := map[*source.File]bool{}
	for _, d := range docs {
		if len(d.Credentials) > 0 {
			withCredentials[d.File] = true
		}
	}
	var ss []*inventory.Secret
	done := map[*source.File]bool{}
	var first *jcasc.Doc
	for _, d := range docs {
		if done[d.File] || len(d.File.Data) == 0 {
			continue
		}
		done[d.File] = true
		if first == nil {
			first = d
		}
		if !withCredentials[d.File] {
			continue
		}
		roots, ferr := tree.ParseYAML(d.File)
		if ferr != nil {
			continue
		}
		for _, root := range jcascRoots(d.File, roots) {
			ss = append(ss, inventory.ReadDoc(d.File, root, placeholders)...)
		}
	}
	return inventory.Stores(ss, ws.PluginsFor(first))
}
