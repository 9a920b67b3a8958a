// SPDX-License-Identifier: AGPL-3.0-or-later

package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/internal/clock"
	"github.com/intelmq-go/intelmq/internal/redistest"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/botlog"
	"github.com/intelmq-go/intelmq/runtime/dump"
	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/runtime/queue/diskq"
	"github.com/intelmq-go/intelmq/runtime/queue/memq"
	"github.com/intelmq-go/intelmq/runtime/queue/redisq"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

var epoch = time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)

// fixture is one bot under test on a memory broker.
type fixture struct {
	t      *testing.T
	broker queue.Broker
	clock  *clock.Manual
	logs   *bytes.Buffer
	dumps  dump.Dir
	schema *harmonization.Schema
}

// brokerKinds are the brokers every runner test runs on.
var brokerKinds = []struct {
	name string
	open func(t *testing.T) (queue.Broker, error)
}{
	{"memory", func(t *testing.T) (queue.Broker, error) { return memq.New(queue.Options{}) }},
	{"embedded", func(t *testing.T) (queue.Broker, error) { return diskq.Open(t.TempDir(), queue.Options{}) }},
	{"redis", func(t *testing.T) (queue.Broker, error) {
		return redisq.Open(redistest.Start(t)+"?db=2", queue.Options{})
	}},
}

// eachBroker runs test once per broker kind.
func eachBroker(t *testing.T, test func(t *testing.T, f *fixture)) {
	for _, k := range brokerKinds {
		t.Run(k.name, func(t *testing.T) {
			b, err := k.open(t)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { b.Close() })
			test(t, newFixture(t, b))
		})
	}
}

func newFixture(t *testing.T, b queue.Broker) *fixture {
	t.Helper()
	return &fixture{t: t, broker: b, clock: clock.NewManual(epoch), logs: &bytes.Buffer{},
		dumps: dump.Dir(t.TempDir()), schema: harmonization.Default()}
}

func (f *fixture) env() Env {
	return Env{Broker: f.broker, Schema: f.schema, Clock: f.clock,
		Logger: botlog.New(botlog.SyncWriter(f.logs), "test-bot", slog.LevelDebug, f.clock), Dumps: f.dumps}
}

// event returns the wire form of an event with source.ip ip.
func (f *fixture) event(ip string) []byte {
	m := message.NewEvent(f.schema)
	if err := m.AddString("source.ip", ip); err != nil {
		f.t.Fatal(err)
	}
	return m.AppendWire(nil)
}

func (f *fixture) push(q string, msgs ...[]byte) {
	if err := f.broker.Send(context.Background(), q, msgs...); err != nil {
		f.t.Fatal(err)
	}
}

// drain pops every message of q (through a consumer, acknowledged).
func (f *fixture) drain(q string) []string {
	f.t.Helper()
	ctx := context.Background()
	n, err := f.broker.Len(ctx, q)
	if err != nil {
		f.t.Fatal(err)
	}
	if n == 0 {
		return nil
	}
	c, err := f.broker.Consumer(q, q+"-drain")
	if err != nil {
		f.t.Fatal(err)
	}
	defer c.Close()
	var out []string
	for len(out) < n {
		b, err := c.Receive(ctx, n)
		if err != nil {
			f.t.Fatal(err)
		}
		for _, m := range b.Messages() {
			// In the wire form, also the messages that bots sent in the
			// compact form of the embedded queue.
			out = append(out, string(message.WireForm(harmonization.Default(), m)))
		}
		if err := b.Ack(ctx); err != nil {
			f.t.Fatal(err)
		}
	}
	return out
}

func (f *fixture) qlen(q string) int {
	n, err := f.broker.Len(context.Background(), q)
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

// ips returns the source.ip of each wire message.
func (f *fixture) ips(msgs []string) []string {
	var out []string
	for _, s := range msgs {
		m, err := message.Decode(f.schema, []byte(s))
		if err != nil {
			f.t.Fatalf("output %q: %v", s, err)
		}
		out = append(out, m.GetString("source.ip"))
	}
	return out
}

// runUntilIdle runs r until its source and internal queues are empty,
// then stops it gracefully and returns Run's error.
func (f *fixture) runUntilIdle(r *Runner) error {
	f.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- r.Run(ctx) }()
	for {
		select {
		case err := <-errc:
			cancel()
			return err
		case <-time.After(time.Millisecond):
		}
		if f.qlen(r.cfg.Source) == 0 && f.qlen(r.cfg.Internal) == 0 {
			cancel()
			return <-errc
		}
	}
}

