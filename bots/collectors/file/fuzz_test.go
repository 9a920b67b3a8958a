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

// FuzzSplitAuto checks the automatic split on any input: every report
// starts with the header, the bodies join to the input, every body but the
// last ends at a newline, and none is empty.
func FuzzSplitAuto(f *testing.F) {
	f.Add([]byte("# h\n"), []byte("1,\"a\nb\"\n2\n# \"\n3"), 3)
	f.Add([]byte(""), []byte("\n\n\"\n\"\n"), 1)
	f.Fuzz(func(t *testing.T, header, data []byte, size int) {
		if size <= 0 || size > 1<<12 {
			return
		}
		var bodies [][]byte
		err := splitAuto(bytes.NewReader(data), header, size, func(raw []byte) error {
			if !bytes.HasPrefix(raw, header) {
				t.Fatalf("report %q does not start with the header %q", raw, header)
			}
			bodies = append(bodies, append([]byte(nil), raw[len(header):]...))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := bytes.Join(bodies, nil); !bytes.Equal(got, data) {
			t.Fatalf("bodies join to %q, want %q", got, data)
		}
		for i, b := range bodies {
			if len(b) == 0 {
				t.Errorf("body %d is empty", i)
			}
			if i < len(bodies)-1 && !bytes.HasSuffix(b, []byte("\n")) {
				t.Errorf("body %d %q does not end with a newline", i, b)
			}
		}
	})
}
