// SPDX-License-Identifier: AGPL-3.0-or-later

package redis

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"github.com/intelmq-go/intelmq/bots/internal/conformance"
	"github.com/intelmq-go/intelmq/internal/redistest"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

const queue = "test-redis-output-queue"

func newOutput(t *testing.T, params map[string]any) *Output {
	t.Helper()
	p, err := conformance.Params(Spec(), params)
	if err != nil {
		t.Fatal(err)
	}
	bot, err := New(&botapi.Context{ID: "redis-output"}, p)
	if err != nil {
		t.Fatal(err)
	}
	o := bot.(*Output)
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := o.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.Close() })
	return o
}

func client(t *testing.T, url string, db int) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{Network: "unix", Addr: strings.TrimPrefix(url, "unix://"), DB: db})
	t.Cleanup(func() { c.Close() })
	return c
}

func readEvent(t *testing.T) *message.Message {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "event.json"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := message.Decode(harmonization.Default(), data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestIntelMQEvent follows IntelMQ's test_output_as_hierarchical_json: the
// list holds exactly the bytes Python's to_json(hierarchical=True) gives.
func TestIntelMQEvent(t *testing.T) {
	url := redistest.Start(t)
	tests := []struct {
		name   string
		params map[string]any
		db     int
		golden string
	}{
		{"hierarchical without type", map[string]any{"redis_url": url, "redis_db": 4,
			"hierarchical_output": true, "with_type": false}, 4, "want-hierarchical.json"},
		{"defaults: flat with type", map[string]any{"redis_server_ip": strings.TrimPrefix(url, "unix://")}, 2, "want-flat-type.json"},
	}
	ctx := context.Background()
	for _, tt := range tests {
		tt.params["redis_queue"] = queue
		o := newOutput(t, tt.params)
		if err := o.Process(ctx, readEvent(t), conformance.NewRecorder()); err != nil {
			t.Fatal(err)
		}
		if err := o.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		got, err := client(t, url, tt.db).LPop(ctx, queue).Result()
		if err != nil {
			t.Fatalf("%s: LPOP: %v", tt.name, err)
		}
		want, err := os.ReadFile(filepath.Join("testdata", tt.golden))
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want) {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, want)
		}
	}
}

// TestBatchOrder: a batch is pushed at Flush, and a consumer popping from
// the right reads the events in processing order.
func TestBatchOrder(t *testing.T) {
	url := redistest.Start(t)
	ctx := context.Background()
	o := newOutput(t, map[string]any{"redis_url": url, "redis_queue": queue, "with_type": false})
	c := client(t, url, 2)
	for _, ip := range []string{"192.0.2.1", "192.0.2.2", "192.0.2.3"} {
		m := message.NewEvent(harmonization.Default())
		if err := m.AddString("source.ip", ip); err != nil {
			t.Fatal(err)
		}
		if err := o.Process(ctx, m, conformance.NewRecorder()); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := c.LLen(ctx, queue).Result(); n != 0 {
		t.Fatalf("%d events pushed before Flush", n)
	}
	if err := o.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		v, err := c.RPop(ctx, queue).Result()
		if errors.Is(err, redis.Nil) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	want := []string{`{"source.ip": "192.0.2.1"}`, `{"source.ip": "192.0.2.2"}`, `{"source.ip": "192.0.2.3"}`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("popped (-want +got):\n%s", diff)
	}
}

func TestCloseFlushes(t *testing.T) {
	url := redistest.Start(t)
	ctx := context.Background()
	o := newOutput(t, map[string]any{"redis_url": url + "?db=5", "redis_queue": queue})
	if err := o.Process(ctx, message.NewEvent(harmonization.Default()), conformance.NewRecorder()); err != nil {
		t.Fatal(err)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	if v, err := client(t, url, 5).LPop(ctx, queue).Result(); err != nil || v != `{"__type": "Event"}` {
		t.Errorf("after Close the list holds %q, %v", v, err)
	}
}

func TestStartUnreachable(t *testing.T) {
	p, _ := conformance.Params(Spec(), map[string]any{"redis_queue": queue, "redis_url": "unix://" + t.TempDir() + "/none.sock"})
	bot, _ := New(&botapi.Context{}, p)
	err := bot.(*Output).Start(context.Background())
	if err == nil || errors.Is(err, botapi.ErrFatal) {
		t.Errorf("Start without a Redis: error = %v, want a retryable error", err)
	}
}

func TestValidate(t *testing.T) {
	for _, params := range []map[string]any{
		{"redis_queue": ""},
		{"redis_queue": "q", "redis_url": "http://example.com/"},
	} {
		p, _ := conformance.Params(Spec(), params)
		bot, _ := New(&botapi.Context{}, p)
		if err := bot.(*Output).Validate(); err == nil {
			t.Errorf("%v accepted", params)
		}
	}
}

// TestWithRunner runs the output in the runner (bottest): the batch is
// pushed before it is acknowledged.
func TestWithRunner(t *testing.T) {
	url := redistest.Start(t)
	p, err := conformance.Params(Spec(), map[string]any{"redis_url": url, "redis_queue": queue})
	if err != nil {
		t.Fatal(err)
	}
	bottest.Run(t, bottest.Case{Kind: botapi.KindOutput, New: New, Params: p, Input: []any{
		`{"source.ip": "192.0.2.1", "__type": "Event"}`, `{"source.ip": "192.0.2.2", "__type": "Event"}`,
	}})
	got, err := client(t, url, 2).LRange(context.Background(), queue, 0, -1).Result()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`{"__type": "Event", "source.ip": "192.0.2.2"}`, `{"__type": "Event", "source.ip": "192.0.2.1"}`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("list (-want +got):\n%s", diff)
	}
}
