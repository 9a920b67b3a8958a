// SPDX-License-Identifier: AGPL-3.0-or-later

package file

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/intelmq-go/intelmq/compiler"
	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/parse"
	"github.com/intelmq-go/intelmq/stdlib/funcs"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
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
		n, ok := autoHeader([]byte(tt.sample), tt.rows)
		got := n
		if !ok {
			got = -1
		}
		if got != tt.want {
			t.Errorf("%s: autoHeader(%q, %d) = %d, %v; want %d", tt.name, tt.sample, tt.rows, n, ok, tt.want)
		}
	}
	long := strings.Repeat("# a comment line that is rather long\n", maxHeader/30) + "1,2\n"
	if _, ok := autoHeader([]byte(long), 0); ok {
		t.Error("a header longer than maxHeader was accepted")
	}
}

// splitText runs splitAuto over text whose header is header.
func splitText(t *testing.T, header, body string, size int) []string {
	t.Helper()
	var got []string
	err := splitAuto(strings.NewReader(body), []byte(header), size, func(raw []byte) error {
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

// equivalenceHCL is a feed whose parser reads a header row after comment
// lines, with quoted fields that may span lines.
const equivalenceHCL = `
feed "big" {
  provider = "Example"
  collect "file" {
    path = "unused"
  }
  parser = parser.big
}

parser "big" {
  csv {
    comment = ["#"]
    header  = true
    columns = ["ip", "port", "note"]
  }
  set = {
    "classification.type" = "scanner"
  }
  map = {
    "source.ip"   = "ip"
    "source.port" = "int(port)"
    "extra.note"  = "note"
  }
}
`

// parseReports runs the parser of equivalenceHCL over reports and returns
// its events (wire form, sorted) and the number of bad records.
func parseReports(t *testing.T, reports []*message.Message) ([]string, int) {
	t.Helper()
	reg := botapi.NewRegistry()
	if err := Register(reg); err != nil {
		t.Fatal(err)
	}
	f, diags := lang.NewLoader().Parse("big.hcl", []byte(equivalenceHCL))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	p, diags := compiler.Compile([]*lang.File{f}, &compiler.Env{Schema: harmonization.Default(), Bots: reg, ExprOptions: funcs.Options()})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	x, err := parse.New(p.Feed("big").Parser)
	if err != nil {
		t.Fatal(err)
	}
	var events []string
	bad := 0
	for _, r := range reports {
		_, err := x.Run(context.Background(), r, func(ev *message.Message) error {
			events = append(events, string(ev.AppendWire(nil)))
			return nil
		}, func(parse.BadRecord) { bad++ })
		if err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(events)
	return events, bad
}

// TestAutoSplitSameEvents checks that the reports of an automatic split
// parse to the same events as the whole file: comment lines and a header
// row are repeated in every report, and quoted fields spanning lines stay
// whole.
func TestAutoSplitSameEvents(t *testing.T) {
	var b strings.Builder
	b.WriteString("# Example list\n# generated for a test, \"quoted\"\n\nip,port,note\n")
	for i := range 3000 {
		fmt.Fprintf(&b, "192.0.2.%d,%d,row %d\n", i%250, 1+i%65000, i)
		switch {
		case i%97 == 0:
			fmt.Fprintf(&b, "198.51.100.%d,443,\"a note\nover two lines, \"\"quoted\"\"\"\n", i%250)
		case i%113 == 0:
			b.WriteString("# a comment in the middle\n")
		}
	}
	data := b.String()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"big.csv": data})
	reportsHint := func(params map[string]any, hint *botapi.ParserHint) []*message.Message {
		c, _ := newCollectorHint(t, params, hint)
		rec := newRecorder()
		if err := c.Collect(context.Background(), rec); err != nil {
			t.Fatal(err)
		}
		return rec.reports
	}
	reports := func(params map[string]any) []*message.Message {
		c, _ := newCollector(t, params)
		rec := newRecorder()
		if err := c.Collect(context.Background(), rec); err != nil {
			t.Fatal(err)
		}
		return rec.reports
	}
	whole := reports(map[string]any{"path": dir, "chunk_auto_above": 0})
	if len(whole) != 1 {
		t.Fatalf("chunk_auto_above = 0 sent %d reports, want 1", len(whole))
	}
	split := reports(map[string]any{"path": dir, "chunk_auto_above": len(data) / 2, "chunk_auto_size": 2000, "chunk_header_rows": 1})
	if len(split) < 20 {
		t.Fatalf("the split sent %d reports, want many", len(split))
	}
	wantEvents, wantBad := parseReports(t, whole)
	gotEvents, gotBad := parseReports(t, split)
	if wantBad != 0 || gotBad != 0 {
		t.Errorf("bad records: whole %d, split %d; want none", wantBad, gotBad)
	}
	if len(wantEvents) < 3000 {
		t.Fatalf("the whole file gave %d events", len(wantEvents))
	}
	if diff := cmp.Diff(wantEvents, gotEvents); diff != "" {
		t.Errorf("events of the split reports differ from the whole file's (-whole +split):\n%s", diff)
	}

	// Under intelmq run the header rows come from the feed's parser.
	hinted := reportsHint(map[string]any{"path": dir, "chunk_auto_above": len(data) / 2, "chunk_auto_size": 2000},
		&botapi.ParserHint{HeaderRows: 1})
	if len(hinted) != len(split) {
		t.Errorf("with the parser's header rows the split sent %d reports, want %d", len(hinted), len(split))
	}
	if gotEvents, gotBad := parseReports(t, hinted); gotBad != 0 || !cmp.Equal(wantEvents, gotEvents) {
		t.Errorf("with the parser's header rows: %d bad records, events equal to the whole file's: %t", gotBad, cmp.Equal(wantEvents, gotEvents))
	}
	// A parser that needs the report whole gets the file in one report.
	if n := len(reportsHint(map[string]any{"path": dir, "chunk_auto_above": len(data) / 2, "chunk_auto_size": 2000},
		&botapi.ParserHint{Whole: true})); n != 1 {
		t.Errorf("for a parser that reads whole reports the file was sent as %d reports, want 1", n)
	}
}

// recorder keeps the emitted reports.
type recorder struct{ reports []*message.Message }

func newRecorder() *recorder { return &recorder{} }

func (r *recorder) Emit(_ context.Context, m *message.Message) error {
	r.reports = append(r.reports, m)
	return nil
}
