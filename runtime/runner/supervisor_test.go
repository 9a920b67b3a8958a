// SPDX-License-Identifier: AGPL-3.0-or-later

package runner

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/internal/clock"
	"github.com/intelmq-go/intelmq/internal/redistest"
	"github.com/intelmq-go/intelmq/runtime/botlog"
	"github.com/intelmq-go/intelmq/runtime/dump"
	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/runtime/queue/memq"
	"github.com/intelmq-go/intelmq/runtime/queue/redisq"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// routerPlan returns a plan whose router node "a" sends everything to the
// node named to (which the plan lists but the tests do not run).
func routerPlan(to string) *plan.Plan {
	end := &plan.Node{ID: to, Kind: plan.KindRouter}
	a := &plan.Node{ID: "a", Kind: plan.KindRouter, Out: []*plan.Switch{{Cases: []*plan.Case{{Path: "_default", To: []*plan.Node{end}}}}}}
	return &plan.Plan{Nodes: []*plan.Node{a, end}}
}

// logSink collects the log lines of every bot.
type logSink struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logSink) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logSink) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func supervisorOptions(t *testing.T, b queue.Broker, logs *logSink) Options {
	clk := clock.System{}
	return Options{Broker: b, Schema: harmonization.Default(), Clock: clk,
		Logger:   func(id string) *slog.Logger { return botlog.New(logs, id, slog.LevelInfo, clk) },
		Dumps:    dump.Dir(t.TempDir()),
		Defaults: DefaultBotOptions(), Only: []string{"a"}}
}

// waitLen waits until queue q holds n messages.
func waitLen(t *testing.T, b queue.Broker, q string, n int) {
	t.Helper()
	for i := 0; i < 5000; i++ {
		if got, _ := b.Len(context.Background(), q); got == n {
			return
		}
		time.Sleep(time.Millisecond)
	}
	got, _ := b.Len(context.Background(), q)
	t.Fatalf("queue %s never held %d messages (it holds %d)", q, n, got)
}

func TestSupervisorReload(t *testing.T) {
	b, _ := memq.New(queue.Options{})
	defer b.Close()
	f := &fixture{t: t, schema: harmonization.Default(), broker: b}
	logs := &logSink{}
	opts := supervisorOptions(t, b, logs)
	var next *plan.Plan
	var mu sync.Mutex
	opts.Recompile = func(context.Context) (*plan.Plan, error) {
		mu.Lock()
		defer mu.Unlock()
		if next == nil {
			return nil, errors.New("pipeline.hcl:3:1: Unknown output")
		}
		return next, nil
	}
	s := NewSupervisor(opts)
	ctx, cancel := context.WithCancel(context.Background())
	hup := make(chan struct{})
	errc := make(chan error, 1)
	go func() { errc <- s.Run(ctx, routerPlan("end"), hup) }()

	f.push("a-queue", f.event("10.0.0.1"))
	waitLen(t, b, "end-queue", 1)

	// A configuration that does not compile: the old one keeps running.
	hup <- struct{}{}
	f.push("a-queue", f.event("10.0.0.2"))
	waitLen(t, b, "end-queue", 2)

	// A good one: the new bots take over.
	mu.Lock()
	next = routerPlan("other")
	mu.Unlock()
	hup <- struct{}{}
	for i := 0; i < 5000 && !strings.Contains(logs.String(), "Reloaded:"); i++ {
		time.Sleep(time.Millisecond)
	}
	f.push("a-queue", f.event("10.0.0.3"))
	if !waitOK(b, "other-queue", 1) {
		t.Fatalf("other-queue never got the message:\n%s", logs)
	}

	cancel()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	log := logs.String()
	for _, want := range []string{
		" - intelmq - ERROR - Reload failed, the running configuration stays: pipeline.hcl:3:1: Unknown output.",
		" - intelmq - INFO - Reloaded: starting 1 bots of the new configuration.",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	if n, _ := b.Len(context.Background(), "end-queue"); n != 2 {
		t.Errorf("end-queue holds %d; want 2", n)
	}
}

func TestSupervisorOnceStopsWhenDrained(t *testing.T) {
	b, _ := memq.New(queue.Options{})
	defer b.Close()
	f := &fixture{t: t, schema: harmonization.Default(), broker: b}
	for i := 0; i < 100; i++ {
		f.push("a-queue", f.event("10.0.0.1"))
	}
	opts := supervisorOptions(t, b, &logSink{})
	opts.Once = true
	s := NewSupervisor(opts)
	done := make(chan error, 1)
	go func() { done <- s.Run(context.Background(), routerPlan("end"), nil) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute):
		t.Fatal("Run did not return once the queues were drained")
	}
	if n, _ := b.Len(context.Background(), "end-queue"); n != 100 {
		t.Errorf("end-queue holds %d; want 100", n)
	}
	snaps := s.Snapshots()
	if len(snaps) != 1 || snaps[0].Success != 100 || snaps[0].State != StateStopped {
		t.Errorf("snapshots %+v", snaps)
	}
}

