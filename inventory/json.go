package inventory

import (
	"encoding/json"
	"io"
	"time"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry"
)

// The JSON document (--format json) is one object, fields always in this
// order, arrays [] (never null), optional objects null; it is checked
// against testdata/inventory.schema.json by a test. Version "1":
//
//	{
//	  "version": "1",
//	  "tool": "jenkins-oidc-lint",
//	  "now": "2026-06-19T12:00:00Z",          // the run's clock (--now)
//	  "expiryWindowDays": 30,                  // --expiry-window
//	  "controllers": [
//	    {"name": "casc",                       // a directory, or the values file embedding the JCasC
//	     "stores": [{"source": "secret-file", "evidence": "credential \"registry\" (${readFile:/run/secrets/registry})"}]}
//	  ],
//	  "secrets": [
//	    {
//	      "controller": "casc",
//	      "id": "registry",                    // credential ID, oic.clientSecret or oic.escapeHatchSecret
//	      "kind": "usernamePassword",          // credential kind, or "oic"
//	      "scope": "GLOBAL", "domain": "", "description": "…",
//	      "path": "casc/jenkins.yaml", "line": 12, "column": 19,   // where it is defined (its id)
//	      "field": "password",                 // its main secret field ("" without one)
//	      "source": "secret-file",             // literal | literal-default | hashed | encrypted | environment |
//	                                           // secret-file | vault | aws-secrets-manager | aws-ssm | id-token | template | none
//	      "reference": "${readFile:/run/secrets/registry}",       // the reference it names, "" otherwise
//	      "rotatable": true,                   // replaceable without a commit
//	      "expires": {"date": "…", "from": "certificate", "what": "…", "status": "expiring", "days": 12} | null,
//	                                           // from: declared | annotation | certificate | jwt; status: expired | expiring | valid
//	      "idTokenLifetimeSeconds": 0,         // id tokens: their lifetime
//	      "rotated": {"date": "…", "from": "git"} | null,          // from: declared | annotation | git
//	      "maxAgeDays": 90,                    // 0: none
//	      "rotationDue": false,
//	      "lastChange": {"commit": "…", "date": "…", "uncommitted": false} | null,
//	      "pipelines": [{"path": "Jenkinsfile", "line": 5, "column": 33}],
//	      "notes": []
//	    }
//	  ],
//	  "summary": {"secrets": 1, "rotatable": 1, "inFiles": 0, "expired": 0, "expiring": 1, "rotationDue": 0,
//	              "bySource": {"secret-file": 1}}
//	}
//
// Strings are escaped as the lint report's are (control, bidi and invisible
// characters as \\x1b, \\u202e…); no secret
// value appears anywhere: a reference is only ever a reference.
type jsonDoc struct {
	Version          string           `json:"version"`
	Tool             string           `json:"tool"`
	Now              string           `json:"now"`
	ExpiryWindowDays int              `json:"expiryWindowDays"`
	Controllers      []jsonController `json:"controllers"`
	Secrets          []jsonSecret     `json:"secrets"`
	Summary          jsonSummary      `json:"summary"`
}

type jsonController struct {
	Name   string      `json:"name"`
	Stores []jsonStore `json:"stores"`
}

type jsonStore struct {
	Source   Source `json:"source"`
	Evidence string `json:"evidence"`
}

type jsonSecret struct {
	Controller             string        `json:"controller"`
	ID                     string        `json:"id"`
	Kind                   string        `json:"kind"`
	Scope                  string        `json:"scope"`
	Domain                 string        `json:"domain"`
	Description            string        `json:"description"`
	Path                   string        `json:"path"`
	Line                   int           `json:"line"`
	Column                 int           `json:"column"`
	Field                  string        `json:"field"`
	Source                 Source        `json:"source"`
	Reference              string        `json:"reference"`
	Rotatable              bool          `json:"rotatable"`
	Expires                *jsonExpiry   `json:"expires"`
	IDTokenLifetimeSeconds int           `json:"idTokenLifetimeSeconds"`
	Rotated                *jsonRotation `json:"rotated"`
	MaxAgeDays             int           `json:"maxAgeDays"`
	RotationDue            bool          `json:"rotationDue"`
	LastChange             *jsonChange   `json:"lastChange"`
	Pipelines              []jsonPlace   `json:"pipelines"`
	Notes                  []string      `json:"notes"`
}

