package trustcheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
)

// WriteJSON writes the result as one indented JSON object.
func WriteJSON(w io.Writer, r *Result) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("encoding the result: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// WriteText writes the result for people: the controller and job, then
// for each token its claims and the trusts that accept it, reject it
// (with the checks that fail and their places) or cannot be decided.
// Everything from the inputs is escaped (report.EscapeMessage).
func WriteText(w io.Writer, r *Result) error {
	var b strings.Builder
	esc := report.EscapeMessage
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }

	p("controller  %s", esc(orDash(r.Controller.RootURL)))
	if r.Controller.Position != "" {
		p("  (%s)", esc(r.Controller.Position))
	}
	p("  issuer %s\n", esc(r.Controller.Issuer))
	p("job         %s  %s", esc(r.Job.FullName), esc(r.Job.URL))
	switch {
	case r.Job.PullRequest != "":
		p("  (pull request %s)", esc(r.Job.PullRequest))
	case r.Job.Branch != "":
		p("  (branch %s)", esc(r.Job.Branch))
	}
	p("\n")
	for _, t := range r.Tokens {
		p("\ntoken of %s '%s'", t.Kind, esc(t.Credential))
		if t.Folder != "" {
			p(" in folder '%s'", esc(t.Folder))
		}
		p(" (%s)\n", esc(t.Position))
		width := 0
		for _, c := range t.Claims {
			width = max(width, len(c.Name))
		}
		for _, c := range t.Claims {
			p("  %-*s  %s", width, esc(c.Name), esc(c.Value))
			switch {
			case c.Known:
			case c.Name == "iss" || c.Name == "aud":
				p("  (not known: a variable)")
			default:
				p("  (not known before the build runs)")
			}
			p("\n")
		}
		if t.Fails != "" {
			p("  no token: %s\n", esc(t.Fails))
		}
		if len(t.Trusts) > 0 {
			p("\n")
		}
		for _, group := range []string{Accepts, Rejects, Unknown} {
			for _, tr := range t.Trusts {
				if tr.Result != group {
					continue
				}
				p("  %-7s  %s %s  %s\n", strings.ToUpper(tr.Result), kindWords(tr.Kind), esc(tr.Name), esc(tr.Position))
				if t.Fails != "" || tr.Result == Accepts {
					continue
				}
				want := "fails"
				if tr.Result == Unknown {
					want = "unknown"
				}
				for _, c := range tr.Checks {
					if c.Result != want {
						continue
					}
					p("           %s", esc(c.Message))
					if c.Position != "" {
						p("  %s", esc(c.Position))
					}
					p("\n")
				}
			}
		}
	}
	p("\nresult: %s\n", esc(r.Summary))
	_, err := io.WriteString(w, b.String())
	return err
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// kindWords names a trust kind for people.
func kindWords(id string) string {
	switch id {
	case "aws-iam-role":
		return "AWS IAM role"
	case "gcp-workload-identity-pool-provider":
		return "GCP pool provider"
	case "vault-jwt-role":
		return "Vault JWT role"
	case "azure-federated-identity-credential":
		return "Azure federated credential"
	}
	return id
}
