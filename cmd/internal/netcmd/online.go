package netcmd

import (
	"time"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/lint"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/online"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry"
)

// Online is the --online checker with the flags' settings: each request
// may take timeout in all and connectTimeout to connect; the provider's
// certificates are judged by exp, like committed ones.
func Online(timeout, connectTimeout time.Duration, userAgent string, exp expiry.Settings) lint.Online {
	return online.Options{Timeout: timeout, ConnectTimeout: connectTimeout, UserAgent: userAgent, Expiry: &exp}
}
