// SPDX-License-Identifier: AGPL-3.0-or-later

package deduplicator

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"os"
	"slices"
	"strings"
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
	// add stores each key for ttl (0: without expiry). The keys are those
	// lookup did not find, so they exist only when another deduplicator
	// stored them meanwhile: the local stores then keep their expiry,
	// Redis renews it (SETEX, like IntelMQ's SET and EXPIRE).
	add(ctx context.Context, keys []string, ttl time.Duration) error
	// close releases the connection or file.
	close() error
	// concurrent reports whether add may run while lookup and seen are
	// called (Redis: each call takes a connection of the pool).
	concurrent() bool
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
			switch {
			case ttl > 0 && ttl%time.Second == 0:
				p.SetEx(ctx, k, cacheValue, ttl) // SETEX, the cheapest form for Redis
			default:
				p.Set(ctx, k, cacheValue, ttl) // PX for a TTL with milliseconds; none for 0
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("storing %d hashes in Redis: %w", len(keys), err)
	}
	return nil
}

func (s *redisStore) close() error { return s.client.Close() }

func (s *redisStore) concurrent() bool { return true }

// Buckets of the local store: batches holds one record per stored batch,
// keyed by the batch's expiry (8 bytes big-endian, Unix nanoseconds,
// noExpiry for none) and a sequence number (8 bytes), so the file is
// ordered by expiry; the value is the batch's hashes (their 16-byte keys
// in expiries, or in records of earlier versions their 64 hex digits),
// each preceded by its length as a uvarint. meta holds the clean-stop mark. The former layouts
// are converted when such a file is opened: entries (one key per hash,
// expiry then hash, empty value) and before it hashes and expiries (hash
// → expiry, expiry+hash → nothing).
const (
	bucketBatches     = "batches"
	bucketMeta        = "meta"
	keyClean          = "clean"
	oldBucketEntries  = "entries"
	oldBucketHashes   = "hashes"
	oldBucketExpiries = "expiries"
)

// noExpiry is the expiry of a hash stored without TTL: it sorts after
// every real expiry and never passes.
const noExpiry = math.MaxUint64

// sweepLimit bounds how many expired hashes one add removes (whole
// records, so it may remove a batch more), so a large backlog is cleaned
// over several batches.
const sweepLimit = 10000

// sweepInterval is how often (by the bot's clock) add removes the expired
// records from the start of the file.
const sweepInterval = 10 * time.Second

// batchesFillPercent fills the pages of the batches bucket almost fully:
// records are appended at its end, so a split page is not written again.
const batchesFillPercent = 0.95

// boltStore keeps the hashes in a bbolt file in the bot's state directory,
// for pipelines without Redis. It survives restarts like the Redis cache.
//
// Each add writes the batch's new hashes as one record, keyed by their
// common expiry, which is later than every stored one: one put per batch,
// appended at the end of the file, and expired records are deleted as a
// range at its start. The live hashes and their expiries are also kept in
// memory, loaded by one scan at open: lookups never read the file.
//
// The file is written once per batch without fsync: a hash lost in a
// machine crash only lets a duplicate pass, which at-least-once delivery
// permits. A clean stop syncs the file and marks it clean; a file not
// marked clean is checked when it is opened and, if damaged, moved aside
// (the cache then starts empty).
type boltStore struct {
	db        *bolt.DB
	now       func() time.Time
	live      expiries // hash → expiry (noExpiry: none)
	lastExp   uint64   // the latest expiry stored, but noExpiry
	nextSweep int64
	fresh     []string // scratch: the hashes add stores
	prior     []uint64 // scratch: their former expiries, 0 for none
	record    []byte   // scratch
}

// openBoltStore opens the cache file at path, converting a file of a
// former layout, and loads the live hashes. log may be nil.
func openBoltStore(path string, now func() time.Time, log *slog.Logger) (*boltStore, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	db, err := openCheckedBolt(path, log)
	if err != nil {
		return nil, err
	}
	s := &boltStore{db: db, now: now, live: newExpiries()}
	if err := s.load(); err != nil {
		db.Close()
		return nil, fmt.Errorf("reading the local cache %s: %w", path, err)
	}
	return s, nil
}

