// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"slices"
	"syscall"
	"time"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/runtime/runner"
)

// botStatus is one line of "intelmq status".
type botStatus struct {
	BotID    string  `json:"bot_id"`
	Kind     string  `json:"kind"`
	State    string  `json:"state"`
	Queue    *int    `json:"queue"` // nil (null) for a collector, and when the queue sizes are unavailable
	Internal *int    `json:"internal_queue"`
	Success  int64   `json:"success"`
	Failure  int64   `json:"failure"`
	Dumped   int64   `json:"dumped"`
	Rate     float64 `json:"rate"` // processed messages per second since it started, until it stopped
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
		fmt.Fprintln(fs.Output(), "Usage: intelmq status [--json] [--state DIR] [--broker URL] [dir]")
		fmt.Fprintln(fs.Output(), "Shows each bot of the configuration: its state, its queues and what it processed.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(env, fs, args); !ok {
		return code
	}
	dir := rf.configDirArg(fs)
	p, code := compileForRun(env, "status", dir, rf.compile)
	if p == nil {
		return code
	}
	st, url := rf.resolve(dir)
	stats, err := readStats(st)
	if err != nil {
		env.Errorf("intelmq status: %v", err)
		return exitUsage
	}
	b, err := openManagedBroker(url, st, queue.Options{})
	if err != nil {
		// A run in another process holds the embedded queue: the bots'
		// state files still tell how they are doing.
		pid := runningPID(stats)
		if url != brokerEmbedded || pid == 0 {
			env.Errorf("intelmq status: %v", err)
			return exitUsage
		}
		env.Errorf("intelmq status: queue sizes are unavailable while the pipeline runs in process %d, which holds the embedded queue.", pid)
		b = nil
	} else {
		defer b.Close()
	}
	var out []botStatus
	for _, n := range p.Nodes {
		s, err := statusOf(context.Background(), b, n, stats, time.Now())
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
		rate := fmt.Sprintf("%.1f", s.Rate)
		if s.Kind == plan.KindCollector.String() {
			rate = "-" // reports per second of a collection that took milliseconds say nothing
		}
		fmt.Fprintf(env.Stdout, "%-32s %-9s %-10s %9s %9s %10d %8d %8d %10s\n", s.BotID, s.Kind, s.State, sizeOrDash(s.Queue), sizeOrDash(s.Internal), s.Success, s.Failure, s.Dumped, rate)
	}
	return exitOK
}

// statusOf returns the status of the bot of node n at time now. A
// collector has no queues: its sizes stay nil, as when b is nil.
func statusOf(ctx context.Context, b queue.Broker, n *plan.Node, stats map[string]runner.Snapshot, now time.Time) (botStatus, error) {
	s := botStatus{BotID: n.ID, Kind: n.Kind.String(), State: "never run"}
	if n.Kind != plan.KindCollector && b != nil {
		q, err := b.Len(ctx, n.Queue())
		if err != nil {
			return s, err
		}
		i, err := b.Len(ctx, n.InternalQueue())
		if err != nil {
			return s, err
		}
		s.Queue, s.Internal = &q, &i
	}
	snap, ok := stats[n.ID]
	if !ok {
		return s, nil
	}
	s.State, s.Success, s.Failure, s.Dumped, s.Error = string(snap.State), snap.Success, snap.Failure, snap.Dumped, snap.Error
	// The state file is written after a batch: a bot still running has
	// been running until now, idle since its last batch or not.
	end := snap.Updated
	if snap.State == runner.StateRunning || snap.State == runner.StateStarting {
		if !alive(snap.PID) {
			s.State = "crashed"
		} else if now.After(end) {
			end = now
		}
	}
	if d := end.Sub(snap.Started).Seconds(); d > 0 {
		s.Rate = float64(snap.Success) / d
	}
	return s, nil
}

// sizeOrDash formats a queue size, "-" when it is unknown.
func sizeOrDash(n *int) string {
	if n == nil {
		return "-"
	}
	return fmt.Sprint(*n)
}

// runningPID returns the process id of a live run whose bots' state files
// say they are running, or 0 when there is none.
func runningPID(stats map[string]runner.Snapshot) int {
	for _, id := range slices.Sorted(maps.Keys(stats)) {
		snap := stats[id]
		if (snap.State == runner.StateRunning || snap.State == runner.StateStarting) && alive(snap.PID) {
			return snap.PID
		}
	}
	return 0
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
