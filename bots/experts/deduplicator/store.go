// SPDX-License-Identifier: AGPL-3.0-or-later

package deduplicator

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	bolt "go.etcd.io/bbolt"
)

// store is where the deduplicator remembers the hashes it has seen.
type store interface {
	// seen reports whether key is stored and not expired.
	seen(ctx context.Context, key string) (bool, error)
	// lookup sets found[i] to whether keys[i] is stored and not expired,
	// in one round trip.
	lookup(ctx context.Context, keys []string, found []bool) error
	// add stores each key for ttl (0: without expiry) unless it is already
	// stored; an existing key keeps its expiry, as with IntelMQ's cache.
	add(ctx context.Context, keys []string, ttl time.Duration) error
	// close releases the connection or file.
	close() error
}

// cacheValue is the value IntelMQ's deduplicator stores under each hash.
const cacheValue = "hash"

// redisStore keeps the hashes in Redis, as IntelMQ does: one key per hash
// (the hex SHA-256), value "hash", expiring after the TTL. A cache can
// therefore be shared with Python IntelMQ deduplicators.
type redisStore struct {
	client *redis.Client
}

func (s *redisStore) seen(ctx context.Context, key string) (bool, error) {
	n, err := s.client.Exists(ctx, key).Result()
	if err != nil {
		return false, fmt.Errorf("looking up the hash in Redis: %w", err)
	}
	return n > 0, nil
}

// mgetChunk bounds the keys of one MGET.
const mgetChunk = 1000

// lookup reads the keys with MGET, pipelined in chunks: one round trip.
func (s *redisStore) lookup(ctx context.Context, keys []string, found []bool) error {
	if len(keys) == 0 {
		return nil
	}
	cmds, err := s.client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i := 0; i < len(keys); i += mgetChunk {
			p.MGet(ctx, keys[i:min(i+mgetChunk, len(keys))]...)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("looking up %d hashes in Redis: %w", len(keys), err)
	}
	i := 0
	for _, c := range cmds {
		for _, v := range c.(*redis.SliceCmd).Val() {
			found[i] = v != nil
			i++
		}
	}
	return nil
}

func (s *redisStore) add(ctx context.Context, keys []string, ttl time.Duration) error {
	if len(keys) == 0 {
		return nil
	}
	_, err := s.client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, k := range keys {
			p.SetNX(ctx, k, cacheValue, ttl)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("storing %d hashes in Redis: %w", len(keys), err)
	}
	return nil
}

func (s *redisStore) close() error { return s.client.Close() }

// Buckets of the local store: entries holds one key per stored hash, the
// hash's expiry (8 bytes big-endian, Unix nanoseconds, noExpiry for none)
// followed by the hash, with an empty value, so the file is ordered by
// expiry; meta holds the clean-stop mark. hashes and expiries are the
// buckets of the former layout (hash → expiry, expiry+hash → nothing),
// converted when such a file is opened.
const (
	bucketEntries     = "entries"
	bucketMeta        = "meta"
	keyClean          = "clean"
	oldBucketHashes   = "hashes"
	oldBucketExpiries = "expiries"
)

// noExpiry is the expiry of a hash stored without TTL: it sorts after
// every real expiry and never passes.
const noExpiry = math.MaxUint64

// sweepLimit bounds how many expired entries one add removes, so a large
// backlog is cleaned over several batches.
const sweepLimit = 10000

// sweepInterval is how often (by the bot's clock) add removes the expired
// entries from the start of the file.
const sweepInterval = 10 * time.Second

// entriesFillPercent fills the pages of the entries bucket almost fully:
// entries are appended at its end, so a split page is not written again.
const entriesFillPercent = 0.95

// boltStore keeps the hashes in a bbolt file in the bot's state directory,
// for pipelines without Redis. It survives restarts like the Redis cache.
//
// The file is keyed by expiry then hash, so a batch's new entries (which
// share one expiry, later than every stored one) are appended at the end
// of the file in key order, and expired entries are deleted as a range at
// its start. The live hashes and their expiries are also kept in memory,
// loaded by one scan at open: lookups never read the file.
//
// The file is written once per batch without fsync: a hash lost in a
// machine crash only lets a duplicate pass, which at-least-once delivery
// permits. A clean stop syncs the file and marks it clean; a file not
// marked clean is checked when it is opened and, if damaged, moved aside
// (the cache then starts empty).
type boltStore struct {
	db        *bolt.DB
	now       func() time.Time
	live      map[string]uint64 // hash → expiry (noExpiry: none)
	lastExp   uint64            // the latest expiry stored, but noExpiry
	nextSweep int64
	sorted    []string // scratch
}

// openBoltStore opens the cache file at path, converting a file of the
// former layout, and loads the live hashes. log may be nil.
func openBoltStore(path string, now func() time.Time, log *slog.Logger) (*boltStore, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	db, err := openCheckedBolt(path, log)
	if err != nil {
		return nil, err
	}
	s := &boltStore{db: db, now: now, live: map[string]uint64{}}
	if err := s.load(); err != nil {
		db.Close()
		return nil, fmt.Errorf("reading the local cache %s: %w", path, err)
	}
	return s, nil
}

