// SPDX-License-Identifier: AGPL-3.0-or-later

package diskq_test

import (
	"context"
	"testing"

	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/runtime/queue/diskq"
)

// trusted reports the batch's Trusted, failing when it has none.
func trusted(t *testing.T, bt queue.Batch) bool {
	t.Helper()
	tb, ok := bt.(queue.TrustedBatch)
	if !ok {
		t.Fatalf("%T is not a queue.TrustedBatch", bt)
	}
	return tb.Trusted()
}

// TestTrustedBatches: a batch is trusted when every message in it came
// through SendTrusted of the open broker, on the committer's path of
// Receive and on the fast one, under every policy; a message from Send or
// SendDeferred makes it untrusted, and so does a reopen.
func TestTrustedBatches(t *testing.T) {
	for _, sync := range []diskq.Sync{diskq.SyncBatch, diskq.SyncNone, diskq.SyncAlways} {
		t.Run(sync.String(), func(t *testing.T) {
			dir := t.TempDir()
			open := opener(t, dir, sync)
			b := open()
			var _ queue.TrustingProducer = b
			ctx := context.Background()
			steps := []struct {
				send func(context.Context, string, ...[]byte) error
				want bool
			}{
				{b.SendTrusted, true},   // the committer's path: the first Receive
				{b.SendTrusted, true},   // the fast path
				{b.Send, false},         // not trusted
				{b.SendDeferred, false}, // nor this
				{b.SendTrusted, true},
			}
			c, err := b.Consumer("q", "q-internal")
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range steps {
				if err := s.send(ctx, "q", numbered(10*i, 10*i+10)...); err != nil {
					t.Fatal(err)
				}
				bt := receive(t, c, 10)
				wantBatch(t, bt, 10*i, 10*i+10)
				if got := trusted(t, bt); got != s.want {
					t.Errorf("step %d: Trusted() = %v, want %v", i, got, s.want)
				}
				if err := bt.Ack(ctx); err != nil {
					t.Fatal(err)
				}
			}
			// A batch of trusted and untrusted messages is untrusted.
			if err := b.SendTrusted(ctx, "q", numbered(100, 105)...); err != nil {
				t.Fatal(err)
			}
			if err := b.Send(ctx, "q", numbered(105, 110)...); err != nil {
				t.Fatal(err)
			}
			if err := b.SendTrusted(ctx, "q", numbered(110, 120)...); err != nil {
				t.Fatal(err)
			}
			bt := receive(t, c, 10)
			wantBatch(t, bt, 100, 110)
			if trusted(t, bt) {
				t.Error("a batch with a message from Send is trusted")
			}
			if err := bt.Ack(ctx); err != nil {
				t.Fatal(err)
			}
			if sync != diskq.SyncAlways && b.Stats().FastReceives == 0 {
				t.Error("no Receive took the fast path")
			}
			// After a reopen the marks of the former broker count no more.
			if err := b.Close(); err != nil {
				t.Fatal(err)
			}
			b = open()
			defer b.Close()
			c, err = b.Consumer("q", "q-internal")
			if err != nil {
				t.Fatal(err)
			}
			bt = receive(t, c, 10)
			wantBatch(t, bt, 110, 120)
			if trusted(t, bt) {
				t.Error("a batch sent trusted before a reopen is trusted after it")
			}
			if err := b.SendTrusted(ctx, "q", numbered(120, 130)...); err != nil {
				t.Fatal(err)
			}
			if err := bt.Ack(ctx); err != nil {
				t.Fatal(err)
			}
			bt = receive(t, c, 10)
			wantBatch(t, bt, 120, 130)
			if !trusted(t, bt) {
				t.Error("a batch sent trusted after the reopen is not trusted")
			}
		})
	}
}