type jsonExpiry struct {
	Date   string `json:"date"`
	From   string `json:"from"`
	What   string `json:"what"`
	Status string `json:"status"`
	Days   int    `json:"days"`
}

type jsonRotation struct {
	Date string `json:"date"`
	From string `json:"from"`
}

type jsonChange struct {
	Commit      string `json:"commit"`
	Date        string `json:"date"`
	Uncommitted bool   `json:"uncommitted"`
}

type jsonPlace struct {
	Path   string `json:"path"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

type jsonSummary struct {
	Secrets     int            `json:"secrets"`
	Rotatable   int            `json:"rotatable"`
	InFiles     int            `json:"inFiles"`
	Expired     int            `json:"expired"`
	Expiring    int            `json:"expiring"`
	RotationDue int            `json:"rotationDue"`
	BySource    map[Source]int `json:"bySource"`
}

// e escapes what people read: control, bidi and invisible characters (as
// the lint report's JSON does).
func e(s string) string { return report.EscapeControl(s) }

func writeJSON(w io.Writer, inv *Inventory) error {
	doc := jsonDoc{Version: SchemaVersion, Tool: "jenkins-oidc-lint", Now: inv.Now.Format(time.RFC3339),
		ExpiryWindowDays: int(inv.Window / expiry.Day), Controllers: []jsonController{}, Secrets: []jsonSecret{}}
	for _, c := range inv.Controllers {
		jc := jsonController{Name: e(c.Name), Stores: []jsonStore{}}
		for _, s := range c.Stores {
			jc.Stores = append(jc.Stores, jsonStore{s.Source, e(s.Evidence)})
		}
		doc.Controllers = append(doc.Controllers, jc)
	}
	for _, r := range inv.Rows {
		js := jsonSecret{Controller: e(r.Controller), ID: e(r.ID), Kind: e(r.Kind), Scope: e(r.Scope), Domain: e(r.Domain), Description: e(r.Description),
			Path: e(r.Path), Line: r.Line, Column: r.Column, Field: e(r.Field), Source: r.Source, Reference: e(r.Reference), Rotatable: r.Rotatable,
			IDTokenLifetimeSeconds: int(r.Lifetime / time.Second), MaxAgeDays: int(r.MaxAge / expiry.Day), RotationDue: inv.RotationDue(r),
			Pipelines: []jsonPlace{}, Notes: []string{}}
		for _, n := range r.Notes {
			js.Notes = append(js.Notes, e(n))
		}
		if r.Expires != nil {
			st, days := inv.Status(r)
			js.Expires = &jsonExpiry{Date: r.Expires.Date.Format(time.RFC3339), From: r.Expires.From, What: e(r.Expires.What), Status: st, Days: days}
		}
		if r.Rotated != nil {
			js.Rotated = &jsonRotation{Date: r.Rotated.Date.Format(time.RFC3339), From: r.Rotated.From}
		}
		if r.Changed != nil {
			js.LastChange = &jsonChange{Commit: r.Changed.Commit, Uncommitted: r.Changed.Uncommitted}
			if !r.Changed.Date.IsZero() {
				js.LastChange.Date = r.Changed.Date.Format(time.RFC3339)
			}
		}
		for _, u := range r.Pipelines {
			js.Pipelines = append(js.Pipelines, jsonPlace{e(u.Path), u.Line, u.Col})
		}
		doc.Secrets = append(doc.Secrets, js)
	}
	s := inv.Summary()
	doc.Summary = jsonSummary{Secrets: s.Secrets, Rotatable: s.Rotatable, InFiles: s.InFile, Expired: s.Expired, Expiring: s.Expiring,
		RotationDue: s.RotationDue, BySource: s.BySource}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
