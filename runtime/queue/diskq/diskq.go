// SPDX-License-Identifier: AGPL-3.0-or-later

package diskq

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/intelmq-go/intelmq/runtime/queue"
)

// FileName is the name of the store's file inside the directory given to
// Open.
const FileName = "queues.db"

// lockTimeout is how long Open waits for another process to release the
// file.
const lockTimeout = time.Second

// initialMmapSize is the address space mapped at first (256 MiB, 64 MiB
// on 32-bit systems), so that a growing file is rarely remapped: a remap
// copies every page the write transaction holds. It costs no memory or
// disk.
const initialMmapSize = 64<<20 + strconv.IntSize/64*(192<<20)

// Broker is the persistent queue.Broker on one bbolt file. The zero value
// is not usable; call Open.
type Broker struct {
	opts queue.Options
	cfg  Config
	path string
	db   *bolt.DB

	// ackWait, moveWait and sendWait say how long Ack, Receive and Nack,
	// and Send and Clear wait for their change (see Sync).
	ackWait, moveWait, sendWait wait

	bufs bufPool // buffers of Send's segments

	// epoch is the number of opens of the file, 8 bytes big-endian: the
	// mark of the segments SendTrusted wrote while this broker is open.
	epoch []byte

	// lastSeg is the number of the last segment committed, read and
	// written by the committer only: a segment up to it can be read in a
	// read transaction.
	lastSeg uint64

	// abandoned is set, by the committer only, when a durable change
	// could not be committed before Close: no later change is committed.
	abandoned bool

	commits, changes, fastReceives, aheadSends atomic.Uint64 // for Stats

	// reorders counts the changes that put messages anywhere but at the
	// tail of a source queue (Nack, Clear), each counted once it ran, and
	// the consumers created and closed: a consumer takes the fast path of
	// Receive only while it is unchanged since its last move through the
	// committer (see consumer.fastFill).
	reorders atomic.Uint64

	// life is held for reading by every call that waits for the committer
	// and for writing by Close, so that Close waits for them.
	life    sync.RWMutex
	closed  bool
	done    chan struct{}
	stopped chan struct{} // closed when commitLoop returns

	qmu     sync.Mutex
	pending []change      // for commitLoop, the only writer
	wake    chan struct{} // a change is pending

	// ahead holds, per queue, what a deferred Send needs to know to go
	// ahead without waiting for the committer (see sendAhead).
	amu        sync.Mutex
	ahead      map[string]*aheadState
	aheadBytes int // of the Sends gone ahead and not committed yet

	mu        sync.Mutex
	signals   map[string]chan struct{} // closed when the queue gets messages
	consumers map[string]bool          // internal queues with a consumer
	sources   map[string]int           // consumers per source queue
}

var _ queue.Broker = (*Broker)(nil)

// Open opens (creating it if needed) the store in directory dir with the
// default configuration.
func Open(dir string, opts queue.Options) (*Broker, error) {
	return OpenConfig(dir, opts, Config{})
}

// OpenURL opens the store a URL names: a directory, or file://<dir> with
// an optional query ?sync=always|batch|none (see ParseURL).
func OpenURL(rawURL string, opts queue.Options) (*Broker, error) {
	dir, cfg, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	return OpenConfig(dir, opts, cfg)
}

// OpenConfig opens (creating it if needed) the store in directory dir.
func OpenConfig(dir string, opts queue.Options, cfg Config) (*Broker, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg.Sync = cfg.Sync.resolve()
	if dir == "" {
		return nil, errors.New("diskq: empty directory name")
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("diskq: create queue directory: %w", err)
	}
	path := filepath.Join(dir, FileName)
	db, lastSeg, epoch, err := openDB(path, cfg)
	if err != nil {
		return nil, err
	}
	b := &Broker{
		opts:      opts,
		cfg:       cfg,
		path:      path,
		db:        db,
		ackWait:   waitNone,
		moveWait:  waitApply,
		sendWait:  waitCommit,
		lastSeg:   lastSeg,
		epoch:     epoch,
		bufs:      bufPool{large: make(chan []byte, maxLarge)},
		done:      make(chan struct{}),
		stopped:   make(chan struct{}),
		wake:      make(chan struct{}, 1),
		signals:   map[string]chan struct{}{},
		ahead:     map[string]*aheadState{},
		consumers: map[string]bool{},
		sources:   map[string]int{},
	}
	if cfg.Sync == SyncAlways {
		b.ackWait, b.moveWait = waitCommit, waitCommit
	}
	go b.commitLoop()
	return b, nil
}

