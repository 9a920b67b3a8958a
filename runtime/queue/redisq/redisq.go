// SPDX-License-Identifier: AGPL-3.0-or-later

package redisq

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"

	"github.com/intelmq-go/intelmq/runtime/queue"
)

// chunk is the number of values per LPUSH command.
const chunk = 1000

// blockTimeout is the longest single BLMOVE wait (Redis counts in seconds);
// Receive repeats it until a message, cancellation or Close.
const blockTimeout = time.Second

// defaultPoolSize is the connection pool size when the URL sets none: each
// waiting consumer holds a connection for up to blockTimeout.
const defaultPoolSize = 128

// Broker is the Redis queue.Broker. The zero value is not usable; call
// Open.
type Broker struct {
	opts   queue.Options
	addr   string // the URL without credentials, for messages
	client *redis.Client

	mu        sync.Mutex
	closed    bool
	done      chan struct{}
	consumers map[string]bool // internal queues with a consumer here
	room      map[string]bool // limited queues the last push left below the limit
}

var _ queue.Broker = (*Broker)(nil)

// Open returns a broker for the Redis named by rawURL (see ParseURL). It
// does not connect: the first call that needs Redis does, and reports an
// unreachable Redis then (see Ping).
func Open(rawURL string, opts queue.Options) (*Broker, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	ropts, addr, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	if ropts.PoolSize == 0 {
		ropts.PoolSize = defaultPoolSize
	}
	// No silent retries: a retried LMOVE whose first reply was lost would
	// move a second message while the first sits unseen in the internal
	// queue. Errors go to the caller, which retries (as IntelMQ does); the
	// consumer then re-reads the internal queue.
	ropts.MaxRetries = -1
	// Maintenance notifications are a Redis Cloud feature that hands
	// connections over during failovers; plain servers do not need it.
	ropts.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	return &Broker{
		opts:      opts,
		addr:      addr,
		client:    redis.NewClient(ropts),
		done:      make(chan struct{}),
		consumers: map[string]bool{},
		room:      map[string]bool{},
	}, nil
}

// Addr returns the broker's URL without credentials.
func (b *Broker) Addr() string { return b.addr }

// Ping checks that Redis answers.
func (b *Broker) Ping(ctx context.Context) error {
	return b.wrap(b.client.Ping(ctx).Err(), "PING", "")
}

func (b *Broker) isClosed() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closed
}

// Send LPUSHes msgs to name, many per command; see queue.Producer. With a
// limit on name, see sendLimited.
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
	if b.isClosed() {
		return queue.ErrClosed
	}
	if limit := b.opts.Limit(name); limit > 0 {
		return b.sendLimited(ctx, name, limit, msgs)
	}
	_, err := b.push(ctx, name, msgs)
	return err
}

// push LPUSHes msgs to name, many per command, in one round trip, and
// returns the length of name afterwards.
func (b *Broker) push(ctx context.Context, name string, msgs [][]byte) (int64, error) {
	if len(msgs) <= chunk {
		n, err := b.client.LPush(ctx, name, values(msgs)...).Result()
		return n, b.wrap(err, "LPUSH", name)
	}
	var last *redis.IntCmd
	_, err := b.client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i := 0; i < len(msgs); i += chunk {
			last = p.LPush(ctx, name, values(msgs[i:min(i+chunk, len(msgs))])...)
		}
		return nil
	})
	return last.Val(), b.wrap(err, "LPUSH", name)
}

// sendLimited pushes msgs once name holds fewer than limit messages. It
// pushes with plain LPUSH only after it saw the queue below its limit:
// from the reply of this broker's last push to name (the new length), or
// else from an LLEN, which it repeats, polling, while the queue is full.
// So a Send writes past the limit only after it saw the queue below it,
// and the limit is exceeded by at most one Send per concurrent producer.
// A Send waiting on a full queue costs Redis one LLEN per poll; the
// messages go to Redis once.
func (b *Broker) sendLimited(ctx context.Context, name string, limit int, msgs [][]byte) error {
	lo, hi := b.opts.Poll()
	return queue.Poll(ctx, b.done, lo, hi, func() (bool, error) {
		if !b.hasRoom(name) {
			n, err := b.client.LLen(ctx, name).Result()
			if err != nil {
				return false, b.wrap(err, "LLEN", name)
			}
			if n >= int64(limit) {
				return false, nil // full
			}
		}
		n, err := b.push(ctx, name, msgs)
		if err != nil {
			return false, err
		}
		b.setRoom(name, n < int64(limit))
		return true, nil
	})
}

// hasRoom reports whether the last push of this broker to name left it
// below its limit.
func (b *Broker) hasRoom(name string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.room[name]
}

func (b *Broker) setRoom(name string, room bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room {
		b.room[name] = true
	} else {
		delete(b.room, name)
	}
}

// values converts messages to command arguments without copying.
func values(msgs [][]byte) []any {
	out := make([]any, len(msgs))
	for i, m := range msgs {
		out[i] = m
	}
	return out
}

// Consumer returns the consumer of source through internal; see
// queue.Broker. Only consumers of this Broker are checked for ErrInUse.
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
	return &consumer{b: b, source: source, internal: internal, done: make(chan struct{}), internalLen: -1}, nil
}

// release frees internal for another consumer.
func (b *Broker) release(internal string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.consumers, internal)
}

// Len returns LLEN name.
func (b *Broker) Len(ctx context.Context, name string) (int, error) {
	if b.isClosed() {
		return 0, queue.ErrClosed
	}
	n, err := b.client.LLen(ctx, name).Result()
	return int(n), b.wrap(err, "LLEN", name)
}

// Clear deletes the key name, as IntelMQ's clear_queue does.
func (b *Broker) Clear(ctx context.Context, name string) error {
	if b.isClosed() {
		return queue.ErrClosed
	}
	return b.wrap(b.client.Del(ctx, name).Err(), "DEL", name)
}

// Queues lists the non-empty lists of the database, sorted by name.
func (b *Broker) Queues(ctx context.Context) ([]queue.QueueInfo, error) {
	if b.isClosed() {
		return nil, queue.ErrClosed
	}
	var names []string
	iter := b.client.ScanType(ctx, 0, "*", 1000, "list").Iterator()
	for iter.Next(ctx) {
		names = append(names, iter.Val())
	}
	if err := iter.Err(); err != nil {
		return nil, b.wrap(err, "SCAN", "")
	}
	cmds := make([]*redis.IntCmd, len(names))
	_, err := b.client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, name := range names {
			cmds[i] = p.LLen(ctx, name)
		}
		return nil
	})
	if err != nil {
		return nil, b.wrap(err, "LLEN", "")
	}
	var out []queue.QueueInfo
	for i, name := range names {
		if n := cmds[i].Val(); n > 0 {
			out = append(out, queue.QueueInfo{Name: name, Len: int(n)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Close closes the connections; blocked calls return queue.ErrClosed.
func (b *Broker) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	close(b.done)
	b.mu.Unlock()
	if err := b.client.Close(); err != nil {
		return fmt.Errorf("redisq: close connections to %s: %w", b.addr, err)
	}
	return nil
}
