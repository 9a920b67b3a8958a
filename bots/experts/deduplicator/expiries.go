// SPDX-License-Identifier: AGPL-3.0-or-later

package deduplicator

import "strings"

// expiries maps the hashes of the local cache to their expiries. (Keeping
// the hashes as 32-byte arrays instead of hex strings measured slower: the
// hex decoding and the map's generic key path cost more than they save.)
type expiries struct {
	m map[string]uint64
}

func newExpiries() expiries { return expiries{m: map[string]uint64{}} }

func (e expiries) get(key string) (uint64, bool) {
	exp, ok := e.m[key]
	return exp, ok
}

// set stores key's expiry; key's memory is not retained (it may share a
// batch's).
func (e expiries) set(key string, exp uint64) { e.m[strings.Clone(key)] = exp }

// setBytes is set for a key in a buffer.
func (e expiries) setBytes(key []byte, exp uint64) { e.m[string(key)] = exp }

func (e expiries) del(key string) { delete(e.m, key) }

// deleteIf removes key when its expiry is exp.
func (e expiries) deleteIf(key []byte, exp uint64) {
	if old, ok := e.m[string(key)]; ok && old == exp {
		delete(e.m, string(key))
	}
}

func (e expiries) len() int { return len(e.m) }
