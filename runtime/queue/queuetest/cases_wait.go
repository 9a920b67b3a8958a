// SPDX-License-Identifier: AGPL-3.0-or-later

package queuetest

import (
	"context"
	"testing"
	"time"

	"github.com/intelmq-go/intelmq/runtime/queue"
)

// shortWait is how long the suite lets a call that must block try before
// cancelling it. The call must then fail with the context's error whatever
// the machine's speed: no assertion is made about time.
const shortWait = 50 * time.Millisecond

// testReceiveBlocking: Receive waits for a message and honours its context.
func testReceiveBlocking(t *testing.T, open Opener, f Factory) {
	b := mustOpen(t, open, queue.Options{})
	c := mustConsumer(t, b, src)

	ctx, cancel := context.WithTimeout(context.Background(), shortWait)
	defer cancel()
	_, err := c.Receive(ctx, 1)
	wantErr(t, "Receive on an empty queue", err, context.DeadlineExceeded)

	cctx, ccancel := context.WithCancel(context.Background())
	ccancel()
	_, err = c.Receive(cctx, 1)
	wantErr(t, "Receive with a cancelled context", err, context.Canceled)

	// A blocked Receive wakes up when a message arrives.
	var bt queue.Batch
	err = within(t, "Receive woken by Send", func() error {
		got := make(chan error, 1)
		go func() {
			var err error
			bt, err = c.Receive(context.Background(), 10)
			got <- err
		}()
		if err := b.Send(context.Background(), src, msgs(0, 3)...); err != nil {
			return err
		}
		return <-got
	})
	if err != nil {
		t.Fatalf("Receive: %v", err)
	}
	// The batch holds the first message and possibly more that arrived.
	got := bt.Messages()
	wantMessages(t, got, 0, len(got))
	mustAck(t, bt)
	if len(got) < 3 {
		bt = mustReceive(t, c, 10)
		wantMessages(t, bt.Messages(), len(got), 3)
		mustAck(t, bt)
	}
	// A cancelled context after a message was received loses nothing.
	mustSend(t, b, src, msg(3))
	bt = mustReceive(t, c, 1)
	wantMessages(t, bt.Messages(), 3, 4)
	mustAck(t, bt)

	// Closing the consumer wakes its blocked Receive.
	err = within(t, "Receive interrupted by Consumer.Close", func() error {
		got := make(chan error, 1)
		go func() {
			_, err := c.Receive(context.Background(), 1)
			got <- err
		}()
		if err := c.Close(); err != nil {
			return err
		}
		return <-got
	})
	wantErr(t, "Receive on a consumer closed meanwhile", err, queue.ErrClosed)
}

// testBackpressure: Send waits while the destination is at its limit and
// goes on when a consumer drains it.
func testBackpressure(t *testing.T, open Opener, f Factory) {
	const q = "limited-queue"
	b := mustOpen(t, open, queue.Options{Limits: map[string]int{q: 5}})
	mustSend(t, b, q, msgs(0, 3)...)
	mustSend(t, b, q, msgs(3, 7)...) // starts below the limit: written whole
	wantLen(t, b, q, 7)

	ctx, cancel := context.WithTimeout(context.Background(), shortWait)
	defer cancel()
	wantErr(t, "Send to a full queue", b.Send(ctx, q, msg(100)), context.DeadlineExceeded)
	wantLen(t, b, q, 7)

	// Other queues have no limit.
	mustSend(t, b, "free-queue", msgs(0, 50)...)
	mustSend(t, b, "free-queue", msgs(50, 100)...)
	wantLen(t, b, "free-queue", 100)

	c := mustConsumer(t, b, q)
	err := within(t, "Send unblocked by a consumer", func() error {
		sent := make(chan error, 1)
		go func() { sent <- b.Send(context.Background(), q, msg(7), msg(8)) }()
		bt, err := c.Receive(context.Background(), 3)
		if err != nil {
			return err
		}
		wantMessages(t, bt.Messages(), 0, 3)
		if err := bt.Ack(context.Background()); err != nil {
			return err
		}
		return <-sent
	})
	if err != nil {
		t.Fatalf("Send after drain: %v", err)
	}
	drain(t, c, 100, 3, 9)
}

// testBackpressureDefault: MaxLen applies to every queue not in Limits; a
// zero in Limits lifts it.
func testBackpressureDefault(t *testing.T, open Opener, f Factory) {
	b := mustOpen(t, open, queue.Options{MaxLen: 2, Limits: map[string]int{"free": 0}})
	mustSend(t, b, "any", msgs(0, 2)...)
	ctx, cancel := context.WithTimeout(context.Background(), shortWait)
	defer cancel()
	wantErr(t, "Send to a queue at MaxLen", b.Send(ctx, "any", msg(2)), context.DeadlineExceeded)
	for i := 0; i < 5; i++ {
		mustSend(t, b, "free", msg(i))
	}
	wantLen(t, b, "free", 5)
	wantLen(t, b, "any", 2)
}
