// SPDX-License-Identifier: AGPL-3.0-or-later

package memq

import (
	"context"

	"github.com/intelmq-go/intelmq/runtime/queue"
)

// consumer implements queue.Consumer on a Broker.
type consumer struct {
	b                *Broker
	source, internal string
	done             chan struct{} // closed by Close

	// guarded by b.mu
	pending *batch
	closed  bool
}

// Receive returns the next batch; see queue.Consumer.
func (c *consumer) Receive(ctx context.Context, n int) (queue.Batch, error) {
	n = max(n, 1)
	for {
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

// tryReceive fills the internal queue from the source up to n messages
// and returns its oldest n messages, or a channel to wait on when both
// queues are empty.
func (c *consumer) tryReceive(n int) (*batch, <-chan struct{}, error) {
	b := c.b
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case b.closed || c.closed:
		return nil, nil, queue.ErrClosed
	case c.pending != nil:
		return nil, nil, queue.ErrUnsettled
	}
	in := b.queue(c.internal)
	redelivered := in.len() > 0
	if src := b.queues[c.source]; src != nil {
		for in.len() < n && src.len() > 0 {
			in.pushBack(src.popFront())
		}
	}
	if in.len() == 0 {
		return nil, b.signal(c.source), nil
	}
	msgs := make([][]byte, min(n, in.len()))
	for i := range msgs {
		msgs[i] = in.at(i) // Send's copy, which nobody changes
	}
	c.pending = &batch{c: c, msgs: msgs, redelivered: redelivered}
	return c.pending, nil, nil
}

// Close releases the internal queue; see queue.Consumer.
func (c *consumer) Close() error {
	b := c.b
	b.mu.Lock()
	defer b.mu.Unlock()
	if !c.closed {
		c.closed = true
		c.pending = nil
		close(c.done)
		delete(b.consumers, c.internal)
	}
	return nil
}

// batch implements queue.Batch.
type batch struct {
	c           *consumer
	msgs        [][]byte
	redelivered bool
	settled     bool // guarded by c.b.mu
}

func (bt *batch) Messages() [][]byte { return bt.msgs }

func (bt *batch) Redelivered() bool { return bt.redelivered }

func (bt *batch) Ack(ctx context.Context) error {
	return bt.settle(func(b *Broker) {
		in := b.queue(bt.c.internal)
		for i := 0; i < len(bt.msgs) && in.len() > 0; i++ {
			in.popFront()
		}
	})
}

func (bt *batch) Nack(ctx context.Context) error {
	return bt.settle(func(b *Broker) {
		in := b.queue(bt.c.internal)
		if in.len() == 0 {
			return
		}
		src := b.queue(bt.c.source)
		for in.len() > 0 {
			src.pushFront(in.popBack())
		}
		b.signalLocked(bt.c.source)
	})
}

// settle runs f under the broker lock once, if the batch is still pending.
func (bt *batch) settle(f func(*Broker)) error {
	b := bt.c.b
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case bt.settled:
		return queue.ErrSettled
	case b.closed || bt.c.closed:
		return queue.ErrClosed
	}
	f(b)
	bt.settled = true
	bt.c.pending = nil
	return nil
}
