// SPDX-License-Identifier: AGPL-3.0-or-later

package diskq_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/runtime/queue/diskq"
)

// TestSendAhead: deferred Sends go ahead of the committer while the queue
// has room, the queue's limit still holds (exceeded by at most one Send),
// and what went ahead is in the file after a Close, in order.
func TestSendAhead(t *testing.T) {
	dir := t.TempDir()
	const limit = 40
	opts := queue.Options{MaxLen: limit}
	b, err := diskq.Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sent := 0
	for {
		sctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		err := b.SendDeferred(sctx, "q", numbered(sent, sent+7)...)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) {
			break // the queue is full: the Send waits for room
		}
		if err != nil {
			t.Fatal(err)
		}
		sent += 7
		// Two Lens, each run by the committer: the second runs after the
		// commit of the Send, so that the next Send may go ahead again.
		for range 2 {
			if _, err := b.Len(ctx, "q"); err != nil {
				t.Fatal(err)
			}
		}
		if sent > 10*limit {
			t.Fatal("the queue's limit does not stop deferred Sends")
		}
	}
	if b.Stats().AheadSends == 0 {
		t.Error("no Send went ahead of the committer")
	}
	if n, err := b.Len(ctx, "q"); err != nil || n != sent || n > limit+7 {
		t.Errorf("Len = %d, %v; want the %d sent, at most the limit %d and one Send", n, err, sent, limit)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	b, err = diskq.Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	c, err := b.Consumer("q", "q-internal")
	if err != nil {
		t.Fatal(err)
	}
	wantBatch(t, receive(t, c, sent), 0, sent)
}
