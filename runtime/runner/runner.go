// SPDX-License-Identifier: AGPL-3.0-or-later

package runner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/botlog"
	"github.com/intelmq-go/intelmq/runtime/dump"
	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// Handler processes one input message of a consumer bot: the parser of a
// feed, a Go expert or output, or a router.
type Handler interface {
	// Handle processes in and sends results to out. Its error contract is
	// botapi.Processor's. in belongs to the runner and is reused after
	// Handle returns.
	Handle(ctx context.Context, in *message.Message, out Out) error
}

// Out is where a Handler sends: botapi.Sender plus the dump of bad
// records, which a parser reports without failing the whole report.
type Out interface {
	botapi.Sender
	// DumpRecord records msg (a Report holding one bad record) with its
	// error. It is written to the dump file only if Handle returns nil, so
	// a retried report does not dump its bad records twice.
	DumpRecord(msg []byte, err error)
}

// ProcessorHandler adapts a Go expert or output to a Handler.
func ProcessorHandler(p botapi.Processor) Handler { return processorHandler{p} }

type processorHandler struct{ p botapi.Processor }

func (h processorHandler) Handle(ctx context.Context, in *message.Message, out Out) error {
	return h.p.Process(ctx, in, out)
}

// RouterHandler is the handler of a router node: it sends every message on
// the default path, where the router's conditions choose the destinations.
func RouterHandler() Handler { return routerHandler{} }

type routerHandler struct{}

func (routerHandler) Handle(_ context.Context, in *message.Message, out Out) error {
	return out.Send(botapi.DefaultPath, in)
}

// Config describes one consumer bot to run.
type Config struct {
	// ID is the bot id.
	ID string
	// Kind is the bot's role; a parser's input is a Report, any other
	// consumer's an Event.
	Kind plan.BotKind
	// Source is the source queue, normally "<ID>-queue"; Internal its
	// internal queue, normally queue.InternalName(Source).
	Source, Internal string
	// Router maps the bot's paths to destination queues.
	Router *Router
	// Options are the bot's runtime parameters.
	Options BotOptions
	// Handler processes each message.
	Handler Handler
	// Bot, when set, is the Go bot behind Handler: the runner calls its
	// optional Starter, Flusher and Closer methods.
	Bot botapi.Bot
}

// Env holds what every bot of a process shares.
type Env struct {
	// Broker holds the queues.
	Broker queue.Broker
	// Schema checks messages.
	Schema *harmonization.Schema
	// Clock gives the time; the runner never reads the system clock.
	Clock botapi.Clock
	// Logger writes the bot's log in IntelMQ's format.
	Logger *slog.Logger
	// Dumps is the directory of dump files.
	Dumps dump.Dir
	// Sink receives the statistics; nil keeps them in memory only.
	Sink StatsSink
	// PID is recorded in the statistics.
	PID int
}

// Runner runs one consumer bot: receive a batch, process each message with
// retries, send the results, then acknowledge the batch (IntelMQ §3.4,
// with batches). Create it with New, run it with Run.
type Runner struct {
	cfg   Config
	env   Env
	log   *slog.Logger
	stats *Stats
	out   *outbox
	att   attempt // the Out handlers get: r.out and r
	msg   *message.Message
	dec   message.Decoder
	// trusted says the batch in process holds only messages that bots of
	// this process encoded (queue.TrustedBatch): they are decoded without
	// checking their values again.
	trusted bool

	consumer   queue.Consumer
	prepared   []*message.Message // the batch's messages decoded for a Preparer
	pool       []*message.Message // reused messages for prepared
	work       context.Context    // the context of the batch in process
	srcIdx     int                // the source queue's index in out, for putting messages back
	dumps      []dump.Entry
	statsMu    sync.Mutex  // writeStats, from the bot's goroutine or statsTimer
	lastStats  time.Time   // the last write
	statsTimer *time.Timer // a write due when the interval is over, or nil
	statsDone  bool        // the last write, when the bot stopped, is made
	since      int64
	sinceT     time.Time
	tally      tally // the batch's successes, for the statistics at its end
}

// tally counts the messages processed successfully in a batch and what
// they sent per path: the counters take them once per batch rather than
// under their lock for every message.
type tally struct {
	success int64
	paths   []int64 // per path of the router, as the outbox counts them
}

func (t *tally) add(counts []int64) {
	t.success++
	for i, n := range counts {
		t.paths[i] += n
	}
}

// flushTally moves the batch's tally to the statistics.
func (r *Runner) flushTally() {
	if r.tally.success == 0 {
		return
	}
	r.stats.add(r.tally.success, 0, 0, r.cfg.Router.Paths(), r.tally.paths)
	r.tally.success = 0
	clear(r.tally.paths)
}

// outcome is what became of one input message.
type outcome uint8

