// SPDX-License-Identifier: AGPL-3.0-or-later

package diskq

import (
	"context"
	"errors"
	"sync"

	bolt "go.etcd.io/bbolt"

	"github.com/intelmq-go/intelmq/runtime/queue"
)

// consumer implements queue.Consumer on a Broker.
type consumer struct {
	b                *Broker
	source, internal string

	done chan struct{} // closed by Close

	mu      sync.Mutex
	pending *batch
	closed  bool

	// The fast path of Receive (see fastFill), guarded by mu. fast says
	// that the internal queue holds nothing beyond the outstanding batch
	// and that every message of the source before message takenFrom of
	// segment takenSeg has been taken by this consumer; it holds while
	// b.reorders is still reorders.
	fast      bool
	takenSeg  uint64
	takenFrom uint32
	reorders  uint64
}

// Receive returns the next batch; see queue.Consumer.
func (c *consumer) Receive(ctx context.Context, n int) (queue.Batch, error) {
	n = max(n, 1)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		bt, wait, err := c.tryReceive(n)
		if err != nil || bt != nil {
			return bt, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-c.b.done:
			return nil, queue.ErrClosed
		case <-c.done:
			return nil, queue.ErrClosed
		case <-wait:
		}
	}
}

// tryReceive returns a batch, or a channel to wait on when there is none.
func (c *consumer) tryReceive(n int) (*batch, <-chan struct{}, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.closed:
		return nil, nil, queue.ErrClosed
	case c.pending != nil:
		return nil, nil, queue.ErrUnsettled
	}
	// Take the waiter before looking, so that a Send between the look and
	// the wait still wakes the caller.
	wait := c.b.waiter(c.source)
	bt, err := c.fastFill(n)
	if bt == nil && err == nil {
		bt, err = c.fill(n)
	}
	if err != nil || bt != nil {
		c.pending = bt
		return bt, nil, err
	}
	return nil, wait, nil
}

// fastFill is the fast path of Receive, for a consumer that is alone on
// its source and whose internal queue holds nothing beyond the batch just
// settled: it finds the next messages of the source in a read transaction
// of its own, copies them out and returns them, and leaves their move to
// the internal queue to the committer without waiting for it (moveLazily).
// The bot thus never waits for a commit, and its fsync, to take its next
// batch. It returns nil, nil when the path is closed or finds nothing, and
// fill, which sees the changes not committed yet, takes over.
//
// The read transaction sees the last commit, which may lack this
// consumer's latest moves; messages it took before are skipped by their
// place in the source: Send appends segments of growing numbers, and only
// Nack and Clear put messages elsewhere (they change b.reorders, which
// sends the next Receive through fill). The move is a change like any
// other: it runs after every change made before it, and a crash before its
// commit leaves the messages in the source, to be delivered again
// (at-least-once, as with every move under the batch and none policies).
func (c *consumer) fastFill(n int) (*batch, error) {
	if !c.fast || c.b.reorders.Load() != c.reorders || !c.b.soleConsumer(c.source) {
		c.fast = false
		return nil, nil
	}
	var (
		es      []entry
		msgs    [][]byte
		trusted bool
	)
	err := c.b.readView(func(s store) error {
		src := s.queue(c.source)
		if src == nil {
			return nil
		}
		cur := src.Cursor()
		for k, v := cur.First(); k != nil && n > 0; k, v = cur.Next() {
			r, err := decodeRef(v)
			if err != nil {
				return err
			}
			switch {
			case r.seg < c.takenSeg:
				continue
			case r.seg == c.takenSeg:
				r.from = max(r.from, c.takenFrom)
				if r.from >= r.to {
					continue
				}
			}
			if r.len() > n {
				r.to = r.from + uint32(n)
			}
			es = append(es, entry{pos(k), r})
			n -= r.len()
		}
		if len(es) == 0 {
			return nil
		}
		refs := make([]ref, len(es))
		for i, e := range es {
			refs[i] = e.ref
		}
		var err error
		msgs, trusted, err = s.read(refs, c.b.epoch)
		return err
	})
	if err != nil || len(es) == 0 {
		// The committer's path reports errors (and sees what this one
		// could not).
		c.fast = false
		return nil, nil
	}
	if _, err := c.b.submit(change{wait: waitNone, fn: func(tx *bolt.Tx) error {
		return moveLazily(tx, c.source, c.internal, es)
	}}); err != nil {
		return nil, err
	}
	last := es[len(es)-1].ref
	c.takenSeg, c.takenFrom = last.seg, last.to
	c.b.fastReceives.Add(1)
	return &batch{c: c, msgs: msgs, first: entry{ref: es[0].ref}, lazy: true, trusted: trusted}, nil
}

