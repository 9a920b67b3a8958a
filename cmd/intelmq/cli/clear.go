// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/intelmq-go/intelmq/internal/didyoumean"
	"github.com/intelmq-go/intelmq/runtime/queue"
)

// exitNotFound is intelmqctl's exit status for clearing an unknown queue.
const exitNotFound = 2

func runClear(env *Env, args []string) int {
	fs := flag.NewFlagSet("clear", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	rf := addRuntimeFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: intelmq clear [--dir DIR] [--state DIR] [--broker URL] QUEUE")
		fmt.Fprintln(fs.Output(), "Deletes every message of a queue of the configuration (a source or internal queue). The messages are lost.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(env, fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	name := fs.Arg(0)
	p, code := compileForRun(env, "clear", rf.dir, rf.compile)
	if p == nil {
		return code
	}
	var known []string
	for _, n := range p.Nodes {
		known = append(known, n.Queue(), n.InternalQueue())
	}
	found := false
	for _, k := range known {
		found = found || k == name
	}
	if !found {
		env.Errorf("intelmq clear: the configuration has no queue %q.%s", name, didyoumean.Suffix(name, known))
		return exitNotFound
	}
	st, url := rf.resolve(rf.dir)
	b, err := openManagedBroker(url, st, queue.Options{})
	if err != nil {
		env.Errorf("intelmq clear: %v", err)
		return exitUsage
	}
	defer b.Close()
	ctx := context.Background()
	n, err := b.Len(ctx, name)
	if err == nil {
		err = b.Clear(ctx, name)
	}
	if err != nil {
		env.Errorf("intelmq clear: %v", err)
		return exitFindings
	}
	fmt.Fprintf(env.Stdout, "Queue %s cleared: %d messages removed.\n", name, n)
	return exitOK
}