const (
	done        outcome = iota // processed, or dumped and passed
	stopBot                    // dumped, then error_procedure stop
	fatal                      // ErrFatal: stop without acknowledging
	interrupted                // stop requested before the message was done
)

// flushLimit is the arena size past which a handler's sends are written
// before the batch ends (a parser emitting a big report). Each flush holds
// the arena, the queue's copy and the store's pages at once, so it bounds
// the memory of a parser on a large report; 1 MiB is about 1,500 events.
const flushLimit = 1 << 20

// statsInterval is how often statistics go to the sink, as IntelMQ.
const statsInterval = 2 * time.Second

// New checks cfg and returns its runner.
func New(cfg Config, env Env) (*Runner, error) {
	switch {
	case cfg.ID == "":
		return nil, errors.New("runner: a bot needs an id")
	case cfg.Handler == nil:
		return nil, fmt.Errorf("runner: bot %s has no handler", cfg.ID)
	case cfg.Router == nil:
		return nil, fmt.Errorf("runner: bot %s has no router", cfg.ID)
	case env.Broker == nil || env.Schema == nil || env.Clock == nil || env.Logger == nil:
		return nil, fmt.Errorf("runner: bot %s: the environment lacks a broker, schema, clock or logger", cfg.ID)
	}
	if cfg.Source == "" {
		cfg.Source = cfg.ID + "-queue"
	}
	if cfg.Internal == "" {
		cfg.Internal = queue.InternalName(cfg.Source)
	}
	if err := cfg.Options.Validate(); err != nil {
		return nil, fmt.Errorf("runner: bot %s: %w", cfg.ID, err)
	}
	r := &Runner{cfg: cfg, env: env, log: env.Logger}
	r.out = newOutbox(cfg.Router, flushLimit)
	r.att = attempt{r.out, r}
	r.tally.paths = make([]int64, len(cfg.Router.Paths()))
	_, r.out.compact = env.Broker.(queue.TrustingProducer)
	r.srcIdx = r.out.queueIndex(cfg.Source)
	r.stats = NewStats(cfg.ID, cfg.Kind.String(), env.PID, env.Clock.Now(), cfg.Router.Paths())
	r.msg = message.New(env.Schema, harmonization.Event)
	return r, nil
}

// Stats returns the bot's live counters.
func (r *Runner) Stats() *Stats { return r.stats }

// ID returns the bot id.
func (r *Runner) ID() string { return r.cfg.ID }

// Run runs the bot until ctx is cancelled (a graceful stop: the current
// batch is finished, its results sent and it is acknowledged, then Run
// returns nil) or the bot stops on an error (error_procedure "stop", a
// fatal error), which Run returns.
func (r *Runner) Run(ctx context.Context) (err error) {
	work, cancelWork := r.workContext(ctx)
	defer cancelWork()
	r.work = work
	r.out.flush = func() error {
		return r.retry(r.work, "send the results", func() error { return r.out.send(r.work, r.env.Broker) })
	}
	r.log.Info("Bot is starting.")
	defer func() { r.finish(err) }()
	if err := startBot(ctx, r.cfg.Bot, r.log, r.env.Clock, r.cfg.Options.ErrorRetryDelay); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	r.stats.setState(StateRunning, nil)
	r.writeStats(ctx, true) // the state of this run, not of the last one, before any batch
	r.log.Info("Bot initialization completed.")
	r.sinceT = r.env.Clock.Now()
	for ctx.Err() == nil {
		batch, err := r.receive(ctx)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, queue.ErrClosed) {
				return nil
			}
			r.log.Error(fmt.Sprintf("Cannot receive from queue %s, retrying in %s: %v.", r.cfg.Source, r.cfg.Options.ErrorRetryDelay, err))
			r.dropConsumer()
			if r.env.Clock.Sleep(ctx, r.cfg.Options.ErrorRetryDelay) != nil {
				return nil
			}
			continue
		}
		if err := r.runBatch(ctx, work, batch); err != nil {
			return err
		}
	}
	return nil
}

// workContext returns the context the current batch is processed with: it
// survives the cancellation of ctx by StopTimeout, so a graceful stop
// finishes the batch, but not forever.
func (r *Runner) workContext(ctx context.Context) (context.Context, context.CancelFunc) {
	work, cancel := context.WithCancel(context.WithoutCancel(ctx))
	go func() {
		select {
		case <-work.Done():
			return
		case <-ctx.Done():
		}
		// A real timer, not the injected clock: this is a safety net against
		// a bot that never returns, not part of the bot's logic.
		t := time.NewTimer(r.cfg.Options.StopTimeout)
		defer t.Stop()
		select {
		case <-work.Done():
		case <-t.C:
			cancel()
		}
	}()
	return work, cancel
}

