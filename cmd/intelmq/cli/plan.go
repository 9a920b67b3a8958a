// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"flag"
	"fmt"

	"github.com/intelmq-go/intelmq/compiler/plan"
)

func runPlan(env *Env, args []string) int {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var opts compileOptions
	addLibraryFlag(fs, &opts)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: intelmq plan [--no-library] [paths...]")
		fmt.Fprintln(fs.Output(), "Compiles the paths and prints the plan: feeds, parsers with their typed mappings, bots, pipelines and the bot graph.")
		fmt.Fprintln(fs.Output(), "Of the shipped library, only what the configuration uses is in the plan.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(env, fs, args); !ok {
		return code
	}
	c, err := compilePaths(pathArgs(fs), opts)
	if err != nil {
		env.Errorf("intelmq plan: %v", err)
		return exitUsage
	}
	if err := writeTextDiagnostics(env.Stderr, c.loader.Files(), c.diags); err != nil {
		env.Errorf("intelmq plan: %v", err)
		return exitUsage
	}
	switch {
	case c.ioErr:
		return exitUsage
	case c.plan == nil:
		fmt.Fprintln(env.Stderr, summarize(c))
		return exitFindings
	}
	if err := plan.Dump(env.Stdout, c.plan); err != nil {
		env.Errorf("intelmq plan: %v", err)
		return exitUsage
	}
	return exitOK
}
