// SPDX-License-Identifier: AGPL-3.0-or-later

package deduplicator

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/intelmq-go/intelmq/bots/internal/conformance"
	"github.com/intelmq-go/intelmq/internal/clock"
	"github.com/intelmq-go/intelmq/internal/redistest"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// discardSender accepts every message.
type discardSender struct{}

func (discardSender) Send(string, *message.Message) error { return nil }
func (discardSender) Routed(string) bool                  { return true }

// benchmarkStore processes distinct events in batches of 500, preparing
// and flushing each batch as the runner does. It reports the live heap the
// cache holds per hash (heap-B/hash): the memory a
// local cache of n hashes needs is about n times that.
func benchmarkStore(b *testing.B, bc *botapi.Context, raw map[string]any) {
	params, err := conformance.Params(Spec(), raw)
	if err != nil {
		b.Fatal(err)
	}
	bot, err := New(bc, params)
	if err != nil {
		b.Fatal(err)
	}
	e := bot.(*Expert)
	ctx := context.Background()
	if err := e.Start(ctx); err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	msgs := make([]*message.Message, b.N)
	for i := range msgs {
		msgs[i] = message.NewEvent(harmonization.Default())
		_ = msgs[i].AddString("source.ip", fmt.Sprintf("10.%d.%d.%d", (i>>16)&255, (i>>8)&255, i&255))
		_ = msgs[i].AddString("classification.type", "scanner")
	}
	heap0 := liveHeap()
	b.ResetTimer()
	for i, m := range msgs {
		if i%500 == 0 {
			if err := e.Prepare(ctx, msgs[i:min(i+500, len(msgs))]); err != nil {
				b.Fatal(err)
			}
		}
		if err := e.Process(ctx, m, discardSender{}); err != nil {
			b.Fatal(err)
		}
		if i%500 == 499 {
			if err := e.Flush(ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
	if _, intelmq := e.store.(*redisStore); !intelmq {
		b.ReportMetric(float64(liveHeap()-heap0)/float64(b.N), "heap-B/hash")
	}
	runtime.KeepAlive(msgs) // counted in both figures, not in their difference
}

// liveHeap returns the bytes of live heap objects after a collection.
func liveHeap() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

func BenchmarkMemory(b *testing.B) {
	benchmarkStore(b, &botapi.Context{Clock: clock.NewManual(epoch)}, nil)
}

func BenchmarkLocal(b *testing.B) {
	benchmarkStore(b, &botapi.Context{Clock: clock.NewManual(epoch), StateDir: b.TempDir()}, nil)
}

// BenchmarkRedis (the stream layout) and BenchmarkRedisIntelMQ (IntelMQ's
// key per hash) also report the Redis server's processor time per event
// (redis-cpu-µs/op).
func BenchmarkRedis(b *testing.B) { benchmarkRedis(b, layoutStream) }

func BenchmarkRedisIntelMQ(b *testing.B) { benchmarkRedis(b, layoutIntelMQ) }

func benchmarkRedis(b *testing.B, layout string) {
	url := redistest.Start(b)
	cpu0 := redistest.CPU(b, url)
	benchmarkStore(b, &botapi.Context{Clock: clock.NewManual(epoch), RedisURL: url}, map[string]any{paramLayout: layout})
	b.ReportMetric((redistest.CPU(b, url)-cpu0)*1e6/float64(b.N), "redis-cpu-µs/op")
}
