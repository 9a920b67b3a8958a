// SPDX-License-Identifier: AGPL-3.0-or-later

package diskq

import (
	"bytes"
	"context"
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

// fill moves messages from the source to the internal queue until it holds
// n (one transaction) and returns its oldest n, or nil when both are empty.
func (c *consumer) fill(n int) (*batch, error) {
	var bt *batch
	_, err := c.b.update(func(tx *bolt.Tx) error {
		bt = nil
		in := tx.Bucket([]byte(c.internal))
		inLen := 0
		if in != nil {
			inLen = length(in)
		}
		moved := 0
		if inLen < n {
			var err error
			if moved, err = c.move(tx, n-inLen); err != nil {
				return err
			}
		}
		if inLen+moved == 0 {
			return errRollback
		}
		in = tx.Bucket([]byte(c.internal))
		bt = &batch{c: c, redelivered: inLen > 0}
		cur := in.Cursor()
		for k, v := cur.First(); k != nil && len(bt.msgs) < n; k, v = cur.Next() {
			if bt.msgs == nil {
				bt.first = pos(k)
			}
			bt.msgs = append(bt.msgs, bytes.Clone(v))
		}
		if moved == 0 {
			return errRollback // nothing changed: no commit needed
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return bt, nil
}

// move moves up to n messages from the front of the source to the back of
// the internal queue and returns how many it moved.
func (c *consumer) move(tx *bolt.Tx, n int) (int, error) {
	src := tx.Bucket([]byte(c.source))
	if src == nil {
		return 0, nil
	}
	var keys, vals [][]byte
	cur := src.Cursor()
	for k, v := cur.First(); k != nil && len(keys) < n; k, v = cur.Next() {
		keys = append(keys, k)
		vals = append(vals, v)
	}
	if len(keys) == 0 {
		return 0, nil
	}
	in, err := tx.CreateBucketIfNotExists([]byte(c.internal))
	if err != nil {
		return 0, err
	}
	if err := appendAll(in, vals); err != nil {
		return 0, err
	}
	for _, k := range keys {
		if err := src.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(keys), nil
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

// batch implements queue.Batch. It occupies the positions first ..
// first+len(msgs)-1 of the internal queue.
type batch struct {
	c           *consumer
	msgs        [][]byte
	first       uint64
	redelivered bool
	settled     bool // guarded by c.mu
}

func (bt *batch) Messages() [][]byte { return bt.msgs }

func (bt *batch) Redelivered() bool { return bt.redelivered }

// Ack deletes the batch's positions from the internal queue.
func (bt *batch) Ack(ctx context.Context) error {
	return bt.settle(func(tx *bolt.Tx) error {
		in := tx.Bucket([]byte(bt.c.internal))
		if in == nil {
			return errRollback // cleared meanwhile
		}
		for i := range bt.msgs {
			if err := in.Delete(key(bt.first + uint64(i))); err != nil {
				return err
			}
		}
		return nil
	})
}

// Nack moves the whole internal queue to the front of the source.
func (bt *batch) Nack(ctx context.Context) error {
	err := bt.settle(func(tx *bolt.Tx) error {
		in := tx.Bucket([]byte(bt.c.internal))
		if in == nil {
			return errRollback
		}
		src, err := tx.CreateBucketIfNotExists([]byte(bt.c.source))
		if err != nil {
			return err
		}
		next := base
		if first, _, ok := bounds(src); ok {
			next = first - 1
		}
		cur := in.Cursor()
		for k, v := cur.Last(); k != nil; k, v = cur.Prev() {
			if err := src.Put(key(next), v); err != nil {
				return err
			}
			next--
		}
		return tx.DeleteBucket([]byte(bt.c.internal))
	})
	if err == nil {
		bt.c.b.signal(bt.c.source)
	}
	return err
}

// settle runs f in one transaction once, if the batch is still pending.
func (bt *batch) settle(f func(tx *bolt.Tx) error) error {
	c := bt.c
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case bt.settled:
		return queue.ErrSettled
	case c.closed:
		return queue.ErrClosed
	}
	if _, err := c.b.update(f); err != nil {
		return err
	}
	bt.settled = true
	c.pending = nil
	return nil
}
