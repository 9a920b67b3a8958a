// SPDX-License-Identifier: AGPL-3.0-or-later

package runner

import (
	"context"
	"slices"

	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// outbox collects the encoded messages a bot sends while it works on a
// batch, grouped by destination queue, until the runner flushes them with
// one Send per queue. Messages live in one arena; entries point into it.
//
// Sends are made in attempts (one per processing of an input message): an
// attempt that fails is rolled back, so its messages are never delivered.
type outbox struct {
	router  *Router
	queues  []string // router's queues, then extra ones (the source queue)
	arena   []byte
	entries []entry
	// compact says the messages are encoded in the compact form
	// (message.AppendCompact), for a broker whose messages stay within
	// this process (queue.TrustingProducer); otherwise in the wire form.
	compact bool
	byQueue [][][]byte // scratch of send: the messages of each queue
	mixed   []bool     // scratch of send: a queue has an untrusted message
	rr      uint64

	// limit is the arena size past which an attempt flushes early (a parser
	// emitting the events of a big report).
	limit int
	flush func() error

	// the open attempt
	mark    int     // first entry of the attempt
	counts  []int64 // messages sent per path in the attempt
	sent    int     // sends made in the attempt
	skip    int     // sends of an earlier attempt already flushed
	flushed int     // sends of this attempt already flushed
	err     error
}

// entry is a message waiting in the arena. trusted says it is the wire
// form of a message the bot sent (every value of which passed its check),
// not a received message put back as it came.
type entry struct {
	queue    int
	off, end int
	trusted  bool
}

func newOutbox(r *Router, limit int) *outbox {
	return &outbox{router: r, queues: append([]string(nil), r.Queues()...),
		counts: make([]int64, len(r.Paths())), limit: limit}
}

// queueIndex returns the index of a queue that is not a destination (the
// source queue, when messages are put back).
func (o *outbox) queueIndex(name string) int {
	for i, q := range o.queues {
		if q == name {
			return i
		}
	}
	o.queues = append(o.queues, name)
	return len(o.queues) - 1
}

// begin opens an attempt that skips its first skip sends (those were
// flushed by an earlier attempt on the same input).
func (o *outbox) begin(skip int) {
	o.mark = len(o.entries)
	clear(o.counts)
	o.sent, o.skip, o.flushed, o.err = 0, skip, 0, nil
}

// commit closes the attempt successfully and returns its per-path counts.
func (o *outbox) commit() []int64 {
	o.mark = len(o.entries)
	return o.counts
}

// rollback drops the attempt's unflushed messages and returns how many
// sends the next attempt must skip.
func (o *outbox) rollback() int {
	if len(o.entries) > o.mark {
		o.arena = o.arena[:o.entries[o.mark].off]
		o.entries = o.entries[:o.mark]
	}
	return max(o.skip, o.flushed)
}

var _ botapi.Sender = (*outbox)(nil)

// Send routes and encodes msg (see botapi.Sender).
func (o *outbox) Send(path string, msg *message.Message) error {
	o.sent++
	if o.sent <= o.skip {
		return nil
	}
	off := len(o.arena)
	encoded := false
	err := o.router.Route(path, msg, &o.rr, func(p int, qs []int) {
		o.counts[p]++
		if len(qs) == 0 {
			return // a drop route
		}
		if !encoded {
			if o.compact {
				o.arena = msg.AppendCompact(o.arena)
			} else {
				o.arena = msg.AppendWire(o.arena)
			}
			encoded = true
		}
		for _, q := range qs {
			o.entries = append(o.entries, entry{queue: q, off: off, end: len(o.arena), trusted: true})
		}
	})
	if err != nil {
		return err
	}
	if o.flush != nil && len(o.arena) > o.limit {
		if err := o.flush(); err != nil {
			return err
		}
		o.flushed = o.sent
	}
	return nil
}

// Routed reports whether path leads somewhere.
func (o *outbox) Routed(path string) bool { return o.router.Routed(path) }

// put adds an already encoded message for a queue outside any attempt.
func (o *outbox) put(q int, msg []byte) {
	off := len(o.arena)
	o.arena = append(o.arena, msg...)
	o.entries = append(o.entries, entry{queue: q, off: off, end: len(o.arena)})
	o.mark = len(o.entries)
}

// empty reports whether nothing waits to be sent.
func (o *outbox) empty() bool { return len(o.entries) == 0 }

// send writes every waiting message, one Send per queue in the order the
// messages were sent, and empties the outbox. On error the messages of the
// queues already written are removed and the rest kept, for the caller to
// retry (a failed Send may have written part of its messages: duplicates,
// never losses). A queue whose messages the bot sent, none put back, gets
// them with SendTrusted where the broker has it, so that their receiver
// does not check their values again (queue.TrustingProducer).
func (o *outbox) send(ctx context.Context, b queue.Producer) error {
	if len(o.entries) == 0 {
		return nil
	}
	// The lists are kept for the next send: a bot sends to the same
	// queues batch after batch.
	for len(o.byQueue) < len(o.queues) {
		o.byQueue = append(o.byQueue, nil)
	}
	byQueue := o.byQueue[:len(o.queues)]
	o.mixed = slices.Grow(o.mixed[:0], len(o.queues))[:len(o.queues)]
	clear(o.mixed)
	for q := range byQueue {
		byQueue[q] = byQueue[q][:0]
	}
	for _, e := range o.entries {
		byQueue[e.queue] = append(byQueue[e.queue], o.arena[e.off:e.end:e.end])
		o.mixed[e.queue] = o.mixed[e.queue] || !e.trusted
	}
	send, sendTrusted := b.Send, b.Send
	if d, ok := b.(queue.DeferredProducer); ok {
		// Durable with the Ack of the batch, which follows.
		send, sendTrusted = d.SendDeferred, d.SendDeferred
	}
	if t, ok := b.(queue.TrustingProducer); ok {
		sendTrusted = t.SendTrusted
	}
	for q, msgs := range byQueue {
		if len(msgs) == 0 {
			continue
		}
		f := sendTrusted
		if o.mixed[q] {
			f = send
		}
		if err := f(ctx, o.queues[q], msgs...); err != nil {
			o.keepUnsent(byQueue[:q])
			return err
		}
	}
	o.arena = o.arena[:0]
	o.entries = o.entries[:0]
	o.mark = 0
	return nil
}

// keepUnsent drops the entries of the queues already written.
func (o *outbox) keepUnsent(written [][][]byte) {
	kept := o.entries[:0]
	for _, e := range o.entries {
		if e.queue >= len(written) || len(written[e.queue]) == 0 {
			kept = append(kept, e)
		}
	}
	o.entries = kept
	o.mark = len(kept)
}
