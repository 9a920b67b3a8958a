// SPDX-License-Identifier: AGPL-3.0-or-later

package diskq

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// Names of the top-level buckets of format 2 (see the package
// documentation, section Storage).
const (
	metaName   = "diskq"          // format marker
	dataName   = "diskq.segments" // one sub-bucket per segment
	liveName   = "diskq.live"     // live counts of partly released segments
	queuesName = "diskq.queues"   // one sub-bucket of references per queue
)

// Keys of the meta bucket and of a segment's sub-bucket.
const (
	formatKey = "format"
	formatV2  = "2"
	epochKey  = "epoch" // the number of opens, 8 bytes big-endian
	segKey    = "s"
	trustKey  = "t" // the epoch of a segment sent with SendTrusted
)

// bucketNames are the top-level buckets of format 2.
func bucketNames() []string { return []string{metaName, dataName, liveName, queuesName} }

// maxSegment bounds the payload of one segment: a Send of more bytes is
// stored as several segments, so that one consumed message never pins much
// more than this on disk.
const maxSegment = 1 << 20

// errCorrupt reports stored data that does not follow the format.
var errCorrupt = errors.New("diskq: damaged queue file")

// errMissing reports a segment that a queue refers to but the file lacks:
// damage, unless the queue was cleared meanwhile.
var errMissing = fmt.Errorf("%w: missing segment", errCorrupt)

// base is the first position used in an empty queue: the middle of the
// key space, so that prepending and appending both have room.
const base = uint64(1) << 63

// key returns a new 8-byte big-endian key. bbolt keeps the slices given to
// Put until the commit, so every Put needs its own.
func key(n uint64) []byte {
	k := make([]byte, 8)
	binary.BigEndian.PutUint64(k, n)
	return k
}

func pos(k []byte) uint64 { return binary.BigEndian.Uint64(k) }

// ref is a queue entry: the messages [from, to) of segment seg, which
// holds n messages.
type ref struct {
	seg         uint64
	from, to, n uint32
}

const refSize = 20

func (r ref) len() int { return int(r.to - r.from) }

func (r ref) encode() []byte {
	v := make([]byte, refSize)
	binary.BigEndian.PutUint64(v, r.seg)
	binary.BigEndian.PutUint32(v[8:], r.from)
	binary.BigEndian.PutUint32(v[12:], r.to)
	binary.BigEndian.PutUint32(v[16:], r.n)
	return v
}

func decodeRef(v []byte) (ref, error) {
	if len(v) != refSize {
		return ref{}, fmt.Errorf("%w: queue entry of %d bytes", errCorrupt, len(v))
	}
	r := ref{
		seg:  binary.BigEndian.Uint64(v),
		from: binary.BigEndian.Uint32(v[8:]),
		to:   binary.BigEndian.Uint32(v[12:]),
		n:    binary.BigEndian.Uint32(v[16:]),
	}
	if r.from >= r.to || r.to > r.n {
		return ref{}, fmt.Errorf("%w: queue entry [%d, %d) of segment %d with %d messages", errCorrupt, r.from, r.to, r.seg, r.n)
	}
	return r, nil
}

// Segment encoding: the number of messages n (uint32), the end offset of
// each message in the payload (n uint32), then the payload, the messages
// back to back. Integers are little-endian.
const segHeader = 4

// encodeSegments packs msgs into segments of at most maxSegment payload
// bytes (or one message, if larger), in buffers from pool.
func encodeSegments(msgs [][]byte, pool *bufPool) [][]byte {
	var out [][]byte
	for len(msgs) > 0 {
		n, size := 0, 0
		for n < len(msgs) && (n == 0 || size+len(msgs[n]) <= maxSegment) {
			size += len(msgs[n])
			n++
		}
		seg := pool.get(segHeader + 4*n + size)
		binary.LittleEndian.PutUint32(seg, uint32(n))
		off, end := segHeader+4*n, 0
		for i, m := range msgs[:n] {
			copy(seg[off+end:], m)
			end += len(m)
			binary.LittleEndian.PutUint32(seg[segHeader+4*i:], uint32(end))
		}
		out = append(out, seg)
		msgs = msgs[n:]
	}
	return out
}

// bufPool recycles the buffers of encoded segments: bbolt copies a value
// into its pages at the commit, after which Send has no use for it. A nil
// pool allocates.
//
// Buffers up to maxPooled go to a sync.Pool. Larger ones (a batch's
// results, a parser's flush of events, a report) go to a free list of at
// most maxLarge buffers of maxLargeSize bytes: a fresh buffer of a
// megabyte for every Send cost its zeroing and the page faults of memory
// the runtime had given back to the system; a sync.Pool of them kept
// megabytes alive between collections, which the garbage collector's
// target of intelmq run (400 %) multiplies by five in the peak memory,
// where the free list holds a bounded few. A pool without the list (nil)
// allocates every large buffer.
type bufPool struct {
	p     sync.Pool
	large chan []byte
}

// maxPooled bounds the buffers of the sync.Pool.
const maxPooled = 256 << 10