func TestBuildRejectsUnknownBot(t *testing.T) {
	b, _ := memq.New(queue.Options{})
	defer b.Close()
	opts := supervisorOptions(t, b, &logSink{})
	opts.Only = []string{"nope"}
	if _, err := Build(routerPlan("end"), opts); err == nil || !strings.Contains(err.Error(), `the plan has no bot "nope"`) {
		t.Errorf("Build: %v", err)
	}
}

func waitOK(b queue.Broker, q string, n int) bool {
	for i := 0; i < 5000; i++ {
		if got, _ := b.Len(context.Background(), q); got == n {
			return true
		}
		time.Sleep(time.Millisecond)
	}
	return false
}

// TestBotsSpreadOverSupervisorsOnRedis runs a two-bot chain as two
// supervisors sharing one Redis, each running one bot ("intelmq run --bot").
func TestBotsSpreadOverSupervisorsOnRedis(t *testing.T) {
	url := redistest.Start(t) + "?db=2"
	c := &plan.Node{ID: "c", Kind: plan.KindRouter}
	bn := &plan.Node{ID: "b", Kind: plan.KindRouter, Out: []*plan.Switch{{Cases: []*plan.Case{{Path: "_default", To: []*plan.Node{c}}}}}}
	a := &plan.Node{ID: "a", Kind: plan.KindRouter, Out: []*plan.Switch{{Cases: []*plan.Case{{Path: "_default", To: []*plan.Node{bn}}}}}}
	p := &plan.Plan{Nodes: []*plan.Node{a, bn, c}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var errs []chan error
	for _, id := range []string{"a", "b"} {
		br, err := redisq.Open(url, queue.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer br.Close()
		opts := supervisorOptions(t, br, &logSink{})
		opts.Only = []string{id}
		s := NewSupervisor(opts)
		errc := make(chan error, 1)
		errs = append(errs, errc)
		go func() { errc <- s.Run(ctx, p, nil) }()
	}
	br, err := redisq.Open(url, queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer br.Close()
	f := &fixture{t: t, schema: harmonization.Default(), broker: br}
	for i := 0; i < 50; i++ {
		f.push("a-queue", f.event("10.0.0.1"))
	}
	waitLen(t, br, "c-queue", 50)
	cancel()
	for _, e := range errs {
		if err := <-e; err != nil {
			t.Error(err)
		}
	}
}

func newTestLogger(w *logSink) *slog.Logger {
	return botlog.New(w, "test-bot", slog.LevelDebug, clock.System{})
}

// stateSink keeps the states written to it, in order.
type stateSink struct {
	mu     sync.Mutex
	states []State
	last   Snapshot
}

func (s *stateSink) WriteStats(_ context.Context, snap Snapshot) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.states = append(s.states, snap.State)
	s.last = snap
	return nil
}

func (s *stateSink) lastSnapshot() Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

func (s *stateSink) written() []State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.states)
}

// A bot writes its state when it starts, before it has anything to do:
// "intelmq status" must not show the state its last run ended with.
func TestStateWrittenAtStart(t *testing.T) {
	b, _ := memq.New(queue.Options{})
	defer b.Close()
	sink := &stateSink{}
	opts := supervisorOptions(t, b, &logSink{})
	opts.Sink = sink
	s := NewSupervisor(opts)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, routerPlan("end"), nil) }()
	for i := 0; !slices.Contains(sink.written(), StateRunning); i++ {
		if i == 5000 {
			t.Fatalf("an idle bot wrote no running state; it wrote %v", sink.written())
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := sink.written(); got[len(got)-1] != StateStopped {
		t.Errorf("states written %v, want the last stopped", got)
	}
}

// A bot that goes idle after a batch written too soon after the previous
// write (the 2 s interval) still gets its counts written, once the
// interval is over: "intelmq status" must not show them stale.
func TestIdleBotWritesItsCounts(t *testing.T) {
	b, _ := memq.New(queue.Options{})
	defer b.Close()
	f := &fixture{t: t, schema: harmonization.Default(), broker: b}
	for range 3 {
		f.push("a-queue", f.event("10.0.0.1"))
	}
	sink := &stateSink{}
	opts := supervisorOptions(t, b, &logSink{})
	opts.Sink = sink
	s := NewSupervisor(opts)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, routerPlan("end"), nil) }()
	for i := 0; ; i++ {
		if snap := sink.lastSnapshot(); snap.State == StateRunning && snap.Success == 3 {
			break
		}
		if i == 1000 {
			t.Fatalf("after 10 s the idle bot's last written snapshot is %+v, want running with 3 processed", sink.lastSnapshot())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
