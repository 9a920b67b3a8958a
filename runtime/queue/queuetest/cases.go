// SPDX-License-Identifier: AGPL-3.0-or-later

package queuetest

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/intelmq-go/intelmq/runtime/queue"
)

const src = "test-bot-queue"

var internal = queue.InternalName(src)

// testFIFO: messages sent in several Sends come out in order, in batches of
// at most max.
func testFIFO(t *testing.T, open Opener, f Factory) {
	b := mustOpen(t, open, queue.Options{})
	mustSend(t, b, src, msgs(0, 10)...)
	mustSend(t, b, src, msg(10))
	mustSend(t, b, src, msgs(11, 100)...)
	c := mustConsumer(t, b, src)
	drain(t, c, 7, 0, 100)
	wantLen(t, b, src, 0)
	wantLen(t, b, internal, 0)
}

// testBatchSizes: Receive takes all that is available up to max.
func testBatchSizes(t *testing.T, open Opener, f Factory) {
	b := mustOpen(t, open, queue.Options{})
	mustSend(t, b, src, msgs(0, 25)...)
	c := mustConsumer(t, b, src)
	for _, step := range []struct{ max, from, to int }{
		{10, 0, 10}, {1, 10, 11}, {0, 11, 12}, {-3, 12, 13}, {100, 13, 25},
	} {
		bt := mustReceive(t, c, max(step.max, 1))
		wantMessages(t, bt.Messages(), step.from, step.to)
		if bt.Redelivered() {
			t.Fatalf("fresh batch %d..%d reported as redelivered", step.from, step.to)
		}
		mustAck(t, bt)
	}
}

// testAck: the batch sits in the internal queue until Ack removes exactly it.
func testAck(t *testing.T, open Opener, f Factory) {
	b := mustOpen(t, open, queue.Options{})
	mustSend(t, b, src, msgs(0, 10)...)
	c := mustConsumer(t, b, src)
	bt := mustReceive(t, c, 4)
	wantMessages(t, bt.Messages(), 0, 4)
	wantTaken(t, b, f, src, 4, 10)
	mustAck(t, bt)
	wantTaken(t, b, f, src, 0, 6)
	bt = mustReceive(t, c, 100)
	wantMessages(t, bt.Messages(), 4, 10)
	mustAck(t, bt)
	wantLen(t, b, internal, 0)
}

// testNack: a nacked batch goes back to the head of the source, in order.
func testNack(t *testing.T, open Opener, f Factory) {
	b := mustOpen(t, open, queue.Options{})
	mustSend(t, b, src, msgs(0, 10)...)
	c := mustConsumer(t, b, src)
	bt := mustReceive(t, c, 4)
	mustNack(t, bt)
	wantLen(t, b, src, 10)
	wantLen(t, b, internal, 0)
	bt = mustReceive(t, c, 6)
	wantMessages(t, bt.Messages(), 0, 6)
	mustAck(t, bt)
	bt = mustReceive(t, c, 6)
	wantMessages(t, bt.Messages(), 6, 10)
	mustNack(t, bt)
	// Another consumer of the same source may take requeued messages.
	other, err := b.Consumer(src, internal+"-2")
	if err != nil {
		t.Fatalf("second consumer: %v", err)
	}
	defer other.Close()
	bt = mustReceive(t, other, 10)
	wantMessages(t, bt.Messages(), 6, 10)
	mustAck(t, bt)
	wantLen(t, b, src, 0)
}