// openCheckedBolt opens the cache file, moving a damaged one aside and
// converting one of a former layout, and clears its clean mark so a crash
// from now on is detected.
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
		for _, b := range []string{bucketBatches, bucketMeta} {
			if _, err := tx.CreateBucketIfNotExists([]byte(b)); err != nil {
				return err
			}
		}
		if tx.Bucket([]byte(oldBucketHashes)) != nil || tx.Bucket([]byte(oldBucketEntries)) != nil {
			n, err := convertOldLayouts(tx)
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
		log.Info(fmt.Sprintf("Converted the local cache %s to the layout of one record per batch (%d hashes).", path, converted))
	}
	db.NoSync = true
	return db, nil
}

// convertOldLayouts moves the hashes of the former layouts into the
// batches bucket, one record per expiry, and drops the former buckets. It
// returns how many hashes it moved.
func convertOldLayouts(tx *bolt.Tx) (int, error) {
	byExp := map[uint64][]string{}
	n := 0
	if old := tx.Bucket([]byte(oldBucketHashes)); old != nil {
		err := old.ForEach(func(k, v []byte) error {
			if len(v) != 8 {
				return nil
			}
			exp := binary.BigEndian.Uint64(v)
			if exp == 0 {
				exp = noExpiry
			}
			byExp[exp] = append(byExp[exp], string(k))
			n++
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	if old := tx.Bucket([]byte(oldBucketEntries)); old != nil {
		err := old.ForEach(func(k, _ []byte) error {
			if len(k) < 8 {
				return nil
			}
			exp := binary.BigEndian.Uint64(k[:8])
			byExp[exp] = append(byExp[exp], string(k[8:]))
			n++
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	exps := slices.Sorted(maps.Keys(byExp))
	batches := tx.Bucket([]byte(bucketBatches))
	batches.FillPercent = batchesFillPercent
	for _, exp := range exps {
		hashes := byExp[exp]
		slices.Sort(hashes)
		if err := putRecord(batches, exp, appendRecord(nil, hashes)); err != nil {
			return 0, err
		}
	}
	for _, b := range []string{oldBucketHashes, oldBucketExpiries, oldBucketEntries} {
		if err := tx.DeleteBucket([]byte(b)); err != nil && !errors.Is(err, bolt.ErrBucketNotFound) {
			return 0, err
		}
	}
	return n, nil
}

// appendRecord appends the record of hashes to dst: their keys in
// expiries (16 bytes each, where records of earlier versions hold the 64
// hex digits; keyOf reads both).
func appendRecord(dst []byte, hashes []string) []byte {
	for _, h := range hashes {
		k := keyOf(h)
		dst = binary.AppendUvarint(dst, uint64(len(k)))
		dst = append(dst, k[:]...)
	}
	return dst
}

// recordHashes calls fn with each hash of a record, in order; a damaged
// record ends early.
func recordHashes(rec []byte, fn func(hash []byte)) {
	for len(rec) > 0 {
		n, w := binary.Uvarint(rec)
		if w <= 0 || uint64(len(rec)-w) < n {
			return
		}
		fn(rec[w : w+int(n)])
		rec = rec[w+int(n):]
	}
}

// putRecord stores a record with expiry exp after every record of that
// expiry.
func putRecord(batches *bolt.Bucket, exp uint64, rec []byte) error {
	seq, err := batches.NextSequence()
	if err != nil {
		return err
	}
	var key [16]byte
	binary.BigEndian.PutUint64(key[:8], exp)
	binary.BigEndian.PutUint64(key[8:], seq)
	return batches.Put(key[:], rec)
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
		if meta == nil && tx.Bucket([]byte(bucketBatches)) == nil && tx.Bucket([]byte(oldBucketEntries)) == nil &&
			tx.Bucket([]byte(oldBucketHashes)) == nil {
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
// records' keys.
func (s *boltStore) nowNanos() uint64 {
	return uint64(max(s.now().UnixNano(), 0))
}

// load deletes the records expired by now, a range at the start of the
// file, and reads the others into memory, in one scan.
func (s *boltStore) load() error {
	now := s.nowNanos()
	return s.db.Update(func(tx *bolt.Tx) error {
		batches := tx.Bucket([]byte(bucketBatches))
		batches.FillPercent = batchesFillPercent
		if _, err := sweep(batches, now, -1, nil); err != nil {
			return err
		}
		return batches.ForEach(func(k, v []byte) error {
			if len(k) < 8 {
				return nil
			}
			exp := binary.BigEndian.Uint64(k[:8])
			recordHashes(v, func(hash []byte) {
				s.live.keepLater(keyOf(hash), exp)
			})
			if exp != noExpiry {
				s.lastExp = max(s.lastExp, exp)
			}
			return nil
		})
	})
}

// sweep deletes the records that expired at or before now from the start
// of the bucket, until at least limit hashes went unless limit is
// negative, and forgets their hashes in live unless stored again since. It
// reports whether it stopped at the limit.
func sweep(batches *bolt.Bucket, now uint64, limit int, live *expiries) (more bool, err error) {
	c := batches.Cursor()
	for n := 0; ; {
		k, v := c.First()
		if k == nil || (len(k) >= 8 && binary.BigEndian.Uint64(k[:8]) > now) {
			return false, nil
		}
		if limit >= 0 && n >= limit {
			return true, nil
		}
		if len(k) >= 8 {
			exp := binary.BigEndian.Uint64(k[:8])
			recordHashes(v, func(hash []byte) {
				n++
				if live == nil {
					return
				}
				live.deleteIf(hash, exp)
			})
		}
		if err := c.Delete(); err != nil {
			return false, err
		}
	}
}

func (s *boltStore) seen(_ context.Context, key string) (bool, error) {
	exp, ok := s.live.get(key)
	return ok && exp > s.nowNanos(), nil
}

// lookup answers from memory.
func (s *boltStore) lookup(_ context.Context, keys []string, found []bool) error {
	s.live.lookup(keys, s.nowNanos(), found)
	return nil
}

// add appends the new hashes as one record in one transaction, after
// deleting expired records when a sweep is due. A batch's expiry is kept
// after the previous batch's, so its record follows the stored ones even
// when the clock did not move (or went back): the TTL is then longer by a
// nanosecond per batch (or by the step back).
func (s *boltStore) add(_ context.Context, keys []string, ttl time.Duration) error {
	nowTime := s.now()
	now := s.nowNanos()
	exp := uint64(noExpiry)
	if ttl > 0 {
		exp = max(now+uint64(ttl), s.lastExp+1)
	}
	// The new hashes go into live at once (a live hash keeps its expiry; a
	// key given twice is found the second time), and are taken out again
	// if the transaction fails.
	s.fresh, s.prior = s.live.admit(keys, exp, now, s.fresh[:0], s.prior[:0])
	sweepDue := nowTime.UnixNano() >= s.nextSweep
	if len(s.fresh) == 0 && !sweepDue {
		return nil
	}
	// bbolt keeps the value until the commit; the scratch buffer is not
	// touched before the next add.
	s.record = appendRecord(s.record[:0], s.fresh)
	more := false
	err := s.db.Update(func(tx *bolt.Tx) error {
		batches := tx.Bucket([]byte(bucketBatches))
		batches.FillPercent = batchesFillPercent
		if sweepDue {
			var err error
			if more, err = sweep(batches, now, sweepLimit, &s.live); err != nil {
				return err
			}
		}
		if len(s.fresh) == 0 {
			return nil
		}
		return putRecord(batches, exp, s.record)
	})
	if err != nil {
		s.live.undo(s.fresh, s.prior)
		return err
	}
	if exp != noExpiry && len(s.fresh) > 0 {
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

// concurrent is false: add changes the map of live hashes lookup reads.
func (s *boltStore) concurrent() bool { return false }

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
		s.expires[strings.Clone(k)] = exp // k may share a batch's memory
	}
	return nil
}

func (s *memoryStore) close() error { return nil }

// concurrent is false: add changes the map lookup reads.
func (s *memoryStore) concurrent() bool { return false }

// errClosed is returned when the store is used before Start or after Close.
var errClosed = errors.New("the deduplicator's cache is not open")
