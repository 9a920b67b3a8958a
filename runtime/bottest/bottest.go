// SPDX-License-Identifier: AGPL-3.0-or-later

package bottest

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"sort"
	"testing"
	"time"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/internal/clock"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/botlog"
	"github.com/intelmq-go/intelmq/runtime/dump"
	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/runtime/queue/memq"
	"github.com/intelmq-go/intelmq/runtime/runner"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// BotID is the id of the bot under test; its input queue is
// "test-bot-queue", as in IntelMQ's tests.
const BotID = "test-bot"

// Epoch is the time of the harness's manual clock when a run starts.
var Epoch = time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)

// Case describes one run of a bot under test.
type Case struct {
	// Kind is the bot's role: botapi.KindCollector, KindParser,
	// KindExpert or KindOutput. It decides the expected input and output
	// types.
	Kind botapi.Kind
	// New and Params build a Go bot: a collector, a parser (a
	// botapi.Parser, whose Params may also hold the parser-wide
	// default_fields and copy_collector_provided_fields), an expert or an
	// output.
	New    botapi.Constructor
	Params botapi.Params
	// Parser, instead of New, runs a parser declared in HCL, from a plan.
	Parser *plan.Parser
	// Feed is given to a collector (botapi.Context.Feed).
	Feed *botapi.Feed
	// Input holds the input messages, each a *message.Message, a JSON
	// string (IntelMQ wire JSON; without "__type" it is a Report for a
	// parser and an Event otherwise) or []byte sent to the queue as they
	// are (to test malformed input).
	Input []any
	// Paths are the named paths the bot may send to besides "_default"
	// and "_on_error", which are always routed.
	Paths []string
	// Options override IntelMQ's test configuration (no retries, no delay).
	Options *runner.BotOptions
	// AllowedErrors and AllowedWarnings are how many ERROR and WARNING log
	// lines the run may have (IntelMQ's allowed_error_count and
	// allowed_warning_count).
	AllowedErrors, AllowedWarnings int
	// Schema is the harmonization schema; nil means the default.
	Schema *harmonization.Schema
	// RedisURL, StateDir and BaseDir are given to the bot
	// (botapi.Context).
	RedisURL, StateDir, BaseDir string
	// Clock is the bot's clock; nil means a manual clock at Epoch.
	Clock botapi.Clock
}

// Result is what one run produced.
type Result struct {
	// Output holds the messages sent, per path, in order.
	Output map[string][]*message.Message
	// Wire holds the same messages as they were on the queue.
	Wire map[string][]string
	// Log is the whole log text and Logs its parsed entries.
	Log  string
	Logs []botlog.Entry
	// Dumps are the entries of the bot's dump file.
	Dumps []dump.Entry
	// Stats are the bot's statistics at the end.
	Stats runner.Snapshot
	// Err is what the runner returned (a stopped bot).
	Err error
	// Bot is the Go bot that ran (nil for a parser).
	Bot botapi.Bot

	schema *harmonization.Schema
}

// OutputQueue returns the name of the output queue of path, as IntelMQ's
// harness names them: "test-bot-output" for "_default",
// "test-bot-<path>-output" otherwise.
func OutputQueue(path string) string {
	if path == botapi.DefaultPath {
		return BotID + "-output"
	}
	return BotID + "-" + path + "-output"
}

// TestOptions returns IntelMQ's test configuration of a bot: no retry, no
// retry delay, no rate limit.
func TestOptions() runner.BotOptions {
	o := runner.DefaultBotOptions()
	o.ErrorMaxRetries = 0
	o.ErrorRetryDelay = 0
	o.RateLimit = 0
	o.StopTimeout = 10 * time.Second
	return o
}

// Run runs the bot of c on its input and checks the harness's invariants
// (see the package documentation), reporting violations on t. The Result
// has helpers for the test's own assertions.
func Run(t testing.TB, c Case) *Result {
	t.Helper()
	h, err := newHarness(t, c)
	if err != nil {
		t.Fatalf("bottest: %v", err)
	}
	defer h.broker.Close()
	res := h.run()
	h.check(res)
	return res
}

