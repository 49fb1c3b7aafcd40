// Command gencert writes a self-signed certificate's PEM, without its key,
// for fixtures that must be files (testdata/rules/secret-expiring):
//
//	go run ./source/expiry/expirytest/gencert -cn registry.example.com -not-after 2026-07-01 > ca.pem
//
// The key is generated and thrown away, so the file holds no secret.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/expiry/expirytest"
)

func main() {
	cn := flag.String("cn", "test.example.com", "subject common name")
	nb := flag.String("not-before", "2025-01-01", "first day of validity (YYYY-MM-DD)")
	na := flag.String("not-after", "2026-07-01", "notAfter (YYYY-MM-DD)")
	flag.Parse()
	from, err := time.Parse("2006-01-02", *nb)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencert: -not-before:", err)
		os.Exit(2)
	}
	to, err := time.Parse("2006-01-02", *na)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencert: -not-after:", err)
		os.Exit(2)
	}
	os.Stdout.Write(expirytest.SelfSigned(*cn, from, to).PEM)
}
