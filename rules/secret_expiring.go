package rules

import (
	"fmt"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/inventory"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
)

// SecretExpiring: see docs/secret-expiring.md.
var SecretExpiring = &Rule{ID: "secret-expiring", File: checkSecretExpiring}

// secretSettings is the run's clock, expiry window, maximum age, declared
// secrets and git hook.
func secretSettings(cfg Config) expiry.Settings { return cfg.Secrets }

// jcascRoots are the JCasC root mappings among a file's documents (none in
// a container such as Helm values, whose own documents are read apart).
func jcascRoots(f *source.File, docs []*yaml.Node) []*yaml.Node {
	if f != nil && f.Kind == source.Container {
		return nil
	}
	var out []*yaml.Node
	for _, root := range docs {
		if root != nil && root.Kind == yaml.MappingNode && jcasc.Looks(root) {
			out = append(out, root)
		}
	}
	return out
}

// secretName words a secret for a message: `credential "registry"
// (usernamePassword)`, `the realm's client secret`.
func secretName(s *inventory.Secret) string {
	switch s.ID {
	case expiry.RealmClientSecret:
		if s.Kind == "oic" {
			return "the realm's client secret"
		}
	case expiry.RealmEscapeHatchSecret:
		if s.Kind == "oic" {
			return "the realm's escape-hatch secret"
		}
	}
	if s.ID == "" {
		return fmt.Sprintf("a %s credential without id", s.Kind)
	}
	return fmt.Sprintf("credential %q (%s)", s.ID, s.Kind)
}

// checkSecretExpiring reports the secrets of a JCasC document that expire
// within the window (a warning) or have expired (an error): by a declared
// date (settings, annotation), a certificate's notAfter or a JWT's exp; and
// PEM certificates in any other file read (a CA bundle under --all-files).
func checkSecretExpiring(in FileInput, out *FileResult) {
	st := secretSettings(in.Config)
	now, window := st.Clock(), st.ExpiryWindow()
	f := in.File
	roots := jcascRoots(f, in.Docs)
	for _, root := range roots {
		for _, s := range inventory.ReadDoc(f, root, in.Config.Placeholders) {
			if a := s.Annotation; a != nil && a.Err != "" {
				out.Findings = append(out.Findings, report.Finding{Severity: report.Warning, Pos: a.Pos, End: a.End,
					Message: fmt.Sprintf("this expiry annotation of %s cannot be read: %s", secretName(s), a.Err)})
			}
			k := inventory.Dates(s, st)
			if k.Expires == nil {
				continue
			}
			if fd, ok := expiringFinding(s, *k.Expires, now, window); ok {
				out.Findings = append(out.Findings, fd)
			}
		}
		for _, m := range inventory.OtherCertificates(f, root) {
			st, days := expiry.Judge(m.NotAfter, now, window)
			if st == expiry.Valid {
				continue
			}
			out.Findings = append(out.Findings, report.Finding{Severity: severityOf(st), Pos: m.At.Pos(f), End: m.At.End(f),
				Message: fmt.Sprintf("the %s in %s %s on %s, %s: %s", m.Describe(), m.Field, expiresVerb(st), expiry.FormatDate(m.NotAfter),
					expiry.When(st, days), renewAdvice(st, "the connections that check it"))})
		}
	}
	if in.Docs == nil && f.Kind != source.Jenkinsfile {
		for _, m := range expiry.Certificates(f.Data) {
			st, days := expiry.Judge(m.NotAfter, now, window)
			if st == expiry.Valid {
				continue
			}
			end := m.Start + len("-----BEGIN CERTIFICATE-----")
			out.Findings = append(out.Findings, report.Finding{Severity: severityOf(st), Pos: f.PosAt(m.Start), End: f.PosAt(end),
				Message: fmt.Sprintf("%s %s on %s, %s: %s", m.Describe(), expiresVerb(st), expiry.FormatDate(m.NotAfter),
					expiry.When(st, days), renewAdvice(st, "whatever trusts or presents it"))})
		}
	}
}

func severityOf(st expiry.Status) report.Severity {
	if st == expiry.Expired {
		return report.Error
	}
	return report.Warning
}

func expiresVerb(st expiry.Status) string {
	if st == expiry.Expired {
		return "expired"
	}
	return "expires"
}

func renewAdvice(st expiry.Status, user string) string {
	if st == expiry.Expired {
		return "it no longer works for " + user + "; renew it now"
	}
	return "renew it and deploy the new one before then"
}

// expiringFinding is the finding of a secret whose earliest expiry e is
// within the window or past, pointing at the secret's id (or key), with the
// place the date comes from as related information.
func expiringFinding(s *inventory.Secret, e inventory.Expiry, now time.Time, window time.Duration) (report.Finding, bool) {
	st, days := expiry.Judge(e.Date, now, window)
	if st == expiry.Valid {
		return report.Finding{}, false
	}
	f := s.File
	fd := report.Finding{Severity: severityOf(st), Pos: s.IDAt.Pos(f), End: s.IDAt.End(f)}
	name := secretName(s)
	when := fmt.Sprintf("%s on %s, %s", expiresVerb(st), expiry.FormatDate(e.Date), expiry.When(st, days))
	advice := "replace it and update its source before then"
	if st == expiry.Expired {
		advice = "every use of it fails until it is replaced"
	}
	if !s.IsCredential() && s.ID == expiry.RealmClientSecret {
		advice = "create a new client secret at the provider, update the controller, then delete the old one (explain secret-expiring has the steps for Keycloak, Okta, Entra ID and Google)"
		if st == expiry.Expired {
			advice = "nobody can sign in until a new client secret is created at the provider and given to the controller"
		}
	}
	switch e.From {
	case "certificate", "jwt":
		if s.IsCredential() {
			advice = "renew it and update the credential before then"
			if st == expiry.Expired {
				advice = "every use of the credential fails until it is renewed"
			}
		}
		fd.Message = fmt.Sprintf("%s: its %s %s: %s", name, e.What, when, advice)
		for _, m := range s.Materials {
			if m.NotAfter.Equal(e.Date) {
				fd.Related = append(fd.Related, report.Related{Pos: m.At.Pos(f), Message: "the " + m.Describe() + " is here"})
				break
			}
		}
	case "annotation":
		fd.Message = fmt.Sprintf("%s %s (%s): %s", name, when, e.What, advice)
		if a := s.Annotation; a != nil {
			fd.Related = append(fd.Related, report.Related{Pos: a.Pos, Message: "the expiry is declared here"})
		}
	default:
		fd.Message = fmt.Sprintf("%s %s (%s): %s", name, when, e.What, advice)
	}
	return fd, true
}
