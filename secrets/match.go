package secrets

import (
	"sort"
	"sync"
)

// Match is one secret found by Scan.
type Match struct {
	// Start and End are byte offsets of the secret value in the scanned data:
	// data[Start:End] is the secret (only the value, never its name).
	Start, End int
	// Kind is a stable id such as "github-pat" (see Kinds).
	Kind string
	// Description says in words what was found: "GitHub personal access token".
	Description string
}

// Kind ids. They are stable: users may write them in configurations.
const (
	KindAWSAccessKeyID          = "aws-access-key-id"
	KindAWSSecretAccessKey      = "aws-secret-access-key"
	KindGitHubPAT               = "github-pat"
	KindGitHubFineGrainedPAT    = "github-fine-grained-pat"
	KindGitHubOAuth             = "github-oauth"
	KindGitHubAppToken          = "github-app-token"
	KindGitHubRefreshToken      = "github-refresh-token"
	KindGitLabPAT               = "gitlab-pat"
	KindGitLabToken             = "gitlab-token"
	KindSlackToken              = "slack-token"
	KindSlackWebhook            = "slack-webhook"
	KindPrivateKey              = "private-key"
	KindJWT                     = "jwt"
	KindOktaAPIToken            = "okta-api-token"
	KindAzureClientSecret       = "azure-client-secret"
	KindGCPServiceAccount       = "gcp-service-account"
	KindGCPAPIKey               = "gcp-api-key"
	KindGoogleOAuthClientSecret = "google-oauth-client-secret"
	KindNPMToken                = "npm-token"
	KindJenkinsAPIToken         = "jenkins-api-token"
	KindURLCredentials          = "url-credentials"
	KindCLIPassword             = "cli-password"
	KindGenericAssignment       = "generic-assignment"
)

type kindInfo struct {
	desc string
	// prio decides which of two overlapping matches is kept: the higher.
	prio int
}

// kinds are the kinds with a constant: the hand-written detectors' and those
// the formats table's rows share. A row may bring a kind of its own with its
// Description; the compiled table (defaultTable().kinds) holds both.
var kinds = sync.OnceValue(func() map[string]kindInfo {
	return map[string]kindInfo{
		KindAWSAccessKeyID:          {"AWS access key ID (with its secret key nearby)", 80},
		KindAWSSecretAccessKey:      {"AWS secret access key", 70},
		KindGitHubPAT:               {"GitHub personal access token", 80},
		KindGitHubFineGrainedPAT:    {"GitHub fine-grained personal access token", 80},
		KindGitHubOAuth:             {"GitHub OAuth access token", 80},
		KindGitHubAppToken:          {"GitHub App token", 80},
		KindGitHubRefreshToken:      {"GitHub refresh token", 80},
		KindGitLabPAT:               {"GitLab personal access token", 80},
		KindGitLabToken:             {"GitLab token (deploy, runner, trigger or CI job)", 80},
		KindSlackToken:              {"Slack token", 80},
		KindSlackWebhook:            {"Slack incoming webhook URL", 80},
		KindPrivateKey:              {"private key block", 90},
		KindJWT:                     {"JSON Web Token", 75},
		KindOktaAPIToken:            {"Okta API token", 80},
		KindAzureClientSecret:       {"Microsoft Entra ID (Azure AD) client secret", 80},
		KindGCPServiceAccount:       {"Google Cloud service-account private key", 95},
		KindGCPAPIKey:               {"Google Cloud API key", 80},
		KindGoogleOAuthClientSecret: {"Google OAuth client secret", 80},
		KindNPMToken:                {"npm access token", 80},
		KindJenkinsAPIToken:         {"Jenkins API token", 78},
		KindURLCredentials:          {"password or token inside a URL", 50},
		KindCLIPassword:             {"password on a command line", 40},
		KindGenericAssignment:       {"literal value assigned to a secret-named variable", 10},
	}
})

// KindInfo describes one kind of secret Scan knows.
type KindInfo struct {
	Kind        string
	Description string
}

// Kinds lists every kind Scan can report, sorted by id: the hand-written
// detectors' and the formats table's.
func Kinds() []KindInfo {
	out := make([]KindInfo, 0, len(defaultTable().kinds))
	for k, v := range defaultTable().kinds {
		out = append(out, KindInfo{Kind: k, Description: v.desc})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Kind < out[j].Kind })
	return out
}

// Describe returns the description of a kind id, or "" for an unknown id.
func Describe(kind string) string { return defaultTable().kinds[kind].desc }
