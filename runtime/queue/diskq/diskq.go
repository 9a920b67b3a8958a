// SPDX-License-Identifier: AGPL-3.0-or-later

package diskq

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
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

// Broker is the persistent queue.Broker on one bbolt file. The zero value
// is not usable; call Open.
type Broker struct {
	opts queue.Options
	path string
	db   *bolt.DB

	// life is held for reading by every transaction and for writing by
	// Close, so that Close waits for running transactions.
	life    sync.RWMutex
	closed  bool
	done    chan struct{}
	changes chan change   // to commitLoop, the only writer
	stopped chan struct{} // closed when commitLoop returns

	mu        sync.Mutex
	signals   map[string]chan struct{} // closed when the queue gets messages
	consumers map[string]bool          // internal queues with a consumer
}

var _ queue.Broker = (*Broker)(nil)

// Open opens (creating it if needed) the store in directory dir.
func Open(dir string, opts queue.Options) (*Broker, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if dir == "" {
		return nil, errors.New("diskq: empty directory name")
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("diskq: create queue directory: %w", err)
	}
	path := filepath.Join(dir, FileName)
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:        lockTimeout,
		NoFreelistSync: true,
		FreelistType:   bolt.FreelistMapType,
		NoSync: os.Getenv("DISKQ_NOSYNC") != "",
	})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("diskq: %s is in use by another process (waited %v for its lock)", path, lockTimeout)
	}
	if err != nil {
		return nil, fmt.Errorf("diskq: open %s: %w", path, err)
	}
	b := &Broker{
		opts:      opts,
		path:      path,
		db:        db,
		done:      make(chan struct{}),
		changes:   make(chan change),
		stopped:   make(chan struct{}),
		signals:   map[string]chan struct{}{},
		consumers: map[string]bool{},
	}
	go b.commitLoop()
	return b, nil
}

// Path returns the file that holds the queues.
func (b *Broker) Path() string { return b.path }

// errRollback aborts a write transaction that has nothing to write; the
// rollback costs no disk write.
var errRollback = errors.New("diskq: nothing to write")

// update runs f in a write transaction, possibly shared with other
// callers' changes (see commitLoop), unless the broker is closed. It
// reports whether f's change was committed; f returning errRollback (it
// wrote nothing) is not an error. f may run more than once and must
// compute its effect from tx alone.
func (b *Broker) update(f func(tx *bolt.Tx) error) (bool, error) {
	b.life.RLock()
	defer b.life.RUnlock()
	if b.closed {
		return false, queue.ErrClosed
	}
	c := change{fn: f, done: make(chan result, 1)}
	b.changes <- c // commitLoop runs until Close, which waits for life
	r := <-c.done
	if r.err != nil {
		return false, fmt.Errorf("diskq: %s: %w", b.path, r.err)
	}
	return r.committed, nil
}

// view runs f in one read transaction unless the broker is closed.
func (b *Broker) view(f func(tx *bolt.Tx) error) error {
	b.life.RLock()
	defer b.life.RUnlock()
	if b.closed {
		return queue.ErrClosed
	}
	if err := b.db.View(f); err != nil {
		return fmt.Errorf("diskq: %s: %w", b.path, err)
	}
	return nil
}

// Send appends msgs to name in one transaction; see queue.Producer.
func (b *Broker) Send(ctx context.Context, name string, msgs ...[]byte) error {
	if err := queue.CheckName(name); err != nil {
		return err
	}
	if err := queue.CheckMessages(name, msgs); err != nil {
		return err
	}
	if len(msgs) == 0 {
		return nil
	}
	limit := b.opts.Limit(name)
	lo, hi := b.opts.Poll()
	return queue.Poll(ctx, b.done, lo, hi, func() (bool, error) {
		ok, err := b.update(func(tx *bolt.Tx) error {
			bk, err := tx.CreateBucketIfNotExists([]byte(name))
			if err != nil {
				return err
			}
			if limit > 0 && length(bk) >= limit {
				return errRollback
			}
			return appendAll(bk, msgs)
		})
		if ok {
			b.signal(name)
		}
		return ok, err
	})
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
	return &consumer{b: b, source: source, internal: internal, done: make(chan struct{})}, nil
}

// release frees internal for another consumer.
func (b *Broker) release(internal string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.consumers, internal)
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
	err := b.view(func(tx *bolt.Tx) error {
		if bk := tx.Bucket([]byte(name)); bk != nil {
			n = length(bk)
		}
		return nil
	})
	return n, err
}

// Clear deletes every message of name.
func (b *Broker) Clear(ctx context.Context, name string) error {
	if name == "" {
		return nil
	}
	_, err := b.update(func(tx *bolt.Tx) error {
		if tx.Bucket([]byte(name)) == nil {
			return errRollback
		}
		return tx.DeleteBucket([]byte(name))
	})
	return err
}

// Queues lists the non-empty queues sorted by name (bbolt keeps buckets
// sorted by their byte names).
func (b *Broker) Queues(ctx context.Context) ([]queue.QueueInfo, error) {
	var out []queue.QueueInfo
	err := b.view(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, bk *bolt.Bucket) error {
			if n := length(bk); n > 0 {
				out = append(out, queue.QueueInfo{Name: string(name), Len: n})
			}
			return nil
		})
	})
	return out, err
}

// Close waits for running transactions and closes the file. Messages stay
// in the file.
func (b *Broker) Close() error {
	b.life.Lock()
	defer b.life.Unlock()
	if b.closed {
		return nil
	}
	b.closed = true
	close(b.done)
	<-b.stopped
	if err := b.db.Close(); err != nil {
		return fmt.Errorf("diskq: close %s: %w", b.path, err)
	}
	return nil
}

// base is the first position used in an empty queue: the middle of the
// key space, so that prepending and appending both have room.
const base = uint64(1) << 63

func key(pos uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], pos)
	return k[:]
}

func pos(k []byte) uint64 { return binary.BigEndian.Uint64(k) }

// bounds returns the first and last positions of bk, ok false when empty.
func bounds(bk *bolt.Bucket) (first, last uint64, ok bool) {
	c := bk.Cursor()
	fk, _ := c.First()
	if fk == nil {
		return 0, 0, false
	}
	lk, _ := c.Last()
	return pos(fk), pos(lk), true
}

// length returns the number of messages in bk.
func length(bk *bolt.Bucket) int {
	first, last, ok := bounds(bk)
	if !ok {
		return 0
	}
	return int(last - first + 1)
}

// appendAll puts msgs after the last message of bk.
func appendAll(bk *bolt.Bucket, msgs [][]byte) error {
	bk.FillPercent = 1 // keys only grow at this end: fill pages completely
	next := base
	if _, last, ok := bounds(bk); ok {
		next = last + 1
	}
	for i, m := range msgs {
		if err := bk.Put(key(next+uint64(i)), m); err != nil {
			return err
		}
	}
	return nil
}
