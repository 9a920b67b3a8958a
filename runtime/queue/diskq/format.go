// SPDX-License-Identifier: AGPL-3.0-or-later

package diskq

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// prepare makes the file ready for format 2: it creates the buckets of an
// empty file and converts a file of format 1 (every top-level bucket a
// queue holding one message per key, in key order), all in tx.
func prepare(tx *bolt.Tx) error {
	if meta := tx.Bucket([]byte(metaName)); meta != nil && meta.Get([]byte(formatKey)) != nil {
		if f := meta.Get([]byte(formatKey)); string(f) != formatV2 {
			return fmt.Errorf("unknown queue file format %q (this program knows format %s)", f, formatV2)
		}
		for _, name := range bucketNames()[1:] {
			if tx.Bucket([]byte(name)) == nil {
				return fmt.Errorf("%w: bucket %q is missing", errCorrupt, name)
			}
		}
		return nil
	}
	return convertV1(tx)
}

// convertV1 converts the queues of format 1, if any, and creates the
// buckets of format 2.
func convertV1(tx *bolt.Tx) error {
	var names [][]byte
	if err := tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
		names = append(names, bytes.Clone(name))
		return nil
	}); err != nil {
		return err
	}
	// A format-1 queue may bear the name of a format-2 bucket: read those
	// first.
	held := map[string][][]byte{}
	for _, name := range names {
		if isFormatBucket(name) {
			segs, err := readV1(tx.Bucket(name))
			if err != nil {
				return err
			}
			held[string(name)] = segs
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
	}
	meta, err := tx.CreateBucket([]byte(metaName))
	if err != nil {
		return err
	}
	if err := meta.Put([]byte(formatKey), []byte(formatV2)); err != nil {
		return err
	}
	for _, name := range bucketNames()[1:] {
		if _, err := tx.CreateBucket([]byte(name)); err != nil {
			return err
		}
	}
	s, err := openStore(tx)
	if err != nil {
		return err
	}
	for _, name := range names {
		segs, ok := held[string(name)]
		if !ok {
			if segs, err = readV1(tx.Bucket(name)); err != nil {
				return err
			}
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		if len(segs) == 0 {
			continue
		}
		q, err := s.createQueue(string(name))
		if err != nil {
			return err
		}
		if err := s.add(q, segs, nil); err != nil {
			return err
		}
	}
	return nil
}

func isFormatBucket(name []byte) bool {
	for _, n := range bucketNames() {
		if string(name) == n {
			return true
		}
	}
	return false
}

// readV1 returns the messages of a format-1 queue, in order, as segments.
func readV1(b *bolt.Bucket) ([][]byte, error) {
	if b == nil {
		return nil, nil
	}
	var msgs [][]byte
	err := b.ForEach(func(k, v []byte) error {
		if v == nil {
			return fmt.Errorf("%w: nested bucket %q in a format-1 queue", errCorrupt, k)
		}
		if len(v) > 0 {
			msgs = append(msgs, v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return encodeSegments(msgs, nil), nil
}
