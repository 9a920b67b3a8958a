// SPDX-License-Identifier: AGPL-3.0-or-later

package diskq_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/runtime/queue/diskq"
)

func numbered(from, to int) [][]byte {
	var out [][]byte
	for i := from; i < to; i++ {
		out = append(out, []byte(fmt.Sprintf("m%05d", i)))
	}
	return out
}

// opener returns a function that opens the broker in dir with the policy
// sync, failing the test on an error.
func opener(t *testing.T, dir string, sync diskq.Sync) func() *diskq.Broker {
	return func() *diskq.Broker {
		b, err := diskq.OpenConfig(dir, queue.Options{}, diskq.Config{Sync: sync})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
}

func receive(t *testing.T, c queue.Consumer, n int) queue.Batch {
	t.Helper()
	bt, err := c.Receive(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	return bt
}

func wantBatch(t *testing.T, bt queue.Batch, from, to int) {
	t.Helper()
	got := bt.Messages()
	want := numbered(from, to)
	if len(got) != len(want) {
		t.Fatalf("got %d messages %q, want %q", len(got), got, want)
	}
	for i := range got {
		if string(got[i]) != string(want[i]) {
			t.Fatalf("message %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func wantQueueLen(t *testing.T, b queue.Broker, name string, want int) {
	t.Helper()
	if n, err := b.Len(context.Background(), name); err != nil || n != want {
		t.Fatalf("Len(%s) = %d, %v; want %d", name, n, err, want)
	}
}

// TestFastReceive checks the fast path of Receive under the batch and none
// policies: after a first Receive through the committer, a lone consumer
// takes its batches without waiting for it, from a last commit that may
// lack its own moves, and gets every message once, in order, with the
// queues' lengths as if the moves had been made at once; a batch taken so
// and never settled is delivered again after a reopen.
func TestFastReceive(t *testing.T) {
	for _, sync := range []diskq.Sync{diskq.SyncBatch, diskq.SyncNone} {
		t.Run(sync.String(), func(t *testing.T) {
			dir := t.TempDir()
			b, err := diskq.OpenConfig(dir, queue.Options{}, diskq.Config{Sync: sync})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			// Sends of several segments and sizes, so batches split entries.
			for from := 0; from < 300; from += 50 {
				if err := b.Send(ctx, "q", numbered(from, from+50)...); err != nil {
					t.Fatal(err)
				}
			}
			c, err := b.Consumer("q", "q-internal")
			if err != nil {
				t.Fatal(err)
			}
			next := 0
			for next < 280 {
				bt := receive(t, c, 7)
				wantBatch(t, bt, next, min(next+7, 300))
				next += len(bt.Messages())
				if err := bt.Ack(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if n := b.Stats().FastReceives; n < 30 {
				t.Fatalf("%d of 40 Receives took the fast path", n)
			}
			bt := receive(t, c, 7)
			wantBatch(t, bt, 280, 287)
			wantQueueLen(t, b, "q-internal", 7)
			wantQueueLen(t, b, "q", 13)
			// Left unsettled: the next consumer gets it again, first.
			if err := b.Close(); err != nil {
				t.Fatal(err)
			}
			b, err = diskq.OpenConfig(dir, queue.Options{}, diskq.Config{Sync: sync})
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			c, err = b.Consumer("q", "q-internal")
			if err != nil {
				t.Fatal(err)
			}
			bt = receive(t, c, 20)
			if !bt.Redelivered() {
				t.Fatal("the unsettled batch is not reported as redelivered")
			}
			// The leftovers first, topped up from the source.
			wantBatch(t, bt, 280, 300)
			if err := bt.Ack(ctx); err != nil {
				t.Fatal(err)
			}
			wantQueueLen(t, b, "q", 0)
			wantQueueLen(t, b, "q-internal", 0)
		})
	}
}

// TestFastReceiveStepsAside checks that the fast path gives way where it
// could be wrong: after a Nack (the messages come back first), beside a
// second consumer of the same source (no message twice), and after a
// Clear of the source.
func TestFastReceiveStepsAside(t *testing.T) {
	b, err := diskq.Open(t.TempDir(), queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	if err := b.Send(ctx, "q", numbered(0, 100)...); err != nil {
		t.Fatal(err)
	}
	c, err := b.Consumer("q", "q-internal")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if err := receive(t, c, 5).Ack(ctx); err != nil {
			t.Fatal(err)
		}
	}
	fast := b.Stats().FastReceives
	if fast == 0 {
		t.Fatal("the second Receive did not take the fast path")
	}
	bt := receive(t, c, 5)
	wantBatch(t, bt, 10, 15)
	if err := bt.Nack(ctx); err != nil {
		t.Fatal(err)
	}
	bt = receive(t, c, 5)
	wantBatch(t, bt, 10, 15)
	if err := bt.Ack(ctx); err != nil {
		t.Fatal(err)
	}

	// A second consumer: together they get each message once.
	c2, err := b.Consumer("q", "q-internal-2")
	if err != nil {
		t.Fatal(err)
	}
	fast = b.Stats().FastReceives
	seen := map[string]int{}
	for i := 0; i < 6; i++ {
		for _, cc := range []queue.Consumer{c, c2} {
			bt := receive(t, cc, 5)
			for _, m := range bt.Messages() {
				seen[string(m)]++
			}
			if err := bt.Ack(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(seen) != 60 {
		t.Fatalf("two consumers got %d distinct messages in 12 batches of 5, want 60", len(seen))
	}
	for m, k := range seen {
		if k > 1 {
			t.Fatalf("message %s delivered %d times", m, k)
		}
	}
	if got := b.Stats().FastReceives; got != fast {
		t.Fatalf("%d Receives took the fast path beside another consumer", got-fast)
	}
	if err := c2.Close(); err != nil {
		t.Fatal(err)
	}

	// A Clear while a fast batch is out: its Ack succeeds, and what is sent
	// afterwards comes next.
	if err := receive(t, c, 5).Ack(ctx); err != nil {
		t.Fatal(err)
	}
	bt = receive(t, c, 5)
	if err := b.Clear(ctx, "q"); err != nil {
		t.Fatal(err)
	}
	if err := bt.Ack(ctx); err != nil {
		t.Fatal(err)
	}
	if err := b.Send(ctx, "q", numbered(500, 510)...); err != nil {
		t.Fatal(err)
	}
	bt = receive(t, c, 20)
	wantBatch(t, bt, 500, 510)
	if err := bt.Ack(ctx); err != nil {
		t.Fatal(err)
	}
	wantQueueLen(t, b, "q", 0)
	wantQueueLen(t, b, "q-internal", 0)
}
