// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/internal/clock"
	"github.com/intelmq-go/intelmq/internal/didyoumean"
	"github.com/intelmq-go/intelmq/runtime/botlog"
	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/runtime/queue/sockq"
	"github.com/intelmq-go/intelmq/runtime/runner"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

func runProcess(env *Env, args []string) int {
	fs := flag.NewFlagSet("process", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	rf := addRuntimeFlags(fs)
	msg := fs.String("msg", "", "process this message (IntelMQ wire JSON; \"__type\" may be left out) instead of one from the queue; it is not acknowledged")
	dryrun := fs.Bool("dryrun", false, "do not send or acknowledge; say what would be done")
	showSent := fs.Bool("show-sent", false, "print the messages sent")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: intelmq process [--msg JSON] [--dryrun] [--show-sent] [--dir DIR] [--state DIR] [--broker URL] BOT")
		fmt.Fprintln(fs.Output(), "Runs one bot once on one message (IntelMQ's \"intelmqctl run BOT process\"): from --msg, or the next message of its queue.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(env, fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	p, code := compileForRun(env, "process", rf.dir, rf.compile)
	if p == nil {
		return code
	}
	n := p.Node(fs.Arg(0))
	if n == nil {
		var ids []string
		for _, x := range p.Nodes {
			ids = append(ids, x.ID)
		}
		env.Errorf("intelmq process: the configuration has no bot %q.%s", fs.Arg(0), didyoumean.Suffix(fs.Arg(0), ids))
		return exitUsage
	}
	st, url := rf.resolve(rf.dir)
	b, err := openManagedBroker(url, st, queue.Options{})
	if err != nil {
		env.Errorf("intelmq process: %v", err)
		return exitUsage
	}
	defer b.Close()
	pr := &processRun{env: env, node: n, broker: b, dryrun: *dryrun, showSent: *showSent}
	opts := pr.options(st, url)
	opts.DryRun = *dryrun
	if *msg != "" {
		raw, err := runner.DecodeInput(opts.Schema, n.Kind, []byte(*msg))
		if err != nil {
			env.Errorf("intelmq process: the message is not valid: %v", err)
			return exitUsage
		}
		return pr.process(opts, raw, nil)
	}
	if n.Kind == plan.KindCollector {
		return pr.process(opts, nil, nil)
	}
	return pr.fromQueue(opts)
}

// processRun is one "intelmq process".
type processRun struct {
	env              *Env
	node             *plan.Node
	broker           queue.Broker
	dryrun, showSent bool
}

func (pr *processRun) options(st stateDir, url string) runner.Options {
	reg, _ := botRegistry()
	clk := clock.System{}
	return runner.Options{Broker: pr.broker, Registry: reg, Schema: harmonization.Default(), Clock: clk,
		Logger: func(id string) *slog.Logger {
			return botlog.New(botlog.SyncWriter(pr.env.Stderr), id, slog.LevelInfo, clk)
		},
		Dumps: st.dumps(), StateDir: st.botsDir(), BrokerURL: url, Defaults: runner.DefaultBotOptions(), PID: os.Getpid()}
}

// fromQueue processes the next message of the bot's queue: acknowledged
// after its results are sent, or put back with --dryrun.
func (pr *processRun) fromQueue(opts runner.Options) int {
	ctx := context.Background()
	c, err := pr.broker.Consumer(pr.node.Queue(), pr.node.InternalQueue())
	if errors.Is(err, sockq.ErrNoConsumer) {
		pr.env.Errorf("intelmq process: intelmq run is running this pipeline and takes the messages of queue %s itself; give the message with --msg, or stop the run first.", pr.node.Queue())
		return exitUsage
	}
	if err != nil {
		pr.env.Errorf("intelmq process: %v", err)
		return exitUsage
	}
	defer c.Close()
	if n, err := pr.broker.Len(ctx, pr.node.Queue()); err == nil && n == 0 {
		if i, _ := pr.broker.Len(ctx, pr.node.InternalQueue()); i == 0 {
			fmt.Fprintf(pr.env.Stdout, "Queue %s is empty.\n", pr.node.Queue())
			return exitOK
		}
	}
	batch, err := c.Receive(ctx, 1)
	if err != nil {
		pr.env.Errorf("intelmq process: %v", err)
		return exitUsage
	}
	return pr.process(opts, batch.Messages()[0], batch)
}

// process runs the bot once and sends (or, dry, describes) the results;
// a batch from the queue is then acknowledged (or put back when dry).
func (pr *processRun) process(opts runner.Options, raw []byte, batch queue.Batch) int {
	ctx := context.Background()
	res, err := runner.ProcessMessage(ctx, pr.node, opts, raw)
	if res != nil {
		for _, s := range res.Sent {
			if pr.dryrun {
				fmt.Fprintf(pr.env.Stdout, "DRYRUN: Message would be sent now to %q!\n", s.Path)
			} else if err == nil {
				for _, q := range s.Queues {
					if e := pr.broker.Send(ctx, q, s.Message); e != nil {
						pr.env.Errorf("intelmq process: %v", e)
						return exitFindings
					}
				}
				fmt.Fprintf(pr.env.Stdout, "Message sent to path %q (%s).\n", s.Path, queuesOrDropped(s.Queues))
			}
			if pr.showSent {
				fmt.Fprintln(pr.env.Stdout, string(s.Message))
			}
		}
	}
	if err != nil {
		pr.env.Errorf("intelmq process: the bot failed: %v", err)
		if batch != nil {
			_ = batch.Nack(ctx)
		}
		return exitFindings
	}
	// A consumer bot that sent nothing and dumped nothing dropped the
	// message (a duplicate, a filtered event): say so rather than nothing.
	dropped := pr.node.Kind != plan.KindCollector && res != nil && len(res.Sent) == 0 && len(res.Dumps) == 0
	switch {
	case pr.dryrun && dropped:
		fmt.Fprintln(pr.env.Stdout, "DRYRUN: Message would be acknowledged (dropped).")
	case pr.dryrun && batch != nil:
		fmt.Fprintln(pr.env.Stdout, "DRYRUN: Message would be acknowledged now!")
	case dropped:
		fmt.Fprintln(pr.env.Stdout, "Message dropped: the bot sent nothing.")
	}
	switch {
	case batch == nil:
	case pr.dryrun:
		_ = batch.Nack(ctx)
	default:
		if err := batch.Ack(ctx); err != nil {
			pr.env.Errorf("intelmq process: %v", err)
			return exitFindings
		}
		fmt.Fprintln(pr.env.Stdout, "Message acknowledged.")
	}
	return exitOK
}

func queuesOrDropped(qs []string) string {
	if len(qs) == 0 {
		return "dropped"
	}
	return strings.Join(qs, ", ")
}
