// SPDX-License-Identifier: AGPL-3.0-or-later

package deduplicator

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"os"
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

// Buckets of the local store: hashes maps a hash to its expiry (8 bytes,
// Unix nanoseconds, 0 for none); expiries indexes expiry+hash so expired
// hashes are found without a full scan; meta holds the clean-stop mark.
const (
	bucketHashes   = "hashes"
	bucketExpiries = "expiries"
	bucketMeta     = "meta"
	keyClean       = "clean"
)

// sweepLimit bounds how many expired hashes one add removes, so a large
// backlog is cleaned over several batches.
const sweepLimit = 10000

// frontLimit is the size of each generation of the in-memory front cache.
const frontLimit = 1 << 16

// minFilterCapacity is the smallest number of hashes the Bloom filter is
// sized for.
const minFilterCapacity = 1 << 20

// boltStore keeps the hashes in a bbolt file in the bot's state directory,
// for pipelines without Redis. It survives restarts like the Redis cache.
//
// The file is written once per batch without fsync: a hash lost in a
// machine crash only lets a duplicate pass, which at-least-once delivery
// permits. A clean stop syncs the file and marks it clean; a file not
// marked clean is checked when it is opened and, if damaged, moved aside
// (the cache then starts empty). In front of the file are a Bloom filter of
// every stored hash (a new hash is mostly answered without reading the
// file) and a two-generation cache of the hashes used recently.
type boltStore struct {
	db     *bolt.DB
	now    func() time.Time
	front  frontCache
	filter *bloom
	key    []byte // scratch
	miss   []int  // scratch
}

func openBoltStore(path string, now func() time.Time) (*boltStore, error) {
	db, err := openCheckedBolt(path)
	if err != nil {
		return nil, err
	}
	s := &boltStore{db: db, now: now, front: newFrontCache(frontLimit)}
	if err := s.rebuildFilter(0); err != nil {
		db.Close()
		return nil, fmt.Errorf("reading the local cache %s: %w", path, err)
	}
	return s, nil
}

// openCheckedBolt opens the cache file, moving a damaged one aside, and
// clears its clean mark so a crash from now on is detected.
func openCheckedBolt(path string) (*bolt.DB, error) {
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
		if db, err = bolt.Open(path, 0o600, opts); err != nil {
			return nil, fmt.Errorf("opening the local cache %s: %w", path, err)
		}
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range []string{bucketHashes, bucketExpiries, bucketMeta} {
			if _, err := tx.CreateBucketIfNotExists([]byte(b)); err != nil {
				return err
			}
		}
		return tx.Bucket([]byte(bucketMeta)).Delete([]byte(keyClean))
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("preparing the local cache %s: %w", path, err)
	}
	db.NoSync = true
	return db, nil
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
		if tx.Bucket([]byte(bucketHashes)) == nil && meta == nil {
			return nil // new, or an old file without the mark: checked below only if it has hashes
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

// rebuildFilter sizes the Bloom filter for twice the stored hashes (at
// least minFilterCapacity and want) and fills it from the file.
func (s *boltStore) rebuildFilter(want int) error {
	return s.db.View(func(tx *bolt.Tx) error {
		hashes := tx.Bucket([]byte(bucketHashes))
		n := hashes.Stats().KeyN
		f := newBloom(max(minFilterCapacity, 2*n, want))
		c := hashes.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			f.add(k)
		}
		s.filter = f
		return nil
	})
}

func (s *boltStore) seen(ctx context.Context, key string) (bool, error) {
	var found [1]bool
	err := s.lookup(ctx, []string{key}, found[:])
	return found[0], err
}

// lookup answers from the front cache and the Bloom filter, and reads the
// rest in one transaction.
func (s *boltStore) lookup(_ context.Context, keys []string, found []bool) error {
	now := s.now().UnixNano()
	s.miss = s.miss[:0]
	for i, k := range keys {
		found[i] = false
		if exp, ok := s.front.get(k); ok {
			found[i] = liveAt(exp, now)
			continue
		}
		s.key = append(s.key[:0], k...)
		if s.filter.mayContain(s.key) {
			s.miss = append(s.miss, i)
		}
	}
	if len(s.miss) == 0 {
		return nil
	}
	return s.db.View(func(tx *bolt.Tx) error {
		hashes := tx.Bucket([]byte(bucketHashes))
		for _, i := range s.miss {
			s.key = append(s.key[:0], keys[i]...)
			v := hashes.Get(s.key)
			if len(v) != 8 {
				continue
			}
			exp := int64(binary.BigEndian.Uint64(v))
			s.front.put(keys[i], exp)
			found[i] = liveAt(exp, now)
		}
		return nil
	})
}

