package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// fixTerraform runs --fix on dir, expects want fixes applied to its main.tf,
// and returns the fixed file, parsed with HCL, and its text.
func fixTerraform(t *testing.T, dir string, want int) (*hcl.File, []byte) {
	t.Helper()
	res, err := FixAll(Options{Paths: []string{dir}, Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Applied != want || len(res.Refused) > 0 || len(res.Conflicts) > 0 {
		t.Errorf("applied %d fixes (want %d): %+v", res.Applied, want, res)
	}
	fixed, err := os.ReadFile(filepath.Join(dir, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	file, diags := hclsyntax.ParseConfig(fixed, "main.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("the fixed file is not HCL: %v\n%s", diags, fixed)
	}
	return file, fixed
}

// TestFixTerraformLocals: fixes to JCasC written in a .tf file's locals
// leave a file Terraform parses, whose strings render to the JCasC the fix
// meant (the variable ${OIDC_CLIENT_SECRET}, written $${…} in the file, not
// a Terraform interpolation), and a second run has nothing left to fix.
func TestFixTerraformLocals(t *testing.T) {
	src, err := os.ReadFile("../testdata/embedded/terraform-locals/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	dir := writeTree(t, map[string]string{"main.tf": string(src)})
	file, fixed := fixTerraform(t, dir, 3)
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{
		"local": cty.ObjectVal(map[string]cty.Value{"oidc_client_id": cty.StringVal("jenkins")}),
	}}
	locals := file.Body.(*hclsyntax.Body).Blocks[0].Body.Attributes
	rendered := func(e hclsyntax.Expression) string {
		v, diags := e.Value(ctx)
		if diags.HasErrors() {
			t.Fatalf("Terraform would not render %s: %v", fixed[e.Range().Start.Byte:e.Range().End.Byte], diags)
		}
		return v.AsString()
	}
	security := rendered(locals["jcasc_security"].Expr)
	for _, want := range []string{`clientSecret: "${OIDC_CLIENT_SECRET}"`, `clientId: "jenkins"`, "disableSslVerification: false"} {
		if !strings.Contains(security, want) {
			t.Errorf("local.jcasc_security renders without %q:\n%s", want, security)
		}
	}
	agents := rendered(locals["casc"].Expr.(*hclsyntax.ObjectConsExpr).Items[0].ValueExpr)
	if want := `clientSecret: "${OIDC_CLIENT_SECRET}"` + "\n"; !strings.HasSuffix(agents, want) {
		t.Errorf("local.casc.agents renders as %q, want it to end in %q", agents, want)
	}
	again, err := FixAll(Options{Paths: []string{dir}, Jobs: 1})
	if err != nil || again.Applied != 0 {
		t.Errorf("a second run: %+v %v", again, err)
	}
}

// TestFixTerraformHelmRelease: a fix to the JCasC in a helm_release's values
// heredoc (embedded twice: JCasC in Helm values in a .tf string) is escaped
// for the heredoc, so Terraform renders the variable JCasC reads.
func TestFixTerraformHelmRelease(t *testing.T) {
	const secret = "Zq8vR2mX7kLp4Tn9Wd3Yc6Hb"
	dir := writeTree(t, map[string]string{"main.tf": `resource "helm_release" "jenkins" {
  name  = "jenkins"
  chart = "jenkins"
  values = [
    <<-EOT
      controller:
        JCasC:
          configScripts:
            security: |
              jenkins:
                securityRealm:
                  oic:
                    clientId: jenkins
                    clientSecret: "` + secret + `"
                    serverConfiguration:
                      wellKnown:
                        wellKnownOpenIDConfigurationUrl: "https://sso.acme.io/.well-known/openid-configuration"
    EOT
  ]
}
`})
	file, fixed := fixTerraform(t, dir, 1)
	values := file.Body.(*hclsyntax.Body).Blocks[0].Body.Attributes["values"].Expr.(*hclsyntax.TupleConsExpr).Exprs[0]
	v, diags := values.Value(&hcl.EvalContext{})
	if diags.HasErrors() {
		t.Fatalf("Terraform would not render the values: %v\n%s", diags, fixed)
	}
	if got, want := v.AsString(), `clientSecret: "${OIDC_CLIENT_SECRET}"`; !strings.Contains(got, want) || strings.Contains(got, secret) {
		t.Errorf("the values render without %q, or with the secret:\n%s", want, got)
	}
}