// moveLazily moves the messages es name from the source to the tail of the
// internal queue. Each must still be at the head of its entry, as the
// changes before made it; one that is not (the source was cleared
// meanwhile) is left alone, and the Ack of its batch then finds nothing to
// remove.
func moveLazily(tx *bolt.Tx, source, internal string, es []entry) error {
	s, err := openStore(tx)
	if err != nil {
		return err
	}
	src := s.queue(source)
	if src == nil {
		return errRollback
	}
	moved := make([]ref, 0, len(es))
	total := 0
	for _, e := range es {
		v := src.Get(key(e.pos))
		if v == nil {
			continue
		}
		r, err := decodeRef(v)
		if err != nil {
			return err
		}
		if r.seg != e.ref.seg || r.from != e.ref.from || r.to < e.ref.to {
			continue
		}
		if r.to == e.ref.to {
			err = src.Delete(key(e.pos))
		} else {
			rest := r
			rest.from = e.ref.to
			err = src.Put(key(e.pos), rest.encode())
		}
		if err != nil {
			return err
		}
		moved = append(moved, e.ref)
		total += e.ref.len()
	}
	if len(moved) == 0 {
		return errRollback
	}
	if err := addCount(src, -total); err != nil {
		return err
	}
	in, err := s.createQueue(internal)
	if err != nil {
		return err
	}
	return appendRefs(in, moved)
}

// fill moves entries from the head of the source to the tail of the
// internal queue until the latter holds n messages (one transaction) and
// returns its oldest n, or nil when both are empty. Only references move:
// the messages stay where Send wrote them, and the caller copies them out
// in a read transaction of its own, so that the committer, which serves
// every bot, does not spend its time copying.
func (c *consumer) fill(n int) (*batch, error) {
	for attempt := 1; ; attempt++ {
		var (
			bt     *batch
			refs   []ref
			fresh  bool // refs name segments not committed yet
			last   ref  // the last ref moved from the source
			moved  int
			before = c.b.reorders.Load()
		)
		_, err := c.b.submit(change{wait: c.b.moveWait, hold: func() bool { return fresh }, fn: func(tx *bolt.Tx) error {
			bt, refs, fresh, moved = nil, nil, false, 0
			s, err := openStore(tx)
			if err != nil {
				return err
			}
			in := s.queue(c.internal)
			inLen := count(in)
			if src := s.queue(c.source); inLen < n && count(src) > 0 {
				taken, k, err := take(src, n-inLen)
				if err != nil {
					return err
				}
				if in == nil {
					if in, err = s.createQueue(c.internal); err != nil {
						return err
					}
				}
				if err := appendRefs(in, taken); err != nil {
					return err
				}
				moved, last = k, taken[len(taken)-1]
			}
			if inLen+moved == 0 {
				return errRollback
			}
			es, err := head(in, n, nil)
			if err != nil {
				return err
			}
			refs = make([]ref, 0, len(es))
			for got := 0; got < n && len(refs) < len(es); {
				r := es[len(refs)].ref
				if r.len() > n-got {
					r.to = r.from + uint32(n-got)
				}
				refs = append(refs, r)
				got += r.len()
				fresh = fresh || r.seg > c.b.lastSeg
			}
			bt = &batch{c: c, first: es[0], redelivered: inLen > 0}
			if moved == 0 {
				return errRollback // nothing changed: no commit needed
			}
			return nil
		}})
		if err != nil || bt == nil {
			return nil, err
		}
		// Everything before the last message moved has left the source, and
		// the internal queue holds just this batch (it held fewer than n).
		c.fast = moved > 0 && c.b.moveWait != waitCommit
		c.takenSeg, c.takenFrom, c.reorders = last.seg, last.to, before
		bt.msgs, bt.trusted, err = c.b.read(refs)
		if errors.Is(err, errMissing) && attempt < 3 {
			continue // the internal queue was cleared meanwhile
		}
		if err != nil {
			return nil, err
		}
		return bt, nil
	}
}

