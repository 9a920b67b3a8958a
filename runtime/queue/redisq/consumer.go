// SPDX-License-Identifier: AGPL-3.0-or-later

package redisq

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

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
	// unread counts the messages at the right (oldest) end of the
	// internal queue that this consumer took from the source and has not
	// delivered yet; what the internal queue holds beyond them was
	// delivered before (to this or an earlier consumer) and is redelivered.
	// Close reads it, hence atomic.
	unread atomic.Int64
	// ahead holds the oldest unread messages, oldest first, read from the
	// internal queue with an earlier batch (read-ahead): the next batches
	// come from it without a round trip. Reset whenever the state of the
	// internal queue is in doubt.
	ahead [][]byte
	// loaded says takeScript was loaded into Redis (SCRIPT LOAD) by this
	// consumer, so that its first take does not fail with NOSCRIPT.
	loaded bool
}

// readAhead is how many batches a read of the internal queue returns at
// most: the first is delivered, the others are kept in consumer.ahead.
const readAhead = 4

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
			c.unread.Store(0)
			c.ahead = nil
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

// next returns the next messages of the internal queue, else messages
// taken from the source, else waits up to blockTimeout for one message;
// nil when there was none.
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
	msgs, err := c.take(ctx, n)
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

// leftovers returns the oldest n messages of the non-empty internal queue:
// the rest of what take took, else what an earlier consumer left
// unacknowledged (IntelMQ: LINDEX -1), which is redelivered.
func (c *consumer) leftovers(ctx context.Context, n int) (*batch, error) {
	u := c.unread.Load()
	if u == 0 {
		// Redelivered messages: read no further than the batch.
		vals, err := c.b.client.LRange(ctx, c.internal, -int64(n), -1).Result()
		if err != nil {
			return nil, c.b.wrap(err, "LRANGE", c.internal)
		}
		msgs := oldestFirst(vals)
		if len(msgs) == 0 {
			c.internalLen = 0 // emptied meanwhile by someone else
			return nil, nil
		}
		return &batch{c: c, msgs: msgs, length: c.internalLen, redelivered: true}, nil
	}
	if len(c.ahead) == 0 {
		vals, err := c.b.client.LRange(ctx, c.internal, -min(u, int64(readAhead*n)), -1).Result()
		if err != nil {
			return nil, c.b.wrap(err, "LRANGE", c.internal)
		}
		if c.ahead = oldestFirst(vals); len(c.ahead) == 0 {
			c.internalLen = 0 // emptied meanwhile by someone else
			c.unread.Store(0)
			return nil, nil
		}
	}
	k := min(n, len(c.ahead))
	msgs := c.ahead[:k:k]
	c.ahead = c.ahead[k:]
	c.unread.Add(-int64(k))
	return &batch{c: c, msgs: msgs, length: c.internalLen}, nil
}

// oldestFirst turns LRANGE's values, newest first, into messages, oldest
// first. The messages are the values' own bytes, not copies: go-redis
// allocates every value of a reply afresh and keeps none, so the batch is
// their only holder, and nobody changes a received message (see
// queue.Batch.Messages), as Go requires of a string's bytes.
func oldestFirst(vals []string) [][]byte {
	out := make([][]byte, len(vals))
	for i, v := range vals {
		out[len(vals)-1-i] = unsafe.Slice(unsafe.StringData(v), len(v))
	}
	return out
}

// take moves the source's messages to the empty internal queue in one
// atomic script (see takeScript) and returns the oldest n of them, oldest
// first. After a RENAME the read-ahead comes from an LRANGE sent in the
// same round trip, which Redis runs right after the script.
func (c *consumer) take(ctx context.Context, n int) ([][]byte, error) {
	var (
		script *redis.Cmd
		read   *redis.StringSliceCmd
	)
	keys := []string{c.source, c.internal}
	run := func(p redis.Pipeliner) error {
		script = takeScript.EvalSha(ctx, p, keys, n)
		read = p.LRange(ctx, c.internal, -int64(readAhead*n), -1)
		return nil
	}
	if !c.loaded {
		if err := takeScript.Load(ctx, c.b.client).Err(); err != nil {
			return nil, c.b.wrap(err, "SCRIPT LOAD of the take script for", c.source)
		}
		c.loaded = true
	}
	_, err := c.b.client.Pipelined(ctx, run)
	if err != nil && redis.HasErrorPrefix(script.Err(), "NOSCRIPT") {
		// A Redis that restarted or flushed its scripts: load it again.
		if err = takeScript.Load(ctx, c.b.client).Err(); err == nil {
			_, err = c.b.client.Pipelined(ctx, run)
		}
	}
	if err != nil {
		return nil, c.b.wrap(err, "take script on", c.source)
	}
	reply, err := script.Slice()
	if err != nil {
		return nil, c.b.wrap(err, "take script on", c.source)
	}
	var (
		added, renamed int64
		moved          []any
		ok             bool
	)
	if len(reply) == 3 {
		added, ok = reply[0].(int64)
		if ok {
			renamed, ok = reply[1].(int64)
		}
		if ok {
			moved, ok = reply[2].([]any)
		}
	}
	if !ok || added < int64(len(moved)) {
		return nil, fmt.Errorf("redisq: the take script on %s returned %v", c.source, reply)
	}
	var strs []string
	if renamed == 1 {
		// The oldest of what the LRANGE read, in case something pushed
		// to the internal queue in between.
		strs = read.Val()
		strs = strs[max(len(strs)-int(added), 0):]
	} else {
		strs = make([]string, len(moved))
		for i, v := range moved {
			str, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("redisq: the take script on %s returned a %T", c.source, v)
			}
			strs[i] = str
		}
	}
	out := oldestFirst(strs)
	c.internalLen += added
	k := min(n, len(out))
	c.ahead = out[k:]
	c.unread.Store(added - int64(k))
	return out[:k:k], nil
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

// Close releases the internal queue; see queue.Consumer. Messages taken
// from the source but not delivered go back to its read end when no batch
// is outstanding, so a bot stopped gracefully leaves its internal queue
// empty, as IntelMQ's does; if that fails (Redis unreachable) they stay in
// the internal queue, to be redelivered first.
func (c *consumer) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		c.closed = true
		if c.pending == nil && c.unread.Load() > 0 && !c.b.isClosed() {
			ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
			_ = nackScript.Run(ctx, c.b.client, []string{c.internal, c.source}).Err()
			cancel()
		}
		c.pending = nil
		close(c.done)
		c.b.release(c.internal)
	}
	return nil
}

// closeTimeout bounds the requeueing of undelivered messages in Close.
const closeTimeout = 5 * time.Second

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
		c.unread.Store(0)
		c.ahead = nil
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
		c.unread.Store(0)
		c.ahead = nil
		return err
	}
	bt.settled = true
	c.pending = nil
	return nil
}