// openCheckedBolt opens the cache file, moving a damaged one aside and
// converting one of the former layout, and clears its clean mark so a
// crash from now on is detected.
func openCheckedBolt(path string, log *slog.Logger) (*bolt.DB, error) {
	opts := &bolt.Options{Timeout: 5 * time.Second, NoFreelistSync: true}
	db, err := bolt.Open(path, 0o600, opts)
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("opening the local cache %s: it is in use by another process", path)
	}
	if err != nil || !intact(db) {
		if db != nil {
			db.Close()
		}
		aside := fmt.Sprintf("%s.damaged-%d", path, time.Now().UnixNano())
		if rerr := os.Rename(path, aside); rerr != nil {
			return nil, fmt.Errorf("opening the local cache %s: %v; moving it aside: %w", path, err, rerr)
		}
		log.Warn(fmt.Sprintf("The local cache %s was damaged; moved it aside as %s and starting with an empty cache.", path, aside))
		if db, err = bolt.Open(path, 0o600, opts); err != nil {
			return nil, fmt.Errorf("opening the local cache %s: %w", path, err)
		}
	}
	converted := -1
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range []string{bucketEntries, bucketMeta} {
			if _, err := tx.CreateBucketIfNotExists([]byte(b)); err != nil {
				return err
			}
		}
		if tx.Bucket([]byte(oldBucketHashes)) != nil {
			n, err := convertOldLayout(tx)
			if err != nil {
				return err
			}
			converted = n
		}
		return tx.Bucket([]byte(bucketMeta)).Delete([]byte(keyClean))
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("preparing the local cache %s: %w", path, err)
	}
	if converted >= 0 {
		log.Info(fmt.Sprintf("Converted the local cache %s to the layout ordered by expiry (%d hashes).", path, converted))
	}
	db.NoSync = true
	return db, nil
}

// convertOldLayout moves the hashes of the former layout (hash → expiry,
// 0 for none) into the entries bucket, in key order, and drops the former
// buckets. It returns how many hashes it moved.
func convertOldLayout(tx *bolt.Tx) (int, error) {
	var keys [][]byte
	err := tx.Bucket([]byte(oldBucketHashes)).ForEach(func(k, v []byte) error {
		if len(v) != 8 {
			return nil
		}
		exp := binary.BigEndian.Uint64(v)
		if exp == 0 {
			exp = noExpiry
		}
		keys = append(keys, entryKey(nil, exp, k))
		return nil
	})
	if err != nil {
		return 0, err
	}
	slices.SortFunc(keys, bytes.Compare)
	entries := tx.Bucket([]byte(bucketEntries))
	entries.FillPercent = entriesFillPercent
	for _, k := range keys {
		if err := entries.Put(k, nil); err != nil {
			return 0, err
		}
	}
	for _, b := range []string{oldBucketHashes, oldBucketExpiries} {
		if err := tx.DeleteBucket([]byte(b)); err != nil && !errors.Is(err, bolt.ErrBucketNotFound) {
			return 0, err
		}
	}
	return len(keys), nil
}

// entryKey appends the entries key of hash with expiry exp to dst.
func entryKey(dst []byte, exp uint64, hash []byte) []byte {
	dst = binary.BigEndian.AppendUint64(dst, exp)
	return append(dst, hash...)
}

// intact reports whether db was stopped cleanly, or else passes bbolt's
// consistency check. An empty (new) file is intact.
func intact(db *bolt.DB) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	err := db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket([]byte(bucketMeta))
		if meta != nil && meta.Get([]byte(keyClean)) != nil {
			return nil
		}
		if meta == nil && tx.Bucket([]byte(bucketEntries)) == nil && tx.Bucket([]byte(oldBucketHashes)) == nil {
			return nil // new
		}
		for err := range tx.Check() {
			if err != nil {
				return err
			}
		}
		return nil
	})
	return err == nil
}

// nowNanos is the bot clock's time as the unsigned nanoseconds of the
// entries' keys.
func (s *boltStore) nowNanos() uint64 {
	return uint64(max(s.now().UnixNano(), 0))
}

// load deletes the entries expired by now, a range at the start of the
// file, and reads the others into memory, in one scan.
func (s *boltStore) load() error {
	now := s.nowNanos()
	return s.db.Update(func(tx *bolt.Tx) error {
		entries := tx.Bucket([]byte(bucketEntries))
		entries.FillPercent = entriesFillPercent
		if _, err := sweep(entries, now, -1, nil); err != nil {
			return err
		}
		return entries.ForEach(func(k, _ []byte) error {
			if len(k) < 8 {
				return nil
			}
			exp, h := binary.BigEndian.Uint64(k[:8]), string(k[8:])
			if old, ok := s.live[h]; !ok || exp > old {
				s.live[h] = exp
			}
			if exp != noExpiry {
				s.lastExp = max(s.lastExp, exp)
			}
			return nil
		})
	})
}