// testRedeliverConsumer: a consumer closed without settling (a bot that
// stopped) leaves its batch to the next consumer, which gets it first.
func testRedeliverConsumer(t *testing.T, open Opener, f Factory) {
	b := mustOpen(t, open, queue.Options{})
	mustSend(t, b, src, msgs(0, 4)...)
	c, err := b.Consumer(src, internal)
	if err != nil {
		t.Fatal(err)
	}
	bt := mustReceive(t, c, 3)
	wantMessages(t, bt.Messages(), 0, 3)
	if err := c.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	wantErr(t, "Ack after consumer Close", bt.Ack(context.Background()), queue.ErrClosed)
	wantTaken(t, b, f, src, 3, 4)
	mustSend(t, b, src, msgs(4, 10)...)

	c = mustConsumer(t, b, src)
	bt = mustReceive(t, c, 10)
	if !bt.Redelivered() {
		t.Fatal("batch after restart not reported as redelivered")
	}
	// The leftovers come first; a broker may top the batch up from the
	// source or deliver the rest in the next batches.
	got := bt.Messages()
	if len(got) < 3 {
		t.Fatalf("first batch after restart has %d messages, want at least the 3 left over", len(got))
	}
	wantMessages(t, got, 0, len(got))
	mustAck(t, bt)
	drain(t, c, 10, len(got), 10)
	wantLen(t, b, internal, 0)
	wantLen(t, b, src, 0)
}

// drain receives and acknowledges the numbered messages [from, to) in
// batches of at most max, checking their order, and fails if anything
// else comes.
func drain(t *testing.T, c queue.Consumer, max, from, to int) {
	t.Helper()
	for next := from; next < to; {
		bt := mustReceive(t, c, max)
		got := bt.Messages()
		if next+len(got) > to {
			t.Fatalf("received %d messages from %d, want %d", len(got), next, to-next)
		}
		wantMessages(t, got, next, next+len(got))
		next += len(got)
		mustAck(t, bt)
	}
}

// testRedeliverSmaller: leftovers larger than the new max come back oldest
// first over several batches, before the source; a nack with leftovers
// behind the batch requeues them all, in order.
func testRedeliverSmaller(t *testing.T, open Opener, f Factory) {
	b := mustOpen(t, open, queue.Options{})
	mustSend(t, b, src, msgs(0, 20)...)
	abandon := func() {
		c, err := b.Consumer(src, internal)
		if err != nil {
			t.Fatal(err)
		}
		mustReceive(t, c, 8)
		_ = c.Close()
		wantTaken(t, b, f, src, 8, 20)
	}
	abandon()
	c := mustConsumer(t, b, src)
	for next := 0; next < 20; {
		bt := mustReceive(t, c, 3)
		got := bt.Messages()
		wantMessages(t, got, next, next+len(got))
		// A broker that takes all redelivers the 12 messages taken
		// with the batch, too.
		if bt.Redelivered() != (next < 8) && (!f.TakesAll || next < 8) {
			t.Fatalf("batch at %d: Redelivered() = %v", next, bt.Redelivered())
		}
		next += len(got)
		mustAck(t, bt)
	}
	_ = c.Close()

	mustSend(t, b, src, msgs(0, 20)...)
	abandon()
	c = mustConsumer(t, b, src)
	bt := mustReceive(t, c, 3)
	wantMessages(t, bt.Messages(), 0, 3)
	mustNack(t, bt)
	wantLen(t, b, internal, 0)
	wantLen(t, b, src, 20)
	bt = mustReceive(t, c, 100)
	wantMessages(t, bt.Messages(), 0, 20)
	mustAck(t, bt)
}