// live reports whether a stored expiry lies after now.
func live(v []byte, now int64) bool {
	if len(v) != 8 {
		return false
	}
	return liveAt(int64(binary.BigEndian.Uint64(v)), now)
}

func liveAt(exp, now int64) bool { return exp == 0 || exp > now }

func (s *boltStore) add(_ context.Context, keys []string, ttl time.Duration) error {
	now := s.now().UnixNano()
	var exp int64
	if ttl > 0 {
		exp = now + int64(ttl)
	}
	var stored []string
	err := s.db.Update(func(tx *bolt.Tx) error {
		stored = stored[:0]
		hashes, expiries := tx.Bucket([]byte(bucketHashes)), tx.Bucket([]byte(bucketExpiries))
		if err := sweep(hashes, expiries, now); err != nil {
			return err
		}
		var val [8]byte
		binary.BigEndian.PutUint64(val[:], uint64(exp))
		for _, k := range keys {
			if e, ok := s.front.get(k); ok && liveAt(e, now) {
				continue
			}
			s.key = append(s.key[:0], k...)
			if s.filter.mayContain(s.key) {
				if v := hashes.Get(s.key); v != nil && live(v, now) {
					continue
				}
			}
			// bbolt keeps the key until the commit: not the scratch buffer.
			if err := hashes.Put([]byte(k), val[:]); err != nil {
				return err
			}
			if exp != 0 {
				if err := expiries.Put(append(val[:], k...), nil); err != nil {
					return err
				}
			}
			stored = append(stored, k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range stored {
		s.front.put(k, exp)
		s.key = append(s.key[:0], k...)
		s.filter.add(s.key)
	}
	if s.filter.full() {
		return s.rebuildFilter(2 * s.filter.n)
	}
	return nil
}

// sweep deletes up to sweepLimit hashes that expired at or before now.
func sweep(hashes, expiries *bolt.Bucket, now int64) error {
	c := expiries.Cursor()
	var doomed [][]byte
	for k, _ := c.First(); k != nil && len(doomed) < sweepLimit; k, _ = c.Next() {
		if len(k) < 8 || int64(binary.BigEndian.Uint64(k[:8])) > now {
			break
		}
		doomed = append(doomed, append([]byte(nil), k...))
	}
	for _, k := range doomed {
		if err := expiries.Delete(k); err != nil {
			return err
		}
		// Delete the hash only if it was not stored again with a later expiry.
		if v := hashes.Get(k[8:]); v != nil && string(v) == string(k[:8]) {
			if err := hashes.Delete(k[8:]); err != nil {
				return err
			}
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

// frontCache remembers the expiry of recently used hashes in two
// generations: when the current one is full it becomes the old one, and a
// hash found in the old one moves back to the current one.
type frontCache struct {
	cur, old map[string]int64
	limit    int
}

func newFrontCache(limit int) frontCache {
	return frontCache{cur: make(map[string]int64, limit), old: make(map[string]int64, limit), limit: limit}
}

func (c *frontCache) get(k string) (int64, bool) {
	if v, ok := c.cur[k]; ok {
		return v, true
	}
	if v, ok := c.old[k]; ok {
		c.put(k, v)
		return v, true
	}
	return 0, false
}

func (c *frontCache) put(k string, exp int64) {
	if _, ok := c.cur[k]; !ok && len(c.cur) >= c.limit {
		clear(c.old)
		c.old, c.cur = c.cur, c.old
	}
	c.cur[k] = exp
}

// bloom is a Bloom filter of about 1% false positives at its capacity.
type bloom struct {
	bits     []uint64
	capacity int
	n        int
	seed     maphash.Seed
}

const bloomProbes = 7

func newBloom(capacity int) *bloom {
	words := (capacity*10 + 63) / 64
	return &bloom{bits: make([]uint64, words), capacity: capacity, seed: maphash.MakeSeed()}
}

func (f *bloom) probes(k []byte) (h1, h2, m uint64) {
	h := maphash.Bytes(f.seed, k)
	return h, h>>32 | h<<32 | 1, uint64(len(f.bits)) * 64
}

func (f *bloom) add(k []byte) {
	h, d, m := f.probes(k)
	for range bloomProbes {
		i := h % m
		f.bits[i/64] |= 1 << (i % 64)
		h += d
	}
	f.n++
}

func (f *bloom) mayContain(k []byte) bool {
	h, d, m := f.probes(k)
	for range bloomProbes {
		i := h % m
		if f.bits[i/64]&(1<<(i%64)) == 0 {
			return false
		}
		h += d
	}
	return true
}

// full reports whether more hashes were added than the filter was sized for.
func (f *bloom) full() bool { return f.n > f.capacity }

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
