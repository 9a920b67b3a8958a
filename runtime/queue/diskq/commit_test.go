// SPDX-License-Identifier: AGPL-3.0-or-later

package diskq

import (
	"context"
	"errors"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/intelmq-go/intelmq/runtime/queue"
)

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
	put := func(q string) func(tx *bolt.Tx) error {
		return func(tx *bolt.Tx) error {
			bk, err := tx.CreateBucketIfNotExists([]byte(q))
			if err != nil {
				return err
			}
			return appendAll(bk, [][]byte{[]byte("m")})
		}
	}
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
