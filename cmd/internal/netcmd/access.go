// Package netcmd is what jenkins-oidc-lint-online adds to the command line
// of package cli: the --online checker and the access command, the parts
// that need the network stack or an OIDC library (go-oidc), which
// jenkins-oidc-lint does not link.
package netcmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/access"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/cmd/internal/command"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/lint"
)

// Access is `jenkins-oidc-lint access`: who gets what for a set of claims
// or an ID token.
func Access(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := command.New("access", stderr)
	fs := cmd.Flags
	claimsPath := fs.String("claims", "", "read the claims from JSON `FILE` (\"-\": standard input)")
	tokenPath := fs.String("token", "", "read an ID token (JWT) from `FILE` (\"-\": standard input); it is decoded offline")
	jwksPath := fs.String("jwks", "", "verify the token's signature, issuer, audience and expiry with the JSON Web Key Set in `FILE`")
	format := fs.StringP("format", "f", "text", "output `FORMAT`: text|json")
	realmPath := fs.String("realm", "", "use the oic realm of JCasC `FILE` when PATH holds several")
	items := fs.StringArray("item", nil, "check whether item role patterns cover this job full `NAME` (repeatable)")
	agents := fs.StringArray("agent", nil, "check whether agent role patterns cover this agent `NAME` (repeatable)")
	usage := func(w io.Writer) {
		fmt.Fprintf(w, "Usage: jenkins-oidc-lint access (--claims FILE | --token FILE [--jwks FILE]) [flags] [PATH...]\n\n")
		fmt.Fprintf(w, "Shows the Jenkins user name and groups the oic realm in PATH (default \".\") derives from\nthe claims, every role or matrix entry that applies, and the resulting permissions.\n\nFlags:\n%s", fs.FlagUsages())
		fmt.Fprintf(w, "\nExit codes: 0 printed; 1 the identity gets no usable permissions, cannot sign in, or a token\ncheck failed; 2 usage error, unreadable input, or no oic realm in PATH.\n")
	}
	fail := cmd.Fail
	if code, done := cmd.Parse(args, stdout, usage); done {
		return code
	}
	switch {
	case *claimsPath == "" && *tokenPath == "":
		return fail("give the identity with --claims FILE or --token FILE")
	case *claimsPath != "" && *tokenPath != "":
		return fail("--claims and --token are alternatives: give one")
	case *jwksPath != "" && *tokenPath == "":
		return fail("--jwks verifies a token: it needs --token")
	case *format != "text" && *format != "json":
		return fail("--format: unknown format %q (want text or json)", *format)
	}
	paths := fs.Args()
	for _, p := range paths {
		if p == "-" {
			return fail("PATH cannot be standard input (\"-\") here: give the JCasC files or directories")
		}
	}

	req := access.Request{Items: *items, Agents: *agents}
	inputPath := *claimsPath + *tokenPath
	data, err := readInput(inputPath, stdin)
	if err != nil {
		return fail("%v", err)
	}
	name := inputName(inputPath)
	if *claimsPath != "" {
		claims, err := access.DecodeClaims(data)
		if err != nil {
			return fail("--claims %s %v", name, err)
		}
		req.Claims, req.ClaimsFrom = claims, "claims file "+name
	} else {
		tok, err := access.ParseToken(data)
		if err != nil {
			return fail("--token %s: %v", name, err)
		}
		req.Token, req.Claims, req.ClaimsFrom = tok, tok.Claims, "token "+name
	}

	l := lint.Load(lint.Options{Paths: paths})
	for _, e := range l.Errors {
		fmt.Fprintln(stderr, e.Escaped())
	}
	doc, err := access.PickRealm(l.WS.JCasC, *realmPath, paths)
	if err != nil {
		return fail("%v", err)
	}
	req.UseRealm(doc, l.WS.JCasC)

	if *jwksPath != "" {
		kdata, err := os.ReadFile(*jwksPath)
		if err != nil {
			return fail("--jwks: %v", err)
		}
		keys, err := access.ParseJWKS(kdata)
		if err != nil {
			return fail("--jwks %s: %v", *jwksPath, err)
		}
		req.KeysFrom = fmt.Sprintf("%q", filepath.ToSlash(*jwksPath))
		req.Checks = req.Token.Verify(context.Background(), keys, access.RealmExpectations(req.Realm, req.KeysFrom))
	}

	res := access.Evaluate(req)
	if *format == "json" {
		err = access.WriteJSON(stdout, res)
	} else {
		err = access.WriteText(stdout, res)
	}
	if err != nil {
		return fail("writing the result: %v", err)
	}
	switch {
	case len(l.Errors) > 0:
		return command.Trouble // the answer may miss what those files say
	case res.Failed():
		return command.Findings
	}
	return command.OK
}

func readInput(path string, stdin io.Reader) ([]byte, error) {
	const limit = 1 << 20
	var r io.Reader
	if path == "-" {
		r = stdin
	} else {
		fh, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer fh.Close()
		r = fh
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", inputName(path), err)
	}
	if len(data) > limit {
		return nil, fmt.Errorf("%s is larger than 1 MiB: not a token or a claims object", inputName(path))
	}
	return data, nil
}

func inputName(path string) string {
	if path == "-" {
		return "<stdin>"
	}
	return fmt.Sprintf("%q", filepath.ToSlash(path))
}
