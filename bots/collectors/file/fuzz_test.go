// SPDX-License-Identifier: AGPL-3.0-or-later

package file

import (
	"bytes"
	"testing"
)

// FuzzReadChunks checks IntelMQ's chunking invariants on any input: the
// chunks join to the input, and all but the last end with a newline.
func FuzzReadChunks(f *testing.F) {
	f.Add([]byte("a\nbb\nccc\ndddd\n"), 4)
	f.Add([]byte("aaaaaaaaaa\nb\n"), 3)
	f.Add([]byte(""), 1)
	f.Fuzz(func(t *testing.T, data []byte, size int) {
		if size <= 0 || size > 1<<12 {
			return
		}
		var chunks [][]byte
		err := readChunks(bytes.NewReader(data), size, func(c []byte) error {
			chunks = append(chunks, append([]byte(nil), c...))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := bytes.Join(chunks, nil); !bytes.Equal(got, data) {
			t.Fatalf("chunks join to %q, want %q", got, data)
		}
		for i, c := range chunks[:max(len(chunks)-1, 0)] {
			if !bytes.HasSuffix(c, []byte("\n")) {
				t.Errorf("chunk %d %q does not end with a newline", i, c)
			}
		}
	})
}
