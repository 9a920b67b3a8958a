// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"context"
	"flag"
	"fmt"
	"sort"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/runtime/queue"
)

// botQueues is one bot of "intelmq queues --json", in intelmqctl's
// "list queues" form.
type botQueues struct {
	SourceQueue       *queueCount  `json:"source_queue,omitempty"`
	InternalQueue     *int         `json:"internal_queue,omitempty"`
	DestinationQueues []queueCount `json:"destination_queues"`
}

// queueCount is a queue name and its length, a JSON pair as intelmqctl
// prints it.
type queueCount struct {
	Name  string
	Count int
}

// MarshalJSON writes [name, count].
func (q queueCount) MarshalJSON() ([]byte, error) {
	return []byte(fmt.Sprintf("[%q, %d]", q.Name, q.Count)), nil
}

func runQueues(env *Env, args []string) int {
	fs := flag.NewFlagSet("queues", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	rf := addRuntimeFlags(fs)
	asJSON := fs.Bool("json", false, "print the queues as JSON (intelmqctl list queues)")
	nonEmpty := fs.Bool("q", false, "show only bots with waiting messages")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: intelmq queues [--json] [-q] [--state DIR] [--broker URL] [dir]")
		fmt.Fprintln(fs.Output(), "Lists each bot's source, internal and destination queues with their lengths.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(env, fs, args); !ok {
		return code
	}
	dir := rf.configDirArg(fs)
	p, code := compileForRun(env, "queues", dir, rf.compile)
	if p == nil {
		return code
	}
	st, url := rf.resolve(dir)
	b, err := openManagedBroker(url, st, queue.Options{})
	if err != nil {
		if stats, _ := readStats(st); url == brokerEmbedded && runningPID(stats) != 0 {
			env.Errorf("intelmq queues: the queue sizes are unavailable while the pipeline runs in process %d, which holds the embedded queue; \"intelmq status\" shows its bots' state.", runningPID(stats))
			return exitFindings
		}
		env.Errorf("intelmq queues: %v", err)
		return exitUsage
	}
	defer b.Close()
	all := map[string]botQueues{}
	var total int
	for _, n := range p.Nodes {
		q, err := queuesOf(context.Background(), b, n)
		if err != nil {
			env.Errorf("intelmq queues: %v", err)
			return exitUsage
		}
		all[n.ID] = q
		if q.SourceQueue != nil {
			total += q.SourceQueue.Count + *q.InternalQueue
		}
	}
	if *asJSON {
		return printJSON(env, all)
	}
	ids := make([]string, 0, len(all))
	for id := range all {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	fmt.Fprintf(env.Stdout, "%-32s %-40s %9s %9s\n", "BOT", "SOURCE QUEUE", "WAITING", "INTERNAL")
	for _, id := range ids {
		q := all[id]
		if q.SourceQueue == nil {
			if !*nonEmpty {
				fmt.Fprintf(env.Stdout, "%-32s %-40s %9s %9s\n", id, "-", "-", "-")
			}
			continue
		}
		if *nonEmpty && q.SourceQueue.Count+*q.InternalQueue == 0 {
			continue
		}
		fmt.Fprintf(env.Stdout, "%-32s %-40s %9d %9d\n", id, q.SourceQueue.Name, q.SourceQueue.Count, *q.InternalQueue)
	}
	fmt.Fprintf(env.Stdout, "%d messages waiting in all queues.\n", total)
	return exitOK
}

func queuesOf(ctx context.Context, b queue.Broker, n *plan.Node) (botQueues, error) {
	var q botQueues
	if n.Kind != plan.KindCollector {
		c, err := b.Len(ctx, n.Queue())
		if err != nil {
			return q, err
		}
		i, err := b.Len(ctx, n.InternalQueue())
		if err != nil {
			return q, err
		}
		q.SourceQueue, q.InternalQueue = &queueCount{n.Queue(), c}, &i
	}
	seen := map[string]bool{}
	q.DestinationQueues = []queueCount{}
	paths := n.Paths()
	names := make([]string, 0, len(paths))
	for p := range paths {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		for _, d := range paths[p] {
			if seen[d] {
				continue
			}
			seen[d] = true
			c, err := b.Len(ctx, d)
			if err != nil {
				return q, err
			}
			q.DestinationQueues = append(q.DestinationQueues, queueCount{d, c})
		}
	}
	return q, nil
}