// Close releases the internal queue; see queue.Consumer.
func (c *consumer) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		c.closed = true
		c.pending = nil
		close(c.done)
		c.b.release(c.source, c.internal)
	}
	return nil
}

// batch implements queue.Batch. It is the first len(msgs) messages of the
// internal queue, starting with the entry first.
type batch struct {
	c           *consumer
	msgs        [][]byte
	first       entry // its position is unknown (0) when lazy
	lazy        bool  // moved by fastFill's change, after Receive returned
	redelivered bool
	trusted     bool
	settled     bool // guarded by c.mu
}

func (bt *batch) Messages() [][]byte { return bt.msgs }

// Trusted reports whether every message was sent with SendTrusted since
// the broker was opened (see queue.TrustedBatch).
func (bt *batch) Trusted() bool { return bt.trusted }

func (bt *batch) Redelivered() bool { return bt.redelivered }

// Ack removes the batch from the head of the internal queue and releases
// its messages.
func (bt *batch) Ack(ctx context.Context) error {
	return bt.settle(bt.c.b.ackWait, func(tx *bolt.Tx) error {
		s, err := openStore(tx)
		if err != nil {
			return err
		}
		in := s.queue(bt.c.internal)
		if in == nil {
			return errRollback // cleared meanwhile
		}
		k, v := in.Cursor().First()
		if k == nil || (!bt.lazy && pos(k) != bt.first.pos) {
			return errRollback // cleared meanwhile
		}
		r, err := decodeRef(v)
		if err != nil {
			return err
		}
		if r.seg != bt.first.ref.seg || r.from != bt.first.ref.from {
			return errRollback // cleared and refilled meanwhile
		}
		refs, _, err := take(in, len(bt.msgs))
		if err != nil {
			return err
		}
		for _, r := range refs {
			if err := s.release(r); err != nil {
				return err
			}
		}
		return nil
	})
}

// Nack moves the whole internal queue to the head of the source.
func (bt *batch) Nack(ctx context.Context) error {
	err := bt.settle(bt.c.b.moveWait, func(tx *bolt.Tx) error {
		s, err := openStore(tx)
		if err != nil {
			return err
		}
		in := s.queue(bt.c.internal)
		if count(in) == 0 {
			return errRollback
		}
		refs, _, err := take(in, count(in))
		if err != nil {
			return err
		}
		src, err := s.createQueue(bt.c.source)
		if err != nil {
			return err
		}
		return prependRefs(src, refs)
	})
	bt.c.b.reorders.Add(1) // the source got messages at its head
	if err == nil {
		bt.c.b.signal(bt.c.source)
	}
	return err
}

// settle runs f once, if the batch is still pending, waiting as w says.
func (bt *batch) settle(w wait, f func(tx *bolt.Tx) error) error {
	c := bt.c
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case bt.settled:
		return queue.ErrSettled
	case c.closed:
		return queue.ErrClosed
	}
	if _, err := c.b.update(w, f); err != nil {
		return err
	}
	bt.settled = true
	c.pending = nil
	return nil
}