// handlerFunc adapts a function to Handler.
type handlerFunc func(ctx context.Context, in *message.Message, out Out) error

func (h handlerFunc) Handle(ctx context.Context, in *message.Message, out Out) error {
	return h(ctx, in, out)
}

func passThrough() Handler {
	return handlerFunc(func(_ context.Context, in *message.Message, out Out) error {
		return out.Send(botapi.DefaultPath, in)
	})
}

func testOptions() BotOptions {
	o := DefaultBotOptions()
	o.ErrorRetryDelay = 7 * time.Second
	return o
}

func (f *fixture) runner(h Handler, paths map[string][]string, o BotOptions) *Runner {
	f.t.Helper()
	r, err := New(Config{ID: "test-bot", Kind: plan.KindExpert, Router: NewPathRouter(paths, o.LoadBalance),
		Options: o, Handler: h}, f.env())
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

func TestFanOutSendsACopyToEveryQueue(t *testing.T) {
	eachBroker(t, func(t *testing.T, f *fixture) {
		f.push("test-bot-queue", f.event("10.0.0.1"), f.event("10.0.0.2"))
		r := f.runner(passThrough(), map[string][]string{"_default": {"a", "b"}}, testOptions())
		if err := f.runUntilIdle(r); err != nil {
			t.Fatal(err)
		}
		want := []string{"10.0.0.1", "10.0.0.2"}
		for _, q := range []string{"a", "b"} {
			if diff := cmp.Diff(want, f.ips(f.drain(q))); diff != "" {
				t.Errorf("queue %s (-want +got):\n%s", q, diff)
			}
		}
		snap := r.Stats().Snapshot(epoch)
		if snap.Success != 2 || snap.Paths["_default"] != 2 {
			t.Errorf("stats: success %d, _default %d; want 2 and 2", snap.Success, snap.Paths["_default"])
		}
	})
}

func TestLoadBalanceSendsRoundRobin(t *testing.T) {
	eachBroker(t, func(t *testing.T, f *fixture) {
		for i := 1; i <= 5; i++ {
			f.push("test-bot-queue", f.event(fmt.Sprintf("10.0.0.%d", i)))
		}
		o := testOptions()
		o.LoadBalance = true
		r := f.runner(passThrough(), map[string][]string{"_default": {"a", "b"}}, o)
		if err := f.runUntilIdle(r); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"10.0.0.1", "10.0.0.3", "10.0.0.5"}, f.ips(f.drain("a"))); diff != "" {
			t.Errorf("queue a (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"10.0.0.2", "10.0.0.4"}, f.ips(f.drain("b"))); diff != "" {
			t.Errorf("queue b (-want +got):\n%s", diff)
		}
	})
}

func TestNamedPathsAndUnknownPath(t *testing.T) {
	eachBroker(t, func(t *testing.T, f *fixture) {
		f.push("test-bot-queue", f.event("10.0.0.1"), f.event("10.0.0.2"))
		h := handlerFunc(func(_ context.Context, in *message.Message, out Out) error {
			if in.GetString("source.ip") == "10.0.0.1" {
				return out.Send("special", in)
			}
			return out.Send(botapi.DefaultPath, in)
		})
		r := f.runner(h, map[string][]string{"_default": {"a"}, "special": {"s"}}, testOptions())
		if err := f.runUntilIdle(r); err != nil {
			t.Fatal(err)
		}
		if got := f.ips(f.drain("s")); !cmp.Equal(got, []string{"10.0.0.1"}) {
			t.Errorf("path special got %v", got)
		}
		if got := f.ips(f.drain("a")); !cmp.Equal(got, []string{"10.0.0.2"}) {
			t.Errorf("path _default got %v", got)
		}

		var sendErr error
		unknown := handlerFunc(func(_ context.Context, in *message.Message, out Out) error {
			sendErr = out.Send("nowhere", in)
			return nil
		})
		f.push("test-bot-queue", f.event("10.0.0.3"))
		if err := f.runUntilIdle(f.runner(unknown, map[string][]string{"_default": {"a"}}, testOptions())); err != nil {
			t.Fatal(err)
		}
		if !errors.Is(sendErr, botapi.ErrUnknownPath) {
			t.Errorf("Send on an unknown path returned %v; want ErrUnknownPath", sendErr)
		}
	})
}

