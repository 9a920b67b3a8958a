// SPDX-License-Identifier: AGPL-3.0-or-later

package memq

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/intelmq-go/intelmq/runtime/queue"
)

// Broker is an in-memory queue.Broker. The zero value is not usable; call
// New.
type Broker struct {
	opts queue.Options

	mu        sync.Mutex
	queues    map[string]*deque
	signals   map[string]chan struct{} // closed when the queue gets messages
	consumers map[string]bool          // internal queues with a consumer
	closed    bool
	done      chan struct{}
}

var _ queue.Broker = (*Broker)(nil)

// New returns an empty broker configured by opts.
func New(opts queue.Options) (*Broker, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	return &Broker{
		opts:      opts,
		queues:    map[string]*deque{},
		signals:   map[string]chan struct{}{},
		consumers: map[string]bool{},
		done:      make(chan struct{}),
	}, nil
}

// Send appends copies of msgs to queue; see queue.Producer.
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
	copies := copyAll(msgs)
	limit := b.opts.Limit(name)
	lo, hi := b.opts.Poll()
	return queue.Poll(ctx, b.done, lo, hi, func() (bool, error) {
		b.mu.Lock()
		defer b.mu.Unlock()
		if b.closed {
			return false, queue.ErrClosed
		}
		q := b.queue(name)
		if limit > 0 && q.len() >= limit {
			return false, nil
		}
		for _, m := range copies {
			q.pushBack(m)
		}
		b.signalLocked(name)
		return true, nil
	})
}

// queue returns the named queue, creating it. b.mu must be held.
func (b *Broker) queue(name string) *deque {
	q := b.queues[name]
	if q == nil {
		q = &deque{}
		b.queues[name] = q
	}
	return q
}

// signalLocked wakes the consumers waiting on name. b.mu must be held.
func (b *Broker) signalLocked(name string) {
	if ch, ok := b.signals[name]; ok {
		close(ch)
		delete(b.signals, name)
	}
}

// signal returns a channel closed when name next gets messages. b.mu must
// be held.
func (b *Broker) signal(name string) <-chan struct{} {
	ch, ok := b.signals[name]
	if !ok {
		ch = make(chan struct{})
		b.signals[name] = ch
	}
	return ch
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
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, queue.ErrClosed
	}
	if b.consumers[internal] {
		return nil, fmt.Errorf("%w: %q", queue.ErrInUse, internal)
	}
	b.consumers[internal] = true
	return &consumer{b: b, source: source, internal: internal, done: make(chan struct{})}, nil
}

// Len returns the number of messages in name.
func (b *Broker) Len(ctx context.Context, name string) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return 0, queue.ErrClosed
	}
	if q := b.queues[name]; q != nil {
		return q.len(), nil
	}
	return 0, nil
}

// Clear deletes every message of name.
func (b *Broker) Clear(ctx context.Context, name string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return queue.ErrClosed
	}
	delete(b.queues, name)
	return nil
}

// Queues lists the non-empty queues sorted by name.
func (b *Broker) Queues(ctx context.Context) ([]queue.QueueInfo, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, queue.ErrClosed
	}
	var out []queue.QueueInfo
	for name, q := range b.queues {
		if q.len() > 0 {
			out = append(out, queue.QueueInfo{Name: name, Len: q.len()})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Close drops every message and wakes blocked calls with queue.ErrClosed.
func (b *Broker) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.closed {
		b.closed = true
		b.queues = nil
		close(b.done)
	}
	return nil
}

// copyAll copies msgs into one buffer (one allocation, not one per
// message); each copy is capped at its own end.
func copyAll(msgs [][]byte) [][]byte {
	size := 0
	for _, m := range msgs {
		size += len(m)
	}
	buf := make([]byte, 0, size)
	out := make([][]byte, len(msgs))
	for i, m := range msgs {
		start := len(buf)
		buf = append(buf, m...)
		out[i] = buf[start:len(buf):len(buf)]
	}
	return out
}