// The free list of large buffers: at most maxLarge, each of maxLargeSize
// bytes (a segment of maxSegment bytes and its header).
const (
	maxLarge     = 8
	maxLargeSize = maxSegment + 64<<10
)

func (bp *bufPool) get(n int) []byte {
	if bp == nil {
		return make([]byte, n)
	}
	if n <= maxPooled {
		if b, ok := bp.p.Get().(*[]byte); ok && cap(*b) >= n {
			return (*b)[:n]
		}
		return make([]byte, n, max(n, 64<<10))
	}
	if n <= maxLargeSize {
		select {
		case b := <-bp.large:
			return b[:n]
		default:
		}
		return make([]byte, n, maxLargeSize)
	}
	return make([]byte, n)
}

func (bp *bufPool) put(bufs [][]byte) {
	if bp == nil {
		return
	}
	for _, b := range bufs {
		switch {
		case cap(b) <= maxPooled:
			bp.p.Put(&b)
		case cap(b) == maxLargeSize:
			select {
			case bp.large <- b:
			default:
			}
		}
	}
}

// segment is a decoded segment, pointing into bbolt's memory.
type segment struct {
	ends    []byte
	payload []byte
	n       uint32
}

func parseSegment(v []byte) (segment, error) {
	if len(v) < segHeader {
		return segment{}, fmt.Errorf("%w: segment of %d bytes", errCorrupt, len(v))
	}
	n := binary.LittleEndian.Uint32(v)
	if n == 0 || uint64(len(v)) < segHeader+4*uint64(n) {
		return segment{}, fmt.Errorf("%w: segment of %d bytes with %d messages", errCorrupt, len(v), n)
	}
	s := segment{ends: v[segHeader : segHeader+4*n], payload: v[segHeader+4*n:], n: n}
	if int(s.end(n)) != len(s.payload) {
		return segment{}, fmt.Errorf("%w: segment payload of %d bytes, %d expected", errCorrupt, len(s.payload), s.end(n))
	}
	return s, nil
}

// end returns the end offset of message i-1, the start of message i.
func (s segment) end(i uint32) uint32 {
	if i == 0 {
		return 0
	}
	return binary.LittleEndian.Uint32(s.ends[4*(i-1):])
}

// store is the buckets of one transaction.
type store struct {
	data, live, queues *bolt.Bucket
}

func openStore(tx *bolt.Tx) (store, error) {
	s := store{data: tx.Bucket([]byte(dataName)), live: tx.Bucket([]byte(liveName)), queues: tx.Bucket([]byte(queuesName))}
	if s.data == nil || s.live == nil || s.queues == nil {
		return s, fmt.Errorf("%w: missing bucket", errCorrupt)
	}
	s.data.FillPercent = 1 // segment numbers only grow: fill pages completely
	return s, nil
}

// queue returns the bucket of queue name, nil if it has none.
func (s store) queue(name string) *bolt.Bucket {
	q := s.queues.Bucket([]byte(name))
	if q != nil {
		q.FillPercent = 1 // mostly appended to
	}
	return q
}

func (s store) createQueue(name string) (*bolt.Bucket, error) {
	q, err := s.queues.CreateBucketIfNotExists([]byte(name))
	if err != nil {
		return nil, err
	}
	q.FillPercent = 1
	return q, nil
}

// count returns the number of messages in q, kept as its bucket sequence.
func count(q *bolt.Bucket) int {
	if q == nil {
		return 0
	}
	return int(q.Sequence())
}

func addCount(q *bolt.Bucket, d int) error {
	return q.SetSequence(uint64(count(q) + d))
}

// entry is a queue entry at its position.
type entry struct {
	pos uint64
	ref ref
}

// head returns the first entries of q that hold n messages or more (fewer
// if q holds fewer), appending them to into.
func head(q *bolt.Bucket, n int, into []entry) ([]entry, error) {
	if q == nil {
		return into, nil
	}
	c := q.Cursor()
	for k, v := c.First(); k != nil && n > 0; k, v = c.Next() {
		r, err := decodeRef(v)
		if err != nil {
			return into, err
		}
		into = append(into, entry{pos(k), r})
		n -= r.len()
	}
	return into, nil
}

// bounds returns the first and last positions of q, ok false when empty.
func bounds(q *bolt.Bucket) (first, last uint64, ok bool) {
	c := q.Cursor()
	fk, _ := c.First()
	if fk == nil {
		return 0, 0, false
	}
	lk, _ := c.Last()
	return pos(fk), pos(lk), true
}

// appendRefs puts refs after the last entry of q and adds their messages
// to its count.
func appendRefs(q *bolt.Bucket, refs []ref) error {
	next, total := base, 0
	if _, last, ok := bounds(q); ok {
		next = last + 1
	}
	for i, r := range refs {
		if err := q.Put(key(next+uint64(i)), r.encode()); err != nil {
			return err
		}
		total += r.len()
	}
	return addCount(q, total)
}