// failing returns a handler failing with err on ips in bad, counting calls
// per ip, and passing other messages through.
func failing(err error, bad ...string) (Handler, map[string]int) {
	var mu sync.Mutex
	calls := map[string]int{}
	return handlerFunc(func(_ context.Context, in *message.Message, out Out) error {
		ip := in.GetString("source.ip")
		mu.Lock()
		calls[ip]++
		mu.Unlock()
		// Sent before failing: must never be delivered.
		if e := out.Send(botapi.DefaultPath, in); e != nil {
			return e
		}
		for _, b := range bad {
			if b == ip {
				if e := in.AddString("destination.ip", "192.0.2.1"); e != nil {
					return e
				}
				return err
			}
		}
		return nil
	}), calls
}

func TestRetriesThenPassDumpsAndGoesOn(t *testing.T) {
	eachBroker(t, func(t *testing.T, f *fixture) {
		bad := f.event("10.0.0.2")
		f.push("test-bot-queue", f.event("10.0.0.1"), bad, f.event("10.0.0.3"))
		h, calls := failing(errors.New("lookup failed: connection refused"), "10.0.0.2")
		r := f.runner(h, map[string][]string{"_default": {"out"}}, testOptions())
		if err := f.runUntilIdle(r); err != nil {
			t.Fatal(err)
		}
		if calls["10.0.0.2"] != 4 {
			t.Errorf("the failing message was tried %d times; want error_max_retries+1 = 4", calls["10.0.0.2"])
		}
		if diff := cmp.Diff([]time.Duration{7 * time.Second, 7 * time.Second, 7 * time.Second}, f.clock.Sleeps()); diff != "" {
			t.Errorf("sleeps (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"10.0.0.1", "10.0.0.3"}, f.ips(f.drain("out"))); diff != "" {
			t.Errorf("output (-want +got):\n%s", diff)
		}
		entries, corrupt, err := f.dumps.Read("test-bot")
		if err != nil || corrupt != 0 || len(entries) != 1 {
			t.Fatalf("dump: %d entries, %d corrupt, %v; want 1 entry", len(entries), corrupt, err)
		}
		e := entries[0]
		want := dump.Entry{Timestamp: "2024-01-01T12:00:21.000000", BotID: "test-bot", SourceQueue: "test-bot-queue",
			Traceback: []string{"lookup failed: connection refused"}, Message: string(bad)}
		if diff := cmp.Diff(want, e); diff != "" {
			t.Errorf("dump entry (-want +got):\n%s", diff)
		}
		snap := r.Stats().Snapshot(epoch)
		if snap.Success != 2 || snap.Failure != 4 || snap.Dumped != 1 {
			t.Errorf("stats success %d failure %d dumped %d; want 2, 4, 1", snap.Success, snap.Failure, snap.Dumped)
		}
		if f.qlen("test-bot-queue-internal") != 0 {
			t.Error("the batch was not acknowledged")
		}
		logs := f.logs.String()
		for _, want := range []string{
			" - test-bot - ERROR - Bot has found a problem.\nlookup failed: connection refused\n",
			" - test-bot - INFO - Retrying the message in 7s (retry 3 of 3).\n",
			" - test-bot - INFO - Dumping message to dump file.\n",
		} {
			if !strings.Contains(logs, want) {
				t.Errorf("log lacks %q:\n%s", want, logs)
			}
		}
	})
}

func TestRetryAfterSuccessDeliversOnce(t *testing.T) {
	eachBroker(t, func(t *testing.T, f *fixture) {
		f.push("test-bot-queue", f.event("10.0.0.1"))
		n := 0
		h := handlerFunc(func(_ context.Context, in *message.Message, out Out) error {
			n++
			if err := out.Send(botapi.DefaultPath, in); err != nil {
				return err
			}
			if n < 3 {
				return errors.New("flaky")
			}
			return nil
		})
		if err := f.runUntilIdle(f.runner(h, map[string][]string{"_default": {"out"}}, testOptions())); err != nil {
			t.Fatal(err)
		}
		if got := f.ips(f.drain("out")); !cmp.Equal(got, []string{"10.0.0.1"}) {
			t.Errorf("output %v; want exactly one copy", got)
		}
		if entries, _, _ := f.dumps.Read("test-bot"); len(entries) != 0 {
			t.Errorf("a message that succeeded on retry was dumped: %v", entries)
		}
	})
}

func TestInvalidValueIsNotRetried(t *testing.T) {
	eachBroker(t, func(t *testing.T, f *fixture) {
		f.push("test-bot-queue", f.event("10.0.0.1"))
		h := handlerFunc(func(_ context.Context, in *message.Message, out Out) error {
			return in.AddString("source.asn", "not a number")
		})
		var calls int
		counting := handlerFunc(func(ctx context.Context, in *message.Message, out Out) error {
			calls++
			return h(ctx, in, out)
		})
		r := f.runner(counting, map[string][]string{"_default": {"out"}}, testOptions())
		if err := f.runUntilIdle(r); err != nil {
			t.Fatal(err)
		}
		if calls != 1 || len(f.clock.Sleeps()) != 0 {
			t.Errorf("an invalid value was tried %d times with sleeps %v; want once, no sleep", calls, f.clock.Sleeps())
		}
		entries, _, _ := f.dumps.Read("test-bot")
		if len(entries) != 1 || !strings.Contains(entries[0].Error(), "source.asn") {
			t.Errorf("dump %v; want one entry naming source.asn", entries)
		}
		if !strings.Contains(f.logs.String(), "ERROR - Found an invalid value that violates the harmonization rules.") {
			t.Errorf("log lacks the invalid value line:\n%s", f.logs)
		}
	})
}

func TestPermanentErrorIsNotRetried(t *testing.T) {
	eachBroker(t, func(t *testing.T, f *fixture) {
		f.push("test-bot-queue", f.event("10.0.0.1"))
		h, calls := failing(botapi.Permanent(errors.New("cannot ever work")), "10.0.0.1")
		if err := f.runUntilIdle(f.runner(h, map[string][]string{"_default": {"out"}}, testOptions())); err != nil {
			t.Fatal(err)
		}
		if calls["10.0.0.1"] != 1 {
			t.Errorf("tried %d times; want 1", calls["10.0.0.1"])
		}
		entries, _, _ := f.dumps.Read("test-bot")
		if diff := cmp.Diff([]string{"cannot ever work"}, entries[0].Traceback); diff != "" {
			t.Errorf("traceback (-want +got):\n%s", diff)
		}
	})
}

func TestOnErrorPathGetsTheOriginalMessage(t *testing.T) {
	eachBroker(t, func(t *testing.T, f *fixture) {
		bad := f.event("10.0.0.2")
		f.push("test-bot-queue", bad)
		h, _ := failing(errors.New("boom"), "10.0.0.2")
		o := testOptions()
		o.ErrorMaxRetries = 0
		r := f.runner(h, map[string][]string{"_default": {"out"}, "_on_error": {"errors"}}, o)
		if err := f.runUntilIdle(r); err != nil {
			t.Fatal(err)
		}
		if got := f.drain("errors"); !cmp.Equal(got, []string{string(bad)}) {
			t.Errorf("_on_error got %q; want the original %q", got, bad)
		}
		if got := f.drain("out"); len(got) != 0 {
			t.Errorf("the failed attempt's send was delivered: %q", got)
		}
		if r.Stats().Snapshot(epoch).Paths["_on_error"] != 1 {
			t.Errorf("path statistics %v", r.Stats().Snapshot(epoch).Paths)
		}
	})
}

func TestErrorProcedureStop(t *testing.T) {
	eachBroker(t, func(t *testing.T, f *fixture) {
		f.push("test-bot-queue", f.event("10.0.0.1"), f.event("10.0.0.2"), f.event("10.0.0.3"))
		h, calls := failing(errors.New("boom"), "10.0.0.2")
		o := testOptions()
		o.ErrorProcedure = Stop
		o.ErrorMaxRetries = 1
		r := f.runner(h, map[string][]string{"_default": {"out"}}, o)
		err := r.Run(context.Background())
		if err == nil || !strings.Contains(err.Error(), "error_procedure is stop") {
			t.Fatalf("Run returned %v; want the stop error", err)
		}
		if calls["10.0.0.2"] != 2 || calls["10.0.0.3"] != 0 {
			t.Errorf("calls %v; want 2 attempts of .2 and none of .3", calls)
		}
		if got := f.ips(f.drain("out")); !cmp.Equal(got, []string{"10.0.0.1"}) {
			t.Errorf("output %v", got)
		}
		// The failed message is dumped and acknowledged, the unprocessed one
		// is back on the source queue, nothing is left unacknowledged.
		if entries, _, _ := f.dumps.Read("test-bot"); len(entries) != 1 {
			t.Errorf("%d dump entries; want 1", len(entries))
		}
		if got := f.ips(f.drain("test-bot-queue")); !cmp.Equal(got, []string{"10.0.0.3"}) {
			t.Errorf("source queue holds %v; want the unprocessed 10.0.0.3", got)
		}
		if n := f.qlen("test-bot-queue-internal"); n != 0 {
			t.Errorf("internal queue holds %d messages", n)
		}
		if r.Stats().Snapshot(epoch).State != StateFailed {
			t.Error("state is not failed")
		}
	})
}

func TestFatalLeavesTheBatchUnacknowledged(t *testing.T) {
	eachBroker(t, func(t *testing.T, f *fixture) {
		f.push("test-bot-queue", f.event("10.0.0.1"), f.event("10.0.0.2"))
		h, _ := failing(botapi.Fatal(errors.New("misconfigured")), "10.0.0.2")
		r := f.runner(h, map[string][]string{"_default": {"out"}}, testOptions())
		if err := r.Run(context.Background()); !errors.Is(err, botapi.ErrFatal) {
			t.Fatalf("Run returned %v; want the fatal error", err)
		}
		if n := f.qlen("test-bot-queue-internal"); n != 2 {
			t.Errorf("internal queue holds %d; want the whole batch (2) for redelivery", n)
		}
		if n := f.qlen("out"); n != 0 {
			t.Errorf("%d results of the unacknowledged batch were sent", n)
		}
	})
}

func TestMalformedMessagesAreDumpedAndTheBotGoesOn(t *testing.T) {
	eachBroker(t, func(t *testing.T, f *fixture) {
		notJSON := []byte(`{"source.ip": "10.0.0.9", `)
		badUTF8 := []byte("{\"source.ip\": \"\xff\"}")
		unknownKey := []byte(`{"source.ipp": "10.0.0.9", "__type": "Event"}`)
		report := []byte(`{"raw": "", "__type": "Report"}`)
		f.push("test-bot-queue", notJSON, f.event("10.0.0.1"), badUTF8, unknownKey, report, f.event("10.0.0.2"))
		r := f.runner(passThrough(), map[string][]string{"_default": {"out"}}, testOptions())
		if err := f.runUntilIdle(r); err != nil {
			t.Fatal(err)
		}
		if got := f.ips(f.drain("out")); !cmp.Equal(got, []string{"10.0.0.1", "10.0.0.2"}) {
			t.Errorf("output %v", got)
		}
		entries, _, err := f.dumps.Read("test-bot")
		if err != nil || len(entries) != 4 {
			t.Fatalf("%d dump entries (%v); want 4", len(entries), err)
		}
		var got [][]byte
		for _, e := range entries {
			b, err := e.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, b)
			if !strings.HasPrefix(e.Traceback[0], "malformed message: ") {
				t.Errorf("traceback %q does not say the message is malformed", e.Traceback)
			}
		}
		if diff := cmp.Diff([][]byte{notJSON, badUTF8, unknownKey, report}, got); diff != "" {
			t.Errorf("dumped messages (-want +got):\n%s", diff)
		}
		if entries[1].MessageType != dump.MessageTypeBase64 {
			t.Errorf("invalid UTF-8 dumped with message_type %q; want base64", entries[1].MessageType)
		}
	})
}

