// SPDX-License-Identifier: AGPL-3.0-or-later

package deduplicator

import (
	"context"
	"encoding/binary"
	"encoding/hex"
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
	e.set(h, 7)
	if exp, ok := e.get(h); !ok || exp != 7 {
		t.Fatalf("get after set = %d, %v", exp, ok)
	}
	e.deleteIf([]byte(h), 6)
	if e.len() != 1 {
		t.Fatal("deleteIf removed a hash of another expiry")
	}
	e.deleteIf([]byte(h), 7)
	if e.len() != 0 {
		t.Fatal("deleteIf kept a hash of its expiry")
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