// markSuffix names, appended to the file's name, the file that marks a
// store open with sync=none: while it exists the store may hold writes
// that never reached the disk, and Open checks the store before use.
const markSuffix = ".unsynced"

// openDB opens the bbolt file, converts or checks it, and sets its fsync
// policy. It returns the number of the last segment and the new epoch (the
// number of opens), which marks the segments sent with SendTrusted.
func openDB(path string, cfg Config) (db *bolt.DB, lastSeg uint64, epoch []byte, err error) {
	mark := path + markSuffix
	_, err = os.Stat(mark)
	unclean := err == nil
	if unclean {
		// The last sync=none session ended without Close; if the machine
		// went down with it, pages may be missing, and bbolt would abort
		// the process on them.
		if err := validateFile(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, 0, nil, damaged(path, err)
		}
	}
	defer func() {
		// bbolt panics on some damaged files while it rebuilds its
		// free-page list.
		if r := recover(); r != nil {
			db, err = nil, damaged(path, fmt.Errorf("%v", r))
		}
	}()
	db, err = bolt.Open(path, 0o600, &bolt.Options{
		Timeout:         lockTimeout,
		NoFreelistSync:  true,
		FreelistType:    bolt.FreelistMapType,
		NoGrowSync:      cfg.Sync == SyncNone,
		InitialMmapSize: initialMmapSize,
	})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, 0, nil, fmt.Errorf("diskq: %s is in use by another process (waited %v for its lock)", path, lockTimeout)
	}
	if err != nil {
		return nil, 0, nil, fmt.Errorf("diskq: open %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		if unclean {
			if err := check(tx); err != nil {
				return err
			}
		}
		if err := prepare(tx); err != nil {
			return err
		}
		lastSeg = tx.Bucket([]byte(dataName)).Sequence()
		meta := tx.Bucket([]byte(metaName))
		var n uint64
		if v := meta.Get([]byte(epochKey)); len(v) == 8 {
			n = binary.BigEndian.Uint64(v)
		}
		epoch = binary.BigEndian.AppendUint64(nil, n+1)
		return meta.Put([]byte(epochKey), epoch)
	})
	if err == nil && cfg.Sync == SyncNone {
		err = createMark(mark)
	} else if err == nil && unclean {
		err = os.Remove(mark) // the file is whole and synced
	}
	if err != nil {
		_ = db.Close()
		if errors.Is(err, errCorrupt) {
			return nil, 0, nil, damaged(path, err)
		}
		return nil, 0, nil, fmt.Errorf("diskq: open %s: %w", path, err)
	}
	db.NoSync = cfg.Sync == SyncNone
	return db, lastSeg, epoch, nil
}

func damaged(path string, err error) error {
	return fmt.Errorf("diskq: %s is damaged, probably by a power loss or system crash while it was open with sync=none: %w; "+
		"move it aside to start with empty queues", path, err)
}

