// SPDX-License-Identifier: AGPL-3.0-or-later

package queuetest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/intelmq-go/intelmq/runtime/queue"
)

// Opener opens a broker configured by opts on one storage. Each call opens
// another broker on the same storage.
type Opener func(opts queue.Options) (queue.Broker, error)

// Factory tells the suite how to get brokers.
type Factory struct {
	// Storage returns an Opener for a new, empty storage (a fresh
	// directory, a flushed Redis database). It may register cleanups on t.
	Storage func(t *testing.T) Opener
	// Persistent reports that a broker opened after an earlier one on the
	// same storage was closed sees the messages that one left behind. The
	// suite then checks redelivery across a close and reopen.
	Persistent bool
	// TakesAll reports that Receive may move more than its batch into the
	// internal queue (the Redis broker takes the whole source at once).
	// The extra messages come in the following batches; after a close, a
	// crash or a reopen they are redelivered with the batch. The suite
	// then checks the two queues' lengths accordingly.
	TakesAll bool
}

// failsafe bounds the wait for an operation the suite expects to finish.
// It guards against a hang; it is not a speed requirement.
const failsafe = 30 * time.Second

// Run runs the conformance suite as subtests of t.
func Run(t *testing.T, f Factory) {
	cases := []struct {
		name string
		run  func(t *testing.T, open Opener, f Factory)
	}{
		{"FIFO", testFIFO},
		{"BatchSizes", testBatchSizes},
		{"AckRemovesBatch", testAck},
		{"NackRequeuesAtHead", testNack},
		{"RedeliverAfterConsumerClose", testRedeliverConsumer},
		{"RedeliverInSmallerBatches", testRedeliverSmaller},
		{"Settlement", testSettlement},
		{"ExclusiveInternalQueue", testExclusive},
		{"InvalidInput", testInvalid},
		{"LenClearQueues", testLenClearQueues},
		{"MessageBytes", testMessageBytes},
		{"ReceiveBlocksAndCancels", testReceiveBlocking},
		{"Backpressure", testBackpressure},
		{"BackpressureDefaultLimit", testBackpressureDefault},
		{"Concurrent", testConcurrent},
		{"ConcurrentWithNack", testConcurrentNack},
		{"Closed", testClosed},
	}
	if f.Persistent {
		cases = append(cases, struct {
			name string
			run  func(t *testing.T, open Opener, f Factory)
		}{"RedeliverAfterReopen", testReopen})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.run(t, f.Storage(t), f) })
	}
}

// msg returns the i-th numbered test message.
func msg(i int) []byte { return []byte(fmt.Sprintf("msg-%06d", i)) }

// msgs returns the numbered messages [from, to).
func msgs(from, to int) [][]byte {
	out := make([][]byte, 0, to-from)
	for i := from; i < to; i++ {
		out = append(out, msg(i))
	}
	return out
}

// number parses a message made by msg.
func number(t testing.TB, m []byte) int {
	t.Helper()
	n, err := strconv.Atoi(strings.TrimPrefix(string(m), "msg-"))
	if err != nil {
		t.Fatalf("unexpected message %q", m)
	}
	return n
}

// mustOpen opens a broker that is closed when the test ends.
func mustOpen(t *testing.T, open Opener, opts queue.Options) queue.Broker {
	t.Helper()
	b, err := open(opts)
	if err != nil {
		t.Fatalf("open broker: %v", err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func mustConsumer(t *testing.T, b queue.Broker, source string) queue.Consumer {
	t.Helper()
	c, err := b.Consumer(source, queue.InternalName(source))
	if err != nil {
		t.Fatalf("Consumer(%q): %v", source, err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func mustSend(t *testing.T, b queue.Producer, q string, ms ...[]byte) {
	t.Helper()
	if err := b.Send(context.Background(), q, ms...); err != nil {
		t.Fatalf("Send(%q, %d messages): %v", q, len(ms), err)
	}
}

// mustReceive receives one batch, failing the test if none comes.
func mustReceive(t *testing.T, c queue.Consumer, max int) queue.Batch {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), failsafe)
	defer cancel()
	bt, err := c.Receive(ctx, max)
	if err != nil {
		t.Fatalf("Receive(%d): %v", max, err)
	}
	if n := len(bt.Messages()); n < 1 || n > max {
		t.Fatalf("Receive(%d) returned %d messages", max, n)
	}
	return bt
}

func mustAck(t *testing.T, bt queue.Batch) {
	t.Helper()
	if err := bt.Ack(context.Background()); err != nil {
		t.Fatalf("Ack: %v", err)
	}
}

func mustNack(t *testing.T, bt queue.Batch) {
	t.Helper()
	if err := bt.Nack(context.Background()); err != nil {
		t.Fatalf("Nack: %v", err)
	}
}

func wantLen(t *testing.T, b queue.Broker, q string, want int) {
	t.Helper()
	n, err := b.Len(context.Background(), q)
	if err != nil {
		t.Fatalf("Len(%q): %v", q, err)
	}
	if n != want {
		t.Fatalf("Len(%q) = %d, want %d", q, n, want)
	}
}

// wantTaken checks the lengths of the source and the internal queue after
// a Receive of batch messages from a source of total: the batch in the
// internal queue and the rest in the source, or everything in the internal
// queue for a broker that takes all.
func wantTaken(t *testing.T, b queue.Broker, f Factory, source string, batch, total int) {
	t.Helper()
	if f.TakesAll {
		batch = total
	}
	wantLen(t, b, queue.InternalName(source), batch)
	wantLen(t, b, source, total-batch)
}

// wantMessages checks that got holds the numbered messages [from, to).
func wantMessages(t *testing.T, got [][]byte, from, to int) {
	t.Helper()
	want := msgs(from, to)
	if len(got) != len(want) {
		t.Fatalf("got %d messages %q, want %d %q", len(got), got, len(want), want)
	}
	for i := range got {
		if string(got[i]) != string(want[i]) {
			t.Fatalf("message %d = %q, want %q (all: %q)", i, got[i], want[i], got)
		}
	}
}

func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: got error %v, want %v", what, err, target)
	}
}

// within runs f in a goroutine and returns its error, failing the test if
// f has not returned after the failsafe delay.
func within(t *testing.T, what string, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(failsafe):
		t.Fatalf("%s did not return within %v", what, failsafe)
		return nil
	}
}
