// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"fmt"
	"io"
	"sort"
)

// Env is what a subcommand gets: its standard streams. Subcommands never
// touch os.Stdout or os.Exit directly, so tests run them in-process.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

// Errorf prints a message to standard error.
func (e *Env) Errorf(format string, args ...any) {
	fmt.Fprintf(e.Stderr, format+"\n", args...)
}

// command is one subcommand of intelmq.
type command struct {
	summary string
	run     func(env *Env, args []string) int
}

// Exit codes shared by the subcommands.
const (
	exitOK       = 0
	exitFindings = 1 // validation findings, failed cases, a bot that failed
	exitUsage    = 2 // bad usage or an I/O error
)

// commands returns the subcommand table. Each entry's run function lives in
// the file named after it (validate.go, parse.go, ...).
func commands() map[string]command {
	return map[string]command{
		"version":     {"Print the version.", runVersion},
		"validate":    {"Check feeds, parsers, bots and pipelines without running them.", runValidate},
		"plan":        {"Print the compiled plan of a configuration.", runPlan},
		"parse":       {"Run one parser over a sample file and print its events.", runParse},
		"fmt":         {"Rewrite .hcl files in the canonical layout.", runFmt},
		"schema":      {"Show the harmonization fields, their types and allowed values.", runSchema},
		"run":         {"Run the bots of a configuration (embedded queue or Redis).", runRun},
		"status":      {"Show each bot's state, queues and statistics.", runStatus},
		"queues":      {"List each bot's queues with their lengths.", runQueues},
		"clear":       {"Delete every message of a queue.", runClear},
		"dump":        {"List, show, re-inject or delete dumped messages.", runDump},
		"log":         {"Show a bot's last log entries.", runLog},
		"process":     {"Run one bot once on one message (--dryrun to only show).", runProcess},
		"conformance": {"Replay IntelMQ's parser test cases against the parser library.", runConformance},
		"feeds":       {"List the shipped library's feeds or show one (list, show NAME).", runFeeds},
	}
}

// Version is the version printed by "intelmq version".
const Version = "0.1.0-dev"

func runVersion(env *Env, args []string) int {
	fmt.Fprintf(env.Stdout, "intelmq %s\n", Version)
	return exitOK
}

// Main runs the intelmq command line with args (without the program name)
// and returns the process exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &Env{Stdin: stdin, Stdout: stdout, Stderr: stderr}
	cmds := commands()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.Stdout, cmds)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	c, ok := cmds[args[0]]
	if !ok {
		env.Errorf("intelmq: unknown command %q; run \"intelmq help\" for the list.", args[0])
		return exitUsage
	}
	return c.run(env, args[1:])
}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "Usage: intelmq <command> [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run \"intelmq <command> -h\" for a command's flags.")
}