func TestGracefulStopFinishesAndAcknowledgesTheBatch(t *testing.T) {
	eachBroker(t, func(t *testing.T, f *fixture) {
		for i := 1; i <= 4; i++ {
			f.push("test-bot-queue", f.event(fmt.Sprintf("10.0.0.%d", i)))
		}
		ctx, cancel := context.WithCancel(context.Background())
		entered := make(chan struct{})
		release := make(chan struct{})
		h := handlerFunc(func(hctx context.Context, in *message.Message, out Out) error {
			if in.GetString("source.ip") == "10.0.0.1" {
				close(entered)
				<-release
				if hctx.Err() != nil {
					return hctx.Err()
				}
			}
			return out.Send(botapi.DefaultPath, in)
		})
		o := testOptions()
		o.BatchSize = 2
		r := f.runner(h, map[string][]string{"_default": {"out"}}, o)
		errc := make(chan error, 1)
		go func() { errc <- r.Run(ctx) }()
		<-entered
		cancel() // stop while the first message is in process
		close(release)
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
		// The first message finished and was sent; the second one of the batch
		// was put back; the batch was acknowledged; the next batch untouched.
		if got := f.ips(f.drain("out")); !cmp.Equal(got, []string{"10.0.0.1"}) {
			t.Errorf("output %v; want 10.0.0.1", got)
		}
		if n := f.qlen("test-bot-queue-internal"); n != 0 {
			t.Errorf("internal queue holds %d after a graceful stop", n)
		}
		if got := f.ips(f.drain("test-bot-queue")); !cmp.Equal(got, []string{"10.0.0.3", "10.0.0.4", "10.0.0.2"}) {
			t.Errorf("source queue %v", got)
		}
		if !strings.HasSuffix(f.logs.String(), " - test-bot - INFO - Bot stopped.\n") {
			t.Errorf("last log line is not \"Bot stopped.\":\n%s", f.logs)
		}
	})
}