func (r *Runner) receive(ctx context.Context) (queue.Batch, error) {
	if r.consumer == nil {
		c, err := r.env.Broker.Consumer(r.cfg.Source, r.cfg.Internal)
		if err != nil {
			return nil, err
		}
		r.consumer = c
	}
	return r.consumer.Receive(ctx, r.cfg.Options.batch())
}

func (r *Runner) dropConsumer() {
	if r.consumer != nil {
		_ = r.consumer.Close()
		r.consumer = nil
	}
}

// finish closes the bot and the consumer and writes the last statistics.
func (r *Runner) finish(err error) {
	closeBot(r.cfg.Bot, r.log)
	r.dropConsumer()
	r.logProcessed(true)
	if err != nil {
		r.stats.setState(StateFailed, err)
		r.log.Error(fmt.Sprintf("Bot stopped because of an error: %v.", trimDot(err.Error())))
	} else {
		r.stats.setState(StateStopped, nil)
	}
	r.writeStats(context.Background(), true)
	r.statsMu.Lock()
	r.statsDone = true
	r.statsMu.Unlock()
	r.log.Info("Bot stopped.")
}

// runBatch processes every message of batch, sends the results and
// acknowledges it. A stop requested meanwhile puts the messages not yet
// done back on the source queue, so the batch can still be acknowledged.
func (r *Runner) runBatch(ctx, work context.Context, batch queue.Batch) error {
	msgs := batch.Messages()
	tb, ok := batch.(queue.TrustedBatch)
	r.trusted = ok && tb.Trusted()
	defer func() { r.trusted = false }()
	r.prepare(work, msgs)
	var stopErr error
	for i, raw := range msgs {
		if ctx.Err() != nil {
			r.requeue(msgs[i:])
			break
		}
		var pre *message.Message
		if r.prepared != nil {
			pre = r.prepared[i]
		}
		res, err := r.processOne(ctx, work, raw, pre)
		if res == fatal {
			r.flushTally()
			r.out.rollback()
			r.out.entries, r.out.arena, r.out.mark = r.out.entries[:0], r.out.arena[:0], 0
			r.dumps = r.dumps[:0]
			return err
		}
		if res == interrupted {
			r.requeue(msgs[i:])
			break
		}
		if res == stopBot {
			r.requeue(msgs[i+1:])
			stopErr = err
			break
		}
		if d := r.cfg.Options.RateLimit; d > 0 && i < len(msgs)-1 {
			_ = r.env.Clock.Sleep(ctx, d)
		}
	}
	r.flushTally()
	err := r.settle(work, batch)
	r.release()
	if err != nil {
		return err
	}
	if d := r.cfg.Options.RateLimit; d > 0 && stopErr == nil {
		_ = r.env.Clock.Sleep(ctx, d)
	}
	return stopErr
}

// release drops the runner's references to the batch just settled: its
// decoded messages share its bytes (message.Decoder.DecodeShared), which
// would otherwise stay in memory until the next batch replaced them, a
// report's text or a few megabytes of events per bot, which the garbage
// collector's target multiplies in the peak memory.
func (r *Runner) release() {
	for _, m := range r.pool[:min(len(r.pool), len(r.prepared))] {
		m.Reset()
	}
	r.prepared = nil
	r.msg.Reset()
	r.dec.Forget()
}

// prepare decodes the batch and hands it to a bot that is a Preparer;
// r.prepared then holds the decoded message of each raw message (nil for
// one that does not decode, which processOne handles).
func (r *Runner) prepare(work context.Context, msgs [][]byte) {
	r.prepared = nil
	p, ok := r.cfg.Bot.(botapi.Preparer)
	if !ok {
		return
	}
	for len(r.pool) < len(msgs) {
		r.pool = append(r.pool, message.New(r.env.Schema, harmonization.Event))
	}
	r.prepared = make([]*message.Message, len(msgs))
	valid := make([]*message.Message, 0, len(msgs))
	for i, raw := range msgs {
		if r.decodeInto(r.pool[i], raw) == nil {
			r.prepared[i] = r.pool[i]
			valid = append(valid, r.pool[i])
		}
	}
	if err := p.Prepare(work, valid); err != nil {
		r.log.Warn(fmt.Sprintf("Could not prepare the batch, processing it without: %v.", trimDot(err.Error())))
	}
}

// requeue puts messages back at the tail of the source queue.
func (r *Runner) requeue(msgs [][]byte) {
	if len(msgs) == 0 {
		return
	}
	for _, m := range msgs {
		r.out.put(r.srcIdx, m)
	}
	r.log.Info(fmt.Sprintf("Stopping: %d message(s) not processed were put back on queue %s.", len(msgs), r.cfg.Source))
}

