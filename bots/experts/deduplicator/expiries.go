// SPDX-License-Identifier: AGPL-3.0-or-later

package deduplicator

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"math"
)

// expiries maps the hashes of the in-memory caches to their expiries.
//
// A hash is known by the first 16 bytes of the SHA-256 its hex spells
// (hashKey, what the records of the caches hold); a key that is not 64
// characters starting with 32 lowercase hex digits (a damaged record) is
// reduced by SHA-256 instead, so that equal keys still meet.
//
// The table is an open-addressing hash table with linear probing, made
// for keys that are already uniformly random. A slot is 16 bytes: the
// first 12 bytes of the key and the expiry in whole Unix seconds, rounded
// up, so a hash may be remembered up to a second longer than its TTL. Two
// distinct events share 96 bits with a probability of about n²/2⁹⁷ for n
// cached hashes (one in a billion billion for a hundred million), which is
// nothing next to the cache's other risks. A lookup in a cache of
// millions of hashes touches one place in memory, where Go's map touches a
// control word and a slot of 24 bytes after hashing the key: the
// deduplicator spent a third of its time in map lookups, and the table
// takes about as much memory per hash as the map (21 to 43 bytes). The
// slot of a key starts at its first 8 bytes mixed with a secret chosen
// per table, so that events made to crowd one part of the table cannot
// slow it down. It grows at 3/4 full; deletion shifts the following
// slots back, so there are no tombstones.
type expiries struct {
	slots []slot // a power of two of them
	n     int    // slots in use
	seed  uint64
	shift uint8  // 64 - log2(len(slots))
	sink  uint32 // what touch read, so that its loads are kept
}

// slot is one entry; exp 0 marks it free.
type slot struct {
	lo  uint64 // key bytes 0-7, little-endian
	hi  uint32 // key bytes 8-11
	exp uint32 // Unix seconds, rounded up; slotForever for none
}

// slotForever is the expiry of a slot for noExpiry.
const slotForever = math.MaxUint32

// hashKey is a hash as the caches' records and lookups know it.
type hashKey [16]byte

// minSlots is the size of a new table.
const minSlots = 1 << 10

func newExpiries() expiries {
	var seed [8]byte
	_, _ = rand.Read(seed[:]) // never fails (crypto/rand panics instead)
	e := expiries{seed: binary.LittleEndian.Uint64(seed[:])}
	e.resize(minSlots)
	return e
}

// keyOf returns the key of a hash: the first 16 bytes its 64 hex digits
// spell; a key of 16 bytes (as the caches' records hold it) is its own.
func keyOf[S string | []byte](hash S) hashKey {
	var k hashKey
	if len(hash) == len(k) {
		copy(k[:], hash)
		return k
	}
	if len(hash) == 2*sha256.Size {
		bad := byte(0)
		for i := range k {
			hi, lo := hexValue[hash[2*i]], hexValue[hash[2*i+1]]
			bad |= hi | lo
			k[i] = hi<<4 | lo&0x0f
		}
		if bad&0xf0 == 0 {
			return k
		}
	}
	sum := sha256.Sum256([]byte(hash))
	copy(k[:], sum[:])
	return k
}

// hexValue is the value of each lowercase hex digit, 0xff for any other
// byte.
var hexValue = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for c := byte('0'); c <= '9'; c++ {
		t[c] = c - '0'
	}
	for c := byte('a'); c <= 'f'; c++ {
		t[c] = c - 'a' + 10
	}
	return t
}()

// toSlotExp converts an expiry in Unix nanoseconds (noExpiry for none) to
// a slot's, rounding up; never 0.
func toSlotExp(exp uint64) uint32 {
	if exp == noExpiry {
		return slotForever
	}
	s := exp / 1e9
	if exp%1e9 != 0 {
		s++
	}
	return uint32(min(max(s, 1), slotForever-1))
}

// fromSlotExp is the inverse of toSlotExp, in whole seconds.
func fromSlotExp(exp uint32) uint64 {
	if exp == slotForever {
		return noExpiry
	}
	return uint64(exp) * 1e9
}

// home returns the first slot to probe for a key starting with lo.
func (e *expiries) home(lo uint64) int {
	return int(((lo ^ e.seed) * 0x9e3779b97f4a7c15) >> e.shift)
}

// find returns the slot holding k, or the free slot where the probe for k
// ended and false.
func (e *expiries) find(k *hashKey) (int, bool) {
	lo := binary.LittleEndian.Uint64(k[:8])
	hi := binary.LittleEndian.Uint32(k[8:12])
	mask := len(e.slots) - 1
	for i := e.home(lo); ; i = (i + 1) & mask {
		s := &e.slots[i]
		if s.exp == 0 {
			return i, false
		}
		if s.lo == lo && s.hi == hi {
			return i, true
		}
	}
}

// getKey returns k's expiry (Unix nanoseconds, see toSlotExp).
func (e *expiries) getKey(k hashKey) (uint64, bool) {
	i, ok := e.find(&k)
	if !ok {
		return 0, false
	}
	return fromSlotExp(e.slots[i].exp), true
}

// setKey stores k's expiry exp (Unix nanoseconds, see toSlotExp).
func (e *expiries) setKey(k hashKey, exp uint64) {
	i, ok := e.find(&k)
	if !ok {
		if (e.n+1)*4 > len(e.slots)*3 {
			e.resize(2 * len(e.slots))
			i, _ = e.find(&k)
		}
		e.slots[i].lo = binary.LittleEndian.Uint64(k[:8])
		e.slots[i].hi = binary.LittleEndian.Uint32(k[8:12])
		e.n++
	}
	e.slots[i].exp = toSlotExp(exp)
}

