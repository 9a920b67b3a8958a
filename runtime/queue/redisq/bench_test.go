// SPDX-License-Identifier: AGPL-3.0-or-later

package redisq_test

import (
	"context"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/intelmq-go/intelmq/internal/redistest"
	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/runtime/queue/queuetest"
	"github.com/intelmq-go/intelmq/runtime/queue/redisq"
)

func BenchmarkSendReceiveAck(b *testing.B) {
	url := redistest.Start(b)
	queuetest.Bench(b, func(b *testing.B) queue.Broker {
		br, err := redisq.Open(url, queue.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := br.Clear(context.Background(), "bench-queue"); err != nil {
			b.Fatal(err)
		}
		return br
	})
}

func BenchmarkParallelBots(b *testing.B) {
	url := redistest.Start(b)
	queuetest.BenchParallel(b, func(b *testing.B) queue.Broker {
		br, err := redisq.Open(url, queue.Options{})
		if err != nil {
			b.Fatal(err)
		}
		return br
	})
}

// BenchmarkRedisLPUSHCeiling is the reference: raw LPUSH of 50 values per
// round trip through go-redis, with no reading back. b.N counts messages.
func BenchmarkRedisLPUSHCeiling(b *testing.B) {
	url := redistest.Start(b)
	opts, err := redis.ParseURL(url + "?db=2")
	if err != nil {
		b.Fatal(err)
	}
	client := redis.NewClient(opts)
	defer client.Close()
	ctx := context.Background()
	vals := make([]any, 50)
	for i := range vals {
		vals[i] = queuetest.BenchMessage
	}
	b.SetBytes(int64(len(queuetest.BenchMessage)))
	b.ResetTimer()
	for done := 0; done < b.N; done += len(vals) {
		n := min(len(vals), b.N-done)
		if err := client.LPush(ctx, "ceiling-queue", vals[:n]...).Err(); err != nil {
			b.Fatal(err)
		}
		if done%100000 == 0 {
			client.Del(ctx, "ceiling-queue") // bound the memory used
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
