// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// Hash returns IntelMQ's message hash, the lowercase hex SHA-256 that the
// deduplicator and others use. Fields are taken sorted by key;
// time.observation is always skipped; with whitelist only the filterKeys are
// used, otherwise the filterKeys are skipped. For each field the hash reads
// the UTF-8 key, the byte 0xC0, the UTF-8 of Python's repr() of the value and
// 0xC0 again, so the result equals Python IntelMQ's for the same message.
func (m *Message) Hash(filterKeys []string, whitelist bool) string {
	var h Hasher
	var space [1024]byte
	h.buf = space[:0]
	sum := h.Sum(m, filterKeys, whitelist)
	return hex.EncodeToString(sum[:])
}

// Hasher computes Hash's SHA-256 reusing its scratch space, so that hashing
// many messages does not allocate. The zero Hasher is ready for use; a
// Hasher is not safe for concurrent use.
type Hasher struct {
	buf  []byte
	keys KeyOrder
}

// hashKey is a field's position with the first 8 bytes of its key,
// big-endian and zero-padded, which orders most keys without comparing
// the strings.
type hashKey struct {
	prefix uint64
	i      int
}

// Sum returns the SHA-256 whose lowercase hex is m.Hash(filterKeys,
// whitelist).
func (h *Hasher) Sum(m *Message, filterKeys []string, whitelist bool) [sha256.Size]byte {
	order := h.keys.sorted(m.fields)
	buf := h.buf[:0]
	for _, o := range order {
		f := &m.fields[o.i]
		if f.key == "time.observation" || slices.Contains(filterKeys, f.key) != whitelist {
			continue
		}
		buf = append(buf, f.key...)
		buf = append(buf, 0xC0)
		if f.plain&plainVal != 0 && f.val.Kind() == harmonization.KindString {
			// Printable ASCII without '"' or '\\': repr() quotes it with
			// '\'' unless it holds one, and escapes nothing either way.
			s := f.val.Str()
			q := byte('\'')
			if strings.IndexByte(s, '\'') >= 0 {
				q = '"'
			}
			buf = append(buf, q)
			buf = append(buf, s...)
			buf = append(buf, q)
		} else {
			e := emitter{style: styleRepr}
			buf = e.appendValue(buf, f.val)
		}
		buf = append(buf, 0xC0)
	}
	h.buf = buf
	return sha256.Sum256(buf)
}

// KeyOrder sorts the fields of messages by key, as the hash and the file
// output's JSON take them, and remembers the last list of keys it sorted:
// the messages a bot handles one after another mostly have the same keys in
// the same order (the events of a feed), whose order then needs no sorting,
// only a comparison of the keys. It keeps a copy of the keys, not the
// strings of a message, which may be parts of a whole batch's text. The
// zero KeyOrder is ready for use; it is not safe for concurrent use.
type KeyOrder struct {
	text  []byte // the keys back to back
	ends  []int  // the end of each key in text
	order []hashKey
}

// sorted returns the positions of fields sorted by key, valid until the
// next call.
func (o *KeyOrder) sorted(fields []entry) []hashKey {
	if len(fields) == len(o.ends) {
		start, same := 0, true
		for i := range fields {
			if string(o.text[start:o.ends[i]]) != fields[i].key {
				same = false
				break
			}
			start = o.ends[i]
		}
		if same {
			return o.order
		}
	}
	o.order = sortByKey(o.order[:0], fields)
	o.text, o.ends = o.text[:0], o.ends[:0]
	for i := range fields {
		o.text = append(o.text, fields[i].key...)
		o.ends = append(o.ends, len(o.text))
	}
	return o.order
}

// sortByKey appends to order the positions of fields sorted by key, and
// returns it. Keys are compared by their first 8 bytes first, which
// settles most comparisons without reading the strings; the few fields of
// a message are sorted by insertion.
func sortByKey(order []hashKey, fields []entry) []hashKey {
	base := len(order)
	for i := range fields {
		order = append(order, hashKey{prefix: keyPrefix(fields[i].key), i: i})
	}
	less := func(a, b hashKey) bool {
		if a.prefix != b.prefix {
			return a.prefix < b.prefix
		}
		return fields[a.i].key < fields[b.i].key
	}
	o := order[base:]
	if len(o) > 48 {
		slices.SortFunc(o, func(a, b hashKey) int {
			if less(a, b) {
				return -1
			}
			if less(b, a) {
				return 1
			}
			return 0
		})
		return order
	}
	for i := 1; i < len(o); i++ {
		for j := i; j > 0 && less(o[j], o[j-1]); j-- {
			o[j], o[j-1] = o[j-1], o[j]
		}
	}
	return order
}

// keyPrefix returns the first 8 bytes of key as a big-endian number,
// zero-padded: keys with different prefixes sort as their prefixes.
func keyPrefix(key string) uint64 {
	if len(key) >= 8 {
		return binary.BigEndian.Uint64([]byte(key[:8]))
	}
	var b [8]byte
	copy(b[:], key)
	return binary.BigEndian.Uint64(b[:])
}
