// SPDX-License-Identifier: AGPL-3.0-or-later

package redisq

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/redis/go-redis/v9"

	"github.com/intelmq-go/intelmq/runtime/queue"
)

// consumer implements queue.Consumer with the IntelMQ list protocol.
//
// As the only user of its internal queue it keeps track of that queue's
// length, learnt with LLEN on the first Receive and after any failed call
// (whose effect is unknown), and kept up to date by its own moves, acks and
// nacks.
type consumer struct {
	b                *Broker
	source, internal string
	done             chan struct{} // closed by Close

	mu      sync.Mutex
	pending *batch
	closed  bool

	// Used only by the goroutine in Receive and settle, which the
	// contract serialises.
	internalLen int64 // -1: unknown
}

// Receive returns the next batch; see queue.Consumer.
func (c *consumer) Receive(ctx context.Context, n int) (queue.Batch, error) {
	n = max(n, 1)
	if err := c.check(); err != nil {
		return nil, err
	}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		bt, err := c.next(ctx, n)
		if err != nil {
			c.internalLen = -1
			return nil, err
		}
		if bt != nil {
			return c.deliver(bt)
		}
		select {
		case <-c.done:
			return nil, queue.ErrClosed
		case <-c.b.done:
			return nil, queue.ErrClosed
		default:
		}
	}
}

// next returns the leftovers of the internal queue, else messages moved
// from the source, else waits up to blockTimeout for one message; nil when
// there was none.
func (c *consumer) next(ctx context.Context, n int) (*batch, error) {
	if c.internalLen < 0 {
		l, err := c.b.client.LLen(ctx, c.internal).Result()
		if err != nil {
			return nil, c.b.wrap(err, "LLEN", c.internal)
		}
		c.internalLen = l
	}
	if c.internalLen > 0 {
		return c.leftovers(ctx, n)
	}
	msgs, err := c.move(ctx, n)
	if err != nil || len(msgs) > 0 {
		return c.fresh(msgs), err
	}
	// Both queues are empty: wait in Redis for one message.
	v, err := c.b.client.BLMove(ctx, c.source, c.internal, "RIGHT", "LEFT", blockTimeout).Bytes()
	switch {
	case err == nil:
		c.internalLen = 1
		return c.fresh([][]byte{v}), nil
	case errors.Is(err, redis.Nil): // timed out
		return nil, nil
	default:
		return nil, c.b.wrap(err, "BLMOVE", c.source)
	}
}

// fresh returns a batch of messages just moved, or nil for none.
func (c *consumer) fresh(msgs [][]byte) *batch {
	if len(msgs) == 0 {
		return nil
	}
	return &batch{c: c, msgs: msgs, length: c.internalLen}
}

// leftovers returns the oldest n messages of the non-empty internal queue,
// which an earlier consumer left unacknowledged (IntelMQ: LINDEX -1).
func (c *consumer) leftovers(ctx context.Context, n int) (*batch, error) {
	vals, err := c.b.client.LRange(ctx, c.internal, -int64(n), -1).Result()
	if err != nil {
		return nil, c.b.wrap(err, "LRANGE", c.internal)
	}
	msgs := make([][]byte, len(vals))
	for i, v := range vals { // newest first
		msgs[len(vals)-1-i] = []byte(v)
	}
	if len(msgs) == 0 {
		c.internalLen = 0 // emptied meanwhile by someone else
		return nil, nil
	}
	return &batch{c: c, msgs: msgs, length: c.internalLen, redelivered: true}, nil
}

// move moves up to n messages from the right of the source to the left of
// the internal queue in one atomic script (see moveScript) and returns
// them oldest first.
func (c *consumer) move(ctx context.Context, n int) ([][]byte, error) {
	vals, err := moveScript.Run(ctx, c.b.client, []string{c.source, c.internal}, n).Slice()
	if err != nil {
		return nil, c.b.wrap(err, "move script on", c.source)
	}
	// One buffer for the batch: one allocation, not one per message.
	size := 0
	for _, v := range vals {
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("redisq: the move script on %s returned a %T", c.source, v)
		}
		size += len(s)
	}
	buf := make([]byte, 0, size)
	out := make([][]byte, len(vals))
	for i, v := range vals { // newest first
		start := len(buf)
		buf = append(buf, v.(string)...)
		out[len(vals)-1-i] = buf[start:len(buf):len(buf)]
	}
	c.internalLen += int64(len(out))
	return out, nil
}

// check returns the error that forbids a Receive now.
func (c *consumer) check() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.closed:
		return queue.ErrClosed
	case c.pending != nil:
		return queue.ErrUnsettled
	}
	return nil
}

// deliver records bt as the pending batch unless the consumer was closed
// meanwhile (the messages then stay in the internal queue).
func (c *consumer) deliver(bt *batch) (queue.Batch, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.closed:
		return nil, queue.ErrClosed
	case c.pending != nil: // a concurrent Receive, against the contract
		return nil, queue.ErrUnsettled
	}
	c.pending = bt
	return bt, nil
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

// batch implements queue.Batch: the oldest len(msgs) messages of an
// internal queue that held length messages when it was delivered.
type batch struct {
	c           *consumer
	msgs        [][]byte
	length      int64
	redelivered bool
	settled     bool // guarded by c.mu
}

func (bt *batch) Messages() [][]byte { return bt.msgs }

func (bt *batch) Redelivered() bool { return bt.redelivered }

// Ack trims the batch off the right end of the internal queue.
func (bt *batch) Ack(ctx context.Context) error {
	return bt.settle(func(c *consumer) error {
		l, err := ackScript.Run(ctx, c.b.client, []string{c.internal}, len(bt.msgs), bt.length).Int64()
		if err != nil {
			return c.b.wrap(err, "acknowledge script on", c.internal)
		}
		c.internalLen = l
		return nil
	})
}

// Nack moves the internal queue back to the read end of the source.
func (bt *batch) Nack(ctx context.Context) error {
	return bt.settle(func(c *consumer) error {
		err := nackScript.Run(ctx, c.b.client, []string{c.internal, c.source}).Err()
		if err != nil {
			return c.b.wrap(err, "requeue script on", c.internal)
		}
		c.internalLen = 0
		return nil
	})
}

// settle runs f once, if the batch is still pending; a failed f leaves it
// pending and the internal queue's length unknown.
func (bt *batch) settle(f func(*consumer) error) error {
	c := bt.c
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case bt.settled:
		return queue.ErrSettled
	case c.closed:
		return queue.ErrClosed
	}
	if err := f(c); err != nil {
		c.internalLen = -1
		return err
	}
	bt.settled = true
	c.pending = nil
	return nil
}
