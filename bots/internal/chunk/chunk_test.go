// SPDX-License-Identifier: AGPL-3.0-or-later

package chunk

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAutoHeader(t *testing.T) {
	tests := []struct {
		name   string
		sample string
		rows   int
		want   int // header length; -1: not split
	}{
		{"comments", "# a\n#b\n\n1,2\n3,4\n", 0, len("# a\n#b\n\n")},
		{"indented comment", "  # a\n1,2\n", 0, len("  # a\n")},
		{"header row", "# a\nip,port\n1,2\n", 1, len("# a\nip,port\n")},
		{"no header", "1,2\n3,4\n", 0, 0},
		{"two rows", "x\ny\n1\n", 2, len("x\ny\n")},
		{"rows past the sample", "# a\n", 1, -1},
		{"json document", "\n  [{\"a\": 1},\n{\"a\": 2}]\n", 0, -1},
		{"json lines", "{\"a\": 1}\n{\"a\": 2}\n", 0, -1},
		{"html", "<html>\n<table>\n", 0, -1},
		{"gzip", "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03abc\n", 0, -1},
		{"not utf-8", "a\xff\xfeb\n", 0, -1},
		{"only comments", "# a\n# b", 0, -1},
	}
	for _, tt := range tests {
		n, ok := Header([]byte(tt.sample), tt.rows)
		got := n
		if !ok {
			got = -1
		}
		if got != tt.want {
			t.Errorf("%s: Header(%q, %d) = %d, %v; want %d", tt.name, tt.sample, tt.rows, n, ok, tt.want)
		}
	}
	long := strings.Repeat("# a comment line that is rather long\n", MaxHeader/30) + "1,2\n"
	if _, ok := Header([]byte(long), 0); ok {
		t.Error("a header longer than MaxHeader was accepted")
	}
}

// splitText runs Split over text whose header is header.
func splitText(t *testing.T, header, body string, size int) []string {
	t.Helper()
	var got []string
	err := Split(strings.NewReader(body), []byte(header), size, func(raw []byte) error {
		got = append(got, string(raw))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestSplitAuto(t *testing.T) {
	header := "# list\nip,port\n"
	var body strings.Builder
	for i := range 200 {
		fmt.Fprintf(&body, "192.0.2.%d,%d\n", i%250, 1000+i)
		if i%37 == 0 {
			body.WriteString("\"quoted\nover\n\"\"three\"\" lines\",1\n")
		}
		if i%51 == 0 {
			body.WriteString("# a \"comment\n\n")
		}
	}
	for _, size := range []int{1, 10, 100, 1000, 100000} {
		pieces := splitText(t, header, body.String(), size)
		var joined strings.Builder
		for i, p := range pieces {
			if !strings.HasPrefix(p, header) {
				t.Fatalf("size %d: piece %d does not start with the header: %.30q", size, i, p)
			}
			rest := p[len(header):]
			if rest == "" {
				t.Errorf("size %d: piece %d holds only the header", size, i)
			}
			if strings.Count(rest, "\"")%2 != 0 && !strings.Contains(rest, "# a \"comment") {
				t.Errorf("size %d: piece %d cuts a quoted field: %q", size, i, rest)
			}
			if strings.HasPrefix(rest, "over\n") || strings.HasPrefix(rest, "\"\"three") {
				t.Errorf("size %d: piece %d starts inside a quoted field: %.30q", size, i, rest)
			}
			if len(rest) > size && strings.Count(rest, "\n") > 1 && !strings.Contains(rest, "quoted") {
				t.Errorf("size %d: piece %d has %d bytes of body, more than one record past the size", size, i, len(rest))
			}
			joined.WriteString(rest)
		}
		if joined.String() != body.String() {
			t.Errorf("size %d: the pieces without their header do not give the body back", size)
		}
		if size <= 100 && len(pieces) < 10 {
			t.Errorf("size %d: %d pieces, want many", size, len(pieces))
		}
	}
	if got := splitText(t, header, "", 10); len(got) != 0 {
		t.Errorf("an empty body gave %q, want no report", got)
	}
	if diff := cmp.Diff([]string{"h\n1\n2"}, splitText(t, "h\n", "1\n2", 100)); diff != "" {
		t.Errorf("a body without a final newline (-want +got):\n%s", diff)
	}
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
		err := Split(bytes.NewReader(data), header, size, func(raw []byte) error {
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
