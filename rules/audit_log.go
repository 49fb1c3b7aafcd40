package rules

import (
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
)

// AuditLogMissing: see docs/audit-log-missing.md.
var AuditLogMissing = &Rule{ID: "audit-log-missing", Workspace: checkAuditLog}

// checkAuditLog wants an audit trail wherever an OIDC realm signs people in:
// the audit-trail plugin with at least one logger, recording sign-ins
// (logAuthEvents) and credential use (logCredentialsUsage), both on by
// default.
func checkAuditLog(p *Pass) {
	r := oidcRealm(p)
	if r == nil {
		return
	}
	realmAt := []report.Related{{Pos: r.Key.Pos(r.File), Message: "the oic realm"}}
	found := false
	for _, d := range p.WS.JCasC {
		a := d.AuditTrail
		if a == nil {
			continue
		}
		found = true
		if a.Loggers == 0 {
			f := p.ReportAt(d.File, a.Key, "audit-trail is configured without loggers, so nothing is recorded: add a logFile, syslog or console logger")
			f.Related = realmAt
		}
		if a.LogAuthEvents.Set() && !a.LogAuthEvents.Value && !a.LogAuthEvents.Variable {
			f := p.ReportAt(d.File, a.LogAuthEvents.Node(), "logAuthEvents: false drops sign-ins and sign-outs from the audit trail: OIDC logins leave no record; set it to true")
			f.Fix = replaceScalar(d.File, a.LogAuthEvents.Node(), "true", "record sign-ins")
		}
		if a.LogCredentialsUsage.Set() && !a.LogCredentialsUsage.Value && !a.LogCredentialsUsage.Variable {
			f := p.ReportAt(d.File, a.LogCredentialsUsage.Node(), "logCredentialsUsage: false drops credential and token use from the audit trail; set it to true")
			f.Fix = replaceScalar(d.File, a.LogCredentialsUsage.Node(), "true", "record credential use")
		}
	}
	if !found {
		p.ReportAt(r.File, r.Key, "an OIDC realm is configured but no audit trail records sign-ins and credential use: configure the audit-trail plugin (unclassified.audit-trail with a logger) so audits can tell who did what")
	}
}
