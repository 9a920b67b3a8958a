// SPDX-License-Identifier: AGPL-3.0-or-later

package redisq_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/intelmq-go/intelmq/internal/redistest"
	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/runtime/queue/redisq"
)

// Messages exactly as Python IntelMQ serialises them (json.dumps defaults:
// ", " and ": " separators, ASCII escapes, "__type" last).
var pythonWire = [][]byte{
	[]byte(`{"feed.name": "Test", "source.ip": "10.0.0.1", "__type": "Event"}`),
	[]byte(`{"feed.name": "Test", "source.ip": "10.0.0.2", "extra.city": "M\u00fcnchen", "__type": "Event"}`),
	[]byte(`{"feed.name": "Test", "raw": "YSxiLGMK", "__type": "Report"}`),
}

// TestReceiveFromIntelMQ: what IntelMQ LPUSHes, one message per command,
// arrives byte-identical and in order, through IntelMQ's internal queue.
func TestReceiveFromIntelMQ(t *testing.T) {
	url := redistest.Start(t)
	plain := plainClient(t, url)
	ctx := context.Background()
	for _, m := range pythonWire {
		if err := plain.LPush(ctx, "test-bot-queue", m).Err(); err != nil {
			t.Fatal(err)
		}
	}
	c := openConsumer(t, url, "test-bot-queue", queue.InternalName("test-bot-queue"))
	bt, err := c.Receive(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	got := bt.Messages()
	if len(got) != len(pythonWire) {
		t.Fatalf("received %d messages, want %d", len(got), len(pythonWire))
	}
	for i := range got {
		if string(got[i]) != string(pythonWire[i]) {
			t.Fatalf("message %d = %s, want %s", i, got[i], pythonWire[i])
		}
	}
	// Until Ack the batch sits in IntelMQ's internal queue, the oldest at
	// the right end where Python's LINDEX -1 looks after a crash.
	oldest, err := plain.LIndex(ctx, "test-bot-queue-internal", -1).Result()
	if err != nil || oldest != string(pythonWire[0]) {
		t.Fatalf("LINDEX test-bot-queue-internal -1 = %q, %v; want the first message", oldest, err)
	}
	if err := bt.Ack(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := plain.Exists(ctx, "test-bot-queue", "test-bot-queue-internal").Result(); n != 0 {
		t.Fatalf("%d queue keys left after Ack, want none", n)
	}
}

// TestIntelMQReadsWhatWeSend: Python IntelMQ's receive (BLMOVE RIGHT LEFT
// into <queue>-internal, then RPOP to acknowledge) gets our messages in the
// order we sent them.
func TestIntelMQReadsWhatWeSend(t *testing.T) {
	url := redistest.Start(t)
	plain := plainClient(t, url)
	ctx := context.Background()
	b := openBroker(t, url)
	if err := b.Send(ctx, "next-bot-queue", pythonWire[:2]...); err != nil {
		t.Fatal(err)
	}
	if err := b.Send(ctx, "next-bot-queue", pythonWire[2]); err != nil {
		t.Fatal(err)
	}
	all, err := plain.LRange(ctx, "next-bot-queue", 0, -1).Result()
	if err != nil {
		t.Fatal(err)
	}
	// LPUSH order: the newest at the left.
	want := []string{string(pythonWire[2]), string(pythonWire[1]), string(pythonWire[0])}
	if strings.Join(all, "\n") != strings.Join(want, "\n") {
		t.Fatalf("LRANGE next-bot-queue 0 -1 =\n%s\nwant\n%s", strings.Join(all, "\n"), strings.Join(want, "\n"))
	}
	for i, m := range pythonWire {
		got, err := plain.BLMove(ctx, "next-bot-queue", "next-bot-queue-internal", "RIGHT", "LEFT", 0).Result()
		if err != nil {
			t.Fatal(err)
		}
		if got != string(m) {
			t.Fatalf("IntelMQ receive %d = %s, want %s", i, got, m)
		}
		if err := plain.RPop(ctx, "next-bot-queue-internal").Err(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRedeliversIntelMQLeftover: a message a Python bot left in the
// internal queue (crash after BLMOVE) comes before the source's.
func TestRedeliversIntelMQLeftover(t *testing.T) {
	url := redistest.Start(t)
	plain := plainClient(t, url)
	ctx := context.Background()
	plain.LPush(ctx, "test-bot-queue-internal", pythonWire[0])
	plain.LPush(ctx, "test-bot-queue", pythonWire[1])
	c := openConsumer(t, url, "test-bot-queue", "test-bot-queue-internal")
	for i, want := range pythonWire[:2] {
		bt, err := c.Receive(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if got := bt.Messages(); len(got) != 1 || string(got[0]) != string(want) {
			t.Fatalf("batch %d = %q, want %s", i, got, want)
		}
		if bt.Redelivered() != (i == 0) {
			t.Fatalf("batch %d: Redelivered() = %v", i, bt.Redelivered())
		}
		if err := bt.Ack(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDefaultDatabase: without a database in the URL the queues live in
// IntelMQ's pipeline database 2.
func TestDefaultDatabase(t *testing.T) {
	url := redistest.Start(t)
	ctx := context.Background()
	b := openBroker(t, url)
	if err := b.Send(ctx, "q", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if n := plainClient(t, url).LLen(ctx, "q").Val(); n != 1 {
		t.Fatalf("LLEN q in db 2 = %d, want 1", n)
	}
	b4, err := redisq.Open(url+"?db=4", queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b4.Close()
	if n, err := b4.Len(ctx, "q"); err != nil || n != 0 {
		t.Fatalf("Len(q) in db 4 = %d, %v; want 0", n, err)
	}
}

// TestUnreachable: an unreachable Redis gives a clear, retryable error
// without the password.
func TestUnreachable(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "missing.sock")
	b, err := redisq.Open("unix://"+sock+"?password=hunter2&dial_timeout=1s", queue.Options{})
	if err != nil {
		t.Fatalf("Open must not connect: %v", err)
	}
	defer b.Close()
	ctx := context.Background()
	err = b.Send(ctx, "q", []byte("x"))
	if !errors.Is(err, queue.ErrUnavailable) {
		t.Fatalf("Send to a missing Redis: %v, want ErrUnavailable", err)
	}
	want := "cannot reach Redis at unix://" + sock + "?db=2: LPUSH \"q\": "
	t.Logf("error: %v", err)
	if !strings.HasPrefix(err.Error(), want) || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("error %q, want it to start with %q and hide the password", err, want)
	}
	c, err := b.Consumer("q", "q-internal")
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Receive(ctx, 1)
	if !errors.Is(err, queue.ErrUnavailable) {
		t.Fatalf("Receive from a missing Redis: %v, want ErrUnavailable", err)
	}
	if err := b.Ping(ctx); !errors.Is(err, queue.ErrUnavailable) {
		t.Fatalf("Ping: %v", err)
	}
}

// TestCommandError: an error Redis returns names the command and key and
// is not taken for unavailability.
func TestCommandError(t *testing.T) {
	url := redistest.Start(t)
	plain := plainClient(t, url)
	ctx := context.Background()
	plain.Set(ctx, "not-a-list", "x", 0)
	b := openBroker(t, url)
	err := b.Send(ctx, "not-a-list", []byte("m"))
	if err == nil || errors.Is(err, queue.ErrUnavailable) ||
		!strings.Contains(err.Error(), `LPUSH "not-a-list"`) || !strings.Contains(err.Error(), "WRONGTYPE") {
		t.Fatalf("Send to a string key: %v", err)
	}
}

// TestAckRefusesForeignChange: when something else pushed into the
// internal queue, Ack removes nothing (it cannot tell which messages are
// its batch) and Nack returns everything to the source, in order.
func TestAckRefusesForeignChange(t *testing.T) {
	url := redistest.Start(t)
	plain := plainClient(t, url)
	ctx := context.Background()
	b := openBroker(t, url)
	if err := b.Send(ctx, "q", pythonWire[0]); err != nil {
		t.Fatal(err)
	}
	c, err := b.Consumer("q", "q-internal")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	bt, err := c.Receive(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	plain.LPush(ctx, "q-internal", pythonWire[1]) // a second consumer, against the contract
	err = bt.Ack(ctx)
	if err == nil || !strings.Contains(err.Error(), "another consumer") {
		t.Fatalf("Ack after a foreign change: %v", err)
	}
	if n := plain.LLen(ctx, "q-internal").Val(); n != 2 {
		t.Fatalf("Ack removed messages it could not identify: %d left, want 2", n)
	}
	if err := bt.Nack(ctx); err != nil {
		t.Fatal(err)
	}
	got, _ := plain.LRange(ctx, "q", 0, -1).Result()
	if len(got) != 2 || got[1] != string(pythonWire[0]) || got[0] != string(pythonWire[1]) {
		t.Fatalf("source after Nack = %q", got)
	}
}

// TestTakeLeavesListsAsLMOVE: a Receive takes the whole source into the
// internal queue, leaving both lists exactly as IntelMQ's LMOVE RIGHT
// LEFT, message by message, would; the batch is the oldest messages, and
// the rest follow in order, fresh, batch by batch.
func TestTakeLeavesListsAsLMOVE(t *testing.T) {
	url := redistest.Start(t)
	plain := plainClient(t, url)
	ctx := context.Background()
	b := openBroker(t, url)
	for _, n := range []int{1, 5, 2500} {
		for _, q := range []string{"ours", "theirs"} {
			if err := plain.Del(ctx, q, q+"-internal").Err(); err != nil {
				t.Fatal(err)
			}
			// More messages than the batch takes.
			for i := 0; i < n+3; i++ {
				if err := plain.LPush(ctx, q, fmt.Sprintf("message %d", i)).Err(); err != nil {
					t.Fatal(err)
				}
			}
		}
		for i := 0; i < n+3; i++ {
			if err := plain.LMove(ctx, "theirs", "theirs-internal", "RIGHT", "LEFT").Err(); err != nil {
				t.Fatal(err)
			}
		}
		c, err := b.Consumer("ours", "ours-internal")
		if err != nil {
			t.Fatal(err)
		}
		bt, err := c.Receive(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		if len(bt.Messages()) != n || string(bt.Messages()[0]) != "message 0" || string(bt.Messages()[n-1]) != fmt.Sprintf("message %d", n-1) {
			t.Fatalf("n=%d: received %d messages from %q to %q", n, len(bt.Messages()), bt.Messages()[0], bt.Messages()[len(bt.Messages())-1])
		}
		for _, q := range []string{"", "-internal"} {
			ours, err := plain.LRange(ctx, "ours"+q, 0, -1).Result()
			if err != nil {
				t.Fatal(err)
			}
			theirs, err := plain.LRange(ctx, "theirs"+q, 0, -1).Result()
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ours, theirs) {
				t.Fatalf("n=%d: list %q after Receive differs from LMOVEs:\n%q\nwant\n%q", n, "ours"+q, head(ours), head(theirs))
			}
		}
		if bt.Redelivered() {
			t.Fatalf("n=%d: the first batch is marked redelivered", n)
		}
		next := n
		for next < n+3 {
			if err := bt.Ack(ctx); err != nil {
				t.Fatal(err)
			}
			if bt, err = c.Receive(ctx, 2); err != nil {
				t.Fatal(err)
			}
			for _, m := range bt.Messages() {
				if want := fmt.Sprintf("message %d", next); string(m) != want || bt.Redelivered() {
					t.Fatalf("n=%d: received %q (redelivered %v), want %q, fresh", n, m, bt.Redelivered(), want)
				}
				next++
			}
		}
		if l := plain.LLen(ctx, "ours-internal").Val(); l != int64(len(bt.Messages())) {
			t.Fatalf("n=%d: the internal queue holds %d messages, want the last batch's %d", n, l, len(bt.Messages()))
		}
		c.Close()
	}
}

// TestCloseRequeuesUndelivered: a consumer closed with no batch
// outstanding puts what it took but did not deliver back at the source's
// read end, in order, before what was sent meanwhile.
func TestCloseRequeuesUndelivered(t *testing.T) {
	url := redistest.Start(t)
	plain := plainClient(t, url)
	ctx := context.Background()
	b := openBroker(t, url)
	for i := 0; i < 10; i++ {
		plain.LPush(ctx, "q", fmt.Sprintf("message %d", i))
	}
	c, err := b.Consumer("q", "q-internal")
	if err != nil {
		t.Fatal(err)
	}
	bt, err := c.Receive(ctx, 4)
	if err != nil {
		t.Fatal(err)
	}
	if err := bt.Ack(ctx); err != nil {
		t.Fatal(err)
	}
	plain.LPush(ctx, "q", "message 10")
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if n := plain.LLen(ctx, "q-internal").Val(); n != 0 {
		t.Fatalf("the internal queue holds %d messages after Close", n)
	}
	var want []string
	for i := 10; i >= 4; i-- {
		want = append(want, fmt.Sprintf("message %d", i))
	}
	if got := plain.LRange(ctx, "q", 0, -1).Val(); !slices.Equal(got, want) {
		t.Fatalf("source after Close = %q, want %q", got, want)
	}
}

// TestReadAhead: the batches after the first of a take come from what
// the take's script returned, without reading Redis again, in order; once
// that is used up the next read fetches several batches at once.
func TestReadAhead(t *testing.T) {
	url := redistest.Start(t)
	plain := plainClient(t, url)
	ctx := context.Background()
	c := openConsumer(t, url, "q", "q-internal")
	for i := 0; i < 20; i++ {
		plain.LPush(ctx, "q", fmt.Sprintf("message %d", i))
	}
	reads := func() int64 {
		t.Helper()
		stats := plain.Info(ctx, "commandstats").Val()
		for _, line := range strings.Split(stats, "\n") {
			if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "cmdstat_lrange:calls="); ok {
				n, _ := strconv.ParseInt(rest[:strings.IndexByte(rest, ',')], 10, 64)
				return n
			}
		}
		return 0
	}
	var lranges []int64
	for next := 0; next < 20; {
		next = receiveInOrder(t, c, 2, next)
		lranges = append(lranges, reads())
	}
	// The take reads 4 batches with the LRANGE it sends along with its
	// script; then each LRANGE reads 4 batches.
	want := []int64{1, 1, 1, 1, 2, 2, 2, 2, 3, 3}
	if !slices.Equal(lranges, want) {
		t.Errorf("LRANGE calls after each batch = %v, want %v", lranges, want)
	}
	if n := plain.LLen(ctx, "q-internal").Val(); n != 0 {
		t.Errorf("the internal queue holds %d messages after all were acknowledged", n)
	}
}

func head(l []string) []string { return l[:min(len(l), 8)] }

// TestTakeAfterScriptFlush: a Redis that lost its scripts (a restart, a
// SCRIPT FLUSH) between two takes gets the take script loaded again, and
// every message is delivered once, in order.
func TestTakeAfterScriptFlush(t *testing.T) {
	url := redistest.Start(t)
	plain := plainClient(t, url)
	ctx := context.Background()
	c := openConsumer(t, url, "q", "q-internal")
	next := 0
	for round := 0; round < 3; round++ {
		for i := 0; i < 5; i++ {
			plain.LPush(ctx, "q", fmt.Sprintf("message %d", round*5+i))
		}
		if err := plain.ScriptFlush(ctx).Err(); err != nil {
			t.Fatal(err)
		}
		for next < (round+1)*5 {
			next = receiveInOrder(t, c, 10, next)
		}
	}
}

// openConsumer opens a broker on url and a consumer of source with its
// internal queue, both closed when the test ends.
func openConsumer(t *testing.T, url, source, internal string) queue.Consumer {
	t.Helper()
	c, err := openBroker(t, url).Consumer(source, internal)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// receiveInOrder receives one batch of at most n messages, checks that
// they are "message <next>", "message <next+1>", ..., acknowledges it and
// returns the number of the next message expected.
func receiveInOrder(t *testing.T, c queue.Consumer, n, next int) int {
	t.Helper()
	ctx := context.Background()
	bt, err := c.Receive(ctx, n)
	if err != nil || bt == nil {
		t.Fatalf("receiving message %d: no batch (%v)", next, err)
	}
	for _, m := range bt.Messages() {
		if want := fmt.Sprintf("message %d", next); string(m) != want {
			t.Fatalf("received %q, want %q", m, want)
		}
		next++
	}
	if err := bt.Ack(ctx); err != nil {
		t.Fatal(err)
	}
	return next
}

// openBroker opens a broker on url, closed when the test ends.
func openBroker(t *testing.T, url string) *redisq.Broker {
	t.Helper()
	b, err := redisq.Open(url, queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}
