// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
)

// Hash returns IntelMQ's message hash, the lowercase hex SHA-256 that the
// deduplicator and others use. Fields are taken sorted by key;
// time.observation is always skipped; with whitelist only the filterKeys are
// used, otherwise the filterKeys are skipped. For each field the hash reads
// the UTF-8 key, the byte 0xC0, the UTF-8 of Python's repr() of the value and
// 0xC0 again, so the result equals Python IntelMQ's for the same message.
func (m *Message) Hash(filterKeys []string, whitelist bool) string {
	var small [32]int
	order := sortedOrder(small[:0], m.fields)
	e := emitter{style: styleRepr}
	var space [1024]byte
	buf := space[:0]
	for _, i := range order {
		f := m.fields[i]
		if f.key == "time.observation" || slices.Contains(filterKeys, f.key) != whitelist {
			continue
		}
		buf = append(buf, f.key...)
		buf = append(buf, 0xC0)
		buf = e.appendValue(buf, f.val)
		buf = append(buf, 0xC0)
	}
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:])
}
