// SPDX-License-Identifier: AGPL-3.0-or-later

// Command intelmq validates, plans and runs IntelMQ pipelines declared in HCL.
package main

import (
	"os"

	"github.com/intelmq-go/intelmq/cmd/intelmq/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
