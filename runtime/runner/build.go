// SPDX-License-Identifier: AGPL-3.0-or-later

package runner

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/dump"
	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// Unit is one running bot of a plan: a consumer Runner or a
// CollectorRunner.
type Unit interface {
	// ID returns the bot id.
	ID() string
	// Run runs the bot until ctx is cancelled or it stops on an error.
	Run(ctx context.Context) error
	// Stats returns the bot's live counters.
	Stats() *Stats
}

var (
	_ Unit = (*Runner)(nil)
	_ Unit = (*CollectorRunner)(nil)
)

// Options configure how the bots of a plan are built and run.
type Options struct {
	// Broker holds the queues.
	Broker queue.Broker
	// Registry provides the constructors of Go bots.
	Registry *botapi.Registry
	// Schema checks messages.
	Schema *harmonization.Schema
	// Clock gives the time.
	Clock botapi.Clock
	// Logger returns the logger of a bot id (IntelMQ's format, see
	// runtime/botlog); the supervisor logs under the id "intelmq".
	Logger func(botID string) *slog.Logger
	// Dumps is the directory of dump files.
	Dumps dump.Dir
	// Sink receives statistics; nil keeps them in memory.
	Sink StatsSink
	// StateDir holds a directory per bot ("<StateDir>/<bot-id>"), given to
	// Go bots as botapi.Context.StateDir; empty gives bots none.
	StateDir string
	// BrokerURL and RedisURL are passed to bots (botapi.Context).
	BrokerURL, RedisURL string
	// Defaults are the runtime parameters of bots that do not set them.
	Defaults BotOptions
	// Only, when not empty, restricts the bots run to these ids.
	Only []string
	// Once runs each collector once; the supervisor stops when every queue
	// of the plan is drained.
	Once bool
	// DryRun makes ProcessMessage leave no trace of the message: the bot's
	// Flush, which persists what it learnt (the deduplicator's cache, for
	// one), is not called ("intelmq process --dryrun").
	DryRun bool
	// Recompile compiles the configuration again on a reload; nil disables
	// reloads.
	Recompile func(ctx context.Context) (*plan.Plan, error)
	// PID is recorded in statistics.
	PID int
}

// Build constructs and validates the bots of p's nodes (restricted to
// opts.Only), without starting anything: constructors have no side
// effects. It fails on the first bot that cannot be built, naming it and
// its declaration.
func Build(p *plan.Plan, opts Options) ([]Unit, error) {
	only := map[string]bool{}
	for _, id := range opts.Only {
		if p.Node(id) == nil {
			return nil, fmt.Errorf("the plan has no bot %q", id)
		}
		only[id] = true
	}
	var units []Unit
	for _, n := range p.Nodes {
		if len(only) > 0 && !only[n.ID] {
			continue
		}
		u, err := buildNode(n, opts)
		if err != nil {
			if o := n.Origin.String(); o != "" {
				return nil, fmt.Errorf("bot %s (%s): %w", n.ID, o, err)
			}
			return nil, fmt.Errorf("bot %s: %w", n.ID, err)
		}
		units = append(units, u)
	}
	return units, nil
}

func buildNode(n *plan.Node, opts Options) (Unit, error) {
	var params botapi.Params
	if n.Bot != nil {
		params = n.Bot.Params
	}
	bo, err := opts.Defaults.WithParams(params)
	if err != nil {
		return nil, err
	}
	env := Env{Broker: opts.Broker, Schema: opts.Schema, Clock: opts.Clock,
		Logger: opts.Logger(n.ID), Dumps: opts.Dumps, Sink: opts.Sink, PID: opts.PID}
	router := NewPlanRouter(n, bo.LoadBalance)
	switch n.Kind {
	case plan.KindCollector:
		b, err := construct(n, opts, env)
		if err != nil {
			return nil, err
		}
		c, ok := b.(botapi.Collector)
		if !ok {
			return nil, fmt.Errorf("bot type %s is not a collector", n.Bot.Type)
		}
		return NewCollector(CollectorConfig{ID: n.ID, Router: router, Options: bo, Collector: c, Once: opts.Once}, env)
	case plan.KindParser:
		if n.Bot != nil { // a Go parser bot (parserbot.go)
			return buildParserBot(n, opts, env, router, bo)
		}
		if n.Feed == nil || n.Feed.Parser == nil {
			return nil, fmt.Errorf("parser node has no parser")
		}
		bo.BatchSize = 1 // a report can be large: one at a time
		h, err := NewParserHandler(n.Feed.Parser, opts.Schema, env.Logger)
		if err != nil {
			return nil, err
		}
		return New(Config{ID: n.ID, Kind: n.Kind, Source: n.Queue(), Internal: n.InternalQueue(),
			Router: router, Options: bo, Handler: h}, env)
	case plan.KindExpert, plan.KindOutput:
		b, err := construct(n, opts, env)
		if err != nil {
			return nil, err
		}
		pr, ok := b.(botapi.Processor)
		if !ok {
			return nil, fmt.Errorf("bot type %s is not an expert or output", n.Bot.Type)
		}
		return New(Config{ID: n.ID, Kind: n.Kind, Source: n.Queue(), Internal: n.InternalQueue(),
			Router: router, Options: bo, Handler: ProcessorHandler(pr), Bot: b}, env)
	case plan.KindRouter:
		return New(Config{ID: n.ID, Kind: n.Kind, Source: n.Queue(), Internal: n.InternalQueue(),
			Router: router, Options: bo, Handler: RouterHandler()}, env)
	}
	return nil, fmt.Errorf("unknown node kind %s", n.Kind)
}

// construct builds the Go bot of a node and validates it.
func construct(n *plan.Node, opts Options, env Env) (botapi.Bot, error) {
	if n.Bot == nil {
		return nil, fmt.Errorf("%s node has no bot", n.Kind)
	}
	if opts.Registry == nil {
		return nil, fmt.Errorf("no bot registry to build %s", n.Bot.Type)
	}
	ctor := opts.Registry.Constructor(n.Bot.Type)
	if ctor == nil {
		return nil, fmt.Errorf("bot type %s has no constructor in this binary", n.Bot.Type)
	}
	bc := &botapi.Context{ID: n.ID, Logger: env.Logger, Clock: opts.Clock, Schema: opts.Schema,
		BrokerURL: opts.BrokerURL, RedisURL: opts.RedisURL, BaseDir: baseDir(n.Bot.Origin)}
	if f := n.Feed; f != nil {
		bc.Feed = &botapi.Feed{Name: f.FeedName, Provider: f.Provider, Accuracy: f.Accuracy,
			Code: f.Code, Documentation: f.Documentation}
		if bc.Feed.Name == "" {
			bc.Feed.Name = f.Name
		}
		bc.Feed.Parser = parserHint(f)
	}
	if opts.StateDir != "" {
		bc.StateDir = filepath.Join(opts.StateDir, n.ID)
		if err := os.MkdirAll(bc.StateDir, 0o750); err != nil {
			return nil, err
		}
	}
	b, err := ctor(bc, n.Bot.Params)
	if err != nil {
		return nil, err
	}
	if err := Validate(b); err != nil {
		closeBot(b, env.Logger)
		return nil, err
	}
	return b, nil
}

// baseDir returns the absolute directory of the file a declaration is in,
// or "" when the plan does not say.
func baseDir(o plan.Origin) string {
	if o.File == "" {
		return ""
	}
	d, err := filepath.Abs(filepath.Dir(o.File))
	if err != nil {
		return ""
	}
	return d
}
