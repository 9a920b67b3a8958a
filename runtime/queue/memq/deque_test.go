// SPDX-License-Identifier: AGPL-3.0-or-later

package memq

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestDequeAgainstSlice drives the ring buffer through random pushes and
// pops at both ends, across growth and wrap-around, and compares it with a
// plain slice.
func TestDequeAgainstSlice(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var d deque
	var want [][]byte
	for i := 0; i < 20000; i++ {
		m := []byte(fmt.Sprint(i))
		switch op := r.IntN(5); {
		case op == 0:
			d.pushFront(m)
			want = append([][]byte{m}, want...)
		case op <= 2:
			d.pushBack(m)
			want = append(want, m)
		case op == 3 && len(want) > 0:
			if got := d.popFront(); string(got) != string(want[0]) {
				t.Fatalf("step %d: popFront = %s, want %s", i, got, want[0])
			}
			want = want[1:]
		case op == 4 && len(want) > 0:
			if got := d.popBack(); string(got) != string(want[len(want)-1]) {
				t.Fatalf("step %d: popBack = %s, want %s", i, got, want[len(want)-1])
			}
			want = want[:len(want)-1]
		}
		if d.len() != len(want) {
			t.Fatalf("step %d: len = %d, want %d", i, d.len(), len(want))
		}
	}
	for i := range want {
		if string(d.at(i)) != string(want[i]) {
			t.Fatalf("at(%d) = %s, want %s", i, d.at(i), want[i])
		}
	}
}
