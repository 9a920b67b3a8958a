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

// plainClient returns a go-redis client on the pipeline database of url,
// playing the part of another program (such as Python IntelMQ).
func plainClient(t *testing.T, url string) *redis.Client {
	t.Helper()
	opts, err := redis.ParseURL(url + "?db=2")
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opts)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestConformance(t *testing.T) {
	url := redistest.Start(t)
	plain := plainClient(t, url)
	queuetest.Run(t, queuetest.Factory{
		Storage: func(t *testing.T) queuetest.Opener {
			if err := plain.FlushAll(context.Background()).Err(); err != nil {
				t.Fatalf("FLUSHALL: %v", err)
			}
			return func(opts queue.Options) (queue.Broker, error) { return redisq.Open(url, opts) }
		},
		Persistent: true,
		TakesAll:   true,
	})
}

func TestCrash(t *testing.T) {
	queuetest.Crash(t, queuetest.CrashConfig{
		Storage: func(t *testing.T) string { return redistest.Start(t) },
		Open:    func(url string) (queue.Broker, error) { return redisq.Open(url, queue.Options{}) },
	})
}
