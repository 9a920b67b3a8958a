// SPDX-License-Identifier: AGPL-3.0-or-later

package deduplicator

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// streamStore keeps the hashes in one Redis stream, an entry per stored
// batch, and answers lookups from memory, as the local cache does. It is
// the default Redis layout: Redis then spends about a tenth of a
// microsecond per hash instead of the 2 to 3 µs of a key with a TTL per
// hash (IntelMQ's layout, redisStore), and a lookup costs no round trip
// of its own.
//
// An entry has two fields: "expires", the Unix nanoseconds after which its
// hashes are no longer seen (0: never), and "hashes", the concatenated
// 16-byte keys of expiries (the first half of each SHA-256). Every
// deduplicator with the same Redis database and TTL writes to the same
// stream, named after the TTL (streamKey), and reads what the others
// wrote: each lookup first reads the entries added since the last one it
// knows, and each store reads the entries before its own in the same
// MULTI, so the store's own entry is never read back. Hashes another
// deduplicator stored are thus seen from its next batch on; IntelMQ's
// deduplicators, which look a hash up and store it in two steps, have the
// same window between them.
//
// The stream is trimmed when an entry is added: entries written more than
// the TTL (and a minute for clocks apart) ago go, by Redis's clock; and
// the stream itself expires that long after its last entry, so that one
// left behind by a change of TTL does not stay in Redis. At
// open the live entries are read into memory, so the memory of the bot
// grows with the hashes stored within the TTL, 21 to 43 bytes each.
type streamStore struct {
	client    *redis.Client
	key       string
	now       func() time.Time
	live      expiries
	lastID    string // the last entry read or written; "0-0" before any
	nextSweep int64
	fresh     []string // scratch: the hashes add stores
	prior     []uint64 // scratch: their former expiries, 0 for none
	blob      []byte   // scratch: the hashes field
}

// streamKey is the stream's key for a TTL: deduplicators with different
// TTLs keep apart, as one trims the stream by its own TTL.
func streamKey(ttl time.Duration) string {
	if ttl <= 0 {
		return "deduplicator-hashes:forever"
	}
	return "deduplicator-hashes:" + ttl.String()
}

// Field names of a stream entry.
const (
	fieldExpires = "expires"
	fieldHashes  = "hashes"
)

// streamReadCount bounds the entries one XRANGE reads.
const streamReadCount = 100

// streamSweepInterval is how often (by the bot's clock) add removes
// expired hashes from memory, in a pass over the whole table.
const streamSweepInterval = time.Minute

// streamTrimSlack is kept beyond the TTL when the stream is trimmed, for
// the clocks of Redis and the bots being apart.
const streamTrimSlack = time.Minute

// openStreamStore reads the live entries of the stream for ttl.
func openStreamStore(ctx context.Context, client *redis.Client, ttl time.Duration, now func() time.Time) (*streamStore, error) {
	s := &streamStore{client: client, key: streamKey(ttl), now: now, live: newExpiries(), lastID: "0-0"}
	if err := s.catchUp(ctx); err != nil {
		return nil, err
	}
	s.nextSweep = now().Add(streamSweepInterval).UnixNano()
	return s, nil
}

func (s *streamStore) nowNanos() uint64 { return uint64(max(s.now().UnixNano(), 0)) }

// catchUp reads the entries after lastID into memory.
func (s *streamStore) catchUp(ctx context.Context) error {
	for {
		entries, err := s.client.XRangeN(ctx, s.key, "("+s.lastID, "+", streamReadCount).Result()
		if err != nil {
			return fmt.Errorf("reading the hashes stream %s: %w", s.key, err)
		}
		s.apply(entries)
		if len(entries) < streamReadCount {
			return nil
		}
	}
}

// apply takes the hashes of entries into memory, unless expired, and moves
// lastID past them. A damaged entry is skipped.
func (s *streamStore) apply(entries []redis.XMessage) {
	now := s.nowNanos()
	for _, m := range entries {
		s.lastID = m.ID
		expStr, _ := m.Values[fieldExpires].(string)
		hashes, _ := m.Values[fieldHashes].(string)
		exp, err := strconv.ParseUint(expStr, 10, 64)
		if err != nil {
			continue
		}
		if exp == 0 {
			exp = noExpiry
		}
		if exp <= now {
			continue
		}
		for i := 0; i+len(hashKey{}) <= len(hashes); i += len(hashKey{}) {
			s.live.keepLater(hashKey([]byte(hashes[i:i+len(hashKey{})])), exp)
		}
	}
}

func (s *streamStore) seen(ctx context.Context, key string) (bool, error) {
	if err := s.catchUp(ctx); err != nil {
		return false, err
	}
	exp, ok := s.live.get(key)
	return ok && exp > s.nowNanos(), nil
}

// lookup reads what other deduplicators stored since the last call, in
// one round trip, and answers from memory.
func (s *streamStore) lookup(ctx context.Context, keys []string, found []bool) error {
	if err := s.catchUp(ctx); err != nil {
		return err
	}
	s.live.lookup(keys, s.nowNanos(), found)
	return nil
}

// add appends the hashes not live in memory as one entry, reading the
// entries others added before it in the same MULTI. The new hashes are
// taken out of memory again when the store fails.
func (s *streamStore) add(ctx context.Context, keys []string, ttl time.Duration) error {
	nowTime := s.now()
	now := s.nowNanos()
	exp := uint64(noExpiry)
	if ttl > 0 {
		exp = now + uint64(ttl)
	}
	s.fresh, s.prior = s.live.admit(keys, exp, now, s.fresh[:0], s.prior[:0])
	s.blob = s.blob[:0]
	for _, k := range s.fresh {
		hk := keyOf(k)
		s.blob = append(s.blob, hk[:]...)
	}
	if nowTime.UnixNano() >= s.nextSweep {
		s.live.sweep(now)
		s.nextSweep = nowTime.Add(streamSweepInterval).UnixNano()
	}
	if len(s.fresh) == 0 {
		return nil
	}
	stored := exp
	if exp == noExpiry {
		stored = 0
	}
	args := &redis.XAddArgs{Stream: s.key, ID: "*",
		Values: []any{fieldExpires, strconv.FormatUint(stored, 10), fieldHashes, s.blob}}
	if ttl > 0 {
		// The real clock, not the bot's: entry IDs are Redis's milliseconds.
		args.MinID = strconv.FormatInt(time.Now().Add(-ttl-streamTrimSlack).UnixMilli(), 10)
		args.Approx = true
	}
	var others *redis.XMessageSliceCmd
	var added *redis.StringCmd
	_, err := s.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		others = p.XRange(ctx, s.key, "("+s.lastID, "+")
		added = p.XAdd(ctx, args)
		if ttl > 0 {
			// A stream nobody writes to any more (its deduplicators'
			// TTL changed) goes once its last entry expired.
			p.PExpire(ctx, s.key, ttl+streamTrimSlack)
		}
		return nil
	})
	if err == nil {
		err = others.Err()
	}
	if err == nil {
		err = added.Err()
	}
	if err != nil {
		s.live.undo(s.fresh, s.prior)
		return fmt.Errorf("storing %d hashes in the stream %s: %w", len(s.fresh), s.key, err)
	}
	s.apply(others.Val())
	s.lastID = added.Val()
	return nil
}

func (s *streamStore) close() error { return s.client.Close() }

// concurrent is false: add changes the map of live hashes lookup reads.
func (s *streamStore) concurrent() bool { return false }