func TestRedeliveredInternalMessagesComeFirst(t *testing.T) {
	eachBroker(t, func(t *testing.T, f *fixture) {
		f.push("test-bot-queue", f.event("10.0.0.1"), f.event("10.0.0.2"))
		// A crashed run: received, never acknowledged.
		c, err := f.broker.Consumer("test-bot-queue", "test-bot-queue-internal")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Receive(context.Background(), 1); err != nil {
			t.Fatal(err)
		}
		c.Close()
		f.push("test-bot-queue", f.event("10.0.0.3"))
		o := testOptions()
		o.BatchSize = 1
		if err := f.runUntilIdle(f.runner(passThrough(), map[string][]string{"_default": {"out"}}, o)); err != nil {
			t.Fatal(err)
		}
		if got := f.ips(f.drain("out")); !cmp.Equal(got, []string{"10.0.0.1", "10.0.0.2", "10.0.0.3"}) {
			t.Errorf("output %v", got)
		}
	})
}

func TestLogLinesFollowIntelMQFormat(t *testing.T) {
	eachBroker(t, func(t *testing.T, f *fixture) {
		f.push("test-bot-queue", f.event("10.0.0.1"))
		if err := f.runUntilIdle(f.runner(passThrough(), map[string][]string{"_default": {"out"}}, testOptions())); err != nil {
			t.Fatal(err)
		}
		entries, err := botlog.Read(strings.NewReader(f.logs.String()), slog.LevelDebug, 0)
		if err != nil {
			t.Fatal(err)
		}
		var msgs []string
		for _, e := range entries {
			if e.Date != "2024-01-01 12:00:00,000" || e.BotID != "test-bot" {
				t.Errorf("entry %+v", e)
			}
			msgs = append(msgs, e.Level+" "+e.Message)
		}
		want := []string{"INFO Bot is starting.", "INFO Bot initialization completed.",
			"INFO Processed 1 messages since last logging.", "INFO Bot stopped."}
		if diff := cmp.Diff(want, msgs); diff != "" {
			t.Errorf("log (-want +got):\n%s", diff)
		}
	})
}

