// SPDX-License-Identifier: AGPL-3.0-or-later

package diskq_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/runtime/queue/diskq"
)

// TestRandomOperations runs random sequences of Send (or SendDeferred,
// which may go ahead of the committer, or SendTrusted), Receive, Ack, Nack,
// consumer Close, Clear of the source and broker reopen on one source with
// one or two consumers, which takes the fast path of Receive and steps out
// of it in every way, and checks that every message sent is acknowledged
// exactly once, unless a Clear may have removed it: a Nack or a Close only
// delays a message, and no Receive hands out a message that another one
// holds or that was acknowledged.
func TestRandomOperations(t *testing.T) {
	for _, sync := range []diskq.Sync{diskq.SyncBatch, diskq.SyncNone, diskq.SyncAlways} {
		var fast, ahead uint64
		for seed := uint64(1); seed <= 12; seed++ {
			t.Run(fmt.Sprintf("%v/seed=%d", sync, seed), func(t *testing.T) {
				st := randomOperations(t, sync, seed)
				fast += st.FastReceives
				ahead += st.AheadSends
			})
		}
		if sync != diskq.SyncAlways && fast == 0 {
			t.Errorf("sync=%v: no Receive took the fast path", sync)
		}
		if sync != diskq.SyncAlways && ahead == 0 {
			t.Errorf("sync=%v: no Send went ahead of the committer", sync)
		}
	}
}

// randomOperations runs one random sequence and returns the number of
// Receives that took the fast path and of Sends that went ahead.
func randomOperations(t *testing.T, sync diskq.Sync, seed uint64) diskq.Stats {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 99))
	dir := t.TempDir()
	open := opener(t, dir, sync)
	b := open()
	defer func() { b.Close() }()
	internals := []string{"q-internal", "q-internal-2"}
	consumers := make([]queue.Consumer, len(internals))
	pending := make([]queue.Batch, len(internals))
	consumer := func(i int) queue.Consumer {
		if consumers[i] == nil {
			c, err := b.Consumer("q", internals[i])
			if err != nil {
				t.Fatal(err)
			}
			consumers[i] = c
		}
		return consumers[i]
	}
	sent, acked := 0, map[int]int{}
	held := map[int]int{}     // message → consumer holding it in a pending batch
	cleared := map[int]bool{} // messages a Clear may have removed
	ack := func(i int) {
		for _, m := range pending[i].Messages() {
			n, err := strconv.Atoi(string(m))
			if err != nil {
				t.Fatalf("message %q", m)
			}
			acked[n]++
			delete(held, n)
		}
		if err := pending[i].Ack(ctx); err != nil {
			t.Fatal(err)
		}
		pending[i] = nil
	}
	forget := func(i int) { // the batch is neither acked nor held any more
		for _, m := range pending[i].Messages() {
			n, _ := strconv.Atoi(string(m))
			delete(held, n)
		}
		pending[i] = nil
	}
	two := rng.IntN(3) == 0 // sometimes a second consumer on the source
	var fast, ahead uint64  // fast Receives and Sends ahead of the brokers closed
	for step := 0; step < 400; step++ {
		i := 0
		if two && rng.IntN(2) == 0 {
			i = 1
		}
		switch op := rng.IntN(21); {
		case op < 5:
			msgs := make([][]byte, 1+rng.IntN(30))
			for j := range msgs {
				msgs[j] = []byte(strconv.Itoa(sent))
				sent++
			}
			send := []func(context.Context, string, ...[]byte) error{b.Send, b.SendDeferred, b.SendTrusted}[rng.IntN(3)]
			if err := send(ctx, "q", msgs...); err != nil {
				t.Fatal(err)
			}
		case op < 11 && pending[i] == nil:
			// No Len first: it would wait for the committer, and the fast
			// path's read transaction would never lag behind.
			rctx, cancel := context.WithTimeout(ctx, 5*time.Millisecond)
			bt, err := consumer(i).Receive(rctx, 1+rng.IntN(12))
			cancel()
			if errors.Is(err, context.DeadlineExceeded) {
				continue // nothing to receive
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range bt.Messages() {
				k, err := strconv.Atoi(string(m))
				if err != nil || k < 0 || k >= sent {
					t.Fatalf("step %d: received %q, of %d sent", step, m, sent)
				}
				if acked[k] > 0 {
					t.Fatalf("step %d: received %d again after it was acknowledged", step, k)
				}
				if h, ok := held[k]; ok {
					t.Fatalf("step %d: consumer %d received %d, which consumer %d holds", step, i, k, h)
				}
				held[k] = i
			}
			pending[i] = bt
		case op < 16 && pending[i] != nil:
			ack(i)
		case op < 18 && pending[i] != nil:
			forget(i)
			if err := consumers[i].Close(); err != nil {
				t.Fatal(err)
			}
			consumers[i] = nil
		case op == 18:
			for j := range pending {
				if pending[j] != nil && rng.IntN(2) == 0 {
					if err := pending[j].Nack(ctx); err != nil {
						t.Fatal(err)
					}
					forget(j)
				}
			}
		case op == 20:
			// Clear the source: what is neither acknowledged nor held may
			// be gone (or in an internal queue, left by a closed consumer).
			if err := b.Clear(ctx, "q"); err != nil {
				t.Fatal(err)
			}
			for k := 0; k < sent; k++ {
				if _, ok := held[k]; !ok && acked[k] == 0 {
					cleared[k] = true
				}
			}
		case op == 19:
			// Reopen: unsettled batches come again.
			for j := range pending {
				if pending[j] != nil {
					forget(j)
				}
				consumers[j] = nil
			}
			fast += b.Stats().FastReceives
			ahead += b.Stats().AheadSends
			if err := b.Close(); err != nil {
				t.Fatal(err)
			}
			b = open()
		}
	}
	for j := range pending {
		if pending[j] != nil {
			ack(j)
		}
	}
	// Drain.
	for {
		n, err := b.Len(ctx, "q")
		if err != nil {
			t.Fatal(err)
		}
		in0, _ := b.Len(ctx, internals[0])
		in1, _ := b.Len(ctx, internals[1])
		if n+in0+in1 == 0 {
			break
		}
		for i := range internals {
			n, _ := b.Len(ctx, "q")
			in, _ := b.Len(ctx, internals[i])
			if n+in == 0 {
				continue
			}
			bt, err := consumer(i).Receive(ctx, 50)
			if err != nil {
				t.Fatal(err)
			}
			pending[i] = bt
			ack(i)
		}
	}
	fast += b.Stats().FastReceives
	ahead += b.Stats().AheadSends
	for k := 0; k < sent; k++ {
		if acked[k] > 1 || acked[k] == 0 && !cleared[k] {
			t.Fatalf("message %d acknowledged %d times (%d sent, %d fast Receives)", k, acked[k], sent, fast)
		}
	}
	return diskq.Stats{FastReceives: fast, AheadSends: ahead}
}
