// SPDX-License-Identifier: AGPL-3.0-or-later

package file

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func collectChunks(t *testing.T, data string, size int) []string {
	t.Helper()
	var got []string
	err := readChunks(strings.NewReader(data), size, func(c []byte) error {
		got = append(got, string(c))
		return nil
	})
	if err != nil {
		t.Fatalf("readChunks(%q, %d): %v", data, size, err)
	}
	return got
}

// The expectations were produced by IntelMQ's read_delimited_chunks.
func TestReadChunksLikeIntelMQ(t *testing.T) {
	tests := []struct {
		data string
		size int
		want []string
	}{
		{"a\nbb\nccc\ndddd\n", 4, []string{"a\n", "bb\n", "ccc\n", "dddd\n"}},
		{"a\nbb\nccc\ndddd", 5, []string{"a\nbb\n", "ccc\n", "dddd"}},
		{"aaaaaaaaaa\nb\n", 3, []string{"aaaaaaaaaa\n", "b\n"}},
		{"xyz", 2, []string{"xyz"}},
		{"", 3, nil},
		{"h1,h2\n1,2\n3,4\n5,6\n", 6, []string{"h1,h2\n", "1,2\n", "3,4\n", "5,6\n"}},
		{"\n\n\n", 1, []string{"\n", "\n", "\n"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, collectChunks(t, tt.data, tt.size)); diff != "" {
			t.Errorf("readChunks(%q, %d) (-want +got):\n%s", tt.data, tt.size, diff)
		}
	}
}

// csvTestData is the data of IntelMQ's test_splitreports.
func csvTestData() string {
	var b strings.Builder
	for col := 0; col < 10; col++ {
		if col > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "header-%d", col)
	}
	for row := 0; row < 1000; row++ {
		b.WriteByte('\n')
		for col := 0; col < 10; col++ {
			if col > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "value-%d-%d", row, col)
		}
	}
	return b.String()
}

func TestReadChunksProperties(t *testing.T) {
	data := csvTestData()
	for _, size := range []int{100, 500, 1000} {
		chunks := collectChunks(t, data, size)
		if got := strings.Join(chunks, ""); got != data {
			t.Fatalf("size %d: the chunks do not join to the input", size)
		}
		for i, c := range chunks {
			if len(c) > size && strings.Contains(strings.TrimSuffix(c, "\n"), "\n") {
				t.Errorf("size %d: chunk %d is %d bytes long but holds several lines", size, i, len(c))
			}
			if i < len(chunks)-1 && !strings.HasSuffix(c, "\n") {
				t.Errorf("size %d: chunk %d does not end at a newline", size, i)
			}
		}
	}
}

func TestGenerateChunksHeader(t *testing.T) {
	data := csvTestData()
	header := data[:strings.IndexByte(data, '\n')+1]
	var bodies []string
	err := generateChunks(strings.NewReader(data), 1000, true, func(raw []byte) error {
		if !bytes.HasPrefix(raw, []byte(header)) {
			t.Fatalf("chunk does not start with the header: %.40q", raw)
		}
		bodies = append(bodies, string(raw[len(header):]))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(bodies) < 2 {
		t.Fatalf("got %d chunks, want several", len(bodies))
	}
	if got := header + strings.Join(bodies, ""); got != data {
		t.Error("header plus chunk bodies do not give the input back")
	}
}

func TestGenerateChunksWhole(t *testing.T) {
	var got []string
	fn := func(raw []byte) error { got = append(got, string(raw)); return nil }
	if err := generateChunks(strings.NewReader("a,b\n1,2\n"), 0, true, fn); err != nil {
		t.Fatal(err)
	}
	if err := generateChunks(strings.NewReader(""), 0, true, fn); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a,b\n1,2\n"}, got); diff != "" {
		t.Errorf("generateChunks without chunking (-want +got):\n%s", diff)
	}
}
