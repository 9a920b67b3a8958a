// SPDX-License-Identifier: AGPL-3.0-or-later

package runner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// CollectorConfig describes one collector to run.
type CollectorConfig struct {
	// ID is the bot id.
	ID string
	// Router maps the collector's paths to queues (normally the parser's).
	Router *Router
	// Options are the bot's runtime parameters; RateLimit is the interval
	// between two collections.
	Options BotOptions
	// Collector is the Go bot.
	Collector botapi.Collector
	// Once makes Run return after one collection ("intelmq run --once").
	Once bool
}

// CollectorRunner runs a collector: Collect, then wait for the interval,
// again until stopped. Every emitted Report is written to its queues before
// Emit returns.
type CollectorRunner struct {
	cfg   CollectorConfig
	env   Env
	log   *slog.Logger
	stats *Stats
	rr    uint64
	buf   []byte
}

// NewCollector checks cfg and returns its runner.
func NewCollector(cfg CollectorConfig, env Env) (*CollectorRunner, error) {
	switch {
	case cfg.ID == "" || cfg.Collector == nil || cfg.Router == nil:
		return nil, errors.New("runner: a collector needs an id, a bot and a router")
	case env.Broker == nil || env.Schema == nil || env.Clock == nil || env.Logger == nil:
		return nil, fmt.Errorf("runner: bot %s: the environment lacks a broker, schema, clock or logger", cfg.ID)
	}
	if err := cfg.Options.Validate(); err != nil {
		return nil, fmt.Errorf("runner: bot %s: %w", cfg.ID, err)
	}
	return &CollectorRunner{cfg: cfg, env: env, log: env.Logger,
		stats: NewStats(cfg.ID, plan.KindCollector.String(), env.PID, env.Clock.Now(), cfg.Router.Paths())}, nil
}

// ID returns the bot id.
func (c *CollectorRunner) ID() string { return c.cfg.ID }

// Stats returns the collector's live counters.
func (c *CollectorRunner) Stats() *Stats { return c.stats }

// Run collects until ctx is cancelled (returning nil) or, with Once, after
// one collection. It returns an error when the collector stops on one
// (error_procedure "stop" after the retries, a fatal error).
func (c *CollectorRunner) Run(ctx context.Context) (err error) {
	c.log.Info("Bot is starting.")
	defer func() {
		closeBot(c.cfg.Collector, c.log)
		if err != nil {
			c.stats.setState(StateFailed, err)
			c.log.Error(fmt.Sprintf("Bot stopped because of an error: %v.", trimDot(err.Error())))
		} else {
			c.stats.setState(StateStopped, nil)
		}
		c.writeStats()
		c.log.Info("Bot stopped.")
	}()
	if err := startBot(ctx, c.cfg.Collector, c.log, c.env.Clock, c.cfg.Options.ErrorRetryDelay); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	c.stats.setState(StateRunning, nil)
	c.writeStats() // the state of this run, not of the last one
	c.log.Info("Bot initialization completed.")
	for ctx.Err() == nil {
		if err := c.collectOnce(ctx); err != nil {
			return err
		}
		c.writeStats()
		if c.cfg.Once {
			return nil
		}
		if c.env.Clock.Sleep(ctx, c.cfg.Options.RateLimit) != nil {
			return nil
		}
	}
	return nil
}

// collectOnce runs one collection with retries.
func (c *CollectorRunner) collectOnce(ctx context.Context) error {
	o := c.cfg.Options
	for failures := 0; ; {
		err := c.cfg.Collector.Collect(ctx, emitter{c})
		if err == nil {
			c.stats.add(1, 0, 0, nil, nil)
			return nil
		}
		if ctx.Err() != nil {
			return nil
		}
		c.stats.add(0, 1, 0, nil, nil)
		failures++
		logTraceback(c.log, "Bot has found a problem.", err, o.ErrorLogException)
		if errors.Is(err, botapi.ErrFatal) {
			return err
		}
		if !isPermanent(err) && failures <= o.ErrorMaxRetries {
			c.log.Info(fmt.Sprintf("Retrying the collection in %s (retry %d of %d).", o.ErrorRetryDelay, failures, o.ErrorMaxRetries))
			if c.env.Clock.Sleep(ctx, o.ErrorRetryDelay) != nil {
				return nil
			}
			continue
		}
		if o.ErrorProcedure == Stop {
			return fmt.Errorf("error_procedure is stop and the collection failed: %w", err)
		}
		c.log.Info("Giving up this collection; the next one follows after the interval.")
		return nil
	}
}

// writeStats writes the statistics after each collection (collections are
// minutes apart, well above IntelMQ's 2 s flush interval).
func (c *CollectorRunner) writeStats() {
	if c.env.Sink == nil {
		return
	}
	if err := c.env.Sink.WriteStats(context.Background(), c.stats.forSink(c.env.Clock.Now())); err != nil {
		c.log.Debug(fmt.Sprintf("Failed to write statistics: %v.", trimDot(err.Error())))
	}
}

// emitter is the collector's botapi.Emitter.
type emitter struct{ c *CollectorRunner }

var _ botapi.Emitter = emitter{}

// Emit routes, encodes and writes one report, retrying broker errors with
// the retry delay until ctx ends.
func (e emitter) Emit(ctx context.Context, report *message.Message) error {
	c := e.c
	if report.Type() != harmonization.Report {
		return botapi.Permanent(fmt.Errorf("collector %s emitted a %s; collectors emit reports", c.cfg.ID, report.Type()))
	}
	c.buf = report.AppendWire(c.buf[:0])
	counts := make([]int64, len(c.cfg.Router.Paths()))
	var dests []int
	err := c.cfg.Router.Route(botapi.DefaultPath, report, &c.rr, func(p int, qs []int) {
		counts[p]++
		dests = append(dests, qs...)
	})
	if err != nil {
		return botapi.Fatal(err)
	}
	for _, q := range dests {
		name := c.cfg.Router.Queues()[q]
		for {
			err := c.env.Broker.Send(ctx, name, c.buf)
			if err == nil {
				break
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			c.log.Error(fmt.Sprintf("Cannot send to queue %s, retrying in %s: %v.", name, c.cfg.Options.ErrorRetryDelay, trimDot(err.Error())))
			if err := c.env.Clock.Sleep(ctx, c.cfg.Options.ErrorRetryDelay); err != nil {
				return err
			}
		}
	}
	c.stats.add(0, 0, 0, c.cfg.Router.Paths(), counts)
	if cap(c.buf) > keepBuffer {
		c.buf = nil // a large report's buffer is not kept until the next collection
	}
	return nil
}

// keepBuffer is the largest encoding buffer a collector keeps between
// reports: enough for the usual report, not for a whole large file.
const keepBuffer = 4 << 20