// testReopen: a persistent broker closed without any cleanup (as after a
// crash) gives the internal queue back first when opened again.
func testReopen(t *testing.T, open Opener, f Factory) {
	b1, err := open(queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustSend(t, b1, src, msgs(0, 10)...)
	mustSend(t, b1, "other-queue", msg(99))
	c, err := b1.Consumer(src, internal)
	if err != nil {
		t.Fatal(err)
	}
	mustReceive(t, c, 4)
	if err := b1.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	b2 := mustOpen(t, open, queue.Options{})
	wantTaken(t, b2, f, src, 4, 10)
	wantLen(t, b2, "other-queue", 1)
	c = mustConsumer(t, b2, src)
	bt := mustReceive(t, c, 3)
	wantMessages(t, bt.Messages(), 0, 3)
	if !bt.Redelivered() {
		t.Fatal("batch after reopen not reported as redelivered")
	}
	mustAck(t, bt)
	drain(t, c, 100, 3, 10)
	wantLen(t, b2, internal, 0)
}

// testSettlement: one outstanding batch; each batch settles once.
func testSettlement(t *testing.T, open Opener, f Factory) {
	b := mustOpen(t, open, queue.Options{})
	mustSend(t, b, src, msgs(0, 10)...)
	c := mustConsumer(t, b, src)
	ctx := context.Background()
	bt := mustReceive(t, c, 2)
	_, err := c.Receive(ctx, 2)
	wantErr(t, "Receive with a batch outstanding", err, queue.ErrUnsettled)
	mustAck(t, bt)
	wantErr(t, "second Ack", bt.Ack(ctx), queue.ErrSettled)
	wantErr(t, "Nack after Ack", bt.Nack(ctx), queue.ErrSettled)
	bt = mustReceive(t, c, 2)
	wantMessages(t, bt.Messages(), 2, 4)
	mustNack(t, bt)
	wantErr(t, "Ack after Nack", bt.Ack(ctx), queue.ErrSettled)
	wantLen(t, b, src, 8)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	_, err = c.Receive(ctx, 1)
	wantErr(t, "Receive after Close", err, queue.ErrClosed)
}

// testExclusive: one consumer per internal queue at a time.
func testExclusive(t *testing.T, open Opener, f Factory) {
	b := mustOpen(t, open, queue.Options{})
	c, err := b.Consumer(src, internal)
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Consumer(src, internal)
	wantErr(t, "second consumer of one internal queue", err, queue.ErrInUse)
	_ = c.Close()
	c2, err := b.Consumer(src, internal)
	if err != nil {
		t.Fatalf("consumer after the first closed: %v", err)
	}
	_ = c2.Close()
}

// testInvalid: empty names and messages are refused.
func testInvalid(t *testing.T, open Opener, f Factory) {
	b := mustOpen(t, open, queue.Options{})
	ctx := context.Background()
	wantErr(t, "Send to empty name", b.Send(ctx, "", msg(1)), queue.ErrInvalidName)
	wantErr(t, "Send of empty message", b.Send(ctx, src, msg(1), nil), queue.ErrEmptyMessage)
	wantErr(t, "Send of empty message", b.Send(ctx, src, []byte{}), queue.ErrEmptyMessage)
	wantLen(t, b, src, 0)
	if err := b.Send(ctx, src); err != nil {
		t.Fatalf("Send of nothing: %v", err)
	}
	_, err := b.Consumer("", "x")
	wantErr(t, "Consumer of empty source", err, queue.ErrInvalidName)
	_, err = b.Consumer("x", "")
	wantErr(t, "Consumer with empty internal", err, queue.ErrInvalidName)
	_, err = b.Consumer("x", "x")
	wantErr(t, "Consumer with internal = source", err, queue.ErrInvalidName)
}

// testLenClearQueues: management calls.
func testLenClearQueues(t *testing.T, open Opener, f Factory) {
	b := mustOpen(t, open, queue.Options{})
	ctx := context.Background()
	wantLen(t, b, "never-used", 0)
	mustSend(t, b, "b-queue", msgs(0, 3)...)
	mustSend(t, b, "a-queue", msgs(0, 5)...)
	mustSend(t, b, "c-queue", msg(1))
	c := mustConsumer(t, b, "c-queue")
	mustReceive(t, c, 1)
	got, err := b.Queues(ctx)
	if err != nil {
		t.Fatalf("Queues: %v", err)
	}
	want := []queue.QueueInfo{{Name: "a-queue", Len: 5}, {Name: "b-queue", Len: 3}, {Name: "c-queue-internal", Len: 1}}
	if len(got) != len(want) {
		t.Fatalf("Queues() = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Queues() = %v, want %v", got, want)
		}
	}
	if err := b.Clear(ctx, "a-queue"); err != nil {
		t.Fatalf("Clear: %v", err)
	}
	if err := b.Clear(ctx, "never-used"); err != nil {
		t.Fatalf("Clear of an unknown queue: %v", err)
	}
	wantLen(t, b, "a-queue", 0)
	wantLen(t, b, "b-queue", 3)
	mustSend(t, b, "a-queue", msg(7))
	cs := mustConsumer(t, b, "a-queue")
	bt := mustReceive(t, cs, 5)
	wantMessages(t, bt.Messages(), 7, 8)
	mustAck(t, bt)
}

