package trust

import (
	"bytes"
	"os"
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/embed"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// TestHelmValuesJCasC follows the JCasC of a helm_release heredoc to the
// .tf file: values document → embed.Find → Flatten, every byte mapped to
// the byte it came from.
func TestHelmValuesJCasC(t *testing.T) {
	data, err := os.ReadFile("testdata/tf/helm/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	tf := source.NewFile("testdata/tf/helm/main.tf", data)
	d, ferr := ReadTerraform(tf)
	if ferr != nil {
		t.Fatal(ferr)
	}
	if len(d.Helm) != 2 || d.Helm[0].Offsets == nil {
		t.Fatalf("helm values: %+v", d.Helm)
	}
	values := d.Helm[0].Source(tf, 0)
	checkMap(t, values)
	roots, ferr := tree.ParseYAML(values)
	if ferr != nil {
		t.Fatal(ferr)
	}
	found := embed.Find(values, roots)
	if len(found.Docs) != 1 {
		t.Fatalf("found %d JCasC documents", len(found.Docs))
	}
	doc := found.Docs[0].File
	Flatten(doc)
	if doc.Embed.Outer != tf || doc.Embed.Offsets == nil {
		t.Fatalf("not flattened to the .tf file: %+v", doc.Embed)
	}
	checkMap(t, doc)
	i := bytes.Index(doc.Data, []byte("sts.amazonaws.com"))
	p := doc.Shown(doc.PosAt(i))
	if p.Path != tf.Path || p.Line != 19 || p.Col != 35 {
		t.Errorf("audience shown at %v, want %s:19:35", p, tf.Path)
	}
	i = bytes.Index(doc.Data, []byte("${var.jenkins_url}"))
	if p := doc.Shown(doc.PosAt(i)); p.Line != 22 || p.Col != 25 {
		t.Errorf("interpolation shown at %v, want 22:25", p)
	}
	// Terraform fills the interpolation in: its bytes, and only those, are
	// rendered in the flattened document
	if n := len("${var.jenkins_url}"); !doc.Embed.RenderedAt(i) || !doc.Embed.RenderedAt(i+n-1) ||
		doc.Embed.RenderedAt(i-1) || doc.Embed.RenderedAt(i+n) || doc.Embed.RenderedAt(bytes.Index(doc.Data, []byte("sts.amazonaws.com"))) {
		t.Errorf("rendered ranges %v around the interpolation at %d", doc.Embed.Rendered, i)
	}
	if d.Helm[1].Source(tf, 1) != nil {
		t.Errorf("a values file has no document of its own")
	}
}

// checkMap checks that every byte of an embedded document maps to the
// same byte of its container.
func checkMap(t *testing.T, f *source.File) {
	t.Helper()
	e := f.Embed
	if len(e.Offsets) != len(f.Data)+1 {
		t.Fatalf("%d offsets for %d bytes", len(e.Offsets), len(f.Data))
	}
	for i, b := range f.Data {
		o := e.Offsets[i]
		if int(o) >= len(e.Outer.Data) || e.Outer.Data[o] != b {
			t.Fatalf("byte %d %q maps to offset %d", i, b, o)
		}
		if i > 0 && o <= e.Offsets[i-1] {
			t.Fatalf("byte %d maps backwards", i)
		}
	}
}

// TestTemplateText: what a fix writes into a Terraform string.
func TestTemplateText(t *testing.T) {
	for _, tt := range []struct {
		in     string
		quoted bool
		want   string
	}{
		{"${OIDC_CLIENT_SECRET}", false, "$${OIDC_CLIENT_SECRET}"},
		{"%{x} $ { 100%", false, "%%{x} $ { 100%"},
		{`say "hi" \ there` + "\n", false, `say "hi" \ there` + "\n"},
		{`say "hi" \ there` + "\n", true, `say \"hi\" \\ there\n`},
		{`"${A}"`, true, `\"$${A}\"`},
	} {
		if got := templateText(tt.in, tt.quoted); got != tt.want {
			t.Errorf("templateText(%q, %v) = %q, want %q", tt.in, tt.quoted, got, tt.want)
		}
	}
}

// TestJCasCTextRendered: in JCasC written in a local, Terraform's own ${…}
// is rendered, $${…} (JCasC's variable, decoded to ${…}) is not.
func TestJCasCTextRendered(t *testing.T) {
	tf := source.NewFile("main.tf", []byte(`locals {
  casc = <<-EOT
    jenkins:
      securityRealm:
        oic:
          clientId: "${local.client_id}"
          clientSecret: "$${OIDC_CLIENT_SECRET}"
  EOT
}
`))
	d, ferr := ReadTerraform(tf)
	if ferr != nil || len(d.JCasC) != 1 {
		t.Fatalf("JCasC texts %v, %v", d, ferr)
	}
	doc := d.JCasC[0].Source(tf, 0)
	checkMap(t, doc)
	tfVar := bytes.Index(doc.Data, []byte("${local.client_id}"))
	jcascVar := bytes.Index(doc.Data, []byte("${OIDC_CLIENT_SECRET}"))
	if tfVar < 0 || jcascVar < 0 {
		t.Fatalf("decoded as %q", doc.Data)
	}
	if !doc.Embed.RenderedIn(tfVar, tfVar+1) || doc.Embed.RenderedIn(jcascVar, jcascVar+len("${OIDC_CLIENT_SECRET}")) {
		t.Errorf("rendered ranges %v: Terraform's at %d, JCasC's at %d", doc.Embed.Rendered, tfVar, jcascVar)
	}
}