// settle writes the pending dumps, sends the results, lets the bot flush
// and acknowledges the batch, retrying broker errors forever (IntelMQ's
// pipeline errors) until the work context ends. It returns an error only
// when the work context ended first: the batch then stays unacknowledged
// and is delivered again.
func (r *Runner) settle(work context.Context, batch queue.Batch) error {
	steps := []struct {
		what string
		do   func() error
	}{
		{"write the dump file", r.writeDumps},
		{"send the results", func() error { return r.out.send(work, r.env.Broker) }},
		{"flush the bot's output", func() error { return flushBot(work, r.cfg.Bot) }},
		{"acknowledge the messages", func() error { return batch.Ack(work) }},
	}
	for _, s := range steps {
		if err := r.retry(work, s.what, s.do); err != nil {
			return err
		}
	}
	r.logProcessed(false)
	r.writeStats(work, false)
	return nil
}

// retry calls do until it succeeds, sleeping the retry delay after each
// failure (IntelMQ retries pipeline errors forever). It gives up only when
// work ends.
func (r *Runner) retry(work context.Context, what string, do func() error) error {
	for {
		err := do()
		if err == nil {
			return nil
		}
		if work.Err() != nil {
			return fmt.Errorf("could not %s before the stop timeout: %w", what, err)
		}
		r.log.Error(fmt.Sprintf("Cannot %s, retrying in %s: %v.", what, r.cfg.Options.ErrorRetryDelay, trimDot(err.Error())))
		if r.env.Clock.Sleep(work, r.cfg.Options.ErrorRetryDelay) != nil {
			return fmt.Errorf("could not %s before the stop timeout: %w", what, err)
		}
	}
}

func (r *Runner) writeDumps() error {
	for len(r.dumps) > 0 {
		if err := r.env.Dumps.Append(r.dumps[0]); err != nil {
			return err
		}
		r.dumps = r.dumps[1:]
		r.stats.add(0, 0, 1, nil, nil)
	}
	r.dumps = nil
	return nil
}

// DumpRecord records a bad record for the dump file (see Out).
func (r *Runner) dumpRecord(msg []byte, err error) {
	if !r.cfg.Options.ErrorDumpMessage {
		return
	}
	r.dumps = append(r.dumps, dump.NewEntry(r.env.Clock.Now(), r.cfg.ID, r.cfg.Source, msg, err))
}

// logProcessed writes IntelMQ's "Processed N messages since last
// logging." line every LogProcessedCount messages or LogProcessedInterval.
func (r *Runner) logProcessed(final bool) {
	if r.since == 0 {
		return
	}
	now := r.env.Clock.Now()
	o := r.cfg.Options
	if final || (o.LogProcessedCount > 0 && r.since >= int64(o.LogProcessedCount)) ||
		(o.LogProcessedInterval > 0 && now.Sub(r.sinceT) >= o.LogProcessedInterval) {
		r.log.Info(fmt.Sprintf("Processed %d messages since last logging.", r.since))
		r.since, r.sinceT = 0, now
	}
}

// writeStats writes the statistics to the sink, at most every
// statsInterval unless force. A write skipped for the interval is made
// when it is over (by a timer), so that a bot that goes idle after a
// batch does not leave its last counts unwritten until its next batch.
func (r *Runner) writeStats(ctx context.Context, force bool) {
	if r.env.Sink == nil {
		return
	}
	r.statsMu.Lock()
	defer r.statsMu.Unlock()
	if r.statsDone {
		return // a timer that fired after the last write
	}
	now := r.env.Clock.Now()
	if wait := statsInterval - now.Sub(r.lastStats); !force && wait > 0 {
		if r.statsTimer == nil {
			r.statsTimer = time.AfterFunc(wait, func() { r.writeStats(context.Background(), true) })
		}
		return
	}
	if r.statsTimer != nil {
		r.statsTimer.Stop()
		r.statsTimer = nil
	}
	r.lastStats = now
	if err := r.env.Sink.WriteStats(ctx, r.stats.forSink(now)); err != nil {
		r.log.Debug(fmt.Sprintf("Failed to write statistics: %v.", trimDot(err.Error())))
	}
}

func trimDot(s string) string {
	for len(s) > 0 && (s[len(s)-1] == '.' || s[len(s)-1] == '\n') {
		s = s[:len(s)-1]
	}
	return s
}

// logTraceback logs err at ERROR with its chain as the traceback.
func logTraceback(l *slog.Logger, msg string, err error, withChain bool) {
	if !withChain {
		l.Error(trimDot(err.Error()) + ".")
		l.Error(msg)
		return
	}
	tb := ""
	for i, line := range dump.Traceback(err) {
		if i > 0 {
			tb += "\n"
		}
		tb += line
	}
	l.Error(msg, slog.String(botlog.TracebackKey, tb))
}
