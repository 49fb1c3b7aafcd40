package rules

import (
	"fmt"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/inventory"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry"
)

// SecretNotRotated: see docs/secret-not-rotated.md.
var SecretNotRotated = &Rule{ID: "secret-not-rotated", File: checkSecretNotRotated}

// checkSecretNotRotated reports the secrets of a JCasC document whose
// maximum age (declared in the settings or an annotation, else
// --max-secret-age) has passed since their last rotation: a declared
// rotation date, or, for a value written in the file (a literal, an
// encrypted blob), the last commit that changed its line.
func checkSecretNotRotated(in FileInput, out *FileResult) {
	st := secretSettings(in.Config)
	now := st.Clock()
	f := in.File
	for _, root := range jcascRoots(in.File, in.Docs) {
		for _, s := range inventory.ReadDoc(f, root, in.Config.Placeholders) {
			k := inventory.Dates(s, st)
			if k.MaxAge <= 0 || s.Source == inventory.None || s.Source == inventory.IDToken {
				continue
			}
			rotated, from := k.Rotated, ""
			var related []report.Related
			if rotated != nil {
				from = "declared in the settings"
				if rotated.From == "annotation" && s.Annotation != nil {
					from = "annotation"
					related = append(related, report.Related{Pos: s.Annotation.Pos, Message: "the rotation date is declared here"})
				}
			} else if st.LineChanged != nil && s.Source.InFile() {
				fld, ok := s.MainField()
				if !ok {
					continue
				}
				shown := f.Shown(fld.At.Pos(f))
				c, ok := st.LineChanged(shown.Path, shown.Line)
				if !ok || c.Uncommitted {
					continue
				}
				rotated = &inventory.Rotation{Date: c.Date, From: "git"}
				from = fmt.Sprintf("commit %s last changed its value's line", c.Short())
				related = append(related, report.Related{Pos: fld.At.Pos(f), Message: "the value, last changed by commit " + c.Short()})
			}
			if rotated == nil {
				continue
			}
			age := now.Sub(rotated.Date)
			if age <= k.MaxAge {
				continue
			}
			maxFrom := map[string]string{"declared": "declared in the settings", "annotation": "annotation", "--max-secret-age": "--max-secret-age"}[k.MaxAgeFrom]
			advice := "rotate it: create a new value where it is issued, update its source, then revoke the old one"
			if s.Source.InFile() {
				advice += "; its value is written in the file, so each rotation is a commit: a secret source (a secret file, Vault, AWS Secrets Manager) would rotate without one"
			}
			out.Findings = append(out.Findings, report.Finding{Pos: s.IDAt.Pos(f), End: s.IDAt.End(f), Related: related,
				Message: fmt.Sprintf("%s was last rotated on %s (%s), %s ago: more than its max-age of %s (%s); %s",
					secretName(s), expiry.FormatDate(rotated.Date), from, expiry.FormatAge(age), expiry.FormatAge(k.MaxAge), maxFrom, advice)})
		}
	}
}
