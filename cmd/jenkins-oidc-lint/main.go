// Command jenkins-oidc-lint checks Jenkins OpenID Connect setups — JCasC oic
// realms, provider discovery metadata and pipelines — before they reach a
// controller. The command line is package cli. This program links neither
// the network stack nor an OIDC library, so that it starts as fast as a
// process can: a run that needs them (--online, access) continues in
// jenkins-oidc-lint-online, installed with it.
package main

import (
	"os"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/cmd/internal/cli"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func main() {
	cli.Main(cli.Program{Version: version, Handoff: func() error { return cli.Handoff(version, os.Args[1:]) }})
}
