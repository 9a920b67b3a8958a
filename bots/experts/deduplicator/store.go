// SPDX-License-Identifier: AGPL-3.0-or-later

package deduplicator

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	bolt "go.etcd.io/bbolt"
)

// store is where the deduplicator remembers the hashes it has seen.
type store interface {
	// seen reports whether key is stored and not expired.
	seen(ctx context.Context, key string) (bool, error)
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
// hashes are found without a full scan.
const (
	bucketHashes   = "hashes"
	bucketExpiries = "expiries"
)

// sweepLimit bounds how many expired hashes one add removes, so a large
// backlog is cleaned over several batches.
const sweepLimit = 10000

// boltStore keeps the hashes in a bbolt file in the bot's state directory,
// for pipelines without Redis. It survives restarts like the Redis cache.
type boltStore struct {
	db  *bolt.DB
	now func() time.Time
}

func openBoltStore(path string, now func() time.Time) (*boltStore, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("opening the local cache %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range []string{bucketHashes, bucketExpiries} {
			if _, err := tx.CreateBucketIfNotExists([]byte(b)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("preparing the local cache %s: %w", path, err)
	}
	return &boltStore{db: db, now: now}, nil
}

func (s *boltStore) seen(_ context.Context, key string) (bool, error) {
	now := s.now().UnixNano()
	var found bool
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket([]byte(bucketHashes)).Get([]byte(key))
		found = v != nil && live(v, now)
		return nil
	})
	return found, err
}

// live reports whether a stored expiry lies after now.
func live(v []byte, now int64) bool {
	if len(v) != 8 {
		return false
	}
	exp := int64(binary.BigEndian.Uint64(v))
	return exp == 0 || exp > now
}

func (s *boltStore) add(_ context.Context, keys []string, ttl time.Duration) error {
	now := s.now().UnixNano()
	var exp int64
	if ttl > 0 {
		exp = now + int64(ttl)
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		hashes, expiries := tx.Bucket([]byte(bucketHashes)), tx.Bucket([]byte(bucketExpiries))
		if err := sweep(hashes, expiries, now); err != nil {
			return err
		}
		var val [8]byte
		binary.BigEndian.PutUint64(val[:], uint64(exp))
		for _, k := range keys {
			if v := hashes.Get([]byte(k)); v != nil && live(v, now) {
				continue
			}
			if err := hashes.Put([]byte(k), val[:]); err != nil {
				return err
			}
			if exp != 0 {
				if err := expiries.Put(append(val[:], k...), nil); err != nil {
					return err
				}
			}
		}
		return nil
	})
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

func (s *boltStore) close() error { return s.db.Close() }

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
