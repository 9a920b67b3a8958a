// SPDX-License-Identifier: AGPL-3.0-or-later

package queue

import (
	"context"
	"fmt"
	"time"
)

// InternalName returns the name of the internal queue that IntelMQ pairs
// with the source queue source: source followed by "-internal".
func InternalName(source string) string {
	return source + "-internal"
}

// Producer appends messages to queues.
type Producer interface {
	// Send appends msgs, in order, to the tail of queue: msgs[0] is read
	// before msgs[1]. All of msgs go in one round trip (one transaction,
	// one pipelined command) where the implementation allows. Send MUST NOT
	// retain msgs or their backing arrays after it returns. Sending no
	// message is a no-op; an empty message is rejected with
	// ErrEmptyMessage and an empty queue name with ErrInvalidName.
	//
	// If queue has a length limit (see Options) and holds at least that
	// many messages, Send waits, polling with a backoff, until it holds
	// fewer, and returns ctx.Err() if ctx ends first; nothing is written
	// then. A Send that starts below the limit writes all of msgs, so a
	// queue exceeds its limit by at most one Send per concurrent producer.
	//
	// Send is safe for concurrent use. When it returns an error other than
	// a limit wait cut short by ctx, some of msgs may have been written:
	// callers retry, accepting duplicates (at-least-once).
	Send(ctx context.Context, queue string, msgs ...[]byte) error
}

// DeferredProducer is a Producer that can also defer a Send's durability
// to the caller's next change. The runner sends a batch's results with it
// and then acknowledges the batch: the results need to be durable only
// when the acknowledgement is, which a broker that commits in order gives
// for free. A Send whose caller deletes its input afterwards (a collector)
// must use Send.
type DeferredProducer interface {
	Producer
	// SendDeferred is Send, except that it may return before the messages
	// are durable: they are visible to every later call at once, and
	// durable no later than the caller's next change (Ack, Nack, Send).
	// A crash before then may lose them, with that change.
	SendDeferred(ctx context.Context, queue string, msgs ...[]byte) error
}

// TrustingProducer is a DeferredProducer that can carry, with the messages
// it sends, the sender's word that they are sound: each is the wire form
// (message.Message.AppendWire) or the compact form (AppendCompact) of a
// message this program built, whose values all passed their checks. A
// batch of such messages received from the same broker reports it
// (TrustedBatch), and the runner then decodes it without checking the
// values again (message.Decoder.DecodeTrusted). The word holds only while
// the broker stays open: after a restart, which may come with another
// harmonization schema, every message is checked again. Such a broker's
// messages are read by no other program, so the runner sends it the
// compact form.
type TrustingProducer interface {
	DeferredProducer
	// SendTrusted is SendDeferred for messages of that kind.
	SendTrusted(ctx context.Context, queue string, msgs ...[]byte) error
}

// TrustedBatch is a Batch that can tell whether it holds only messages
// sent with SendTrusted of its broker since the broker was opened.
type TrustedBatch interface {
	Batch
	// Trusted reports whether every message of the batch was sent with
	// SendTrusted of this broker since it was opened.
	Trusted() bool
}

// Consumer receives batches from one source queue through one internal
// queue. It is meant for a single goroutine (one bot instance): at most one
// batch is outstanding at a time.
type Consumer interface {
	// Receive returns the next batch of at least one and at most max
	// messages, oldest first; max < 1 is treated as 1. It blocks until a
	// message is available, ctx ends (returning ctx.Err()) or the consumer
	// or broker is closed (ErrClosed).
	//
	// Messages left unacknowledged in the internal queue (by a crash, or a
	// consumer closed without settling) MUST come first, oldest first,
	// before anything from the source queue; [Batch.Redelivered] reports
	// them. Such a batch may hold only leftovers even when the source has
	// more. Otherwise Receive moves messages from the head of the source
	// queue to the internal queue, as many as are available at once, up
	// to max, and returns them. A broker may move more than max (Redis
	// takes the whole source in one constant-time step); the rest then
	// come in the next batches, oldest first, and are redelivered with
	// the batch if the consumer ends without settling it. Each move is
	// atomic: a message is in exactly one of the two queues at every
	// moment, so a crash anywhere loses nothing.
	//
	// Receive CANNOT be called while the previous batch is neither acked
	// nor nacked: it returns ErrUnsettled.
	Receive(ctx context.Context, max int) (Batch, error)

	// Close releases the consumer. An outstanding batch stays in the
	// internal queue, to be redelivered by the next consumer of that
	// internal queue; settling it afterwards returns ErrClosed. Close is
	// idempotent.
	Close() error
}