// deleteAt frees slot i, shifting back the slots after it that its
// removal would cut off from their home.
func (e *expiries) deleteAt(i int) {
	mask := len(e.slots) - 1
	for j := (i + 1) & mask; ; j = (j + 1) & mask {
		s := &e.slots[j]
		if s.exp == 0 {
			break
		}
		// s may move to i when i lies on its probe path: between its
		// home and j, cyclically.
		if h := e.home(s.lo); (j-h)&mask >= (j-i)&mask {
			e.slots[i] = *s
			i = j
		}
	}
	e.slots[i] = slot{}
	e.n--
}

// resize moves the entries that keep into a table of size slots (a power
// of two).
func (e *expiries) resize(size int) { e.rebuild(size, func(slot) bool { return true }) }

// rebuild moves the entries for which keep is true into a new table of
// size slots.
func (e *expiries) rebuild(size int, keep func(slot) bool) {
	old := e.slots
	e.slots = make([]slot, size)
	e.shift = uint8(64 - bitLen(size-1))
	e.n = 0
	mask := size - 1
	for _, s := range old {
		if s.exp == 0 || !keep(s) {
			continue
		}
		i := e.home(s.lo)
		for e.slots[i].exp != 0 {
			i = (i + 1) & mask
		}
		e.slots[i] = s
		e.n++
	}
}

// bitLen is the number of bits of x.
func bitLen(x int) int {
	n := 0
	for ; x > 0; x >>= 1 {
		n++
	}
	return n
}

func (e *expiries) get(key string) (uint64, bool) { return e.getKey(keyOf(key)) }

// touch reads the first slot each key's probe starts at, so that the
// lookups of a batch that follow find them in the processor's cache: these
// loads do not depend on each other, so the processor overlaps their waits
// for memory, where a lookup waits for the one before it.
func (e *expiries) touch(keys []string) {
	var sum uint32
	for _, k := range keys {
		hk := keyOf(k)
		sum += e.slots[e.home(binary.LittleEndian.Uint64(hk[:8]))].exp
	}
	e.sink = sum
}

// setUnlessLive stores key's expiry exp unless key has one after now, and
// reports whether it did, with the expiry it replaced (0 for none). The key
// is found once for both steps.
func (e *expiries) setUnlessLive(key string, exp, now uint64) (old uint64, set bool) {
	k := keyOf(key)
	i, ok := e.find(&k)
	if ok {
		old = fromSlotExp(e.slots[i].exp)
		if old > now {
			return old, false
		}
		e.slots[i].exp = toSlotExp(exp)
		return old, true
	}
	e.setKey(k, exp)
	return 0, true
}

// lookup sets found[i] to whether keys[i] has an expiry after now.
func (e *expiries) lookup(keys []string, now uint64, found []bool) {
	e.touch(keys)
	for i, k := range keys {
		exp, ok := e.get(k)
		found[i] = ok && exp > now
	}
}

// admit stores the expiry exp of each of keys that has none after now
// (setUnlessLive), and appends those keys to fresh and the expiries they
// replaced to prior, for undo.
func (e *expiries) admit(keys []string, exp, now uint64, fresh []string, prior []uint64) ([]string, []uint64) {
	e.touch(keys)
	for _, k := range keys {
		if old, set := e.setUnlessLive(k, exp, now); set {
			fresh = append(fresh, k)
			prior = append(prior, old)
		}
	}
	return fresh, prior
}

// undo takes back what admit did: each of fresh gets its prior expiry
// again, or none.
func (e *expiries) undo(fresh []string, prior []uint64) {
	for i, k := range fresh {
		if prior[i] == 0 {
			e.del(k)
		} else {
			e.set(k, prior[i])
		}
	}
}

// set stores key's expiry.
func (e *expiries) set(key string, exp uint64) { e.setKey(keyOf(key), exp) }

// keepLater stores the expiry exp of k unless k has a later one: what a
// cache read from its records or stream ends with, whatever their order.
func (e *expiries) keepLater(k hashKey, exp uint64) {
	if old, ok := e.getKey(k); !ok || exp > old {
		e.setKey(k, exp)
	}
}

func (e *expiries) del(key string) {
	k := keyOf(key)
	if i, ok := e.find(&k); ok {
		e.deleteAt(i)
	}
}

// deleteIf removes key when its expiry is exp (as the table keeps it).
func (e *expiries) deleteIf(key []byte, exp uint64) {
	k := keyOf(key)
	if i, ok := e.find(&k); ok && e.slots[i].exp == toSlotExp(exp) {
		e.deleteAt(i)
	}
}

// sweep removes every entry expired by now (Unix nanoseconds), and
// shrinks the table when it is mostly empty.
func (e *expiries) sweep(now uint64) {
	live := func(s slot) bool { return fromSlotExp(s.exp) > now }
	kept := 0
	for _, s := range e.slots {
		if s.exp != 0 && live(s) {
			kept++
		}
	}
	size := len(e.slots)
	for size > minSlots && kept*8 < size {
		size /= 2
	}
	if kept == e.n && size == len(e.slots) {
		return
	}
	e.rebuild(size, live)
}

func (e *expiries) len() int { return e.n }
