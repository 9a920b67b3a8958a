// SPDX-License-Identifier: AGPL-3.0-or-later

package queuetest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/intelmq-go/intelmq/runtime/queue"
)

// BenchBatches are the batch sizes Bench measures.
var BenchBatches = []int{1, 10, 100, 500}

// BenchMessage is a typical IntelMQ event in its wire form (about 600
// bytes), the payload of Bench.
var BenchMessage = []byte(`{"feed.accuracy": 100.0, "feed.name": "Feodo Tracker", "feed.provider": "abuse.ch", ` +
	`"feed.url": "https://feodotracker.abuse.ch/downloads/ipblocklist.csv", "time.observation": "2024-05-01T12:00:00+00:00", ` +
	`"time.source": "2024-04-30T08:15:00+00:00", "source.ip": "192.0.2.17", "source.port": 443, "source.asn": 64496, ` +
	`"source.as_name": "EXAMPLE-AS", "source.geolocation.cc": "DE", "malware.name": "qakbot", ` +
	`"classification.type": "c2-server", "classification.taxonomy": "malicious-code", "extra.status": "online", ` +
	`"raw": "MjAyNC0wNC0zMCAwODoxNTowMCwxOTIuMC4yLjE3LDQ0MyxvbmxpbmUsMjAyNC0wNS0wMSxRYWtib3Q=", "__type": "Event"}`)

// Bench measures the throughput of one bot's loop: each round sends a
// batch with one Send, takes it with one Receive and acknowledges it. It
// runs one sub-benchmark per size in BenchBatches; b.N counts messages and
// the metric msgs/s is reported. open returns a broker on empty storage;
// Bench closes it.
func Bench(b *testing.B, open func(b *testing.B) queue.Broker) {
	for _, size := range BenchBatches {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			br := open(b)
			defer br.Close()
			b.SetBytes(int64(len(BenchMessage)))
			b.ResetTimer()
			if err := benchLoop(br, "bench-queue", size, b.N); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}

// BenchBots is the number of concurrent bots BenchParallel runs.
const BenchBots = 4

// BenchParallel measures BenchBots bots sharing one broker, as the bots of
// a pipeline in one process do: each runs Bench's loop on its own queue at
// the same time. It runs sub-benchmarks for batches of 1 and 100; b.N
// counts messages over all bots.
func BenchParallel(b *testing.B, open func(b *testing.B) queue.Broker) {
	for _, size := range []int{1, 100} {
		b.Run(fmt.Sprintf("bots=%d/batch=%d", BenchBots, size), func(b *testing.B) {
			br := open(b)
			defer br.Close()
			per := (b.N + BenchBots - 1) / BenchBots
			var wg sync.WaitGroup
			errs := make(chan error, BenchBots)
			b.SetBytes(int64(len(BenchMessage)))
			b.ResetTimer()
			for i := 0; i < BenchBots; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs <- benchLoop(br, fmt.Sprintf("bench-%d-queue", i), size, per)
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(per*BenchBots)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}

// benchLoop sends, receives and acknowledges n messages in batches of
// size on queue q.
func benchLoop(br queue.Broker, q string, size, n int) error {
	ctx := context.Background()
	c, err := br.Consumer(q, queue.InternalName(q))
	if err != nil {
		return err
	}
	defer c.Close()
	batch := make([][]byte, size)
	for i := range batch {
		batch[i] = BenchMessage
	}
	for done := 0; done < n; {
		k := min(size, n-done)
		if err := br.Send(ctx, q, batch[:k]...); err != nil {
			return err
		}
		for got := 0; got < k; {
			bt, err := c.Receive(ctx, k-got)
			if err != nil {
				return err
			}
			got += len(bt.Messages())
			if err := bt.Ack(ctx); err != nil {
				return err
			}
		}
		done += k
	}
	return nil
}
