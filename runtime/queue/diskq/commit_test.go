// SPDX-License-Identifier: AGPL-3.0-or-later

package diskq

import (
	"context"
	"errors"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/intelmq-go/intelmq/runtime/queue"
)

// putTo returns a change that adds one message to queue q, calling
// each (if not nil) with q every time it runs.
func putTo(q string, each func(q string)) func(tx *bolt.Tx) error {
	return func(tx *bolt.Tx) error {
		if each != nil {
			each(q)
		}
		_, err := appendTo(tx, q, encodeSegments([][]byte{[]byte("m")}, nil), nil, 0)
		return err
	}
}

// TestGroupFailureRunsChangesAlone: a failing change rolls its group back;
// the others are then committed alone and the failure reaches only its
// caller. No-op changes are reported as not committed.
func TestGroupFailureRunsChangesAlone(t *testing.T) {
	b, err := Open(t.TempDir(), queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	boom := errors.New("boom")
	put := func(q string) func(tx *bolt.Tx) error { return putTo(q, nil) }
	fns := []func(tx *bolt.Tx) error{
		put("a"),
		func(tx *bolt.Tx) error { return errRollback },
		func(tx *bolt.Tx) error {
			if err := put("c")(tx); err != nil {
				return err
			}
			return boom // after writing: the write must not survive
		},
		put("b"),
	}
	group := make([]change, len(fns))
	for i, fn := range fns {
		group[i] = change{fn: fn, done: make(chan result, 2)}
	}
	b.commitGroup(group)
	want := []result{{committed: true}, {}, {err: boom}, {committed: true}}
	for i, c := range group {
		got := <-c.done
		if got.committed != want[i].committed || !errors.Is(got.err, want[i].err) {
			t.Errorf("change %d: got %+v, want %+v", i, got, want[i])
		}
		if len(c.done) != 0 {
			t.Errorf("change %d answered twice", i)
		}
	}
	ctx := context.Background()
	for q, n := range map[string]int{"a": 1, "b": 1, "c": 0} {
		if got, _ := b.Len(ctx, q); got != n {
			t.Errorf("Len(%q) = %d, want %d", q, got, n)
		}
	}
}

// TestAnsweredChangesNotRerun: a change answered before the commit
// (waitApply) is not run again when its group fails: its caller has gone
// on with the first outcome, and the change is lost as by a crash. A lazy
// change (waitNone) is run again alone.
func TestAnsweredChangesNotRerun(t *testing.T) {
	b, err := Open(t.TempDir(), queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	boom := errors.New("boom")
	runs := map[string]int{}
	put := func(q string) func(tx *bolt.Tx) error { return putTo(q, func(q string) { runs[q]++ }) }
	group := []change{
		{fn: put("applied"), wait: waitApply, done: make(chan result, 2)},
		{fn: put("lazy"), wait: waitNone},
		{fn: func(tx *bolt.Tx) error { return boom }, done: make(chan result, 2)},
	}
	b.commitGroup(group)
	if got := <-group[0].done; !got.committed || got.err != nil || len(group[0].done) != 0 {
		t.Errorf("applied change answered %+v (and %d more)", got, len(group[0].done))
	}
	if got := <-group[2].done; !errors.Is(got.err, boom) {
		t.Errorf("failing change answered %+v", got)
	}
	if runs["applied"] != 1 || runs["lazy"] != 2 {
		t.Errorf("runs = %v, want applied once and lazy twice", runs)
	}
	ctx := context.Background()
	for q, n := range map[string]int{"applied": 0, "lazy": 1} {
		if got, _ := b.Len(ctx, q); got != n {
			t.Errorf("Len(%q) = %d, want %d", q, got, n)
		}
	}
}

// TestDurableChangeMadeAgain: a durable change (a deferred Send) answered
// before its group failed is made again alone, before the changes after
// it, so that the Ack that follows it never reaches the file without it;
// its after is told when it was committed. A change that fails at first is
// made again until it is committed.
func TestDurableChangeMadeAgain(t *testing.T) {
	b, err := Open(t.TempDir(), queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	boom := errors.New("boom")
	var order []string
	put := func(q string) func(tx *bolt.Tx) error {
		return putTo(q, func(q string) { order = append(order, q) })
	}
	var afters []bool
	runs := 0 // the durable change fails on its second and third runs
	durable := func(tx *bolt.Tx) error {
		if runs++; runs == 2 || runs == 3 {
			order = append(order, "durable")
			return boom
		}
		return put("durable")(tx)
	}
	group := []change{
		{fn: durable, wait: waitApply, done: make(chan result, 2), durable: true,
			after: func(committed bool) { afters = append(afters, committed) }},
		{fn: put("ack"), wait: waitNone},
		{fn: func(tx *bolt.Tx) error { return boom }, done: make(chan result, 2)},
	}
	b.commitGroup(group)
	if got := <-group[0].done; !got.committed || got.err != nil {
		t.Errorf("durable change answered %+v", got)
	}
	if got := <-group[2].done; !errors.Is(got.err, boom) {
		t.Errorf("failing change answered %+v", got)
	}
	// In the group, then alone: failed twice, then committed; then the ack.
	want := []string{"durable", "ack", "durable", "durable", "durable", "ack"}
	if len(order) != len(want) {
		t.Fatalf("runs %v, want %v", order, want)
	}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("runs %v, want %v", order, want)
		}
	}
	if len(afters) != 1 || !afters[0] {
		t.Errorf("after called with %v, want once with true", afters)
	}
	ctx := context.Background()
	for q, n := range map[string]int{"durable": 1, "ack": 1} {
		if got, _ := b.Len(ctx, q); got != n {
			t.Errorf("Len(%q) = %d, want %d", q, got, n)
		}
	}
}

// TestDurableChangeGivenUp: a durable change that cannot be committed
// before Close is given up, and so is every change after it, so that the
// Ack that followed a deferred Send never reaches the file without it.
func TestDurableChangeGivenUp(t *testing.T) {
	dir := t.TempDir()
	b, err := Open(dir, queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	put := func(q string) func(tx *bolt.Tx) error { return putTo(q, nil) }
	runs := 0 // the durable change works in its group only
	ran := make(chan int, 100)
	group := []change{
		{fn: func(tx *bolt.Tx) error {
			runs++
			ran <- runs
			if runs > 1 {
				return boom
			}
			return put("durable")(tx)
		}, wait: waitApply, done: make(chan result, 2), durable: true},
		{fn: put("ack"), wait: waitNone},
		{fn: func(tx *bolt.Tx) error { return boom }, done: make(chan result, 2)},
	}
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		b.commitGroup(group)
	}()
	for <-ran < 3 { // the group, then two attempts alone
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	<-finished
	if got := <-group[2].done; !errors.Is(got.err, queue.ErrClosed) {
		t.Errorf("the change after the given-up one answered %+v, want ErrClosed", got)
	}
	b, err = Open(dir, queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, q := range []string{"durable", "ack"} {
		if n, _ := b.Len(context.Background(), q); n != 0 {
			t.Errorf("Len(%q) = %d after the durable change was given up, want 0", q, n)
		}
	}
}