// harness is one run in progress.
type harness struct {
	t      testing.TB
	c      Case
	schema *harmonization.Schema
	broker queue.Broker
	clock  botapi.Clock
	logs   *bytes.Buffer
	dumps  dump.Dir
	paths  []string
}

func newHarness(t testing.TB, c Case) (*harness, error) {
	if c.Kind == 0 {
		return nil, fmt.Errorf("the case has no Kind")
	}
	if (c.New == nil) == (c.Parser == nil) {
		return nil, fmt.Errorf("the case needs exactly one of New (a Go bot) and Parser")
	}
	b, err := memq.New(queue.Options{})
	if err != nil {
		return nil, err
	}
	h := &harness{t: t, c: c, schema: c.Schema, broker: b, clock: c.Clock,
		logs: &bytes.Buffer{}, dumps: dump.Dir(t.TempDir())}
	if h.schema == nil {
		h.schema = harmonization.Default()
	}
	if h.clock == nil {
		h.clock = clock.NewManual(Epoch)
	}
	h.paths = append([]string{botapi.DefaultPath, botapi.ErrorPath}, c.Paths...)
	sort.Strings(h.paths)
	return h, nil
}

func (h *harness) options() runner.BotOptions {
	if h.c.Options != nil {
		return *h.c.Options
	}
	return TestOptions()
}

func (h *harness) router() *runner.Router {
	m := map[string][]string{}
	for _, p := range h.paths {
		m[p] = []string{OutputQueue(p)}
	}
	return runner.NewPathRouter(m, false)
}

func (h *harness) env() runner.Env {
	return runner.Env{Broker: h.broker, Schema: h.schema, Clock: h.clock,
		Logger: botlog.New(botlog.SyncWriter(h.logs), BotID, slog.LevelDebug, h.clock), Dumps: h.dumps, PID: 1}
}

// run builds the bot, feeds the input and runs the bot until its queues
// are drained (a consumer) or one collection is done (a collector).
func (h *harness) run() *Result {
	res := &Result{Output: map[string][]*message.Message{}, Wire: map[string][]string{}, schema: h.schema}
	env := h.env()
	unit, bot, err := h.build(env)
	if err != nil {
		h.t.Fatalf("bottest: building the bot: %v", err)
	}
	res.Bot = bot
	if err := h.feed(); err != nil {
		h.t.Fatalf("bottest: %v", err)
	}
	res.Err = h.runUnit(unit)
	res.Stats = unit.Stats().Snapshot(h.clock.Now())
	h.collect(res)
	return res
}

func (h *harness) build(env runner.Env) (runner.Unit, botapi.Bot, error) {
	o := h.options()
	if h.c.Parser != nil {
		ph, err := runner.NewParserHandler(h.c.Parser, h.schema, env.Logger)
		if err != nil {
			return nil, nil, err
		}
		u, err := runner.New(runner.Config{ID: BotID, Kind: plan.KindParser, Router: h.router(), Options: o, Handler: ph}, env)
		return u, nil, err
	}
	bc := &botapi.Context{ID: BotID, Logger: env.Logger, Clock: h.clock, Schema: h.schema, Feed: h.c.Feed,
		BrokerURL: "memory:", RedisURL: h.c.RedisURL, StateDir: h.c.StateDir, BaseDir: h.c.BaseDir, Testing: true}
	params := h.c.Params
	if params == nil {
		params = botapi.MapParams{}
	}
	b, err := h.c.New(bc, params)
	if err != nil {
		return nil, nil, err
	}
	if err := runner.Validate(b); err != nil {
		return nil, b, err
	}
	switch h.c.Kind {
	case botapi.KindCollector:
		col, ok := b.(botapi.Collector)
		if !ok {
			return nil, b, fmt.Errorf("%T is not a botapi.Collector", b)
		}
		u, err := runner.NewCollector(runner.CollectorConfig{ID: BotID, Router: h.router(), Options: o, Collector: col, Once: true}, env)
		return u, b, err
	case botapi.KindParser:
		p, ok := b.(botapi.Parser)
		if !ok {
			return nil, b, fmt.Errorf("%T is not a botapi.Parser", b)
		}
		po, err := runner.NewParserBotOptions(params, h.schema)
		if err != nil {
			return nil, b, err
		}
		u, err := runner.New(runner.Config{ID: BotID, Kind: plan.KindParser, Router: h.router(), Options: o,
			Handler: runner.NewParserBotHandler(p, BotID, po, env.Logger), Bot: b}, env)
		return u, b, err
	case botapi.KindExpert, botapi.KindOutput:
		p, ok := b.(botapi.Processor)
		if !ok {
			return nil, b, fmt.Errorf("%T is not a botapi.Processor", b)
		}
		kind := plan.KindExpert
		if h.c.Kind == botapi.KindOutput {
			kind = plan.KindOutput
		}
		u, err := runner.New(runner.Config{ID: BotID, Kind: kind, Router: h.router(), Options: o,
			Handler: runner.ProcessorHandler(p), Bot: b}, env)
		return u, b, err
	}
	return nil, b, fmt.Errorf("a Go bot of kind %s cannot be run by the harness", h.c.Kind)
}

