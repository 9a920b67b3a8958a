// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"syscall"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/runtime/runner"
)

// botStatus is one line of "intelmq status".
type botStatus struct {
	BotID    string  `json:"bot_id"`
	Kind     string  `json:"kind"`
	State    string  `json:"state"`
	Queue    int     `json:"queue"`
	Internal int     `json:"internal_queue"`
	Success  int64   `json:"success"`
	Failure  int64   `json:"failure"`
	Dumped   int64   `json:"dumped"`
	Rate     float64 `json:"rate"` // processed messages per second while it ran
	Error    string  `json:"error,omitempty"`
}

// runtimeFlags are the flags of the management commands.
type runtimeFlags struct {
	*stateFlags
	dir string
}

func addRuntimeFlags(fs *flag.FlagSet) *runtimeFlags {
	rf := &runtimeFlags{stateFlags: addStateFlags(fs)}
	fs.StringVar(&rf.dir, "dir", ".", "the configuration directory")
	return rf
}

// configDirArg returns --dir, or the first positional argument for the
// commands that take the directory as their only argument.
func (rf *runtimeFlags) configDirArg(fs *flag.FlagSet) string {
	if fs.NArg() > 0 {
		return fs.Arg(0)
	}
	return rf.dir
}

func runStatus(env *Env, args []string) int {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	rf := addRuntimeFlags(fs)
	asJSON := fs.Bool("json", false, "print the status as JSON")
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "Usage: intelmq status [--json] [--state DIR] [--broker URL] [dir]")
		fmt.Fprintln(env.Stderr, "Shows each bot of the configuration: its state, its queues and what it processed.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	dir := rf.configDirArg(fs)
	p, code := compileForRun(env, "status", dir, rf.compile)
	if p == nil {
		return code
	}
	st, url := rf.resolve(dir)
	b, err := openBroker(url, st, queue.Options{})
	if err != nil {
		env.Errorf("intelmq status: %v", err)
		return exitUsage
	}
	defer b.Close()
	stats, err := readStats(st)
	if err != nil {
		env.Errorf("intelmq status: %v", err)
		return exitUsage
	}
	var out []botStatus
	for _, n := range p.Nodes {
		s, err := statusOf(context.Background(), b, n, stats)
		if err != nil {
			env.Errorf("intelmq status: %v", err)
			return exitUsage
		}
		out = append(out, s)
	}
	if *asJSON {
		return printJSON(env, out)
	}
	fmt.Fprintf(env.Stdout, "%-32s %-9s %-10s %9s %9s %10s %8s %8s %10s\n", "BOT", "KIND", "STATE", "QUEUE", "INTERNAL", "PROCESSED", "FAILED", "DUMPED", "RATE/S")
	for _, s := range out {
		fmt.Fprintf(env.Stdout, "%-32s %-9s %-10s %9d %9d %10d %8d %8d %10.1f\n", s.BotID, s.Kind, s.State, s.Queue, s.Internal, s.Success, s.Failure, s.Dumped, s.Rate)
	}
	return exitOK
}

func statusOf(ctx context.Context, b queue.Broker, n *plan.Node, stats map[string]runner.Snapshot) (botStatus, error) {
	s := botStatus{BotID: n.ID, Kind: n.Kind.String(), State: "never run"}
	if n.Kind != plan.KindCollector {
		var err error
		if s.Queue, err = b.Len(ctx, n.Queue()); err != nil {
			return s, err
		}
		if s.Internal, err = b.Len(ctx, n.InternalQueue()); err != nil {
			return s, err
		}
	}
	snap, ok := stats[n.ID]
	if !ok {
		return s, nil
	}
	s.State, s.Success, s.Failure, s.Dumped, s.Error = string(snap.State), snap.Success, snap.Failure, snap.Dumped, snap.Error
	if (snap.State == runner.StateRunning || snap.State == runner.StateStarting) && !alive(snap.PID) {
		s.State = "crashed"
	}
	if d := snap.Updated.Sub(snap.Started).Seconds(); d > 0 {
		s.Rate = float64(snap.Success) / d
	}
	return s, nil
}

// alive reports whether process pid exists.
func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// printJSON prints v indented, as intelmqctl's JSON mode does.
func printJSON(env *Env, v any) int {
	b, err := json.MarshalIndent(v, "", "    ")
	if err != nil {
		env.Errorf("intelmq: %v", err)
		return exitUsage
	}
	fmt.Fprintln(env.Stdout, string(b))
	return exitOK
}
