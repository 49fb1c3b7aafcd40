package inventory

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry"
)

// Formats are the inventory's output formats.
var Formats = []string{"text", "json", "csv", "markdown"}

// Write renders inv in format (one of Formats).
func Write(w io.Writer, format string, inv *Inventory) error {
	switch format {
	case "text", "":
		return writeText(w, inv)
	case "json":
		return writeJSON(w, inv)
	case "csv":
		return writeCSV(w, inv)
	case "markdown", "md":
		return writeMarkdown(w, inv)
	}
	return fmt.Errorf("unknown inventory format %q (want %s)", format, strings.Join(Formats, ", "))
}

// cells are a row's values as the text, CSV and Markdown formats show them
// (unescaped).
type cells struct {
	id, kind, source, rotatable, expires, rotated, changed, defined, pipelines string
}

func (inv *Inventory) cells(r *Row) cells {
	c := cells{id: r.ID, kind: r.Kind, source: string(r.Source), rotatable: "no", expires: "-", rotated: "-", changed: "-", pipelines: "-"}
	if c.id == "" {
		c.id = "(no id)"
	}
	if r.Scope != "" {
		c.kind += " " + r.Scope
	}
	if r.Domain != "" {
		c.kind += " @" + r.Domain
	}
	if r.Reference != "" {
		c.source += " " + r.Reference
	}
	switch {
	case r.Source == None:
		c.rotatable = "-"
	case r.Rotatable:
		c.rotatable = "yes"
	}
	if st, days := inv.Status(r); st != "" {
		when := expiry.When(map[string]expiry.Status{"expired": expiry.Expired, "expiring": expiry.Expiring, "valid": expiry.Valid}[st], days)
		c.expires = fmt.Sprintf("%s (%s, %s)", expiry.FormatDate(r.Expires.Date), when, r.Expires.From)
		if st == "expired" {
			c.expires = "EXPIRED " + c.expires
		}
	} else if r.Source == IDToken {
		c.expires = "each build (" + lifetime(r.Lifetime) + ")"
	}
	if r.Rotated != nil {
		c.rotated = expiry.FormatDate(r.Rotated.Date) + " (" + r.Rotated.From + ")"
		if inv.RotationDue(r) {
			c.rotated += " DUE: max-age " + expiry.FormatAge(r.MaxAge)
		}
	}
	if r.Changed != nil {
		if r.Changed.Uncommitted {
			c.changed = "uncommitted"
		} else {
			c.changed = r.Changed.Date.Format("2006-01-02") + " " + r.Changed.Short()
		}
	}
	c.defined = fmt.Sprintf("%s:%d:%d", r.Path, r.Line, r.Column)
	if len(r.Pipelines) > 0 {
		var ps []string
		for _, u := range r.Pipelines {
			ps = append(ps, fmt.Sprintf("%s:%d", u.Path, u.Line))
		}
		c.pipelines = strings.Join(ps, ", ")
	}
	return c
}

func lifetime(d time.Duration) string {
	switch {
	case d <= 0:
		return "short-lived"
	case d%time.Hour == 0:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	case d%time.Minute == 0:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	}
	return strconv.Itoa(int(d/time.Second)) + "s"
}

func storesText(c *Controller) string {
	if len(c.Stores) == 0 {
		return "none"
	}
	var s []string
	for _, st := range c.Stores {
		s = append(s, string(st.Source)+" ("+st.Evidence+")")
	}
	return strings.Join(s, "; ")
}