// feed puts the input on the source queue.
func (h *harness) feed() error {
	def := harmonization.Event
	if h.c.Kind == botapi.KindParser {
		def = harmonization.Report
	}
	for i, in := range h.c.Input {
		var wire []byte
		switch v := in.(type) {
		case *message.Message:
			wire = v.AppendWire(nil)
		case string:
			m, err := message.DecodeDefault(h.schema, []byte(v), def)
			if err != nil {
				return fmt.Errorf("input %d: %w", i, err)
			}
			wire = m.AppendWire(nil)
		case []byte:
			wire = v
		default:
			return fmt.Errorf("input %d is a %T; use *message.Message, string or []byte", i, in)
		}
		if err := h.broker.Send(context.Background(), BotID+"-queue", wire); err != nil {
			return err
		}
	}
	return nil
}

// runUnit runs a collector once, or a consumer until its queues are empty.
func (h *harness) runUnit(u runner.Unit) error {
	if _, ok := u.(*runner.CollectorRunner); ok {
		return u.Run(context.Background())
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- u.Run(ctx) }()
	src := BotID + "-queue"
	for {
		select {
		case err := <-errc:
			return err
		case <-time.After(time.Millisecond):
		}
		if h.len(src) == 0 && h.len(queue.InternalName(src)) == 0 {
			cancel()
			return <-errc
		}
	}
}

func (h *harness) len(q string) int {
	n, err := h.broker.Len(context.Background(), q)
	if err != nil {
		h.t.Fatalf("bottest: %v", err)
	}
	return n
}

// collect reads the output queues, the log and the dumps into res.
func (h *harness) collect(res *Result) {
	ctx := context.Background()
	for _, p := range h.paths {
		q := OutputQueue(p)
		n := h.len(q)
		if n == 0 {
			continue
		}
		c, err := h.broker.Consumer(q, queue.InternalName(q))
		if err != nil {
			h.t.Fatalf("bottest: %v", err)
		}
		for got := 0; got < n; {
			b, err := c.Receive(ctx, n-got)
			if err != nil {
				h.t.Fatalf("bottest: %v", err)
			}
			for _, w := range b.Messages() {
				res.Wire[p] = append(res.Wire[p], string(w))
				m, err := message.Decode(h.schema, w)
				if err != nil {
					h.t.Errorf("bottest: output %d on path %s is not a valid message: %v\n%s", got, p, err, w)
				}
				res.Output[p] = append(res.Output[p], m)
				got++
			}
			_ = b.Ack(ctx)
		}
		c.Close()
	}
	res.Log = h.logs.String()
	var err error
	res.Logs, err = botlog.Read(bytes.NewReader(h.logs.Bytes()), slog.LevelDebug, 0)
	if err != nil {
		h.t.Fatalf("bottest: reading the log: %v", err)
	}
	res.Dumps, _, err = h.dumps.Read(BotID)
	if err != nil {
		h.t.Fatalf("bottest: reading the dumps: %v", err)
	}
}
