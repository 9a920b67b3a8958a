// SPDX-License-Identifier: AGPL-3.0-or-later

package diskq

import (
	"errors"

	bolt "go.etcd.io/bbolt"
)

// maxGroup bounds the number of changes committed together.
const maxGroup = 128

// change is one caller's write, waiting for the committer.
type change struct {
	fn   func(tx *bolt.Tx) error
	done chan result
}

// result tells a caller whether its change was committed.
type result struct {
	committed bool
	err       error
}

// commitLoop is the broker's only writer (group commit). It takes the
// first waiting change, adds every other change already waiting, and runs
// them in one transaction, in order, so that one fsync serves them all: a
// lone caller waits for nothing extra, and bots that write at the same
// time share the cost of the disk flush. A change whose fn returns
// errRollback has written nothing and is reported as not committed. If a
// change fails, the group is rolled back and each change is run alone.
func (b *Broker) commitLoop() {
	defer close(b.stopped)
	for {
		var first change
		select {
		case first = <-b.changes:
		case <-b.done:
			return
		}
		group := []change{first}
	more:
		for len(group) < maxGroup {
			select {
			case c := <-b.changes:
				group = append(group, c)
			default:
				break more
			}
		}
		b.commitGroup(group)
	}
}

// commitGroup commits group in one transaction, or each change alone if
// the group fails.
func (b *Broker) commitGroup(group []change) {
	noop := make([]bool, len(group))
	err := b.db.Update(func(tx *bolt.Tx) error {
		wrote := false
		for i, c := range group {
			err := c.fn(tx)
			noop[i] = errors.Is(err, errRollback)
			if err != nil && !noop[i] {
				return err
			}
			wrote = wrote || !noop[i]
		}
		if !wrote {
			return errRollback // nothing to flush
		}
		return nil
	})
	if err == nil || errors.Is(err, errRollback) {
		for i, c := range group {
			c.done <- result{committed: err == nil && !noop[i]}
		}
		return
	}
	if len(group) == 1 {
		group[0].done <- result{err: err}
		return
	}
	for _, c := range group {
		b.commitGroup([]change{c})
	}
}
