package rules

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/idtoken"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/trust"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/trustcheck"
)

// StaticCloudCredential: see docs/static-cloud-credential.md.
var StaticCloudCredential = &Rule{ID: "static-cloud-credential", Workspace: checkStaticCloudCredential}

// cloudKey is a long-lived cloud key a credential holds, and how to replace
// it with an id token.
type cloudKey struct {
	what     string // "a long-lived AWS access key (an aws credential)"
	cloud    string // "AWS", "Google Cloud", "Azure"
	kind     trust.Kind
	audience string
}

var (
	awsKeyID = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(AKIA|ASIA)[A-Z0-9]{16}$`) })
	gcpWords = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)(^|[^a-z])(gcp|gcloud|google|gke|gcs|bigquery|firebase)([^a-z]|$)`)
	})
	keyWords = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)(key|json|service-?account|sa|creds?|credentials?)([^a-z]|$)`)
	})
)

// staticCloudKey tells whether a JCasC credential holds a long-lived cloud
// key: the aws-credentials plugin's aws (access key and secret key), a
// username/password whose username is an AWS access key ID, the
// google-oauth plugin's googleRobotPrivateKey (a service-account key), a
// secret file named for a Google service-account key, the
// azure-credentials plugin's azure (a service principal's client secret or
// certificate).
func staticCloudKey(c *jcasc.Credential) (cloudKey, bool) {
	switch c.Kind {
	case "aws":
		return cloudKey{"a long-lived AWS access key (an aws credential)", "AWS", trust.AWSRole, stsAudience}, true
	case "usernamePassword":
		if awsKeyID().MatchString(c.Username.Value) {
			return cloudKey{"a long-lived AWS access key (a usernamePassword credential whose username is an access key ID)", "AWS", trust.AWSRole, stsAudience}, true
		}
	case "googleRobotPrivateKey":
		return cloudKey{"a Google Cloud service-account key (a googleRobotPrivateKey credential)", "Google Cloud", trust.GCPPoolProvider, ""}, true
	case "file":
		if id := c.ID.Value; gcpWords().MatchString(id) && keyWords().MatchString(id) {
			return cloudKey{"a Google Cloud service-account key file (a file credential, by its ID)", "Google Cloud", trust.GCPPoolProvider, ""}, true
		}
	case "azure":
		return cloudKey{"an Azure service principal's client secret (an azure credential)", "Azure", trust.AzureFIC, entraAudience}, true
	}
	return cloudKey{}, false
}

// checkStaticCloudCredential reports pipelines that bind a long-lived
// cloud key defined in JCasC (at the pipeline's first use of it), or the
// definition when no pipeline read uses it, with how to switch to an id
// token: which credential to bind and which trust to create. A credential
// that no JCasC read defines (one made in the web UI) is reported where a
// pipeline binds it as AWS keys: the binding alone tells its kind.
func checkStaticCloudCredential(p *Pass) {
	ctls := trustcheck.Controllers(p.WS.JCasC)
	// each pipeline's first use of each literal credential ID
	uses := map[string][]report.Related{}
	ends := map[report.Related]report.Position{}
	for _, pf := range p.facts {
		for _, u := range pf.credUses {
			r := report.Related{Pos: u.pos}
			uses[u.id] = append(uses[u.id], r)
			ends[r] = u.end
		}
	}
	for _, d := range p.WS.JCasC {
		for _, c := range d.Credentials {
			key, ok := staticCloudKey(c)
			if !ok {
				continue
			}
			id := c.ID.Value
			name := fmt.Sprintf("credential '%s'", id)
			if !c.ID.NonEmpty() {
				name = "the " + c.Kind + " credential"
			}
			var ctl *trustcheck.Controller
			for _, x := range ctls {
				if x.Key == d.Controller {
					ctl = x
				}
			}
			advice := switchAdvice(p, ctl, key)
			defAt := c.KindAt
			if c.ID.Set() {
				defAt = c.ID.At
			}
			if c.ID.NonEmpty() && len(uses[id]) > 0 {
				for _, u := range uses[id] {
					p.Report(report.Finding{Pos: u.Pos, End: ends[u],
						Message: fmt.Sprintf("this pipeline binds credential '%s', %s: such a key does not expire and works from anywhere once it leaks (build logs, agents, a copied workspace); %s", id, key.what, advice),
						Related: []report.Related{{Pos: defAt.Pos(d.File), Message: fmt.Sprintf("'%s' is defined here as %s", id, c.Kind)}}})
				}
				continue
			}
			p.Report(report.Finding{Pos: defAt.Pos(d.File), End: defAt.End(d.File),
				Message: fmt.Sprintf("%s holds %s for pipelines: such a key does not expire and works from anywhere once it leaks (build logs, agents, a copied workspace); %s", name, key.what, advice)})
		}
	}
	checkUndefinedAWSBindings(p, ctls)
}

// uiAWSKey is the key an aws credential holds when the files read do not
// define it.
var uiAWSKey = cloudKey{"an aws credential (aws-credentials plugin), which holds a long-lived access key unless it only assumes a role with the agent's own credentials", "AWS", trust.AWSRole, stsAudience}

// checkUndefinedAWSBindings reports each pipeline's first use of a
// credential ID that it binds as AWS keys and that no JCasC read defines
// (the run's credential index knows every ID defined). The advice is for
// the workspace's controller when it has exactly one (a share of a run is
// never that: the run it is part of has several).
func checkUndefinedAWSBindings(p *Pass, ctls []*trustcheck.Controller) {
	defined := p.index().anyID
	var advice string
	for _, pf := range p.facts {
		for _, u := range pf.credUses {
			if !u.aws || defined[u.id] {
				continue
			}
			if advice == "" {
				var ctl *trustcheck.Controller
				if len(ctls) == 1 && p.WS.Whole() {
					ctl = ctls[0]
				}
				advice = switchAdvice(p, ctl, uiAWSKey)
			}
			p.Report(report.Finding{Pos: u.pos, End: u.end,
				Message: fmt.Sprintf("this pipeline binds credential '%s' as AWS keys, so it is %s (no JCasC read defines it: it was made in the web UI or elsewhere): such a key does not expire and works from anywhere once it leaks (build logs, agents, a copied workspace); %s", u.id, uiAWSKey.what, advice)})
		}
	}
}

// switchAdvice says how to replace a cloud key with an id token on this
// controller: the id-token credential to bind (one it has, or one to
// define), and the trust to create for its issuer (or the one that exists).
func switchAdvice(p *Pass, ctl *trustcheck.Controller, key cloudKey) string {
	var idt *idtoken.Controller
	if ctl != nil {
		idt = ctl.IDT
	}
	issuer := ""
	if idt != nil && idt.Issuer.Known {
		issuer = idt.Issuer.Text
	}
	var b strings.Builder
	// the credential
	existing := ""
	if idt != nil {
		for _, cr := range idt.Credentials {
			if cr.Folder == "" && !cr.NotServed() && cr.Audience.Known && fitsCloud(key, cr.Audience.Text) {
				existing = cr.ID.Text
				break
			}
		}
	}
	aud := key.audience
	if aud == "" {
		aud = "//iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>"
	}
	if existing != "" {
		fmt.Fprintf(&b, "the controller already issues id tokens for %s: bind its credential '%s' instead (%s)", key.cloud, existing, useHint(key))
	} else {
		how := "the controller can issue id tokens instead"
		if idt != nil && len(idt.Credentials) > 0 {
			how = "the controller already issues id tokens"
		}
		kind := "idTokenFile"
		if key.kind == trust.AzureFIC {
			kind = "idToken"
		}
		fmt.Fprintf(&b, "%s: define an %s credential (oidc-provider plugin) with audience %s and bind it (%s)", how, kind, aud, useHint(key))
	}
	// the trust
	if issuer == "" {
		b.WriteString("; set unclassified.location.url (the issuer is that URL plus oidc) and create a trust of it")
		return b.String()
	}
	for _, t := range trustcheck.Trusts(p.WS.Trusts) {
		if t.Kind == key.kind && t.Issuer.Known && t.Issuer.Text == issuer {
			fmt.Fprintf(&b, "; %s already trusts the issuer %s", trustName(t), issuer)
			return b.String()
		}
	}
	host := strings.TrimPrefix(strings.TrimPrefix(issuer, "https://"), "http://")
	job := "https://" + strings.TrimSuffix(strings.TrimSuffix(host, idtoken.URLName), "/") + "/job/<job>/"
	if r := idt.RootURL; r.Known && r.Text != "" {
		job = strings.TrimSuffix(r.Text, "/") + "/job/<job>/"
	}
	switch key.kind {
	case trust.AWSRole:
		fmt.Fprintf(&b, "; create an IAM OIDC provider for %s (client ID %s) and a role trusting it with StringEquals %s:aud = %s and %s:sub = %s", issuer, stsAudience, host, stsAudience, host, job)
	case trust.GCPPoolProvider:
		fmt.Fprintf(&b, "; create a workload identity pool provider with issuer_uri %s and attribute_condition \"assertion.sub == '%s'\"", issuer, job)
	case trust.AzureFIC:
		fmt.Fprintf(&b, "; create a federated identity credential with issuer %s, subject %s and audience %s", issuer, job, entraAudience)
	}
	return b.String()
}

// fitsCloud reports whether an id-token audience is the one a cloud
// expects.
func fitsCloud(key cloudKey, aud string) bool {
	if key.audience != "" {
		return aud == key.audience
	}
	return strings.HasPrefix(aud, "//iam.googleapis.com/") || strings.HasPrefix(aud, "https://iam.googleapis.com/")
}

// useHint says how a pipeline uses the id token for a cloud.
func useHint(key cloudKey) string {
	switch key.kind {
	case trust.AWSRole:
		return "withCredentials([file(credentialsId: '…', variable: 'AWS_WEB_IDENTITY_TOKEN_FILE')]) with AWS_ROLE_ARN set: the AWS CLI and SDKs assume the role"
	case trust.GCPPoolProvider:
		return "withCredentials([file(credentialsId: '…', variable: 'ID_TOKEN_FILE')]) and gcloud iam workload-identity-pools create-cred-config … --credential-source-file=$ID_TOKEN_FILE"
	case trust.AzureFIC:
		return "withCredentials([string(credentialsId: '…', variable: 'AZURE_FEDERATED_TOKEN')]) and az login --service-principal -u <client-id> -t <tenant> --federated-token \"$AZURE_FEDERATED_TOKEN\""
	}
	return ""
}