func TestRetriedReportDoesNotSendItsEventsTwice(t *testing.T) {
	eachBroker(t, func(t *testing.T, f *fixture) {
		f.push("test-bot-queue", f.event("10.0.0.1"))
		attempts := 0
		// A parser-like handler: many sends, written early because the
		// outbox is small, then a failure on the first attempt after the
		// early flush.
		h := handlerFunc(func(_ context.Context, in *message.Message, out Out) error {
			attempts++
			for i := 1; i <= 10; i++ {
				ev := message.NewEvent(f.schema)
				if err := ev.AddString("source.ip", fmt.Sprintf("10.1.0.%d", i)); err != nil {
					return err
				}
				if err := out.Send(botapi.DefaultPath, ev); err != nil {
					return err
				}
				if attempts == 1 && i == 7 {
					return errors.New("the report's data ends abruptly")
				}
			}
			return nil
		})
		r := f.runner(h, map[string][]string{"_default": {"out"}}, testOptions())
		r.out.limit = 100 // two or three events
		if err := f.runUntilIdle(r); err != nil {
			t.Fatal(err)
		}
		var want []string
		for i := 1; i <= 10; i++ {
			want = append(want, fmt.Sprintf("10.1.0.%d", i))
		}
		if diff := cmp.Diff(want, f.ips(f.drain("out"))); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
		if attempts != 2 {
			t.Errorf("%d attempts; want 2", attempts)
		}
	})
}