// testMessageBytes: messages are opaque bytes, copied on the way in, and
// what a receiver got is never changed afterwards.
func testMessageBytes(t *testing.T, open Opener, f Factory) {
	b := mustOpen(t, open, queue.Options{})
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	bin := []byte{0, 1, 2, 0xff, '\n', 0, '"', '\\'}
	wire := []byte(`{"feed.name": "Test", "source.ip": "10.0.0.1", "extra.x": "\u00e9", "__type": "Event"}`)
	utf8 := []byte("{\"feed.name\": \"Caf\u00e9 \u2603\"}")
	in := [][]byte{wire, bin, big, utf8}
	sent := make([][]byte, len(in))
	for i := range in {
		sent[i] = bytes.Clone(in[i])
	}
	mustSend(t, b, src, sent...)
	sent[0][0] = 'X' // Send must not have kept the caller's bytes
	c := mustConsumer(t, b, src)
	bt := mustReceive(t, c, 10)
	got := bt.Messages()
	if len(got) != len(in) {
		t.Fatalf("got %d messages, want %d", len(got), len(in))
	}
	for i := range in {
		if !bytes.Equal(got[i], in[i]) {
			t.Fatalf("message %d differs after the round trip (len %d, want %d)", i, len(got[i]), len(in[i]))
		}
	}
	// The received messages stay as they are after the batch is settled
	// and more messages pass: the broker never reuses their memory, so a
	// receiver may keep parts of them (message.Decoder.DecodeShared).
	mustNack(t, bt)
	bt = mustReceive(t, c, 10)
	mustAck(t, bt)
	for round := 0; round < 3; round++ {
		mustSend(t, b, src, bytes.Repeat([]byte{'Z'}, len(big)), bytes.Repeat([]byte{'Y'}, len(wire)))
		mustAck(t, mustReceive(t, c, 10))
	}
	for i := range in {
		if !bytes.Equal(got[i], in[i]) {
			t.Fatalf("message %d received earlier changed after its batch was settled", i)
		}
	}
}

// testClosed: a closed broker refuses work and wakes blocked receivers.
func testClosed(t *testing.T, open Opener, f Factory) {
	b, err := open(queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := b.Consumer(src, internal)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	err = within(t, "Receive interrupted by Close", func() error {
		done := make(chan error, 1)
		go func() {
			_, err := c.Receive(ctx, 1)
			done <- err
		}()
		if err := b.Close(); err != nil {
			return err
		}
		return <-done
	})
	wantErr(t, "Receive on a broker closed meanwhile", err, queue.ErrClosed)
	if err := b.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	wantErr(t, "Send after Close", b.Send(ctx, src, msg(1)), queue.ErrClosed)
	_, err = b.Len(ctx, src)
	wantErr(t, "Len after Close", err, queue.ErrClosed)
	_, err = b.Queues(ctx)
	wantErr(t, "Queues after Close", err, queue.ErrClosed)
	wantErr(t, "Clear after Close", b.Clear(ctx, src), queue.ErrClosed)
	_, err = b.Consumer("x", "y")
	wantErr(t, "Consumer after Close", err, queue.ErrClosed)
	_, err = c.Receive(ctx, 1)
	if !errors.Is(err, queue.ErrClosed) {
		t.Fatalf("Receive after Close: %v", err)
	}
	_ = c.Close()
}