// prependRefs puts refs, in order, before the first entry of q and adds
// their messages to its count.
func prependRefs(q *bolt.Bucket, refs []ref) error {
	next, total := base, 0
	if first, _, ok := bounds(q); ok {
		next = first - 1
	}
	for i := len(refs) - 1; i >= 0; i-- {
		if err := q.Put(key(next), refs[i].encode()); err != nil {
			return err
		}
		next--
		total += refs[i].len()
	}
	return addCount(q, total)
}

// add stores segs as new segments and appends them to q; a non-nil trust
// (the broker's epoch) marks them as sent with SendTrusted.
func (s store) add(q *bolt.Bucket, segs [][]byte, trust []byte) error {
	refs := make([]ref, len(segs))
	for i, seg := range segs {
		seq, err := s.data.NextSequence()
		if err != nil {
			return err
		}
		sb, err := s.data.CreateBucket(key(seq))
		if err != nil {
			return err
		}
		if err := sb.Put([]byte(segKey), seg); err != nil {
			return err
		}
		if trust != nil {
			if err := sb.Put([]byte(trustKey), trust); err != nil {
				return err
			}
		}
		n := binary.LittleEndian.Uint32(seg)
		refs[i] = ref{seg: seq, from: 0, to: n, n: n}
	}
	return appendRefs(q, refs)
}

// take removes the first n messages (or all, if fewer) from q and returns
// their entries; the last may be split, its rest staying in q.
func take(q *bolt.Bucket, n int) ([]ref, int, error) {
	es, err := head(q, n, nil)
	if err != nil || len(es) == 0 {
		return nil, 0, err
	}
	refs := make([]ref, 0, len(es))
	taken := 0
	for _, e := range es {
		r := e.ref
		if need := n - taken; r.len() > need {
			rest := r
			rest.from += uint32(need)
			if err := q.Put(key(e.pos), rest.encode()); err != nil {
				return nil, 0, err
			}
			r.to = rest.from
		} else if err := q.Delete(key(e.pos)); err != nil {
			return nil, 0, err
		}
		refs = append(refs, r)
		taken += r.len()
	}
	return refs, taken, addCount(q, -taken)
}

// release drops the messages of r from their segment, deleting the segment
// when no queue refers to it any more. A segment without a live count has
// all its messages live.
func (s store) release(r ref) error {
	k := key(r.seg)
	live := r.n
	if v := s.live.Get(k); v != nil {
		if len(v) != 4 {
			return fmt.Errorf("%w: live count of %d bytes", errCorrupt, len(v))
		}
		live = binary.BigEndian.Uint32(v)
	}
	if uint32(r.len()) > live {
		return fmt.Errorf("%w: releasing %d messages of segment %d with %d live", errCorrupt, r.len(), r.seg, live)
	}
	live -= uint32(r.len())
	if live > 0 {
		v := make([]byte, 4)
		binary.BigEndian.PutUint32(v, live)
		return s.live.Put(k, v)
	}
	if err := s.live.Delete(k); err != nil {
		return err
	}
	err := s.data.DeleteBucket(k)
	if errors.Is(err, bolt.ErrBucketNotFound) {
		return fmt.Errorf("%w: segment %d is missing", errCorrupt, r.seg)
	}
	return err
}

// read copies the messages of refs out of their segments, into one new
// buffer; each message is a full slice of its own part of it. It reports
// whether every segment was marked with trust (the broker's epoch): sent
// with SendTrusted since the broker was opened.
func (s store) read(refs []ref, trust []byte) ([][]byte, bool, error) {
	trusted := len(refs) > 0
	segs := make([]segment, len(refs))
	spans := make([][]byte, len(refs))
	n := 0
	for i, r := range refs {
		sb := s.data.Bucket(key(r.seg))
		if sb == nil {
			return nil, false, fmt.Errorf("%w: segment %d", errMissing, r.seg)
		}
		seg, err := parseSegment(sb.Get([]byte(segKey)))
		if err != nil {
			return nil, false, err
		}
		if seg.n != r.n {
			return nil, false, fmt.Errorf("%w: segment %d has %d messages, %d expected", errCorrupt, r.seg, seg.n, r.n)
		}
		trusted = trusted && trust != nil && bytes.Equal(sb.Get([]byte(trustKey)), trust)
		segs[i] = seg
		spans[i] = seg.payload[seg.end(r.from):seg.end(r.to)]
		n += r.len()
	}
	buf := bytes.Join(spans, nil) // one allocation, not zeroed first
	msgs := make([][]byte, 0, n)
	off := 0
	for i, r := range refs {
		seg := segs[i]
		start := seg.end(r.from)
		for j := r.from; j < r.to; j++ {
			a, b := off+int(seg.end(j)-start), off+int(seg.end(j+1)-start)
			msgs = append(msgs, buf[a:b:b])
		}
		off += len(spans[i])
	}
	return msgs, trusted, nil
}

// clearQueue releases every message of queue name and deletes its bucket.
func (s store) clearQueue(name string) error {
	q := s.queue(name)
	if q == nil {
		return errRollback
	}
	c := q.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		r, err := decodeRef(v)
		if err != nil {
			return err
		}
		if err := s.release(r); err != nil {
			return err
		}
	}
	return s.queues.DeleteBucket([]byte(name))
}