// sweep deletes the entries that expired at or before now from the start
// of the bucket, at most limit of them unless limit is negative, and
// forgets their hashes in live unless stored again since. It reports
// whether it stopped at the limit.
func sweep(entries *bolt.Bucket, now uint64, limit int, live map[string]uint64) (more bool, err error) {
	c := entries.Cursor()
	for n := 0; ; n++ {
		k, _ := c.First()
		if k == nil || (len(k) >= 8 && binary.BigEndian.Uint64(k[:8]) > now) {
			return false, nil
		}
		if limit >= 0 && n >= limit {
			return true, nil
		}
		if len(k) >= 8 && live != nil {
			h := string(k[8:])
			if exp, ok := live[h]; ok && exp == binary.BigEndian.Uint64(k[:8]) {
				delete(live, h)
			}
		}
		if err := c.Delete(); err != nil {
			return false, err
		}
	}
}

func (s *boltStore) seen(_ context.Context, key string) (bool, error) {
	exp, ok := s.live[key]
	return ok && exp > s.nowNanos(), nil
}

// lookup answers from memory.
func (s *boltStore) lookup(_ context.Context, keys []string, found []bool) error {
	now := s.nowNanos()
	for i, k := range keys {
		exp, ok := s.live[k]
		found[i] = ok && exp > now
	}
	return nil
}

// add appends the new hashes' entries in key order in one transaction,
// after deleting expired entries when a sweep is due. A batch's expiry is
// kept after the previous batch's, so its entries follow the stored ones
// even when the clock did not move (or went back): the TTL is then longer
// by a nanosecond per batch (or by the step back).
func (s *boltStore) add(_ context.Context, keys []string, ttl time.Duration) error {
	nowTime := s.now()
	now := s.nowNanos()
	exp := uint64(noExpiry)
	if ttl > 0 {
		exp = max(now+uint64(ttl), s.lastExp+1)
	}
	s.sorted = s.sorted[:0]
	size := 0
	for _, k := range keys {
		if e, ok := s.live[k]; ok && e > now {
			continue // an existing hash keeps its expiry
		}
		s.sorted = append(s.sorted, k)
		size += 8 + len(k)
	}
	sweepDue := nowTime.UnixNano() >= s.nextSweep
	if len(s.sorted) == 0 && !sweepDue {
		return nil
	}
	slices.Sort(s.sorted)
	s.sorted = slices.Compact(s.sorted)
	// bbolt keeps the keys until the commit: one buffer for the batch.
	buf := make([]byte, 0, size)
	more := false
	err := s.db.Update(func(tx *bolt.Tx) error {
		entries := tx.Bucket([]byte(bucketEntries))
		entries.FillPercent = entriesFillPercent
		if sweepDue {
			var err error
			if more, err = sweep(entries, now, sweepLimit, s.live); err != nil {
				return err
			}
		}
		for _, k := range s.sorted {
			start := len(buf)
			buf = entryKey(buf, exp, []byte(k))
			if err := entries.Put(buf[start:len(buf):len(buf)], nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range s.sorted {
		s.live[k] = exp
	}
	if exp != noExpiry && len(s.sorted) > 0 {
		s.lastExp = exp
	}
	if sweepDue {
		s.nextSweep = nowTime.Add(sweepInterval).UnixNano()
		if more {
			s.nextSweep = nowTime.UnixNano()
		}
	}
	return nil
}

// close syncs the file, marks it clean and closes it.
func (s *boltStore) close() error {
	s.db.NoSync = false
	err := s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte(bucketMeta)).Put([]byte(keyClean), []byte{1})
	})
	return errors.Join(err, s.db.Close())
}

// memoryStore keeps the hashes in memory, for tests and for bots without a
// state directory; it is lost when the process ends.
type memoryStore struct {
	mu        sync.Mutex
	now       func() time.Time
	expires   map[string]time.Time // zero time: no expiry
	lastSweep time.Time
}

func newMemoryStore(now func() time.Time) *memoryStore {
	return &memoryStore{now: now, expires: map[string]time.Time{}}
}

func (s *memoryStore) seen(_ context.Context, key string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.expires[key]
	return ok && (exp.IsZero() || exp.After(s.now())), nil
}

func (s *memoryStore) lookup(ctx context.Context, keys []string, found []bool) error {
	for i, k := range keys {
		found[i], _ = s.seen(ctx, k)
	}
	return nil
}

func (s *memoryStore) add(_ context.Context, keys []string, ttl time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if now.Sub(s.lastSweep) >= time.Minute {
		for k, exp := range s.expires {
			if !exp.IsZero() && !exp.After(now) {
				delete(s.expires, k)
			}
		}
		s.lastSweep = now
	}
	for _, k := range keys {
		if exp, ok := s.expires[k]; ok && (exp.IsZero() || exp.After(now)) {
			continue
		}
		var exp time.Time
		if ttl > 0 {
			exp = now.Add(ttl)
		}
		s.expires[k] = exp
	}
	return nil
}

func (s *memoryStore) close() error { return nil }

// errClosed is returned when the store is used before Start or after Close.
var errClosed = errors.New("the deduplicator's cache is not open")
