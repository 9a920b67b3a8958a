// SPDX-License-Identifier: AGPL-3.0-or-later

package queuetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/intelmq-go/intelmq/runtime/queue"
)

// concurrency sizes the concurrent cases.
type concurrency struct {
	producers, perProducer, consumers int
	nackPercent                       int
	limit                             int
}

func testConcurrent(t *testing.T, open Opener, f Factory) {
	runConcurrent(t, open, concurrency{producers: 4, perProducer: 1500, consumers: 3, limit: 200})
}

func testConcurrentNack(t *testing.T, open Opener, f Factory) {
	runConcurrent(t, open, concurrency{producers: 3, perProducer: 600, consumers: 3, nackPercent: 20})
}

// runConcurrent runs producers and consumers on one source queue and
// checks that every message is acknowledged exactly once and that, without
// nacks, each consumer sees each producer's messages in order.
func runConcurrent(t *testing.T, open Opener, cfg concurrency) {
	const q = "shared-queue"
	opts := queue.Options{}
	if cfg.limit > 0 {
		opts.Limits = map[string]int{q: cfg.limit}
	}
	b := mustOpen(t, open, opts)
	total := cfg.producers * cfg.perProducer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var (
		wg    sync.WaitGroup
		acked atomic.Int64
		mu    sync.Mutex
		seen  = map[string]int{}
		errs  = make(chan error, cfg.producers+cfg.consumers)
	)
	for p := 0; p < cfg.producers; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- produce(ctx, b, q, p, cfg.perProducer)
		}()
	}
	for k := 0; k < cfg.consumers; k++ {
		c, err := b.Consumer(q, fmt.Sprintf("%s-internal-%d", q, k))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- consume(ctx, c, cfg, func(ms [][]byte) error {
				mu.Lock()
				for _, m := range ms {
					seen[string(m)]++
				}
				mu.Unlock()
				if acked.Add(int64(len(ms))) >= int64(total) {
					cancel()
				}
				return nil
			})
		}()
	}
	err := within(t, "concurrent producers and consumers", func() error {
		wg.Wait()
		close(errs)
		var all []error
		for err := range errs {
			if err != nil && !errors.Is(err, context.Canceled) {
				all = append(all, err)
			}
		}
		return errors.Join(all...)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != total {
		t.Fatalf("%d distinct messages acknowledged, want %d", len(seen), total)
	}
	for m, n := range seen {
		if n != 1 {
			t.Fatalf("message %s acknowledged %d times", m, n)
		}
	}
	wantLen(t, b, q, 0)
	for k := 0; k < cfg.consumers; k++ {
		wantLen(t, b, fmt.Sprintf("%s-internal-%d", q, k), 0)
	}
}

func produce(ctx context.Context, b queue.Producer, q string, p, n int) error {
	for i := 0; i < n; {
		k := min(1+rand.IntN(40), n-i)
		batch := make([][]byte, k)
		for j := range batch {
			batch[j] = []byte(fmt.Sprintf("p%d-%08d", p, i+j))
		}
		if err := b.Send(ctx, q, batch...); err != nil {
			return fmt.Errorf("producer %d: %w", p, err)
		}
		i += k
	}
	return nil
}

// consume receives until ctx ends, nacking some batches, checking the
// per-producer order when nothing is nacked, and passing acked batches to
// done before acknowledging them.
func consume(ctx context.Context, c queue.Consumer, cfg concurrency, done func([][]byte) error) error {
	last := map[string]string{}
	for {
		bt, err := c.Receive(ctx, 1+rand.IntN(50))
		if err != nil {
			return err
		}
		if cfg.nackPercent > 0 && rand.IntN(100) < cfg.nackPercent {
			if err := bt.Nack(ctx); err != nil {
				return err
			}
			continue
		}
		if cfg.nackPercent == 0 {
			for _, m := range bt.Messages() {
				var p, seq string
				p, seq = string(m[:2]), string(m[3:])
				if prev, ok := last[p]; ok && seq <= prev {
					return fmt.Errorf("out of order: %s after %s-%s", m, p, prev)
				}
				last[p] = seq
			}
		}
		if err := done(bt.Messages()); err != nil {
			return err
		}
		if err := bt.Ack(context.Background()); err != nil {
			return err
		}
	}
}