func TestRedisStatisticsUseIntelMQKeys(t *testing.T) {
	url := redistest.Start(t)
	b, err := redisq.Open(url+"?db=2", queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	f := newFixture(t, b)
	opts, _, err := redisq.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	opts.DB = RedisStatsDB
	client := redis.NewClient(opts)
	defer client.Close()
	f.push("test-bot-queue", f.event("10.0.0.1"), f.event("10.0.0.2"))
	h, _ := failing(botapi.Permanent(errors.New("no")), "10.0.0.2")
	env := f.env()
	env.Sink = RedisStats{Client: client}
	r, err := New(Config{ID: "test-bot", Kind: plan.KindExpert, Options: testOptions(), Handler: h,
		Router: NewPathRouter(map[string][]string{"_default": {"out"}, "other": {"o"}}, false)}, env)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.runUntilIdle(r); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"test-bot.stats.success":  "1",
		"test-bot.stats.failure":  "1",
		"test-bot.total._default": "1",
		"test-bot.total.other":    "0",
	}
	for k, v := range want {
		got, err := client.Get(context.Background(), k).Result()
		if err != nil || got != v {
			t.Errorf("%s = %q (%v); want %q", k, got, err, v)
		}
	}
}

// preparing is a Preparer that records what it prepared and fails the
// first attempt of 10.0.0.2.
type preparing struct {
	batches  [][]string
	prepared map[*message.Message]bool
	hits     int
	failed   bool
}

func (p *preparing) Prepare(_ context.Context, msgs []*message.Message) error {
	var ips []string
	p.prepared = map[*message.Message]bool{}
	for _, m := range msgs {
		ips = append(ips, m.GetString("source.ip"))
		p.prepared[m] = true
	}
	p.batches = append(p.batches, ips)
	return nil
}

func (p *preparing) Process(_ context.Context, m *message.Message, out botapi.Sender) error {
	if p.prepared[m] {
		p.hits++
	}
	if m.GetString("source.ip") == "10.0.0.2" && !p.failed {
		p.failed = true
		return errors.New("transient")
	}
	return out.Send(botapi.DefaultPath, m)
}

func TestPreparerGetsTheBatch(t *testing.T) {
	eachBroker(t, func(t *testing.T, f *fixture) {
		f.push("test-bot-queue", f.event("10.0.0.1"), []byte("not json"), f.event("10.0.0.2"), f.event("10.0.0.3"))
		bot := &preparing{}
		o := testOptions()
		o.BatchSize = 10
		r, err := New(Config{ID: "test-bot", Kind: plan.KindExpert, Options: o, Handler: ProcessorHandler(bot), Bot: bot,
			Router: NewPathRouter(map[string][]string{"_default": {"out"}}, false)}, f.env())
		if err != nil {
			t.Fatal(err)
		}
		if err := f.runUntilIdle(r); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([][]string{{"10.0.0.1", "10.0.0.2", "10.0.0.3"}}, bot.batches); diff != "" {
			t.Errorf("prepared batches (-want +got):\n%s", diff)
		}
		// Three first attempts on prepared messages; the retry of .2 is not.
		if bot.hits != 3 {
			t.Errorf("%d processings of prepared messages; want 3", bot.hits)
		}
		if got := f.ips(f.drain("out")); !cmp.Equal(got, []string{"10.0.0.1", "10.0.0.2", "10.0.0.3"}) {
			t.Errorf("output %v", got)
		}
	})
}

// TestTrustedBatches: on the embedded queue a bot's results are sent
// trusted, and a trusted batch is decoded without the checks of the
// values: a value that needs sanitizing passes unchanged when it came
// through SendTrusted (which only the runner's own encodings may use), and
// is sanitized when it came through Send.
func TestTrustedBatches(t *testing.T) {
	b, f := embeddedFixture(t)
	ctx := context.Background()
	raw := []byte(`{"source.ip": " 192.0.2.1 ", "__type": "Event"}`)
	for _, c := range []struct {
		name string
		send func(context.Context, string, ...[]byte) error
		want string
	}{
		{"send", b.Send, "192.0.2.1"},
		{"trusted", b.SendTrusted, " 192.0.2.1 "},
	} {
		if err := c.send(ctx, "test-bot-queue", raw); err != nil {
			t.Fatal(err)
		}
		r := f.runner(passThrough(), map[string][]string{"_default": {"out"}}, testOptions())
		if err := f.runUntilIdle(r); err != nil {
			t.Fatal(err)
		}
		cons, bt := receiveSome(t, b, "out")
		if !bt.(queue.TrustedBatch).Trusted() {
			t.Errorf("%s: the bot's results were not sent trusted", c.name)
		}
		var got []string
		for _, m := range bt.Messages() {
			var v struct {
				IP string `json:"source.ip"`
			}
			if err := json.Unmarshal(message.WireForm(harmonization.Default(), m), &v); err != nil {
				t.Fatal(err)
			}
			got = append(got, v.IP)
		}
		if len(got) != 1 || got[0] != c.want {
			t.Errorf("%s: source.ip %q, want [%q]", c.name, got, c.want)
		}
		if err := bt.Ack(ctx); err != nil {
			t.Fatal(err)
		}
		cons.Close()
	}
}