// Batch is a group of messages delivered by one Receive. It is settled
// exactly once, by Ack or by Nack; a second settlement returns ErrSettled.
// If Ack or Nack returns another error the batch stays outstanding and the
// call may be repeated (a repeated Ack never removes more than the batch).
type Batch interface {
	// Messages returns the messages, oldest first. They stay valid after
	// the batch is settled, and the broker never changes or reuses their
	// memory, so a receiver may keep parts of them (decoded strings share
	// it: message.Decoder.DecodeShared). The receiver MUST NOT change them
	// either: a broker may hand out memory it does not own alone, such as
	// the strings of a Redis reply.
	Messages() [][]byte

	// Redelivered reports whether the batch starts with messages that an
	// earlier consumer of the internal queue received and never settled.
	Redelivered() bool

	// Ack removes exactly this batch from the internal queue, in one
	// atomic step. Call it only after the results were sent.
	Ack(ctx context.Context) error

	// Nack moves every message of the internal queue back to the head of
	// the source queue, in order, in one atomic step: the next Receive by
	// any consumer of the source gets them first.
	Nack(ctx context.Context) error
}

// QueueInfo is the name and length of one queue.
type QueueInfo struct {
	// Name is the queue's name.
	Name string
	// Len is the number of messages in the queue.
	Len int
}

// Broker is a store of named queues, shared by the bots of a pipeline.
// Queues exist while they hold messages; a queue never written to has
// length 0. All methods are safe for concurrent use.
//
// Lifecycle: open the broker (a constructor of an implementation, or
// broker.Open), take consumers and send, then Close. After Close every
// method returns ErrClosed and blocked calls return it too.
type Broker interface {
	Producer

	// Consumer returns the consumer of source that uses internal as its
	// internal queue (normally InternalName(source)). Each internal queue
	// MUST have at most one consumer at a time: a broker returns ErrInUse
	// for a second one it can see (in this process); across processes the
	// caller keeps internal queue names unique. Several consumers with
	// distinct internal queues may share a source.
	Consumer(source, internal string) (Consumer, error)

	// Len returns the number of messages in queue.
	Len(ctx context.Context, queue string) (int, error)

	// Clear deletes every message in queue. Clearing the internal queue of
	// a running consumer loses its outstanding batch.
	Clear(ctx context.Context, queue string) error

	// Queues lists the non-empty queues, sorted by name.
	Queues(ctx context.Context) ([]QueueInfo, error)

	// Close releases the broker's resources (files, connections). It MUST
	// work after a partial open and is idempotent. Messages are kept by
	// persistent brokers.
	Close() error
}

// Default polling bounds used when Options leave them zero.
const (
	DefaultPollMin = time.Millisecond
	DefaultPollMax = 100 * time.Millisecond
)

// Options configures a broker when it is opened.
type Options struct {
	// MaxLen is the length limit of every queue not listed in Limits;
	// 0 means unlimited.
	MaxLen int
	// Limits gives the length limit of individual queues, overriding
	// MaxLen; a value of 0 means that queue is unlimited.
	Limits map[string]int
	// PollMin and PollMax bound the backoff of Send while it waits on a
	// full queue (and of any polling an implementation does); zero means
	// DefaultPollMin and DefaultPollMax.
	PollMin, PollMax time.Duration
}

// Limit returns the length limit of queue, 0 meaning unlimited.
func (o Options) Limit(queue string) int {
	if n, ok := o.Limits[queue]; ok {
		return n
	}
	return o.MaxLen
}

// Poll returns the effective polling bounds.
func (o Options) Poll() (lo, hi time.Duration) {
	lo, hi = o.PollMin, o.PollMax
	if lo <= 0 {
		lo = DefaultPollMin
	}
	if hi <= 0 {
		hi = DefaultPollMax
	}
	return lo, max(hi, lo)
}

// Validate reports an error when the options are inconsistent.
func (o Options) Validate() error {
	if o.MaxLen < 0 {
		return fmt.Errorf("queue: negative MaxLen %d", o.MaxLen)
	}
	for q, n := range o.Limits {
		if n < 0 {
			return fmt.Errorf("queue: negative limit %d for queue %q", n, q)
		}
	}
	return nil
}

// CheckName returns ErrInvalidName, wrapped with context, when name cannot
// name a queue.
func CheckName(name string) error {
	if name == "" {
		return fmt.Errorf("%w: empty queue name", ErrInvalidName)
	}
	return nil
}

// CheckMessages returns ErrEmptyMessage, wrapped with its position, when
// one of msgs is empty.
func CheckMessages(queue string, msgs [][]byte) error {
	for i, m := range msgs {
		if len(m) == 0 {
			return fmt.Errorf("%w: message %d of %d for queue %q", ErrEmptyMessage, i+1, len(msgs), queue)
		}
	}
	return nil
}
