// SPDX-License-Identifier: AGPL-3.0-or-later

package deduplicator

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/intelmq-go/intelmq/internal/clock"
	"github.com/intelmq-go/intelmq/internal/redistest"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// redisClient connects to database 6 of the test Redis at url.
func redisClient(t *testing.T, url string) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{Network: "unix", Addr: url[len("unix://"):], DB: 6})
	t.Cleanup(func() { c.Close() })
	return c
}

// forwardAndFlush prepares, processes and flushes msgs as one batch and
// returns how many were forwarded.
func forwardAndFlush(t *testing.T, e *Expert, msgs ...*message.Message) int {
	t.Helper()
	ctx := context.Background()
	if err := e.Prepare(ctx, msgs); err != nil {
		t.Fatal(err)
	}
	n := process(t, e, msgs...)
	if err := e.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestStreamShared: deduplicators on one Redis see each other's hashes
// from their next batch on, a new one loads them all, and a store does
// not read its own entry back.
func TestStreamShared(t *testing.T) {
	url := redistest.Start(t)
	bcA, _ := newContext(t, url, "")
	bcB, _ := newContext(t, url, "")
	a := start(t, bcA, nil)
	b := start(t, bcB, nil)
	if n := forwardAndFlush(t, a, event(t, "source.ip", "192.0.2.1")); n != 1 {
		t.Fatalf("a forwarded %d new events, want 1", n)
	}
	if n := forwardAndFlush(t, b, event(t, "source.ip", "192.0.2.1"), event(t, "source.ip", "192.0.2.2")); n != 1 {
		t.Fatalf("b forwarded %d of a's event and a new one, want 1", n)
	}
	if n := forwardAndFlush(t, a, event(t, "source.ip", "192.0.2.2")); n != 0 {
		t.Errorf("a forwarded b's event %d times, want 0", n)
	}
	sa := a.store.(*streamStore)
	client := redisClient(t, url)
	entries, err := client.XRange(context.Background(), streamKey(24*time.Hour), "-", "+").Result()
	if err != nil || len(entries) != 2 {
		t.Fatalf("the stream holds %d entries (%v), want one per store", len(entries), err)
	}
	if sa.lastID != entries[1].ID {
		t.Errorf("a's last ID %s, want the last entry %s", sa.lastID, entries[1].ID)
	}
	if got := len(entries[0].Values[fieldHashes].(string)); got != len(hashKey{}) {
		t.Errorf("a's entry holds %d bytes of hashes, want %d", got, len(hashKey{}))
	}

	bcC, _ := newContext(t, url, "")
	c := start(t, bcC, nil)
	if got := c.store.(*streamStore).live.len(); got != 2 {
		t.Errorf("a new deduplicator loaded %d hashes, want 2", got)
	}
	if n := forwardAndFlush(t, c, event(t, "source.ip", "192.0.2.1"), event(t, "source.ip", "192.0.2.2")); n != 0 {
		t.Errorf("a new deduplicator forwarded %d known events, want 0", n)
	}
	// Another TTL is another stream.
	bcD, _ := newContext(t, url, "")
	d := start(t, bcD, map[string]any{paramTTL: "1h"})
	if n := forwardAndFlush(t, d, event(t, "source.ip", "192.0.2.1")); n != 1 {
		t.Errorf("a deduplicator with another TTL forwarded %d, want 1", n)
	}
}

// TestStreamExpiry: a hash is no longer seen after the TTL, by the bot's
// clock, is not loaded by a new deduplicator, and leaves memory at the
// next sweep; with TTL 0 it never expires.
func TestStreamExpiry(t *testing.T) {
	url := redistest.Start(t)
	bc, clk := newContext(t, url, "")
	e := start(t, bc, map[string]any{paramTTL: "1h"})
	forever := start(t, bc, map[string]any{paramTTL: "0"})
	ev := event(t, "source.ip", "192.0.2.1")
	if n := forwardAndFlush(t, e, ev); n != 1 {
		t.Fatalf("forwarded %d, want 1", n)
	}
	if n := forwardAndFlush(t, forever, ev); n != 1 {
		t.Fatalf("forwarded %d, want 1", n)
	}
	if ttl, err := redisClient(t, url).PTTL(context.Background(), streamKey(0)).Result(); err != nil || ttl != -1 {
		t.Errorf("the stream without TTL expires in %v (%v), want never", ttl, err)
	}
	clk.Advance(time.Hour - time.Second)
	if n := forwardAndFlush(t, e, ev); n != 0 {
		t.Fatalf("forwarded %d within the TTL, want 0", n)
	}
	clk.Advance(2 * time.Second)
	bc2, _ := newContext(t, url, "")
	bc2.Clock = clk
	late := start(t, bc2, map[string]any{paramTTL: "1h"})
	if got := late.store.(*streamStore).live.len(); got != 0 {
		t.Errorf("a deduplicator opened after the TTL loaded %d hashes, want 0", got)
	}
	clk.Advance(streamSweepInterval)
	if n := forwardAndFlush(t, e, event(t, "source.ip", "192.0.2.9")); n != 1 {
		t.Fatalf("forwarded %d new events, want 1", n)
	}
	if got := e.store.(*streamStore).live.len(); got != 1 {
		t.Errorf("after the sweep %d hashes in memory, want only the new one", got)
	}
	if n := forwardAndFlush(t, e, ev); n != 1 {
		t.Errorf("forwarded %d after the TTL, want 1", n)
	}
	if n := forwardAndFlush(t, forever, ev); n != 0 {
		t.Errorf("forwarded %d without TTL, want 0", n)
	}
}

// TestStreamTrimmed: adding an entry trims the entries written more than
// the TTL ago, by the real clock.
func TestStreamTrimmed(t *testing.T) {
	url := redistest.Start(t)
	ctx := context.Background()
	client := redisClient(t, url)
	key := streamKey(time.Hour)
	old := time.Now().Add(-48 * time.Hour).UnixMilli()
	const olds = 250 // more than Redis's 100 entries per node, so whole nodes go
	for i := range olds {
		err := client.XAdd(ctx, &redis.XAddArgs{Stream: key, ID: strconv.FormatInt(old, 10) + "-" + strconv.Itoa(i+1),
			Values: []any{fieldExpires, "1", fieldHashes, "0123456789abcdef"}}).Err()
		if err != nil {
			t.Fatal(err)
		}
	}
	bc := newRealContext(url)
	e := start(t, bc, map[string]any{paramTTL: "1h"})
	if n := forwardAndFlush(t, e, event(t, "source.ip", "192.0.2.1")); n != 1 {
		t.Fatalf("forwarded %d, want 1", n)
	}
	n, err := client.XLen(ctx, key).Result()
	if err != nil {
		t.Fatal(err)
	}
	if n > olds/2 {
		t.Errorf("the stream holds %d entries after a store, want the %d old ones mostly trimmed", n, olds)
	}
	if ttl, err := client.PTTL(ctx, key).Result(); err != nil || ttl <= time.Hour || ttl > time.Hour+streamTrimSlack {
		t.Errorf("the stream expires in %v (%v), want the TTL and the slack after its last entry", ttl, err)
	}
	last, err := client.XRevRangeN(ctx, key, "+", "-", 1).Result()
	if err != nil || len(last) != 1 || last[0].ID != e.store.(*streamStore).lastID {
		t.Errorf("the newest entry %v (%v), want the store's", last, err)
	}
}

// TestStreamDamagedEntries: entries without a valid expiry are skipped,
// and a short hashes field yields only its whole keys.
func TestStreamDamagedEntries(t *testing.T) {
	url := redistest.Start(t)
	ctx := context.Background()
	client := redisClient(t, url)
	key := streamKey(24 * time.Hour)
	k := keyOf("742b8767986bbe3bd776197ceafcaf0c1f4217c5c228556ab11140512a6f1378")
	for _, v := range [][]any{
		{fieldExpires, "soon", fieldHashes, string(k[:])},
		{fieldHashes, string(k[:])},
		{fieldExpires, "0", fieldHashes, string(k[:]) + "tail"},
	} {
		if err := client.XAdd(ctx, &redis.XAddArgs{Stream: key, Values: v}).Err(); err != nil {
			t.Fatal(err)
		}
	}
	bc, _ := newContext(t, url, "")
	e := start(t, bc, nil)
	if got := e.store.(*streamStore).live.len(); got != 1 {
		t.Errorf("loaded %d hashes, want the one whole key of the valid entry", got)
	}
}

// TestStreamFailedAddForgets: hashes whose store failed are not seen, so
// they are stored again by the next Flush.
func TestStreamFailedAddForgets(t *testing.T) {
	url := redistest.Start(t)
	bc, _ := newContext(t, url, "")
	e := start(t, bc, nil)
	s := e.store.(*streamStore)
	ctx := context.Background()
	keys := []string{"742b8767986bbe3bd776197ceafcaf0c1f4217c5c228556ab11140512a6f1378"}
	good := s.client
	s.client = redis.NewClient(&redis.Options{Network: "unix", Addr: t.TempDir() + "/none.sock", MaxRetries: -1})
	defer s.client.Close()
	if err := s.add(ctx, keys, time.Hour); err == nil {
		t.Fatal("add against a missing Redis succeeded")
	}
	found := []bool{true}
	s.client = good
	if err := s.lookup(ctx, keys, found); err != nil || found[0] {
		t.Fatalf("after a failed add: found %v, %v; want not found", found[0], err)
	}
	if err := s.add(ctx, keys, time.Hour); err != nil {
		t.Fatal(err)
	}
	if n, _ := redisClient(t, url).XLen(ctx, s.key).Result(); n != 1 {
		t.Errorf("the stream holds %d entries, want 1", n)
	}
}

// newRealContext is newContext with the system clock.
func newRealContext(url string) *botapi.Context {
	return &botapi.Context{ID: "deduplicator-expert", Clock: clock.System{}, RedisURL: url}
}
