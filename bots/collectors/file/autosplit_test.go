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

// TestAutoSplitWithoutHeader checks that a large file with neither
// comments nor a header row (a plain CSV) is split too, its reports
// starting with no header, and loses no line.
func TestAutoSplitWithoutHeader(t *testing.T) {
	var b strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&b, "192.0.2.%d,%d,row %d\n", i%250, 1+i%65000, i)
	}
	data := b.String()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"plain.csv": data})
	c, _ := newCollectorHint(t, map[string]any{"path": dir, "chunk_auto_above": len(data) / 2, "chunk_auto_size": 2000},
		&botapi.ParserHint{HeaderRows: 0})
	rec := newRecorder()
	if err := c.Collect(context.Background(), rec); err != nil {
		t.Fatal(err)
	}
	if len(rec.reports) < 20 {
		t.Fatalf("a headerless file of %d bytes was sent as %d reports, want it split in pieces of 2000 bytes", len(data), len(rec.reports))
	}
	var joined strings.Builder
	for _, r := range rec.reports {
		text, err := r.RawText()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(text, "192.0.2.") {
			t.Fatalf("a report starts with %.30q, not a record", text)
		}
		joined.WriteString(text)
	}
	if joined.String() != data {
		t.Error("the reports joined differ from the file")
	}
}

// recorder keeps the emitted reports.
type recorder struct{ reports []*message.Message }

func newRecorder() *recorder { return &recorder{} }

func (r *recorder) Emit(_ context.Context, m *message.Message) error {
	r.reports = append(r.reports, m)
	return nil
}