// createMark creates the mark file and makes it durable, with its
// directory entry, before the first unsynced write.
func createMark(mark string) error {
	f, err := os.OpenFile(mark, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	err = errors.Join(f.Sync(), f.Close())
	if err != nil {
		return err
	}
	return syncDir(filepath.Dir(mark))
}

// syncDir flushes a directory's entries. It is best effort: some systems
// cannot sync a directory.
func syncDir(dir string) error {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// check runs bbolt's consistency check.
func check(tx *bolt.Tx) error {
	var errs []error
	for err := range tx.Check() {
		if len(errs) < 5 {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %w", errCorrupt, errors.Join(errs...))
	}
	return nil
}

// Stats counts the work of a broker since it was opened.
type Stats struct {
	// Commits is the number of transactions written (each one fsync
	// under the policies always and batch).
	Commits uint64
	// Changes is the number of changes applied (Send, a Receive that
	// moved or read messages, Ack, Nack, Clear, Len, Queues), written or
	// not: Changes/Commits is the average size of a commit group.
	Changes uint64
	// FastReceives is the number of Receives that took their batch
	// without waiting for the committer (see the package documentation,
	// section Receiving).
	FastReceives uint64
	// AheadSends is the number of deferred Sends that did not wait for
	// the committer (see sendAhead).
	AheadSends uint64
}

// Stats returns the broker's counts.
func (b *Broker) Stats() Stats {
	return Stats{Commits: b.commits.Load(), Changes: b.changes.Load(), FastReceives: b.fastReceives.Load(),
		AheadSends: b.aheadSends.Load()}
}

// Path returns the file that holds the queues.
func (b *Broker) Path() string { return b.path }

// Config returns the configuration in effect, the default resolved.
func (b *Broker) Config() Config { return b.cfg }

// errRollback aborts a write transaction that has nothing to write; the
// rollback costs no disk write.
var errRollback = errors.New("diskq: nothing to write")

// update runs f in a write transaction, possibly shared with other
// callers' changes (see commitLoop), unless the broker is closed. It
// returns when w says; with waitNone it reports neither the outcome nor an
// error of f. It reports whether f's change was committed (applied, for
// waitApply); f returning errRollback (it wrote nothing) is not an error.
// f may run more than once and must compute its effect from tx alone.
func (b *Broker) update(w wait, f func(tx *bolt.Tx) error) (bool, error) {
	return b.submit(change{fn: f, wait: w})
}

// submit is update for a change that may have a hold.
func (b *Broker) submit(c change) (bool, error) {
	b.life.RLock()
	defer b.life.RUnlock()
	if b.closed {
		return false, queue.ErrClosed
	}
	if c.wait != waitNone {
		c.done = make(chan result, 1)
	}
	b.enqueue(c) // commitLoop runs until Close, which waits for life
	if c.wait == waitNone {
		return true, nil
	}
	r := <-c.done
	if r.err != nil {
		return false, fmt.Errorf("diskq: %s: %w", b.path, r.err)
	}
	return r.committed, nil
}

// view runs f in the write transaction after every change made before, so
// that it sees them, unless the broker is closed.
func (b *Broker) view(f func(s store) error) error {
	_, err := b.update(waitApply, func(tx *bolt.Tx) error {
		s, err := openStore(tx)
		if err != nil {
			return err
		}
		if err := f(s); err != nil {
			return err
		}
		return errRollback
	})
	return err
}

// read copies the messages of refs out of their segments in a read
// transaction, outside the committer; the segments must be committed.
func (b *Broker) read(refs []ref) ([][]byte, bool, error) {
	var (
		msgs    [][]byte
		trusted bool
	)
	err := b.readView(func(s store) error {
		var err error
		msgs, trusted, err = s.read(refs, b.epoch)
		return err
	})
	return msgs, trusted, err
}

// readView runs f in a read transaction of its own, which sees the last
// commit and runs beside the committer, unless the broker is closed.
func (b *Broker) readView(f func(s store) error) error {
	b.life.RLock()
	defer b.life.RUnlock()
	if b.closed {
		return queue.ErrClosed
	}
	err := b.db.View(func(tx *bolt.Tx) error {
		s, err := openStore(tx)
		if err != nil {
			return err
		}
		return f(s)
	})
	if err != nil {
		return fmt.Errorf("diskq: %s: %w", b.path, err)
	}
	return nil
}

// Send appends msgs to name in one transaction; see queue.Producer.
func (b *Broker) Send(ctx context.Context, name string, msgs ...[]byte) error {
	return b.send(ctx, b.sendWait, name, msgs, nil)
}

// SendDeferred is Send, except that under the policies batch and none it
// returns once the messages are in the queue, visible to every later call,
// before their commit: they become durable with it, and no later than any
// change the caller makes afterwards (the Ack of the batch they came
// from), as commits are made in order. See queue.DeferredProducer.
func (b *Broker) SendDeferred(ctx context.Context, name string, msgs ...[]byte) error {
	return b.send(ctx, b.deferredWait(), name, msgs, nil)
}

// SendTrusted is SendDeferred marking the messages as the sender's own
// sound encoding (see queue.TrustingProducer). The mark is the broker's
// epoch, which grows with every open, so it does not outlive the broker.
func (b *Broker) SendTrusted(ctx context.Context, name string, msgs ...[]byte) error {
	return b.send(ctx, b.deferredWait(), name, msgs, b.epoch)
}

// deferredWait is how long a deferred Send waits: until its change ran,
// unless the policy (always) makes every change wait for its commit.
func (b *Broker) deferredWait() wait {
	if b.moveWait == waitCommit {
		return b.sendWait
	}
	return waitApply
}

// send is Send waiting as w says; trust marks the segments (see store.add).
func (b *Broker) send(ctx context.Context, w wait, name string, msgs [][]byte, trust []byte) error {
	if err := queue.CheckName(name); err != nil {
		return err
	}
	if err := queue.CheckMessages(name, msgs); err != nil {
		return err
	}
	if len(msgs) == 0 {
		return nil
	}
	for i, m := range msgs {
		if len(m) > bolt.MaxValueSize-segHeader-4 {
			return fmt.Errorf("diskq: message %d of %d for queue %q is too large (%d bytes)", i+1, len(msgs), name, len(m))
		}
	}
	segs := encodeSegments(msgs, &b.bufs)
	// bbolt keeps the segments until the commit: their buffers are reused
	// after it, by the change's after for a change answered before it.
	deferred := false
	defer func() {
		if !deferred {
			b.bufs.put(segs)
		}
	}()
	limit := b.opts.Limit(name)
	if w == waitApply {
		if ok, err := b.sendAhead(name, limit, segs, trust, len(msgs)); ok || err != nil {
			deferred = ok
			return err
		}
	}
	lo, hi := b.opts.Poll()
	return queue.Poll(ctx, b.done, lo, hi, func() (bool, error) {
		admitted := false // once past the limit, a change made again stays so
		c := change{wait: w, fn: func(tx *bolt.Tx) error {
			check := limit
			if admitted {
				check = 0
			}
			n, err := appendTo(tx, name, segs, trust, check)
			if err != nil {
				return err
			}
			admitted = true
			b.noteLen(name, n)
			return nil
		}}
		if w != waitCommit {
			c.durable = true
			c.after = func(committed bool) {
				if committed {
					b.bufs.put(segs)
				}
			}
		}
		ok, err := b.submit(c)
		if ok {
			deferred = w != waitCommit
			b.signal(name)
		}
		return ok, err
	})
}

// appendTo appends segs to queue name, creating it, and returns its length
// afterwards; a queue that holds limit messages or more (limit > 0) is left
// as it is (errRollback).
func appendTo(tx *bolt.Tx, name string, segs [][]byte, trust []byte, limit int) (int, error) {
	s, err := openStore(tx)
	if err != nil {
		return 0, err
	}
	q := s.queue(name)
	if limit > 0 && count(q) >= limit {
		return 0, errRollback
	}
	if q == nil {
		if q, err = s.createQueue(name); err != nil {
			return 0, err
		}
	}
	if err := s.add(q, segs, trust); err != nil {
		return 0, err
	}
	return count(q), nil
}

// aheadState is what the broker knows of a queue for deferred Sends.
type aheadState struct {
	// length is the queue's length after the last Send to it that ran,
	// an estimate: Receives shorten the queue since; -1 before any.
	length int
	// queued is the number of messages of Sends that went ahead and have
	// not run yet.
	queued int
}

// sendAhead makes a deferred Send without waiting for the committer, when
// the queue has room for it: the change is queued, made in its turn
// (before every later change of the caller, such as the Ack of the batch
// the messages came from) and committed as a durable change (made again
// until committed, no later change committed without it). It reports
// whether it did so; otherwise the Send waits for its change to run, as
// it does when the queue may be full, and checks the limit there.
//
// The room is judged by the length the queue had after the last Send to
// it ran, which Receives can only have shortened (a Nack lengthens it),
// plus the Sends that went ahead and have not run yet, plus this one: the
// limit holds as it does for the Sends that wait. Going ahead spares the
// bots the wait for the commit (and fsync) that is in progress when they
// send, during which the committer cannot run their change.
func (b *Broker) sendAhead(name string, limit int, segs [][]byte, trust []byte, n int) (bool, error) {
	b.amu.Lock()
	st := b.ahead[name]
	if st == nil {
		st = &aheadState{length: -1}
		b.ahead[name] = st
	}
	size := 0
	for _, seg := range segs {
		size += len(seg)
	}
	if st.length < 0 || (limit > 0 && st.length+st.queued+n > limit) || b.aheadBytes+size > maxAheadBytes {
		b.amu.Unlock()
		return false, nil
	}
	st.queued += n
	b.aheadBytes += size
	b.amu.Unlock()
	ran := false // the change ran once: its messages are in length
	c := change{wait: waitNone, durable: true, released: true, fn: func(tx *bolt.Tx) error {
		length, err := appendTo(tx, name, segs, trust, 0)
		if err != nil {
			return err
		}
		b.amu.Lock()
		st.length = length
		if !ran {
			st.queued -= n
			ran = true
		}
		b.amu.Unlock()
		return nil
	}}
	c.after = func(committed bool) {
		if committed {
			b.bufs.put(segs)
		}
		b.amu.Lock()
		if !ran { // given up: never counted in length
			st.queued -= n
			ran = true
		}
		b.aheadBytes -= size
		b.amu.Unlock()
	}
	if _, err := b.submit(c); err != nil {
		b.amu.Lock()
		st.queued -= n
		b.aheadBytes -= size
		b.amu.Unlock()
		return false, err
	}
	b.aheadSends.Add(1)
	b.signal(name)
	return true, nil
}

// maxAheadBytes bounds the bytes of the Sends gone ahead and not
// committed yet, whose buffers wait for the commit: without it the peak
// memory of a big report's run (make rss) grew from 1.7 to 2.1–2.3 times
// the report, as every megabyte alive at a collection costs five in the
// peak (the garbage collector's target of intelmq run is 400 %); with 2
// MiB it was 1.9–2.0, with 1 MiB (about one batch of 2000 events) 1.6, at
// the same speed of the four-bot pipeline.
const maxAheadBytes = 1 << 20

// noteLen records the length of queue name after a Send ran.
func (b *Broker) noteLen(name string, n int) {
	b.amu.Lock()
	st := b.ahead[name]
	if st == nil {
		st = &aheadState{}
		b.ahead[name] = st
	}
	st.length = n
	b.amu.Unlock()
}

// Consumer returns the consumer of source through internal; see
// queue.Broker.
func (b *Broker) Consumer(source, internal string) (queue.Consumer, error) {
	if err := queue.CheckName(source); err != nil {
		return nil, err
	}
	if err := queue.CheckName(internal); err != nil {
		return nil, err
	}
	if source == internal {
		return nil, fmt.Errorf("%w: internal queue %q is the source queue", queue.ErrInvalidName, internal)
	}
	b.life.RLock()
	defer b.life.RUnlock()
	if b.closed {
		return nil, queue.ErrClosed
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.consumers[internal] {
		return nil, fmt.Errorf("%w: %q", queue.ErrInUse, internal)
	}
	b.consumers[internal] = true
	b.sources[source]++
	b.reorders.Add(1)
	return &consumer{b: b, source: source, internal: internal, done: make(chan struct{})}, nil
}

// release frees internal for another consumer of source.
func (b *Broker) release(source, internal string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.consumers, internal)
	if b.sources[source]--; b.sources[source] <= 0 {
		delete(b.sources, source)
	}
	// A consumer left alone on the source must not trust what it took:
	// this one took from the source too.
	b.reorders.Add(1)
}

// soleConsumer reports whether source has one consumer in this broker.
func (b *Broker) soleConsumer(source string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sources[source] == 1
}

// signal wakes the consumers waiting on name.
func (b *Broker) signal(name string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if ch, ok := b.signals[name]; ok {
		close(ch)
		delete(b.signals, name)
	}
}

// waiter returns a channel closed when name next gets messages.
func (b *Broker) waiter(name string) <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	ch, ok := b.signals[name]
	if !ok {
		ch = make(chan struct{})
		b.signals[name] = ch
	}
	return ch
}

// Len returns the number of messages in name.
func (b *Broker) Len(ctx context.Context, name string) (int, error) {
	n := 0
	err := b.view(func(s store) error {
		n = count(s.queue(name))
		return nil
	})
	return n, err
}

// Clear deletes every message of name.
func (b *Broker) Clear(ctx context.Context, name string) error {
	if name == "" {
		return nil
	}
	_, err := b.update(b.sendWait, func(tx *bolt.Tx) error {
		s, err := openStore(tx)
		if err != nil {
			return err
		}
		return s.clearQueue(name)
	})
	b.reorders.Add(1) // after the change: see Broker.reorders
	return err
}

// Queues lists the non-empty queues sorted by name (bbolt keeps buckets
// sorted by their byte names).
func (b *Broker) Queues(ctx context.Context) ([]queue.QueueInfo, error) {
	var out []queue.QueueInfo
	err := b.view(func(s store) error {
		out = out[:0]
		return s.queues.ForEachBucket(func(name []byte) error {
			if n := count(s.queues.Bucket(name)); n > 0 {
				out = append(out, queue.QueueInfo{Name: string(name), Len: n})
			}
			return nil
		})
	})
	return out, err
}

// Close waits for running calls, commits the changes still pending,
// flushes the file to disk and closes it. Messages stay in the file.
func (b *Broker) Close() error {
	b.life.Lock()
	defer b.life.Unlock()
	if b.closed {
		return nil
	}
	b.closed = true
	close(b.done)
	<-b.stopped
	var errs []error
	clean := false
	if b.cfg.Sync == SyncNone {
		// A clean end: everything to disk, then the mark goes.
		err := b.db.Sync()
		errs = append(errs, err)
		clean = err == nil
	}
	errs = append(errs, b.db.Close())
	if clean {
		errs = append(errs, os.Remove(b.path+markSuffix))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("diskq: close %s: %w", b.path, err)
	}
	return nil
}
