// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/runtime/queue/broker"
	"github.com/intelmq-go/intelmq/runtime/queue/redisq"
	"github.com/intelmq-go/intelmq/runtime/runner"
)

// showProgress rewrites one terminal line every second with the events
// written per second and the queue depths, until done.
func (r *pipelineRun) showProgress(ctx context.Context, p *plan.Plan, sup *runner.Supervisor, done <-chan struct{}) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	var last int64
	lastT := time.Now()
	for {
		select {
		case <-done:
			fmt.Fprint(r.env.Stdout, "\r\033[K")
			return
		case now := <-t.C:
			written := outputsDone(p, sup.Snapshots())
			rate := float64(written-last) / now.Sub(lastT).Seconds()
			last, lastT = written, now
			queued, top, topN := r.depths(ctx, p)
			line := fmt.Sprintf("%s events/s | %s written | %s queued", group(int64(rate)), group(written), group(int64(queued)))
			if topN > 0 {
				line += fmt.Sprintf(" (most: %s %s)", top, group(int64(topN)))
			}
			fmt.Fprintf(r.env.Stdout, "\r\033[K%s", line)
		}
	}
}

// outputsDone counts the messages processed by output bots.
func outputsDone(p *plan.Plan, snaps []runner.Snapshot) int64 {
	var n int64
	for _, s := range snaps {
		if node := p.Node(s.BotID); node != nil && node.Kind == plan.KindOutput {
			n += s.Success
		}
	}
	return n
}

// depths returns the messages waiting in all source and internal queues
// of the plan, and the bot with the longest queue.
func (r *pipelineRun) depths(ctx context.Context, p *plan.Plan) (total int, top string, topN int) {
	for _, n := range p.Nodes {
		if n.Kind == plan.KindCollector {
			continue
		}
		a, _ := r.broker.Len(ctx, n.Queue())
		b, _ := r.broker.Len(ctx, n.InternalQueue())
		total += a + b
		if a+b > topN {
			top, topN = n.ID, a+b
		}
	}
	return total, top, topN
}

// summary prints what went where: per bot, what it processed and sent on
// which path, and where the dumps and logs are.
func (r *pipelineRun) summary(p *plan.Plan, snaps []runner.Snapshot, elapsed time.Duration) {
	w := r.env.Stdout
	var sent, failed, dumped int64
	var stopped []runner.Snapshot
	for _, s := range snaps {
		failed += failures(s)
		dumped += s.Dumped
		if node := p.Node(s.BotID); node != nil && node.Kind == plan.KindOutput {
			sent += s.Success
		}
		if s.State == runner.StateFailed {
			stopped = append(stopped, s)
		}
	}
	fmt.Fprintf(w, "Ran %s for %s on %s: %s written by outputs, %s, %s dumped.\n",
		count(int64(len(snaps)), "bot"), elapsed.Round(time.Millisecond), r.brokerName(), count(sent, "event"),
		count(failed, "failure"), count(dumped, "message"))
	fmt.Fprintf(w, "%-32s %-9s %10s %10s %8s %8s  %s\n", "BOT", "KIND", "PROCESSED", "SENT", "FAILED", "DUMPED", "WHERE")
	for _, s := range snaps {
		processed := fmt.Sprint(s.Success)
		if s.Kind == plan.KindCollector.String() {
			processed = "-"
		}
		fmt.Fprintf(w, "%-32s %-9s %10s %10d %8d %8d  %s\n", s.BotID, s.Kind, processed, s.Sent(), failures(s), s.Dumped, where(p, s))
	}
	for _, s := range stopped {
		fmt.Fprintf(w, "Bot %s (%s) failed and stopped: %s.\n", s.BotID, s.Kind, strings.TrimSuffix(s.Error, "."))
	}
	if dumped > 0 {
		fmt.Fprintf(w, "Dumped messages are in %s; see \"intelmq dump list %s\".\n", relPath(r.state.logDir()), r.dir)
	}
	fmt.Fprintf(w, "Logs are in %s.\n", relPath(r.state.logDir()))
}

// count returns n with its digits grouped and word, plural unless n is 1.
func count(n int64, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return group(n) + " " + word + "s"
}

// failures returns the failures of a bot: its failed processing attempts
// or collections, and at least one when it stopped on an error (a
// collector that could not start has no failed collection to count).
func failures(s runner.Snapshot) int64 {
	if s.State == runner.StateFailed {
		return max(s.Failure, 1)
	}
	return s.Failure
}

// where describes the paths a bot sent on: "_default → a, b: 12".
func where(p *plan.Plan, s runner.Snapshot) string {
	node := p.Node(s.BotID)
	if node == nil {
		return ""
	}
	if node.Kind == plan.KindOutput && node.Bot != nil {
		if f := node.Bot.Params.String("file"); f != "" {
			if !filepath.IsAbs(f) && node.Bot.Origin.File != "" {
				f = filepath.Join(filepath.Dir(node.Bot.Origin.File), f)
			}
			return "written to " + relPath(f)
		}
		return ""
	}
	dests := node.Paths()
	var parts []string
	names := make([]string, 0, len(s.Paths))
	for path := range s.Paths {
		names = append(names, path)
	}
	sort.Strings(names)
	for _, path := range names {
		var to []string
		for _, q := range dests[path] {
			to = append(to, strings.TrimSuffix(q, "-queue"))
		}
		target := strings.Join(to, ", ")
		if target == "" {
			target = "dropped"
		}
		parts = append(parts, fmt.Sprintf("%s → %s: %d", path, target, s.Paths[path]))
	}
	return strings.Join(parts, "; ")
}

func (r *pipelineRun) brokerName() string {
	if r.url == brokerEmbedded {
		return "the embedded queue (" + relPath(r.state.queueDir()) + ")"
	}
	k, dir, err := broker.Parse(r.url)
	switch {
	case err != nil:
		return r.url
	case k == broker.Memory:
		return "the memory queue"
	case k == broker.Disk:
		return "the embedded queue (" + dir + ")"
	}
	if _, addr, err := redisq.ParseURL(r.url); err == nil {
		return "Redis " + addr
	}
	return "Redis"
}

// group formats n with thousands separators.
func group(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + group(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
