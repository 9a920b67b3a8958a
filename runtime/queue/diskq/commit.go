// SPDX-License-Identifier: AGPL-3.0-or-later

package diskq

import (
	"errors"
	"runtime"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/intelmq-go/intelmq/runtime/queue"
)

// wait says when the caller of a change goes on.
type wait uint8

const (
	// waitCommit: after the commit that holds the change (and its fsync,
	// as the policy says).
	waitCommit wait = iota
	// waitApply: as soon as the change ran in the write transaction; its
	// commit follows. Later changes see it.
	waitApply
	// waitNone: at once; the change runs in the next transaction.
	waitNone
)

// change is one caller's write, waiting for the committer.
type change struct {
	fn   func(tx *bolt.Tx) error
	wait wait
	done chan result // nil for waitNone

	// hold, if set, is asked after fn ran whether a waitApply change must
	// wait for the commit after all.
	hold func() bool

	// durable marks a waitApply change that must reach the file even when
	// its caller was answered before the commit and the commit failed (a
	// deferred Send): it is then made again, alone, until it is committed
	// or the broker closes, before any later change (see commitGroup).
	durable bool
	// after, if set, is called once the change was committed, or written
	// nothing, or failed for good, and says whether it was committed (its
	// caller owns memory that bbolt keeps until the commit).
	after func(committed bool)

	noop     bool // fn returned errRollback in the last run
	released bool // the caller was answered before the commit
}

// result tells a caller whether its change was committed (for waitApply:
// applied).
type result struct {
	committed bool
	err       error
}

// enqueue hands c to the committer; it never blocks.
func (b *Broker) enqueue(c change) {
	b.qmu.Lock()
	b.pending = append(b.pending, c)
	b.qmu.Unlock()
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// take moves the waiting changes to group, which it returns.
func (b *Broker) take(group []change) []change {
	b.qmu.Lock()
	defer b.qmu.Unlock()
	group, b.pending = b.pending, group[:0]
	return group
}

// commitLoop is the broker's only writer (group commit). It takes every
// change waiting and runs them in one transaction, in order, so that one
// commit (and one fsync) serves them all: a lone caller waits for nothing
// extra, and changes that arrive while a commit is being written share
// the next one. When the broker closes it commits what is left.
func (b *Broker) commitLoop() {
	defer close(b.stopped)
	var group []change
	for {
		closing := false
		select {
		case <-b.wake:
		case <-b.done:
			closing = true
		}
		for {
			// Let the goroutines that are ready run first: the bots that
			// were just answered often have their next change ready, and
			// it joins this group instead of the next.
			runtime.Gosched()
			group = b.take(group)
			if len(group) == 0 {
				break
			}
			b.commitGroup(group)
			clear(group) // drop the closures
		}
		if closing {
			return
		}
	}
}

// commitGroup commits group in one transaction. A change whose fn returns
// errRollback has written nothing and is reported as not committed. If the
// transaction fails, every change whose caller was not answered yet is
// run again alone, so that the failure reaches only its own caller; the
// changes already answered (waitApply) are lost with the transaction, as
// they would be by a crash (see the package documentation), except the
// durable ones (deferred Sends), which are made again until they are
// committed, in their place, so that no later change (the Ack of the batch
// they came from) reaches the file without them.
func (b *Broker) commitGroup(group []change) {
	if b.abandoned {
		for _, c := range group {
			b.abandon(c)
		}
		return
	}
	err := b.commit(func(tx *bolt.Tx) error {
		wrote := false
		for i := range group {
			c := &group[i]
			b.changes.Add(1)
			err := c.fn(tx)
			c.noop = errors.Is(err, errRollback)
			if err != nil && !c.noop {
				return err
			}
			wrote = wrote || !c.noop
			if c.wait == waitApply && (c.hold == nil || !c.hold()) {
				c.released = true
				c.done <- result{committed: !c.noop}
			}
		}
		if !wrote {
			return errRollback // nothing to flush
		}
		return nil
	})
	if err == nil || errors.Is(err, errRollback) {
		for _, c := range group {
			if !c.released && c.done != nil {
				c.done <- result{committed: err == nil && !c.noop}
			}
			if c.after != nil {
				c.after(err == nil && !c.noop)
			}
		}
		return
	}
	if len(group) == 1 && !group[0].durable {
		c := group[0]
		if !c.released && c.done != nil {
			c.done <- result{err: err}
		}
		if c.after != nil {
			c.after(false)
		}
		return
	}
	for _, c := range group {
		switch {
		case b.abandoned:
			b.abandon(c)
		case c.released && c.durable:
			b.abandoned = !b.commitDurable(c)
		case c.released:
			if c.after != nil {
				c.after(false)
			}
		default:
			b.commitGroup([]change{c})
		}
	}
}

// commit runs f in a write transaction and commits it, keeping count of
// the commits and of the last segment committed (lastSeg).
func (b *Broker) commit(f func(tx *bolt.Tx) error) error {
	var lastSeg uint64
	err := b.db.Update(func(tx *bolt.Tx) error {
		if err := f(tx); err != nil {
			return err
		}
		if data := tx.Bucket([]byte(dataName)); data != nil {
			lastSeg = data.Sequence()
		}
		return nil
	})
	if err == nil {
		b.lastSeg = lastSeg
		b.commits.Add(1)
	}
	return err
}

// abandon answers c without running it: a durable change before it was
// given up (the broker is closing), and no later change may be committed
// without it.
func (b *Broker) abandon(c change) {
	if !c.released && c.done != nil {
		c.done <- result{err: queue.ErrClosed}
	}
	if c.after != nil {
		c.after(false)
	}
}

// commitDurable makes the answered change c again, alone, until it is
// committed or the broker closes, and reports whether it was committed.
// If not, no later change is committed either (see abandon): the messages
// it sent come again from their source. A failing disk stops the queues
// meanwhile.
func (b *Broker) commitDurable(c change) bool {
	committed := false
	if c.after != nil {
		defer func() { c.after(committed) }()
	}
	delay := durableRetryMin
	for {
		err := b.commit(func(tx *bolt.Tx) error {
			b.changes.Add(1)
			return c.fn(tx)
		})
		if err == nil {
			committed = true
			return true
		}
		if errors.Is(err, errRollback) {
			return true // nothing to write: nothing to lose
		}
		select {
		case <-b.done:
			return false
		case <-time.After(delay):
		}
		delay = min(2*delay, durableRetryMax)
	}
}

// Bounds of the wait between two attempts of commitDurable.
const (
	durableRetryMin = 10 * time.Millisecond
	durableRetryMax = time.Second
)
