// SPDX-License-Identifier: AGPL-3.0-or-later

package deduplicator

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	bolt "go.etcd.io/bbolt"

	"github.com/intelmq-go/intelmq/bots/internal/conformance"
	"github.com/intelmq-go/intelmq/internal/clock"
	"github.com/intelmq-go/intelmq/internal/redistest"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

var epoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func newContext(t *testing.T, redisURL, stateDir string) (*botapi.Context, *clock.Manual) {
	t.Helper()
	clk := clock.NewManual(epoch)
	return &botapi.Context{ID: "deduplicator-expert", Clock: clk, RedisURL: redisURL, StateDir: stateDir}, clk
}

// start builds and starts an expert; it is closed when the test ends.
func start(t *testing.T, bc *botapi.Context, raw map[string]any) *Expert {
	t.Helper()
	params, err := conformance.Params(Spec(), raw)
	if err != nil {
		t.Fatal(err)
	}
	bot, err := New(bc, params)
	if err != nil {
		t.Fatal(err)
	}
	e := bot.(*Expert)
	if err := e.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// TestConformance replays IntelMQ's deduplicator tests against a private
// Redis seeded with the cache IntelMQ had before each test: in IntelMQ's
// layout as keys, in the stream layout as one entry holding those hashes.
func TestConformance(t *testing.T) {
	url := redistest.Start(t)
	for _, layout := range []string{layoutIntelMQ, layoutStream} {
		for _, c := range conformance.LoadDir(t, "testdata") {
			t.Run(layout+"/"+c.Name, func(t *testing.T) {
				db := 6
				if v, ok := c.Parameters[paramRedisDB]; ok {
					fmt.Sscan(fmt.Sprint(v), &db)
				}
				client := redis.NewClient(&redis.Options{Network: "unix", Addr: url[len("unix://"):], DB: db})
				defer client.Close()
				ctx := context.Background()
				if err := client.FlushDB(ctx).Err(); err != nil {
					t.Fatal(err)
				}
				raw := map[string]any{paramRedisURL: url, paramLayout: layout}
				for k, v := range c.Parameters {
					raw[k] = v
				}
				params, err := conformance.Params(Spec(), raw)
				if err != nil {
					t.Fatal(err)
				}
				if layout == layoutIntelMQ {
					for k, v := range c.RedisCacheBefore {
						if err := client.Set(ctx, k, v, 0).Err(); err != nil {
							t.Fatal(err)
						}
					}
				} else if len(c.RedisCacheBefore) > 0 {
					var blob []byte
					for k := range c.RedisCacheBefore {
						hk := keyOf(k)
						blob = append(blob, hk[:]...)
					}
					err := client.XAdd(ctx, &redis.XAddArgs{Stream: streamKey(params.Duration(paramTTL)),
						Values: []any{fieldExpires, "0", fieldHashes, blob}}).Err()
					if err != nil {
						t.Fatal(err)
					}
				}
				res := bottest.Run(t, bottest.Case{Kind: botapi.KindExpert, New: New, Params: params,
					Input: c.Inputs(), Paths: c.Run.Paths()})
				c.CheckResult(t, res)
			})
		}
	}
}

func event(t *testing.T, fields ...string) *message.Message {
	t.Helper()
	msg := message.NewEvent(harmonization.Default())
	for i := 0; i < len(fields); i += 2 {
		if err := msg.AddString(fields[i], fields[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return msg
}

// process runs msgs through e and returns how many were forwarded.
func process(t *testing.T, e *Expert, msgs ...*message.Message) int {
	t.Helper()
	rec := conformance.NewRecorder(botapi.DefaultPath)
	for _, m := range msgs {
		if err := e.Process(context.Background(), m, rec); err != nil {
			t.Fatal(err)
		}
	}
	return len(rec.Sent[botapi.DefaultPath])
}

// TestIntelMQKeys checks that the cache holds exactly what IntelMQ's does:
// the hex hash as key, "hash" as value, expiring after the TTL.
func TestIntelMQKeys(t *testing.T) {
	url := redistest.Start(t)
	bc, _ := newContext(t, url, "")
	e := start(t, bc, map[string]any{paramTTL: "3600", paramFilterType: "whitelist", paramFilterKeys: "source.ip",
		paramLayout: layoutIntelMQ})
	if n := process(t, e, event(t, "source.ip", "127.0.0.8", "destination.ip", "127.0.0.7")); n != 1 {
		t.Fatalf("forwarded %d, want 1", n)
	}
	ctx := context.Background()
	if err := e.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if err := e.settle(); err != nil { // Flush only started the store on Redis
		t.Fatal(err)
	}
	client := redis.NewClient(&redis.Options{Network: "unix", Addr: url[len("unix://"):], DB: 6})
	defer client.Close()
	const key = "ef4805642a2b024fb5197d21b86558b6ab73376d8fa8fbf243d43c45d63a7d58" // IntelMQ's hash
	v, err := client.Get(ctx, key).Result()
	if err != nil || v != "hash" {
		t.Fatalf("GET %s = %q, %v; want \"hash\"", key, v, err)
	}
	ttl, err := client.TTL(ctx, key).Result()
	if err != nil || ttl <= 0 || ttl > time.Hour {
		t.Errorf("TTL %s = %v, %v; want at most 1h", key, ttl, err)
	}
	if n, _ := client.DBSize(ctx).Result(); n != 1 {
		t.Errorf("database 6 holds %d keys, want 1", n)
	}
}

// TestDuplicatesWithinABatch checks that a duplicate is dropped before the
// first copy's hash reaches the cache, and that the cache is written only
// on Flush.
func TestDuplicatesWithinABatch(t *testing.T) {
	bc, _ := newContext(t, "", t.TempDir())
	e := start(t, bc, nil)
	a := event(t, "source.ip", "192.0.2.1", "classification.identifier", "zeus")
	b := event(t, "source.ip", "192.0.2.2", "classification.identifier", "zeus")
	if n := process(t, e, a, a.Clone(), b); n != 2 {
		t.Fatalf("forwarded %d of a, a, b; want 2", n)
	}
	if seen, _ := e.store.seen(context.Background(), a.Hash(e.filterKeys, false)); seen {
		t.Fatal("the hash is in the cache before Flush")
	}
	if err := e.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := process(t, e, a, b); n != 0 {
		t.Errorf("after Flush forwarded %d known events, want 0", n)
	}
}

// TestUnflushedHashesAreForgotten: a batch that is not flushed (the runner
// failed to deliver it) leaves no trace, so its events pass again.
func TestUnflushedHashesAreForgotten(t *testing.T) {
	dir := t.TempDir()
	bc, _ := newContext(t, "", dir)
	a := event(t, "source.ip", "192.0.2.1")
	e := start(t, bc, nil)
	if n := process(t, e, a); n != 1 {
		t.Fatalf("forwarded %d, want 1", n)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	e2 := start(t, bc, nil)
	if n := process(t, e2, a); n != 1 {
		t.Errorf("after a restart without Flush forwarded %d, want 1", n)
	}
}

// TestFailedSendIsNotRemembered: when Send fails, the runner retries the
// message; it must not be taken for a duplicate then.
func TestFailedSendIsNotRemembered(t *testing.T) {
	bc, _ := newContext(t, "", "")
	e := start(t, bc, nil)
	a := event(t, "source.ip", "192.0.2.1")
	if err := e.Process(context.Background(), a, conformance.NewRecorder("elsewhere")); !errors.Is(err, botapi.ErrUnknownPath) {
		t.Fatalf("Process with no route: error = %v, want ErrUnknownPath", err)
	}
	if n := process(t, e, a); n != 1 {
		t.Errorf("the retry forwarded %d, want 1", n)
	}
}

// TestLocalCachePersistsAndExpires covers the bbolt cache: it survives a
// restart and forgets a hash after the TTL.
func TestLocalCachePersistsAndExpires(t *testing.T) {
	dir := t.TempDir()
	bc, clk := newContext(t, "", dir)
	a := event(t, "source.ip", "192.0.2.1")
	e := start(t, bc, map[string]any{paramTTL: "1h"})
	process(t, e, a)
	if err := e.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.Close()

	e = start(t, bc, map[string]any{paramTTL: "1h"})
	if n := process(t, e, a); n != 0 {
		t.Fatalf("after a restart forwarded %d, want 0", n)
	}
	clk.Advance(time.Hour + time.Second)
	if n := process(t, e, a); n != 1 {
		t.Fatalf("after the TTL forwarded %d, want 1", n)
	}
	if err := e.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := process(t, e, a); n != 0 {
		t.Errorf("after storing it again forwarded %d, want 0", n)
	}
}

// entryKey appends the expiry exp and hash to dst: how entryKeys shows
// one stored hash.
func entryKey(dst []byte, exp uint64, hash []byte) []byte {
	dst = binary.BigEndian.AppendUint64(dst, exp)
	return append(dst, hash...)
}

// stored returns how a record of the local cache holds hash: its key in
// expiries.
func stored(hash string) []byte {
	k := keyOf(hash)
	return k[:]
}

// entryKeys returns the hashes stored in the local cache, as expiry then
// hash (entryKey), in file order.
func entryKeys(t *testing.T, s *boltStore) [][]byte {
	t.Helper()
	var keys [][]byte
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte(bucketBatches)).ForEach(func(k, v []byte) error {
			recordHashes(v, func(h []byte) {
				keys = append(keys, entryKey(nil, binary.BigEndian.Uint64(k[:8]), h))
			})
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// recordCount returns the number of records in the local cache.
func recordCount(t *testing.T, s *boltStore) int {
	t.Helper()
	n := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket([]byte(bucketBatches)).Stats().KeyN
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func openTestStore(t *testing.T, path string, clk *clock.Manual) *boltStore {
	t.Helper()
	s, err := openBoltStore(path, clk.Now, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLocalSweepRemovesExpired(t *testing.T) {
	clk := clock.NewManual(epoch)
	s := openTestStore(t, t.TempDir()+"/c.db", clk)
	defer s.close()
	ctx := context.Background()
	if err := s.add(ctx, []string{"a", "b"}, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.add(ctx, []string{"forever"}, 0); err != nil {
		t.Fatal(err)
	}
	clk.Advance(2 * time.Minute)
	if err := s.add(ctx, []string{"c"}, time.Minute); err != nil {
		t.Fatal(err)
	}
	if n := len(entryKeys(t, s)); n != 2 {
		t.Errorf("after the sweep %d entries remain, want 2 (forever, c)", n)
	}
	if s.live.len() != 2 {
		t.Errorf("after the sweep %d hashes are kept in memory, want 2", s.live.len())
	}
	for key, want := range map[string]bool{"a": false, "forever": true, "c": true} {
		if got, _ := s.seen(ctx, key); got != want {
			t.Errorf("seen(%s) = %v, want %v", key, got, want)
		}
	}
}

// TestLocalExpiry: a hash is seen until its TTL has passed, a hash stored
// again keeps its first expiry, and an expired hash can be stored anew,
// also before the sweep removed its old entry.
func TestLocalExpiry(t *testing.T) {
	clk := clock.NewManual(epoch)
	s := openTestStore(t, t.TempDir()+"/c.db", clk)
	defer s.close()
	ctx := context.Background()
	if err := s.add(ctx, []string{"a"}, time.Minute); err != nil {
		t.Fatal(err)
	}
	clk.Advance(30 * time.Second)
	if err := s.add(ctx, []string{"a"}, time.Minute); err != nil {
		t.Fatal(err)
	}
	clk.Advance(29 * time.Second)
	if ok, _ := s.seen(ctx, "a"); !ok {
		t.Fatal("a not seen before its TTL")
	}
	clk.Advance(time.Second)
	found := []bool{true}
	if err := s.lookup(ctx, []string{"a"}, found); err != nil || found[0] {
		t.Fatalf("lookup(a) at its expiry = %v, %v; want false (the second add must not extend it)", found[0], err)
	}
	// c expires and is stored again before the next sweep: its old entry
	// stays until then, and the sweep must not forget the new one.
	if err := s.add(ctx, []string{"c"}, time.Second); err != nil { // sweeps a
		t.Fatal(err)
	}
	clk.Advance(2 * time.Second)
	if ok, _ := s.seen(ctx, "c"); ok {
		t.Fatal("c seen after its TTL")
	}
	if err := s.add(ctx, []string{"c"}, time.Minute); err != nil {
		t.Fatal(err)
	}
	if n := len(entryKeys(t, s)); n != 2 {
		t.Fatalf("%d entries, want c's expired one and its new one", n)
	}
	clk.Advance(sweepInterval)
	if err := s.add(ctx, []string{"b"}, time.Minute); err != nil {
		t.Fatal(err)
	}
	if n := len(entryKeys(t, s)); n != 2 {
		t.Errorf("after the sweep %d entries, want 2 (c again, b)", n)
	}
	if ok, _ := s.seen(ctx, "c"); !ok {
		t.Error("c stored again is forgotten after the sweep of its old entry")
	}
}

// TestLocalReopen: the hashes are loaded at open; the entries expired
// meanwhile are deleted then and not loaded.
func TestLocalReopen(t *testing.T) {
	clk := clock.NewManual(epoch)
	path := t.TempDir() + "/c.db"
	s := openTestStore(t, path, clk)
	ctx := context.Background()
	if err := s.add(ctx, []string{"short"}, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.add(ctx, []string{"long", "other"}, time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := s.add(ctx, []string{"forever"}, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.close(); err != nil {
		t.Fatal(err)
	}
	clk.Advance(2 * time.Minute)
	s = openTestStore(t, path, clk)
	defer s.close()
	for key, want := range map[string]bool{"short": false, "long": true, "other": true, "forever": true, "new": false} {
		if got, _ := s.seen(ctx, key); got != want {
			t.Errorf("after reopening seen(%s) = %v, want %v", key, got, want)
		}
	}
	if n := len(entryKeys(t, s)); n != 3 {
		t.Errorf("after reopening %d entries, want 3 (the expired one deleted)", n)
	}
	if s.live.len() != 3 {
		t.Errorf("after reopening %d hashes in memory, want 3", s.live.len())
	}
	clk.Advance(time.Hour)
	if got, _ := s.seen(ctx, "long"); got {
		t.Error("long seen after its TTL, counted from its first add")
	}
}

// TestLocalEntriesOrdered: the records are keyed by expiry, so later
// batches come after earlier ones and hashes without TTL last.
func TestLocalEntriesOrdered(t *testing.T) {
	clk := clock.NewManual(epoch)
	s := openTestStore(t, t.TempDir()+"/c.db", clk)
	defer s.close()
	ctx := context.Background()
	if err := s.add(ctx, []string{"z", "m", "a"}, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.add(ctx, []string{"forever"}, 0); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Second)
	if err := s.add(ctx, []string{"b", "a"}, time.Minute); err != nil { // a is kept with its first expiry
		t.Fatal(err)
	}
	// The clock did not move: the next batch still follows.
	if err := s.add(ctx, []string{"0"}, time.Minute); err != nil {
		t.Fatal(err)
	}
	first := uint64(epoch.Add(time.Minute).UnixNano())
	second := uint64(epoch.Add(time.Minute + time.Second).UnixNano())
	want := [][]byte{
		entryKey(nil, first, stored("a")),
		entryKey(nil, first, stored("m")),
		entryKey(nil, first, stored("z")),
		entryKey(nil, second, stored("b")),
		entryKey(nil, second+1, stored("0")),
		entryKey(nil, noExpiry, stored("forever")),
	}
	slices.SortFunc(want, bytes.Compare)
	got := entryKeys(t, s)
	// The file holds the records by expiry; within a record the order of
	// the hashes does not matter.
	for i := 1; i < len(got); i++ {
		if bytes.Compare(got[i-1][:8], got[i][:8]) > 0 {
			t.Errorf("entry %q stored before %q", got[i-1], got[i])
		}
	}
	slices.SortFunc(got, bytes.Compare)
	if !slices.EqualFunc(got, want, bytes.Equal) {
		t.Errorf("entries\n%q\nwant\n%q", got, want)
	}
	if n := recordCount(t, s); n != 4 {
		t.Errorf("%d records, want one per batch with new hashes (4)", n)
	}
}

// TestLocalEntriesLayoutConverted: a cache file of the layout with one key
// per hash (expiry then hash) is converted at open into one record per
// expiry, keeping its live hashes.
func TestLocalEntriesLayoutConverted(t *testing.T) {
	clk := clock.NewManual(epoch)
	path := t.TempDir() + "/c.db"
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	hour := uint64(epoch.Add(time.Hour).UnixNano())
	err = db.Update(func(tx *bolt.Tx) error {
		entries, err := tx.CreateBucket([]byte(oldBucketEntries))
		if err != nil {
			return err
		}
		meta, err := tx.CreateBucket([]byte(bucketMeta))
		if err != nil {
			return err
		}
		for _, k := range [][]byte{
			entryKey(nil, uint64(epoch.Add(-time.Hour).UnixNano()), []byte("expired")),
			entryKey(nil, hour, []byte("a")),
			entryKey(nil, hour, []byte("b")),
			entryKey(nil, noExpiry, []byte("forever")),
		} {
			if err := entries.Put(k, nil); err != nil {
				return err
			}
		}
		return meta.Put([]byte(keyClean), []byte{1})
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	s := openTestStore(t, path, clk)
	defer s.close()
	ctx := context.Background()
	for key, want := range map[string]bool{"a": true, "b": true, "expired": false, "forever": true} {
		if got, _ := s.seen(ctx, key); got != want {
			t.Errorf("after the conversion seen(%s) = %v, want %v", key, got, want)
		}
	}
	want := [][]byte{entryKey(nil, hour, stored("a")), entryKey(nil, hour, stored("b")), entryKey(nil, noExpiry, stored("forever"))}
	if got := entryKeys(t, s); !slices.EqualFunc(got, want, bytes.Equal) {
		t.Errorf("after the conversion\n%q\nwant\n%q", got, want)
	}
	if n := recordCount(t, s); n != 2 {
		t.Errorf("after the conversion %d records, want one per expiry (2)", n)
	}
	s.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket([]byte(oldBucketEntries)) != nil {
			t.Error("the former bucket remains after the conversion")
		}
		return nil
	})
}

// TestLocalOldLayoutConverted: a cache file of the former layout (hash →
// expiry) is converted at open, keeping its live hashes.
func TestLocalOldLayoutConverted(t *testing.T) {
	clk := clock.NewManual(epoch)
	path := t.TempDir() + "/c.db"
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	exp := func(d time.Duration) []byte {
		return binary.BigEndian.AppendUint64(nil, uint64(epoch.Add(d).UnixNano()))
	}
	err = db.Update(func(tx *bolt.Tx) error {
		hashes, err := tx.CreateBucket([]byte(oldBucketHashes))
		if err != nil {
			return err
		}
		expiries, err := tx.CreateBucket([]byte(oldBucketExpiries))
		if err != nil {
			return err
		}
		if _, err := tx.CreateBucket([]byte(bucketMeta)); err != nil {
			return err
		}
		for k, v := range map[string][]byte{"live": exp(time.Hour), "expired": exp(-time.Hour), "forever": make([]byte, 8)} {
			if err := hashes.Put([]byte(k), v); err != nil {
				return err
			}
			if err := expiries.Put(append(bytes.Clone(v), k...), nil); err != nil {
				return err
			}
		}
		return tx.Bucket([]byte(bucketMeta)).Put([]byte(keyClean), []byte{1})
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	s := openTestStore(t, path, clk)
	defer s.close()
	ctx := context.Background()
	for key, want := range map[string]bool{"live": true, "expired": false, "forever": true} {
		if got, _ := s.seen(ctx, key); got != want {
			t.Errorf("after the conversion seen(%s) = %v, want %v", key, got, want)
		}
	}
	if n := len(entryKeys(t, s)); n != 2 {
		t.Errorf("after the conversion %d entries, want 2", n)
	}
	s.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket([]byte(oldBucketHashes)) != nil || tx.Bucket([]byte(oldBucketExpiries)) != nil {
			t.Error("the former buckets remain after the conversion")
		}
		return nil
	})
}

func TestMemoryStoreExpires(t *testing.T) {
	clk := clock.NewManual(epoch)
	s := newMemoryStore(clk.Now)
	ctx := context.Background()
	s.add(ctx, []string{"a"}, time.Minute)
	if ok, _ := s.seen(ctx, "a"); !ok {
		t.Fatal("a not seen")
	}
	clk.Advance(time.Minute)
	if ok, _ := s.seen(ctx, "a"); ok {
		t.Error("a seen after its TTL")
	}
}

func TestBypass(t *testing.T) {
	bc, _ := newContext(t, "", "")
	e := start(t, bc, map[string]any{paramBypass: true})
	a := event(t, "source.ip", "192.0.2.1")
	if n := process(t, e, a, a, a); n != 3 {
		t.Errorf("bypass forwarded %d of 3", n)
	}
}

// TestCacheChoice checks where "auto" keeps the hashes.
func TestCacheChoice(t *testing.T) {
	url := redistest.Start(t)
	tests := []struct {
		name      string
		redisURL  string
		stateDir  string
		params    map[string]any
		wantStore string
	}{
		{"no redis, no state dir", "", "", nil, "*deduplicator.memoryStore"},
		{"no redis, state dir", "", t.TempDir(), nil, "*deduplicator.boltStore"},
		{"pipeline on redis", url + "?db=2", t.TempDir(), nil, "*deduplicator.streamStore"},
		{"explicit url", "", "", map[string]any{paramRedisURL: url}, "*deduplicator.streamStore"},
		{"intelmq layout", url + "?db=2", "", map[string]any{paramLayout: layoutIntelMQ}, "*deduplicator.redisStore"},
		{"local forced", url, t.TempDir(), map[string]any{paramCache: "local"}, "*deduplicator.boltStore"},
	}
	for _, tt := range tests {
		bc, _ := newContext(t, tt.redisURL, tt.stateDir)
		e := start(t, bc, tt.params)
		if got := fmt.Sprintf("%T", e.store); got != tt.wantStore {
			t.Errorf("%s: store %s, want %s", tt.name, got, tt.wantStore)
		}
		var client *redis.Client
		switch s := e.store.(type) {
		case *redisStore:
			client = s.client
		case *streamStore:
			client = s.client
		}
		if client != nil && client.Options().DB != 6 {
			t.Errorf("%s: Redis database %d, want 6", tt.name, client.Options().DB)
		}
	}
}

func TestInvalidParameters(t *testing.T) {
	if _, err := New(&botapi.Context{}, botapi.MapParams{paramFilterType: "greylist"}); err == nil {
		t.Error("filter_type greylist accepted")
	}
	bot, err := New(&botapi.Context{}, botapi.MapParams{paramFilterType: "blacklist", paramCache: "disk"})
	if err != nil {
		t.Fatal(err)
	}
	if err := bot.(*Expert).Validate(); err == nil {
		t.Error("cache disk accepted")
	}
	bot, err = New(&botapi.Context{}, botapi.MapParams{paramFilterType: "blacklist", paramCache: "auto", paramLayout: "keys"})
	if err != nil {
		t.Fatal(err)
	}
	if err := bot.(*Expert).Validate(); err == nil || !strings.Contains(err.Error(), paramLayout) {
		t.Errorf("redis_cache_layout keys: error %v, want one naming %s", err, paramLayout)
	}
}

func TestRedisUnreachable(t *testing.T) {
	bc, _ := newContext(t, "", "")
	params, _ := conformance.Params(Spec(), map[string]any{paramRedisURL: "unix://" + t.TempDir() + "/none.sock"})
	bot, err := New(bc, params)
	if err != nil {
		t.Fatal(err)
	}
	if err := bot.(*Expert).Start(context.Background()); err == nil || errors.Is(err, botapi.ErrFatal) {
		t.Errorf("Start against a missing Redis: error = %v, want a retryable error", err)
	}
}

// TestPreparedBatch: with the batch looked up by Prepare (as the runner
// does), known events are dropped, a duplicate within the batch is dropped
// and a new one passes, on Redis and on the local cache.
func TestPreparedBatch(t *testing.T) {
	url := redistest.Start(t)
	for _, c := range []struct{ name, redis, state, layout string }{
		{"redis", url, "", layoutStream},
		{"redis-intelmq", url, "", layoutIntelMQ},
		{"local", "", t.TempDir(), layoutStream},
	} {
		t.Run(c.name, func(t *testing.T) {
			bc, _ := newContext(t, c.redis, c.state)
			e := start(t, bc, map[string]any{paramLayout: c.layout})
			ctx := context.Background()
			a := event(t, "source.ip", "192.0.2.1")
			if err := e.Prepare(ctx, []*message.Message{a}); err != nil {
				t.Fatal(err)
			}
			if n := process(t, e, a); n != 1 {
				t.Fatalf("forwarded %d of a new event, want 1", n)
			}
			if err := e.Flush(ctx); err != nil {
				t.Fatal(err)
			}
			batch := []*message.Message{a.Clone(), event(t, "source.ip", "192.0.2.2"), event(t, "source.ip", "192.0.2.2")}
			if err := e.Prepare(ctx, batch); err != nil {
				t.Fatal(err)
			}
			if n := process(t, e, batch...); n != 1 {
				t.Errorf("forwarded %d of a known event and a new one twice, want 1", n)
			}
			// An event the runner decoded anew (a retry) is looked up alone.
			if n := process(t, e, event(t, "source.ip", "192.0.2.1")); n != 0 {
				t.Errorf("forwarded %d of an unprepared known event, want 0", n)
			}
		})
	}
}

// TestDamagedLocalCacheIsMovedAside: a cache file bbolt cannot open is
// moved aside and the bot starts with an empty cache instead of failing.
func TestDamagedLocalCacheIsMovedAside(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, localCacheFile)
	if err := os.WriteFile(path, bytes.Repeat([]byte("not a bbolt file "), 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	bc, _ := newContext(t, "", dir)
	e := start(t, bc, nil)
	if n := process(t, e, event(t, "source.ip", "192.0.2.1")); n != 1 {
		t.Fatalf("forwarded %d, want 1", n)
	}
	aside, _ := filepath.Glob(path + ".damaged-*")
	if len(aside) != 1 {
		t.Errorf("damaged files moved aside: %v, want one", aside)
	}
}

// TestLocalFailedAddForgets: hashes whose write failed are not seen, and
// an expired hash the failed write would have renewed stays expired.
func TestLocalFailedAddForgets(t *testing.T) {
	clk := clock.NewManual(epoch)
	s := openTestStore(t, t.TempDir()+"/c.db", clk)
	ctx := context.Background()
	if err := s.add(ctx, []string{"old", "kept"}, time.Minute); err != nil {
		t.Fatal(err)
	}
	clk.Advance(30 * time.Second)
	if err := s.add(ctx, []string{"kept"}, time.Hour); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute) // "old" and "kept" expired; nothing swept yet
	if err := s.db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.add(ctx, []string{"new", "old"}, time.Hour); err == nil {
		t.Fatal("add on a closed file succeeded")
	}
	for key, want := range map[string]bool{"new": false, "old": false, "kept": false} {
		if got, _ := s.seen(ctx, key); got != want {
			t.Errorf("seen(%q) = %v, want %v", key, got, want)
		}
	}
	if _, ok := s.live.get("new"); ok {
		t.Error(`"new" is kept in memory after the failed add`)
	}
	if exp, ok := s.live.get("old"); !ok || exp != uint64(epoch.Add(time.Minute).UnixNano()) {
		t.Errorf(`"old" in memory: %d, %v; want its former expiry`, exp, ok)
	}
}

// TestHashOfDecodedEvent: an event decoded from the wire (whose plain
// values the hash copies as they are) and the same event built field by
// field hash alike, to the value Python IntelMQ computes.
func TestHashOfDecodedEvent(t *testing.T) {
	const want = "d12c36e6eb322187a7c43403427e6c42a894e765fab2d907cb7503dbad8cc34e"
	wire := `{"__type": "Event", "time.observation": "2024-01-01T00:00:00+00:00", "source.port": 443, ` +
		`"event_description.text": "it's", "classification.identifier": "zeus"}`
	decoded, err := message.Decode(harmonization.Default(), []byte(wire))
	if err != nil {
		t.Fatal(err)
	}
	built := event(t, "classification.identifier", "zeus", "event_description.text", "it's", "source.port", "443")
	for name, m := range map[string]*message.Message{"decoded": decoded, "built": built} {
		if got := m.Hash(nil, false); got != want {
			t.Errorf("%s: Hash = %s, want %s", name, got, want)
		}
		var h message.Hasher
		for range 2 { // the second time with the Hasher's reused buffers
			if sum := h.Sum(m, nil, false); hex.EncodeToString(sum[:]) != want {
				t.Errorf("%s: Hasher.Sum = %x, want %s", name, sum, want)
			}
		}
	}
}

// gatedStore is a store whose adds run concurrently and wait for a gate:
// a stand-in for a Redis that is slow to answer, or fails.
type gatedStore struct {
	*memoryStore
	gate  chan error // each add waits for a value: nil stores, else fails
	added chan []string
}

func (s *gatedStore) add(ctx context.Context, keys []string, ttl time.Duration) error {
	if err := <-s.gate; err != nil {
		return err
	}
	s.added <- slices.Clone(keys)
	return s.memoryStore.add(ctx, keys, ttl)
}

func (s *gatedStore) concurrent() bool { return true }

// TestFlushDoesNotWaitForTheCache: with a cache that is written while the
// next batch runs (Redis), Flush returns before the hashes are stored;
// the next batch still drops the events forwarded, the next Flush waits
// for the store, and a failed store is made again by the next Flush.
func TestFlushDoesNotWaitForTheCache(t *testing.T) {
	bc, _ := newContext(t, "", "")
	e := start(t, bc, nil)
	gs := &gatedStore{memoryStore: newMemoryStore(bc.Clock.Now), gate: make(chan error, 1), added: make(chan []string, 4)}
	e.store = gs
	ctx := context.Background()
	a, b := event(t, "source.ip", "192.0.2.1"), event(t, "source.ip", "192.0.2.2")
	ha := a.Hash(e.filterKeys, false)

	if n := process(t, e, a); n != 1 {
		t.Fatalf("forwarded %d of a, want 1", n)
	}
	if err := e.Flush(ctx); err != nil { // the store waits at the gate
		t.Fatal(err)
	}
	if n := process(t, e, a.Clone(), b); n != 1 {
		t.Fatalf("while a's hash is being stored, forwarded %d of a and b; want b only", n)
	}
	gs.gate <- errors.New("cache down") // a's store fails
	gs.gate <- nil                      // and is made again, with b's
	if err := e.Flush(ctx); err == nil {
		t.Fatal("Flush did not report the failed store")
	}
	if err := e.Flush(ctx); err != nil { // the runner's retry
		t.Fatal(err)
	}
	if err := e.settle(); err != nil {
		t.Fatal(err)
	}
	added := <-gs.added
	slices.Sort(added)
	// Stores that keep hashes in memory get their first 16 bytes.
	want := []string{string(stored(ha)), string(stored(b.Hash(e.filterKeys, false)))}
	if !slices.Equal(added, sortedCopy(want)) {
		t.Errorf("stored %x, want a's and b's hashes %x", added, want)
	}
	if len(e.pending) != 0 {
		t.Errorf("%d hashes still pending after the store", len(e.pending))
	}
	if n := process(t, e, a.Clone(), b.Clone()); n != 0 {
		t.Errorf("after the store forwarded %d known events, want 0", n)
	}
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}
