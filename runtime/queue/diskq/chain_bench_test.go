// SPDX-License-Identifier: AGPL-3.0-or-later

package diskq_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/runtime/queue/diskq"
	"github.com/intelmq-go/intelmq/runtime/queue/queuetest"
)

// chainBots is the length of the benchmarked chain: parser, taxonomy,
// deduplicator and file output.
const chainBots = 4

// BenchmarkChain mimics the 4-bot pipeline on one file: bot i receives a
// batch from queue i, sends it on to queue i+1 with SendDeferred, as the
// runner does (the last bot, the output, sends nothing), then acknowledges
// it. Queue 0 is filled with b.N messages
// before the timer starts; b.N counts messages through the whole chain.
// It reports msgs/s and cpu-ns/msg, the processor time of the process
// (all goroutines, user and system) per message, which the load of a
// shared machine disturbs far less than wall time. One sub-benchmark runs
// per sync policy and batch size.
func BenchmarkChain(b *testing.B) {
	for _, policy := range []diskq.Sync{diskq.SyncAlways, diskq.SyncBatch, diskq.SyncNone} {
		for _, size := range []int{100, 500} {
			b.Run(fmt.Sprintf("sync=%v/batch=%d", policy, size), func(b *testing.B) {
				br, err := diskq.OpenConfig(b.TempDir(), chainOptions(), diskq.Config{Sync: policy})
				if err != nil {
					b.Fatal(err)
				}
				defer br.Close()
				st0 := br.Stats()
				benchChain(b, br, size)
				st := br.Stats()
				batches := float64(b.N) / float64(size) // per bot
				b.ReportMetric(float64(st.Commits-st0.Commits)/batches, "commits/batch")
			})
		}
	}
}

// chainOptions limits the queues like the pipeline benchmark does, but
// for the first, filled before the timer starts.
func chainOptions() queue.Options {
	return queue.Options{MaxLen: 100_000, Limits: map[string]int{chainQueue(0): 0}}
}

func chainQueue(i int) string { return fmt.Sprintf("chain-%d-queue", i) }

func benchChain(b *testing.B, br queue.Broker, size int) {
	ctx := context.Background()
	name := chainQueue
	batch := make([][]byte, 0, 1000)
	for done := 0; done < b.N; done += len(batch) {
		batch = batch[:0]
		for i := done; i < min(done+cap(batch), b.N); i++ {
			batch = append(batch, queuetest.BenchMessage)
		}
		if err := br.Send(ctx, name(0), batch...); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(queuetest.BenchMessage)))
	cpu0 := cpuTime(b)
	b.ResetTimer()
	var wg sync.WaitGroup
	errs := make(chan error, chainBots)
	for i := 0; i < chainBots; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- chainBot(ctx, br, name(i), name(i+1), i == chainBots-1, size, b.N)
		}()
	}
	wg.Wait()
	b.StopTimer()
	close(errs)
	for err := range errs {
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	if cpu0 >= 0 {
		b.ReportMetric(float64(cpuTime(b)-cpu0)/float64(b.N), "cpu-ns/msg")
	}
}

// chainBot moves n messages from in to out (or drops them if last) in
// batches of at most size.
func chainBot(ctx context.Context, br queue.Broker, in, out string, last bool, size, n int) error {
	c, err := br.Consumer(in, queue.InternalName(in))
	if err != nil {
		return err
	}
	defer c.Close()
	for got := 0; got < n; {
		bt, err := c.Receive(ctx, size)
		if err != nil {
			return err
		}
		if !last {
			send := br.Send
			if d, ok := br.(queue.DeferredProducer); ok {
				send = d.SendDeferred // as the runner sends a batch's results
			}
			if err := send(ctx, out, bt.Messages()...); err != nil {
				return err
			}
		}
		got += len(bt.Messages())
		if err := bt.Ack(ctx); err != nil {
			return err
		}
	}
	return nil
}
