// Command jenkins-oidc-lint-online is jenkins-oidc-lint with what needs the
// network stack or an OIDC library: --online and the access command.
// jenkins-oidc-lint hands such runs to it (found through
// $JENKINS_OIDC_LINT_ONLINE, else next to itself, else on PATH); run by
// hand, it takes the same command line.
package main

import (
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/cmd/internal/cli"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/cmd/internal/netcmd"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func main() {
	cli.Main(cli.Program{Version: version, Net: &cli.Net{Online: netcmd.Online, Access: netcmd.Access}})
}
