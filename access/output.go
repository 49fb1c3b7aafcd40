package access

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
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

// WriteText writes the result as a readable report.
func WriteText(w io.Writer, r *Result) error {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }

	p("realm      %s", r.Realm.Position)
	if r.Realm.ClientID != "" {
		p("  client %q", r.Realm.ClientID)
	}
	if r.Realm.Issuer != "" {
		p("  issuer %s", r.Realm.Issuer)
	}
	p("\n")
	p("claims     from %s\n", r.Input.From)
	if t := r.Input.Token; t != nil {
		p("token      %s", orDash(t.Algorithm))
		if t.KeyID != "" {
			p(", key ID %q", t.KeyID)
		}
		if !t.Verified {
			p(", not verified (pass --jwks FILE to check its signature, issuer, audience and expiry)")
		}
		p("\n")
		for _, c := range t.Checks {
			status := c.Status
			if status == StatusFailed {
				status = "FAILED"
			}
			p("  %-9s  %-7s  %s\n", c.Check, status, c.Message)
		}
	}

	p("\nidentity\n")
	field := func(name string) string {
		for _, f := range r.Realm.Fields {
			if f.Field == name {
				s := fmt.Sprintf("%s %q", f.Field, f.Expression)
				if f.Default {
					s += " (plugin default)"
				}
				if f.Position != "" {
					s += " at " + f.Position
				}
				return s
			}
		}
		return ""
	}
	if r.Identity.UserName != "" {
		p("  user name  %q  from %s\n", r.Identity.UserName, field("userNameField"))
	} else {
		p("  user name  none  (%s)\n", field("userNameField"))
	}
	p("  groups     %s  built in\n", quoted("authenticated"))
	if len(r.Identity.Groups) > 0 {
		p("             %s  from %s\n", strings.Join(quoteAll(r.Identity.Groups), ", "), field("groupsFieldName"))
	}
	if r.Identity.Email != "" {
		p("  email      %q\n", r.Identity.Email)
	}
	if r.Identity.FullName != "" {
		p("  full name  %q\n", r.Identity.FullName)
	}
	p("  names compare: users %s, groups %s\n", r.Realm.UserIDStrategy, r.Realm.GroupIDStrategy)

	az := r.Authorization
	p("\nauthorization  %s", az.Strategy)
	if az.Position != "" {
		p(" at %s", az.Position)
	}
	p("\n")
	covers := map[string]ScopedRole{}
	for _, s := range append(append([]ScopedRole(nil), az.Items...), az.Agents...) {
		covers[s.Role+"\x00"+s.Pattern] = s
	}
	for _, m := range az.Matches {
		switch {
		case m.RoleType == "items":
			p("  items role %q for items (folder/job full names) matching %q", m.Role, m.Pattern)
		case m.RoleType == "agents":
			p("  agents role %q for agents matching %q", m.Role, m.Pattern)
		case m.Role != "":
			p("  %s role %q", m.RoleType, m.Role)
		default:
			p("  %s entry", m.Source)
		}
		entry := m.Entry
		if entry == "either" {
			entry = "user-or-group"
		}
		p("\n    via %s %q at %s", entry, m.Name, m.Position)
		if want := fmt.Sprintf("%s %q", m.Entry, m.Name); strings.HasPrefix(m.MatchedAs, want) {
			p("%s", m.MatchedAs[len(want):])
		} else {
			p(" (matches %s)", m.MatchedAs)
		}
		p("\n    %s\n", orNone(m.Permissions))
		if s, ok := covers[m.Role+"\x00"+m.Pattern]; ok && m.RoleType != "global" {
			if s.Error != "" {
				p("    %s\n", s.Error)
			}
			for _, c := range s.Covers {
				verdict := "not covered"
				if c.Covered {
					verdict = "covered"
				}
				p("    %q: %s\n", c.Name, verdict)
			}
			delete(covers, m.Role+"\x00"+m.Pattern)
		}
	}
	switch az.Strategy {
	case "roleBased", "globalMatrix", "projectMatrix":
		if len(az.Matches) == 0 {
			p("  no role or entry applies\n")
		}
		p("  global permissions: %s\n", orNone(az.Global))
	}

	p("\nresult: %s\n", r.Summary)
	if t := r.Input.Token; t != nil && r.Input.Failures > 0 {
		var failed []string
		for _, c := range t.Checks {
			if c.Status == StatusFailed {
				failed = append(failed, c.Check)
			}
		}
		p("token: %d check(s) FAILED (%s): Jenkins would refuse this token\n", r.Input.Failures, strings.Join(failed, ", "))
	}
	if len(r.Messages) > 0 {
		p("\n")
		for _, m := range r.Messages {
			if m.Position != "" {
				p("%s: ", m.Position)
			}
			p("%s: %s\n", m.Severity, m.Text)
		}
	}
	if len(r.Claims) > 0 {
		p("\nclaims\n")
		width := 0
		for _, c := range r.Claims {
			if len(c.Name) > width {
				width = len(c.Name)
			}
		}
		for _, c := range r.Claims {
			v, err := json.Marshal(c.Value)
			if err != nil {
				v = []byte(`"?"`)
			}
			if c.Redacted {
				v = []byte(fmt.Sprint(c.Value))
			}
			p("  %-*s  %s\n", width, c.Name, v)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func quoted(s string) string { return fmt.Sprintf("%q", s) }

func orNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