func writeText(w io.Writer, inv *Inventory) error {
	bw := bufio.NewWriter(w)
	if len(inv.Rows) == 0 {
		fmt.Fprintln(bw, "no secrets: no JCasC realm or credentials were found")
		return bw.Flush()
	}
	for i, ctl := range inv.Controllers {
		if i > 0 {
			fmt.Fprintln(bw)
		}
		fmt.Fprintf(bw, "controller %s\n  managed stores: %s\n\n", report.EscapeControl(ctl.Name), report.EscapeControl(storesText(ctl)))
		tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  ID\tKIND\tSOURCE\tROTATABLE\tEXPIRES\tROTATED\tLAST CHANGE\tDEFINED AT\tPIPELINES")
		for _, r := range inv.Rows {
			if r.Controller != ctl.Name {
				continue
			}
			c := inv.cells(r)
			cols := []string{c.id, c.kind, c.source, c.rotatable, c.expires, c.rotated, c.changed, c.defined, c.pipelines}
			for k := range cols {
				cols[k] = strings.ReplaceAll(report.EscapeControl(cols[k]), "\t", `\t`)
			}
			fmt.Fprintln(tw, "  "+strings.Join(cols, "\t"))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	fmt.Fprintf(bw, "\n%s\n", inv.summaryLine())
	return bw.Flush()
}

// summaryLine counts the rows: how many, how many rotatable without a
// commit, expired, expiring, due for rotation.
func (inv *Inventory) summaryLine() string {
	s := inv.Summary()
	return fmt.Sprintf("%d secret(s) in %d controller(s): %d rotatable without a commit, %d in files, %d expired, %d expiring within %s, %d due for rotation (as of %s)",
		s.Secrets, len(inv.Controllers), s.Rotatable, s.InFile, s.Expired, s.Expiring, expiry.FormatAge(inv.Window), s.RotationDue, inv.Now.Format("2006-01-02"))
}

// Summary counts the inventory's rows.
type Summary struct {
	Secrets, Rotatable, InFile, Expired, Expiring, RotationDue int
	// BySource counts the rows of each source.
	BySource map[Source]int
}

// Summary counts the rows.
func (inv *Inventory) Summary() Summary {
	s := Summary{BySource: map[Source]int{}}
	for _, r := range inv.Rows {
		s.Secrets++
		s.BySource[r.Source]++
		if r.Rotatable {
			s.Rotatable++
		}
		if r.Source.InFile() {
			s.InFile++
		}
		switch st, _ := inv.Status(r); st {
		case "expired":
			s.Expired++
		case "expiring":
			s.Expiring++
		}
		if inv.RotationDue(r) {
			s.RotationDue++
		}
	}
	return s
}

// csvHeader are the CSV format's columns.
var csvHeader = []string{"controller", "id", "kind", "scope", "domain", "description", "path", "line", "column", "field",
	"source", "reference", "rotatable", "expires", "expires_from", "expiry_status", "days_left", "id_token_lifetime_seconds",
	"rotated", "rotated_from", "max_age_days", "rotation_due", "last_commit", "last_commit_date", "pipelines", "notes"}

func writeCSV(w io.Writer, inv *Inventory) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, r := range inv.Rows {
		rec := []string{r.Controller, r.ID, r.Kind, r.Scope, r.Domain, r.Description, r.Path, strconv.Itoa(r.Line), strconv.Itoa(r.Column), r.Field,
			string(r.Source), r.Reference, strconv.FormatBool(r.Rotatable), "", "", "", "", strconv.Itoa(int(r.Lifetime / time.Second)),
			"", "", strconv.Itoa(int(r.MaxAge / expiry.Day)), strconv.FormatBool(inv.RotationDue(r)), "", "", "", strings.Join(r.Notes, "; ")}
		if r.Expires != nil {
			st, days := inv.Status(r)
			rec[13], rec[14], rec[15], rec[16] = r.Expires.Date.Format(time.RFC3339), r.Expires.From, st, strconv.Itoa(days)
		}
		if r.Rotated != nil {
			rec[18], rec[19] = r.Rotated.Date.Format(time.RFC3339), r.Rotated.From
		}
		if r.Changed != nil && !r.Changed.Uncommitted {
			rec[22], rec[23] = r.Changed.Commit, r.Changed.Date.Format(time.RFC3339)
		} else if r.Changed != nil {
			rec[22] = "uncommitted"
		}
		var ps []string
		for _, u := range r.Pipelines {
			ps = append(ps, fmt.Sprintf("%s:%d:%d", u.Path, u.Line, u.Col))
		}
		rec[24] = strings.Join(ps, " ")
		for i := range rec {
			rec[i] = csvCell(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvCell escapes control characters, and defuses a cell a spreadsheet
// would run as a formula (=, +, -, @ first) with a leading '.
func csvCell(s string) string {
	s = report.EscapeControl(s)
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			s = "'" + s
		}
	}
	return s
}

// mdCell escapes a Markdown table cell: no pipe, markup, HTML or line
// break gets through.
func mdCell(s string) string {
	s = report.EscapeControl(s)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '|', '\\', '`', '*', '_', '[', ']', '<', '>', '#', '~', '!', '(', ')', '{', '}':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func writeMarkdown(w io.Writer, inv *Inventory) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# Secrets inventory\n\nAs of %s; expiry window %s. %s.\n", inv.Now.Format("2006-01-02"), expiry.FormatAge(inv.Window), mdCell(inv.summaryLine()))
	for _, ctl := range inv.Controllers {
		fmt.Fprintf(bw, "\n## Controller %s\n\nManaged stores: %s\n\n", mdCell(ctl.Name), mdCell(storesText(ctl)))
		fmt.Fprintln(bw, "| ID | Kind | Source | Rotatable without a commit | Expires | Rotated | Last change | Defined at | Pipelines |")
		fmt.Fprintln(bw, "|---|---|---|---|---|---|---|---|---|")
		for _, r := range inv.Rows {
			if r.Controller != ctl.Name {
				continue
			}
			c := inv.cells(r)
			cols := []string{c.id, c.kind, c.source, c.rotatable, c.expires, c.rotated, c.changed, c.defined, c.pipelines}
			for k := range cols {
				cols[k] = mdCell(cols[k])
			}
			fmt.Fprintf(bw, "| %s |\n", strings.Join(cols, " | "))
		}
	}
	return bw.Flush()
}
