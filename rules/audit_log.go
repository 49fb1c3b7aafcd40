package rules

import (
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
)

// AuditLogMissing: see docs/audit-log-missing.md.
var AuditLogMissing = &Rule{ID: "audit-log-missing", Workspace: checkAuditLog}

// checkAuditLog wants an audit trail wherever an OIDC realm signs people in:
// the audit-trail plugin with at least one logger, recording sign-ins
// (logAuthEvents) and credential use (logCredentialsUsage), both on by
// default. Each controller with a realm needs its own (JCasC merges one
// controller's files, not another's): an audit trail covers the realm of
// its own controller, and, when it sits in a controller with no realm (a
// shared file whose controller cannot be told), every realm. The finding
// goes to each uncovered controller's first realm.
func checkAuditLog(p *Pass) {
	realms := p.WS.Realms()
	if len(realms) == 0 {
		return
	}
	// the controllers with a realm, in the JCasC list's order, and the
	// first realm of each (the workspace's index)
	var controllers []string
	for _, r := range realms {
		if c := r.Doc.Controller; p.WS.ControllerRealms(c)[0] == r {
			controllers = append(controllers, c)
		}
	}
	first := func(c string) *jcasc.Realm {
		if rs := p.WS.ControllerRealms(c); len(rs) > 0 {
			return rs[0]
		}
		return nil
	}
	covered := map[string]bool{}
	coversAll := false
	for _, d := range p.WS.JCasC {
		a := d.AuditTrail
		if a == nil {
			continue
		}
		r := first(d.Controller)
		if r != nil {
			covered[d.Controller] = true
		} else {
			coversAll = true
			if len(controllers) == 1 {
				r = first(controllers[0])
			}
		}
		if a.Loggers == 0 {
			f := p.ReportAt(d.File, a.Key, "audit-trail is configured without loggers, so nothing is recorded: add a logFile, syslog or console logger")
			if r != nil {
				f.Related = []report.Related{{Pos: r.Key.Pos(r.File), Message: "the oic realm"}}
			}
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
	if coversAll {
		return
	}
	for _, c := range controllers {
		if !covered[c] {
			r := first(c)
			p.ReportAt(r.File, r.Key, "an OIDC realm is configured but no audit trail records sign-ins and credential use: configure the audit-trail plugin (unclassified.audit-trail with a logger) so audits can tell who did what")
		}
	}
}
