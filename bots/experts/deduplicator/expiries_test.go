// SPDX-License-Identifier: AGPL-3.0-or-later

package deduplicator

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	mathrand "math/rand/v2"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/intelmq-go/intelmq/internal/clock"
)

// TestKeyOf checks the map key of a hash: the first 16 bytes its hex
// spells, the same for its string and byte forms; anything else is reduced
// by SHA-256, so that equal keys meet and different ones stay apart.
func TestKeyOf(t *testing.T) {
	h := "0123456789abcdef00112233445566778899aabbccddeeff0123456789abcdef"
	k := keyOf(h)
	if got := hex.EncodeToString(k[:]); got != h[:32] {
		t.Fatalf("keyOf(%s) = %s, want its first 16 bytes", h, got)
	}
	if keyOf([]byte(h)) != k {
		t.Fatal("the string and byte forms of a hash have different keys")
	}
	other := strings.Replace(h, "0", "1", 1)
	if keyOf(other) == k {
		t.Fatal("two hashes that differ in their first byte share a key")
	}
	for _, odd := range []string{
		strings.ToUpper(h), // not as Hash writes it
		h[:31] + "g" + h[32:],
		"x" + h[1:],
		h[:62],
		"",
	} {
		ko := keyOf(odd)
		if ko == k {
			t.Errorf("keyOf(%q) is the key of %s", odd, h)
		}
		if keyOf([]byte(odd)) != ko {
			t.Errorf("keyOf(%q) differs between its string and byte forms", odd)
		}
	}
	if keyOf(k[:]) != k || keyOf(string(k[:])) != k {
		t.Error("a 16-byte key is not its own key")
	}
	e := newExpiries()
	e.set(h, 7e9)
	if exp, ok := e.get(h); !ok || exp != 7e9 {
		t.Fatalf("get after set = %d, %v", exp, ok)
	}
	e.deleteIf([]byte(h), 6e9)
	if e.len() != 1 {
		t.Fatal("deleteIf removed a hash of another expiry")
	}
	e.deleteIf([]byte(h), 7e9)
	if e.len() != 0 {
		t.Fatal("deleteIf kept a hash of its expiry")
	}
	// Expiries are kept in whole seconds, rounded up.
	for _, c := range []struct{ set, get uint64 }{{1, 1e9}, {1_500_000_000, 2e9}, {2e9, 2e9}, {noExpiry, noExpiry}} {
		e.set(h, c.set)
		if exp, _ := e.get(h); exp != c.get {
			t.Errorf("set %d, get %d; want %d", c.set, exp, c.get)
		}
	}
}

// TestLocalHexRecordsRead: records of earlier versions, which hold each
// hash's 64 hex digits instead of its 16-byte key, are still read.
func TestLocalHexRecordsRead(t *testing.T) {
	const hash = "742b8767986bbe3bd776197ceafcaf0c1f4217c5c228556ab11140512a6f1378"
	clk := clock.NewManual(epoch)
	path := t.TempDir() + "/c.db"
	s := openTestStore(t, path, clk)
	var rec []byte
	rec = binary.AppendUvarint(rec, uint64(len(hash)))
	rec = append(rec, hash...)
	err := s.db.Update(func(tx *bolt.Tx) error {
		return putRecord(tx.Bucket([]byte(bucketBatches)), uint64(epoch.Add(time.Hour).UnixNano()), rec)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.close(); err != nil {
		t.Fatal(err)
	}
	s = openTestStore(t, path, clk)
	defer s.close()
	if ok, _ := s.seen(context.Background(), hash); !ok {
		t.Error("a hash in a record of hex digits is not seen after a reopen")
	}
	if err := s.add(context.Background(), []string{hash}, time.Hour); err != nil {
		t.Fatal(err)
	}
	if n := recordCount(t, s); n != 1 {
		t.Errorf("%d records after adding a known hash, want 1", n)
	}
}

// TestExpiriesAgainstMap runs random operations on the table and on a Go
// map side by side, with keys drawn from a small set so that they repeat,
// and half of them sharing their first 8 bytes so that they crowd one
// probe path (which wraps around the table's end), through growth, sweeps
// and shrinking.
func TestExpiriesAgainstMap(t *testing.T) {
	rng := mathrand.New(mathrand.NewPCG(1, 2))
	keys := make([]hashKey, 8000)
	for i := range keys {
		binary.LittleEndian.PutUint64(keys[i][8:], rng.Uint64())
		if i%2 == 0 {
			binary.LittleEndian.PutUint64(keys[i][:8], rng.Uint64())
		} // else all share the first 8 bytes 0: one home
	}
	e := newExpiries()
	// The secret that sends the crowded keys to the last slot, at every
	// size: their probe path wraps around the end.
	const mix = 0x9e3779b97f4a7c15
	inv := uint64(mix)
	for range 6 {
		inv *= 2 - mix*inv
	}
	e.seed = ^uint64(0) * inv
	if e.home(0) != len(e.slots)-1 {
		t.Fatalf("the crowded keys start at slot %d, want the last", e.home(0))
	}
	ref := map[hashKey]uint64{}
	check := func(step int) {
		if e.len() != len(ref) {
			t.Fatalf("step %d: len %d, want %d", step, e.len(), len(ref))
		}
		for _, k := range keys {
			got, ok := e.getKey(k)
			want, wok := ref[k]
			if ok != wok || got != want {
				t.Fatalf("step %d: getKey = %d, %v; want %d, %v", step, got, ok, want, wok)
			}
		}
	}
	const s = uint64(1e9)
	now := 1000 * s
	maxSlots := 0
	for step := 0; step < 40000; step++ {
		k := keys[rng.IntN(len(keys))]
		exp := now + uint64(rng.IntN(2000))*s - 50*s
		switch op := rng.IntN(100); {
		case op < 60:
			e.setKey(k, exp)
			ref[k] = exp
		case op < 72:
			e.del(string(k[:]))
			delete(ref, k)
		case op < 82:
			if old, ok := ref[k]; ok {
				if rng.IntN(2) == 0 {
					exp = old
				}
				e.deleteIf(k[:], exp)
				if old == exp {
					delete(ref, k)
				}
			}
		case op < 99:
			old, set := e.setUnlessLive(string(k[:]), exp+100*s, now)
			want, ok := ref[k]
			if ok && want > now {
				if set || old != want {
					t.Fatalf("step %d: setUnlessLive of a live key = %d, %v", step, old, set)
				}
			} else {
				if !set || old != want {
					t.Fatalf("step %d: setUnlessLive = %d, %v; want %d, true", step, old, set, want)
				}
				ref[k] = exp + 100*s
			}
		default:
			e.sweep(now)
			for k, exp := range ref {
				if exp <= now {
					delete(ref, k)
				}
			}
			now += 10 * s
		}
		if step%1000 == 0 {
			check(step)
		}
		maxSlots = max(maxSlots, len(e.slots))
	}
	check(-1)
	if maxSlots <= minSlots {
		t.Errorf("the table never grew (%d slots)", maxSlots)
	}
	for k := range ref {
		e.del(string(k[:]))
	}
	if e.len() != 0 {
		t.Fatalf("after deleting every key len %d", e.len())
	}
	e.sweep(now + 1000*s)
	if len(e.slots) != minSlots {
		t.Errorf("an empty table kept %d slots after a sweep, want %d", len(e.slots), minSlots)
	}
}
