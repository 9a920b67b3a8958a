// SPDX-License-Identifier: AGPL-3.0-or-later

package runner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/pprof"
	"sort"
	"sync"
	"time"

	"github.com/intelmq-go/intelmq/compiler/plan"
)

// Supervisor runs every bot of a plan in one process, each in its own
// goroutine on the shared broker, and swaps plans on reload.
type Supervisor struct {
	opts Options
	log  *slog.Logger

	mu    sync.Mutex
	units []Unit
	done  map[string]error // bots that returned, with their error
}

// SupervisorID is the id the supervisor logs under.
const SupervisorID = "intelmq"

// NewSupervisor returns a supervisor; opts.Logger must be set.
func NewSupervisor(opts Options) *Supervisor {
	return &Supervisor{opts: opts, log: opts.Logger(SupervisorID), done: map[string]error{}}
}

// Snapshots returns the statistics of the running (or last run) bots,
// sorted by bot id.
func (s *Supervisor) Snapshots() []Snapshot {
	s.mu.Lock()
	units := s.units
	s.mu.Unlock()
	now := s.opts.Clock.Now()
	out := make([]Snapshot, 0, len(units))
	for _, u := range units {
		out = append(out, u.Stats().Snapshot(now))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].BotID < out[j].BotID })
	return out
}

// running is one started generation of bots.
type running struct {
	cancel context.CancelFunc
	exits  chan exit
	left   int // bots still running
	units  []Unit
}

type exit struct {
	id        string
	collector bool
	err       error
}

func (s *Supervisor) start(ctx context.Context, units []Unit) *running {
	ctx, cancel := context.WithCancel(ctx)
	g := &running{cancel: cancel, exits: make(chan exit, len(units)), left: len(units), units: units}
	s.mu.Lock()
	s.units = units
	s.done = map[string]error{}
	s.mu.Unlock()
	for _, u := range units {
		_, isCollector := u.(*CollectorRunner)
		go func(u Unit) {
			// The bot's id labels its goroutines in processor profiles
			// (go tool pprof -tagfocus bot=ID).
			var err error
			pprof.Do(ctx, pprof.Labels("bot", u.ID()), func(ctx context.Context) { err = u.Run(ctx) })
			g.exits <- exit{id: u.ID(), collector: isCollector, err: err}
		}(u)
	}
	return g
}

// stop cancels a generation and waits until all its bots returned (each
// finishes and acknowledges its batch).
func (s *Supervisor) stop(g *running) {
	g.cancel()
	for g.left > 0 {
		e := <-g.exits
		s.record(g, e)
	}
}

func (s *Supervisor) record(g *running, e exit) {
	g.left--
	s.mu.Lock()
	s.done[e.id] = e.err
	s.mu.Unlock()
	if e.err != nil {
		s.log.Error(fmt.Sprintf("Bot %s stopped with an error: %v.", e.id, trimDot(e.err.Error())))
	}
}

// Run builds and starts the bots of p and supervises them until ctx is
// cancelled (a graceful stop of every bot; Run then returns nil), or, with
// Options.Once, until every collector ran once and every queue of the plan
// is drained. A value on hup reloads: the configuration is recompiled and
// its bots built; only if both succeed are the old bots stopped and the
// new ones started, otherwise the old ones keep running and the reason is
// logged. Run returns the error of the bots that failed when every bot
// stopped on its own.
func (s *Supervisor) Run(ctx context.Context, p *plan.Plan, hup <-chan struct{}) error {
	units, err := Build(p, s.opts)
	if err != nil {
		return err
	}
	if len(units) == 1 {
		s.log.Info("Starting 1 bot.")
	} else {
		s.log.Info(fmt.Sprintf("Starting %d bots.", len(units)))
	}
	g := s.start(ctx, units)
	var drained <-chan struct{}
	if s.opts.Once {
		drained = s.watchDrained(ctx, p, g)
	}
	var failures []error
	for {
		select {
		case <-ctx.Done():
			s.log.Info("Stopping every bot: each finishes its current batch.")
			s.stop(g)
			s.log.Info("All bots stopped.")
			return nil
		case <-drained:
			s.log.Info("Every queue is drained; stopping.")
			s.stop(g)
			return errors.Join(failures...)
		case e := <-g.exits:
			s.record(g, e)
			if e.err != nil {
				failures = append(failures, fmt.Errorf("bot %s: %w", e.id, e.err))
				if s.opts.Once && !e.collector {
					// A consumer that stopped leaves its queue undrained.
					s.stop(g)
					return errors.Join(failures...)
				}
			}
			if g.left == 0 {
				return errors.Join(failures...)
			}
		case <-hup:
			if ng := s.reload(ctx, g); ng != nil {
				g, failures = ng, nil
				if s.opts.Once {
					drained = s.watchDrained(ctx, p, g)
				}
			}
		}
	}
}

// reload recompiles and rebuilds; on success it stops g and returns the
// new generation, else it logs why and returns nil.
func (s *Supervisor) reload(ctx context.Context, g *running) *running {
	if s.opts.Recompile == nil {
		s.log.Warn("Reload requested, but this run cannot recompile its configuration.")
		return nil
	}
	s.log.Info("Reloading: compiling the configuration again.")
	np, err := s.opts.Recompile(ctx)
	if err != nil {
		s.log.Error(fmt.Sprintf("Reload failed, the running configuration stays: %v.", trimDot(err.Error())))
		return nil
	}
	units, err := Build(np, s.opts)
	if err != nil {
		s.log.Error(fmt.Sprintf("Reload failed, the running configuration stays: %v.", trimDot(err.Error())))
		return nil
	}
	s.stop(g)
	s.log.Info(fmt.Sprintf("Reloaded: starting %d bots of the new configuration.", len(units)))
	return s.start(ctx, units)
}

// drainPoll is how often --once checks the queues.
const drainPoll = 20 * time.Millisecond

// watchDrained closes the returned channel once every collector of g has
// returned and every queue of the plan's consumers is empty, checked twice
// in a row.
func (s *Supervisor) watchDrained(ctx context.Context, p *plan.Plan, g *running) <-chan struct{} {
	var queues []string
	collectors := map[string]bool{}
	for _, u := range g.units {
		if _, ok := u.(*CollectorRunner); ok {
			collectors[u.ID()] = true
			continue
		}
		if n := p.Node(u.ID()); n != nil {
			queues = append(queues, n.Queue(), n.InternalQueue())
		}
	}
	ch := make(chan struct{})
	go func() {
		empty := 0
		for s.opts.Clock.Sleep(ctx, drainPoll) == nil {
			if !s.collectorsDone(collectors) || !s.queuesEmpty(ctx, queues) {
				empty = 0
				continue
			}
			if empty++; empty >= 2 {
				close(ch)
				return
			}
		}
	}()
	return ch
}

func (s *Supervisor) collectorsDone(ids map[string]bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id := range ids {
		if _, ok := s.done[id]; !ok {
			return false
		}
	}
	return true
}

func (s *Supervisor) queuesEmpty(ctx context.Context, queues []string) bool {
	for _, q := range queues {
		n, err := s.opts.Broker.Len(ctx, q)
		if err != nil || n > 0 {
			return false
		}
	}
	return true
}