// TestCompactOnTheEmbeddedQueue: on the embedded queue the runner sends
// its bots' messages in the compact form, and everything a person or
// another program sees of them is in the wire form: the dump of one that
// failed, and what a plain decode reads. Read by the same broker they are
// trusted; after a reopen (a restart, maybe with another schema) they are
// read with the checks.
func TestCompactOnTheEmbeddedQueue(t *testing.T) {
	for _, reopen := range []bool{false, true} {
		t.Run(fmt.Sprintf("reopen=%v", reopen), func(t *testing.T) { testCompactOnTheEmbeddedQueue(t, reopen) })
	}
}

func testCompactOnTheEmbeddedQueue(t *testing.T, reopen bool) {
	dir := t.TempDir()
	b, err := diskq.Open(dir, queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { b.Close() }()
	f := newFixture(t, b)
	ctx := context.Background()
	if err := b.Send(ctx, "test-bot-queue", f.event("10.0.0.1"), f.event("10.0.0.2"), f.event("10.0.0.3")); err != nil {
		t.Fatal(err)
	}
	if err := f.runUntilIdle(f.runner(passThrough(), map[string][]string{"_default": {"next-queue"}}, testOptions())); err != nil {
		t.Fatal(err)
	}
	cons, bt := receiveSome(t, b, "next-queue")
	if len(bt.Messages()) != 3 {
		t.Fatalf("%d messages sent, want 3", len(bt.Messages()))
	}
	for _, m := range bt.Messages() {
		if !message.IsCompact(m) {
			t.Errorf("message %q is not in the compact form", m)
		}
		if _, err := message.Decode(f.schema, m); err != nil {
			t.Errorf("decoding %q: %v", m, err)
		}
	}
	if err := bt.Nack(ctx); err != nil {
		t.Fatal(err)
	}
	cons.Close()
	if reopen {
		b.Close()
		if b, err = diskq.Open(dir, queue.Options{}); err != nil {
			t.Fatal(err)
		}
		f.broker = b
		cons, bt = receiveSome(t, b, "next-queue")
		if bt.(queue.TrustedBatch).Trusted() {
			t.Error("messages of an earlier opening are trusted")
		}
		if err := bt.Nack(ctx); err != nil {
			t.Fatal(err)
		}
		cons.Close()
	}
	// The next bot fails on the second: its dump holds the wire form.
	h, _ := failing(botapi.Permanent(errors.New("boom")), "10.0.0.2")
	next := f.runner(h, map[string][]string{"_default": {"out"}}, testOptions())
	next.cfg.ID, next.cfg.Source, next.cfg.Internal = "next", "next-queue", "next-queue-internal"
	if err := f.runUntilIdle(next); err != nil {
		t.Fatal(err)
	}
	entries, _, err := f.dumps.Read("next")
	if err != nil || len(entries) != 1 {
		t.Fatalf("dumps %v (%v); want one", entries, err)
	}
	if got, want := entries[0].Message, string(f.event("10.0.0.2")); got != want {
		t.Errorf("dumped %q, want the wire form %q", got, want)
	}
	want := []string{string(f.event("10.0.0.1")), string(f.event("10.0.0.3"))}
	if got := f.drain("out"); !cmp.Equal(got, want) {
		t.Errorf("out got %q, want %q", got, want)
	}
}

// receiveSome takes up to 10 messages of queue q of b, with the consumer
// that holds them.
func receiveSome(t *testing.T, b queue.Broker, q string) (queue.Consumer, queue.Batch) {
	t.Helper()
	cons, err := b.Consumer(q, queue.InternalName(q))
	if err != nil {
		t.Fatal(err)
	}
	bt, err := cons.Receive(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	return cons, bt
}

// embeddedFixture opens an embedded queue, closed at the end of the test,
// and a fixture on it.
func embeddedFixture(t *testing.T) (*diskq.Broker, *fixture) {
	t.Helper()
	b, err := diskq.Open(t.TempDir(), queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b, newFixture(t, b)
}
