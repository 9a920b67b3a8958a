// SPDX-License-Identifier: AGPL-3.0-or-later

package deduplicator

import "crypto/sha256"

// expiries maps the hashes of the local cache to their expiries.
//
// A hash is kept as the first 16 bytes of the SHA-256 its hex spells, in
// the map's slot itself: a lookup in a cache of millions then touches one
// place in memory instead of two (the slot, and the 64-byte string a
// string key points to), and an entry takes about a third of the memory.
// Two distinct events share those 128 bits with a probability of about
// n²/2¹²⁹ for n cached hashes, which is nothing next to the cache's other
// risks. A key that is not 64 characters starting with 32 lowercase hex
// digits (a damaged record) is reduced by SHA-256 instead, so that equal
// keys still meet.
type expiries struct {
	m map[hashKey]uint64
}

// hashKey is the part of a hash that expiries keeps.
type hashKey [16]byte

func newExpiries() expiries { return expiries{m: map[hashKey]uint64{}} }

// keyOf returns the map key of a hash: the first 16 bytes its 64 hex
// digits spell; a key of 16 bytes (as the local cache's records hold it)
// is its own.
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

func (e expiries) get(key string) (uint64, bool) {
	exp, ok := e.m[keyOf(key)]
	return exp, ok
}

// setUnlessLive stores key's expiry exp unless key has one after now, and
// reports whether it did, with the expiry it replaced (0 for none). The key
// is reduced once for both steps.
func (e expiries) setUnlessLive(key string, exp, now uint64) (old uint64, set bool) {
	k := keyOf(key)
	old, ok := e.m[k]
	if ok && old > now {
		return old, false
	}
	if !ok {
		old = 0
	}
	e.m[k] = exp
	return old, true
}

// set stores key's expiry.
func (e expiries) set(key string, exp uint64) { e.m[keyOf(key)] = exp }

// setBytes is set for a key in a buffer.
func (e expiries) setBytes(key []byte, exp uint64) { e.m[keyOf(key)] = exp }

func (e expiries) del(key string) { delete(e.m, keyOf(key)) }

// deleteIf removes key when its expiry is exp.
func (e expiries) deleteIf(key []byte, exp uint64) {
	k := keyOf(key)
	if old, ok := e.m[k]; ok && old == exp {
		delete(e.m, k)
	}
}

func (e expiries) len() int { return len(e.m) }
