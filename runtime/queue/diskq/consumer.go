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
	bt, err := c.fill(n)
	if err != nil || bt != nil {
		c.pending = bt
		return bt, nil, err
	}
	return nil, wait, nil
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
			bt    *batch
			refs  []ref
			fresh bool // refs name segments not committed yet
		)
		_, err := c.b.submit(change{wait: c.b.moveWait, hold: func() bool { return fresh }, fn: func(tx *bolt.Tx) error {
			bt, refs, fresh = nil, nil, false
			s, err := openStore(tx)
			if err != nil {
				return err
			}
			in := s.queue(c.internal)
			inLen, moved := count(in), 0
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
				moved = k
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
		bt.msgs, err = c.b.read(refs)
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
		c.b.release(c.internal)
	}
	return nil
}

// batch implements queue.Batch. It is the first len(msgs) messages of the
// internal queue, starting with the entry first.
type batch struct {
	c           *consumer
	msgs        [][]byte
	first       entry
	redelivered bool
	settled     bool // guarded by c.mu
}

func (bt *batch) Messages() [][]byte { return bt.msgs }

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
		if k == nil || pos(k) != bt.first.pos {
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
